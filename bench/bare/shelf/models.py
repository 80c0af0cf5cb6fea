from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=100)
    city = models.CharField(max_length=100)

    def __str__(self):
        return self.name


class Book(models.Model):
    title = models.CharField(max_length=200)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")
    published_on = models.DateField()
    pages = models.PositiveIntegerField()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title
