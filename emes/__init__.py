# The Celery app must be loaded with Django so that `@shared_task` binds to it and
# `.delay()` uses the configured broker (without this import Celery falls back to AMQP).
from .celery import app as celery_app

__all__ = ("celery_app",)
