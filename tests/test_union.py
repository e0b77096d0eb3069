"""`staffing.union.read_together`: short lists of one model read in one query, each in its
own queryset's order."""

from datetime import timedelta

from django.utils import timezone

from missions.models import Mission, MissionState
from staffing.union import read_together
from tests.factories import MissionFactory


def test_sliced_lists_come_in_one_query_each_in_its_own_order(client_a, django_assert_num_queries):
    now = timezone.now()

    def mission(state, days_ago):
        created = MissionFactory(client=client_a, state=state)
        Mission.objects.filter(pk=created.pk).update(created_at=now - timedelta(days=days_ago))
        return Mission.objects.get(pk=created.pk)

    opened = [mission(MissionState.OPEN, days) for days in (3, 1, 2)]
    drafts = [mission(MissionState.DRAFT, days) for days in (5, 4)]
    missions = Mission.objects.select_related("client")

    with django_assert_num_queries(1):
        rows = read_together(
            newest_open=missions.filter(state=MissionState.OPEN).order_by("-created_at")[:2],
            oldest_draft=missions.filter(state=MissionState.DRAFT).order_by("created_at")[:5],
            everything=missions.filter(client=client_a),
        )
        names = [row.client.name for row in rows["everything"]]

    assert rows["newest_open"] == [opened[1], opened[2]]
    assert rows["oldest_draft"] == [drafts[0], drafts[1]]
    # Unordered: the model's ordering (newest first); a row may be in several lists.
    assert rows["everything"] == sorted(opened + drafts, key=lambda m: m.created_at, reverse=True)
    assert names == [client_a.name] * 5
