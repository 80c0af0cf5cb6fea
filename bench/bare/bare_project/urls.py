from django.urls import path
from shelf import views

urlpatterns = [
    path("small/", views.small, name="small"),
    path("list/", views.book_list, name="list"),
    path("me/", views.me, name="me"),
    path("me/list/", views.my_list, name="my-list"),
]
