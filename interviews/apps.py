from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = _("Interviews")

    def ready(self):
        from interviews import services
        from interviews.models import InterviewState
        from missions.models import Event
        from missions.services import on_entry_closed

        # `missions` sits below this app and cannot import it: it offers hooks instead.
        # The timeline shows interview states by their label;
        Event.register_states(Event.Subject.INTERVIEW, InterviewState)
        # R8: when an entry leaves the process, its scheduled interviews are cancelled.
        on_entry_closed(services.cancel_scheduled_interviews)
