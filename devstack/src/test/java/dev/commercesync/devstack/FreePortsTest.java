package dev.commercesync.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ports chosen together for one stack or one demo are never the same twice. */
class FreePortsTest {

    @Test
    void portsChosenTogetherAreDistinct() throws Exception {
        for (int round = 0; round < 20; round++) {
            List<Integer> ports = DevStack.freePorts(16);
            assertEquals(16, new HashSet<>(ports).size(), "distinct: " + ports);
        }
    }
}
