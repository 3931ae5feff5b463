package dev.commercesync.platforms.spi;

import dev.commercesync.schemas.command.CommandResultReason;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How one attempt of {@link PlatformWriteClient#apply} ended when the platform answered: the change is applied, or the
 * platform (or the writer, before any request) refused it for a reason retrying cannot change, or the deadline passed
 * before the request that would change state. Failures that retrying or a person can change (429, 401/403, 5xx,
 * timeouts) are exceptions, not outcomes.
 */
public sealed interface WriteOutcome {

    /**
     * The platform holds the change.
     *
     * @param resultingState the platform's answer (or read-back) of the target after the change, as JSON in the
     *     platform's own shape: it becomes {@code CommandResult.resulting_state}
     * @param platformRequestId the platform's id of the request that applied it (X-Request-Id and the like), if any
     */
    record Applied(String resultingState, Optional<String> platformRequestId) implements WriteOutcome {
        public Applied {
            Objects.requireNonNull(resultingState, "resultingState");
            Objects.requireNonNull(platformRequestId, "platformRequestId");
        }
    }

    /**
     * Nothing was applied, and sending the command again would not change that.
     *
     * @param reason VALIDATION, NOT_FOUND, CONFLICT, UNSUPPORTED or OTHER (AUTH and RETRIES_EXHAUSTED are failures,
     *     not rejections: the writer throws for those)
     * @param platformError the platform's own error text (GraphQL userErrors, the error body's message), or the
     *     writer's when it refused before any request; never credentials or request headers
     * @param currentState the target's current state as JSON where the writer has it (a CONFLICT's state), else empty
     */
    record Rejected(CommandResultReason reason, String platformError, Optional<String> currentState)
            implements WriteOutcome {
        /** The reasons a writer may reject with. */
        public static final Set<CommandResultReason> REASONS = Set.of(
                CommandResultReason.VALIDATION,
                CommandResultReason.NOT_FOUND,
                CommandResultReason.CONFLICT,
                CommandResultReason.UNSUPPORTED,
                CommandResultReason.OTHER);

        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(platformError, "platformError");
            Objects.requireNonNull(currentState, "currentState");
            if (!REASONS.contains(reason)) {
                throw new IllegalArgumentException(reason + " is a failure, not a rejection: throw instead");
            }
        }

        public Rejected(CommandResultReason reason, String platformError) {
            this(reason, platformError, Optional.empty());
        }
    }

    /**
     * The command's deadline passed before the request that would change state (a writer whose attempt takes several
     * requests checks it before that one); nothing that changes state was sent.
     */
    record Expired(Instant deadline) implements WriteOutcome {
        public Expired {
            Objects.requireNonNull(deadline, "deadline");
        }
    }
}
