"""Duplicates: the same email, phone, LinkedIn profile, or name in the same city."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from candidates import contact
from candidates.duplicates import find_duplicates
from candidates.models import Candidate
from tests.factories import CandidateFactory

CREATE = reverse("candidates:create")


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def camille(db):
    return CandidateFactory(
        first_name="Camille",
        last_name="Lefèvre",
        email="Camille.Lefevre@example.fr",
        phone="06 12 34 56 78",
        linkedin_url="https://fr.linkedin.com/in/camille-lefevre/",
        location="Lyon",
    )


# ------------------------------------------------------------ normalised forms


@pytest.mark.parametrize(
    "written",
    [
        "06 12 34 56 78",
        "+33 6 12 34 56 78",
        "0033612345678",
        "06.12.34.56.78",
        "+33 (0)6 12 34 56 78",
    ],
)
def test_a_french_phone_written_any_way_is_one_number(written):
    assert contact.normalise_phone(written) == "+33612345678"


def test_a_phone_that_is_not_a_number_has_no_normalised_form():
    assert contact.normalise_phone("call me") == ""
    assert contact.normalise_phone("12") == ""


@pytest.mark.parametrize(
    "written",
    [
        "linkedin.com/in/Camille-Lefevre",
        "https://fr.linkedin.com/in/camille-lefevre/",
        "http://www.linkedin.com/in/camille-lefevre?utm_source=share",
        "www.linkedin.com/in/camille-lefevre/details/experience/",
    ],
)
def test_a_linkedin_address_is_kept_in_one_form(written):
    assert contact.normalise_linkedin_url(written) == "https://www.linkedin.com/in/camille-lefevre"


def test_an_address_that_is_not_a_linkedin_profile_is_refused():
    with pytest.raises(Exception, match="LinkedIn profile"):
        contact.normalise_linkedin_url("https://www.linkedin.com/company/acme")


def test_the_name_key_ignores_accents_case_and_order():
    assert contact.name_key("LEFÈVRE", "camille") == "camille lefevre"
    assert contact.name_key("Camille", "Lefevre") == "camille lefevre"


def test_a_saved_profile_keeps_its_lookup_forms(camille):
    camille.refresh_from_db()
    assert camille.phone_normalised == "+33612345678"
    assert camille.linkedin_url == "https://www.linkedin.com/in/camille-lefevre"
    assert camille.name_key == "camille lefevre"


# ------------------------------------------------------------ find_duplicates


def reasons(duplicates):
    return [(d.profile.last_name, list(d.reasons)) for d in duplicates]


def test_the_same_email_in_another_case_is_a_duplicate(camille):
    found = find_duplicates(email="camille.LEFEVRE@example.fr", first_name="C", last_name="L")
    assert reasons(found) == [("Lefèvre", ["email"])]


def test_the_same_phone_written_otherwise_is_a_duplicate(camille):
    assert reasons(find_duplicates(phone="+33 6 12 34 56 78")) == [("Lefèvre", ["phone"])]


def test_the_same_linkedin_profile_is_a_duplicate(camille):
    found = find_duplicates(linkedin_url="linkedin.com/in/camille-lefevre")
    assert reasons(found) == [("Lefèvre", ["linkedin"])]


def test_the_same_name_in_the_same_city_is_a_duplicate(camille):
    found = find_duplicates(first_name="LEFEVRE", last_name="Camille", city="lyon")
    assert reasons(found) == [("Lefèvre", ["name_city"])]


def test_the_same_name_in_another_city_is_not_a_duplicate(camille):
    assert find_duplicates(first_name="Camille", last_name="Lefèvre", city="Nantes") == []


def test_every_shared_key_is_given_as_a_reason(camille):
    found = find_duplicates(
        email="camille.lefevre@example.fr",
        phone="0612345678",
        first_name="Camille",
        last_name="Lefevre",
        city="Lyon",
    )
    assert reasons(found) == [("Lefèvre", ["email", "phone", "name_city"])]


def test_the_profile_being_edited_is_not_its_own_duplicate(camille):
    assert find_duplicates(email="camille.lefevre@example.fr", exclude=camille) == []


def test_an_anonymised_profile_is_nobody_s_duplicate(camille):
    Candidate.objects.filter(pk=camille.pk).update(anonymised_at="2026-01-01T00:00Z")
    assert find_duplicates(email="camille.lefevre@example.fr") == []


def test_duplicates_are_found_in_one_query_however_many_match(db):
    for index in range(20):
        CandidateFactory(email=f"same{index}@example.fr", phone="0611111111")
    with CaptureQueriesContext(connection) as queries:
        found = find_duplicates(phone="06 11 11 11 11")
    assert len(queries.captured_queries) == 1
    assert len(found) == 5  # the warning shows the first five


# ------------------------------------------------------------ the profile form


def profile_data(**overrides):
    data = {
        "first_name": "Camille",
        "last_name": "Lefevre",
        "email": "camille.lefevre@example.fr",
        "phone": "",
        "linkedin_url": "",
        "headline": "Développeuse Python",
        "seniority": "senior",
        "day_rate": "600",
        "legal_form": "micro",
        "channel": "linkedin",
        "remote_preference": "hybrid",
    }
    for prefix in ("skills", "experiences", "projects"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(overrides)
    return data


def test_a_second_profile_with_the_same_email_is_held_until_confirmed(client, recruiter, camille):
    client.force_login(recruiter)
    response = client.post(CREATE, profile_data())
    assert response.status_code == 200
    assert "This person may already be in the pool" in response.text
    assert "same email" in response.text
    assert camille.get_absolute_url() in response.text
    assert Candidate.objects.count() == 1


def test_a_confirmed_duplicate_is_saved(client, recruiter, camille):
    client.force_login(recruiter)
    response = client.post(CREATE, profile_data(confirm_duplicates="on"))
    assert response.status_code == 302
    assert Candidate.objects.count() == 2


def test_editing_a_profile_into_another_s_phone_is_flagged(client, recruiter, camille):
    other = CandidateFactory(first_name="Paul", last_name="Martin", email="paul@example.fr")
    client.force_login(recruiter)
    response = client.post(
        reverse("candidates:edit", args=[other.pk]),
        profile_data(
            first_name="Paul", last_name="Martin", email="paul@example.fr", phone="+33612345678"
        ),
    )
    assert "same phone" in response.text
    other.refresh_from_db()
    assert other.phone != "+33612345678"


def test_the_profile_form_stores_the_linkedin_address_in_its_one_form(client, recruiter, db):
    client.force_login(recruiter)
    client.post(CREATE, profile_data(linkedin_url="fr.linkedin.com/in/Camille-Lefevre/"))
    assert Candidate.objects.get().linkedin_url == "https://www.linkedin.com/in/camille-lefevre"


def test_a_wrong_linkedin_address_is_a_form_error(client, recruiter, db):
    client.force_login(recruiter)
    response = client.post(CREATE, profile_data(linkedin_url="https://example.com/camille"))
    assert "Enter the address of a LinkedIn profile" in response.text
    assert Candidate.objects.count() == 0


def test_an_edit_that_keeps_who_the_person_is_does_not_ask_again(client, recruiter, camille):
    # Saved earlier as another person, with the same email: editing its headline goes through.
    twin = CandidateFactory(first_name="Camille", last_name="Lefevre", email=camille.email)
    client.force_login(recruiter)
    identity = {
        "first_name": twin.first_name,
        "last_name": twin.last_name,
        "email": twin.email,
        "phone": twin.phone,
        "location": twin.location,
    }

    response = client.post(
        reverse("candidates:edit", args=[twin.pk]),
        profile_data(**identity, headline="Lead data engineer"),
    )

    assert response.status_code == 302
    twin.refresh_from_db()
    assert twin.headline == "Lead data engineer"
