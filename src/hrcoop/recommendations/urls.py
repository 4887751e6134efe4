from django.urls import path

from hrcoop.recommendations import exports, views
from hrcoop.recommendations.search import views as search_views

app_name = "recommendations"
urlpatterns = [
    path("search/", search_views.search_page, name="search"),
    path("export/<str:fmt>/", exports.export_view, name="export"),
    path("countries/<str:iso3>/", search_views.country_page, name="country"),
    path("<str:public_id>/", views.recommendation_page, name="detail"),
]
