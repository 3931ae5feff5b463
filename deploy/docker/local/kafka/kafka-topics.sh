#!/usr/bin/env bash
# Kafka's topic tool, as /opt/kafka/bin/kafka-topics.sh in apache/kafka.
exec java -Xmx256m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "/opt/kafka/libs/*" \
    org.apache.kafka.tools.TopicCommand "$@"
