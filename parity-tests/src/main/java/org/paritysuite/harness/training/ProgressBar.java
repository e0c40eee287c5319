package org.paritysuite.harness.training;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Training progress on standard error. On a terminal the bar redraws in place with a carriage
 * return, at most every {@link #REDRAW_NANOS}; anywhere else (a CI log, a file, a pipe) it prints
 * a plain line at every tenth of the run instead, so a log holds no control characters and a
 * handful of lines per run.
 *
 * <pre>{@code
 * terminal: sgd [#########---------------]  300/750  40%  loss tf 0.5312 ref 0.5312  12 s, eta 18 s
 * log:      sgd: step 300/750 (40%), loss tf 0.5312 ref 0.5312, 12 s, eta 18 s
 * }</pre>
 */
public final class ProgressBar {

    /** The shortest interval between two redraws on a terminal. */
    public static final long REDRAW_NANOS = 100_000_000L;

    private static final int WIDTH = 24;

    private final PrintWriter err;
    private final boolean interactive;
    private final LongSupplier clock;
    private String label = "";
    private int total;
    private long started;
    private long lastDraw;
    private int lastTenth;
    private int drawnLength;

    /**
     * A bar writing to {@code err}.
     *
     * @param interactive redraw in place (a terminal) or print plain lines (anything else)
     * @param clock       nanosecond time, {@code System::nanoTime} outside tests
     */
    public ProgressBar(PrintWriter err, boolean interactive, LongSupplier clock) {
        this.err = err;
        this.interactive = interactive;
        this.clock = clock;
    }

    /** A bar on {@code err} that redraws in place when the JVM runs on a terminal. */
    public static ProgressBar forConsole(PrintWriter err) {
        return new ProgressBar(err, System.console() != null, System::nanoTime);
    }

    /** Starts a run of {@code totalSteps} steps. */
    public void start(String runLabel, int totalSteps) {
        if (totalSteps < 1) {
            throw new IllegalArgumentException("a run has at least one step, found " + totalSteps);
        }
        label = runLabel;
        total = totalSteps;
        started = clock.getAsLong();
        lastDraw = Long.MIN_VALUE;
        lastTenth = 0;
        drawnLength = 0;
    }

    /** Step {@code step} of the run is done; {@code status} is shown next to the count (e.g. the losses). */
    public void update(int step, String status) {
        long now = clock.getAsLong();
        double elapsed = (now - started) / 1e9;
        double eta = elapsed / step * (total - step);
        if (interactive) {
            if (step < total && lastDraw != Long.MIN_VALUE && now - lastDraw < REDRAW_NANOS) {
                return;
            }
            int filled = (int) ((long) WIDTH * step / total);
            String line = String.format(Locale.ROOT, "%s [%s%s] %5d/%d %3d%%  %s  %.0f s, eta %.0f s", label,
                    "#".repeat(filled), "-".repeat(WIDTH - filled), step, total, 100L * step / total, status,
                    elapsed, eta);
            // Pad with blanks so a shorter line wipes the end of the longer one before it.
            err.print("\r" + line + " ".repeat(Math.max(0, drawnLength - line.length())));
            drawnLength = line.length();
            lastDraw = now;
        } else {
            int tenth = (int) (10L * step / total);
            if (tenth == lastTenth) {
                return;
            }
            lastTenth = tenth;
            err.printf(Locale.ROOT, "%s: step %d/%d (%d%%), %s, %.0f s, eta %.0f s%n", label, step, total,
                    100L * step / total, status, elapsed, eta);
        }
        err.flush();
    }

    /** Clears the bar's line on a terminal, so other output starts on a clean line; nothing otherwise. */
    public void interrupt() {
        if (interactive && drawnLength > 0) {
            err.print("\r" + " ".repeat(drawnLength) + "\r");
            err.flush();
            drawnLength = 0;
            lastDraw = Long.MIN_VALUE;
        }
    }

    /** Ends the run's bar with a final line. */
    public void finish(String summary) {
        interrupt();
        err.println(label + ": " + summary);
        err.flush();
    }
}
