package dev.commercesync.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ports chosen together for one stack or one demo are never the same twice, and lie below the kernel's ephemeral range,
 * out of reach of outgoing connections.
 */
class FreePortsTest {

    @Test
    void portsChosenTogetherAreDistinct() throws Exception {
        for (int round = 0; round < 20; round++) {
            List<Integer> ports = DevStack.freePorts(16);
            assertEquals(16, new HashSet<>(ports).size(), "distinct: " + ports);
            for (int port : ports) {
                assertTrue(
                        port >= DevStack.LOWEST_PORT && port < DevStack.ephemeralPortsFrom(),
                        port + " below the ephemeral range, from " + DevStack.ephemeralPortsFrom());
            }
        }
    }
}
