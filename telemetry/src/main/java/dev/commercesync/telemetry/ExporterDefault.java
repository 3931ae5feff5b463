package dev.commercesync.telemetry;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;

/**
 * Turns the OpenTelemetry SDK off unless an OTLP endpoint is configured, so that a service run without a collector
 * (dev mode, tests, {@code synctl up}) never tries to export spans to the extension's default {@code localhost:4317}.
 * Configuring {@code quarkus.otel.exporter.otlp[.traces].endpoint} (e.g. {@code QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT})
 * turns tracing on; an explicit {@code quarkus.otel.sdk.disabled} always wins (this source has a low ordinal).
 */
public final class ExporterDefault implements ConfigSourceFactory {
    static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";
    static final List<String> ENDPOINTS =
            List.of("quarkus.otel.exporter.otlp.endpoint", "quarkus.otel.exporter.otlp.traces.endpoint");
    /** Below application.properties (250), system properties (400) and environment variables (300). */
    static final int ORDINAL = 100;

    @Override
    public Iterable<org.eclipse.microprofile.config.spi.ConfigSource> getConfigSources(ConfigSourceContext context) {
        boolean endpoint = ENDPOINTS.stream().map(context::getValue).anyMatch(ExporterDefault::isSet);
        return List.of(new PropertiesConfigSource(
                Map.of(SDK_DISABLED, Boolean.toString(!endpoint)), "commerce-sync tracing default", ORDINAL));
    }

    private static boolean isSet(ConfigValue value) {
        // The extension's own default (localhost:4317) is not a configured endpoint: only a real config source counts.
        return value != null
                && value.getValue() != null
                && !value.getValue().isBlank()
                && value.getConfigSourceOrdinal() > ORDINAL;
    }
}
