"""Interview views (being written)."""

from django.http import HttpResponse


def _stub(request, pk=None, entry_pk=None):
    return HttpResponse("todo")


interview_list = interview_schedule = interview_detail = interview_reschedule = _stub
interview_cancel = interview_no_show = interview_feedback = interview_ics = _stub
