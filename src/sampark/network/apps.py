from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "sampark.network"
    label = "network"
    verbose_name = "Network"
