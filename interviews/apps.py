from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = _("Interviews")

    def ready(self):
        from interviews import services
        from interviews.models import InterviewState
        from interviews.timeline import failure_causes_text, feedback_text
        from missions.models import Event
        from missions.services import on_entry_closed

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
