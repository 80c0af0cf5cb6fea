from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from ami_portal.sessions import stamp_session_at_log_in

        # A log-in saves the session: stamped then, the next page does not save it again (ami_portal/sessions.py).
        user_logged_in.connect(stamp_session_at_log_in, dispatch_uid="ami_portal.sessions.stamp_at_log_in")
