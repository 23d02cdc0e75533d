# Release image of the monstage API.
FROM rust:1.95-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cargo build --release --locked && cp target/release/monstage /usr/local/bin/monstage

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* && useradd --system --uid 10001 monstage \
    && mkdir -p /var/lib/monstage && chown monstage /var/lib/monstage
COPY --from=build /usr/local/bin/monstage /usr/local/bin/monstage
USER monstage
ENV LISTEN_ADDR=0.0.0.0:3000 LOG_FORMAT=json
EXPOSE 3000
CMD ["monstage", "serve", "--migrate"]
