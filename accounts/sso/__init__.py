"""Single sign-on of Cnam staff through their organisation's OpenID Connect provider (issue 17).

- ``config``: on/off (``OIDC_ISSUER`` + client id + secret in the environment) and the provider's endpoints, read
  from its discovery document once and kept for an hour.
- ``mapping``: the rule, a service: claims → portal roles and régions (``SsoRoleMapping``), who is refused and why.
- ``client``: mozilla-django-oidc's code exchange and token checks (PKCE, nonce, signature, issuer, audience).
- ``views``: the log-in redirect, the callback, the French refusal page, the log-out URL at the provider.
"""
