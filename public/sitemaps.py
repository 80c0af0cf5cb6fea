"""sitemap.xml of published pages only: each item is computed at request time from the publication instant."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import timezone

from network.sitemaps import NetworkSitemap
from public import selectors


class StaticPagesSitemap(Sitemap):
    def items(self):
        return ["home", "results-index", "opendata"]

    def location(self, item):
        return reverse(item)


class CampaignResultsSitemap(Sitemap):
    def items(self):
        return list(selectors.campaigns_with_published_results(now=timezone.now()))

    def location(self, campaign):
        return reverse("results-campaign", args=[campaign.slug])


class WaveResultsSitemap(Sitemap):
    def items(self):
        return list(selectors.published_waves(now=timezone.now()).order_by("campaign__slug", "number"))

    def location(self, wave):
        return reverse("results-wave", args=[wave.campaign.slug, wave.number])

    def lastmod(self, wave):
        return wave.publishes_at


class LaureateSitemap(Sitemap):
    def items(self):
        return list(selectors.published_laureates(now=timezone.now()))

    def location(self, dossier):
        return reverse("results-laureate", args=[dossier.campaign.slug, dossier.applicant_code])


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "campaigns": CampaignResultsSitemap,
    "waves": WaveResultsSitemap,
    "laureates": LaureateSitemap,
    "network": NetworkSitemap,
}
