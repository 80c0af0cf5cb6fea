from django.contrib.sitemaps.views import sitemap
from django.urls import path

from public.sitemaps import SITEMAPS
from public.views import press, results

urlpatterns = [
    path("", results.home, name="home"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    # Public results: stable URLs the press can link to.
    path("resultats/", results.results_index, name="results-index"),
    path("resultats/<slug:slug>/", results.campaign_results, name="results-campaign"),
    path("resultats/<slug:slug>/vague-<int:number>/", results.campaign_results, name="results-wave"),
    path("resultats/<slug:slug>/<slug:code>/", results.laureate_detail, name="results-laureate"),
    # Open data
    path("donnees/", results.opendata, name="opendata"),
    path("donnees/laureats.csv", results.opendata_file, {"fmt": "csv"}, name="opendata-csv"),
    path("donnees/laureats.json", results.opendata_file, {"fmt": "json"}, name="opendata-json"),
    path("donnees/<slug:slug>/laureats.csv", results.opendata_file, {"fmt": "csv"}, name="opendata-campaign-csv"),
    path("donnees/<slug:slug>/laureats.json", results.opendata_file, {"fmt": "json"}, name="opendata-campaign-json"),
    # Press area
    path("presse/", press.press_home, name="press-home"),
    path("presse/exports/", press.press_export, name="press-export"),
    path("presse/exports/<int:pk>/", press.press_job, name="press-job"),
    path("presse/exports/<int:pk>/telecharger/", press.press_job_download, name="press-job-download"),
    path("presse/<slug:slug>/vague-<int:number>/", press.press_wave, name="press-wave"),
]
