# The production image: web (gunicorn), Celery worker and beat all run from it (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
RUN useradd --create-home --uid 1000 travelsouth

COPY pyproject.toml requirements.lock README.md ./
RUN pip install -c requirements.lock .

COPY . .
# collectstatic and the translation catalogues need settings, not a database or secrets.
RUN SECRET_KEY=build-only-not-secret python manage.py compiletranslations \
    && SECRET_KEY=build-only-not-secret python manage.py collectstatic --noinput \
    && mkdir -p var && chown -R travelsouth:travelsouth var

USER travelsouth
EXPOSE 8000
CMD ["gunicorn", "travelsouth.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
