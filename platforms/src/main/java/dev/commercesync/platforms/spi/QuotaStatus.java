package dev.commercesync.platforms.spi;

/**
 * The API budget a response reported.
 *
 * @param remaining units left now (cost points or requests)
 * @param limit the bucket size
 * @param refillPerSecond units restored per second, or 0 when the platform resets in windows instead
 */
public record QuotaStatus(double remaining, double limit, double refillPerSecond) {}
