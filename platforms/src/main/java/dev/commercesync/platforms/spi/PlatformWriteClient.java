package dev.commercesync.platforms.spi;

import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.command.CommandResultReason;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes canonical {@link Command}s to one store's API: the write side of {@link PlatformApiClient}, obtained from
 * {@link PlatformAdapter#writeClient(ApiConnection)}. Like the read client it neither rate-limits nor retries itself:
 * each call is one attempt, every answer reports the quota it saw, and the caller (the poller's command executor, which
 * owns the store's one rate budget and the command journal) decides about waiting, retrying and the final result.
 * Implementations are thread-safe; creating one does no I/O.
 *
 * <h2>Rules every writer follows</h2>
 *
 * <ol>
 *   <li><b>Absolute values only.</b> A writer sets the state the command states (a quantity, a price, a status), never
 *       a delta computed from a state it read earlier: applying a command twice then leaves the same state. Where the
 *       platform offers only relative adjustments, the writer reads, computes and writes with the platform's
 *       compare-and-set where it has one, and treats a lost race as CONFLICT rather than adding twice.
 *   <li><b>The platform's idempotency, keyed by the command.</b> Where the platform accepts an idempotency key (Shopify's
 *       {@code @idempotent(key:)} on inventory mutations, mandatory from API 2026-04), the key is derived from {@code
 *       metadata.command_id} only, so every attempt of one command sends the same key and a replayed command is
 *       recognised by the platform too. Where the platform lets a write carry a reference (Shopify's {@code
 *       referenceDocumentUri}, an order note, a shipment comment), it names the command_id, for echo recognition.
 *   <li><b>Compare-and-set.</b> {@code SetInventoryLevel.expected_quantity} is sent as the platform's own condition
 *       where it has one (Shopify's {@code changeFromQuantity}); elsewhere the writer reads first ({@link #readBack}) and
 *       writes only if the current quantity equals it, otherwise it answers {@link WriteOutcome.Rejected} with
 *       CONFLICT and the current state.
 *   <li><b>Never after the deadline.</b> The caller starts no attempt at or after {@code metadata.deadline}; a writer
 *       whose attempt takes several requests (a lookup, then the write) checks the deadline again before the request
 *       that changes state and answers {@link WriteOutcome.Expired} instead of sending it.
 *   <li><b>Read-back decides after an ambiguous failure.</b> When an attempt ends without a clear answer after the
 *       request may have reached the platform (a timeout, a connection reset, a 5xx), the caller does not retry blindly:
 *       it calls {@link #readBack} first; APPLIED there means the command is applied (and is not sent again),
 *       NOT_APPLIED that it may be retried, NOT_FOUND that it is rejected. A writer therefore reports such failures as
 *       {@link PlatformApiException} of kind SERVER or TRANSPORT (never as a rejection), and its {@code readBack} must
 *       recognise the effect of every command kind it applies.
 *   <li><b>Refusals are outcomes, failures are exceptions.</b> What retrying cannot change (a validation error, an
 *       unknown id, a conflict, an unsupported action) is a {@link WriteOutcome.Rejected} with the platform's own error
 *       text; a 429 is a {@link RateLimitedException} with the platform's wait; 401/403 a {@link PlatformApiException}
 *       of kind AUTH; 5xx and transport failures kinds SERVER and TRANSPORT. Error texts never contain credentials or
 *       request headers.
 *   <li><b>Declared exactly.</b> The kinds in {@link PlatformCapabilities#commandKinds()} are the kinds the writer
 *       applies; any other kind is answered {@link WriteOutcome.Rejected} with UNSUPPORTED without a request (checked
 *       by the contract suite).
 *   <li><b>Costs declared.</b> {@link #applyCost} and {@link #readBackCost} say what a call sends and spends of the
 *       store's budget, for the caller's limiter to charge before it: every request the call makes when it goes the
 *       whole way (the read before a write too), in the platform's unit. A lookup the writer makes once and keeps (a
 *       store's currency) is not counted; the quota the platform reports corrects the caller's budget. The writers'
 *       tests check the declaration against the requests sent.
 * </ol>
 */
public interface PlatformWriteClient {

    /**
     * Sends the command to the platform once.
     *
     * @throws RateLimitedException when the platform refused for rate limiting (HTTP 429 or a throttled answer)
     * @throws PlatformApiException of kind AUTH (credentials refused), SERVER (5xx, unreadable answer) or TRANSPORT
     *     (network failure, timeout); after SERVER and TRANSPORT the caller reads back before any retry
     */
    ApiResponse<WriteOutcome> apply(Command command) throws PlatformApiException;

    /**
     * Reads the platform's current state of the command's target and says whether the command's effect is present.
     * Sends only reads.
     *
     * @throws RateLimitedException when the platform refused for rate limiting
     * @throws PlatformApiException on any other failure; of kind CLIENT with HTTP status 0 when the platform has no
     *     writer for the command's kind
     */
    ApiResponse<ReadBack> readBack(Command command) throws PlatformApiException;

    /**
     * What {@link #apply} of the command sends and spends of the store's budget when it writes: the poller's limiter
     * charges it before the call. Makes no request.
     */
    WriteCost applyCost(Command command);

    /** What {@link #readBack} of the command sends and spends of the store's budget. Makes no request. */
    WriteCost readBackCost(Command command);

    /**
     * A client that applies nothing: every command is {@link WriteOutcome.Rejected} with UNSUPPORTED, without a
     * request. What {@link PlatformAdapter#writeClient} returns for a platform without a writer.
     *
     * @param platform the platform's name, for the rejection text
     */
    static PlatformWriteClient unsupported(String platform) {
        Objects.requireNonNull(platform, "platform");
        return new PlatformWriteClient() {
            @Override
            public ApiResponse<WriteOutcome> apply(Command command) {
                return new ApiResponse<>(
                        new WriteOutcome.Rejected(
                                CommandResultReason.UNSUPPORTED,
                                platform + " does not support " + CommandKind.of(command) + " commands"),
                        Optional.empty());
            }

            @Override
            public ApiResponse<ReadBack> readBack(Command command) throws PlatformApiException {
                throw new PlatformApiException(
                        PlatformApiException.Kind.CLIENT,
                        0,
                        platform + " does not support " + CommandKind.of(command) + " commands");
            }

            @Override
            public WriteCost applyCost(Command command) {
                return WriteCost.NONE;
            }

            @Override
            public WriteCost readBackCost(Command command) {
                return WriteCost.NONE;
            }
        };
    }
}
