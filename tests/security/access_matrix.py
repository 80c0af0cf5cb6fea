"""Who may GET what: the expected outcome of every URL name for each role (see test_access_matrix.py).

Outcomes: an HTTP status (200, 403, 404, 405) or one of the redirect kinds LOGIN (to the site's log-in page),
ADMIN_LOGIN (to the admin's log-in page) and REDIRECT (anywhere else).
Roles: anonymous, official_a (owns dossier A, région X), official_b (owns dossier B, région Y), reviewer_x,
reviewer_y, coordinator, press (see access_world.py).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import resolve_url
from django.urls import reverse

LOGIN = "login"
ADMIN_LOGIN = "admin-login"
REDIRECT = "redirect"

OFFICIALS = ("official_a", "official_b")
REVIEWERS = ("reviewer_x", "reviewer_y")
STAFF = ("reviewer_x", "reviewer_y", "coordinator")


def _site_login_path() -> str:
    return resolve_url(settings.LOGIN_URL)


def outcome(response):
    if response.status_code in (301, 302, 303):
        location = response.headers["Location"]
        if location.startswith(reverse("admin:login")):
            return ADMIN_LOGIN
        if location.startswith(_site_login_path()):
            return LOGIN
        return REDIRECT
    return response.status_code


@dataclass
class Rule:
    """``default`` for every role not listed in ``roles``; ``kwargs(world)`` builds the URL's arguments."""

    default: object
    roles: dict = field(default_factory=dict)
    kwargs: object = None

    def expected(self, role: str):
        return self.roles.get(role, self.default)


def rule(default, *, kwargs=None, **roles) -> Rule:
    return Rule(default=default, roles=roles, kwargs=kwargs)


def each(roles, value) -> dict:
    return dict.fromkeys(roles, value)


def _dossier_a(world):
    return {"pk": world.dossier_a.pk}


def _attachment_a(world):
    return {"pk": world.dossier_a.pk, "attachment_pk": world.attachment.pk}


def _submission_a(world):
    return {"pk": world.dossier_a.pk, "submission_pk": world.submission.pk}


PRESS_AREA = {"press": 200, "coordinator": 200}
READERS_OF_A = {"official_a": 200, "reviewer_x": 200, "coordinator": 200}

# --- The site -----------------------------------------------------------------------------------------------------

