"""The authentication backend of the desk and the portal."""

from django.contrib.auth.backends import ModelBackend

from staffing import access


class DeskBackend(ModelBackend):
    """Django's model backend, whose request user arrives with its roles in one query."""

    def get_user(self, user_id):
        user = access.user_with_roles(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
