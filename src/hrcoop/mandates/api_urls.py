from rest_framework.routers import DefaultRouter

from hrcoop.mandates.api import MandateViewSet, ResolutionViewSet

router = DefaultRouter()
router.register("mandates/resolutions", ResolutionViewSet, basename="mandates-resolution")
router.register("mandates/mandates", MandateViewSet, basename="mandates-mandate")
urlpatterns = router.urls
