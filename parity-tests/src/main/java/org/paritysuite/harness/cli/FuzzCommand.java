package org.paritysuite.harness.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.TerminalText;
import org.paritysuite.harness.fuzz.FuzzRun;
import org.paritysuite.harness.fuzz.SpecGenerator;
import org.paritysuite.harness.output.AtomicOutput;
import org.paritysuite.harness.run.CaseResult;
import org.paritysuite.harness.run.ParityCase;
import org.paritysuite.harness.run.ParityHarness;
import org.paritysuite.harness.wiring.Wiring;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code parity fuzz}: parity of generated models ({@code harness.fuzz}), seeds {@code S} to
 * {@code S + N - 1}, each a small random spec with random weights and batch. One line per model
 * on stderr; on stdout the tally, the coverage of the spec space, and each failing seed with the
 * command that replays it and, with {@code --out}, the export bundle of its case.
 */
@Command(name = "fuzz", mixinStandardHelpOptions = true,
        description = {"Generates N small random models (every layer type and option of the spec format) with random",
                "weights and batches from seeds S..S+N-1, runs each on both sides, and exits 0 only when none fails."})
final class FuzzCommand implements Callable<Integer> {

    @Option(names = "--count", paramLabel = "N", defaultValue = "100",
            description = "Models to generate (default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--seed", paramLabel = "S", description = {"The first model's seed; model i has seed S+i, and"
            + " --seed S --count 1 replays model S alone. Default: a fresh seed, printed."})
    Long seed;

