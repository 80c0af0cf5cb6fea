"""The database (or the object store of uploaded files) is unreachable: a clear French page, HTTP 503 with
Retry-After, instead of a 500 or a hang.

``DatabaseUnavailableMiddleware.process_exception`` answers for an exception raised by a view;
``server_error`` (``handler500``) does the same for one raised elsewhere (another middleware). The page is
rendered without a request context: it must not touch the database (no session, no user). Nothing half-written
is left: every write happens in a transaction, which PostgreSQL rolls back when the connection is lost.
"""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)


def is_storage_error(error: BaseException | None) -> bool:
    """The S3-compatible object store (AWS_STORAGE_BUCKET_NAME) down, unreachable or refusing; a missing object is
    not one (the storage raises FileNotFoundError, which the download views answer with a 404). botocore is only
    looked up: without a bucket nothing imported it (ami_portal/storage_s3.py), and none of its errors can occur."""
    botocore_errors = sys.modules.get("botocore.exceptions")
    return botocore_errors is not None and isinstance(
        error, (botocore_errors.BotoCoreError, botocore_errors.ClientError)
    )


def database_unavailable_response(error: Exception, *, storage: bool = False) -> HttpResponse:
    logger.error("%s unavailable: %s: %s", "Object store" if storage else "Database", type(error).__name__, error)
    retry_after = settings.DATABASE_UNAVAILABLE_RETRY_AFTER
    page = loader.render_to_string("503.html", {"retry_after": retry_after, "storage": storage})
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            return database_unavailable_response(exception)
        if is_storage_error(exception):
            return database_unavailable_response(exception, storage=True)
        return None


def server_error(request):
    """``handler500``: the 503 page if the database was the cause, Django's 500 page otherwise."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        return database_unavailable_response(error)
    if is_storage_error(error):
        return database_unavailable_response(error, storage=True)
    return HttpResponseServerError(loader.render_to_string("500.html"))
