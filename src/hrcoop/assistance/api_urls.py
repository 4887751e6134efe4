"""API routes of the assistance app, mounted at ``/api/assistance/``."""

from rest_framework.routers import SimpleRouter

from hrcoop.assistance.api import AssistanceRequestViewSet, TimelinessViewSet

router = SimpleRouter()
router.register("requests", AssistanceRequestViewSet, basename="assistance-request")
router.register("timeliness", TimelinessViewSet, basename="assistance-timeliness")
urlpatterns = router.urls
