package org.paritysuite.harness.isolation;

import java.util.List;
import java.util.Optional;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.run.LayerPass;
import org.paritysuite.fixtures.run.LayerwiseRunner;
import org.paritysuite.fixtures.run.ModelRunner;

/**
 * Runs the passes per-layer isolation compares, and compares nothing: the reference's own pass
 * layer by layer, the side under test's own pass layer by layer, and every layer of the side under
 * test run on its own from the reference's input and incoming gradient
 * ({@link LayerwiseRunner#isolated}).
 */
public final class IsolationRun {

    /**
     * The three passes of one case, one entry per layer each.
     *
     * @param reference the reference's own pass
     * @param underTest the side under test's own pass
     * @param isolated  the side under test's layers, each fed the reference's values
     */
    public record Passes(List<LayerPass> reference, List<LayerPass> underTest, List<LayerPass> isolated) {

        public Passes {
            reference = List.copyOf(reference);
            underTest = List.copyOf(underTest);
            isolated = List.copyOf(isolated);
        }
    }

    private IsolationRun() {
    }

    /**
     * The passes of {@code batch} on both runners, or empty when either side does not run its
     * layers one by one (a test double may not). Holds all three passes: for a walk-through, which
     * shows their values; {@link #isolate} holds fewer.
     */
    public static Optional<Passes> run(ModelRunner underTest, ModelRunner reference, Batch batch) {
        Optional<LayerwiseRunner> test = underTest.layerwise();
        Optional<LayerwiseRunner> ref = reference.layerwise();
        if (test.isEmpty() || ref.isEmpty()) {
            return Optional.empty();
        }
        List<LayerPass> referencePasses = ref.get().layers(batch);
        return Optional.of(new Passes(referencePasses, test.get().layers(batch),
                test.get().isolated(batch, referencePasses)));
    }

    /**
     * The isolation of {@code batch}, compared by {@code comparator} as the passes come, so that no
     * more than two passes are held at once (a CNN's passes are hundreds of megabytes each): the
     * reference's, with TensorFlow's isolated layers and then with TensorFlow's own pass. Empty when
     * either side does not run its layers one by one.
     */
    public static Optional<Isolation> isolate(ModelRunner underTest, ModelRunner reference, Batch batch,
                                              IsolationComparator comparator) {
        Optional<LayerwiseRunner> test = underTest.layerwise();
        Optional<LayerwiseRunner> ref = reference.layerwise();
        if (test.isEmpty() || ref.isEmpty()) {
            return Optional.empty();
        }
        List<LayerPass> referencePasses = ref.get().layers(batch);
        List<IsolationComparator.Local> local = comparator.local(referencePasses,
                test.get().isolated(batch, referencePasses));
        return Optional.of(comparator.withInherited(local, referencePasses, test.get().layers(batch)));
    }
}
