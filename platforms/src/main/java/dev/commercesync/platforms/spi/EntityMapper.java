package dev.commercesync.platforms.spi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.schemas.canonical.EntityType;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * Maps one platform's full payload of one entity type to the canonical entity record ({@code Order}, {@code
 * Product}, {@code InventoryLevel}, {@code Customer}, {@code Shipment}, {@code Refund}). The event envelope
 * ({@code OrderEvent} etc. with its {@code EventMetadata}) is built by the caller, the same way for every platform.
 */
public interface EntityMapper {

    EntityType entityType();

    /** {@code <platform>/<resource>@<n>}, e.g. {@code shopify/orders@1}; bump n whenever the output changes. */
    String mappingVersion();

    /**
     * The platform API versions whose payloads this mapping reads, oldest first, named as the raw envelope's {@code
     * api_version} names them (the adapter's {@link ApiVersions} names). The normalizer quarantines a payload of any
     * other version ({@code UNSUPPORTED_API_VERSION}) instead of mapping a shape the mapping was not written for; a
     * payload whose version is unknown is mapped. It includes every version the adapter's clients may be configured to
     * call.
     */
    List<String> apiVersionsRead();

    /**
     * @return the canonical entity, complete; never a half-filled record
     * @throws MappingException with the field path when a required field is missing or not representable
     */
    SpecificRecord map(JsonNode payload, Classification.Classified classification) throws MappingException;
}
