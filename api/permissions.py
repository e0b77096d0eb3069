"""Who may use which endpoint: the roles of `staffing.access`, as the pages check them. A
role that may not use an endpoint gets 403; objects it may not see are filtered out by
`visible_to` (404)."""

from rest_framework.permissions import BasePermission

from staffing import access


class IsRecruiter(BasePermission):
    message = "Only recruiters may use this endpoint."

    def has_permission(self, request, view):
        return access.is_recruiter(request.user)


class IsClientContact(BasePermission):
    message = "Only client contacts may use this endpoint."

    def has_permission(self, request, view):
        return access.is_client_contact(request.user)


class HasAnyRole(BasePermission):
    """The token pages: anyone who can use the API (a recruiter or a client contact)."""

    def has_permission(self, request, view):
        return access.is_recruiter(request.user) or access.is_client_contact(request.user)
