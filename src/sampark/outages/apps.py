from django.apps import AppConfig


class OutagesConfig(AppConfig):
    name = "sampark.outages"
    label = "outages"
    verbose_name = "Outages"
