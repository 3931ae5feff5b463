package dev.commercesync.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class KafkaNodeJvmOptionsTest {
    @Test
    void testBrokersGetTheClientCompilerAndOneCollector() {
        List<String> options = KafkaNode.jvmOptions(true);
        assertTrue(options.contains("-XX:TieredStopAtLevel=1"), options.toString());
        assertEquals(List.of("-XX:+UseSerialGC"), collectors(options));
    }

    @Test
    void otherBrokersKeepTheirOwnSettings() {
        List<String> options = KafkaNode.jvmOptions(false);
        assertTrue(options.stream().noneMatch(o -> o.startsWith("-XX:TieredStopAtLevel")), options.toString());
        assertEquals(List.of("-XX:+UseG1GC"), collectors(options));
    }

    @Test
    void theBuildsTestJvmsAskForTestBrokers() {
        // Set by the root pom's surefire and failsafe configuration for every module's tests.
        assertTrue(Boolean.getBoolean(KafkaNode.TEST_JVM_PROPERTY), KafkaNode.TEST_JVM_PROPERTY);
    }

    private static List<String> collectors(List<String> options) {
        return options.stream().filter(o -> o.matches("-XX:\\+Use\\w+GC")).toList();
    }
}
