#!/usr/bin/env bash
# Builds local stand-ins for the public images docker-compose.yml uses, for machines that reach no image registry
# (this project's CI): everything comes from Debian's packages and the project's own Maven build.
#
#   commerce-sync-local/base:bookworm      Debian 12 minbase + openjdk-17-jre-headless + postgresql (15), by debootstrap
#   commerce-sync-local/kafka:4.1.1        Kafka 4.1.1 (KRaft) from the kafka_2.13 jars devstack runs    ~ apache/kafka
#   commerce-sync-local/postgres:15        Debian's PostgreSQL 15, configured like the official image   ~ postgres
#   commerce-sync-local/registry:2.4.2     the dev-registry module (Apicurio 2.4.2, H2 file storage)    ~ apicurio-registry-sql
#
# docker-compose.local.yml points docker-compose.yml at these and builds the services FROM the base image.
# Needs: root, a running engine, debootstrap, and a built tree (devstack/target/kafka.classpath,
# dev-registry/target/quarkus-app: ./mvnw -pl devstack,dev-registry -am package -DskipTests).
# An image that exists is kept: delete it (docker rmi) to rebuild. The Debian root file system is cached in
# $LOCAL_IMAGES_CACHE (default target/local-images) for the rest of the run.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
here="$root/deploy/docker/local"
cache=${LOCAL_IMAGES_CACHE:-$root/target/local-images}
suite=bookworm
base=commerce-sync-local/base:$suite
mkdir -p "$cache"

exists() { docker image inspect "$1" >/dev/null 2>&1; }
log() { echo "local-images: $*"; }
build() { # image context-dir
    # The classic builder: Debian's engine has no BuildKit plugin. Its output only when it fails.
    local out
    if ! out=$(DOCKER_BUILDKIT=0 docker build -q --build-arg "BASE_IMAGE=$base" -t "$1" "$2" 2>&1); then
        echo "$out" >&2
        exit 1
    fi
    log "built $1"
}

if ! exists "$base"; then
    rootfs="$cache/rootfs"
    if [ ! -e "$cache/rootfs.complete" ]; then
        rm -rf "$rootfs"
        log "debootstrap $suite into $rootfs"
        debootstrap --variant=minbase --include=openjdk-17-jre-headless,postgresql "$suite" "$rootfs" \
            >"$cache/debootstrap.log" 2>&1 || { tail -20 "$cache/debootstrap.log"; exit 1; }
        # No cluster from the package's postinst (the image's entrypoint makes its own), no apt lists.
        rm -rf "$rootfs/var/lib/postgresql/15" "$rootfs/etc/postgresql/15" "$rootfs/var/lib/apt/lists/"*
        touch "$cache/rootfs.complete"
    fi
    tar -C "$rootfs" -c . | docker import \
        -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8' - "$base" >/dev/null
    log "imported $base"
fi

kafka=commerce-sync-local/kafka:4.1.1
if ! exists "$kafka"; then
    ctx="$cache/kafka"
    rm -rf "$ctx" && mkdir -p "$ctx/libs"
    classpath="$root/devstack/target/kafka.classpath"
    [ -f "$classpath" ] || { echo "missing $classpath: ./mvnw -pl devstack -am package -DskipTests" >&2; exit 1; }
    tr ':' '\n' <"$classpath" | while read -r jar; do [ -n "$jar" ] && cp "$jar" "$ctx/libs/"; done
    cp "$here/kafka/Dockerfile" "$here/kafka/run" "$here/kafka/kafka-topics.sh" "$ctx/"
    build "$kafka" "$ctx"
fi

postgres=commerce-sync-local/postgres:15
exists "$postgres" || build "$postgres" "$here/postgres"

registry=commerce-sync-local/registry:2.4.2
if ! exists "$registry"; then
    ctx="$cache/registry"
    app="$root/dev-registry/target/quarkus-app"
    [ -f "$app/quarkus-run.jar" ] || { echo "missing $app: ./mvnw -pl dev-registry package" >&2; exit 1; }
    rm -rf "$ctx" && mkdir -p "$ctx" && cp -r "$app" "$ctx/quarkus-app" && cp "$here/registry/Dockerfile" "$ctx/"
    build "$registry" "$ctx"
fi
