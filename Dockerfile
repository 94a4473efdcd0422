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

COPY pyproject.toml README.md ./
COPY matchmaker ./matchmaker
RUN pip install --index-url "$TORCH_INDEX_URL" torch==2.13.0 \
    && pip install .

COPY app.py ./
COPY migrations ./migrations
COPY seeds ./seeds
COPY docker/entrypoint.sh /usr/local/bin/matchmaker-entrypoint

USER matchmaker
EXPOSE 8000
ENTRYPOINT ["matchmaker-entrypoint"]
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--workers", "2", "--timeout", "120", "app:app"]
