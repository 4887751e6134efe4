"""URL routes. Pages are under a language prefix (none for English); the API and admin are not."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.urlpatterns import format_suffix_patterns

from hrcoop.core.api import ApiRoot

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # One root for the whole API, at /api/ and /api/.json as the mandates router's used to be.
    path("api/", include(format_suffix_patterns([path("", ApiRoot.as_view(), name="api-root")]))),
    path("api/", include("hrcoop.mandates.api_urls")),
    path("api/assistance/", include("hrcoop.assistance.api_urls")),
    path("api/funds/", include("hrcoop.funds.api_urls")),
    path("api/tracking/", include("hrcoop.tracking.api_urls")),
    path("api/consultations/", include("hrcoop.consultations.api_urls")),
    path("api/", include("hrcoop.recommendations.api_urls")),
]

urlpatterns += i18n_patterns(
    path("accounts/", include("django.contrib.auth.urls")),
    path("classification/", include("hrcoop.recommendations.classification.urls")),
    path("recommendations/", include("hrcoop.recommendations.urls")),
    path("mandates/", include("hrcoop.mandates.urls")),
    path("assistance/", include("hrcoop.assistance.urls")),
    path("funds/", include("hrcoop.funds.urls")),
    path("tracking/", include("hrcoop.tracking.urls")),
    path("consultations/", include("hrcoop.consultations.urls")),
    path("", include("hrcoop.portal.urls")),
    prefix_default_language=False,
)
