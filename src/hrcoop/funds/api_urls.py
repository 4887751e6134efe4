"""API routes of the funds, mounted at ``/api/funds/``."""

from django.urls import path

from hrcoop.funds import api

urlpatterns = [
    path("", api.FundListView.as_view(), name="funds-api-list"),
    path("donors/", api.DonorListView.as_view(), name="funds-api-donors"),
    path("donors/<int:pk>/", api.DonorDetailView.as_view(), name="funds-api-donor"),
    path("donor-base/", api.DonorBaseView.as_view(), name="funds-api-donor-base"),
    path("pledges/", api.PledgeCreateView.as_view(), name="funds-api-pledges"),
    path("receipts/", api.ReceiptCreateView.as_view(), name="funds-api-receipts"),
    path("allocations/", api.AllocationCreateView.as_view(), name="funds-api-allocations"),
    path("postings/<int:pk>/reverse/", api.ReversalCreateView.as_view(), name="funds-api-reverse"),
    path("<str:code>/", api.FundDetailView.as_view(), name="funds-api-fund"),
]
