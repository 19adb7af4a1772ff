"""Settings of the page benchmarks: EMES's own (from the environment) with the URLconf of ``bench_urls``,
which adds the issue's baselines. Used by ``bench/pages.py`` (gunicorn) only; never by the application."""
from emes.settings import *  # noqa: F401,F403

ROOT_URLCONF = "bench_urls"
