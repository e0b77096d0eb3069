"""Matching page (being written)."""

from django.http import HttpResponse


def matching(request, pk):
    return HttpResponse("todo")
