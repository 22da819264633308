# Multi-stage build: a static, cgo-free binary (the SQLite driver is pure Go) on a minimal image,
# running as a non-root user. Migrations are embedded in the binary.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.buildVersion=${VERSION}" -o /out/inkwell ./cmd/inkwell \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/inkwell /usr/local/bin/inkwell
COPY --from=build --chown=nonroot:nonroot /out/data /data
COPY configs/inkwell.yaml /etc/inkwell/inkwell.yaml
USER nonroot:nonroot
WORKDIR /
# Metrics listen on their own port for the scraper on the container network; publish only 8080.
ENV INKWELL_HTTP_ADDR=0.0.0.0:8080 \
    INKWELL_METRICS_ADDR=0.0.0.0:9464 \
    INKWELL_DATABASE_URL=sqlite:/data/inkwell.db
EXPOSE 8080 9464
VOLUME ["/data"]
ENTRYPOINT ["/usr/local/bin/inkwell"]
CMD ["serve"]
