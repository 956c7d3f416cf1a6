# apitest in a container: `docker build -t apitest .`, then, in a project folder,
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD":/tests apitest run
# (the --user lets the run write reports/ into the mounted folder as you).
#
# Build stage: the release binary from the locked dependencies. The commit is not in
# --version unless given: docker build --build-arg APITEST_COMMIT="$(git rev-parse --short=9 HEAD)"
# (.git stays out of the build context).
FROM rust:1.95-slim-bookworm AS build
ARG APITEST_COMMIT=""
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin apitest \
    && cp target/release/apitest /usr/local/bin/apitest

# Final stage: no shell, no package manager, glibc and libgcc only (TLS is rustls, so no
# OpenSSL), running as an unprivileged user.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /usr/local/bin/apitest /usr/local/bin/apitest
WORKDIR /tests
USER nonroot
ENTRYPOINT ["apitest"]
CMD ["--help"]
