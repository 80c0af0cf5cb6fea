from django.urls import path

from . import views

app_name = "cities"

urlpatterns = [
    path("search/", views.commune_search, name="commune_search"),
    path("epci/search/", views.epci_search, name="epci_search"),
]
