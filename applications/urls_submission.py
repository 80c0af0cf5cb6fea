"""Attachment, submission, receipt and withdrawal URLs; included by applications/urls.py (app_name "applications")."""

from django.urls import path

from . import views_submission as views

urlpatterns = [
    path("dossiers/<int:pk>/attachments/", views.attachments, name="attachments"),
    path(
        "dossiers/<int:pk>/attachments/<int:attachment_pk>/download/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "dossiers/<int:pk>/attachments/<int:attachment_pk>/delete/", views.attachment_delete, name="attachment_delete"
    ),
    path("dossiers/<int:pk>/submit/", views.submit, name="submit"),
    path("dossiers/<int:pk>/receipt/", views.receipt_latest, name="receipt_latest"),
    path("dossiers/<int:pk>/submissions/<int:submission_pk>/receipt/", views.receipt, name="receipt"),
    path("dossiers/<int:pk>/submissions/<int:submission_pk>/receipt.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("dossiers/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
