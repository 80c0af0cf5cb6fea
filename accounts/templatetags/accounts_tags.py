from django import template

register = template.Library()


@register.filter
def minutes(duration) -> int:
    """Whole minutes of a timedelta (rounded up): the lock-out page states how long it lasts."""
    return -(-int(duration.total_seconds()) // 60)
