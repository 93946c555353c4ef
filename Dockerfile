# syntax=docker/dockerfile:1.7
# Hypex: one image for the ASGI web server and the huey worker.

# --- build: wheels for the locked dependencies --------------------------------------------------
FROM python:3.11-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential libjpeg62-turbo-dev zlib1g-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY requirements/base.lock requirements/base.lock
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-deps --require-hashes -r requirements/base.lock

# --- static: collect static files once, with production settings ------------------------------
FROM build AS static
WORKDIR /app
COPY . .
RUN DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost \
    STATIC_ROOT=/app/staticfiles /opt/venv/bin/python manage.py collectstatic --no-input -v 0

# --- runtime: slim, non-root (uid/gid 10001) --------------------------------------------------
FROM python:3.11-slim-bookworm AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH="/opt/venv/bin:$PATH" \
    DJANGO_SETTINGS_MODULE=config.settings.production STATIC_ROOT=/app/staticfiles MEDIA_ROOT=/app/media
RUN apt-get update \
 && apt-get install -y --no-install-recommends libjpeg62-turbo zlib1g curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 hypex && useradd --system --uid 10001 --gid hypex --home /app hypex
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --chown=hypex:hypex . .
COPY --from=static --chown=hypex:hypex /app/staticfiles /app/staticfiles
RUN mkdir -p /app/media /app/var /app/private && chown hypex:hypex /app/media /app/var /app/private
# Numeric, so Kubernetes can check runAsNonRoot; the Helm chart runs pods as this uid/gid (docs/adr/0036).
USER 10001:10001
EXPOSE 8000
# Django answers a Host it does not allow with 400: the check sends the first allowed host (a leading dot
# dropped, "*" skipped), as the Helm chart's probes do (tests/deploy/test_probes_on_the_server.py).
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD host="$(echo "$ALLOWED_HOSTS" | tr ',' '\n' | sed 's/^ *//; s/ *$//; s/^\.//' | grep -v -x -e '\*' -e '' | head -n 1)"; \
      curl -fsS -H "Host: ${host:-localhost}" http://127.0.0.1:8000/healthz || exit 1
# gunicorn with WEB_CONCURRENCY uvicorn worker processes (default: one per CPU) on port 8000, HTTP and
# websockets alike (config/gunicorn.py, docs/adr/0053). The worker trusts no proxy header: Hypex reads
# forwarded headers itself, trusting TRUSTED_PROXY_COUNT hops (docs/adr/0027). No server access log:
# Hypex writes one JSON line per request itself, logger ops.access (docs/adr/0035).
CMD ["gunicorn", "-c", "config/gunicorn.py", "config.asgi:application"]