SITE: dict[str, Rule] = {
    "home": rule(200),
    # set_language only acts on POST; a GET goes back where it came from.
    "set_language": rule(REDIRECT),
    # --- accounts: sign-up and log-in send people already logged in on; the rest is public or their own
    "accounts:signup": rule(REDIRECT, anonymous=200),
    "accounts:signup_done": rule(200),
    "accounts:resend_verification": rule(200),
    # A forged verification link is refused.
    "accounts:verify": rule(400, kwargs=lambda world: {"uidb64": "MQ", "token": "invalid-token"}),
    "accounts:login": rule(REDIRECT, anonymous=200),
    # GET shows the log-out button; logging out itself is a POST.
    "accounts:logout": rule(200),
    "accounts:password_reset": rule(200),
    "accounts:password_reset_done": rule(200),
    # An invalid reset link shows the "link no longer valid" page.
    "accounts:password_reset_confirm": rule(200, kwargs=lambda world: {"uidb64": "MQ", "token": "invalid-token"}),
    "accounts:password_reset_complete": rule(200),
    "accounts:password_change": rule(200, anonymous=LOGIN),
    "accounts:profile": rule(200, anonymous=LOGIN),
    "accounts:privacy": rule(200),
    # Single sign-on of Cnam staff: off by default (no OIDC_ISSUER), so both answer 404 here. Switched on, the log-in
    # sends anonymous visitors to the provider and everyone logged in to their landing page; the callback answers
    # the French refusal page without a valid state (tests/accounts/test_sso_flow.py, test_sso_off.py).
    "accounts:sso_login": rule(404),
    "accounts:sso_callback": rule(404),
    # --- territories search (used by the sign-up and dossier forms, public reference data)
    "cities:commune_search": rule(200),
    # The call's public page, its eligibility check and its documents: readable by anyone, before signing up.
    "applications:campaign": rule(200, kwargs=lambda world: {"slug": world.campaign.slug}),
    "applications:campaign_eligibility": rule(200, kwargs=lambda world: {"slug": world.campaign.slug}),
    # No such document: the view looks it up within the campaign.
    "applications:campaign_document": rule(404, kwargs=lambda world: {"slug": world.campaign.slug, "pk": 999999}),
    "cities:epci_search": rule(200),
    # --- public results and open data: published laureates only, for everyone
    "sitemap": rule(200),
    "results-index": rule(200),
    "results-campaign": rule(200, kwargs=lambda world: {"slug": world.past_campaign.slug}),
    "results-wave": rule(200, kwargs=lambda world: {"slug": world.past_campaign.slug, "number": 1}),
    "results-laureate": rule(
        200, kwargs=lambda world: {"slug": world.past_campaign.slug, "code": world.laureate.commune.insee_code}
    ),
    "opendata": rule(200),
    "opendata-csv": rule(200),
    "opendata-json": rule(200),
    "opendata-campaign-csv": rule(200, kwargs=lambda world: {"slug": world.past_campaign.slug}),
    "opendata-campaign-json": rule(200, kwargs=lambda world: {"slug": world.past_campaign.slug}),
    # --- the territorial network (network app): public pages; the antenna's page and its signed agreement belong
    # to the laureate's officials (official A co-edits it), the agreement also to the staff of its région (X).
    "network:overview": rule(200),
    "network:campaign": rule(200, kwargs=lambda world: {"slug": world.past_campaign.slug}),
    "network:reports": rule(404, kwargs=lambda world: {"pk": world.antenna.pk}, anonymous=LOGIN, official_a=200),
    "network:convention": rule(
        404,
        kwargs=lambda world: {"pk": world.antenna.pk},
        anonymous=LOGIN,
        official_a=200,
        reviewer_x=200,
        coordinator=200,
    ),
    # --- press area: the press and coordinators; anonymous visitors log in; everyone else is refused
    "press-home": rule(403, anonymous=LOGIN, **PRESS_AREA),
    "press-export": rule(403, anonymous=LOGIN, **PRESS_AREA),
    "press-wave": rule(
        403, kwargs=lambda world: {"slug": world.past_campaign.slug, "number": 1}, anonymous=LOGIN, **PRESS_AREA
    ),
    # An export job belongs to whoever asked for it (the press user here) and to coordinators.
    "press-job": rule(403, kwargs=lambda world: {"pk": world.export_job.pk}, anonymous=LOGIN, **PRESS_AREA),
    "press-job-download": rule(403, kwargs=lambda world: {"pk": world.export_job.pk}, anonymous=LOGIN, **PRESS_AREA),
    # --- the official's home and the dossier (dossier A is submitted: it is read-only for everyone)
    "applications:home": rule(200, anonymous=LOGIN),
    # Only officials have a territory to apply for.
    "applications:start": rule(
        404, kwargs=lambda world: {"slug": world.campaign.slug}, anonymous=LOGIN, **each(OFFICIALS, 200)
    ),
    "applications:join_request": rule(405, kwargs=lambda world: {"slug": world.campaign.slug}, anonymous=LOGIN),
    # The secret token is the capability; accepting is refused to any address but the invited one (service rule).
    # Anonymous visitors are sent to sign up (the invited address has no account) or to log in.
    "applications:invitation": rule(200, kwargs=lambda world: {"token": world.invitation.token}, anonymous=REDIRECT),
    "applications:dossier": rule(404, kwargs=_dossier_a, anonymous=LOGIN, **READERS_OF_A),
    # Editors of a dossier that is no longer a draft are sent to its read-only page; nobody else may edit it.
    "applications:section": rule(
        404, kwargs=lambda world: {"pk": world.dossier_a.pk, "key": "territory"}, anonymous=LOGIN, official_a=REDIRECT
    ),
    "applications:autosave": rule(
        405,
        kwargs=lambda world: {"pk": world.dossier_a.pk, "key": "territory", "field": "territory_presentation"},
        anonymous=LOGIN,
    ),
    "applications:team": rule(404, kwargs=_dossier_a, anonymous=LOGIN, official_a=200),
    "applications:remove_member": rule(
        405, kwargs=lambda world: {"pk": world.dossier_a.pk, "member_pk": world.co_editor.pk}, anonymous=LOGIN
    ),
    # POST only (the holder answers from the co-editors page).
    "applications:answer_join_request": rule(
        405, kwargs=lambda world: {"pk": world.dossier_a.pk, "request_pk": 1}, anonymous=LOGIN
    ),
    "applications:revoke_invitation": rule(
        405, kwargs=lambda world: {"pk": world.dossier_a.pk, "invitation_pk": world.invitation.pk}, anonymous=LOGIN
    ),
    # --- attachments, submission, receipts (dossier A: submitted, région X, owned by official A).
    # Its owner, the reviewers of région X and the coordinator may read it; for anyone else it does not exist.
    "applications:attachments": rule(404, kwargs=_dossier_a, anonymous=LOGIN, **READERS_OF_A),
    # The whole dossier as a document: its readers; the ZIP with attachments for its staff readers only.
    # The message thread: the dossier's editors and its instructing staff.
    "applications:messages": rule(404, kwargs=_dossier_a, anonymous=LOGIN, **READERS_OF_A),
    "applications:message_file": rule(
        404, kwargs=lambda world: {"pk": world.dossier_a.pk, "file_pk": 999999}, anonymous=LOGIN
    ),
    "applications:dossier_print": rule(404, kwargs=_dossier_a, anonymous=LOGIN, **READERS_OF_A),
    "applications:dossier_pdf": rule(404, kwargs=_dossier_a, anonymous=LOGIN, **READERS_OF_A),
    "applications:dossier_zip": rule(404, kwargs=_dossier_a, anonymous=LOGIN, **{**READERS_OF_A, "official_a": 403}),
    "applications:attachment_download": rule(404, kwargs=_attachment_a, anonymous=LOGIN, **READERS_OF_A),
    # GET asks for confirmation, to editors only; dossier A is submitted, so its owner is sent back to the list.
    "applications:attachment_delete": rule(404, kwargs=_attachment_a, anonymous=LOGIN, official_a=REDIRECT),
    # Dossier A is already submitted: its owner is sent back to the dossier.
    "applications:submit": rule(404, kwargs=_dossier_a, anonymous=LOGIN, official_a=REDIRECT),
    "applications:receipt_latest": rule(404, kwargs=_dossier_a, anonymous=LOGIN, **each(READERS_OF_A, REDIRECT)),
    "applications:receipt": rule(404, kwargs=_submission_a, anonymous=LOGIN, **READERS_OF_A),
    "applications:receipt_pdf": rule(404, kwargs=_submission_a, anonymous=LOGIN, **READERS_OF_A),
    # Only an editor may withdraw (the page asks for confirmation).
    "applications:withdraw": rule(404, kwargs=_dossier_a, anonymous=LOGIN, official_a=200),
    # --- the read API (api/): its documentation and schema are public; the public endpoints answer anyone; the
    # staff endpoints take a token only, so a logged-in session opens nothing there (401 for every role). Calls with
    # each role's token: API_WITH_TOKENS below.
    "api:docs": rule(200),
    # The API's root only anchors its URLs (django-ninja): nothing there.
    "api-v1:api-root": rule(404),
    "api-v1:openapi-json": rule(200),
    "api-v1:public-campaigns": rule(200),
    "api-v1:public-waves": rule(200),
    "api-v1:public-laureates": rule(200),
    "api-v1:public-network": rule(200),
    "api-v1:staff-dossiers": rule(401),
    "api-v1:staff-dossier": rule(401, kwargs=lambda world: {"dossier_id": world.dossier_a.pk}),
    "api-v1:staff-review-progress": rule(401),
    # The staff member's API tokens, in their account: staff who may read dossiers in the admin.
    "api_tokens:list": rule(403, anonymous=LOGIN, **each(STAFF, 200)),
    # Revoking is POST only.
    "api_tokens:revoke": rule(405, kwargs=lambda world: {"pk": 1}, anonymous=LOGIN),
}

