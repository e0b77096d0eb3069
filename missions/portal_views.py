"""Views (placeholder)."""

from django.http import HttpResponse


def home(request):
    return HttpResponse("portal")


def mission(request, pk):
    return HttpResponse("portal mission")
