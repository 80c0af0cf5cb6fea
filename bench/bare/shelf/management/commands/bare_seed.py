from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand

from shelf.models import Author, Book


class Command(BaseCommand):
    help = "Create 20 authors, 1,200 books and a user; print the key of a logged-in session of that user."

    def handle(self, *args, **options):
        if not Book.objects.exists():
            authors = Author.objects.bulk_create([Author(name=f"Autrice {n}", city=f"Ville {n}") for n in range(20)])
            Book.objects.bulk_create(
                [
                    Book(
                        title=f"Livre {n:04d}",
                        author=authors[n % 20],
                        published_on=date(2000, 1, 1) + timedelta(days=n),
                        pages=100 + n % 300,
                    )
                    for n in range(1200)
                ]
            )
        user = get_user_model().objects.filter(username="lectrice").first()
        if user is None:
            user = get_user_model().objects.create_user("lectrice", "lectrice@example.fr", None)
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.create()
        self.stdout.write(session.session_key)
