package dev.commercesync.reconciler.service;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/** What a run found and cost, as REST and synctl show it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunReport(
        @JsonProperty("run_id") String runId,
        String platform,
        String store,
        boolean full,
        @JsonProperty("window_from") Instant windowFrom,
        @JsonProperty("window_to") Instant windowTo,
        @JsonProperty("started_at") Instant startedAt,
        @JsonProperty("finished_at") Instant finishedAt,
        @JsonProperty("api_calls") int apiCalls,
        List<TypeReport> types) {

    /** No type was compared (the platform's types unknown), or a type's comparison ended with an error. */
    @JsonIgnore
    public boolean failed() {
        return types.isEmpty() || types.stream().anyMatch(t -> t.error() != null);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TypeReport(
            @JsonProperty("entity_type") String entityType,
            @JsonProperty("api_calls") int apiCalls,
            @JsonProperty("count_calls") int countCalls,
            @JsonProperty("list_calls") int listCalls,
            @JsonProperty("buckets_compared") int bucketsCompared,
            @JsonProperty("buckets_listed") int bucketsListed,
            @JsonProperty("fetch_requests") int fetchRequests,
            @JsonProperty("verified_repairs") int verifiedRepairs,
            List<FindingView> findings,
            String error) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FindingView(
            String kind,
            @JsonProperty("entity_id") String entityId,
            String repair,
            @JsonProperty("fetch_request_id") String fetchRequestId,
            @JsonProperty("platform_updated_at") Instant platformUpdatedAt,
            @JsonProperty("target_updated_at") Instant targetUpdatedAt,
            @JsonProperty("entity_keys") List<String> entityKeys,
            @JsonProperty("consecutive_passes") int consecutivePasses) {}
}
