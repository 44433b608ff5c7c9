from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "sampark.public"
    label = "public"
    verbose_name = "Public: zone stakeholder groups"
