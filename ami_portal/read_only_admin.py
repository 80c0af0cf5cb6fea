"""Append-only records in the admin: the one way a log (status changes, assignments, decisions, antenna log, the
outbox) is shown there."""


class ReadOnlyAdminMixin:
    """Listed and viewed, never added, changed or deleted from the admin: the record is its own history.

    Put it before any mixin that answers these permissions from a rule (``RulesAdminMixin``) when the rows must stay
    read-only whatever the rule says."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
