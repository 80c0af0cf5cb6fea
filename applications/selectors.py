"""Named read queries on dossiers, shared by views, admin, exports and tests."""

from django.db.models import Exists, OuterRef, Q

from .states import DossierStatus


def dossiers_visible_to(user, *, queryset=None):
    """Officials see their own dossiers; reviewers their régions' submitted ones; coordinators all."""
    from .models import Dossier

    qs = queryset if queryset is not None else Dossier.objects.all()
    if not user.is_authenticated:
        return qs.none()
    from .rules import sees_all_dossiers

    if sees_all_dossiers(user):
        return qs
    visible = Q(owner=user) | Q(members__user=user)
    region_ids = list(user.staff_regions.values_list("pk", flat=True))
    if region_ids:
        from reviews.models import ConflictOfInterest

        # A reviewer who declared a conflict of interest on a dossier no longer sees it (reviews app).
        conflicted = Exists(ConflictOfInterest.objects.filter(dossier=OuterRef("pk"), reviewer=user))
        visible |= (
            Q(region_id__in=region_ids) & ~Q(status__in=[DossierStatus.DRAFT, DossierStatus.WITHDRAWN]) & ~Q(conflicted)
        )
    return qs.filter(visible).distinct()


def dossier_mail_recipients(dossier) -> list:
    """The owner then the co-editors (in the order they joined) who can receive mail: active, with an address,
    each once. Uses the ``members`` prefetch when the caller made one (list pages), else one query."""
    prefetched = "members" in getattr(dossier, "_prefetched_objects_cache", {})
    members = dossier.members.all() if prefetched else dossier.members.select_related("user")
    people = [dossier.owner] if dossier.owner_id else []
    people += [member.user for member in sorted(members, key=lambda member: member.pk)]
    seen, unique = set(), []
    for person in people:
        if person.pk not in seen and person.is_active and person.email:
            seen.add(person.pk)
            unique.append(person)
    return unique
