package dev.commercesync.platforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.canonical.Operation;
import dev.commercesync.schemas.canonical.ProductEvent;
import dev.commercesync.schemas.envelope.QuarantineErrorClass;
import dev.commercesync.schemas.envelope.RawEnvelope;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeletionNoticesTest {
    private final Normalization normalization = new Normalization(PlatformRegistry.loadInstalled());

    @Test
    void aConfirmedDeletionBecomesACanonicalDeleteForEveryPlatform() {
        PlatformRegistry registry = PlatformRegistry.loadInstalled();
        for (String platform : registry.names()) {
            if (!registry.get(platform).capabilities().reconcilable(EntityType.PRODUCT)) {
                continue; // the reconciler confirms no product deletions there (Amazon and eBay list none)
            }
            RawEnvelope notice = DeletionNotices.envelope(
                    platform,
                    "acme",
                    EntityType.PRODUCT,
                    "9007199254740993",
                    EventSource.RECONCILE,
                    Instant.parse("2026-01-01T00:00:00Z"),
                    "run-1");

            NormalizationOutcome outcome = normalization.normalize(notice);

            NormalizationOutcome.Events events = assertInstanceOf(NormalizationOutcome.Events.class, outcome, platform);
            ProductEvent event = (ProductEvent) events.canonicalEvents().get(0);
            assertEquals(Operation.DELETE, event.getMetadata().getOperation());
            assertEquals(
                    platform + "/acme/product/9007199254740993",
                    event.getMetadata().getEntityKey());
            assertNull(event.getProduct(), "a delete carries no state");
        }
    }

    @Test
    void aNoticeWithoutItsEntityTypeIsQuarantinedAsMalformed() {
        RawEnvelope notice = DeletionNotices.envelope(
                "shopify", "acme", EntityType.ORDER, "1", EventSource.RECONCILE, Instant.EPOCH, null);
        notice.setEntityType(null);

        NormalizationOutcome.Failed failed =
                assertInstanceOf(NormalizationOutcome.Failed.class, normalization.normalize(notice));
        assertEquals(QuarantineErrorClass.MALFORMED_PAYLOAD, failed.errorClass());
    }
}
