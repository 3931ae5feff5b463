package dev.commercesync.console.series;

import java.time.Instant;

/**
 * One time bucket of a store's series.
 *
 * @param start when the bucket starts (UTC); it lasts the series' bucket width
 * @param received raw records of the store on {@code commerce.raw.v1} whose record timestamp falls in the bucket
 * @param applied changes of the store on {@code commerce.applied.v1} whose {@code applied_at} falls in the bucket
 * @param lagP50Ms median lag of those changes in milliseconds (within ~9 %, see {@link LagHistogram}); null when none
 * @param lagMaxMs largest lag of those changes in milliseconds, exact; null when none
 */
public record SeriesBucket(Instant start, long received, long applied, Long lagP50Ms, Long lagMaxMs) {}
