package dev.commercesync.opstate;

/** What a component does to a store, as the operational state records it (docs/reliability.md, "Operational state"). */
public enum Operation {
    /** The poller's incremental or snapshot listing of a store × entity type. */
    POLL,
    /** The poller's fetch by id (thin webhooks, the reconciler's repairs) of a store × entity type. */
    HYDRATE,
    /** The poller's check of a store's webhook subscriptions (store-wide: no entity type). */
    SUBSCRIBE,
    /** The sync-writer's application of a store's events to the target. */
    WRITE,
    /** The poller's execution of a command on a store, per entity type the command changes. */
    COMMAND,
    /** The reconciler's pass over a store × entity type. */
    RECONCILE
}
