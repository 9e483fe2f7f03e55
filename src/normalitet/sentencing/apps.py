from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SentencingConfig(AppConfig):
    name = "normalitet.sentencing"
    label = "sentencing"
    verbose_name = _("Sentences and legal dates")
