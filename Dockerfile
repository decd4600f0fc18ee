# critchem API: several workers behind one port; PostgreSQL from compose.yaml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 CRITCHEM_HOME=/data
RUN useradd --create-home --uid 10001 critchem && mkdir /data && chown critchem /data
WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install --no-cache-dir ".[postgres]"

USER critchem
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/ready')"
CMD ["critchem", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "4", "--log-json"]
