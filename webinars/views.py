from django.shortcuts import render


def session_list(request):
    return render(request, "webinars/session_list.html", {})


def workspace(request):
    return render(request, "webinars/workspace.html", {})
