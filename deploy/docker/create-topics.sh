#!/usr/bin/env bash
# Creates every topic of the pipeline on the compose project's single broker (auto-creation is off), idempotently:
# run by docker-compose.yml's one-shot `kafka-topics` service before the services start. The Kubernetes equivalent is
# the KafkaTopic resources under deploy/k8s. Settings: 3 partitions, replication 1 (one broker), records up to the
# pipeline's 16 MiB (commercesync.kafka.max-record-bytes); the raw and quarantine topics keep 30 days for replay and
# support's retries (normalizer.topics.raw-retention / quarantine-retention), the others the broker's default.
set -euo pipefail
bootstrap=${BOOTSTRAP_SERVERS:-kafka:9092}
thirty_days=2592000000
create() { # topic [--config k=v ...]
    local topic=$1
    shift
    /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$bootstrap" --create --if-not-exists --topic "$topic" \
        --partitions 3 --replication-factor 1 --config max.message.bytes=16777216 "$@"
}
create commerce.raw.v1 --config retention.ms=$thirty_days
create commerce.quarantine.v1 --config retention.ms=$thirty_days
for topic in orders products inventory customers shipments refunds; do
    create "commerce.$topic.v1"
done
for topic in fetch-requests fetch-dlq sync-dlq applied reconciliation commands command-results; do
    create "commerce.$topic.v1"
done
# Privacy requests (docs/privacy.md): no personal data, kept a year as the request log.
create commerce.privacy.v1 --config retention.ms=31536000000
/opt/kafka/bin/kafka-topics.sh --bootstrap-server "$bootstrap" --list | grep -c '^commerce\.' |
    xargs -I{} echo "kafka-topics: {} commerce.* topics present"
