package org.paritysuite.harness.reduce;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.paritysuite.fixtures.spec.LayerSpec;
import org.paritysuite.fixtures.spec.ModelSpec;

/**
 * The three kinds of move of a reduction, in the order {@link Shrinker} makes them, each repeated
 * until none of its candidates fails the same way (a fixpoint). Every candidate is strictly smaller
 * than the state it comes from, so each fixpoint is reached.
 */
enum ReductionStep {

    /**
     * Fewer examples: the first half, then the second half (bisection, Polygraphy's
     * {@code debug reduce}: O(log N) runs while a half keeps failing), then the batch without one
     * example, each in turn (ddmin's linear pass), once the halves no longer fail the same way.
     */
    EXAMPLES {
        @Override
        Stream<Move> moves(Reproducer current, FailureSignature signature) {
            int n = current.examples().size();
            if (n == 1) {
                return Stream.empty();
            }
            Stream<Move> halves = Stream.of(
                    new Move("the first " + n / 2 + " of " + n + " examples",
                            () -> Optional.of(current.withExamples(0, n / 2))),
                    new Move("the last " + (n - n / 2) + " of " + n + " examples",
                            () -> Optional.of(current.withExamples(n / 2, n))));
            // With two examples the halves are the single drops already.
            Stream<Move> drops = n == 2 ? Stream.empty() : IntStream.range(0, n).mapToObj(i ->
                    new Move("without example " + i + " of " + n, () -> Optional.of(current.without(i))));
            return Stream.concat(halves, drops);
        }
    },

    /**
     * Fewer layers, never a culprit nor the output layer (where the loss starts): first every
     * layer after the last culprit at once, then every layer before the first culprit at once,
     * then each layer alone from the last to the first (trailing, inner, leading). A candidate
     * whose shapes do not fit is not run ({@link SpecSlicer#withLayers}).
     */
    LAYERS {
        @Override
        Stream<Move> moves(Reproducer current, FailureSignature signature) {
            List<LayerSpec> layers = current.spec().layers();
            int last = layers.size() - 1;
            List<Integer> culprits = IntStream.range(0, layers.size())
                    .filter(i -> signature.blames(layers.get(i).name())).boxed().toList();
            List<Move> moves = new ArrayList<>();
            if (!culprits.isEmpty()) {
                int lastCulprit = culprits.get(culprits.size() - 1);
                int firstCulprit = culprits.get(0);
                if (last - lastCulprit - 1 > 1) {
                    moves.add(without(current, layers, IntStream.range(lastCulprit + 1, last).boxed().toList()));
                }
                if (firstCulprit > 1) {
                    moves.add(without(current, layers, IntStream.range(0, firstCulprit).boxed().toList()));
                }
            }
            for (int i = last - 1; i >= 0; i--) {
                if (!signature.blames(layers.get(i).name())) {
                    moves.add(without(current, layers, List.of(i)));
                }
            }
            return moves.stream();
        }

        private Move without(Reproducer current, List<LayerSpec> layers, List<Integer> removed) {
            List<LayerSpec> kept = IntStream.range(0, layers.size()).filter(i -> !removed.contains(i))
                    .mapToObj(layers::get).toList();
            String names = String.join(", ", removed.stream().map(i -> layers.get(i).name()).toList());
            return new Move("without " + names, () -> smaller(current, SpecSlicer.withLayers(current.spec(), kept),
                    s -> s.layers().size() < layers.size()));
        }
    },

    /**
     * Narrower layers: each dense layer's units and each convolution's filters, from the last layer
     * to the first (never the output layer's units, which are the classes), first cut to 1, else to
     * half; the kernels and biases keep their leading columns ({@link SpecSlicer#weightsFor}).
     */
    WIDTHS {
        @Override
        Stream<Move> moves(Reproducer current, FailureSignature signature) {
            List<LayerSpec> layers = current.spec().layers();
            List<Move> moves = new ArrayList<>();
            for (int i = layers.size() - 2; i >= 0; i--) {
                String name = layers.get(i).name();
                int width = SpecSlicer.width(layers.get(i)).map(SpecSlicer.Width::size).orElse(1);
                for (int to : width > 2 ? new int[] {1, width / 2} : width == 2 ? new int[] {1} : new int[0]) {
                    moves.add(new Move(name + " from " + width + " to " + to, () -> smaller(current,
                            SpecSlicer.withWidth(current.spec(), name, to),
                            s -> s.parameterCount() < current.spec().parameterCount())));
                }
            }
            return moves.stream();
        }
    };

    /** Every move of this kind from {@code current}, the most reducing first. */
    abstract Stream<Move> moves(Reproducer current, FailureSignature signature);

    /**
     * {@code current} on the smaller spec with its sliced weights, when there is one and it is
     * smaller as {@code smaller} says (a removed flatten that the repair put back is no step).
     */
    private static Optional<Reproducer> smaller(Reproducer current, Optional<ModelSpec> spec,
                                                Predicate<ModelSpec> smaller) {
        return spec.filter(smaller).map(s -> current.withModel(s, SpecSlicer.weightsFor(s, current.weights())));
    }

    /**
     * One candidate: what it changes, in words, and the state it leads to, made only when tried
     * (slicing the weights of every candidate up front would waste the time of those never run).
     */
    record Move(String what, Supplier<Optional<Reproducer>> candidate) {
    }
}
