"""Every French catalogue is complete: no empty translation, no fuzzy entry, placeholders kept."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent.parent
CATALOGUES = sorted(p for p in ROOT.glob("*/locale/fr/LC_MESSAGES/django.po") if ".venv" not in p.parts) + [
    ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{\{\s*(\w+)\s*\}\}")


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_header_is_final_and_french(path):
    with path.open("rb") as po:
        catalogue = read_po(po)
    assert not catalogue.fuzzy, "the header is marked fuzzy: compilers may ignore its charset and plural forms"
    assert str(catalogue.locale) == "fr"


def _messages(path):
    with path.open("rb") as po:
        return [m for m in read_po(po, locale="fr") if m.id]


def test_every_app_with_user_facing_text_has_a_french_catalogue():
    apps = {p.relative_to(ROOT).parts[0] for p in CATALOGUES}
    assert {"accounts", "cities", "applications", "reviews", "notifications", "public", "locale"} <= apps


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_has_no_empty_or_fuzzy_translation(path):
    problems = []
    for message in _messages(path):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        elif not all(strings):
            problems.append(f"untranslated: {message.id!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_translations_keep_their_placeholders(path):
    problems = []
    for message in _messages(path):
        source = message.id[0] if isinstance(message.id, tuple) else message.id
        target = message.string[0] if isinstance(message.string, tuple) else message.string
        if target and {m for m in PLACEHOLDER.findall(source)} - {m for m in PLACEHOLDER.findall(target)}:
            problems.append(f"{source!r} -> {target!r}")
    assert not problems, "\n".join(problems)
