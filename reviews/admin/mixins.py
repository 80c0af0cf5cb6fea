"""Wires ``rules`` object permissions into the Django admin, once, for every review-related ModelAdmin.

The model permission (from the user's group) says whether the list is reachable at all; the queryset (from a
selector) says which rows exist for that user; the rule says what they may do with one row. A row outside the
queryset is a 404, never a redirect that would confirm it exists.
"""

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404


def has_rule(request, rule: str, obj) -> bool:
    """``request.user.has_perm(rule, obj)``, answered once per request and object.

    The admin asks the same question many times while it renders one page (the change form, each inline row, the
    submit row): each answer costs queries, and nothing the answer depends on changes before the page is drawn.
    """
    answers = request.__dict__.setdefault("_rules_answers", {})
    key = (rule, obj._meta.label, obj.pk)
    if key not in answers:
        answers[key] = request.user.has_perm(rule, obj)
    return answers[key]


class RulesAdminMixin:
    #: rules permission names checked on the object, on top of the model permission
    view_rule: str | None = None
    change_rule: str | None = None

    def visible_queryset(self, request):
        """The rows ``request.user`` may see; subclasses ask a selector."""
        raise ImproperlyConfigured(f"{type(self).__name__} must define visible_queryset() from a selector.")

    def get_queryset(self, request):
        return self.visible_queryset(request)

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request)
        if obj is None or not allowed:
            return allowed
        return self.view_rule is None or has_rule(request, self.view_rule, obj)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request)
        if obj is None or not allowed:
            return allowed
        return self.change_rule is None or has_rule(request, self.change_rule, obj)

    def history_view(self, request, object_id, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        if not self.has_delete_permission(request):
            raise PermissionDenied
        return super().delete_view(request, object_id, extra_context)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj
