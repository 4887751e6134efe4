import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrcoop.config.settings")
application = get_wsgi_application()

from hrcoop.core.checks import refuse_to_serve_without_a_secret_key  # noqa: E402  (needs the settings)
from hrcoop.core.warmup import load_before_serving  # noqa: E402

refuse_to_serve_without_a_secret_key()
load_before_serving()
