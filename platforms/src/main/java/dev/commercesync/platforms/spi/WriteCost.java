package dev.commercesync.platforms.spi;

/**
 * What one call of a {@link PlatformWriteClient} spends of the store's API budget ({@link RateLimitProfile}), as the
 * writer declares it ({@link PlatformWriteClient#applyCost}, {@link PlatformWriteClient#readBackCost}): the poller's
 * limiter takes these units before the call, so a command is charged what its requests cost, not one listing's
 * {@link PlatformCapabilities#requestCost()}.
 *
 * @param requests the requests the call sends when it goes the whole way (a lookup, then the write)
 * @param units what they spend together, in the profile's unit: {@code requests} where the platform counts requests;
 *     Shopify's GraphQL cost points (a lookup query 2, a mutation 10)
 */
public record WriteCost(int requests, double units) {
    /** A call that sends nothing (a writer without the kind rejects it without a request). */
    public static final WriteCost NONE = new WriteCost(0, 0);

    public WriteCost {
        if (requests < 0 || !(units >= 0) || (requests == 0) != (units == 0)) {
            throw new IllegalArgumentException("a write cost is some requests spending some units, or nothing: "
                    + requests + " requests, " + units + " units");
        }
    }

    /** {@code n} requests on a request-counted API: one unit each. */
    public static WriteCost requests(int n) {
        return new WriteCost(n, n);
    }
}
