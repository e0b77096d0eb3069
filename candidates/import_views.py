"""The desk's import of profiles: upload a file, check the preview and the column mapping,
import in the background, follow the progress (a page that survives a reload)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from candidates import imports
from candidates.models import ImportJob, ImportStatus
from staffing.decorators import recruiter_required

RECENT_IMPORTS = 10
REPORT_PAGE_SIZE = 50


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "CSV (UTF-8, comma or semicolon) or Excel (.xlsx), 10 MB at most. "
            "The first line names the columns."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )


class MappingForm(forms.Form):
    """One choice of column per profile field."""

    def __init__(self, *args, headers, **kwargs):
        super().__init__(*args, **kwargs)
        columns = [("", _("— not imported —"))] + [
            (str(index), header or _("Column %(number)s") % {"number": index + 1})
            for index, header in enumerate(headers)
        ]
        for name, (label, _aliases) in imports.FIELDS.items():
            self.fields[name] = forms.ChoiceField(
                label=label, choices=columns, required=name in imports.REQUIRED_FIELDS
            )

    def clean(self):
        cleaned = super().clean()
        chosen = [value for value in cleaned.values() if value not in ("", None)]
        if len(chosen) != len(set(chosen)):
            raise ValidationError(
                _("A column is chosen for two fields: choose it once."), code="column_twice"
            )
        return cleaned

    @property
    def mapping(self):
        return {name: int(value) for name, value in self.cleaned_data.items() if value != ""}


def _initial(mapping):
    return {name: str(index) for name, index in mapping.items()}


@recruiter_required
def import_upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = imports.create_job(upload=form.cleaned_data["file"], by=request.user)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return redirect(job)
    recent = ImportJob.objects.select_related("created_by")[:RECENT_IMPORTS]
    return render(request, "candidates/import_upload.html", {"form": form, "recent": recent})


def _job(request, pk):
    # Imports are the desk's: @recruiter_required already turned everyone else away.
    return get_object_or_404(ImportJob, pk=pk)


@recruiter_required
def import_preview(request, pk):
    job = _job(request, pk)
    if job.status != ImportStatus.PREVIEW:
        return redirect(job)
    try:
        table = imports.load_table(job)
    except (ValidationError, OSError):
        messages.error(request, _("The uploaded file can no longer be read: upload it again."))
        return redirect("candidates:import_upload")
    form = MappingForm(request.POST or None, headers=table.headers, initial=_initial(job.mapping))
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "import":
            imports.start_import(job=job, mapping=form.mapping, by=request.user)
            messages.success(request, _("Import started: the profiles are being created."))
            return redirect("candidates:import_progress", pk=job.pk)
        imports.set_mapping(job=job, mapping=form.mapping)
        return redirect(job)
    # A valid POST has redirected: what is shown is the mapping the job holds.
    mapping = job.mapping
    rows = imports.check_rows(table, mapping, stop=imports.PREVIEW_ROWS)
    fields = [(name, label) for name, (label, _a) in imports.FIELDS.items() if name in mapping]
    for row in rows:
        row.shown = [(label, row.values.get(name, "")) for name, label in fields]
    return render(
        request,
        "candidates/import_preview.html",
        {
            "job": job,
            "form": form,
            "table": table,
            "rows": rows,
            "fields": fields,
            "missing": imports.mapping_errors(mapping),
            "counts": _counts(rows),
            "more_rows": max(0, len(table.rows) - len(rows)),
        },
    )


def _counts(rows):
    counts = {"new": 0, "duplicate": 0, "error": 0}
    for row in rows:
        counts[row.status] += 1
    return counts


@recruiter_required
def import_progress(request, pk):
    job = _job(request, pk)
    if job.status == ImportStatus.PREVIEW:
        return redirect(job)
    page = Paginator(job.report, REPORT_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"job": job, "page_obj": page}
    if request.htmx:
        return render(request, "candidates/import_progress.html#progress", context)
    return render(request, "candidates/import_progress.html", context)
