"""The signed link a freelancer follows to confirm their availability, without a login.

The link carries the profile's id signed with the secret key (salted for this purpose only)
and the time it was made: it cannot be guessed or altered, a signature made for any other
purpose does not open it, and it expires after LINK_MAX_AGE.
"""

from datetime import timedelta

from django.core import signing

from candidates.models import Candidate

SALT = "candidates.availability-link"
LINK_MAX_AGE = timedelta(days=14)


def make_token(candidate):
    """The token of `candidate`'s availability link, valid LINK_MAX_AGE from now."""
    return signing.TimestampSigner(salt=SALT).sign(str(candidate.pk))


def candidate_for_token(token):
    """The profile the token was made for, or None when the token is expired, altered, made
    for another purpose, or its profile was archived or anonymised since."""
    try:
        value = signing.TimestampSigner(salt=SALT).unsign(token, max_age=LINK_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired included
        return None
    if not value.isdigit():
        return None
    return Candidate.objects.active().filter(anonymised_at__isnull=True, pk=int(value)).first()
