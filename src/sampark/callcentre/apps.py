from django.apps import AppConfig


class CallcentreConfig(AppConfig):
    name = "sampark.callcentre"
    label = "callcentre"
    verbose_name = "1912 call centre: calls, KPIs, callbacks, staffing"
