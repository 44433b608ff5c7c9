"""Staff pages, mounted at /staff/ under the "staff" namespace (with sign-in from accounts)."""

from __future__ import annotations

from django.urls import path

from sampark.accounts import urls as accounts_urls

from . import (
    closure_views,
    compensation_views,
    escalation_views,
    feedback_views,
    field_views,
    views,
)

app_name = "staff"

urlpatterns = [
    *accounts_urls.urlpatterns,
    path("", views.home, name="home"),
    path("consumers/", views.consumer_search, name="consumers"),
    path(
        "consumers/<str:account_number>/complaints/",
        views.consumer_complaint_register,
        name="complaint_register",
    ),
    path("complaints/", views.complaint_go, name="complaint_go"),
    path("complaints/<str:number>/", views.complaint_detail, name="complaint"),
    path(
        "complaints/<str:number>/transition/",
        views.complaint_transition_post,
        name="complaint_transition",
    ),
    path("complaints/<str:number>/assign/", views.complaint_assign_post, name="complaint_assign"),
    path("complaints/<str:number>/closure/", closure_views.closure_post, name="complaint_closure"),
    path("ratings/", feedback_views.ratings_page, name="ratings"),
    *compensation_views.urlpatterns,  # compensation/ (the claims register) and compensation.csv
    *escalation_views.urlpatterns,  # explanations/ (the register) and explanations/<id>/reply
    *field_views.urlpatterns,  # field/, field/<number>/, field/<number>/<action>/ (JE's phone)
]
