from django.urls import path

from hrcoop.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("my/", views.desk, name="desk"),
    path("accounts/getting-an-account/", views.getting_an_account, name="getting-an-account"),
]
