"""API routes of calls for inputs, mounted at ``/api/consultations/``."""

from rest_framework.routers import SimpleRouter

from hrcoop.consultations.api import AnswerViewSet, CallViewSet

router = SimpleRouter()
router.register("calls", CallViewSet, basename="consultations-call")
router.register("answers", AnswerViewSet, basename="consultations-answer")
urlpatterns = router.urls
