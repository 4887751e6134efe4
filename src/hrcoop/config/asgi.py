import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrcoop.config.settings")
application = get_asgi_application()

from hrcoop.core.checks import refuse_to_serve_without_a_secret_key  # noqa: E402  (needs the settings)

refuse_to_serve_without_a_secret_key()
