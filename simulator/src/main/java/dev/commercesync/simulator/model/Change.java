package dev.commercesync.simulator.model;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One generated change and the notifications it caused, in order.
 *
 * @param sequence 1 for a store's first change
 */
public record Change(long sequence, ChangeKind kind, List<Notification> notifications) {

    public Change {
        notifications = List.copyOf(notifications);
    }

    /** A stable one-line description (kind and each notified entity's type, id and version), for comparisons. */
    public String describe() {
        return sequence + " " + kind + " "
                + notifications.stream()
                        .map(n -> n.kind() + ":" + n.entity().type() + "/"
                                + n.entity().id() + "@v" + n.entity().version() + "/"
                                + n.entity().updatedAt())
                        .collect(Collectors.joining(","));
    }
}
