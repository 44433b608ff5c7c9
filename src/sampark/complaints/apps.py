from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "sampark.complaints"
    label = "complaints"
    verbose_name = "Complaints"
