from django.apps import AppConfig


class ConsumersConfig(AppConfig):
    name = "sampark.consumers"
    label = "consumers"
    verbose_name = "Consumers"
