"""The network's public pages in sitemap.xml: the overview, and each campaign with published results."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import timezone

from public.selectors import campaigns_with_published_results


class NetworkSitemap(Sitemap):
    def items(self):
        return [None, *campaigns_with_published_results(now=timezone.now())]

    def location(self, campaign):
        if campaign is None:
            return reverse("network:overview")
        return reverse("network:campaign", args=[campaign.slug])
