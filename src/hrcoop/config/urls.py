"""URL routes. Pages are under a language prefix (none for English); the API and admin are not."""

from csp.decorators import csp_update
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.urlpatterns import format_suffix_patterns

from hrcoop.core import health, metrics
from hrcoop.core.api import ApiRoot
from hrcoop.portal import accounts

handler400 = "hrcoop.core.api.bad_request"
handler404 = "hrcoop.core.api.page_not_found"
handler500 = "hrcoop.core.api.server_error"

urlpatterns = [
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
    path("metrics", metrics.metrics, name="metrics"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file (the CSP allows no inline script);
    # its page keeps three inline style rules, so that page alone allows inline styles.
    path(
        "api/docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    # One root for the whole API, at /api/ and /api/.json as the mandates router's used to be.
    path("api/", include(format_suffix_patterns([path("", ApiRoot.as_view(), name="api-root")]))),
    path("api/", include("hrcoop.mandates.api_urls")),
    path("api/assistance/", include("hrcoop.assistance.api_urls")),
    path("api/funds/", include("hrcoop.funds.api_urls")),
    path("api/tracking/", include("hrcoop.tracking.api_urls")),
    path("api/cooperation/", include("hrcoop.cooperation.api_urls")),
    path("api/consultations/", include("hrcoop.consultations.api_urls")),
    path("api/", include("hrcoop.recommendations.api_urls")),
    path("api/", include("hrcoop.reference.api_urls")),
]

urlpatterns += i18n_patterns(
    path("accounts/second-factor/", accounts.second_factor, name="second-factor"),
    path("accounts/settings/", accounts.settings_page, name="account-settings"),
    path("accounts/settings/e-mail/", accounts.mail_preferences, name="mail-preferences"),
    path("accounts/settings/recovery-codes/", accounts.new_recovery_codes, name="new-recovery-codes"),
    path("accounts/tokens/", accounts.api_tokens, name="api-tokens"),
    path("accounts/tokens/<int:pk>/revoke/", accounts.revoke_api_token, name="revoke-api-token"),
    path(
        "accounts/invitation/<uidb64>/<token>/", accounts.AcceptInvitation.as_view(), name="accept-invitation"
    ),
    path("accounts/invite/", accounts.invite, name="invite"),
    path("accounts/password_reset/", accounts.PasswordReset.as_view(), name="password_reset"),
    path("accounts/password_reset/done/", accounts.PasswordResetDone.as_view(), name="password_reset_done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirm.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", accounts.PasswordResetComplete.as_view(), name="password_reset_complete"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("classification/", include("hrcoop.recommendations.classification.urls")),
    path("recommendations/", include("hrcoop.recommendations.urls")),
    path("mandates/", include("hrcoop.mandates.urls")),
    path("assistance/", include("hrcoop.assistance.urls")),
    path("funds/", include("hrcoop.funds.urls")),
    path("tracking/", include("hrcoop.tracking.urls")),
    path("reports/", include("hrcoop.reports.urls")),
    path("cooperation/", include("hrcoop.cooperation.urls")),
    path("consultations/", include("hrcoop.consultations.urls")),
    path("", include("hrcoop.portal.urls")),
    prefix_default_language=False,
)
