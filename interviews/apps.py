from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = _("Interviews")

    def ready(self):
        # R8: `missions` sits below `interviews` and cannot import it, so it calls back when
        # an entry leaves the process, and the interviews app cancels what was scheduled.
        from interviews import services
        from missions.services import on_entry_closed

        on_entry_closed(services.cancel_scheduled_interviews)
