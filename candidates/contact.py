"""One form for each way to recognise a person: a phone number, a LinkedIn address, a name.

Profiles are compared on these forms (`candidates.duplicates`), so "06 12 34 56 78",
"+33 6 12 34 56 78" and "0033612345678" are one phone, and "Lefèvre Camille" one name with
"camille lefevre".
"""

import re
import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Numbers written without a country code are French: the agency's pool is in France.
DEFAULT_PHONE_REGION = "FR"
LINKEDIN_PROFILE_PREFIX = "https://www.linkedin.com/in/"
# linkedin.com/in/<slug>, with or without scheme, "www." or a country subdomain ("fr."),
# and whatever follows the slug (a trailing slash, ?utm=…, /details/…).
_LINKEDIN_PROFILE = re.compile(
    r"^(?:https?://)?(?:[a-z]{2,3}\.|www\.)?linkedin\.com/in/([^/?#\s]+)", re.IGNORECASE
)
LINKEDIN_INVALID = _(
    "Enter the address of a LinkedIn profile, like https://www.linkedin.com/in/camille-lefevre."
)


def normalise_phone(raw):
    """The phone in E.164 form ("+33612345678"), or "" when it is not a possible number."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, DEFAULT_PHONE_REGION)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_linkedin_url(raw):
    """https://www.linkedin.com/in/<slug> for any way of writing a profile's address; ""
    for a blank value. Raises ValidationError for an address that is not a profile's."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    match = _LINKEDIN_PROFILE.match(raw)
    if match is None:
        raise ValidationError(LINKEDIN_INVALID, code="linkedin_invalid")
    return LINKEDIN_PROFILE_PREFIX + match.group(1).lower()


def name_key(first_name, last_name):
    """The name without accents, case, punctuation or word order: "camille lefevre" for
    "Lefèvre, Camille" and for "CAMILLE LEFEVRE"."""
    text = unicodedata.normalize("NFKD", f"{first_name} {last_name}")
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    return " ".join(sorted(re.findall(r"[a-z0-9]+", text)))


def city_key(location):
    """The city without accents or case, for "same city" comparisons."""
    return name_key(location or "", "")


def validate_linkedin_url(value):
    """The field's validator: forms and the admin refuse what `save()` could not normalise."""
    normalise_linkedin_url(value)
