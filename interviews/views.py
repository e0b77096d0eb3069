"""Views (placeholder)."""

from django.http import HttpResponse


def interview_detail(request, pk):
    return HttpResponse("interview")
