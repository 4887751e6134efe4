from django.urls import path

from hrcoop.recommendations import views

app_name = "recommendations"
urlpatterns = [
    path("<str:public_id>/", views.recommendation_page, name="detail"),
]
