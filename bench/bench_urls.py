"""EMES's URLs plus the two baselines of issue 18, for the page benchmarks only (``bench/pages.py``).

- ``/bench/bare/``: a bare Django view that reads the session and the user from PostgreSQL (what every EMES
  page does before its own work) and returns a few bytes: the yardstick the goal is set against.
- ``/bench/hello/``: no database at all (the ceiling of the server and the load tool).
"""
from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    """The session and its user, read through the whole middleware stack; nothing else."""
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")


def hello(request):
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/hello/", hello),
    path("", include("emes.urls")),
]
