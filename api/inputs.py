"""Request bodies checked by the same forms as the pages, so the API accepts exactly what
the desk accepts (bounds, dates, choices) and answers a refusal with the same messages.

A body is first checked for its JSON types by the request serializer the schema documents,
then handed to the page's form as its data.
"""

from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from api.errors import InvalidInput
from candidates.forms import (
    CandidateForm,
    ExperienceFormSet,
    ProjectFormSet,
    SkillFormSet,
    skill_choices,
)
from candidates.models import Candidate


def typed(serializer_class, request, *, partial=False):
    """The request body checked against its serializer: the validated data (for a PATCH,
    only the keys given: it leaves the others as they are)."""
    if not isinstance(request.data, dict):
        raise InvalidInput({"non_field_errors": [_("Send a JSON object.")]})
    serializer = serializer_class(data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    if not partial:
        return dict(serializer.validated_data)
    return {key: value for key, value in serializer.validated_data.items() if key in request.data}


def form_errors(form):
    return {
        ("non_field_errors" if name == "__all__" else name): [str(m) for m in messages]
        for name, messages in form.errors.items()
    }


def valid_form(form):
    if not form.is_valid():
        raise InvalidInput(form_errors(form))
    return form


def current_values(instance, fields):
    """The instance's values as form data, for a partial update to start from."""
    return {
        name: value
        for name, value in model_to_dict(instance, fields=fields).items()
        if value is not None
    }


def model_defaults(model, fields):
    """The model's defaults for these fields, as form data: a new object created through the
    API without them gets what the model would give it."""
    return {
        field.name: field.get_default()
        for field in model._meta.concrete_fields
        if field.name in fields and field.has_default()
    }


# ---------------------------------------------------------------- profiles and their lists

PROFILE_LISTS = (
    ("skills", SkillFormSet, ("skill", "level", "years", "years_override")),
    (
        "experiences",
        ExperienceFormSet,
        ("company", "role", "start", "end", "technologies", "description"),
    ),
    (
        "projects",
        ProjectFormSet,
        ("name", "context", "duration_months", "link", "technologies", "description"),
    ),
)


def _formset_data(prefix, existing_ids, rows, fields, defaults):
    """Formset data that deletes every existing row and adds `rows`: a list given in the
    API replaces the profile's list."""
    data = {
        f"{prefix}-TOTAL_FORMS": len(existing_ids) + len(rows),
        f"{prefix}-INITIAL_FORMS": len(existing_ids),
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }
    for index, pk in enumerate(existing_ids):
        data[f"{prefix}-{index}-id"] = pk
        data[f"{prefix}-{index}-DELETE"] = "on"
    for index, row in enumerate(rows, start=len(existing_ids)):
        row = {**defaults, **row}
        for name in fields:
            value = row.get(name)
            if value is None:
                continue
            if isinstance(value, bool):
                value = "on" if value else ""
            data[f"{prefix}-{index}-{name}"] = value
    return data


def profile_forms(candidate, body):
    """The profile form and the formsets of the lists the body gives, validated together
    (nothing is saved unless all of them are valid)."""
    fields = [name for name in CandidateForm.Meta.fields if name != "cv"]
    if candidate.pk:
        data = current_values(candidate, fields)
    else:
        data = model_defaults(Candidate, fields)
    data.update(
        {k: v for k, v in body.items() if k not in dict.fromkeys(p[0] for p in PROFILE_LISTS)}
    )
    for name in ("soft_skill_notes", "internal_notes", "email", "phone", "linkedin_url", "address"):
        data.setdefault(name, "")
    # The same duplicate check as the desk's form: a possible duplicate needs a confirmation.
    form = CandidateForm(data, {}, instance=candidate, check_duplicates=True)
    formsets = []
    choices = None
    for prefix, formset_class, fields in PROFILE_LISTS:
        if prefix not in body:
            continue
        if choices is None:
            choices = skill_choices()
        existing = (
            list(getattr(candidate, prefix).values_list("pk", flat=True)) if candidate.pk else []
        )
        formset = formset_class(
            _formset_data(
                prefix, existing, body[prefix], fields, model_defaults(formset_class.model, fields)
            ),
            instance=candidate,
            prefix=prefix,
            form_kwargs={"skill_choices": choices},
        )
        formsets.append(formset)
    valid = form.is_valid() & all([formset.is_valid() for formset in formsets])
    if not valid:
        errors = form_errors(form)
        for formset in formsets:
            for index, row_errors in enumerate(formset.errors[len(formset.initial_forms or []) :]):
                for name, messages in row_errors.items():
                    errors[f"{formset.prefix}[{index}].{name}"] = [str(m) for m in messages]
            if formset.non_form_errors():
                errors[formset.prefix] = [str(m) for m in formset.non_form_errors()]
        if form.duplicates and not data.get("confirm_duplicates"):
            errors["possible_duplicates"] = [
                f"{d.profile.pk}: {', '.join(str(r) for r in d.reason_texts)}"
                for d in form.duplicates
            ]
        raise InvalidInput(errors)
    return form, formsets
