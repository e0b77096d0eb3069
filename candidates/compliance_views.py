"""The recruiter's pages of compliance documents (R9): a profile's documents, the upload, the
check, and the download (private files, like CVs)."""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from candidates import compliance, services
from candidates.forms import ComplianceDocumentForm
from candidates.models import Candidate, ComplianceDocument, ComplianceRequirement
from staffing import access
from staffing.decorators import recruiter_required

document_access_log = logging.getLogger("staffing.cv_access")


def _documents_context(candidate, form):
    today = timezone.localdate()
    documents = (
        ComplianceDocument.objects.of_profile(candidate)
        .select_related("uploaded_by", "checked_by", "portage_company")
        .order_by("document_type", "-expires_on", "-pk")
    )
    return {
        "candidate": candidate,
        "documents": documents,
        "today": today,
        "missing": compliance.missing_documents(candidate, day=today),
        "required": ComplianceRequirement.objects.filter(legal_form=candidate.legal_form),
        "form": form,
    }


@recruiter_required
def documents(request, pk):
    """A profile's compliance documents and the upload form."""
    candidate = get_object_or_404(
        Candidate.objects.visible_to(request.user).select_related("portage_company"), pk=pk
    )
    form = ComplianceDocumentForm(request.POST or None, request.FILES or None, candidate=candidate)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_compliance_document(by=request.user, **form.service_arguments())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Document added."))
            return redirect("candidates:documents", candidate.pk)
    return render(
        request, "candidates/compliance_documents.html", _documents_context(candidate, form)
    )


def _document_of_the_pool(pk):
    # Documents are held by profiles or portage companies, both the recruiters' only: the
    # views that call this one are closed to anyone else before it runs.
    return get_object_or_404(ComplianceDocument, pk=pk)


@recruiter_required
@require_POST
def document_check(request, pk):
    document = _document_of_the_pool(pk)
    services.check_compliance_document(document=document, by=request.user)
    messages.success(request, _("Document marked as checked."))
    back = request.POST.get("candidate", "")
    if back.isdigit():
        return redirect("candidates:documents", back)
    return redirect(document.candidate or "candidates:list")


def document_file(request, pk):
    # Like a CV: a client gets 404, never a 403 that would say the file exists (R3, R5).
    if not access.is_recruiter(request.user):
        raise Http404
    document = _document_of_the_pool(pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    document_access_log.info(
        "Compliance document downloaded: user %s, document %s", request.user.pk, document.pk
    )
    name = f"{document.document_type}-{document.issued_on:%Y-%m-%d}"
    extension = document.file.name.rsplit(".", 1)[-1]
    response = FileResponse(handle, as_attachment=True, filename=f"{name}.{extension}")
    response["Cache-Control"] = "private, no-store"
    return response
