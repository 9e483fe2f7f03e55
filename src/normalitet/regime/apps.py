from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegimeConfig(AppConfig):
    name = "normalitet.regime"
    label = "regime"
    verbose_name = _("Daily regime, activities and allowance")

    def ready(self) -> None:
        from . import allocation  # noqa: F401  (connects the custody signal receivers)
