# syntax=docker/dockerfile:1
# One image for every EMES process: web (gunicorn, the default CMD), Celery worker and
# Celery beat (see docker-compose.yml, which overrides the command).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=emes.settings \
    PRIVATE_STORAGE_ROOT=/app/var/private \
    MPLCONFIGDIR=/tmp/matplotlib

# Runtime libraries for WeasyPrint (Pango, HarfBuzz subsetting) and Thai fonts for the PDFs.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-thai-tlwg \
    && rm -rf /var/lib/apt/lists/*

# Unprivileged user that runs every process.
RUN groupadd --system --gid 1000 emes \
    && useradd --system --uid 1000 --gid emes --create-home --home-dir /home/emes --shell /usr/sbin/nologin emes

# Dependencies first (from pyproject.toml only), so code changes reuse this layer.
# The project itself has no installable packages; it runs from /app.
COPY pyproject.toml /tmp/emes-build/pyproject.toml
RUN pip install /tmp/emes-build && rm -rf /tmp/emes-build

WORKDIR /app
COPY . /app

# Static files are collected (and compressed by WhiteNoise) at build time; the key is a
# build-only dummy that exists for this RUN line alone and is never in the image's env.
RUN SECRET_KEY=build-only-not-secret-0123456789abcdef DEBUG=false \
        python manage.py collectstatic --noinput \
    && mkdir -p /app/var/private \
    && chown -R emes:emes /app/var/private

# Generated documents and uploads (PRIVATE_STORAGE_ROOT); share it between web and worker.
VOLUME ["/app/var/private"]

USER emes

EXPOSE 8000

CMD ["gunicorn", "emes.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120", \
     "--max-requests", "1000", "--max-requests-jitter", "100"]
