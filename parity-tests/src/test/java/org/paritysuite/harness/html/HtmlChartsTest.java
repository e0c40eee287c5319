package org.paritysuite.harness.html;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The per-layer chart draws its points at every scale the two precisions produce. */
class HtmlChartsTest {

    /** {@code HtmlCharts}' colour of the local-error series. */
    private static final int LOCAL = 0xff7f0e;
    /** {@code HtmlCharts}' colour of the tolerance. */
    private static final int TOLERANCE = 0x2ca02c;

    @ParameterizedTest(name = "errors around {0} against a tolerance 1e4 times larger are drawn")
    @ValueSource(doubles = {1e-17, 1e-9, 1e-3})
    void drawsEveryScale(double error) throws IOException {
        // float64 agreement is ~1e-17..1e-15 of scale under tolerances of ~1e-10: a range shorter
        // than JFreeChart's default minimum axis range, which once left such charts blank.
        List<LayerChartRow> rows = List.of(
                new LayerChartRow("a", Double.NaN, error, error * 1e4, Double.NaN, error / 3, error * 1e4),
                new LayerChartRow("b", error, error * 2, error * 1e4, error, error / 2, error * 1e4));
        String uri = HtmlCharts.layerChart("scale " + error, rows);
        BufferedImage chart = ImageIO.read(new ByteArrayInputStream(
                Base64.getDecoder().decode(uri.substring(uri.indexOf(',') + 1))));
        assertThat(pixels(chart, LOCAL)).as("pixels of the local-error points at scale %s", error).isPositive();
        assertThat(pixels(chart, TOLERANCE)).as("pixels of the tolerance line at scale %s", error).isPositive();
    }

    @ParameterizedTest(name = "one value {0} repeated everywhere is drawn, not refused as an empty range")
    @ValueSource(doubles = {4.440892098500632E-16, 1e-3})
    void drawsOneRepeatedValue(double value) throws IOException {
        List<LayerChartRow> rows = List.of(new LayerChartRow("a", value, value, value, value, value, value));
        String uri = HtmlCharts.layerChart("one value", rows);
        BufferedImage chart = ImageIO.read(new ByteArrayInputStream(
                Base64.getDecoder().decode(uri.substring(uri.indexOf(',') + 1))));
        assertThat(pixels(chart, TOLERANCE)).as("pixels of the tolerance mark").isPositive();
    }

    private static long pixels(BufferedImage image, int rgb) {
        long n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }
}
