import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrcoop.config.settings")
application = get_wsgi_application()

from django.urls import get_resolver  # noqa: E402  (needs the settings)

from hrcoop.core.checks import refuse_to_serve_without_a_secret_key  # noqa: E402

refuse_to_serve_without_a_secret_key()
# Import every view now, at the server's start, rather than in a worker's first request: Django reads
# the URLconf lazily, and that first visitor would wait for every app's views (seconds on a busy server).
get_resolver().url_patterns  # noqa: B018
