"""The real OpenID Connect provider of the single sign-on tests: panva/oidc-provider run by Node on the loopback
(tests/oidc_provider/server.js, installed by ``npm ci`` from .ci/run or ``make install``).

One provider process per (portal address, code lifetime): its client accepts exactly the portal's callback and home
page, as a real provider's registration would. Tests marked ``oidc_provider`` skip without Node or the installed
package (and fail instead in CI, tests/ci_environment.py).
"""

import os
import select
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

PROVIDER_DIR = Path(__file__).resolve().parent / "oidc_provider"
CLIENT_ID = "ami-portal"
CLIENT_SECRET = "secret-de-test"
PASSWORD = "motdepasse-cnam"
SCOPES = "openid email profile groups"
CALLBACK_PATH = "/compte/cnam/retour/"


@dataclass
class RunningProvider:
    issuer: str
    process: subprocess.Popen = field(repr=False)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _unavailable_reason() -> str | None:
    if shutil.which("node") is None:
        return "Node is not installed (apt-get install nodejs npm; see .ci/run)"
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        return "the test OpenID provider is not installed: (cd tests/oidc_provider && npm ci)"
    return None


def start_provider(*, portal_url: str, code_ttl: int = 60) -> RunningProvider:
    portal_url = portal_url.rstrip("/")
    environment = {
        **os.environ,
        "PORT": os.environ.get("OIDC_TEST_PROVIDER_PORT", "0"),
        "REDIRECT_URIS": portal_url + CALLBACK_PATH,
        "POST_LOGOUT_REDIRECT_URIS": portal_url + "/",
        "CODE_TTL": str(code_ttl),
        "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET,
    }
    # A Node process was once seen stalled before binding its port, which left the suite waiting for ever on its
    # first line: each start is given START_TIMEOUT seconds, and a stalled one is killed and started again.
    failures = []
    for _attempt in range(START_ATTEMPTS):
        process = subprocess.Popen(
            ["node", "server.js"], cwd=PROVIDER_DIR, env=environment, stdout=subprocess.PIPE, text=True
        )
        line = _first_line(process, timeout=START_TIMEOUT)  # "listening on <issuer>" once the port is bound
        if line.startswith("listening on "):
            provider = RunningProvider(issuer=line.split()[-1], process=process)
            requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=10).raise_for_status()
            return provider
        process.kill()
        process.wait()
        failures.append(line)
    raise RuntimeError(f"the test OpenID provider did not start ({START_ATTEMPTS} attempts): {failures!r}")


START_ATTEMPTS, START_TIMEOUT = 3, 30


def _first_line(process: subprocess.Popen, *, timeout: float) -> str:
    """The process' first line of output, or "" if it has written none within ``timeout`` seconds."""
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    return process.stdout.readline() if ready else ""


@pytest.fixture(scope="session")
def oidc_providers():
    """Factory: ``oidc_providers(portal_url, code_ttl=60)`` → a running RunningProvider (started once, stopped at the
    end of the session)."""
    started: dict[tuple[str, int], RunningProvider] = {}

    def _get(portal_url: str, code_ttl: int = 60) -> RunningProvider:
        reason = _unavailable_reason()
        if reason:
            pytest.skip(reason)
        key = (portal_url.rstrip("/"), code_ttl)
        if key not in started:
            started[key] = start_provider(portal_url=portal_url, code_ttl=code_ttl)
        return started[key]

    yield _get
    for provider in started.values():
        provider.stop()


def enable_sso(settings, provider: RunningProvider) -> None:
    """Turn single sign-on on for this test (the ``settings`` fixture restores it), pointed at ``provider``."""
    from accounts.sso.config import forget_endpoints

    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_CLIENT_ID = CLIENT_ID
    settings.OIDC_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_RP_SCOPES = SCOPES
    forget_endpoints()
