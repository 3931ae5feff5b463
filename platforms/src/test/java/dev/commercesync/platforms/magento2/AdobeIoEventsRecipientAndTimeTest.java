package dev.commercesync.platforms.magento2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.commercesync.platforms.spi.VerificationResult;
import dev.commercesync.platforms.spi.VerificationResult.RejectionReason;
import dev.commercesync.platforms.spi.WebhookRequest;
import dev.commercesync.platforms.spi.WebhookSecret;
import java.io.IOException;
import java.io.InputStream;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An Adobe signature proves Adobe sent the event, not that it was meant for this store, nor that it is fresh: the
 * published observer event is accepted only for the store configured with its {@code recipient_client_id} and only
 * within {@link AdobeIoEventsVerifier#MAX_EVENT_AGE} of its CloudEvent {@code time}.
 */
class AdobeIoEventsRecipientAndTimeTest {
    private static final Instant EVENT_TIME = Instant.parse(Magento2AdapterContractTest.PUBLISHED_TIME);
    private static final KeyPair KEY = Magento2AdapterContractTest.keyPair(WebhookSecret.of("adobe-recipient-test"));
    private final Magento2Adapter adapter = new Magento2Adapter();

    private static WebhookRequest published() throws IOException {
        try (InputStream in = AdobeIoEventsRecipientAndTimeTest.class.getResourceAsStream(
                "/fixtures/magento2/observer.catalog_product_save_commit_after.cloudevent.json")) {
            byte[] body = in.readAllBytes();
            return new WebhookRequest(
                    Map.of(
                            "Content-Type",
                            "application/json",
                            "x-adobe-digital-signature-1",
                            Magento2AdapterContractTest.sign(body, KEY)),
                    body);
        }
    }

    private VerificationResult verify(String clientId, Instant now) throws IOException {
        return adapter.verifyWebhook(
                published(),
                List.of(Magento2AdapterContractTest.secret(clientId, Magento2AdapterContractTest.pem(KEY))),
                Clock.fixed(now, ZoneOffset.UTC));
    }

    private static RejectionReason reason(VerificationResult result) {
        return assertInstanceOf(VerificationResult.Rejected.class, result).reason();
    }

    @Test
    void theStoresRecipientWithinTheRetryWindowIsAccepted() throws IOException {
        assertEquals(
                new VerificationResult.Verified(0),
                verify(Magento2AdapterContractTest.RECIPIENT, EVENT_TIME.plusSeconds(2)));
        // Adobe's last retry, 24 h after the event, still verifies.
        assertEquals(
                new VerificationResult.Verified(0),
                verify(Magento2AdapterContractTest.RECIPIENT, EVENT_TIME.plus(Duration.ofHours(24))));
    }

    @Test
    void anEventForAnotherProjectIsRejectedThoughAdobeSignedIt() throws IOException {
        assertEquals(
                RejectionReason.WRONG_RECIPIENT,
                reason(verify("another-projects-client-id", EVENT_TIME.plusSeconds(2))));
    }

    @Test
    void anEventOlderThanTheBoundOrFromTheFutureIsRejected() throws IOException {
        Instant tooLate = EVENT_TIME.plus(AdobeIoEventsVerifier.MAX_EVENT_AGE).plusSeconds(1);
        assertEquals(
                RejectionReason.TIMESTAMP_OUT_OF_TOLERANCE,
                reason(verify(Magento2AdapterContractTest.RECIPIENT, tooLate)));
        Instant tooEarly =
                EVENT_TIME.minus(AdobeIoEventsVerifier.MAX_CLOCK_SKEW).minusSeconds(1);
        assertEquals(
                RejectionReason.TIMESTAMP_OUT_OF_TOLERANCE,
                reason(verify(Magento2AdapterContractTest.RECIPIENT, tooEarly)));
    }

    @Test
    void aBarePublicKeyWithoutTheRecipientIsNotAUsableSecret() throws IOException {
        VerificationResult result = adapter.verifyWebhook(
                published(), List.of(Magento2AdapterContractTest.pem(KEY)), Clock.fixed(EVENT_TIME, ZoneOffset.UTC));
        assertEquals(RejectionReason.NO_SECRET, reason(result));
    }
}
