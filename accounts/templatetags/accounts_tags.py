from django import template

register = template.Library()


@register.filter
def minutes(duration) -> int:
    """Whole minutes of a timedelta (rounded up): the lock-out page states how long it lasts."""
    return -(-int(duration.total_seconds()) // 60)


@register.simple_tag
def sso_enabled() -> bool:
    """Whether Cnam staff can log in through single sign-on (the log-in pages show its button)."""
    from accounts.sso.config import is_enabled

    return is_enabled()
