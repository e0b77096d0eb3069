from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = _("Interviews")

    def ready(self):
        from candidates.services import on_profile_figures_changed
        from interviews import rollups, services
        from interviews.models import InterviewState
        from interviews.timeline import failure_causes_text, feedback_text
        from missions.models import Event
        from missions.services import on_entry_closed, on_mission_changed

        # `missions` sits below this app and cannot import it: it offers hooks instead.
        # The timeline shows interview states by their label;
        Event.register_states(Event.Subject.INTERVIEW, InterviewState)
        # and puts its steps into words in the reader's language.
        Event.register_messages(
            {
                "interview_scheduled": _("Interview %(n)s of %(cap)s scheduled for %(name)s"),
                "interview_state": _("Interview %(n)s: %(state)s"),
                "interview_moved": _("Interview %(n)s moved"),
                "interview_feedback": feedback_text,
                "failure_causes": failure_causes_text,
                "follow_up_requested": _(
                    "Interview %(n)s of %(cap)s requested by the client for %(name)s"
                ),
                "client_feedback": _("Client feedback on interview %(n)s"),
                "client_feedback_updated": _("Client feedback on interview %(n)s updated"),
            }
        )
        # R8: when an entry leaves the process, its scheduled interviews are cancelled.
        on_entry_closed(services.cancel_scheduled_interviews)
        # The insights' rollups follow every step of a mission's timeline.
        on_mission_changed(rollups.mission_changed)
        on_profile_figures_changed(rollups.profile_changed)
        # A database that already holds missions gets its rollups on its first migrate.
        post_migrate.connect(rollups.fill_if_empty, sender=self)
