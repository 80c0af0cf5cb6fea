"""``makemessages`` would add no msgid: every string marked for translation in the code and templates is already in
its French catalogue (and test_catalogues.py checks each one is translated).

Django's own ``makemessages -l fr`` runs on a temporary copy of the sources (the apps, ``ami_portal/``,
``templates/``, the catalogues — not tests, bench or scripts), so the real catalogues are never rewritten; the
msgids it finds are compared with each catalogue of the working tree. It needs GNU gettext (``xgettext``,
``msgmerge``: the ``gettext`` Debian package that ``.ci/run`` installs).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.ci_environment import in_ci

ROOT = Path(__file__).resolve().parents[2]
NOT_SOURCES = shutil.ignore_patterns(
    ".*",
    "__pycache__",
    "*.pyc",
    "*.mo",
    "tests",
    "bench",
    "scripts",
    "docs",
    "static",
    "staticfiles",
    "site_root",
    "artifacts",
    "private_media",
    "media",
    "data",
    "*.sqlite3",
    "*.gz",
    "*.csv",
    "*.jsonl",
    "node_modules",
)
# A msgid planted in the copy: makemessages must report it, or the comparison below would prove nothing.
CANARY = "Canary msgid planted by test_makemessages"


def _msgids(path: Path) -> set[tuple[str | None, object]]:
    with path.open("rb") as po:
        return {(message.context, message.id) for message in read_po(po) if message.id}


def _extract(tmp_path: Path) -> Path:
    if not (shutil.which("xgettext") and shutil.which("msgmerge")):
        reason = "GNU gettext is not installed (apt-get install gettext)"
        pytest.fail(f"CI=true: {reason}") if in_ci() else pytest.skip(reason)
    copy = tmp_path / "sources"
    shutil.copytree(ROOT, copy, ignore=NOT_SOURCES)
    (copy / "applications" / "makemessages_canary.py").write_text(
        f"from django.utils.translation import gettext_lazy\n\nCANARY = gettext_lazy({CANARY!r})\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ami_portal.settings.base", "PYTHONPATH": str(copy)}
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "fr", "--no-obsolete", "--no-location"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return copy


def test_makemessages_would_add_no_msgid(tmp_path):
    copy = _extract(tmp_path)
    catalogues = sorted(path.relative_to(copy) for path in copy.glob("**/locale/fr/LC_MESSAGES/django.po"))
    assert len(catalogues) >= 7, catalogues
    added = {str(catalogue): _msgids(copy / catalogue) - _msgids(ROOT / catalogue) for catalogue in catalogues}
    canary_catalogue = added["applications/locale/fr/LC_MESSAGES/django.po"]
    assert (None, CANARY) in canary_catalogue, "makemessages did not find the planted msgid: it extracted nothing"
    canary_catalogue.discard((None, CANARY))
    missing = [f"  {catalogue}: {msgid!r}" for catalogue, msgids in added.items() for msgid in sorted(msgids, key=repr)]
    assert not missing, (
        "msgids used in the code but absent from their French catalogue (add them, translated, at the end of the "
        "catalogue):\n" + "\n".join(missing)
    )
