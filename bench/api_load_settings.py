"""Settings for bench/api_load.py only: the product's, with a URLconf that adds a bare view and a
middleware (outermost) that counts each worker's SQL statements."""

from tracker.settings import *  # noqa: F403
from tracker.settings import MIDDLEWARE

ROOT_URLCONF = "bench.api_load_urls"
MIDDLEWARE = ["bench.api_load_counter.StatementCounter", *MIDDLEWARE]
