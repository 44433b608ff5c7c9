from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sampark.core"
    label = "core"
    verbose_name = "Core"
