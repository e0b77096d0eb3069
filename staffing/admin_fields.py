"""Admin plumbing shared by the apps' admins."""

from staffing import access


class RecruiterFieldsMixin:
    """Offers only recruiters (`access.recruiters()`) in the listed user fields, as a plain
    select: the agency has a handful of recruiters, and an autocomplete would search every user,
    client contacts included."""

    recruiter_fields = ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.recruiter_fields:
            kwargs["queryset"] = access.recruiters()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
