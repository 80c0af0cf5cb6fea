from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("reseau/", views.network, name="overview"),
    path("reseau/antenne/<int:pk>/bilans/", views.reports, name="reports"),
    path("reseau/antenne/<int:pk>/convention/", views.convention, name="convention"),
    path("reseau/<slug:slug>/", views.network, name="campaign"),
]
