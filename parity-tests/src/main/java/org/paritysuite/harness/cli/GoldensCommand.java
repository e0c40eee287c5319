package org.paritysuite.harness.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.TerminalText;
import org.paritysuite.harness.baseline.Growth;
import org.paritysuite.harness.baseline.GrowthRule;
import org.paritysuite.harness.golden.GoldenBundle;
import org.paritysuite.harness.golden.GoldenCheck;
import org.paritysuite.harness.golden.GoldenLane;
import org.paritysuite.harness.golden.Goldens;
import org.paritysuite.harness.output.AtomicOutput;
import org.paritysuite.harness.report.Environment;
import org.paritysuite.harness.run.CaseResult;
import org.paritysuite.harness.run.Concurrently;
import org.paritysuite.harness.run.ParityCase;
import org.paritysuite.harness.run.ParityHarness;
import org.paritysuite.harness.wiring.Wiring;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code parity goldens}: golden bundles of the zoo (docs/goldens.md). {@code --out DIR} records
 * one bundle per zoo model and precision; {@code --verify DIR} checks the reference against the
 * bundles' TensorFlow tensors without loading TensorFlow; {@code --check DIR} runs TensorFlow again
 * and checks that it reproduces its recorded tensors within the error baseline's growth rule.
 *
 * <p>{@code --verify} names only the reference-only wiring ({@link Wiring.ReferenceOnly}) and
 * the environment without TensorFlow, so it runs on a class path without TensorFlow's jars
 * ({@code GoldenLaneTest} proves it).
 */
@Command(name = "goldens", mixinStandardHelpOptions = true,
        description = "Records golden bundles of the zoo (--out), checks the reference against them without"
                + " TensorFlow (--verify), or checks that TensorFlow still reproduces them (--check).")
