"""Admin: trained model versions and evaluation runs, read-only (written by ``hrcoop classify``)."""

from django.contrib import admin

from hrcoop.core.admin import ReadOnlyAdmin
from hrcoop.recommendations.classification.models import EvaluationRun, ModelVersion

admin.site.register([ModelVersion, EvaluationRun], ReadOnlyAdmin)
