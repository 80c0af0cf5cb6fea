"""The Celery app: created here, configured from the CELERY_* Django settings."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ami_portal.settings.base")

app = Celery("ami_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
