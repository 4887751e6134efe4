"""Page routes of the funds, under the language prefix at ``/funds/``."""

from django.urls import path

from hrcoop.funds import views

app_name = "funds"
urlpatterns = [
    path("", views.fund_list, name="list"),
    path("new/", views.new_fund, name="new-fund"),
    path("iati/rebuild/", views.rebuild_iati, name="rebuild-iati"),
    path("iati/<str:name>", views.iati_file, name="iati-file"),
    path("donor-base/", views.donor_base_page, name="donor-base"),
    path("donor-base.svg", views.donor_base_svg, name="donor-base-svg"),
    path("donors/", views.donors_list, name="donors"),
    path("donors/new/", views.new_donor, name="new-donor"),
    path("donors/<int:pk>/", views.donor_page, name="donor"),
    path("pledges/<int:pledge_id>/receipts/new/", views.new_receipt, name="new-receipt"),
    path("requests/<str:public_id>/allocations/new/", views.new_allocation, name="new-allocation"),
    path("<str:code>/", views.fund_page, name="fund"),
    path("<str:code>/pledges/new/", views.new_pledge, name="new-pledge"),
    path("<str:code>/<str:table>.csv", views.fund_csv, name="csv"),
]
