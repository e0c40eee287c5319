package org.paritysuite.harness.reduce;

import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.weights.WeightSet;
import org.paritysuite.harness.run.CaseFactory;
import org.paritysuite.harness.run.ParityCase;

/**
 * One state of a reduction: a model, its weights, the examples and the pass, everything a case is
 * made of except the dropout masks, which {@link #toCase()} draws from the spec's seed at the
 * examples' count exactly as {@code parity verify --inputs} does when it replays the bundle.
 *
 * @param spec      the model
 * @param weights   its weights, TensorFlow layout
 * @param examples  the inputs and one-hot labels, without masks
 * @param source    where the examples come from (the case's data set in reports)
 * @param precision the precision both sides run in
 * @param training  training pass (true) or inference pass (false)
 */
public record Reproducer(ModelSpec spec, WeightSet weights, Batch examples, String source, Precision precision,
                         boolean training) {

    /** The state of case {@code c}: its model, its weights and its batch without the masks. */
    public static Reproducer of(ParityCase c) {
        Batch b = c.batch();
        return new Reproducer(c.spec(), c.weights(), new Batch(b.x(), b.y(), c.dataset()), c.dataset(),
                c.precision(), b.training());
    }

    /** The case this state runs as, its dropout masks drawn from the spec's seed for this many examples. */
    public ParityCase toCase() {
        return CaseFactory.of(spec, weights, source, examples, Optional.empty(), precision, training);
    }

    /** This state on examples {@code from .. to-1} of its own. */
    public Reproducer withExamples(int from, int to) {
        return withRows(LongStream.range(from, to).toArray());
    }

    /** This state without example {@code i}. */
    public Reproducer without(int i) {
        return withRows(LongStream.range(0, examples.size()).filter(r -> r != i).toArray());
    }

    /** This state with another model and its weights, on the same examples. */
    public Reproducer withModel(ModelSpec reduced, WeightSet reducedWeights) {
        return new Reproducer(reduced, reducedWeights, examples, source, precision, training);
    }

    /** How big this state is: layers, parameters, examples. */
    public Size size() {
        List<List<Integer>> inputs = spec.layerInputShapes();
        int weighted = (int) IntStream.range(0, inputs.size())
                .filter(i -> !spec.layers().get(i).parameters(inputs.get(i)).isEmpty()).count();
        return new Size(spec.layers().size(), weighted, spec.parameterCount(), examples.size());
    }

    /**
     * The size of a {@link Reproducer}.
     *
     * @param layers                the spec's layers
     * @param layersWithParameters  those of them that own a parameter (dense, convolution, batch
     *                              normalization): the layers that compute with weights
     * @param parameters            every scalar of every parameter, moving statistics included
     * @param examples              the examples of the batch
     */
    public record Size(int layers, int layersWithParameters, long parameters, int examples) {
    }

    /** The mode as {@code --mode} takes it. */
    public String mode() {
        return training ? "training" : "inference";
    }

    private Reproducer withRows(long[] rows) {
        INDArray x = examples.x().get(NDArrayIndex.indices(rows)).dup('c');
        INDArray y = examples.y().get(NDArrayIndex.indices(rows)).dup('c');
        return new Reproducer(spec, weights, new Batch(x, y, source), source, precision, training);
    }
}