# --- The admin's own views ----------------------------------------------------------------------------------------


def _view_on_site(world):
    return {"content_type_id": ContentType.objects.get_for_model(world.dossier_a).pk, "object_id": world.dossier_a.pk}


NON_STAFF_ADMIN = {"anonymous": ADMIN_LOGIN, **each(OFFICIALS, ADMIN_LOGIN), "press": ADMIN_LOGIN}

ADMIN_SITE: dict[str, Rule] = {
    "admin:index": rule(200, **NON_STAFF_ADMIN),
    # The log-in page itself: staff already logged in are sent on to the index.
    "admin:login": rule(200, **each(STAFF, REDIRECT)),
    # Log-out is POST only; the admin sends non-staff visitors of its log-out page to its index.
    "admin:logout": rule(405, anonymous=REDIRECT, **each(OFFICIALS, REDIRECT), press=REDIRECT),
    "admin:password_change": rule(200, **NON_STAFF_ADMIN),
    "admin:password_change_done": rule(200, **NON_STAFF_ADMIN),
    # Without its query parameters the autocomplete refuses.
    "admin:autocomplete": rule(403, **NON_STAFF_ADMIN),
    "admin:jsi18n": rule(200, **NON_STAFF_ADMIN),
    # Dossiers have no public URL of their own.
    "admin:view_on_site": rule(404, kwargs=_view_on_site, **NON_STAFF_ADMIN),
    # An app's page exists only for staff holding a permission on one of its models.
    # Importing programme memberships needs both add and change permission on them.
    "admin:cities_programmemembership_import": rule(403, **NON_STAFF_ADMIN),
    # --- review pages of the dossier admin (reviews/admin/dossier.py); dossier A is in région X
    # --- review pages of the dossier admin (reviews/admin/dossier.py); dossier A is submitted, in région X
    "admin:applications_dossier_dashboard": rule(200, **NON_STAFF_ADMIN),
    # "My reviews", the reviewer's queue: every staff role reading dossiers (a coordinator's queue is empty).
    "admin:applications_dossier_my_reviews": rule(200, **NON_STAFF_ADMIN),
    "admin:applications_dossier_rankings": rule(403, coordinator=200, **NON_STAFF_ADMIN),
    "admin:applications_dossier_ranking": rule(
        403, kwargs=lambda world: {"wave_id": world.wave.pk}, coordinator=200, **NON_STAFF_ADMIN
    ),
    # Reviewing is for the région's reviewers (the page starts the review, then sends to its form).
    "admin:applications_dossier_review": rule(
        403, kwargs=_dossier_a, reviewer_x=REDIRECT, reviewer_y=404, **NON_STAFF_ADMIN
    ),
    "admin:applications_dossier_conflict": rule(
        403, kwargs=_dossier_a, reviewer_x=200, reviewer_y=404, **NON_STAFF_ADMIN
    ),
    "admin:applications_dossier_note": rule(405, kwargs=_dossier_a, **NON_STAFF_ADMIN),
    # The staff discussion is POST only (read on the dossier's page; tests/reviews/test_discussion.py).
    "admin:applications_dossier_discussion": rule(405, kwargs=_dossier_a, **NON_STAFF_ADMIN),
    "admin:applications_dossier_decide": rule(
        403, kwargs=_dossier_a, coordinator=200, reviewer_y=404, **NON_STAFF_ADMIN
    ),
    # --- holders and mandate verification (applications/admin/holders.py): regional staff of the dossier's
    # région and coordinators; a reviewer of another région finds nothing (404).
    "admin:applications_dossier_mandates": rule(200, **NON_STAFF_ADMIN),
    "admin:applications_dossier_holders": rule(200, kwargs=_dossier_a, reviewer_y=404, **NON_STAFF_ADMIN),
    "admin:applications_dossier_mandate_document": rule(200, kwargs=_attachment_a, reviewer_y=404, **NON_STAFF_ADMIN),
    # Users are managed by administrators only (no role of the matrix holds the user permissions).
    "admin:auth_user_password_change": rule(
        403, kwargs=lambda world: {"id": world.users["official_a"].pk}, **NON_STAFF_ADMIN
    ),
    # The coverage map: staff who may view antennas (regional staff see their régions' candidates).
    "admin:network_antenna_coverage": rule(200, **NON_STAFF_ADMIN),
    "admin:app_list": rule(200, kwargs=lambda world: {"app_label": "applications"}, **NON_STAFF_ADMIN),
}

