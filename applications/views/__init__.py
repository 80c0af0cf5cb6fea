"""Thin views of the applications app, one module per area; the URLs are in applications/urls.py."""
