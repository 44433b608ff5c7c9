from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sampark.accounts"
    label = "accounts"
    verbose_name = "Staff and access"
