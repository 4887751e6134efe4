"""API routes of cooperation, mounted at ``/api/cooperation/``."""

from django.urls import path

from hrcoop.cooperation import api

urlpatterns = [
    path("offers/", api.OfferListView.as_view(), name="cooperation-api-offers"),
    path("offers/<int:pk>/", api.OfferDetailView.as_view(), name="cooperation-api-offer"),
    path("offers/<int:pk>/withdrawal/", api.OfferWithdrawalView.as_view(), name="cooperation-api-withdraw"),
    path("offers/<int:pk>/moderation/", api.OfferModerationView.as_view(), name="cooperation-api-moderate"),
    path("offers/<int:pk>/needs/", api.OfferNeedsView.as_view(), name="cooperation-api-offer-needs"),
    path("good-practices/", api.GoodPracticeListView.as_view(), name="cooperation-api-practices"),
    path(
        "needs/<str:kind>/<str:public_id>/offers/",
        api.OffersForNeedView.as_view(),
        name="cooperation-api-need",
    ),
    path("matches/", api.MatchListView.as_view(), name="cooperation-api-matches"),
    path("matches/<int:pk>/", api.MatchDetailView.as_view(), name="cooperation-api-match"),
    path("matches/<int:pk>/confirm/", api.MatchConfirmView.as_view(), name="cooperation-api-confirm"),
    path("dialogues/", api.DialogueListView.as_view(), name="cooperation-api-dialogues"),
    path("dialogues/<int:pk>/", api.DialogueDetailView.as_view(), name="cooperation-api-dialogue"),
    path(
        "dialogues/<int:pk>/follow-ups/<int:follow_up_pk>/done/",
        api.FollowUpDoneView.as_view(),
        name="cooperation-api-follow-up-done",
    ),
]
