package dev.commercesync.kafka;

import com.microsoft.kiota.ApiException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;

/**
 * Tells a serde failure caused by the schema registry being away (connection refused, timeout, 5xx or 429 answer)
 * from one caused by the bytes (not framed, unknown schema id, incompatible schema). The first is infrastructure and
 * must be waited out; only the second may quarantine or dead-letter a record.
 */
public final class RegistryUnavailable {
    private RegistryUnavailable() {}

    /** Whether {@code failure} (or a cause of it) says the registry could not be reached or could not answer. */
    public static boolean causedBy(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ApiException api) {
                int status = api.getResponseStatusCode();
                if (status >= 500 || status == 429) {
                    return true;
                }
            }
            String name = t.getClass().getSimpleName();
            if (t instanceof SocketException // ConnectException (also Netty's), connection reset
                    || t instanceof SocketTimeoutException
                    || t instanceof UnknownHostException
                    || t instanceof HttpTimeoutException
                    || t instanceof TimeoutException
                    || name.endsWith("TimeoutException") // Vert.x
                    || name.equals("HttpClosedException")) { // Vert.x: the connection closed mid-request
                return true;
            }
        }
        return false;
    }
}
