"""Conditional GET for the public endpoints: an ETag computed from the body, 304 when the client has it."""

from functools import wraps

from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag


def conditional_get(view):
    """Sets a strong ETag on a 200 answer and answers 304 to a matching ``If-None-Match``. The ETag follows the
    content, so it changes at a publication instant like the content does; clients revalidate every time."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        set_response_etag(response)
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        return get_conditional_response(request, etag=response["ETag"], response=response)

    return wrapper
