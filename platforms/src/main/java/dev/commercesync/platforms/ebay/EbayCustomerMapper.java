package dev.commercesync.platforms.ebay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.spi.Classification;
import dev.commercesync.platforms.spi.EntityMapper;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.schemas.canonical.EntityType;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * eBay's Sell APIs have no customer resource: a buyer is a {@code username} on an order. The only customer events are
 * deletions: a MARKETPLACE_ACCOUNT_DELETION notification that reached the raw topic before such notifications became
 * privacy requests ({@link EbayAccountDeletions}) deletes the customer named like the orders' buyer. This mapper names
 * the mapping version of those deletes; an upsert has nothing to map.
 */
final class EbayCustomerMapper implements EntityMapper {
    static final String VERSION = "ebay/account_deletions@1";

    @Override
    public EntityType entityType() {
        return EntityType.CUSTOMER;
    }

    @Override
    public List<String> apiVersionsRead() {
        return EbayAdapter.MAPPINGS_READ;
    }

    @Override
    public String mappingVersion() {
        return VERSION;
    }

    @Override
    public SpecificRecord map(JsonNode payload, Classification.Classified classification) throws MappingException {
        throw MappingException.field("", "eBay has no customer resource: customers arrive only as account deletions");
    }
}
