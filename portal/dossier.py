"""The skills dossier (dossier de compétences): a shortlisted profile as a PDF a client can
print and forward internally.

It is drawn from the client-safe card (`portal.cards.client_card`), the one source of what a
client may see, so the PDF cannot show more than the portal does; it is anonymised further
to the profile's initials. WeasyPrint needs system libraries (pango): it is imported only
when a dossier is drawn, so the app runs without them and the download says it cannot draw
the document instead of failing.
"""

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from missions.models import ShortlistEntry
from portal.cards import client_card, with_card_data
from staffing.decorators import client_required, recruiter_required

logger = logging.getLogger(__name__)

TEMPLATE = "portal/dossier.html"


class DossierUnavailable(Exception):
    """WeasyPrint or the system libraries it needs are missing on this server."""


@dataclass(frozen=True)
class SkillRow:
    """A line of the dossier's skills table: years in professional experience, and months
    spent with the technology in training, school or personal projects."""

    name: str
    years: Decimal
    project_months: int


def skill_rows(card):
    """The card's skills, each with the months of the card's projects that used it, then the
    technologies met only in projects (a junior's projects are what they have done)."""
    project_months = {}
    for project in card.projects:
        for name in project.technologies:
            key = name.casefold()
            project_months[key] = project_months.get(key, 0) + project.duration_months
    rows = [
        SkillRow(skill.name, skill.years, project_months.pop(skill.name.casefold(), 0))
        for skill in card.skills
    ]
    names = {name.casefold(): name for p in card.projects for name in p.technologies}
    rows += [
        SkillRow(names[key], Decimal(0), months)
        for key, months in sorted(project_months.items(), key=lambda item: -item[1])
    ]
    return rows


def dossier_html(card, *, mission):
    """The dossier as HTML, in the active language (the reader's)."""
    return render_to_string(
        TEMPLATE,
        {
            "card": card,
            "mission": mission,
            "client": mission.client,
            "skill_rows": skill_rows(card),
            "initials": ". ".join(card.initials) + "." if card.initials else "",
            "today": timezone.localdate(),
        },
    )


def html_to_pdf(html):
    """PDF bytes of `html`. Nothing is fetched from outside: the template inlines its style
    and its logo, and the fetcher refuses every address but `data:` ones."""
    try:
        # Imported here: without pango the import fails, and the rest of the app must run.
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as exc:
        raise DossierUnavailable(str(exc)) from exc
    fetcher = URLFetcher(allowed_protocols=("data",))
    return HTML(string=html, url_fetcher=fetcher).write_pdf()


def dossier_filename(card, *, mission):
    """ "skills-dossier-cl-m-2026-00001.pdf": ASCII, the initials only, never the name."""
    return slugify(f"{_('skills dossier')} {card.initials} {mission.reference}") + ".pdf"


def _download(request, entry, *, back):
    card = client_card(entry)
    try:
        pdf = html_to_pdf(dossier_html(card, mission=entry.mission))
    except DossierUnavailable:
        logger.exception("The skills dossier of entry %s could not be drawn", entry.pk)
        messages.error(
            request,
            _(
                "The skills dossier cannot be produced on this server at the moment. "
                "Please try again later or ask your recruiter for it."
            ),
        )
        return redirect(back)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = dossier_filename(card, mission=entry.mission)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # A client's document: neither a shared cache nor the browser's keeps a copy.
    response["Cache-Control"] = "private, no-store"
    return response


def _entry(request, pk):
    # Scoped like every portal page: another company's entry and an unsent one are a 404.
    entries = ShortlistEntry.objects.visible_to(request.user).select_related("mission__client")
    return get_object_or_404(with_card_data(entries), pk=pk)


@client_required
def client_dossier(request, pk):
    entry = _entry(request, pk)
    return _download(request, entry, back=reverse("portal:entry", args=[entry.pk]))


@recruiter_required
def desk_dossier(request, pk):
    """The recruiter downloads what the client gets, to check it or send it by hand."""
    entry = _entry(request, pk)
    return _download(request, entry, back=entry.mission.get_absolute_url())
