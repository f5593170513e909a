from django.shortcuts import render


def my_registrations(request):
    return render(request, "registrations/my_registrations.html", {})
