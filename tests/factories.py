"""factory_boy factories: the one place that knows how to make a valid object for tests."""

import unicodedata
from datetime import date, timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from candidates.models import Candidate, Channel, Seniority, Skill
from missions.models import Client, ClientContact, Mission, MissionState, Placement
from missions.placements import placement_period
from staffing import access


def ascii_email(name, domain="mail.test"):
    local = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return f"{local.lower().replace(' ', '')}@{domain}"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("demo")


def add_role(user, role):
    user.groups.add(Group.objects.get(name=role))
    for cached in ("_staffing_groups", "_staffing_client"):
        user.__dict__.pop(cached, None)
    return user


def make_recruiter(username="recruiter", **kwargs):
    return add_role(UserFactory(username=username, **kwargs), access.RECRUITER)


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    name = factory.Sequence(lambda n: f"Client {n}")
    sector = "Logistique"


def make_contact(username, client, **kwargs):
    user = add_role(UserFactory(username=username, **kwargs), access.CLIENT_CONTACT)
    ClientContact.objects.create(user=user, client=client, job_title="CTO")
    return user


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Tech{n}")


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    # An address as the profile form accepts it: ASCII (Lefèvre → lefevre).
    email = factory.LazyAttribute(lambda c: ascii_email(f"{c.first_name}.{c.last_name}"))
    phone = "06 12 34 56 78"
    address = "12 rue de la Paix, 75002 Paris"
    headline = "Développeur Python / Django"
    seniority = Seniority.SENIOR
    day_rate = 550
    available_from = factory.LazyFunction(lambda: date.today() + timedelta(days=14))
    availability_confirmed_on = factory.LazyFunction(date.today)
    channel = Channel.LINKEDIN
    internal_notes = "Internal: negotiable"


class MissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mission

    client = factory.SubFactory(ClientFactory)
    reference = factory.Sequence(lambda n: f"M-TEST-{n:05d}")
    title = "Développeur Django senior"
    description = "Refonte d'un back-office logistique."
    budget = 650
    start_date = factory.LazyFunction(lambda: date.today() + timedelta(days=30))
    duration_months = 6
    location = "Lyon"
    state = MissionState.OPEN


def place(entry, *, today=None):
    """The placement a selection of `entry` gives (its mission's period, the entry's rates),
    for tests that put an entry in the selected state directly."""
    period = placement_period(entry.mission, today=today or date.today())
    return Placement.objects.create(
        entry=entry,
        mission=entry.mission,
        candidate=entry.candidate,
        start=period.start,
        end=period.end,
        sold_rate=entry.client_rate or entry.candidate_rate,
        bought_rate=entry.candidate_rate,
    )
