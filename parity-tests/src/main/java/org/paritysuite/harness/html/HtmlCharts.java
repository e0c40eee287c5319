package org.paritysuite.harness.html;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.stream.DoubleStream;
import org.paritysuite.harness.chart.LogAxes;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.paritysuite.harness.training.StepLosses;

/**
 * The report's charts, drawn by JFreeChart and embedded as PNG data URIs: no drawing of our own,
 * and nothing the page must fetch. Small on purpose (a chart is 10 to 30 kB), since the whole
 * zoo's report holds about a hundred of them.
 */
public final class HtmlCharts {

    /** Size of a per-layer chart, pixels. */
    static final int LAYER_WIDTH = 720;
    /** Size of a per-layer chart, pixels. */
    static final int LAYER_HEIGHT = 400;
    /** Size of a trajectory chart, pixels. */
    static final int TRAJECTORY_WIDTH = 520;
    /** Size of a trajectory chart, pixels. */
    static final int TRAJECTORY_HEIGHT = 340;

    private static final Color TENSORFLOW = new Color(0x1f77b4);
    private static final Color REFERENCE = new Color(0xd62728);
    private static final Color TOLERANCE = new Color(0x2ca02c);
    private static final Color LOCAL = new Color(0xff7f0e);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 13);
    private static final BasicStroke DASHED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND,
            1f, new float[] {6f, 4f}, 0f);

    /** What a distance panel says when it has no point: a log scale cannot draw 0. */
    public static final String IDENTICAL_LOSSES = "the losses agree to the last bit at every step";

    private HtmlCharts() {
    }

    /**
     * A case's errors per layer against their tolerances on a log scale: forward (activations,
     * output, loss) above, backward (parameter gradients) below; inherited and local errors as two
     * series, the tolerance as a dashed line. Absent values (NaN) and exact agreement (0, which a
     * log scale cannot show) are not drawn.
     */
    public static String layerChart(String title, List<LayerChartRow> layers) {
        CombinedDomainCategoryPlot combined = new CombinedDomainCategoryPlot(new CategoryAxis("layer"));
        combined.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        combined.getDomainAxis().setTickLabelFont(LABEL);
        combined.getDomainAxis().setLabelFont(LABEL);
        combined.setGap(10);
        CategoryPlot forward = layerPanel("forward", layers, true);
        combined.add(forward, 1);
        combined.add(layerPanel("backward", layers, false), 1);
        // Both panels hold the same three series: the legend lists them once.
        combined.setFixedLegendItems(forward.getLegendItems());
        JFreeChart chart = chart(title, combined);
        chart.addSubtitle(new TextTitle("max|TF - ref| / max|ref| against its tolerance, log scale", LABEL));
        return render(chart, LAYER_WIDTH, LAYER_HEIGHT);
    }

    private static CategoryPlot layerPanel(String label, List<LayerChartRow> layers, boolean forward) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (LayerChartRow l : layers) {
            data.addValue(drawable(forward ? l.inheritedForward() : l.inheritedBackward()), "inherited error", l.layer());
            data.addValue(drawable(forward ? l.localForward() : l.localBackward()), "local error", l.layer());
            data.addValue(drawable(forward ? l.forwardTolerance() : l.backwardTolerance()), "tolerance", l.layer());
        }
        LineAndShapeRenderer renderer = new LineAndShapeRenderer(true, true);
        renderer.setSeriesPaint(0, TENSORFLOW);
        renderer.setSeriesShape(0, new Ellipse2D.Double(-4, -4, 8, 8));
        renderer.setSeriesPaint(1, LOCAL);
        renderer.setSeriesShape(1, new Rectangle2D.Double(-3.5, -3.5, 7, 7));
        renderer.setSeriesPaint(2, TOLERANCE);
        renderer.setSeriesStroke(2, DASHED);
        // A bar as well as the line: a line joins neighbours only, and a layer between two without gradients has none.
        renderer.setSeriesShape(2, new Rectangle2D.Double(-9, -1, 18, 2));
        CategoryPlot plot = new CategoryPlot(data, null, LogAxes.fitted(label, layers.stream().flatMapToDouble(
                l -> forward ? DoubleStream.of(l.inheritedForward(), l.localForward(), l.forwardTolerance())
                        : DoubleStream.of(l.inheritedBackward(), l.localBackward(), l.backwardTolerance()))), renderer);
        style(plot.getRangeAxis());
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }

    /**
     * A trajectory: both sides' training loss per step above, {@code |loss_tf - loss_ref|} on a
     * log scale below, so that agreement shows its size and not only the curves' overlap.
     */
    public static String trajectoryChart(TrajectoryCurve curve) {
        XYSeries tf = new XYSeries("TensorFlow", false, true);
        XYSeries ref = new XYSeries("reference", false, true);
        XYSeries divergence = new XYSeries("|TensorFlow - reference|", false, true);
        for (StepLosses s : curve.steps()) {
            addFinite(tf, s.step(), s.tensorflow());
            addFinite(ref, s.step(), s.reference());
            Double d = drawable(s.divergence());
            if (d != null) {
                divergence.add(s.step(), d);
            }
        }
        NumberAxis stepAxis = new NumberAxis("step");
        stepAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        style(stepAxis);
        CombinedDomainXYPlot combined = new CombinedDomainXYPlot(stepAxis);
        combined.setGap(8);
        NumberAxis lossAxis = new NumberAxis("training loss");
        lossAxis.setAutoRangeIncludesZero(false);
        combined.add(xyPanel(lossAxis, new Paint[] {TENSORFLOW, REFERENCE}, tf, ref), 3);
        XYPlot distance = xyPanel(LogAxes.fitted("|loss TF - ref| (log)",
                curve.steps().stream().mapToDouble(StepLosses::divergence)), new Paint[] {Color.DARK_GRAY}, divergence);
        distance.setNoDataMessage(IDENTICAL_LOSSES);
        combined.add(distance, 2);
        return render(chart(curve.name() + ": " + curve.verdict(), combined), TRAJECTORY_WIDTH, TRAJECTORY_HEIGHT);
    }

    private static XYPlot xyPanel(ValueAxis y, Paint[] paints, XYSeries... series) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < series.length; i++) {
            data.addSeries(series[i]);
            renderer.setSeriesPaint(i, paints[i]);
            // The reference dashed over TensorFlow's solid line: where they agree, both stay visible.
            renderer.setSeriesStroke(i, i == 1 ? DASHED : new BasicStroke(2.5f));
        }
        style(y);
        XYPlot plot = new XYPlot(data, null, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }


    private static void style(ValueAxis axis) {
        axis.setLabelFont(LABEL);
        axis.setTickLabelFont(LABEL);
    }

    private static JFreeChart chart(String title, Plot plot) {
        JFreeChart chart = new JFreeChart(title, TITLE, plot, true);
        chart.getLegend().setPosition(RectangleEdge.BOTTOM);
        chart.getLegend().setItemFont(LABEL);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static String render(JFreeChart chart, int width, int height) {
        System.setProperty("java.awt.headless", "true");
        // Opaque RGB: an alpha channel would only make every PNG larger.
        return Thumbnails.dataUri(chart.createBufferedImage(width, height, BufferedImage.TYPE_INT_RGB, null));
    }

    /** {@code value} as a log scale can draw it, or null (not drawn): NaN, infinite, 0 or negative. */
    private static Double drawable(double value) {
        return value > 0 && Double.isFinite(value) ? value : null;
    }

    private static void addFinite(XYSeries series, int step, double value) {
        if (Double.isFinite(value)) {
            series.add(step, value);
        }
    }
}
