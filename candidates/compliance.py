"""R9 — compliance before contract: which mandatory documents a profile lacks on a day.

The mandatory document types of each legal form are rows (`ComplianceRequirement`, edited in
the admin). A requirement is met by a checked document of that type, issued on or before the
day and expiring after it, held by the profile or, in portage, by its portage company. Every
page and the selection read the answer from here.
"""

from django.db.models import Exists, OuterRef, Q

from candidates.models import ComplianceDocument, ComplianceRequirement, DocumentType


def _valid_documents(day):
    return ComplianceDocument.objects.valid_on(day)


def unmet_requirements(day):
    """The requirements of the profile in the outer query (`OuterRef`) that no valid document
    meets on `day`: for `Exists()` in a profile query, so a list flags in one query."""
    holder = Q(candidate_id=OuterRef(OuterRef("pk"))) | Q(
        portage_company_id=OuterRef(OuterRef("portage_company_id"))
    )
    met = _valid_documents(day).filter(holder, document_type=OuterRef("document_type"))
    return ComplianceRequirement.objects.filter(legal_form=OuterRef("legal_form")).filter(
        ~Exists(met)
    )


def lacking_documents(profiles, *, day):
    """The profiles of the queryset `profiles` that lack a mandatory document on `day`."""
    return profiles.filter(Exists(unmet_requirements(day)))


def missing_documents(candidate, *, day):
    """The mandatory document types (DocumentType) the profile lacks on `day`, in the order of
    DocumentType: none when every requirement of its legal form is met."""
    return missing_documents_of([candidate], day=day).get(candidate.pk, [])


def missing_documents_of(candidates, *, day):
    """{profile id: [missing DocumentType]} for profiles (their legal form and portage company
    loaded), in two queries whatever their number; compliant profiles are left out."""
    candidates = list(candidates)
    if not candidates:
        return {}
    required = {}
    for legal_form, document_type in ComplianceRequirement.objects.values_list(
        "legal_form", "document_type"
    ):
        required.setdefault(legal_form, set()).add(document_type)
    companies = {c.portage_company_id for c in candidates if c.portage_company_id}
    held = _valid_documents(day).filter(
        Q(candidate_id__in=[c.pk for c in candidates]) | Q(portage_company_id__in=companies)
    )
    by_candidate, by_company = {}, {}
    for candidate_id, company_id, document_type in held.values_list(
        "candidate_id", "portage_company_id", "document_type"
    ):
        if candidate_id:
            by_candidate.setdefault(candidate_id, set()).add(document_type)
        else:
            by_company.setdefault(company_id, set()).add(document_type)
    gaps = {}
    for candidate in candidates:
        have = by_candidate.get(candidate.pk, set()) | by_company.get(
            candidate.portage_company_id, set()
        )
        missing = required.get(candidate.legal_form, set()) - have
        if missing:
            gaps[candidate.pk] = [t for t in DocumentType if t in missing]
    return gaps


def labels(document_types):
    return ", ".join(str(DocumentType(t).label) for t in document_types)
