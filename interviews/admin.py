"""Django admin for interviews and their failure causes.

An interview is created by `schedule_interview` (R2: a fourth one is a form error) and moves by
admin actions calling the services; its entry, number and state are read-only.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from interviews import services
from interviews.models import (
    INTERVIEW_CAP,
    Interview,
    InterviewFailureCause,
    InterviewSkillRating,
)
from missions import services as mission_services
from missions.admin import ShortlistEntryAdmin, adopt, check_with_service, run_on_each
from missions.models import ShortlistEntry
from staffing.admin_fields import RecruiterFieldsMixin

SCHEDULING_FIELDS = [
    "entry",
    "kind",
    "scheduled_at",
    "duration_minutes",
    "place",
    "video_link",
    "client_interviewers",
    "recruiter",
]


class InterviewAddForm(forms.ModelForm):
    """Schedules through `schedule_interview`, whose refusals are form errors."""

    class Meta:
        model = Interview
        fields = SCHEDULING_FIELDS

    def clean(self):
        cleaned = super().clean()
        entry = cleaned.get("entry")
        if entry and not self.errors:
            check_with_service(
                lambda: services.schedule_interview(by=None, **self.scheduling_arguments()),
                lock=lambda: mission_services.lock_entry(entry),
            )
        return cleaned

    def scheduling_arguments(self):
        return {name: self.cleaned_data[name] for name in SCHEDULING_FIELDS}


class FailureCauseInline(admin.TabularInline):
    model = InterviewFailureCause
    extra = 0


class SkillRatingInline(admin.TabularInline):
    """The ratings per skill of the demand, as the feedback form recorded them (read-only:
    they are written with the feedback by `record_feedback`)."""

    model = InterviewSkillRating
    extra = 0
    fields = ["skill", "rating", "notes"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Interview)
class InterviewAdmin(RecruiterFieldsMixin, admin.ModelAdmin):
    list_display = [
        "candidate",
        "mission",
        "number_of_cap",
        "kind",
        "scheduled_at",
        "state",
        "verdict",
        "recruiter",
    ]
    list_select_related = ["entry__candidate", "entry__mission", "recruiter"]
    list_filter = ["state", "kind", "verdict", "test_passed"]
    search_fields = [
        "entry__candidate__first_name",
        "entry__candidate__last_name",
        "entry__mission__reference",
        "entry__mission__title",
        "client_interviewers",
    ]
    date_hierarchy = "scheduled_at"
    autocomplete_fields = ["entry"]
    recruiter_fields = ["recruiter"]
    readonly_fields = [
        "entry",
        "number",
        "state",
        "scheduled_at",
        "verdict",
        "feedback_at",
        "client_feedback_at",
        "created_at",
    ]
    inlines = [SkillRatingInline, FailureCauseInline]
    actions = ["cancel_interviews", "mark_no_show"]

    @admin.display(description=_("profile"), ordering="entry__candidate__last_name")
    def candidate(self, interview):
        return interview.entry.candidate

    @admin.display(description=_("mission"), ordering="entry__mission__reference")
    def mission(self, interview):
        return interview.entry.mission.reference

    @admin.display(description=_("interview"), ordering="number")
    def number_of_cap(self, interview):
        return gettext("%(n)s of %(cap)s") % {"n": interview.number, "cap": INTERVIEW_CAP}

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = InterviewAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_inlines(self, request, obj):
        return [] if obj is None else self.inlines

    def has_delete_permission(self, request, obj=None):
        # Interviews are history (R5) and count towards R2: cancel one instead.
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        interview = services.schedule_interview(by=request.user, **form.scheduling_arguments())
        adopt(obj, interview)

    @admin.action(description=_("Cancel the selected interviews"))
    def cancel_interviews(self, request, queryset):
        def cancel(interview):
            services.cancel_interview(
                interview=interview, by=request.user, note=gettext("Changed in admin")
            )

        run_on_each(self, request, queryset, cancel, gettext("Interviews cancelled: %(count)d."))

    @admin.action(description=_("Mark the selected interviews as no-show"))
    def mark_no_show(self, request, queryset):
        def no_show(interview):
            services.mark_no_show(
                interview=interview, by=request.user, note=gettext("Changed in admin")
            )

        run_on_each(
            self, request, queryset, no_show, gettext("Interviews marked as no-show: %(count)d.")
        )


@admin.register(InterviewFailureCause)
class InterviewFailureCauseAdmin(admin.ModelAdmin):
    list_display = ["cause", "interview"]
    list_select_related = ["interview__entry__candidate", "interview__entry__mission"]
    list_filter = ["cause"]
    search_fields = [
        "interview__entry__candidate__first_name",
        "interview__entry__candidate__last_name",
        "interview__entry__mission__reference",
    ]
    autocomplete_fields = ["interview"]


class InterviewInline(admin.TabularInline):
    """An entry's interviews, read-only: they are scheduled from the interview admin (R2)."""

    model = Interview
    fields = ["number", "kind", "scheduled_at", "state", "verdict", "recruiter"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False
    extra = 0

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("recruiter", "entry__mission", "entry__candidate")
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The entry admin belongs to missions, which does not import interviews (dependencies point
# one way); it gains its interviews inline here.
admin.site.unregister(ShortlistEntry)


@admin.register(ShortlistEntry)
class ShortlistEntryWithInterviewsAdmin(ShortlistEntryAdmin):
    inlines = [InterviewInline]