# --- The admin's model views ----------------------------------------------------------------------------------------


@dataclass
class AdminModel:
    """Which roles hold each model permission, and which roles do not see the world's object of that model."""

    view: tuple = ()
    add: tuple = ()
    change: tuple = ()
    delete: tuple = ()
    hidden_from: tuple = ()
    obj: object = None  # world -> the instance used for change/delete/history (default: first row, if any)
    # Admins with the rules mixin (reviews) look objects up among those the user may see: 404 when it is not there
    # (the change view looks up first; delete and history check the permission first).
    scoped_404: bool = False


NOBODY = ()
COORDINATOR = ("coordinator",)

ADMIN_MODELS: dict[str, AdminModel] = {
    "auth_group": AdminModel(),
    "axes_accessattempt": AdminModel(),
    "axes_accesslog": AdminModel(),
    "axes_accessfailurelog": AdminModel(),
    "django_celery_beat_periodictask": AdminModel(),
    "django_celery_beat_clockedschedule": AdminModel(),
    "django_celery_beat_crontabschedule": AdminModel(),
    "django_celery_beat_solarschedule": AdminModel(),
    "django_celery_beat_intervalschedule": AdminModel(),
    "applications_campaign": AdminModel(obj=lambda world: world.campaign),
    "applications_wave": AdminModel(obj=lambda world: world.wave),
    # Dossiers in the admin: reviewers see their régions' submitted dossiers, coordinators all; nobody adds or
    # deletes one there (status changes go through the review and decision pages).
    "applications_dossier": AdminModel(
        view=STAFF, hidden_from=("reviewer_y",), scoped_404=True, obj=lambda world: world.dossier_a
    ),
    "reviews_scoringgrid": AdminModel(view=COORDINATOR, add=COORDINATOR, change=COORDINATOR, delete=COORDINATOR),
    # Reviews, assignments and conflicts: every reviewer lists their own; rows are read through the dossier pages.
    # The review due date of a wave (reminders to reviewers): coordinators set it.
    "reviews_reviewdeadline": AdminModel(view=COORDINATOR, add=COORDINATOR, change=COORDINATOR, delete=COORDINATOR),
    "reviews_review": AdminModel(view=STAFF, scoped_404=True),
    "reviews_assignment": AdminModel(view=STAFF, scoped_404=True),
    "reviews_conflictofinterest": AdminModel(view=STAFF, scoped_404=True),
    "reviews_decision": AdminModel(view=COORDINATOR, scoped_404=True),
    "accounts_user": AdminModel(obj=lambda world: world.users["official_a"]),  # administrators only
    # Single sign-on mappings (claim value → roles and régions): administrators only.
    "accounts_ssorolemapping": AdminModel(),
    # Accounts bound to the provider (read-only; administrators may delete a binding).
    "accounts_ssoidentity": AdminModel(),
    # E-mails are read-only records (never added, changed or deleted in the admin).
    "notifications_outboxmessage": AdminModel(),
    "cities_region": AdminModel(obj=lambda world: world.region_x),
    "cities_departement": AdminModel(),
    "cities_epci": AdminModel(),
    "cities_commune": AdminModel(obj=lambda world: world.commune_a),
    "cities_programmemembership": AdminModel(),
    # Export jobs are read-only records (the "add" page is the export form); coordinators only.
    "public_exportjob": AdminModel(
        view=COORDINATOR, add=COORDINATOR, delete=COORDINATOR, obj=lambda world: world.export_job
    ),
    # Antennas: regional staff see and update their régions' (antenna of région X), coordinators all; nobody
    # deletes one. Yearly reports are added by officials on the site, validated here. The log is read-only.
    "network_antenna": AdminModel(
        view=STAFF,
        add=COORDINATOR,
        change=STAFF,
        hidden_from=("reviewer_y",),
        scoped_404=True,
        obj=lambda world: world.antenna,
    ),
    "network_antennareport": AdminModel(view=STAFF, change=STAFF, hidden_from=("reviewer_y",), scoped_404=True),
    "network_antennalogentry": AdminModel(view=STAFF, hidden_from=("reviewer_y",), scoped_404=True),
    "network_cnamcentre": AdminModel(
        view=STAFF, add=COORDINATOR, change=COORDINATOR, delete=COORDINATOR, obj=lambda world: world.cnam_centre
    ),
    "public_wavepublicationsettings": AdminModel(
        view=COORDINATOR, add=COORDINATOR, change=COORDINATOR, delete=COORDINATOR
    ),
    # API tokens: administrators only (users' managers); each staff member manages theirs in their account.
    "api_apitoken": AdminModel(),
}


