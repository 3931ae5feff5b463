package dev.commercesync.platforms.spi;

/**
 * A payload that cannot be turned into a canonical event: a required field is missing or a value is not
 * representable. Carries the field path and the reason; the message never contains payload values beyond what the
 * reason names, and never the body.
 */
public class MappingException extends Exception {

    /** What kind of failure, aligned with the quarantine's error classes. */
    public enum Kind {
        /** The body is not parseable JSON (or not a JSON object). */
        MALFORMED_PAYLOAD,
        /** The payload parses but a field is missing or not representable canonically. */
        MAPPING_ERROR
    }

    private final Kind kind;
    private final String fieldPath;
    private final String reason;
    private final String mappingVersion;

    public MappingException(Kind kind, String fieldPath, String reason, String mappingVersion) {
        super((fieldPath == null ? "" : fieldPath + ": ") + reason);
        this.kind = kind;
        this.fieldPath = fieldPath;
        this.reason = reason;
        this.mappingVersion = mappingVersion;
    }

    public static MappingException field(String fieldPath, String reason) {
        return new MappingException(Kind.MAPPING_ERROR, fieldPath, reason, null);
    }

    /** The same failure attributed to a mapper version (set by the mapper's caller). */
    public MappingException withMappingVersion(String version) {
        if (mappingVersion != null) {
            return this;
        }
        MappingException copy = new MappingException(kind, fieldPath, reason, version);
        copy.setStackTrace(getStackTrace());
        return copy;
    }

    public Kind kind() {
        return kind;
    }

    /** Path of the offending field ({@code line_items[2].quantity}), or null when the whole payload is at fault. */
    public String fieldPath() {
        return fieldPath;
    }

    public String reason() {
        return reason;
    }

    /** Version of the mapper that failed, or null when it failed before a mapper was chosen. */
    public String mappingVersion() {
        return mappingVersion;
    }
}
