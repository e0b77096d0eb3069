"""`access.recruiters()`: the one list of who may own a mission or attend an interview."""

from django.utils import timezone

from insights.forms import InsightsFilterForm
from interviews.forms import ScheduleForm
from missions.forms import MissionForm
from staffing import access
from tests.factories import UserFactory, add_role, make_recruiter


def test_recruiters_are_active_recruiters_admins_and_superusers_each_once(
    recruiter, admin_user, alice
):
    ops = add_role(UserFactory(username="ops"), access.ADMIN)
    both = add_role(make_recruiter("both"), access.ADMIN)
    root = UserFactory(username="root", is_superuser=True)
    make_recruiter("gone", is_active=False)
    UserFactory(username="nobody", is_staff=True)

    names = list(access.recruiters().values_list("username", flat=True))

    assert sorted(names) == sorted(
        [recruiter.username, admin_user.username, ops.username, both.username, root.username]
    )


def test_every_recruiter_list_offers_the_same_people(recruiter, admin_user, alice):
    make_recruiter("gone", is_active=False)
    expected = set(access.recruiters())

    assert set(MissionForm().fields["owner"].queryset) == expected
    assert set(ScheduleForm().fields["recruiter"].queryset) == expected
    insights = InsightsFilterForm({}, today=timezone.localdate())
    assert set(insights.fields["recruiter"].queryset) == expected
