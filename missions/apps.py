from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MissionsConfig(AppConfig):
    name = "missions"
    verbose_name = _("Clients and missions")

    def ready(self):
        from candidates.services import on_availability_updated
        from missions import services

        # `candidates` sits below this app and cannot import it: it offers a hook instead.
        # An availability the freelancer gives is recorded on their processes' timelines.
        on_availability_updated(services.record_availability_update)
