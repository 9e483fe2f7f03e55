from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactConfig(AppConfig):
    name = "normalitet.contact"
    label = "contact"
    verbose_name = _("Family contact: visits, phone, mail and court restrictions")

    def ready(self) -> None:
        # Connects the receivers of custody's signals (transfer, release, cell allocation).
        from . import receivers  # noqa: F401
