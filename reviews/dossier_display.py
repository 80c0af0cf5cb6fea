"""Generic, read-only rendering of a dossier for the admin: its fields and related rows, whatever they are.

The dossier's sections belong to the applications app and grow over time, so nothing here names a section
field: fields and related models are discovered from the model's ``_meta``.
"""

from django.contrib.admin.utils import display_for_field
from django.db import models
from django.urls import reverse

# Shown in the header or in dedicated panels (reviews, history, attachments), or internal to the application.
HEADER_FIELDS = (
    "reference",
    "campaign",
    "wave",
    "status",
    "region",
    "commune",
    "epci",
    "owner",
    "title",
    "public_summary",
    "submitted_at",
    "decided_at",
)
HIDDEN_FIELDS = {"id", "created_at", "updated_at"}
# Related models shown elsewhere or not part of the dossier's content (logs, invitations, review workflow).
HIDDEN_RELATIONS = {
    "applications.dossiertransition",
    "applications.attachment",
    "applications.domain.submission",
    "applications.dossierchange",
    "applications.dossierinvitation",
    "applications.dossiermember",
    "applications.dossierjoinrequest",
    "applications.dossierholderlog",
}


# Logs and correspondence of a dossier: on its own page, not beside the scoring grid.
LOG_RELATIONS = {"applications.dossierwavemove", "applications.dossierreminder", "applications.dossiermessage"}


def content_fields(model) -> list[str]:
    """The dossier's content fields in declaration order, after the header ones."""
    return [
        f.name
        for f in model._meta.concrete_fields
        if f.name not in HEADER_FIELDS and f.name not in HIDDEN_FIELDS and f.editable
    ]


def _value(obj, field) -> str:
    value = getattr(obj, field.name)
    if field.choices:
        return getattr(obj, f"get_{field.name}_display")()
    return display_for_field(value, field, "—")


def content_rows(dossier) -> list[tuple[str, str]]:
    """(label, value) of the dossier's content fields, in declaration order (the review page's dossier column)."""
    fields = [dossier._meta.get_field(name) for name in content_fields(type(dossier))]
    return [(str(f.verbose_name), _value(dossier, f)) for f in fields]


def related_sections(dossier, *, hidden: set[str] = frozenset()) -> list[dict]:
    """One block per other app-``applications`` model pointing at the dossier (partners…), its rows and fields;
    ``hidden`` names more models (``app_label.model``) to leave out."""
    blocks = []
    for relation in dossier._meta.related_objects:
        model = relation.related_model
        if not relation.one_to_many or model._meta.app_label != "applications":
            continue
        if model._meta.label_lower in HIDDEN_RELATIONS or model._meta.label_lower in hidden:
            continue
        fields = [
            f
            for f in model._meta.concrete_fields
            if f.name != "id" and not (isinstance(f, models.ForeignKey) and f.remote_field.model is type(dossier))
        ]
        rows = [[_value(row, f) for f in fields] for row in getattr(dossier, relation.get_accessor_name()).all()]
        blocks.append(
            {"title": model._meta.verbose_name_plural, "headers": [f.verbose_name for f in fields], "rows": rows}
        )
    return blocks


def attachment_rows(dossier) -> list[dict]:
    """The dossier's attachments, each linked to the permission-checking download view; a PDF also gets the
    address of its inline preview (the same view, ``?inline=1``)."""
    rows = []
    for attachment in dossier.attachments.all():
        url = reverse("applications:attachment_download", kwargs={"pk": dossier.pk, "attachment_pk": attachment.pk})
        is_pdf = attachment.content_type == "application/pdf"
        rows.append({"attachment": attachment, "url": url, "preview_url": f"{url}?inline=1" if is_pdf else ""})
    return rows
