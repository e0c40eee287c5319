package org.paritysuite.harness.training;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.harness.chart.LogAxes;
import org.paritysuite.harness.output.AtomicOutput;

/**
 * The PNG of {@code parity train}: four panels over a shared epoch axis, one pair of series
 * (TensorFlow, reference) per run in one colour, TensorFlow a broad pale band and the reference a
 * thin dashed line of the full colour on top of it: two sides that agree draw a dashed line
 * running inside its band, two that part show the line leaving the band. (A single run draws the
 * reference in a second colour, there being no runs to tell apart.)
 * <ol>
 *   <li>training loss per step, at x = (step - 1) / steps per epoch: the loss of step t is taken
 *       before its update, at the weights after t - 1 steps (runs of many steps per epoch: the
 *       mean of consecutive steps, see {@link #window});</li>
 *   <li>the size of the sides' agreement, {@code |loss_tf - loss_ref|} of the training loss per
 *       step on a log scale (averaged like the losses; a step where they agree to the last bit is
 *       not drawn): the overlapping curves above show that the sides agree, this panel by how much;</li>
 *   <li>test loss after each epoch (x = 0 the initial weights);</li>
 *   <li>test accuracy after each epoch.</li>
 * </ol>
 * A common epoch axis lets runs with different batch sizes (different steps per epoch) share a
 * panel. Rendered headless: no display is needed.
 */
public final class LossPlot {

    /** Default image size, pixels. */
    public static final int DEFAULT_WIDTH = 1200;
    /** Default image size, pixels. */
    public static final int DEFAULT_HEIGHT = 1000;

    private static final Paint[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};
    private static final Color SINGLE_REFERENCE = new Color(0xd62728);
    private static final BasicStroke BAND = new BasicStroke(6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    private static final BasicStroke DASHED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND,
            1f, new float[] {6f, 4f}, 0f);

    private LossPlot() {
    }

