from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "normalitet.core"
    label = "core"
    verbose_name = "Normalitet"
