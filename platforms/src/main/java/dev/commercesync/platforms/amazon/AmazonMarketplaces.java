package dev.commercesync.platforms.amazon;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * SP-API's selling regions and marketplaces (developer-docs.amazon.com/sp-api/docs/sp-api-endpoints and "Marketplace
 * IDs"): each marketplace belongs to one regional endpoint, and a seller authorizes an app in the marketplace's Seller
 * Central. Login with Amazon's token endpoint is {@code api.amazon.com} for every region ({@link LwaAccessTokens}).
 */
final class AmazonMarketplaces {
    /** A selling region: its SP-API endpoint and the Seller Central its sellers consent in unless a marketplace says. */
    enum Region {
        NA("https://sellingpartnerapi-na.amazon.com", "https://sellercentral.amazon.com"),
        EU("https://sellingpartnerapi-eu.amazon.com", "https://sellercentral-europe.amazon.com"),
        FE("https://sellingpartnerapi-fe.amazon.com", "https://sellercentral.amazon.co.jp");

        final URI endpoint;
        final String sellerCentral;

        Region(String endpoint, String sellerCentral) {
            this.endpoint = URI.create(endpoint);
            this.sellerCentral = sellerCentral;
        }
    }

    /** A marketplace: its id, country code, region and Seller Central. */
    record Marketplace(String id, String country, Region region, String sellerCentral) {}

    static final List<Marketplace> ALL = List.of(
            new Marketplace("A2EUQ1WTGCTBG2", "CA", Region.NA, "https://sellercentral.amazon.ca"),
            new Marketplace("ATVPDKIKX0DER", "US", Region.NA, "https://sellercentral.amazon.com"),
            new Marketplace("A1AM78C64UM0Y8", "MX", Region.NA, "https://sellercentral.amazon.com.mx"),
            new Marketplace("A2Q3Y263D00KWC", "BR", Region.NA, "https://sellercentral.amazon.com.br"),
            new Marketplace("A28R8C7NBKEWEA", "IE", Region.EU, "https://sellercentral.amazon.ie"),
            new Marketplace("A1RKKUPIHCS9HS", "ES", Region.EU, "https://sellercentral-europe.amazon.com"),
            new Marketplace("A1F83G8C2ARO7P", "GB", Region.EU, "https://sellercentral-europe.amazon.com"),
            new Marketplace("A13V1IB3VIYZZH", "FR", Region.EU, "https://sellercentral-europe.amazon.com"),
            new Marketplace("AMEN7PMS3EDWL", "BE", Region.EU, "https://sellercentral.amazon.com.be"),
            new Marketplace("A1805IZSGTT6HS", "NL", Region.EU, "https://sellercentral.amazon.nl"),
            new Marketplace("A1PA6795UKMFR9", "DE", Region.EU, "https://sellercentral-europe.amazon.com"),
            new Marketplace("APJ6JRA9NG5V4", "IT", Region.EU, "https://sellercentral-europe.amazon.com"),
            new Marketplace("A2NODRKZP88ZB9", "SE", Region.EU, "https://sellercentral.amazon.se"),
            new Marketplace("AE08WJ6YKNBMC", "ZA", Region.EU, "https://sellercentral.amazon.co.za"),
            new Marketplace("A1C3SOZRARQ6R3", "PL", Region.EU, "https://sellercentral.amazon.pl"),
            new Marketplace("ARBP9OOSHTCHU", "EG", Region.EU, "https://sellercentral.amazon.eg"),
            new Marketplace("A33AVAJ2PDY3EV", "TR", Region.EU, "https://sellercentral.amazon.com.tr"),
            new Marketplace("A17E79C6D8DWNP", "SA", Region.EU, "https://sellercentral.amazon.sa"),
            new Marketplace("A2VIGQ35RCS4UG", "AE", Region.EU, "https://sellercentral.amazon.ae"),
            new Marketplace("A21TJRUUN4KGV", "IN", Region.EU, "https://sellercentral.amazon.in"),
            new Marketplace("A19VAU5U5O7RUS", "SG", Region.FE, "https://sellercentral.amazon.sg"),
            new Marketplace("A39IBJ37TRP1C6", "AU", Region.FE, "https://sellercentral.amazon.com.au"),
            new Marketplace("A1VC38T7YXB528", "JP", Region.FE, "https://sellercentral.amazon.co.jp"));

    private static final Map<String, Marketplace> BY_NAME = new LinkedHashMap<>();

    static {
        for (Marketplace marketplace : ALL) {
            BY_NAME.put(marketplace.id(), marketplace);
            BY_NAME.put(marketplace.country(), marketplace);
        }
        BY_NAME.put("UK", BY_NAME.get("GB")); // Seller Central's own name for amazon.co.uk
    }

    private AmazonMarketplaces() {}

    /** Where a seller consents and whose endpoint its API is called at: a region, or one marketplace of it. */
    record Choice(Region region, Optional<Marketplace> marketplace) {
        String sellerCentral() {
            return marketplace.map(Marketplace::sellerCentral).orElse(region.sellerCentral);
        }
    }

    /**
     * What the merchant named: a marketplace id ({@code A1PA6795UKMFR9}), its country code ({@code DE}) or a region
     * ({@code NA}, {@code EU}, {@code FE}), in any case; none is North America.
     *
     * @throws IllegalArgumentException naming the accepted values, for anything else
     */
    static Choice choice(Optional<String> given) {
        if (given.isEmpty() || given.get().isBlank()) {
            return new Choice(Region.NA, Optional.empty());
        }
        String name = given.get().trim().toUpperCase(Locale.ROOT);
        Marketplace marketplace = BY_NAME.get(name);
        if (marketplace != null) {
            return new Choice(marketplace.region(), Optional.of(marketplace));
        }
        for (Region region : Region.values()) {
            if (region.name().equals(name)) {
                return new Choice(region, Optional.empty());
            }
        }
        throw new IllegalArgumentException("unknown Amazon marketplace or region '"
                + (name.length() > 40 ? name.substring(0, 40) + "…" : name)
                + "': give a marketplace id (A1PA6795UKMFR9), a country code (DE, US, JP, …) or a region (NA, EU, FE)");
    }

    /** The region whose SP-API endpoint (or its sandbox) {@code host} is; empty for any other host. */
    static Optional<Region> regionOfEndpoint(String host) {
        String plain = host.replaceFirst("^sandbox\\.", "");
        for (Region region : Region.values()) {
            if (region.endpoint.getHost().equals(plain)) {
                return Optional.of(region);
            }
        }
        return Optional.empty();
    }
}
