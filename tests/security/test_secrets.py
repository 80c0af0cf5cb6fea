"""No secret in the repository: private keys, cloud access keys or hard-coded SECRET_KEY literals."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The one documented key: the embedded default for local runs, refused by the production profile.
DEV_DEFAULT_KEY = "insecure-dev-key-only-for-local-runs-of-ami-portal"
PATTERNS = {
    "private key": re.compile(rb"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY"),
    "AWS access key id": re.compile(rb"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "AWS secret access key": re.compile(rb"aws_secret_access_key\s*[=:]\s*['\"]?[A-Za-z0-9/+=]{40}", re.I),
    "SECRET_KEY literal": re.compile(rb"SECRET_KEY\s*=\s*['\"]([^'\"]+)['\"]"),
}
# This file describes the patterns it looks for.
SELF = Path(__file__).relative_to(ROOT).as_posix()


def _tracked_files() -> list[Path]:
    out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    return [ROOT / name for name in out.stdout.decode().split("\0") if name and name != SELF]


def _findings(path: Path, root: Path = ROOT) -> list[str]:
    try:
        content = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        return []
    found = []
    for label, pattern in PATTERNS.items():
        for match in pattern.finditer(content):
            if label == "SECRET_KEY literal" and match.group(1).decode(errors="replace") == DEV_DEFAULT_KEY:
                continue
            found.append(f"{path.relative_to(root)}: {label}")
    return found


def test_tracked_files_hold_no_private_key_cloud_key_or_secret_key_literal():
    findings = [finding for path in _tracked_files() for finding in _findings(path)]
    assert not findings, "Secrets in the repository:\n" + "\n".join(findings)


def test_scanner_recognises_a_private_key_and_a_hard_coded_secret_key(tmp_path):
    planted = tmp_path / "leak.py"
    planted.write_text(
        "-----BEGIN RSA PRIVATE KEY-----\nabc\n"
        'SECRET_KEY = "django-insecure-planted-1234567890"\n'
        "AKIAABCDEFGHIJKLMNOP\n"
    )
    labels = {finding.split(": ", 1)[1] for finding in _findings(planted, root=tmp_path)}
    assert labels == {"private key", "SECRET_KEY literal", "AWS access key id"}


def test_env_files_are_not_tracked():
    tracked = {path.name for path in _tracked_files()}
    assert ".env" not in tracked
