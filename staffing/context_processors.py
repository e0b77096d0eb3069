from staffing import access


def roles(request):
    """Expose the user's role to templates (navigation, portal shell)."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {
        "is_recruiter": access.is_recruiter(user),
        "portal_client": access.client_of(user),
    }
