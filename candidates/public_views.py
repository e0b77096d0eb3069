"""The one page of the pool a freelancer reaches without a login: confirming their
availability through the signed link emailed to them (`candidates.reminders`).

Nothing here can be enumerated: the page answers only to a valid signature, and any other
token (expired, altered, made for another purpose) gets the same plain page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from candidates import services
from candidates.availability_link import candidate_for_token
from candidates.forms import AvailabilityForm


@login_not_required
@require_http_methods(["GET", "POST"])
def availability_link(request, token):
    candidate = candidate_for_token(token)
    if candidate is None:
        return render(request, "candidates/availability_link.html", {"valid_link": False})
    today = timezone.localdate()
    # A date already past means "available now": the form offers today instead.
    initial = max(candidate.available_from or today, today)
    form = AvailabilityForm(request.POST or None, initial={"available_from": initial})
    if form.is_valid():
        try:
            services.update_availability(
                candidate=candidate, available_from=form.cleaned_data["available_from"]
            )
        except ValidationError as exc:
            form.add_error("available_from", exc)
        else:
            messages.success(request, _("Thank you: your availability is up to date."))
            return redirect(request.path)
    context = {"valid_link": True, "candidate": candidate, "form": form, "today": today}
    return render(request, "candidates/availability_link.html", context)
