"""Database constraints that speak to the user about the field they concern.

Django reports a violated check constraint as a form-wide error, under the constraint's
message: without one, its name ("missions_missionskill_min_years_positive"). A
`FieldCheckConstraint` carries a readable message and a code, and shows its violation on the
field it checks, next to the input the user must change."""

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models


class FieldCheckConstraint(models.CheckConstraint):
    def __init__(self, *args, field, **kwargs):
        if kwargs.get("violation_error_message") is None:
            raise TypeError("A FieldCheckConstraint needs a violation_error_message.")
        super().__init__(*args, **kwargs)
        self.field = field

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        try:
            super().validate(model, instance, exclude=exclude, using=using)
        except ValidationError as error:
            raise ValidationError({self.field: error.error_list}) from None

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        kwargs["field"] = self.field
        return path, args, kwargs

    def __eq__(self, other):
        return (
            isinstance(other, FieldCheckConstraint)
            and self.field == other.field
            and super().__eq__(other)
        )
