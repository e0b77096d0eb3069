"""Role checks for views. Anonymous users never get here: LoginRequiredMiddleware sends them
to the login page first. A logged-in user without the role gets 403 (they may know the page
exists); objects they may not see are filtered by `visible_to` and give 404."""

from functools import wraps

from django.core.exceptions import PermissionDenied

from staffing import access


def recruiter_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not access.is_recruiter(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def client_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not access.is_client_contact(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
