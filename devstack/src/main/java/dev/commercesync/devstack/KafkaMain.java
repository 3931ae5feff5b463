package dev.commercesync.devstack;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs in the broker's child JVM: formats the KRaft log directory on first start, then runs the broker. Compiled
 * against kafka_2.13, which is only on the child's classpath.
 *
 * <p>Usage: {@code KafkaMain <server.properties> <log-dir> <cluster-id>}
 */
public final class KafkaMain {
    private KafkaMain() {}

    public static void main(String[] args) {
        String config = args[0];
        Path logDir = Path.of(args[1]);
        String clusterId = args[2];
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            int rc = kafka.tools.StorageTool.execute(
                    new String[] {"format", "--cluster-id", clusterId, "--config", config, "--ignore-formatted"},
                    System.out);
            if (rc != 0) {
                System.err.println("formatting " + logDir + " failed with code " + rc);
                System.exit(rc);
            }
        }
        kafka.Kafka.main(new String[] {config});
    }
}
