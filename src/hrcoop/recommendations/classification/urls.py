from django.urls import path

from hrcoop.recommendations.classification import views

app_name = "classification"
urlpatterns = [
    path("", views.methods, name="methods"),
    path("review/", views.review, name="review"),
]
