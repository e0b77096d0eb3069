from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = _("Interviews")

    def ready(self):
        from interviews.models import InterviewState
        from missions.models import Event

        # The timeline (in `missions`, below this app) shows interview states by their label.
        Event.register_states(Event.Subject.INTERVIEW, InterviewState)
