"""The "My reviews" block of the admin index: the reviewer's counts and their next dossier."""

from django import template

from reviews import queue

register = template.Library()


@register.inclusion_tag("reviews/admin/_my_reviews_summary.html", takes_context=True)
def my_reviews_summary(context):
    """Shown to anyone with a review queue (regional reviewers); nothing for the others."""
    user = context["request"].user
    summary = queue.queue_counts(user=user) if user.has_perm("reviews.change_review") else None
    return {"summary": summary if summary and summary["total"] else None, "states": queue.QueueState}