def _admin_object(world, label):
    spec = ADMIN_MODELS[label]
    if spec.obj is not None:
        return spec.obj(world)
    from django.apps import apps

    for model in apps.get_models():
        if f"{model._meta.app_label}_{model._meta.model_name}" == label:
            return model._default_manager.order_by("pk").first()
    raise LookupError(label)


def _is_staff(world, role) -> bool:
    user = world.users[role]
    return user is not None and user.is_staff


def admin_expectation(world, role: str, label: str, action: str):
    """Django admin's behaviour given the permissions declared in ADMIN_MODELS."""
    if not _is_staff(world, role):
        return ADMIN_LOGIN
    spec = ADMIN_MODELS[label]
    can_view = role in spec.view or role in spec.change
    if action == "changelist":
        return 200 if can_view else 403
    if action == "add":
        return 200 if role in spec.add else 403
    found = _admin_object(world, label) is not None and role not in spec.hidden_from
    if spec.scoped_404:
        allowed = role in spec.delete if action == "delete" else can_view
        if action == "change" and not found:  # the change view looks the object up first
            return 404
        return (200 if found else 404) if allowed else 403
    # The history view looks the object up before checking permissions; change and delete check first.
    if action == "history" and not found:
        return REDIRECT
    allowed = role in spec.delete if action == "delete" else can_view
    if not allowed:
        return 403
    return 200 if found else REDIRECT


