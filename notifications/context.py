"""The template context of an outbox row, stored as JSON and given back with its types at send time.

E-mails are rendered by the worker that sends them, not in the transaction that queues them, so the row keeps
the context: plain values as they were at the event (dates, datetimes and decimals keep their type, so the
templates' ``date`` filters work), lazy translations turned to text in the recipient's language, and model
instances (an account) as a reference reloaded at send time.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.apps import apps
from django.db import models
from django.utils.functional import Promise

TAG = "__type__"


def freeze(value):
    """``value`` as JSON-able data (call under the recipient's language: lazy texts are translated now)."""
    if isinstance(value, dict):
        return {str(key): freeze(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [freeze(item) for item in value]
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, datetime.datetime):
        return {TAG: "datetime", "value": value.isoformat()}
    if isinstance(value, datetime.date):
        return {TAG: "date", "value": value.isoformat()}
    if isinstance(value, Decimal):
        return {TAG: "decimal", "value": str(value)}
    if isinstance(value, models.Model):
        return {TAG: "model", "model": value._meta.label, "pk": value.pk}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def thaw(data):
    """The context ``freeze`` stored, with its types back (a model whose row is gone becomes None)."""
    if isinstance(data, list):
        return [thaw(item) for item in data]
    if not isinstance(data, dict):
        return data
    kind = data.get(TAG)
    if kind == "datetime":
        return datetime.datetime.fromisoformat(data["value"])
    if kind == "date":
        return datetime.date.fromisoformat(data["value"])
    if kind == "decimal":
        return Decimal(data["value"])
    if kind == "model":
        return apps.get_model(data["model"])._default_manager.filter(pk=data["pk"]).first()
    return {key: thaw(item) for key, item in data.items()}