    @Option(names = "--precision", paramLabel = "P",
            description = "float64 or float32 (repeatable; default: float64, the parity every generated model must meet).")
    List<String> precisions = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = {"Write each failing case as an export bundle"
            + " (spec.json, weights.npz, inputs.npz, tf.npz, reference.npz) in DIR/fuzz-SEED-PRECISION; DIR is"
            + " created if absent, its parent must exist."})
    Path out;

    @Option(names = "--threads", paramLabel = "N", description = {"Models run side by side on N threads.",
            "Default: the number of cores, at most " + VerifyCommand.MAX_DEFAULT_THREADS + "."})
    Integer threads;

    @Option(names = "--verbose", description = "Print stack traces on errors.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    /**
     * The most models in one run: a float64 model takes about 0.06 s on two cores, so 100,000 are
     * about two hours; a longer search is several runs with other seeds.
     */
    static final int MAX_COUNT = 100_000;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        ParityCli.requireRange("--count", count, 1, MAX_COUNT, " (models of about 0.06 s each)");
        int workers = threads != null ? ParityCli.requireRange("--threads", threads, 1, VerifyCommand.MAX_THREADS, "")
                : Math.min(VerifyCommand.MAX_DEFAULT_THREADS, Runtime.getRuntime().availableProcessors());
        List<Precision> chosen = precisions.isEmpty() ? List.of(Precision.FLOAT64)
                : precisions.stream().map(Precision::fromLabel).distinct().toList();
        // A fresh seed is small enough to type back in.
        long first = seed != null ? seed : new SplittableRandom().nextInt(0, Integer.MAX_VALUE);
        if (first > Long.MAX_VALUE - (count - 1)) {
            throw new FixtureException("--seed " + first + ": the last model's seed, S + N - 1, would pass "
                    + Long.MAX_VALUE + "; expected a smaller --seed or --count");
        }
        if (out != null) {
            requireBundleDirectory(out);
        }
        stderr.printf(Locale.ROOT, "fuzzing %d generated model(s), seeds %d to %d, in %s, on %d thread(s)%n", count,
                first, first + count - 1, String.join(" and ", chosen.stream().map(Precision::label).toList()), workers);
        stderr.flush();
        int[] done = {0};
        FuzzRun.Summary summary = new FuzzRun(Wiring.STANDARD, chosen, workers).run(first, count, o -> {
            stderr.printf(Locale.ROOT, "[%d/%d] seed %d: %s: %s%n", ++done[0], count, o.generated().seed(),
                    o.generated().summary(), verdict(o));
            stderr.flush();
        });
        stdout.printf(Locale.ROOT, "%d generated model(s), seeds %d to %d: %d passed, %d failed, %d vacuous (every"
                        + " tensor of a dead layer exactly zero on both sides)%n", count, first, first + count - 1,
                count - summary.failed().size() - summary.vacuous().size(), summary.failed().size(),
                summary.vacuous().size());
        stdout.println(summary.coverage().summary());
        if (!summary.vacuous().isEmpty()) {
            stdout.println("vacuous seeds: " + summary.vacuous().stream().map(o -> Long.toString(o.generated().seed()))
                    .reduce((a, b) -> a + ", " + b).orElseThrow());
        }
        for (FuzzRun.Outcome o : summary.failed()) {
            report(o, stdout);
        }
        return summary.passed() ? ParityCli.PASSED : ParityCli.FAILED;
    }

    /** {@code PASS}, {@code VACUOUS}, or {@code FAIL} with each failing precision's first divergence. */
    private static String verdict(FuzzRun.Outcome o) {
        return switch (o.verdict()) {
            case PASSED -> "PASS";
            case VACUOUS -> "VACUOUS";
            case FAILED -> "FAIL " + String.join("; ", o.failures().stream()
                    .map(r -> r.precision() + " at " + r.firstDivergence()).toList());
        };
    }

    /** A failing seed: what failed, how to replay it, and its bundle when {@code --out} was given. */
    private void report(FuzzRun.Outcome o, PrintWriter stdout) {
        long s = o.generated().seed();
        for (CaseResult r : o.failures()) {
            stdout.printf(Locale.ROOT, "FAIL seed %d, %s: %s at %s%n", s, r.precision(), o.generated().summary(),
                    r.firstDivergence());
            r.checks().stream().filter(c -> !c.passed() && !r.excusedByKink(c)).findFirst()
                    .ifPresent(c -> stdout.println(c.comparison().message().indent(4).stripTrailing()));
            stdout.printf(Locale.ROOT, "  replay: parity fuzz --seed %d --count 1 --precision %s%n", s, r.precision());
            if (out != null) {
                Path bundle = out.resolve(bundleName(s, r.precision()));
                ParityCase c = o.generated().parityCase(r.precision());
                createDirectory(out);
                ExportCommand.write(bundle, c, new ParityHarness(Wiring.STANDARD).trace(c));
                stdout.println("  bundle: " + TerminalText.escape(bundle.toString()));
            }
        }
        stdout.flush();
    }

    /** {@code fuzz-SEED-PRECISION}, the bundle directory of one failing case. */
    static String bundleName(long seed, Precision precision) {
        return SpecGenerator.NAME_PREFIX + seed + "-" + precision.label();
    }

    /**
     * Refuses, before any model runs, a {@code --out} that is a file or whose parent is missing, and
     * a bundle directory inside it that holds anything but an earlier bundle (which is replaced).
     */
    private static void requireBundleDirectory(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new FixtureException("--out " + dir + ": is a file; expected a directory for the bundles of failing"
                    + " cases, absent (then created) or existing");
        }
        if (!Files.exists(dir)) {
            AtomicOutput.requireDirectory(dir, "--out", ExportCommand.FILES);
            return;
        }
        if (!Files.isWritable(dir)) {
            throw new FixtureException("--out " + dir + ": the directory is not writable");
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : entries.filter(e -> e.getFileName().toString().startsWith(SpecGenerator.NAME_PREFIX))
                    .toList()) {
                AtomicOutput.requireDirectory(entry, "--out", ExportCommand.FILES);
            }
        } catch (IOException e) {
            throw new FixtureException("--out " + dir + ": cannot list the directory: " + e.getMessage(), e);
        }
    }

    private static void createDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new FixtureException("--out " + dir + ": cannot create the directory: " + e.getMessage(), e);
        }
    }
}
