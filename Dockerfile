# Production image: gunicorn behind your proxy, PostgreSQL via MATCHMAKER_DATABASE_URL,
# migrations applied at container start (never inside create_app).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    MATCHMAKER_ENV=production \
    MATCHMAKER_INSTANCE_DIR=/var/lib/matchmaker \
    FLASK_APP=app

# The CPU build of torch, pinned: the default wheel pulls gigabytes of CUDA libraries.
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu

WORKDIR /srv/matchmaker
RUN useradd --system --home /var/lib/matchmaker --create-home matchmaker

# Every package from the lock, unresolved (--no-deps): the tested versions, torch as
# its CPU build from the CPU index, nothing from CUDA. Then the project itself.
COPY pyproject.toml README.md requirements.lock ./
RUN pip install --no-deps --extra-index-url "$TORCH_INDEX_URL" -r requirements.lock
COPY matchmaker ./matchmaker
RUN pip install --no-deps . && pip check

COPY app.py gunicorn.conf.py ./
COPY migrations ./migrations
COPY seeds ./seeds
COPY docker/entrypoint.sh /usr/local/bin/matchmaker-entrypoint

# gunicorn.conf.py: gthread workers that warm up before serving, JSON logs on stderr,
# metrics on MATCHMAKER_METRICS_HOST:MATCHMAKER_METRICS_PORT (loopback unless set, and
# never the public port). Limits need MATCHMAKER_RATELIMIT_STORAGE_URL=redis://...
ENV MATCHMAKER_BIND=0.0.0.0:8000 \
    PROMETHEUS_MULTIPROC_DIR=/tmp/matchmaker-metrics

USER matchmaker
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=120s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=2)"
ENTRYPOINT ["matchmaker-entrypoint"]
CMD ["gunicorn", "-c", "gunicorn.conf.py", "app:app"]
