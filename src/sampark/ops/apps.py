from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "sampark.ops"
    label = "ops"
    verbose_name = "Operations"
