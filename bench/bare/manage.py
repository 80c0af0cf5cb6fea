#!/usr/bin/env python
"""The bare Django 5.2 project the portal's pages are compared with (bench/pages.py)."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bare_project.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
