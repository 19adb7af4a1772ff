"""The Celery application of EMES.

Configuration comes from Django settings with the ``CELERY_`` prefix. With no
``CELERY_BROKER_URL`` the settings switch Celery to eager mode, so tasks run
in-process (the embedded first-run default).
"""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emes.settings")

app = Celery("emes")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
