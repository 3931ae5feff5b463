package dev.commercesync.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.shared.Json;

/**
 * What webhook-ingest's {@code POST /admin/stores} needs to accept a simulated store's webhooks (and the poller to
 * call its API). {@code toString()} hides the secrets.
 *
 * @param apiCredentials the credentials in the store registry's text form ({@code ApiCredentials#storedForm})
 */
public record IngestRegistration(
        String platform, String storeId, String webhookSecret, String apiBaseUrl, String apiCredentials) {

    /** The admin API's request body. */
    public String toJson() {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("platform", platform);
        body.put("store_id", storeId);
        body.put("display_name", "simulated " + platform + " " + storeId);
        body.put("webhook_secret", webhookSecret);
        body.put("api_base_url", apiBaseUrl);
        body.put("api_credentials", apiCredentials);
        return Json.encode(body);
    }

    @Override
    public String toString() {
        return "IngestRegistration[" + platform + "/" + storeId + " at " + apiBaseUrl + ", secrets hidden]";
    }
}
