package dev.commercesync.console.series;

import dev.commercesync.console.series.StoreCharts.SeriesView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The charts' figures as JSON (docs/console.md), behind the internal token like every {@code /api} endpoint. */
@Path("/api/stores/{platform}/{store}/series")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "operations")
@SecurityRequirement(name = "internal-token")
public class SeriesApi {
    private final StoreCharts charts;

    public SeriesApi(StoreCharts charts) {
        this.charts = charts;
    }

    @GET
    @Operation(
            summary = "Throughput and lag of one store over the last hours",
            description = "Per time bucket, oldest first (the last one still filling): raw records received"
                    + " (commerce.raw.v1, by record time), changes applied (commerce.applied.v1, by applied_at), and"
                    + " the median (within ~9 %) and largest lag of those changes in milliseconds, lag being applied_at"
                    + " − the platform's updated_at of the entity. From the console's memory, not a Kafka read; a store"
                    + " without records has zeros.")
    @APIResponse(
            responseCode = "200",
            description = "The buckets",
            content = @Content(schema = @Schema(implementation = SeriesView.class)))
    @APIResponse(
            responseCode = "400",
            description = "A window that is not a whole number of buckets within the kept one")
    public Response series(
            @PathParam("platform") String platform,
            @PathParam("store") String store,
            @Parameter(
                            description =
                                    "How far back: 6h, 90m or PT6H; a whole number of buckets (default 5m), at most"
                                            + " the kept window (commercesync.console.series.window, default 6h)")
                    @QueryParam("window")
                    String window) {
        Duration shown;
        try {
            shown = charts.window(window);
        } catch (IllegalArgumentException e) {
            return Response.status(400)
                    .entity(Map.of("error", "bad_window", "message", e.getMessage()))
                    .type(MediaType.APPLICATION_JSON)
                    .build();
        }
        return Response.ok(charts.series(platform, store, shown)).build();
    }
}
