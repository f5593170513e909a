from django.shortcuts import render


def library_index(request):
    return render(request, "library/index.html", {})
