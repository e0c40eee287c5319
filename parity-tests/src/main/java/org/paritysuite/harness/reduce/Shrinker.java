package org.paritysuite.harness.reduce;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.harness.run.CaseResult;
import org.paritysuite.harness.run.ParityCase;
import org.paritysuite.harness.run.ParityHarness;
import org.paritysuite.harness.wiring.Sides;

/**
 * Shrinks a failing case while it fails the same way ({@link FailureSignature}): fewer examples,
 * then fewer layers, then narrower layers ({@link ReductionStep}, in that order), each move kind
 * repeated until none of its candidates still fails the same way. Every candidate is judged by
 * running it as a case through {@link ParityHarness} on the given sides, per-layer isolation
 * included (a failing case is isolated), exactly as {@code parity verify} would run its bundle.
 */
public final class Shrinker {

    private final ParityHarness harness;
    private final Consumer<String> progress;
    private final Map<String, Optional<FailureSignature>> seen = new HashMap<>();
    private int runs;

    /**
     * A shrinker running candidates on {@code sides}.
     *
     * @param progress hears one line for each move taken, e.g. {@code run 3: the first 32 of 64 examples}
     */
    public Shrinker(Sides sides, Consumer<String> progress) {
        this.harness = new ParityHarness(sides);
        this.progress = progress;
    }

    /**
     * What a reduction found.
     *
     * @param original  the case it started from
     * @param reduced   the smallest case found that fails the same way
     * @param signature how both fail
     * @param runs      the cases this shrinker ran: the original once, then every candidate not run before
     * @param moves     the moves taken, in words, in order
     */
    public record Reduction(Reproducer original, Reproducer reduced, FailureSignature signature, int runs,
                            List<String> moves) {

        public Reduction {
            moves = List.copyOf(moves);
        }
    }

    /**
     * Runs {@code start} once: how it fails, the signature a reduction of it keeps.
     *
     * @throws FixtureException when {@code start} passes: there is no failure to keep
     */
    public FailureSignature failureOf(Reproducer start) {
        return signature(start).orElseThrow(() -> new FixtureException(
                start.toCase().displayName() + " passes to begin with; nothing to reduce"));
    }

    /** Reduces {@code start}, whose failure {@link #failureOf} found first. */
    public Reduction reduce(Reproducer start) {
        return reduce(start, failureOf(start));
    }

    /**
     * Reduces {@code start}, which fails as {@code signature} says ({@link #failureOf}): each kind
     * of move in turn, repeated while one of its candidates fails the same way.
     */
    public Reduction reduce(Reproducer start, FailureSignature signature) {
        Reproducer current = start;
        List<String> moves = new ArrayList<>();
        for (ReductionStep step : ReductionStep.values()) {
            Optional<Taken> taken;
            while ((taken = firstFailingTheSameWay(step, current, signature)).isPresent()) {
                current = taken.get().state();
                String line = "run " + runs + ": " + taken.get().what();
                moves.add(line);
                progress.accept(line);
            }
        }
        return new Reduction(start, current, signature, runs, moves);
    }

    /** A move taken and the state it led to. */
    private record Taken(String what, Reproducer state) {
    }

    private Optional<Taken> firstFailingTheSameWay(ReductionStep step, Reproducer current,
                                                   FailureSignature signature) {
        return step.moves(current, signature)
                .flatMap(m -> m.candidate().get().map(state -> new Taken(m.what(), state)).stream())
                .filter(t -> signature(t.state()).filter(signature::equals).isPresent())
                .findFirst();
    }

    /**
     * Runs {@code state} as a case: its failure signature, empty when it passes. A case run before
     * (the same fingerprint: spec, weights, examples, masks, pass, precision) is not run again:
     * candidates reached by two moves, or proposed again after a move elsewhere, are common, and a
     * case's result is a pure function of what the fingerprint covers.
     */
    private Optional<FailureSignature> signature(Reproducer state) {
        ParityCase c = state.toCase();
        return seen.computeIfAbsent(c.fingerprint(), k -> {
            runs++;
            CaseResult result = harness.run(c);
            if (state.spec().hasConvolution()) {
                // A convolutional case leaves large native im2col buffers owned by a few Java objects:
                // collect now, or candidate after candidate they pile up (docs/performance.md, "The memory bound").
                System.gc();
            }
            return FailureSignature.of(result);
        });
    }
}
