package org.paritysuite.reference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.LongStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.run.LayerPass;
import org.paritysuite.fixtures.run.LayerwiseRunner;
import org.paritysuite.fixtures.spec.LayerSpec;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.ParameterSpec;

/**
 * {@link ReferenceModel}'s layer-by-layer runs: a {@link LayerwisePass}, chained or fed, seen from
 * outside. This class only crosses the boundary; the arithmetic is the model's one walk.
 *
 * <p>Every array crosses with the layouts of the layer's own input and output ({@link WeightLayout}):
 * <pre>
 *   input, dInput      inputOf(layer)    [N, H, W, C] &lt;-&gt; [N, C, H, W], or the flatten permutation of [N, H*W*C]
 *   output, dOutput    outputOf(layer)   likewise
 *   gradients          toTensorFlow(p, dP), as the whole model's trace
 * </pre>
 * A gradient with respect to an activation has the activation's layout: the conversions are
 * permutations, and a permutation is its own gradient rule ({@link TensorLayout}). Every conversion
 * makes a fresh array, so each {@link LayerPass} owns its arrays.
 */
final class ReferenceLayerwiseRunner implements LayerwiseRunner {

    private final ReferenceModel model;
    private final ModelSpec spec;
    private final WeightLayout layout;

    ReferenceLayerwiseRunner(ReferenceModel model) {
        this.model = model;
        this.spec = model.spec();
        this.layout = model.layout();
    }

    /** The model's chained pass, entry by entry: {@code input_k = output_{k-1}}, {@code dInput_{k+1} = dOutput_k}. */
    @Override
    public List<LayerPass> layers(Batch batch) {
        return entries(model.chainedPass(batch));
    }

    /**
     * Every block on the fed values, cast to the model's precision and converted to the reference
     * layout: {@code x_k = inputOf(layer_k).toReference(input_k)},
     * {@code dOut_k = outputOf(layer_k).toReference(dOutput_k)}. The entries' {@code input} and
     * {@code dOutput} come back through the inverse permutation, so they are the fed values.
     *
     * @throws FixtureException naming the layer and the expected shape, when there is not exactly one
     *                          feed per layer in layer order, an input or incoming gradient is missing
     *                          or misshapen, or the last layer's feed has an incoming gradient (its
     *                          backward pass starts at the loss)
     */
    @Override
    public List<LayerPass> isolated(Batch batch, List<LayerPass> feeds) {
        model.requireFits(batch);
        requireOneFeedPerLayer(batch, feeds);
        DataType dataType = model.precision().dataType();
        List<INDArray> inputs = new ArrayList<>();
        List<INDArray> dOuts = new ArrayList<>();
        int last = spec.layers().size() - 1;
        for (int k = 0; k <= last; k++) {
            LayerPass feed = feeds.get(k);
            String name = feed.layer();
            inputs.add(layout.inputOf(name).toReference(feed.input().castTo(dataType)));
            if (k < last) {
                dOuts.add(layout.outputOf(name).toReference(feed.dOutput().orElseThrow().castTo(dataType)));
            }
        }
        return entries(model.fedPass(batch, inputs, dOuts));
    }

    /** One {@link LayerPass} per step, in TensorFlow layout. */
    private List<LayerPass> entries(LayerwisePass pass) {
        List<LayerPass> entries = new ArrayList<>();
        for (LayerwisePass.Step step : pass.steps()) {
            Block block = step.block();
            String name = block.name();
            TensorLayout in = layout.inputOf(name);
            TensorLayout out = layout.outputOf(name);
            Optional<INDArray> dOutput = Optional.ofNullable(step.dOut()).map(out::toTensorFlow);
            entries.add(new LayerPass(name, in.toTensorFlow(step.x()), out.toTensorFlow(step.out()), dOutput,
                    in.toTensorFlow(step.dX()), gradients(block)));
        }
        return List.copyOf(entries);
    }

    /** {@code d L / d P} of the block's trainable parameters, L2 term included, in spec order, TensorFlow layout. */
    private Map<String, INDArray> gradients(Block block) {
        Map<String, INDArray> reference = new LinkedHashMap<>();
        block.gradients(reference);
        Map<String, INDArray> gradients = new LinkedHashMap<>();
        for (ParameterSpec p : spec.parameters()) {
            if (p.trainable() && p.layer().equals(block.name())) {
                gradients.put(p.name(), layout.toTensorFlow(p, reference.get(p.name())));
            }
        }
        return gradients;
    }

    /**
     * One feed per spec layer, in layer order, each with an input {@code [N, ...layer input shape]}
     * and, but for the last, an incoming gradient {@code [N, ...layer output shape]}, TensorFlow layout.
     */
    private void requireOneFeedPerLayer(Batch batch, List<LayerPass> feeds) {
        List<LayerSpec> layers = spec.layers();
        int last = layers.size() - 1;
        int given = feeds == null ? 0 : feeds.size();
        if (given != layers.size()) {
            String which = given < layers.size()
                    ? "layer '" + layers.get(given).name() + "' (input " + shape(batch, layers.get(given).name(), true)
                            + ") has none"
                    : "feed " + layers.size() + ", for layer '" + feeds.get(layers.size()).layer() + "', is past the"
                            + " last layer '" + layers.get(last).name() + "' (input "
                            + shape(batch, layers.get(last).name(), true) + ")";
            throw new FixtureException(where() + "isolated() takes one feed per layer, " + layers.size() + ", found "
                    + given + ": " + which);
        }
        for (int k = 0; k <= last; k++) {
            String name = layers.get(k).name();
            LayerPass feed = feeds.get(k);
            if (!feed.layer().equals(name)) {
                throw new FixtureException(where() + "feed " + k + " is for layer '" + feed.layer() + "', expected layer '"
                        + name + "' (input " + shape(batch, name, true) + "): one feed per layer, in layer order");
            }
            requireShape(feed.input(), "input", shape(batch, name, true), name);
            if (k < last) {
                requireShape(feed.dOutput().orElse(null), "dOutput", shape(batch, name, false), name);
            } else if (feed.dOutput().isPresent()) {
                throw new FixtureException(where() + "the feed for the last layer '" + name + "' has a dOutput "
                        + Arrays.toString(feed.dOutput().get().shape()) + "; expected none (its backward pass starts"
                        + " at the loss)");
            }
        }
    }

    private void requireShape(INDArray value, String what, String expected, String layer) {
        String found = value == null ? "none" : Arrays.toString(value.shape());
        if (!found.equals(expected)) {
            throw new FixtureException(where() + "the feed for layer '" + layer + "' has " + what + " " + found
                    + "; expected " + expected + " (TensorFlow layout)");
        }
    }

    /** {@code [N, ...shape]} of the layer's input (or output) in TensorFlow layout, as {@code [8, 28, 28, 1]}. */
    private String shape(Batch batch, String layer, boolean input) {
        TensorLayout tensor = input ? layout.inputOf(layer) : layout.outputOf(layer);
        return Arrays.toString(LongStream.concat(LongStream.of(batch.size()),
                tensor.tensorFlowShape().stream().mapToLong(Integer::longValue)).toArray());
    }

    private String where() {
        return "reference model '" + spec.name() + "': ";
    }
}
