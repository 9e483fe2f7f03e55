from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "normalitet.planning"
    label = "planning"
    verbose_name = _("Plan, contact officer and needs mapping")

    def ready(self) -> None:
        from . import transfers  # noqa: F401  (connects the custody signal receivers)
