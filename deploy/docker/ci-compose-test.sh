#!/usr/bin/env bash
# CI's compose test (.ci/run runs it after ./mvnw verify): docker-compose.yml on a real container engine.
#   1. installs Debian's docker.io, docker-compose (1.29) and debootstrap when missing (root, apt);
#   2. starts dockerd when no engine answers, and stops that one (by its pid) at the end;
#   3. builds the local stand-ins of the public images (deploy/docker/local/build-images.sh: no image registry here);
#   4. runs container-tests' ComposeTest (Testcontainers + docker-compose) against docker-compose.yml +
#      docker-compose.local.yml: images built, project up and healthy, a signed webhook to a stored row, kills,
#      down/up.
# Expects the tree built by ./mvnw verify (the services' fast-jars, devstack's and dev-registry's build); builds what
# is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$(date +%s)
work=target/ci-compose
mkdir -p "$work"
say() { echo "ci-compose: $* ($(($(date +%s) - start)) s)"; }

missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    apt-get update -qq >"$work/apt.log" 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >>"$work/apt.log" 2>&1 ||
        { tail -20 "$work/apt.log"; exit 1; }
fi

dockerd_pid=
stop_engine() {
    if [ -n "$dockerd_pid" ]; then
        kill "$dockerd_pid" 2>/dev/null || true
        for _ in $(seq 60); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 0.5; done
        say "stopped the engine it started (pid $dockerd_pid)"
    fi
}
trap stop_engine EXIT
if ! docker info >/dev/null 2>&1; then
    dockerd >"$work/dockerd.log" 2>&1 &
    dockerd_pid=$!
    for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
    docker info >/dev/null 2>&1 || { tail -20 "$work/dockerd.log"; exit 1; }
    say "started dockerd (pid $dockerd_pid)"
fi

services=(webhook-ingest poller normalizer sync-writer inventory reconciler console)
need_build=()
for s in "${services[@]}"; do [ -f "$s/target/quarkus-app/quarkus-run.jar" ] || need_build+=("$s"); done
[ -f devstack/target/kafka.classpath ] || need_build+=(devstack)
[ -f dev-registry/target/quarkus-app/quarkus-run.jar ] || need_build+=(dev-registry)
if [ ${#need_build[@]} -gt 0 ]; then
    say "packaging ${need_build[*]}"
    ./mvnw -B -ntp -q -pl "$(IFS=,; echo "${need_build[*]}")" -am package -DskipTests
fi

bash deploy/docker/local/build-images.sh
say "local images ready"

# The module's test alone; the reactor (-am) only resolves its dependencies from this tree's build output.
./mvnw -B -ntp -pl container-tests -am test -Dtest=ComposeTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dcontainer-tests.compose-files=docker-compose.yml,docker-compose.local.yml
say "ComposeTest passed"
