from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Reviews")

    def ready(self):
        from applications.signals import wave_closed
        from reviews import receivers

        wave_closed.connect(receivers.assign_reviewers_on_wave_closed, dispatch_uid="reviews.assign_on_wave_closed")
