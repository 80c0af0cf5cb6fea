from .config import is_enabled, provider_origin


class SsoFormActionMiddleware:
    """While SSO is on, the provider's origin is allowed in the Content-Security-Policy's form-action.

    Logging out of an SSO session is a POST (the log-out button of the site or the admin) answered by a redirect to
    the provider's log-out page; browsers check a form's redirects against the page's form-action, which is 'self'.
    Placed after django-csp's middleware, so its answer is read when the policy header is built.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_enabled():
            update = dict(getattr(response, "_csp_update", None) or {})
            update["form-action"] = [*update.get("form-action", []), provider_origin()]
            response._csp_update = update
        return response
