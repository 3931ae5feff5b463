package dev.commercesync.normalizer;

import dev.commercesync.platforms.Normalization;
import dev.commercesync.platforms.NormalizationOutcome;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.schemas.envelope.RawRecordRef;

/** What the pipeline calls to map one raw record: {@link Normalization#normalize(RawEnvelope, RawRecordRef)}. */
@FunctionalInterface
public interface RawNormalizer {
    NormalizationOutcome normalize(RawEnvelope envelope, RawRecordRef rawRef);

    static RawNormalizer of(Normalization normalization) {
        return normalization::normalize;
    }
}
