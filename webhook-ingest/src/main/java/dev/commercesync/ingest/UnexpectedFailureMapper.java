package dev.commercesync.ingest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;

/**
 * Anything unexpected (the store database unreachable, a bug) answers 503 so that the platform retries the delivery
 * later: a webhook is never acknowledged unless it was stored. The log names the exception class, not its message,
 * which could carry request data.
 */
@Provider
public class UnexpectedFailureMapper implements ExceptionMapper<Exception> {
    private static final Logger LOG = Logger.getLogger(UnexpectedFailureMapper.class);

    @Override
    public Response toResponse(Exception e) {
        if (e instanceof WebApplicationException wae) {
            Response.Status status =
                    Response.Status.fromStatusCode(wae.getResponse().getStatus());
            return ErrorAnswer.response(
                    status != null ? status : Response.Status.BAD_REQUEST,
                    "bad_request",
                    status != null ? status.getReasonPhrase() : "bad request");
        }
        LOG.errorf(
                "request failed with %s; answering 503 so the sender retries",
                e.getClass().getName());
        return ErrorAnswer.response(
                Response.Status.SERVICE_UNAVAILABLE, "unavailable", "temporarily unable to store the request; retry");
    }
}
