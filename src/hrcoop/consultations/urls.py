"""Page routes of consultations, under the language prefix at ``/consultations/``."""

from django.urls import path

from hrcoop.consultations import views

app_name = "consultations"
urlpatterns = [
    path("", views.call_list, name="list"),
    path("new/", views.new_call, name="new"),
    path("<int:pk>/", views.public_page, name="public"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/desk/", views.desk, name="desk"),
    path("<int:pk>/invitations/", views.invitations, name="invitations"),
    path("<int:pk>/invitations/<int:invitation_pk>/revoke/", views.revoke, name="revoke"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/documents/<int:document_pk>/", views.document, name="document"),
    path("<int:pk>/answers.<str:extension>", views.export, name="export"),
]
