"""Settings package.

``base`` holds everything and reads the environment; ``production`` tightens the
security settings (used with ``DJANGO_SETTINGS_MODULE=ami_portal.settings.production``).
"""
