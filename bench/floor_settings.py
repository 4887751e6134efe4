"""The platform's settings with bench/floor_urls.py as the URLconf (its bare view is the HTTP floor)."""

from hrcoop.config.settings import *  # noqa: F403

ROOT_URLCONF = "floor_urls"
