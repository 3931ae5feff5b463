package dev.commercesync.simulator.model;

/**
 * That an entity was created or updated by a change, with its state right after the change: what a platform turns
 * into a webhook (or several, or none where it has no topic for it).
 */
public record Notification(Kind kind, SimEntity entity) {

    public enum Kind {
        CREATED,
        UPDATED
    }
}
