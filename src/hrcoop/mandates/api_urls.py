"""API routes of the mandates, mounted at ``/api/`` (their URLs carry the ``mandates/`` prefix)."""

from rest_framework.routers import DefaultRouter

from hrcoop.mandates.api import MandateViewSet, ResolutionViewSet

router = DefaultRouter()
# The API has one root, listing every app's endpoints (``hrcoop.core.api.ApiRoot``); this router's own
# would stand in its place at /api/ and list only the mandates. Its format suffixes (.json) stay.
router.include_root_view = False
router.register("mandates/resolutions", ResolutionViewSet, basename="mandates-resolution")
router.register("mandates/mandates", MandateViewSet, basename="mandates-mandate")
urlpatterns = router.urls
