from django.shortcuts import render
from django.utils import timezone

from applications.models import Wave


def home(request):
    now = timezone.now()
    open_waves = Wave.objects.open_at(now).select_related("campaign").order_by("closes_at")
    upcoming_waves = Wave.objects.filter(opens_at__gt=now).select_related("campaign").order_by("opens_at")[:3]
    return render(request, "public/home.html", {"open_waves": open_waves, "upcoming_waves": upcoming_waves, "now": now})
