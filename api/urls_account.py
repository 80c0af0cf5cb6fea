"""The staff member's API tokens, in their account area (/compte/jetons-api/)."""

from django.urls import path

from . import views

app_name = "api_tokens"

urlpatterns = [
    path("", views.tokens, name="list"),
    path("<int:pk>/revoquer/", views.revoke, name="revoke"),
]
