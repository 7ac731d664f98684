"""Settings for bench/api_load.py only: the product's, with a URLconf that adds a bare view."""

from tracker.settings import *  # noqa: F403

ROOT_URLCONF = "bench.api_load_urls"
