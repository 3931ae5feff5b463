package dev.commercesync.simulator.model;

import dev.commercesync.schemas.canonical.EntityType;
import java.time.Instant;

public record Customer(
        String id,
        String email,
        String firstName,
        String lastName,
        Address address,
        long version,
        Instant createdAt,
        Instant updatedAt)
        implements SimEntity {

    @Override
    public EntityType type() {
        return EntityType.CUSTOMER;
    }

    Customer withAddress(Address newAddress, Instant at) {
        return new Customer(id, email, firstName, lastName, newAddress, version + 1, createdAt, at);
    }
}