def kwargs_for(world, name: str) -> dict:
    if name in SITE:
        maker = SITE[name].kwargs
    elif name in ADMIN_SITE:
        maker = ADMIN_SITE[name].kwargs
    else:
        label = name[len("admin:") :].rpartition("_")[0]
        if name.endswith("_changelist") or name.endswith("_add"):
            return {}
        obj = _admin_object(world, label)
        return {"object_id": obj.pk if obj is not None else 0}
    return maker(world) if maker else {}


# --- The "decision visible" dimension -----------------------------------------------------------------------------
#
# Dossier A is decided ("not retained") while its wave's results are still to be published. For each surface that
# shows a dossier's status: the roles that read the decision there. Those who may know decisions early read it one
# second before the wave's publication; the others only from the publication instant (before, they see "under
# review"); a role not listed never reads it there (it cannot open the page, or the page is not about dossier A).

DECISION_TEXT = "Non retenu"
KNOW_DECISIONS_EARLY = ("coordinator", "committee", "superuser")


def _whole_page(text: str, world) -> str:
    return text


def _status_cells(text: str, world) -> str:
    """The changelist's status column only (its filter lists every status)."""
    import re

    return " ".join(re.findall(r'<td class="field-shown_status_label">([^<]*)</td>', text))


def _form_page_header(text: str, world) -> str:
    """The line naming the dossier and its status (the decision form itself lists every outcome)."""
    import re

    found = re.search(rf"{world.dossier_a.reference}[^<]*\(([^()<]*)\)</p>", text)
    return found.group(1) if found else ""


@dataclass
class DecisionSurface:
    url: object  # world -> URL
    readers: tuple
    part: object = _whole_page  # (text, world) -> the part of the page that states dossier A's status


ADMIN_READERS = ("reviewer_x", "coordinator", "committee", "superuser")

