"""The page where each user creates and revokes their personal API tokens.

Recruiters see it in the desk's layout, client contacts in the portal's. A new token's
secret is shown once, on the page that answers its creation, and never stored.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from api import services
from api.models import ApiToken
from staffing import access


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_lazy("Name"),
        max_length=80,
        help_text=_lazy("What the token is for, e.g. “Website sync”."),
    )
    expires_on = forms.DateField(
        label=_lazy("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_lazy("Optional: the token stops working at the start of this day."),
    )

    def expires_at(self):
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        midnight = timezone.datetime.combine(day, timezone.datetime.min.time())
        return timezone.make_aware(midnight)


def _api_user(request):
    if not (access.is_recruiter(request.user) or access.is_client_contact(request.user)):
        raise PermissionDenied


def token_list(request):
    _api_user(request)
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = services.create_token(
                user=request.user, name=form.cleaned_data["name"], expires_at=form.expires_at()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Token “%(name)s” created.") % {"name": token.name})
            form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user)[:100]
    template = "api/tokens.html" if access.is_recruiter(request.user) else "api/tokens_portal.html"
    return render(
        request,
        template,
        {"form": form, "tokens": tokens, "secret": secret, "now": timezone.now()},
    )


@require_POST
def token_revoke(request, pk):
    _api_user(request)
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=pk)
    services.revoke_token(token=token, by=request.user)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("api:tokens")
