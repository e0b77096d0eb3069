"""The insights pages: the agency's figures for recruiters, a client's own for its contacts.

Both answer `?format=csv&table=<name>` with that table as a CSV file, for the same filters.
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from insights.forms import InsightsFilterForm, PeriodForm
from insights.queries import Scope
from insights.reports import ClientReport, RecruiterReport
from insights.tables import csv_response
from staffing.decorators import client_required, recruiter_required

PAGE_SIZE = 25


def _wants_csv(request):
    return request.GET.get("format") == "csv"


def _csv(report, request, scope, prefix):
    name = request.GET.get("table", "")
    table = report.table(name)
    if table is None:
        raise Http404("No such table.")
    filename = f"{prefix}-{name}-{scope.first_day:%Y%m%d}-{scope.last_day:%Y%m%d}.csv"
    return csv_response(table, filename)


@recruiter_required
def index(request):
    form = InsightsFilterForm(request.GET, today=timezone.localdate())
    recruiter, client, basis = form.filters()
    scope = Scope(*form.period(), recruiter=recruiter, client=client)
    report = RecruiterReport(scope, basis)
    if _wants_csv(request):
        return _csv(report, request, scope, "insights")
    return render(request, "insights/index.html", {"form": form, "scope": scope, "report": report})


@client_required
def client(request):
    form = PeriodForm(request.GET, today=timezone.localdate())
    scope = Scope(*form.period())
    report = ClientReport(request.user, scope)
    if _wants_csv(request):
        return _csv(report, request, scope, "figures")
    page_obj = Paginator(report.missions(), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "scope": scope,
        "report": report,
        "page_obj": page_obj,
        "missions_table": report.missions_table(page_obj.object_list),
    }
    return render(request, "insights/client.html", context)
