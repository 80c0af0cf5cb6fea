"""Named read queries on dossiers, shared by views, admin, exports and tests."""

from django.db.models import Exists, OuterRef, Q

from ami_portal.links import absolute_url
from applications.states import DossierStatus


def dossiers_visible_to(user, *, queryset=None):
    """Officials see their own dossiers; reviewers their régions' submitted ones; coordinators all."""
    from applications.models import Dossier

    qs = queryset if queryset is not None else Dossier.objects.all()
    if not user.is_authenticated:
        return qs.none()
    from applications.rules import sees_all_dossiers

    if sees_all_dossiers(user):
        return qs
    # Conditions on the dossier row and subqueries only: no join that could repeat a dossier, hence no
    # DISTINCT over every column of the dossier (which PostgreSQL sorted or hashed on each list page).
    visible = Q(pk__in=dossier_ids_edited_by(user))
    region_ids = user.staff_region_ids
    if region_ids:
        from reviews.models import ConflictOfInterest

        # A reviewer who declared a conflict of interest on a dossier no longer sees it (reviews app).
        conflicted = Exists(ConflictOfInterest.objects.filter(dossier=OuterRef("pk"), reviewer=user))
        visible |= (
            Q(region_id__in=region_ids) & ~Q(status__in=[DossierStatus.DRAFT, DossierStatus.WITHDRAWN]) & ~Q(conflicted)
        )
    return qs.filter(visible)


def dossier_ids_edited_by(user):
    """The ids of the dossiers ``user`` holds or co-edits, as a subquery to filter on (``pk__in``) without a join.

    One UNION ALL of two index lookups, whose size PostgreSQL knows. Written as ``owner = user OR EXISTS(member)``
    it was estimated at half the table, and the official's dossier list then hashed every commune and every user to
    join them (8 ms instead of 0.3 ms on the benchmark's data, issue 13)."""
    from applications.models import Dossier, DossierMember

    held = Dossier.objects.filter(owner=user).order_by().values("pk")
    return held.union(DossierMember.objects.filter(user=user).order_by().values("dossier_id"), all=True)


def dossiers_for_holder_staff(user, *, queryset=None):
    """Dossiers (drafts included) whose holders ``user`` may verify and change: every dossier for superusers,
    coordinators and administrators; those of their régions for regional reviewers, except the ones on which
    they declared a conflict of interest; none for anyone else."""
    from applications import rules as dossier_rules
    from applications.models import Dossier

    qs = queryset if queryset is not None else Dossier.objects.all()
    if not (user.is_authenticated and user.is_staff and user.is_active):
        return qs.none()
    if dossier_rules.manages_holders_everywhere(user):
        return qs
    if not user.has_perm("applications.manage_dossier_holders"):
        return qs.none()
    from reviews.models import ConflictOfInterest

    conflicted = Exists(ConflictOfInterest.objects.filter(dossier=OuterRef("pk"), reviewer=user))
    region_ids = user.staff_region_ids
    return qs.filter(region_id__in=region_ids).exclude(conflicted)


def dossier_mail_recipients(dossier) -> list:
    """The owner then the co-editors (in the order they joined) who can receive mail: active, with an address,
    each once. Uses the ``members`` prefetch when the caller made one (list pages), or the ``has_co_editors``
    annotation when it says there is none (the submission's locked read), else one query."""
    if "members" in getattr(dossier, "_prefetched_objects_cache", {}):
        members = dossier.members.all()
    elif getattr(dossier, "has_co_editors", True) is False:
        members = []
    else:
        members = dossier.members.select_related("user")
    people = [dossier.owner] if dossier.owner_id else []
    people += [member.user for member in sorted(members, key=lambda member: member.pk)]
    seen, unique = set(), []
    for person in people:
        if person.pk not in seen and person.is_active and person.email:
            seen.add(person.pk)
            unique.append(person)
    return unique


def dossier_mail_context(dossier, *, wave=None) -> dict:
    """What every e-mail about ``dossier`` says of it: reference, applicant, campaign and an absolute link to its page
    (on ``SITE_URL``); with ``wave``, also its title and that wave's number."""
    from django.urls import reverse

    context = {
        "reference": dossier.reference,
        "applicant": dossier.applicant_name,
        "campaign": dossier.campaign.name,
        "dossier_url": absolute_url(reverse("applications:dossier", kwargs={"pk": dossier.pk})),
    }
    if wave is not None:
        context |= {"title": dossier.title, "wave_number": wave.number}
    return context
