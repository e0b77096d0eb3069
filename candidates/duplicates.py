"""Is this person already in the pool? The one place that decides what a duplicate is.

A profile is the same person as another when they share an email (whatever its case), a
phone (normalised: "06 12 34 56 78" = "+33 6 12 34 56 78"), a LinkedIn profile, or the same
name (accents, case and word order aside) in the same city. The lookups are one query, on
SQLite and PostgreSQL alike, served by the indexes of `Candidate.Meta`.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from candidates import contact
from candidates.models import Candidate

SAME_EMAIL = "email"
SAME_PHONE = "phone"
SAME_LINKEDIN = "linkedin"
SAME_NAME_AND_CITY = "name_city"
REASONS = {
    SAME_EMAIL: _("same email"),
    SAME_PHONE: _("same phone"),
    SAME_LINKEDIN: _("same LinkedIn profile"),
    SAME_NAME_AND_CITY: _("same name in the same city"),
}
# Reasons that name one person for sure; a name in a city may be a namesake.
CERTAIN_REASONS = (SAME_EMAIL, SAME_PHONE, SAME_LINKEDIN)
# A homonym list is cut here: a duplicate warning is read, not browsed.
MAX_SHOWN = 5


@dataclass(frozen=True)
class Keys:
    """The ways to recognise one person, in their compared forms."""

    email: str
    phone: str
    linkedin_url: str
    name: str
    city: str

    @classmethod
    def of(cls, *, email="", phone="", linkedin_url="", first_name="", last_name="", city=""):
        try:
            linkedin_url = contact.normalise_linkedin_url(linkedin_url)
        except ValidationError:  # an invalid address is the form's error, not a duplicate
            linkedin_url = ""
        return cls(
            email=(email or "").strip().lower(),
            phone=contact.normalise_phone(phone),
            linkedin_url=linkedin_url,
            name=contact.name_key(first_name or "", last_name or ""),
            city=contact.city_key(city),
        )

    @classmethod
    def of_profile(cls, candidate):
        return cls(
            email=(candidate.email or "").strip().lower(),
            phone=candidate.phone_normalised,
            linkedin_url=candidate.linkedin_url,
            name=candidate.name_key,
            city=contact.city_key(candidate.location),
        )

    def reasons_against(self, other):
        """Why `other` (Keys) may be the same person, as a list of reason codes."""
        reasons = []
        if self.email and self.email == other.email:
            reasons.append(SAME_EMAIL)
        if self.phone and self.phone == other.phone:
            reasons.append(SAME_PHONE)
        if self.linkedin_url and self.linkedin_url == other.linkedin_url:
            reasons.append(SAME_LINKEDIN)
        if self.name and self.city and (self.name, self.city) == (other.name, other.city):
            reasons.append(SAME_NAME_AND_CITY)
        return reasons


@dataclass(frozen=True)
class Duplicate:
    profile: Candidate
    reasons: tuple

    @property
    def reason_texts(self):
        return [REASONS[reason] for reason in self.reasons]

    @property
    def is_certain(self):
        return any(reason in CERTAIN_REASONS for reason in self.reasons)


def _lookup(keys_list):
    """A filter matching every profile that shares a key with one of `keys_list`."""
    emails = {k.email for k in keys_list if k.email}
    phones = {k.phone for k in keys_list if k.phone}
    linkedin = {k.linkedin_url for k in keys_list if k.linkedin_url}
    # Names are matched in the database, cities in Python (a free-text location such as
    # "Lyon (69)" or "lyon" has no column of its own).
    names = {k.name for k in keys_list if k.name and k.city}
    found = Q(pk__in=[])
    if emails:
        found |= Q(email_lower__in=emails)
    if phones:
        found |= Q(phone_normalised__in=phones)
    if linkedin:
        found |= Q(linkedin_url__in=linkedin)
    if names:
        found |= Q(name_key__in=names)
    return found


def candidates_sharing_keys(keys_list, *, exclude=None):
    """Profiles (anonymised ones aside) that share a key with any of `keys_list`: one query."""
    queryset = (
        Candidate.objects.filter(anonymised_at__isnull=True)
        .annotate(email_lower=Lower("email"))
        .filter(_lookup(keys_list))
        .only(
            "pk",
            "first_name",
            "last_name",
            "email",
            "phone_normalised",
            "linkedin_url",
            "name_key",
            "location",
            "archived_at",
        )
        .order_by("pk")
    )
    if exclude is not None:
        queryset = queryset.exclude(pk=getattr(exclude, "pk", exclude))
    return list(queryset)


def duplicates_among(keys, profiles):
    """The `Duplicate`s of `keys` among `profiles`, certain ones first."""
    found = []
    for profile in profiles:
        reasons = keys.reasons_against(Keys.of_profile(profile))
        if reasons:
            found.append(Duplicate(profile=profile, reasons=tuple(reasons)))
    found.sort(key=lambda duplicate: (not duplicate.is_certain, duplicate.profile.pk))
    return found


def find_duplicates(
    *, email="", phone="", linkedin_url="", first_name="", last_name="", city="", exclude=None
):
    """The existing profiles that may be this person, each with why (`Duplicate.reasons`).

    `exclude` is the profile being edited (it does not duplicate itself). One query.
    """
    keys = Keys.of(
        email=email,
        phone=phone,
        linkedin_url=linkedin_url,
        first_name=first_name,
        last_name=last_name,
        city=city,
    )
    if not (keys.email or keys.phone or keys.linkedin_url or (keys.name and keys.city)):
        return []
    return duplicates_among(keys, candidates_sharing_keys([keys], exclude=exclude))[:MAX_SHOWN]
