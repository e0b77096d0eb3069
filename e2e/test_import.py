"""The import of profiles, as a recruiter goes through it: upload, preview, progress."""

import pytest
from django.urls import reverse

from tests.factories import CandidateFactory

WIDTHS = [1366, 390]
FILE = (
    "\ufeffPrénom;Nom;E-mail;Téléphone;Ville;Titre;Séniorité;TJM;Disponibilité\n"
    "Hélène;Génin;helene.genin@example.fr;06 11 22 33 44;Lyon;Développeuse Python;Confirmé;"
    "550 €;15/01/2027\n"
    "Jérôme;Dubœuf;jerome@example.fr;0622334455;Nantes;Architecte Java;Senior;700;\n"
    "Zoé;Martin;pas-un-email;0633445566;Paris;Data engineer;Senior;abc;\n"
    "Hélène;Génin;HELENE.GENIN@example.fr;+33 6 11 22 33 44;Lyon;Développeuse Python;Confirmé;"
    "550;\n"
).encode()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_recruiter_previews_and_imports_a_french_file(
    page, live_server, login_as, recruiter, screenshot, width, tmp_path
):
    CandidateFactory(first_name="Jérôme", last_name="Dubœuf", email="jerome@example.fr")
    login_as(recruiter)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + reverse("candidates:import_upload"))
    path = tmp_path / "profils.csv"
    path.write_bytes(FILE)
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="Read the file").click()

    page.get_by_text("Same person as line 2 of this file").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(f"import-preview-{width}")

    page.get_by_role("button", name="Import 4 rows").click()
    page.get_by_text("1 profile created").wait_for()
    screenshot(f"import-progress-{width}")


def test_a_recruiter_is_warned_of_a_duplicate_on_the_profile_form(
    page, live_server, login_as, recruiter, screenshot
):
    CandidateFactory(first_name="Camille", last_name="Lefèvre", email="camille@example.fr")
    login_as(recruiter)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + reverse("candidates:create"))
    page.get_by_label("First name").fill("Camille")
    page.get_by_label("Last name").fill("Lefevre")
    page.get_by_label("Email").fill("CAMILLE@example.fr")
    page.get_by_label("Headline").fill("Développeuse Python")
    page.get_by_label("Seniority").select_option("senior")
    page.get_by_label("Day rate (€)").fill("600")
    page.get_by_label("Sourcing channel").select_option("linkedin")
    page.get_by_role("button", name="Create the profile").click()

    page.get_by_text("Possible duplicates", exact=True).wait_for()
    screenshot("duplicate-warning")
