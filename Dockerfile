FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 APP_ENV=production VAR_DIR=/app/var
WORKDIR /app

# gettext for the catalogues; pango/harfbuzz for WeasyPrint (the progress report PDF) and a CJK
# font so the report embeds Chinese glyphs.
RUN apt-get update && apt-get install -y --no-install-recommends gettext \
    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-wqy-microhei \
    && rm -rf /var/lib/apt/lists/*
# The runtime lock only (hashed): no test, lint, benchmark or `make run` tools in production.
COPY requirements.txt .
RUN pip install --no-cache-dir --require-hashes -r requirements.txt
COPY . .
# collectstatic needs settings that import cleanly; these values exist only for this build step.
RUN SECRET_KEY=build-only-build-only-build-only-build-only-build-only ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput \
    && useradd --create-home --uid 1000 app && mkdir -p /app/var && chown -R app /app/var
USER app
EXPOSE 8000
CMD ["gunicorn", "tracker.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
