package dev.commercesync.poller.status;

import dev.commercesync.opstate.ErrorClass;
import dev.commercesync.platforms.spi.PlatformApiException;

/** The project's one classification of platform failures into {@link ErrorClass}es. */
public final class PlatformErrors {
    private PlatformErrors() {}

    /**
     * The class of a failure: the SPI's {@link PlatformApiException.Kind} (429 quota, 401/403 auth, 409 conflict,
     * other 4xx validation, 5xx and transport transient), an unusable request or API configuration ({@link
     * IllegalArgumentException}) validation, anything else transient.
     */
    public static ErrorClass classOf(Throwable failure) {
        if (failure instanceof PlatformApiException api) {
            return switch (api.kind()) {
                case RATE_LIMITED -> ErrorClass.QUOTA;
                case AUTH -> ErrorClass.AUTH;
                case CLIENT -> api.httpStatus() == 409 ? ErrorClass.CONFLICT : ErrorClass.VALIDATION;
                case SERVER, TRANSPORT -> ErrorClass.TRANSIENT;
            };
        }
        if (failure instanceof IllegalArgumentException) {
            return ErrorClass.VALIDATION;
        }
        return ErrorClass.TRANSIENT;
    }
}
