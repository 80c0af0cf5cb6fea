"""URLs of the applications app (namespace "applications"), mounted at the site root by ami_portal/urls.py.

The dossier pages live under /dossiers/; the official's home is ``applications:home`` at /dossiers/.
"""

from django.urls import path, register_converter

from applications.views import campaign, document, dossiers, messages, submission


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
    path("dossiers/", dossiers.home, name="home"),
    path("dossiers/start/<slug:slug>/", dossiers.start, name="start"),
    path("dossiers/start/<slug:slug>/join/", dossiers.join_request, name="join_request"),
    path("dossiers/invitations/<invitation_token:token>/", dossiers.invitation, name="invitation"),
    path("dossiers/<int:pk>/", dossiers.dossier_detail, name="dossier"),
    path("dossiers/<int:pk>/sections/<slug:key>/", dossiers.section, name="section"),
    path("dossiers/<int:pk>/sections/<slug:key>/autosave/<str:field>/", dossiers.autosave, name="autosave"),
    path("dossiers/<int:pk>/print/", document.dossier_print, name="dossier_print"),
    path("dossiers/<int:pk>/dossier.pdf", document.dossier_pdf, name="dossier_pdf"),
    path("dossiers/<int:pk>/dossier.zip", document.dossier_zip, name="dossier_zip"),
    path("dossiers/<int:pk>/messages/", messages.thread, name="messages"),
    path("dossiers/<int:pk>/messages/files/<int:file_pk>/", messages.message_file, name="message_file"),
    path("dossiers/<int:pk>/team/", dossiers.team, name="team"),
    path("dossiers/<int:pk>/team/<int:member_pk>/remove/", dossiers.remove_member, name="remove_member"),
    path(
        "dossiers/<int:pk>/join-requests/<int:request_pk>/answer/",
        dossiers.answer_join_request,
        name="answer_join_request",
    ),
    path(
        "dossiers/<int:pk>/invitations/<int:invitation_pk>/revoke/",
        dossiers.revoke_invitation,
        name="revoke_invitation",
    ),
    # The call's public page, readable before signing up.
    path("appel/<slug:slug>/", campaign.campaign_page, name="campaign"),
    path("appel/<slug:slug>/eligibilite/", campaign.eligibility, name="campaign_eligibility"),
    path("appel/<slug:slug>/documents/<int:pk>/", campaign.campaign_document, name="campaign_document"),
    # Attachments, submission, receipts and withdrawal.
    path("dossiers/<int:pk>/attachments/", submission.attachments, name="attachments"),
    path(
        "dossiers/<int:pk>/attachments/<int:attachment_pk>/download/",
        submission.attachment_download,
        name="attachment_download",
    ),
    path(
        "dossiers/<int:pk>/attachments/<int:attachment_pk>/delete/",
        submission.attachment_delete,
        name="attachment_delete",
    ),
    path("dossiers/<int:pk>/submit/", submission.submit, name="submit"),
    path("dossiers/<int:pk>/receipt/", submission.receipt_latest, name="receipt_latest"),
    path("dossiers/<int:pk>/submissions/<int:submission_pk>/receipt/", submission.receipt, name="receipt"),
    path("dossiers/<int:pk>/submissions/<int:submission_pk>/receipt.pdf", submission.receipt_pdf, name="receipt_pdf"),
    path("dossiers/<int:pk>/withdraw/", submission.withdraw, name="withdraw"),
]
