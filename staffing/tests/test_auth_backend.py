"""The desk's authentication backend: the request's user with its roles, its permissions in one
query, with Django's own answers."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from staffing import access
from staffing.auth import DeskBackend
from tests.factories import UserFactory, make_recruiter

pytestmark = pytest.mark.django_db


def _permission(codename):
    return Permission.objects.get(codename=codename)


def test_permissions_of_the_user_and_of_its_groups_are_read_in_one_query():
    user = UserFactory(username="pat")
    user.user_permissions.add(_permission("view_group"))
    group = Group.objects.create(name="editors")
    group.permissions.add(_permission("change_group"))
    user.groups.add(group)
    user = DeskBackend().get_user(user.pk)
    with CaptureQueriesContext(connection) as queries:
        assert user.has_perm("auth.view_group")
        assert user.has_perm("auth.change_group")
        assert not user.has_perm("auth.delete_group")
    assert len(queries) == 1


def test_an_inactive_user_has_no_permission_and_a_superuser_every_one():
    inactive = UserFactory(username="gone", is_active=False)
    inactive.user_permissions.add(_permission("view_group"))
    assert DeskBackend().get_all_permissions(inactive) == set()
    boss = UserFactory(username="boss", is_superuser=True)
    assert "auth.delete_group" in DeskBackend().get_all_permissions(boss)


def test_the_request_user_arrives_with_its_roles():
    recruiter = make_recruiter("rita")
    loaded = DeskBackend().get_user(recruiter.pk)
    with CaptureQueriesContext(connection) as queries:
        assert access.is_recruiter(loaded)
        assert access.client_of(loaded) is None
    assert len(queries) == 0
    assert DeskBackend().get_user("not a number") is None
    assert DeskBackend().get_user(10**9) is None
