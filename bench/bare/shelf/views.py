from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .models import Book


def small(request):
    return render(request, "small.html", {"title": "Une petite page"})


def _fifty_books():
    return Book.objects.select_related("author")[:50]


def book_list(request):
    return render(request, "list.html", {"books": _fifty_books()})


@login_required
def me(request):
    return render(request, "me.html")


@login_required
def my_list(request):
    return render(request, "list.html", {"books": _fifty_books()})
