"""Page routes of the assistance app, under the language prefix at ``/assistance/``."""

from django.urls import path

from hrcoop.assistance import views
from hrcoop.assistance.feeds import RegisterFeed

app_name = "assistance"
urlpatterns = [
    path("process/", views.process, name="process"),
    path("process.svg", views.process_svg, name="process-svg"),
    path("", views.register, name="register"),
    path("register.csv", views.register_csv, name="register-csv"),
    path("feed/", RegisterFeed(), name="feed"),
    path("timeliness/", views.timeliness, name="timeliness"),
    path("new/", views.new_request, name="new"),
    path("new/recommendations/", views.recommendation_picker, name="picker"),
    path("mine/", views.mine, name="mine"),
    path("queue/", views.queue, name="queue"),
    path("agenda/", views.agenda, name="agenda"),
    path("board-sessions/", views.board_sessions, name="board-sessions"),
    path("requests/<str:public_id>/", views.detail, name="detail"),
    path("requests/<str:public_id>/edit/", views.edit_request, name="edit"),
    path("requests/<str:public_id>/confirm/<str:step>/", views.confirm, name="confirm"),
    path("requests/<str:public_id>/documents/<int:pk>/", views.attachment, name="attachment"),
]
