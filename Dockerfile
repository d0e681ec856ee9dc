# lockspan: the GitHub App service in a container.
#
#   docker build -t lockspan .
#   docker run -d --name lockspan -p 8080:8080 -v lockspan-data:/data \
#     -e GITHUB_APP_ID=123456 \
#     -e GITHUB_APP_PRIVATE_KEY_FILE=/run/secrets/app.pem \
#     -e GITHUB_WEBHOOK_SECRET_FILE=/run/secrets/webhook-secret \
#     -v /etc/lockspan:/run/secrets:ro lockspan
#   docker run --rm -v lockspan-data:/data --env-file ... lockspan rerun OWNER/REPO#N
#
# Secrets are never baked in: they come from the environment or from files
# mounted at run time (docs/install-and-run.md). tests/container/image_test.sh
# replays this file's steps in debootstrap chroots to prove them without a
# Docker engine; keep to the instructions it understands (FROM, WORKDIR, COPY,
# RUN, ENV, USER, VOLUME, EXPOSE, HEALTHCHECK, ENTRYPOINT, CMD, LABEL).

# ---- build: the same commands as the README and .ci/run ---------------------
FROM debian:bookworm AS build
WORKDIR /src
# The package step first, so that Docker reuses its layer until the script changes.
COPY scripts/install-deps.sh scripts/install-deps.sh
RUN scripts/install-deps.sh
COPY . .
RUN scripts/build.sh
RUN cmake --install build --prefix /opt/lockspan

# ---- runtime: libraries + ca-certificates, the binary and its guidance pages -
FROM debian:bookworm-slim AS runtime
COPY scripts/install-deps.sh /tmp/install-deps.sh
RUN /tmp/install-deps.sh --runtime \
 && rm -rf /tmp/install-deps.sh /var/lib/apt/lists/*
COPY --from=build /opt/lockspan /opt/lockspan
# The service's own user and group (10001), owning only /data.
RUN groupadd --system --gid 10001 lockspan \
 && useradd --system --uid 10001 --gid 10001 --home-dir /data --no-create-home \
      --shell /usr/sbin/nologin lockspan \
 && install -d -o lockspan -g lockspan -m 0750 /data
ENV PATH=/opt/lockspan/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LOCKSPAN_DATA_DIR=/data \
    LOCKSPAN_LISTEN=0.0.0.0:8080
VOLUME /data
EXPOSE 8080
# No curl here: bash's /dev/tcp sends one request to the port LOCKSPAN_LISTEN
# names and the check passes only on a "200" status line.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["/bin/bash", "-c", "l=${LOCKSPAN_LISTEN:-0.0.0.0:8080}; h=${l%:*}; case $h in ''|0.0.0.0|'[::]') h=127.0.0.1;; '['*) h=${h:1:${#h}-2};; esac; exec 3<>/dev/tcp/$h/${l##*:} && printf 'GET /healthz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && read -r -t 4 _ code _ <&3 && [ \"$code\" = 200 ]"]
USER lockspan
ENTRYPOINT ["lockspan"]
CMD ["serve"]
