"""URLs of the applications app (namespace "applications"), mounted at the site root by ami_portal/urls.py.

The dossier pages live under /dossiers/; the official's home is ``applications:home`` at /dossiers/.
"""

from django.urls import include, path, register_converter

from . import views, views_campaign, views_document, views_messages


class InvitationTokenConverter:
    """An invitation token as ``secrets.token_urlsafe`` makes it: anything else (a NUL byte, a 500-character
    string) is a 404 before it reaches the database."""

    regex = "[A-Za-z0-9_-]{1,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(InvitationTokenConverter, "invitation_token")

app_name = "applications"

urlpatterns = [
    path("dossiers/", views.home, name="home"),
    path("dossiers/start/<slug:slug>/", views.start, name="start"),
    path("dossiers/start/<slug:slug>/join/", views.join_request, name="join_request"),
    path("dossiers/invitations/<invitation_token:token>/", views.invitation, name="invitation"),
    path("dossiers/<int:pk>/", views.dossier_detail, name="dossier"),
    path("dossiers/<int:pk>/sections/<slug:key>/", views.section, name="section"),
    path("dossiers/<int:pk>/sections/<slug:key>/autosave/<str:field>/", views.autosave, name="autosave"),
    path("dossiers/<int:pk>/print/", views_document.dossier_print, name="dossier_print"),
    path("dossiers/<int:pk>/dossier.pdf", views_document.dossier_pdf, name="dossier_pdf"),
    path("dossiers/<int:pk>/dossier.zip", views_document.dossier_zip, name="dossier_zip"),
    path("dossiers/<int:pk>/messages/", views_messages.thread, name="messages"),
    path("dossiers/<int:pk>/messages/files/<int:file_pk>/", views_messages.message_file, name="message_file"),
    path("dossiers/<int:pk>/team/", views.team, name="team"),
    path("dossiers/<int:pk>/team/<int:member_pk>/remove/", views.remove_member, name="remove_member"),
    path(
        "dossiers/<int:pk>/join-requests/<int:request_pk>/answer/",
        views.answer_join_request,
        name="answer_join_request",
    ),
    path(
        "dossiers/<int:pk>/invitations/<int:invitation_pk>/revoke/", views.revoke_invitation, name="revoke_invitation"
    ),
    # The call's public page, readable before signing up.
    path("appel/<slug:slug>/", views_campaign.campaign_page, name="campaign"),
    path("appel/<slug:slug>/eligibilite/", views_campaign.eligibility, name="campaign_eligibility"),
    path("appel/<slug:slug>/documents/<int:pk>/", views_campaign.campaign_document, name="campaign_document"),
    path("", include("applications.urls_submission")),
]