    /**
     * Writes the plot of {@code runs} to {@code file} as a {@code width x height} PNG, all or
     * nothing ({@link AtomicOutput}); {@code file}'s directory must exist.
     *
     * @param title    the chart title
     * @param subtitle a line under it (data, precision, what the runs share)
     */
    public static void write(List<RunResult> runs, String title, String subtitle, Path file, int width, int height) {
        if (width < 200 || height < 200) {
            throw new FixtureException("plot size must be at least 200x200 pixels, found " + width + "x" + height);
        }
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("nothing to plot: no runs");
        }
        System.setProperty("java.awt.headless", "true");
        NumberAxis epochAxis = new NumberAxis("epoch (training loss of step t at x = (t - 1) / steps per epoch;"
                + " test values after each epoch, 0 = initial weights)");
        epochAxis.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        CombinedDomainXYPlot combined = new CombinedDomainXYPlot(epochAxis);
        combined.setGap(12);
        boolean single = runs.size() == 1;
        boolean averaged = runs.stream().anyMatch(r -> window(r.plan()) > 1);
        XYPlot trainPlot = panel(averaged ? "training loss (mean of " + runs.stream().map(r -> window(r.plan()))
                        .filter(w -> w > 1).map(String::valueOf).distinct().collect(Collectors.joining(", "))
                        + " steps where an epoch has > " + POINTS_PER_EPOCH + ")" : "training loss per step",
                runs, single, true,
                (r, tf) -> trainingSeries(r, tf));
        combined.add(trainPlot, 2);
        combined.add(divergencePanel(runs), 1);
        combined.add(panel("test loss", runs, single, false, (r, tf) -> epochSeries(r, tf, false)), 1);
        XYPlot accuracy = panel("test accuracy", runs, single, false, (r, tf) -> epochSeries(r, tf, true));
        combined.add(accuracy, 1);
        // Every panel holds the same series; the legend lists them once.
        LegendItemCollection legend = new LegendItemCollection();
        legend.addAll(trainPlot.getLegendItems());
        combined.setFixedLegendItems(legend);

        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 18), combined, true);
        chart.addSubtitle(new TextTitle(subtitle, new Font(Font.SANS_SERIF, Font.PLAIN, 13)));
        chart.getLegend().setPosition(RectangleEdge.BOTTOM);
        chart.getLegend().setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        chart.setBackgroundPaint(Color.WHITE);
        AtomicOutput.writeFile(file, "the plot", out -> ChartUtils.writeChartAsPNG(out, chart, width, height));
    }

    /** Builds one side's series of one run; {@code tf} chooses TensorFlow (true) or the reference. */
    @FunctionalInterface
    private interface SeriesOf {
        XYSeries of(RunResult run, boolean tf);
    }

    private static XYPlot panel(String yLabel, List<RunResult> runs, boolean single, boolean manyPoints,
                                SeriesOf seriesOf) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, !manyPoints);
        for (int i = 0; i < runs.size(); i++) {
            RunResult r = runs.get(i);
            Color colour = (Color) PALETTE[i % PALETTE.length];
            Color pale = new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 90);
            for (boolean tf : new boolean[] {true, false}) {
                XYSeries s = seriesOf.of(r, tf);
                s.setKey((single ? "" : r.plan().name() + ", ") + (tf ? "TensorFlow" : "reference"));
                data.addSeries(s);
                int index = data.getSeriesCount() - 1;
                renderer.setSeriesPaint(index, tf ? pale : single ? SINGLE_REFERENCE : colour);
                renderer.setSeriesStroke(index, tf ? BAND : DASHED);
                renderer.setSeriesShape(index, tf ? new Ellipse2D.Double(-6, -6, 12, 12)
                        : new Rectangle2D.Double(-3, -3, 6, 6));
            }
        }
        NumberAxis y = new NumberAxis(yLabel);
        y.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        y.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, null, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }

    /**
     * One side's training losses; a run of more than {@link #POINTS_PER_EPOCH} steps per epoch is
     * drawn as the mean of each {@link #window} consecutive steps (both sides alike), else batch 1's
     * noise of a thousand points an epoch hides every other run.
     */
    private static XYSeries trainingSeries(RunResult r, boolean tf) {
        XYSeries s = new XYSeries("", false, true);
        double perEpoch = r.plan().stepsPerEpoch();
        int window = window(r.plan());
        List<StepRecord> steps = r.steps();
        for (int from = 0; from < steps.size(); from += window) {
            List<StepRecord> group = steps.subList(from, Math.min(steps.size(), from + window));
            double loss = group.stream().mapToDouble(st -> tf ? st.tfLoss() : st.refLoss()).average().orElse(Double.NaN);
            if (!Double.isNaN(loss)) {
                s.add((group.get(0).step() - 1) / perEpoch, loss);
            }
        }
        return s;
    }

    /** {@code |loss_tf - loss_ref|} of each run's training steps, one full-colour series per run, log scale. */
    private static XYPlot divergencePanel(List<RunResult> runs) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        List<Double> drawn = new java.util.ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            RunResult r = runs.get(i);
            XYSeries s = new XYSeries(r.plan().name() + ", |TensorFlow - reference|", false, true);
            double perEpoch = r.plan().stepsPerEpoch();
            int window = window(r.plan());
            List<StepRecord> steps = r.steps();
            for (int from = 0; from < steps.size(); from += window) {
                List<StepRecord> group = steps.subList(from, Math.min(steps.size(), from + window));
                double divergence = group.stream().mapToDouble(st -> StepLosses.of(st).divergence()).average()
                        .orElse(Double.NaN);
                // A log axis has no place for 0 (agreement to the last bit) nor for NaN.
                if (divergence > 0 && Double.isFinite(divergence)) {
                    s.add((group.get(0).step() - 1) / perEpoch, divergence);
                    drawn.add(divergence);
                }
            }
            data.addSeries(s);
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            renderer.setSeriesStroke(i, new BasicStroke(1.5f));
        }
        LogAxis y = LogAxes.fitted("|loss TF - ref| (log; 0 not drawn)", drawn.stream().mapToDouble(Double::doubleValue));
        y.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        XYPlot plot = new XYPlot(data, null, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setNoDataMessage("the training losses agree to the last bit at every step");
        return plot;
    }

    /** The most training-loss points an epoch is drawn with. */
    public static final int POINTS_PER_EPOCH = 25;

    /** How many consecutive steps one point of the training-loss panel averages for {@code plan}. */
    public static int window(RunPlan plan) {
        return Math.max(1, (plan.stepsPerEpoch() + POINTS_PER_EPOCH - 1) / POINTS_PER_EPOCH);
    }

    private static XYSeries epochSeries(RunResult r, boolean tf, boolean accuracy) {
        XYSeries s = new XYSeries("", false, true);
        for (EpochRecord e : r.epochs()) {
            EpochRecord.Score score = tf ? e.tf() : e.ref();
            double value = accuracy ? score.accuracy() : score.loss();
            if (!Double.isNaN(value)) {
                s.add(e.epoch(), value);
            }
        }
        return s;
    }
}
