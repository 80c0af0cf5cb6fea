"""A submission sent before the deadline counts as before the deadline, even when the server gets to it later.

The request's arrival is stamped by the first middleware (or taken from a trusted proxy's X-Request-Start) and
the deadline is judged at that instant, bounded by REQUEST_ARRIVAL_MAX_AGE (ami_portal/arrival.py).
"""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from ami_portal.arrival import bounded_arrival, parse_request_start, request_arrival
from applications.domain.submission import submit_dossier
from applications.models import Submission
from tests.factories import DossierFactory

from .submission_support import paris, waves

pytestmark = [pytest.mark.django_db]

CLOSES = paris(2026, 3, 16)  # midnight after Sunday 15 March 2026, Paris time
QUEUED = {"traveller": None, "seconds": 0}


class QueueDelayMiddleware:
    """Test stand-in for a crowded server: the request waits QUEUED["seconds"] after its arrival was stamped."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if QUEUED["traveller"] is not None:
            QUEUED["traveller"].shift(timedelta(seconds=QUEUED["seconds"]))
        return self.get_response(request)


@pytest.fixture
def two_waves():
    return waves(CLOSES, CLOSES + timedelta(days=90))


@pytest.fixture
def dossier(two_waves):
    return DossierFactory(complete=True, wave=two_waves[0])


@pytest.fixture
def crowded(settings):
    """The request is held ``seconds`` between its arrival and the view, as behind 33 submissions per second."""
    settings.MIDDLEWARE = [settings.MIDDLEWARE[0], f"{__name__}.QueueDelayMiddleware", *settings.MIDDLEWARE[1:]]
    yield QUEUED
    QUEUED.update(traveller=None, seconds=0)


def post_submit(client, dossier, wave, *, at, held=0, queue=None, **headers):
    client.force_login(dossier.owner)
    with time_machine.travel(at, tick=False) as traveller:
        if queue is not None:
            queue.update(traveller=traveller, seconds=held)
        return client.post(
            reverse("applications:submit", kwargs={"pk": dossier.pk}),
            {"wave": wave.pk, "token": uuid.uuid4()},
            headers=headers,
        )


def epoch(moment: datetime) -> float:
    return moment.timestamp()


# --- through the submit page -----------------------------------------------------------------------------------


def test_middleware_is_the_first_one(settings):
    assert settings.MIDDLEWARE[0] == "ami_portal.arrival.RequestArrivalMiddleware"


def test_click_one_second_before_deadline_processed_one_second_after_is_accepted(client, dossier, two_waves, crowded):
    response = post_submit(client, dossier, two_waves[0], at=CLOSES - timedelta(seconds=1), held=2, queue=crowded)

    submission = Submission.objects.get(dossier=dossier)
    assert response.status_code == 302
    assert submission.wave == two_waves[0]
    assert submission.submitted_at == CLOSES - timedelta(seconds=1)
    assert submission.processed_at == CLOSES + timedelta(seconds=1)


def test_click_one_second_after_deadline_is_refused_for_the_closed_wave(client, dossier, two_waves):
    response = post_submit(client, dossier, two_waves[0], at=CLOSES + timedelta(seconds=1))

    assert response.status_code == 409
    assert "la vague 2" in response.content.decode()
    assert not Submission.objects.filter(dossier=dossier).exists()


def test_trusted_proxy_request_start_one_second_before_deadline_is_accepted(client, dossier, two_waves, settings):
    settings.TRUST_PROXY_REQUEST_START = True
    start = f"t={epoch(CLOSES - timedelta(seconds=1)):.3f}"

    response = post_submit(client, dossier, two_waves[0], at=CLOSES + timedelta(seconds=1), x_request_start=start)

    assert response.status_code == 302
    submission = Submission.objects.get(dossier=dossier)
    assert (submission.wave, submission.submitted_at) == (two_waves[0], CLOSES - timedelta(seconds=1))


def test_request_start_header_from_an_untrusted_client_is_ignored(client, dossier, two_waves, settings):
    settings.TRUST_PROXY_REQUEST_START = False
    spoofed = f"t={epoch(CLOSES - timedelta(seconds=1)):.3f}"

    response = post_submit(client, dossier, two_waves[0], at=CLOSES + timedelta(seconds=1), x_request_start=spoofed)

    assert response.status_code == 409
    assert not Submission.objects.filter(dossier=dossier).exists()


def test_request_start_older_than_the_bound_is_not_trusted(client, dossier, two_waves, settings):
    settings.TRUST_PROXY_REQUEST_START, settings.REQUEST_ARRIVAL_MAX_AGE = True, 60
    stale = f"t={epoch(CLOSES - timedelta(seconds=1)):.3f}"

    response = post_submit(client, dossier, two_waves[0], at=CLOSES + timedelta(seconds=60), x_request_start=stale)

    assert response.status_code == 409
    assert not Submission.objects.filter(dossier=dossier).exists()


def test_confirmation_page_states_the_arrival_rule_in_french(client, dossier):
    client.force_login(dossier.owner)
    with time_machine.travel(CLOSES - timedelta(hours=1), tick=False):
        page = client.get(reverse("applications:submit", kwargs={"pk": dossier.pk})).content.decode()

    assert "La date limite s’apprécie à l’instant où le serveur reçoit votre clic" in page


# --- the service ------------------------------------------------------------------------------------------------


def test_service_judges_the_deadline_at_the_arrival(dossier, two_waves):
    submission = submit_dossier(
        dossier, by=dossier.owner, now=CLOSES + timedelta(seconds=1), arrived_at=CLOSES - timedelta(seconds=1)
    )

    assert (submission.wave, submission.processed_at) == (two_waves[0], CLOSES + timedelta(seconds=1))


def test_service_ignores_an_arrival_beyond_the_bound(dossier, two_waves, settings):
    settings.REQUEST_ARRIVAL_MAX_AGE = 60
    submission = submit_dossier(
        dossier, by=dossier.owner, now=CLOSES + timedelta(seconds=1), arrived_at=CLOSES - timedelta(seconds=60)
    )

    assert (submission.wave, submission.submitted_at) == (two_waves[1], CLOSES + timedelta(seconds=1))


def test_service_without_arrival_is_judged_at_processing(dossier, two_waves):
    submission = submit_dossier(dossier, by=dossier.owner, now=CLOSES)

    assert (submission.wave, submission.submitted_at, submission.processed_at) == (two_waves[1], CLOSES, CLOSES)


# --- parsing and bounds ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["t=1773615599.250", "1773615599.250", "t=1773615599250", "t=1773615599250000"])
def test_request_start_in_seconds_milliseconds_or_microseconds(value):
    assert parse_request_start(value) == datetime(2026, 3, 15, 22, 59, 59, 250000, tzinfo=UTC)


@pytest.mark.parametrize("value", ["", "t=", "t=abc", "t=-5", "yesterday"])
def test_unreadable_request_start_is_none(value):
    assert parse_request_start(value) is None


def test_arrival_in_the_future_is_the_server_time():
    now = CLOSES
    assert bounded_arrival(now + timedelta(seconds=5), now=now) == now


def test_arrival_exactly_at_the_bound_is_kept(settings):
    settings.REQUEST_ARRIVAL_MAX_AGE = 60
    assert bounded_arrival(CLOSES - timedelta(seconds=60), now=CLOSES) == CLOSES - timedelta(seconds=60)


def test_header_is_read_only_when_the_proxy_is_trusted(settings):
    header = {"HTTP_X_REQUEST_START": f"t={epoch(CLOSES - timedelta(seconds=2))}"}
    settings.TRUST_PROXY_REQUEST_START = False
    assert request_arrival(header, received_at=CLOSES) == CLOSES
    settings.TRUST_PROXY_REQUEST_START = True
    assert request_arrival(header, received_at=CLOSES) == CLOSES - timedelta(seconds=2)
