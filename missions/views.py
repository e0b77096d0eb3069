"""Recruiter desk views (being written)."""

from django.http import HttpResponse


def _stub(request, pk=None):
    return HttpResponse("todo")


mission_list = dashboard = mission_create = mission_detail = mission_edit = _stub
mission_transition = shortlist_add = shortlist_send = entry_edit = entry_remove = _stub
entry_move = entry_withdraw = entry_select = entry_not_retained = _stub
client_list = client_create = client_detail = client_edit = contact_invite = _stub