DECISION_SURFACES: dict[str, DecisionSurface] = {
    "applications:home": DecisionSurface(lambda world: reverse("applications:home"), ("official_a",)),
    "applications:dossier": DecisionSurface(
        lambda world: reverse("applications:dossier", kwargs=_dossier_a(world)), ("official_a", *ADMIN_READERS)
    ),
    "applications:receipt": DecisionSurface(
        lambda world: reverse("applications:receipt", kwargs=_submission_a(world)), ()
    ),
    "admin:applications_dossier_changelist": DecisionSurface(
        lambda world: reverse("admin:applications_dossier_changelist"), ADMIN_READERS, _status_cells
    ),
    "admin:applications_dossier_change": DecisionSurface(
        lambda world: reverse("admin:applications_dossier_change", args=[world.dossier_a.pk]), ADMIN_READERS
    ),
    "admin:applications_dossier_dashboard": DecisionSurface(
        lambda world: reverse("admin:applications_dossier_dashboard"), ADMIN_READERS
    ),
    "admin:applications_dossier_ranking": DecisionSurface(
        lambda world: reverse("admin:applications_dossier_ranking", kwargs={"wave_id": world.wave.pk}),
        KNOW_DECISIONS_EARLY,
    ),
    "admin:applications_dossier_conflict": DecisionSurface(
        # Superusers hold every permission, so they may open the reviewer's conflict form too.
        lambda world: reverse("admin:applications_dossier_conflict", kwargs=_dossier_a(world)),
        ("reviewer_x", "superuser"),
        _form_page_header,
    ),
    "admin:applications_dossier_decide": DecisionSurface(
        lambda world: reverse("admin:applications_dossier_decide", kwargs=_dossier_a(world)),
        ("coordinator", "superuser"),
        _form_page_header,
    ),
}


def decision_expected(role: str, surface: str, *, after_publication: bool) -> bool:
    """Whether ``role`` reads dossier A's decision on ``surface`` one second before / after its publication."""
    if role not in DECISION_SURFACES[surface].readers:
        return False
    return after_publication or role in KNOW_DECISIONS_EARLY


# --- The read API called with each role's personal token (access_world.mint_api_tokens) ----------------------------
#
# Every URL name of the API (``api-v1:``) has an entry: the outcome with the role's token, one second before and one
# second after the publication of dossier A's wave (the outcome does not change; what is read does, below). Without
# a token (anonymous) the staff endpoints answer 401; a token whose holder is not Cnam staff who may read dossiers
# in the admin (officials, the press) 403; a dossier outside the holder's admin list 404.

API_STAFF_READERS = ("reviewer_x", "reviewer_y", "coordinator", "committee", "superuser")

API_WITH_TOKENS: dict[str, Rule] = {
    "api-v1:api-root": rule(404),
    "api-v1:openapi-json": rule(200),
    "api-v1:public-campaigns": rule(200),
    "api-v1:public-waves": rule(200),
    "api-v1:public-laureates": rule(200),
    "api-v1:public-network": rule(200),
    "api-v1:staff-dossiers": rule(403, anonymous=401, **each(API_STAFF_READERS, 200)),
    "api-v1:staff-dossier": rule(
        403,
        kwargs=lambda world: {"dossier_id": world.dossier_a.pk},
        anonymous=401,
        **{**each(API_STAFF_READERS, 200), "reviewer_y": 404},
    ),
    "api-v1:staff-review-progress": rule(403, anonymous=401, **each(API_STAFF_READERS, 200)),
}

# Where dossier A's decision (« not_retained ») may be read through the API: the staff endpoints, by those who see
# dossier A in the admin; before the publication only by those who may know decisions early.
API_DECISION_SURFACES = {
    "api-v1:staff-dossiers": ("reviewer_x", *KNOW_DECISIONS_EARLY),
    "api-v1:staff-dossier": ("reviewer_x", *KNOW_DECISIONS_EARLY),
}
# Where laureate L (decided before its wave's publication) appears: the public endpoints, for everyone, from the
# publication on; never before, whoever asks (a token changes nothing there).
API_LAUREATE_SURFACES = ("api-v1:public-laureates", "api-v1:public-network")


def api_decision_expected(role: str, name: str, *, after_publication: bool) -> bool:
    if role not in API_DECISION_SURFACES.get(name, ()):
        return False
    return after_publication or role in KNOW_DECISIONS_EARLY
