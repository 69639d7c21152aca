# The production image: web (gunicorn), Celery worker and beat all run from it (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# The application runs as this unprivileged user; only pip runs as root, at build time.
RUN useradd --create-home --uid 1000 travelsouth

COPY pyproject.toml requirements.lock README.md ./
RUN pip install -c requirements.lock .

# .dockerignore keeps .env, .venv, var/ and the like out of the image.
COPY . .
# collectstatic and the translation catalogues need settings, not a database or secrets. The
# directories the compose volumes mount (static, media, var) belong to the application's user, so a
# new volume starts with that owner.
RUN SECRET_KEY=build-only-not-secret python manage.py compiletranslations \
    && SECRET_KEY=build-only-not-secret python manage.py collectstatic --noinput \
    && mkdir -p var media \
    && chown -R travelsouth:travelsouth var media staticfiles

USER travelsouth
EXPOSE 8000
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "travelsouth.wsgi:application"]
