package org.paritysuite.harness.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.harness.compare.TensorComparison;
import org.paritysuite.harness.run.CaseResult;
import org.paritysuite.harness.run.ParityCase;
import org.paritysuite.harness.run.ParityHarness;
import org.paritysuite.harness.wiring.Sides;

/**
 * Runs the generated cases of consecutive seeds on both sides and judges them with the ordinary
 * harness ({@link ParityHarness#runAll}): the tolerances of every other parity case, nothing
 * relaxed for generated models. A seed's precisions share their runners, and a float32 case is
 * refereed by its float64 twin, as in {@code parity verify}.
 *
 * <p>Seeds run in chunks of {@value #CHUNK}, so a run of thousands holds one chunk's cases and
 * their traces at a time, and the results of the finished chunks (checks, not tensors).
 */
public final class FuzzRun {

    /** Seeds per chunk: enough to keep the threads busy, few enough that a chunk's batches and weights stay small. */
    static final int CHUNK = 64;

    private final ParityHarness harness;
    private final List<Precision> precisions;
    private final int threads;

    /**
     * @param sides      the two sides to compare
     * @param precisions the precisions every generated case runs in
     * @param threads    cases side by side (each TensorFlow session single-threaded, so results do not depend on it)
     */
    public FuzzRun(Sides sides, List<Precision> precisions, int threads) {
        if (precisions.isEmpty()) {
            throw new IllegalArgumentException("a fuzz run needs at least one precision");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("a fuzz run needs at least one thread, found " + threads);
        }
        this.harness = new ParityHarness(sides);
        this.precisions = List.copyOf(precisions);
        this.threads = threads;
    }

    /** What a seed's case came to in one precision. */
    public enum Verdict {
        /** Every tensor within its tolerance. */
        PASSED,
        /**
         * Every tensor within its tolerance, some of them exactly zero on both sides: a dead layer
         * (every ReLU unit off, or every element dropped, for the whole batch) makes everything after
         * it zero on both sides. The comparator passes exact zeros (at a floor of 0 it held every
         * element to equality), but a generated model whose layers are dead tests little of the
         * arithmetic it was generated to test: neither a pass nor a failure, counted apart.
         */
        VACUOUS,
        /** Some tensor outside its tolerance. */
        FAILED;

        /** The verdict of {@code result}. */
        public static Verdict of(CaseResult result) {
            if (!result.passed()) {
                return FAILED;
            }
            return result.checks().stream().anyMatch(c -> exactZeros(c.comparison())) ? VACUOUS : PASSED;
        }

        /** Both tensors non-empty and all exactly zero. */
        private static boolean exactZeros(TensorComparison c) {
            return c.elements() > 0 && c.scale() == 0 && c.maxAbsError() == 0;
        }
    }

    /**
     * One seed's outcome: its case and one result per precision, in the run's precision order.
     *
     * @param generated the case the seed made
     * @param results   its results, one per precision
     */
    public record Outcome(GeneratedCase generated, List<CaseResult> results) {

        public Outcome {
            results = List.copyOf(results);
        }

        /** The seed's verdict: failed if a precision failed, else vacuous if one was, else passed. */
        public Verdict verdict() {
            List<Verdict> verdicts = results.stream().map(Verdict::of).toList();
            return verdicts.contains(Verdict.FAILED) ? Verdict.FAILED
                    : verdicts.contains(Verdict.VACUOUS) ? Verdict.VACUOUS : Verdict.PASSED;
        }

        /** The results that failed (vacuous ones not included). */
        public List<CaseResult> failures() {
            return results.stream().filter(r -> Verdict.of(r) == Verdict.FAILED).toList();
        }
    }

    /**
     * Runs seeds {@code first}, {@code first + 1}, ..., {@code count} of them; {@code done} hears of
     * each seed's outcome, in seed order, as its chunk finishes.
     *
     * @return the coverage of the seeds' models and the outcomes that failed or were vacuous
     */
    public Summary run(long first, int count, Consumer<Outcome> done) {
        Coverage coverage = new Coverage();
        List<Outcome> failed = new ArrayList<>();
        List<Outcome> vacuous = new ArrayList<>();
        for (int start = 0; start < count; start += CHUNK) {
            List<GeneratedCase> chunk = new ArrayList<>();
            List<ParityCase> cases = new ArrayList<>();
            for (int i = start; i < Math.min(count, start + CHUNK); i++) {
                GeneratedCase generated = GeneratedCase.of(first + i);
                chunk.add(generated);
                cases.addAll(generated.parityCases(precisions));
            }
            List<CaseResult> results = harness.runAll(cases, threads, r -> { });
            for (int i = 0; i < chunk.size(); i++) {
                GeneratedCase generated = chunk.get(i);
                coverage.add(generated.spec(), generated.batch().training());
                int from = i * precisions.size();
                Outcome outcome = new Outcome(generated, results.subList(from, from + precisions.size()));
                switch (outcome.verdict()) {
                    case FAILED -> failed.add(outcome);
                    case VACUOUS -> vacuous.add(outcome);
                    case PASSED -> { }
                }
                done.accept(outcome);
            }
        }
        return new Summary(first, count, precisions, coverage, failed, vacuous);
    }

    /**
     * What a run found.
     *
     * @param first      the first seed
     * @param count      the seeds run
     * @param precisions the precisions each ran in
     * @param coverage   the spec space the seeds' models covered
     * @param failed     the seeds with a failing precision, in seed order
     * @param vacuous    the seeds that did not fail but were vacuous in some precision, in seed order
     */
    public record Summary(long first, int count, List<Precision> precisions, Coverage coverage, List<Outcome> failed,
                          List<Outcome> vacuous) {

        public Summary {
            precisions = List.copyOf(precisions);
            failed = List.copyOf(failed);
            vacuous = List.copyOf(vacuous);
        }

        /** Whether no case of any seed failed (vacuous ones do not fail a run: they are counted apart). */
        public boolean passed() {
            return failed.isEmpty();
        }

    }
}
