package dev.commercesync.platforms.amazon;

import java.time.Duration;

/**
 * The SP-API operations this adapter calls, each with its own token bucket (Amazon's "usage plan": a rate in requests
 * per second and a burst), as the operations' models publish them (selling-partner-api-models, {@code **Usage
 * Plan:**} of each operation). Amazon counts each operation separately, per selling partner and application.
 *
 * <p>The poller keeps one bucket per store, sized by {@link AmazonAdapter#RATE_LIMIT_PROFILE} (searchOrders, the
 * scarcest operation, which every poll spends). Every other operation is charged to that bucket in proportion to its
 * own rate ({@link #unitsOfSearchOrders()}): a getOrder costs 0.0056 / 0.5 of a searchOrders request. So however the
 * calls mix, no operation's steady rate exceeds its own plan; only its burst may (a confirmShipment burst of 10, the
 * bucket allows more), and the 429 that follows is honoured like any other.
 */
enum AmazonOperation {
    /** Orders API v2026-01-01. */
    SEARCH_ORDERS("searchOrders", 0.0056, 20),
    /** Orders API v2026-01-01. */
    GET_ORDER("getOrder", 0.5, 30),
    /** Orders API v0 (v2026-01-01 has no shipment confirmation). */
    CONFIRM_SHIPMENT("confirmShipment", 2, 10),
    /** Listings Items API 2021-08-01. */
    GET_LISTINGS_ITEM("getListingsItem", 5, 10),
    /** Listings Items API 2021-08-01. */
    PATCH_LISTINGS_ITEM("patchListingsItem", 5, 5),
    /** Listings Items API 2021-08-01: a page of the seller's listings (the inventory snapshot). */
    SEARCH_LISTINGS_ITEMS("searchListingsItems", 5, 5),
    /** Sellers API v1: the marketplaces the seller sells in, whose listings the snapshot reads. */
    GET_MARKETPLACE_PARTICIPATIONS("getMarketplaceParticipations", 0.016, 15);

    private final String operationId;
    private final double ratePerSecond;
    private final int burst;

    AmazonOperation(String operationId, double ratePerSecond, int burst) {
        this.operationId = operationId;
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
    }

    String operationId() {
        return operationId;
    }

    double ratePerSecond() {
        return ratePerSecond;
    }

    int burst() {
        return burst;
    }

    /**
     * How long a refused call of this operation waits when the 429 names no wait (SP-API's never do): one request's
     * refill of its bucket, 1/rate (getOrder 2 s, patchListingsItem 200 ms, searchOrders about 3 minutes).
     */
    Duration refillWait() {
        return Duration.ofMillis((long) Math.ceil(1000 / ratePerSecond));
    }

    /** What one call of this operation spends of the store's bucket (whose unit is one searchOrders request). */
    double unitsOfSearchOrders() {
        return SEARCH_ORDERS.ratePerSecond / ratePerSecond;
    }
}
