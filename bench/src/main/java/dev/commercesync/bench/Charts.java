package dev.commercesync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG line charts of benchmark results (XChart, headless). */
public final class Charts {
    private Charts() {}

    /** One line of a chart: x and y values of equal length. */
    public record Series(String name, List<Double> x, List<Double> y) {}

    /**
     * Writes a line chart to {@code png}.
     *
     * @param logX / logY logarithmic axes (entity counts, latencies spanning decades)
     */
    public static void line(
            Path png, String title, String xTitle, String yTitle, boolean logX, boolean logY, List<Series> series)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder()
                .width(900)
                .height(520)
                .title(title)
                .xAxisTitle(xTitle)
                .yAxisTitle(yTitle)
                .build();
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        for (Series s : series) {
            if (s.x().isEmpty()) {
                continue;
            }
            chart.addSeries(s.name(), s.x(), s.y()).setMarker(SeriesMarkers.CIRCLE);
        }
        Files.createDirectories(png.toAbsolutePath().getParent());
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** Convenience for series given as ordered x → y. */
    public static Series series(String name, Map<Double, Double> points) {
        return new Series(name, List.copyOf(points.keySet()), List.copyOf(points.values()));
    }
}
