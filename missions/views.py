"""Views (placeholder)."""

from django.http import HttpResponse


def mission_list(request):
    return HttpResponse("missions")


def dashboard(request):
    return HttpResponse("dashboard")


def mission_detail(request, pk):
    return HttpResponse("mission")


def client_detail(request, pk):
    return HttpResponse("client")
