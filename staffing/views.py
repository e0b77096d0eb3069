from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from staffing import access


def home(request):
    """Send each role to where it works."""
    if access.is_recruiter(request.user):
        return redirect("missions:dashboard")
    if access.is_client_contact(request.user):
        return redirect("portal:home")
    return redirect("no_role")


@require_GET
@login_not_required
def health(request):
    """For a load balancer: the process answers (no database query)."""
    return HttpResponse("ok", content_type="text/plain")
