"""API routes of implementation trackers, mounted at ``/api/tracking/``."""

from rest_framework.routers import SimpleRouter

from hrcoop.tracking.api import InstitutionViewSet, PlanViewSet, ProgressUpdateViewSet

router = SimpleRouter()
router.register("plans", PlanViewSet, basename="tracking-plan")
router.register("updates", ProgressUpdateViewSet, basename="tracking-update")
router.register("institutions", InstitutionViewSet, basename="tracking-institution")
urlpatterns = router.urls
