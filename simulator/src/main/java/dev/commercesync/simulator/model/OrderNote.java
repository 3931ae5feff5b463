package dev.commercesync.simulator.model;

import java.time.Instant;

/**
 * A note on an order (WooCommerce's order notes, where a shipment's tracking goes when no fulfillment exists). Not an
 * entity: adding one changes neither the order's version nor its updated-at, and sends no webhook.
 *
 * @param customerNote whether the customer sees it (and is e-mailed)
 */
public record OrderNote(String id, String orderId, String note, boolean customerNote, Instant createdAt) {}
