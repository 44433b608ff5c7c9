from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "sampark.channels"
    label = "channels"
    verbose_name = "Channels: chatbot and inbound messages"
