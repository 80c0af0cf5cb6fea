"""URLs of the applications app (namespace "applications")."""

from django.urls import include, path

app_name = "applications"

urlpatterns = [
    path("", include("applications.urls_submission")),
]
