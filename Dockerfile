# The service's one image: `iin worker`, `iin api`, `iin migrate`, `iin register-search-attributes`.
# Build: docker build -t iin-foreigners:0.1.0 .   (docker-compose.yml builds it for you)
ARG PYTHON_IMAGE=python:3.11.14-slim-trixie

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/iin
WORKDIR /src
# Only what the package needs (see .dockerignore); no dev or local extras: no tests, no embedded servers.
# The wire models and the typed client in the same command, so pip takes them from packages/.
COPY . .
RUN /opt/iin/bin/pip install ./packages/iin-api-models ./packages/iin-client .

FROM ${PYTHON_IMAGE}
RUN groupadd --system --gid 10001 iin \
    && useradd --system --uid 10001 --gid iin --home-dir /app --no-create-home --shell /usr/sbin/nologin iin
COPY --from=build /opt/iin /opt/iin
COPY data/ /app/data/
WORKDIR /app
# REFERENCE_DATA_DIR: the installed package lives in site-packages, the reference data here.
ENV PATH=/opt/iin/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    REFERENCE_DATA_DIR=/app/data \
    DATA_DIR=/tmp/iin
# A numeric user, so orchestrators can verify runAsNonRoot without reading /etc/passwd.
USER 10001:10001
EXPOSE 8000 8081
ENTRYPOINT ["iin"]
CMD ["worker"]
