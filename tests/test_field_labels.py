"""Every field a form or the admin can show is labelled in the user's language: its
verbose name goes through gettext (a field without one would show its Python name)."""

import pytest
from django.apps import apps
from django.utils.functional import Promise

OUR_APPS = ("staffing", "candidates", "missions", "interviews")


def labelled_fields():
    for app in OUR_APPS:
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.get_fields(include_hidden=False):
                if field.concrete and not field.auto_created:
                    yield pytest.param(field, id=f"{model._meta.label}.{field.name}")


@pytest.mark.parametrize("field", list(labelled_fields()))
def test_every_field_has_a_translated_label(field):
    assert isinstance(field.verbose_name, Promise), field.verbose_name