final class GoldensCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Lane lane;

    /** What to do, one of three. */
    static final class Lane {
        @Option(names = "--out", paramLabel = "DIR", description = "Record the bundles into DIR: absent, empty, or"
                + " previous goldens (replaced as a whole).")
        Path out;

        @Option(names = "--verify", paramLabel = "DIR", description = "Check the reference against the bundles of DIR"
                + " without TensorFlow: exit 0 when every tensor is within its tolerance, 1 otherwise.")
        Path verify;

        @Option(names = "--check", paramLabel = "DIR", description = "Run TensorFlow again on the bundles of DIR: exit 0"
                + " when it reproduces every recorded tensor within the baseline's growth rule, 1 otherwise.")
        Path check;
    }

    @Option(names = "--model", paramLabel = "ID", description = "Only this zoo model's bundles (repeatable; default:"
            + " every zoo model).")
    List<String> models = new ArrayList<>();

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the outcome of --verify or --check as JSON.")
    Path json;

    @Option(names = "--threads", paramLabel = "N", description = {"Bundles run side by side on N threads.",
            "Default: the number of cores, at most " + MAX_DEFAULT_THREADS + "."})
    Integer threads;

    @Option(names = "--verbose", description = "Print stack traces on errors.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    /** Beyond four, memory grows faster than the run time shrinks (as for verify). */
    static final int MAX_DEFAULT_THREADS = 4;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public Integer call() {
        int workers = threads != null ? ParityCli.requireRange("--threads", threads, 1, 64, "")
                : Math.min(MAX_DEFAULT_THREADS, Runtime.getRuntime().availableProcessors());
        if (json != null) {
            if (lane.out != null) {
                throw new FixtureException("--json goes with --verify or --check; --out writes the bundles only");
            }
            AtomicOutput.requireFile(json, "--json");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (lane.out != null) {
            return record(out, workers);
        }
        boolean verifying = lane.verify != null;
        Path dir = verifying ? lane.verify : lane.check;
        // Every bundle is read and its case rebuilt before any runs: bad input is refused before any work.
        List<Selected> selected = select(dir, verifying ? "--verify" : "--check", workers);
        long start = System.nanoTime();
        List<Outcome> outcomes = Concurrently.map(selected, workers,
                s -> verifying
                        ? Outcome.of(GoldenLane.verify(s.bundle, s.parityCase, Wiring.ReferenceOnly.SIDES.reference(), s.file))
                        : Outcome.of(GoldenLane.regenerate(s.bundle, s.parityCase, Wiring.STANDARD.tensorflow(), s.file)),
                (s, o) -> { });
        double seconds = (System.nanoTime() - start) / 1e9;
        outcomes.forEach(o -> out.println(o.line()));
        long failed = outcomes.stream().filter(o -> !o.passed).count();
        String rule = verifying
                ? "reference against TensorFlow's recorded tensors, full tolerances, TensorFlow not loaded"
                : "TensorFlow against its recorded tensors, " + GrowthRule.describe();
        out.println(String.format(Locale.ROOT, "%s: %d of %d bundles in %s passed (%s), %.1f s",
                failed == 0 ? "GOLDENS OK" : "GOLDENS FAILED", outcomes.size() - failed, outcomes.size(),
                TerminalText.escape(dir.toString()), rule, seconds));
        if (json != null) {
            writeJson(verifying ? "verify" : "check", verifying ? Environment.withoutTensorFlow() : Environment.current(),
                    outcomes);
        }
        return failed == 0 ? ParityCli.PASSED : ParityCli.FAILED;
    }

    /** Records every selected case into {@code --out}, all bundles or none; none when a case fails its tolerance. */
    private int record(PrintWriter out, int workers) {
        List<ParityCase> cases = Goldens.cases(models);
        Set<String> names = new LinkedHashSet<>();
        cases.forEach(c -> names.add(Goldens.fileName(c)));
        AtomicOutput.requireDirectory(lane.out, "--out", names);
        Map<String, String> environment = Environment.current();
        ParityHarness harness = new ParityHarness(Wiring.STANDARD);
        List<Recorded> recorded = Concurrently.map(cases, workers, c -> {
            ParityHarness.Traces traces = harness.trace(c);
            CaseResult result = ParityHarness.judge(c, traces);
            return new Recorded(c, result, Goldens.record(c, traces.tensorflow(), result, environment).toBytes());
        }, (c, r) -> out.println((r.result.passed() ? "recorded " : "FAILED   ") + r.result.id()));
        List<String> failing = recorded.stream().filter(r -> !r.result.passed()).map(r -> r.result.id()).toList();
        if (!failing.isEmpty()) {
            out.println("GOLDENS NOT WRITTEN: " + failing.size() + " cases fail their tolerance in the full harness ("
                    + String.join(", ", failing) + "); a golden must be a case that passes (see parity verify)");
            return ParityCli.FAILED;
        }
        AtomicOutput.writeDirectory(lane.out, "the goldens", names, bundle -> {
            for (Recorded r : recorded) {
                bundle.add(Goldens.fileName(r.parityCase), o -> o.write(r.bytes));
            }
        });
        long bytes = recorded.stream().mapToLong(r -> r.bytes.length).sum();
        out.println(String.format(Locale.ROOT, "GOLDENS WRITTEN: %d bundles, %,d bytes, to %s", recorded.size(), bytes,
                TerminalText.escape(lane.out.toString())));
        return ParityCli.PASSED;
    }

    /** A recorded case and its bundle's bytes. */
    private record Recorded(ParityCase parityCase, CaseResult result, byte[] bytes) {
    }

    /** A bundle to check, read and rebuilt. */
    private record Selected(Path file, GoldenBundle bundle, ParityCase parityCase) {
    }

    /**
     * The bundles of {@code dir} ({@code *.npz}, in name order), of the {@code --model}s if any, each
     * read and rebuilt on {@code workers} threads (rebuilding draws each model's weights again).
     */
    private List<Selected> select(Path dir, String option, int workers) {
        if (!Files.isDirectory(dir)) {
            throw new FixtureException(option + " " + dir + ": no such directory; expected the output of parity goldens --out");
        }
        List<Path> files;
        try (Stream<Path> entries = Files.list(dir)) {
            files = entries.filter(p -> p.getFileName().toString().endsWith(".npz")).sorted().toList();
        } catch (IOException e) {
            throw new FixtureException(option + " " + dir + ": cannot be listed: " + e.getMessage());
        }
        List<Selected> selected = Concurrently.map(files, workers, file -> {
            GoldenBundle bundle = GoldenBundle.read(file);
            return models.isEmpty() || models.contains(bundle.model())
                    ? new Selected(file, bundle, Goldens.rebuild(bundle, file)) : null;
        }, (file, s) -> { }).stream().filter(Objects::nonNull).toList();
        Set<String> found = new LinkedHashSet<>();
        selected.forEach(s -> found.add(s.bundle.model()));
        if (selected.isEmpty()) {
            throw new FixtureException(option + " " + dir + ": holds no golden bundles" + (models.isEmpty() ? ""
                    : " of " + String.join(", ", models)) + "; expected the .npz files of parity goldens --out");
        }
        models.stream().filter(m -> !found.contains(m)).findFirst().ifPresent(m -> {
            throw new FixtureException("--model " + m + ": " + dir + " holds no bundle of it");
        });
        return selected;
    }

    /** One bundle's outcome in either lane, as printed and as JSON. */
    private record Outcome(boolean passed, String line, ObjectNode json) {

        static Outcome of(GoldenLane.Verified v) {
            List<GoldenCheck> failing = v.checks().stream().filter(c -> !c.passed()).toList();
            double worst = v.checks().stream().mapToDouble(GoldenCheck::errorRatio).max().orElse(0);
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s %s  %d tensors, greatest error %.3g of"
                    + " its tolerance", v.passed() ? "PASS" : "FAIL", v.caseId(), v.checks().size(), worst));
            failing.forEach(c -> line.append('\n').append(c.message().indent(4).stripTrailing()));
            ObjectNode json = node(v.caseId(), v.file(), v.passed());
            ArrayNode tensors = json.putArray("tensors");
            for (GoldenCheck c : v.checks()) {
                ObjectNode t = tensors.addObject().put("key", c.key()).put("passed", c.passed())
                        .put("error_ratio", c.errorRatio());
                if (!c.passed()) {
                    t.put("message", c.message());
                }
            }
            return new Outcome(v.passed(), line.toString(), json);
        }

        static Outcome of(GoldenLane.Regenerated r) {
            double worst = r.growths().stream().filter(Growth::gated).mapToDouble(Growth::ratio).max().orElse(0);
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s %s  %d tensors, greatest gated"
                    + " movement %.3gx its baseline", r.passed() ? "PASS" : "FAIL", r.caseId(), r.growths().size(), worst));
            r.growths().stream().filter(g -> !g.passed()).forEach(g -> line.append("\n    ").append(g.describe()));
            ObjectNode json = node(r.caseId(), r.file(), r.passed());
            ArrayNode tensors = json.putArray("tensors");
            for (Growth g : r.growths()) {
                tensors.addObject().put("key", g.what()).put("gated", g.gated()).put("passed", g.passed())
                        .put("recorded_error", g.baseline()).put("movement", g.current());
            }
            return new Outcome(r.passed(), line.toString(), json);
        }

        private static ObjectNode node(String caseId, Path file, boolean passed) {
            ObjectNode node = JSON.createObjectNode();
            node.put("case", caseId).put("file", file.toString()).put("passed", passed);
            return node;
        }
    }

    private void writeJson(String laneName, Map<String, String> environment, List<Outcome> outcomes) {
        ObjectNode root = JSON.createObjectNode();
        root.put("lane", laneName);
        root.put("passed", outcomes.stream().allMatch(Outcome::passed));
        ObjectNode env = root.putObject("environment");
        environment.forEach(env::put);
        ArrayNode bundles = root.putArray("bundles");
        outcomes.forEach(o -> bundles.add(o.json()));
        AtomicOutput.writeFile(json, "the goldens report", o -> JSON.writeValue(o, root));
    }
}
