package org.paritysuite.harness.cli;

import org.paritysuite.harness.wiring.Wiring;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.paritysuite.fixtures.TerminalText;
import org.paritysuite.fixtures.run.ModelRunner;
import org.paritysuite.harness.run.ParityCase;
import org.paritysuite.fixtures.run.Side;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code parity bench}: the wall time of one forward+backward pass on each side, after warm-up
 * passes, as the median and range of repeated passes. A measurement to read, never a test
 * verdict: the numbers depend on the machine and on what else runs on it.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Times one forward+backward pass of each chosen case on each side (after warm-up).")
final class BenchCommand implements Callable<Integer> {

    @Mixin
    CaseSelection selection;

    @Spec
    CommandSpec spec;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed passes first (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--repeat", defaultValue = "10", description = "Timed passes (default ${DEFAULT-VALUE}).")
    int repeat;

    /**
     * The most warm-up or timed passes: a float64 pass of ds541-cnn-a took 1.6 s on the reference
     * side, so 1,000 passes of each side of one case are already an hour; the median settles long before.
     */
    static final int MAX_PASSES = 1000;

    @Override
    public Integer call() {
        ParityCli.requireRange("--warmup", warmup, 0, MAX_PASSES, " (passes of every case on each side)");
        ParityCli.requireRange("--repeat", repeat, 1, MAX_PASSES, " (passes of every case on each side)");
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%-45s %-11s %10s %10s %10s%n", "case", "side", "median ms", "min ms", "max ms");
        List<ParityCase> cases = selection.cases();
        for (ParityCase c : cases) {
            time(c, "tensorflow", Wiring.STANDARD.tensorflow(), out);
            time(c, "reference", Wiring.STANDARD.reference(), out);
        }
        out.printf(Locale.ROOT, "%d warm-up and %d timed passes per side; %d cores%n", warmup, repeat,
                Runtime.getRuntime().availableProcessors());
        return ParityCli.PASSED;
    }

    private void time(ParityCase c, String name, Side side, PrintWriter out) {
        double[] millis = new double[repeat];
        try (ModelRunner runner = side.build(c.spec(), c.weights(), c.precision())) {
            for (int i = 0; i < warmup; i++) {
                runner.forwardBackward(c.batch());
            }
            for (int i = 0; i < repeat; i++) {
                long t0 = System.nanoTime();
                runner.forwardBackward(c.batch());
                millis[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        Arrays.sort(millis);
        out.printf(Locale.ROOT, "%-45s %-11s %10.1f %10.1f %10.1f%n", TerminalText.escape(c.displayName()), name,
                millis[repeat / 2], millis[0], millis[repeat - 1]);
        out.flush();
    }
}
