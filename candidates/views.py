"""Profile views (being written)."""

from django.http import HttpResponse


def _stub(request, pk=None):
    return HttpResponse("todo")


candidate_list = candidate_create = candidate_detail = candidate_edit = _stub
candidate_cv = confirm_availability = _stub
