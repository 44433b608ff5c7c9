from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "sampark.review"
    label = "review"
    verbose_name = "Review and accountability"
