package org.paritysuite.harness.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.run.TensorKind;
import org.paritysuite.harness.cli.ParityCli;
import org.paritysuite.harness.compare.TensorCheck;
import org.paritysuite.harness.run.CaseResult;
import org.paritysuite.harness.wiring.Wiring;

/**
 * The float64 parity of consecutive generated models, run once per class through {@link FuzzRun}
 * and judged seed by seed: each seed is a test of its own, named by its seed, whose failure
 * message is every failing tensor's {@code assert_close} message, the command that replays it and
 * the export bundle of its case, written to {@code target/fuzz-failures/fuzz-SEED-float64}. Subclasses choose the seeds: {@link FuzzParityTest} the default run's few hundred,
 * {@link FuzzLongTest} the {@code slow} profile's thousands.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GeneratedModelsParity {

    /**
     * The largest share of vacuous seeds (a dead layer: tensors exactly zero on both sides) a run may
     * have: 2 in 100; measured 1.3% (39) over seeds 0 to 2,999 (docs/fuzzing.md). More would mean the
     * generator draws layers too small to stay alive, and its models test less than they seem to.
     */
    static final double MAX_VACUOUS_SHARE = 0.02;

    private Map<Long, FuzzRun.Outcome> outcomes;
    private FuzzRun.Summary summary;

    /** The first seed. */
    abstract long first();

    /** How many seeds. */
    abstract int count();

    @BeforeAll
    void run() {
        outcomes = new HashMap<>();
        summary = new FuzzRun(Wiring.STANDARD, List.of(Precision.FLOAT64), 2).run(first(), count(),
                o -> outcomes.put(o.generated().seed(), o));
        System.out.println(summary.coverage().summary());
    }

    /** The run's seeds, for the parameterised test. */
    LongStream seeds() {
        return LongStream.range(first(), first() + count());
    }

    /** The run's summary, for the subclasses' coverage checks. */
    FuzzRun.Summary summary() {
        return summary;
    }

    /**
     * Seeds of the run known to fail, each with its finding (docs/fuzzing.md, "What the fuzzer
     * found"): pinned as they are, so that the test fails the day one passes and its entry goes.
     * Empty unless a subclass knows some.
     */
    Map<Long, String> knownFailures() {
        return Map.of();
    }

    @ParameterizedTest(name = "seed {0} passes float64 parity (or is vacuous, or is a known finding)")
    @MethodSource("seeds")
    void seedPasses(long seed) {
        FuzzRun.Outcome outcome = outcomes.get(seed);
        assertThat(outcome).as("seed %d's outcome", seed).isNotNull();
        String finding = knownFailures().get(seed);
        if (finding == null) {
            String bundle = outcome.verdict() == FuzzRun.Verdict.FAILED ? writeBundle(seed) : "";
            assertThat(outcome.verdict()).withFailMessage(() -> failureMessage(outcome) + bundle)
                    .isNotEqualTo(FuzzRun.Verdict.FAILED);
            return;
        }
        // A gradient zero in exact arithmetic: every failing tensor is rounding noise on both sides.
        assertThat(outcome.verdict()).as("seed %d, a known finding: %s", seed, finding).isEqualTo(FuzzRun.Verdict.FAILED);
        List<TensorCheck> failing = outcome.failures().stream().flatMap(r -> r.checks().stream())
                .filter(c -> !c.passed()).toList();
        assertThat(failing).as("seed %d's failing tensors: gradients of size %s at most", seed, NOISE)
                .allMatch(c -> c.kind() == TensorKind.GRADIENT && c.comparison().scale() < NOISE);
    }

    /**
     * The size below which a float64 gradient of these models is rounding noise: the known
     * findings' zero gradients came out at 1e-18 to 1e-16, their other gradients at 1e-3 to 1.
     */
    static final double NOISE = 1e-14;

    @Test
    @DisplayName("at most 2 in 100 seeds are vacuous (a dead layer, exactly zero on both sides)")
    void fewVacuous() {
        assertThat(summary.vacuous().size()).as("vacuous seeds %s of %d",
                        summary.vacuous().stream().map(o -> o.generated().seed()).toList(), count())
                .isLessThanOrEqualTo((int) (MAX_VACUOUS_SHARE * count()));
    }

    /** Where a failing seed's bundle goes: beside the Surefire reports, which CI keeps. */
    static final Path BUNDLES = Path.of("target", "fuzz-failures");

    /**
     * Writes a failing seed's case as {@code parity fuzz --out} writes it, through the command line
     * itself, and says where (or why not).
     */
    private static String writeBundle(long seed) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ParityCli.execute(new PrintWriter(out), new PrintWriter(err), "fuzz", "--seed", Long.toString(seed), "--count",
                "1", "--out", BUNDLES.toString());
        return "\n\n" + out.toString().lines().filter(l -> l.startsWith("  bundle: ")).findFirst()
                .orElse("no bundle written: " + err);
    }

    private static String failureMessage(FuzzRun.Outcome o) {
        long seed = o.generated().seed();
        Function<CaseResult, String> failing = r -> r.checks().stream().filter(c -> !c.passed() && !r.excusedByKink(c))
                .map(TensorCheck::comparison).map(c -> c.message()).collect(Collectors.joining("\n\n"));
        return "seed " + seed + " (" + o.generated().summary() + ") fails at "
                + o.failures().stream().map(CaseResult::firstDivergence).collect(Collectors.joining("; "))
                + "\nreplay: ./parity fuzz --seed " + seed + " --count 1 --out DIR\n\n"
                + o.failures().stream().map(failing).collect(Collectors.joining("\n\n"));
    }
}
