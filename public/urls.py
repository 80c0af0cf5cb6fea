from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import press_views, views
from .sitemaps import SITEMAPS

urlpatterns = [
    path("", views.home, name="home"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    # Public results: stable URLs the press can link to.
    path("resultats/", views.results_index, name="results-index"),
    path("resultats/<slug:slug>/", views.campaign_results, name="results-campaign"),
    path("resultats/<slug:slug>/vague-<int:number>/", views.campaign_results, name="results-wave"),
    path("resultats/<slug:slug>/<slug:code>/", views.laureate_detail, name="results-laureate"),
    # Open data
    path("donnees/", views.opendata, name="opendata"),
    path("donnees/laureats.csv", views.opendata_file, {"fmt": "csv"}, name="opendata-csv"),
    path("donnees/laureats.json", views.opendata_file, {"fmt": "json"}, name="opendata-json"),
    path("donnees/<slug:slug>/laureats.csv", views.opendata_file, {"fmt": "csv"}, name="opendata-campaign-csv"),
    path("donnees/<slug:slug>/laureats.json", views.opendata_file, {"fmt": "json"}, name="opendata-campaign-json"),
    # Press area
    path("presse/", press_views.press_home, name="press-home"),
    path("presse/exports/", press_views.press_export, name="press-export"),
    path("presse/exports/<int:pk>/", press_views.press_job, name="press-job"),
    path("presse/exports/<int:pk>/telecharger/", press_views.press_job_download, name="press-job-download"),
    path("presse/<slug:slug>/vague-<int:number>/", press_views.press_wave, name="press-wave"),
]
