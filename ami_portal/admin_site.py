"""The portal's admin site: Django's, except that logging out of a session opened through single sign-on also ends
the provider's session (the same rule as the site's log-out button, accounts.sso.views.provider_logout_url)."""

from django.contrib import admin
from django.shortcuts import redirect


class PortalAdminSite(admin.AdminSite):
    def logout(self, request, extra_context=None):
        from accounts.sso.views import provider_logout_url

        provider_url = provider_logout_url(request) if request.method == "POST" else None
        response = super().logout(request, extra_context)
        return redirect(provider_url) if provider_url and response.status_code in (200, 302) else response
