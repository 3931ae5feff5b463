package dev.commercesync.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Set;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

/** Which replica answers for a merchant, from Kafka Streams' metadata for the merchant key. */
class PoolLocatorTest {
    private static final HostInfo SELF = new HostInfo("10.0.0.1", 8086);
    private static final HostInfo OTHER = new HostInfo("10.0.0.2", 8086);

    @Test
    void aMerchantHeldHereIsAnsweredHere() {
        var where = PoolLocator.decide(new KeyQueryMetadata(SELF, Set.of(OTHER), 0), SELF);
        assertInstanceOf(PoolLocator.Where.Here.class, where);
    }

    @Test
    void aMerchantHeldByAnotherReplicaIsAskedThere() {
        var where = PoolLocator.decide(new KeyQueryMetadata(OTHER, Set.of(SELF), 3), SELF);
        assertEquals(new PoolLocator.Where.There(OTHER), where);
    }

    @Test
    void noMetadataWhileRebalancingMeansAskAgain() {
        assertInstanceOf(PoolLocator.Where.Unknown.class, PoolLocator.decide(KeyQueryMetadata.NOT_AVAILABLE, SELF));
    }

    @Test
    void anInstanceWithoutAnAdvertisedServerRunsAloneAndHoldsEverything() {
        var where = new PoolLocator(null, java.util.Optional.empty()).locate("m-1", "pools");
        assertInstanceOf(PoolLocator.Where.Here.class, where);
    }
}
