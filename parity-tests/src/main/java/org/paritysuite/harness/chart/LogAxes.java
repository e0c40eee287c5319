package org.paritysuite.harness.chart;

import java.text.DecimalFormat;
import java.util.stream.DoubleStream;
import org.jfree.chart.axis.LogAxis;

/**
 * Log-scale axes fitted to the values they show. JFreeChart's automatic range fails exactly where
 * this suite's numbers live: it widens a range shorter than 1e-8 (float64 agreement spans 1e-17 to
 * 1e-10) around its centre, below zero, where a log axis draws nothing; and a range of one repeated
 * value is refused outright. Fitting the range to the values, with a factor 2 of margin each side,
 * avoids both.
 */
public final class LogAxes {

    private LogAxes() {
    }

    /**
     * A base-10 log axis labelled {@code label}, with decimal mantissas ({@code 3.2E-7}, not
     * LogAxis's fractional powers {@code 10^-6.5}), ranging over the positive finite {@code values}
     * (automatic when there are none: the plot then shows its no-data message).
     */
    public static LogAxis fitted(String label, DoubleStream values) {
        LogAxis axis = new LogAxis(label);
        axis.setBase(10);
        axis.setSmallestValue(1e-300);
        axis.setNumberFormatOverride(new DecimalFormat("0.#E0"));
        double[] drawn = values.filter(v -> v > 0 && Double.isFinite(v)).toArray();
        if (drawn.length > 0) {
            double min = DoubleStream.of(drawn).min().orElseThrow();
            double max = DoubleStream.of(drawn).max().orElseThrow();
            axis.setRange(min / 2, max * 2);
        }
        return axis;
    }
}
