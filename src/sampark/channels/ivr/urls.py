"""Cloud-telephony IVR webhooks, one set per provider (docs/ivr.md)."""

from django.urls import path

from . import views

app_name = "ivr"

urlpatterns = [
    path("twilio/voice", views.twilio_voice, name="twilio_voice"),
    path("twilio/queue", views.twilio_queue, name="twilio_queue"),
    path("twilio/status", views.twilio_status, name="twilio_status"),
    path("plivo/answer", views.plivo_answer, name="plivo_answer"),
    path("plivo/dial", views.plivo_dial, name="plivo_dial"),
    path("plivo/hangup", views.plivo_hangup, name="plivo_hangup"),
    # Exotel signs nothing: the secret token in the path is the check.
    path("exotel/<str:token>/step", views.exotel_step, name="exotel_step"),
    path("exotel/<str:token>/gather", views.exotel_gather, name="exotel_gather"),
    path("exotel/<str:token>/route", views.exotel_route, name="exotel_route"),
    path("exotel/<str:token>/connect", views.exotel_connect, name="exotel_connect"),
    path("exotel/<str:token>/status", views.exotel_status, name="exotel_status"),
]
