"""Client portal views (being written)."""

from django.http import HttpResponse


def _stub(request, pk=None):
    return HttpResponse("todo")


home = mission = entry = request_interview = decline = select = interviews = _stub
feedback = new_demand = _stub
