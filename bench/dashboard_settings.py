"""Settings for bench/dashboard.py only: the product's, with a URLconf that adds a bare view."""

from tracker.settings import *  # noqa: F403

ROOT_URLCONF = "bench.dashboard_urls"
