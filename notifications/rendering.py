"""Rendering an e-mail kind's templates in a language; done at send time, by the worker (see sending.py)."""

import html

from django.template.loader import render_to_string
from django.utils import translation


def render_email(kind: str, context: dict, language: str) -> tuple[str, str, str]:
    """(subject, text body, HTML body) of ``kind`` in ``language``."""
    with translation.override(language):
        # The subject is plain text: undo the HTML escaping of the template engine (L&#x27;Isle → L'Isle).
        subject = " ".join(html.unescape(render_to_string(f"emails/{kind}/subject.txt", context)).split())
        text = render_to_string(f"emails/{kind}/body.txt", context)
        body_html = render_to_string(f"emails/{kind}/body.html", context)
    return subject, text, body_html
