"""Page routes of cooperation, under the language prefix at ``/cooperation/``."""

from django.urls import path

from hrcoop.cooperation import views

app_name = "cooperation"
urlpatterns = [
    path("", views.offers_page, name="offers"),
    path("good-practices/", views.practices_page, name="practices"),
    path("offers/new/", views.new_offer, name="new-offer"),
    path("offers/<int:pk>/", views.offer_page, name="offer"),
    path("offers/<int:pk>/edit/", views.edit_offer, name="edit-offer"),
    path("offers/<int:pk>/withdraw/", views.withdraw_offer, name="withdraw-offer"),
    path("offers/<int:pk>/moderate/", views.moderate, name="moderate"),
    path("moderation/", views.moderation_page, name="moderation"),
    path("needs/", views.needs_page, name="needs"),
    path("needs/<str:kind>/<str:public_id>/", views.need_page, name="need"),
    path("needs/<str:kind>/<str:public_id>/offers/<int:offer_pk>/", views.propose, name="propose"),
    path("matches/<int:pk>/", views.match_page, name="match"),
    path("matches/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("records/", views.records_page, name="records"),
    path("dialogues/", views.dialogues_page, name="dialogues"),
    path("dialogues/new/", views.new_dialogue, name="new-dialogue"),
    path("dialogues/<int:pk>/", views.dialogue_page, name="dialogue"),
    path(
        "dialogues/<int:pk>/follow-ups/<int:follow_up_pk>/done/",
        views.complete_follow_up,
        name="follow-up-done",
    ),
]
