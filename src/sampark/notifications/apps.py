from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "sampark.notifications"
    label = "notifications"
    verbose_name = "Notifications"
