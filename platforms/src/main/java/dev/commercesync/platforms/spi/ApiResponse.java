package dev.commercesync.platforms.spi;

import java.util.Optional;

/**
 * A successful API answer and the quota the platform reported with it.
 *
 * @param quota remaining budget as the response reported it; empty when the response carried none
 */
public record ApiResponse<T>(T value, Optional<QuotaStatus> quota) {}
