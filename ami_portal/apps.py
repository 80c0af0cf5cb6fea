from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """``admin.site`` is the portal's own admin site (ami_portal/admin_site.py); registrations are unchanged."""

    default_site = "ami_portal.admin_site.PortalAdminSite"
