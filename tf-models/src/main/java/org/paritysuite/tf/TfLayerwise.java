package org.paritysuite.tf;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.run.BatchCheck;
import org.paritysuite.fixtures.run.LayerPass;
import org.paritysuite.fixtures.run.LayerwiseRunner;
import org.paritysuite.fixtures.spec.LayerSpec;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.ParameterSpec;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.family.TFloating;

/**
 * A {@link TfModel} run layer by layer, each in one session run at the model's current weights:
 * <ul>
 *   <li>{@link #layers}: the whole model's pass for the batch's mode, the very ops
 *       {@link TfModel#forwardBackward} runs, with each layer's input gradient from
 *       {@link LayerwiseGraph};</li>
 *   <li>{@link #isolated}: every layer on its own fed input and fed {@code dOutput}, in the
 *       {@link IsolatedGraph} of the batch's mode.</li>
 * </ul>
 * Both graphs are added on first use, once per mode, to the model's graph (the open session extends
 * to them) and reuse its variables: nothing is assigned, so the weights are the same afterwards.
 * Every array returned is a fresh copy in the model's precision, TensorFlow layout.
 *
 * @param <T> the tensor type, {@code TFloat32} or {@code TFloat64}
 */
final class TfLayerwise<T extends TFloating> implements LayerwiseRunner {

    private final TfModel model;
    private final ModelSpec spec;
    private final ModelGraph<T> graph;
    private final List<List<Integer>> inputShapes;
    private final List<List<Integer>> outputShapes;
    private final Map<PassContext.Mode, LayerwiseGraph<T>> chained = new EnumMap<>(PassContext.Mode.class);
    private final Map<PassContext.Mode, IsolatedGraph<T>> isolated = new EnumMap<>(PassContext.Mode.class);

    private TfLayerwise(TfModel model, ModelGraph<T> graph) {
        this.model = model;
        this.spec = model.spec();
        this.graph = graph;
        this.inputShapes = spec.layerInputShapes();
        this.outputShapes = spec.layerOutputShapes();
    }

    /** The layer-by-layer runs of {@code model}; builds nothing yet. */
    static TfLayerwise<?> of(TfModel model) {
        return of(model, model.modelGraph());
    }

    private static <T extends TFloating> TfLayerwise<T> of(TfModel model, ModelGraph<T> graph) {
        return new TfLayerwise<>(model, graph);
    }

    /**
     * {@inheritDoc}
     *
     * <p>One session run of the pass {@link TfModel#forwardBackward} runs for {@code batch},
     * fetching its activations and parameter gradients (the same ops, so the same values bit for
     * bit) and, from {@link LayerwiseGraph}, {@code d loss / d x} and {@code d loss / d h_k}.
     * Entry {@code k}'s {@code input} and entry {@code k-1}'s {@code output} are copies of one
     * fetched tensor, as are entry {@code k}'s {@code dInput} and entry {@code k-1}'s
     * {@code dOutput}; entry 0's {@code input} is {@code x} as TensorFlow was fed it (rounded to
     * float32 in a float32 model).
     *
     * @throws FixtureException when the batch does not fit the spec, as for forwardBackward
     */
    @Override
    public List<LayerPass> layers(Batch batch) {
        model.checkOpen();
        BatchCheck.requireFits(batch, spec);
        PassContext.Mode mode = modeOf(batch);
        ModelGraph.Pass<T> pass = graph.pass(batch.training());
        LayerwiseGraph<T> dInputs = chained.computeIfAbsent(mode,
                m -> LayerwiseGraph.build(graph.tf().withSubScope(scopeName("layerwise", m)), graph.x(), pass));

        List<LayerSpec> layers = spec.layers();
        try (SessionFeeds<T> feeds = feeds(batch)) {
            feeds.inputs(spec, graph.x(), batch).labels(spec, graph.y(), batch).dropoutMasks(pass.dropoutMasks(), batch);
            Session.Runner runner = feeds.runner();
            // Fetch order: the activation of every layer, d loss / d (x, h_0, ...), the parameter gradients.
            List<Operand<T>> activations = new ArrayList<>(pass.hidden());
            activations.add(pass.probs());
            activations.forEach(runner::fetch);
            dInputs.dInputs().forEach(runner::fetch);
            pass.gradients().forEach(runner::fetch);
            try (Result result = runner.run()) {
                Fetched fetched = new Fetched(result, batch.size());
                int dInputsAt = layers.size();
                int gradientsAt = dInputsAt + layers.size();
                List<ParameterSpec> trainable = spec.parameters().stream().filter(ParameterSpec::trainable).toList();
                List<LayerPass> passes = new ArrayList<>();
                for (int k = 0; k < layers.size(); k++) {
                    String name = layers.get(k).name();
                    Map<String, INDArray> gradients = new LinkedHashMap<>();
                    for (int i = 0; i < trainable.size(); i++) {
                        ParameterSpec p = trainable.get(i);
                        if (p.layer().equals(name)) {
                            gradients.put(p.name(), fetched.parameter("gradient of " + p.name(), gradientsAt + i, p));
                        }
                    }
                    Optional<INDArray> dOutput = k < layers.size() - 1
                            ? Optional.of(fetched.output("dOutput of " + name, dInputsAt + k + 1, k))
                            : Optional.empty();
                    INDArray input = k == 0 ? TensorConverter.asFed(batch.x(), graph.parameters().type())
                            : fetched.output("input of " + name, k - 1, k - 1);
                    passes.add(new LayerPass(name, input, fetched.output("output of " + name, k, k), dOutput,
                            fetched.input("dInput of " + name, dInputsAt + k, k), gradients));
                }
                return List.copyOf(passes);
            }
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>One session run of the {@link IsolatedGraph} of the batch's mode, fed every layer's
     * input and (but the last) {@code dOutput}, the labels, and in training the batch's keep
     * masks. The entries' {@code input} and {@code dOutput} are the fed values as TensorFlow was
     * fed them (rounded to float32 in a float32 model).
     *
     * @throws FixtureException when the batch does not fit the spec, when {@code feeds} is not one
     *                          entry per spec layer in layer order, or when a fed input or
     *                          {@code dOutput} is missing or not shaped
     *                          {@code [N, ...layer input/output shape]} with the batch's {@code N}
     *                          (checked before the session runs; the runner stays usable)
     */
    @Override
    public List<LayerPass> isolated(Batch batch, List<LayerPass> feeds) {
        model.checkOpen();
        BatchCheck.requireFits(batch, spec);
        requireOnePerLayer(batch, feeds);
        PassContext.Mode mode = modeOf(batch);
        IsolatedGraph<T> iso = isolated.computeIfAbsent(mode,
                m -> IsolatedGraph.build(graph.tf().withSubScope(scopeName("isolated", m)), graph, spec, m));

        List<LayerSpec> layers = spec.layers();
        long n = batch.size();
        Class<T> type = graph.parameters().type();
        try (SessionFeeds<T> fed = feeds(batch)) {
            fed.labels(spec, graph.y(), batch).dropoutMasks(iso.dropoutMasks(), batch);
            for (int k = 0; k < layers.size(); k++) {
                String name = layers.get(k).name();
                fed.feed(iso.inputs().get(k), "the isolated input of layer '" + name + "' (layer " + k + ")",
                        feeds.get(k).input(), TensorConverter.batchShape(n, inputShapes.get(k)));
                if (k < layers.size() - 1) {
                    fed.feed(iso.dOutputs().get(k), "the isolated dOutput of layer '" + name + "' (layer " + k + ")",
                            feeds.get(k).dOutput().orElseThrow(), TensorConverter.batchShape(n, outputShapes.get(k)));
                }
            }
            Session.Runner runner = fed.runner();
            // Fetch order: the outputs, the dInputs, the parameter gradients.
            iso.outputs().forEach(runner::fetch);
            iso.dInputs().forEach(runner::fetch);
            iso.gradients().forEach(g -> g.forEach(runner::fetch));
            try (Result result = runner.run()) {
                Fetched fetched = new Fetched(result, n);
                int dInputsAt = layers.size();
                int next = dInputsAt + layers.size();
                List<LayerPass> passes = new ArrayList<>();
                for (int k = 0; k < layers.size(); k++) {
                    String name = layers.get(k).name();
                    Map<String, INDArray> gradients = new LinkedHashMap<>();
                    for (ParameterSpec p : iso.trainable().get(k)) {
                        gradients.put(p.name(), fetched.parameter("isolated gradient of " + p.name(), next++, p));
                    }
                    Optional<INDArray> dOutput = k < layers.size() - 1
                            ? Optional.of(TensorConverter.asFed(feeds.get(k).dOutput().orElseThrow(), type))
                            : Optional.empty();
                    passes.add(new LayerPass(name, TensorConverter.asFed(feeds.get(k).input(), type),
                            fetched.output("isolated output of " + name, k, k), dOutput,
                            fetched.input("isolated dInput of " + name, dInputsAt + k, k), gradients));
                }
                return List.copyOf(passes);
            }
        }
    }

    /** One entry per spec layer, in layer order, each with a {@code dOutput} but the last. */
    private void requireOnePerLayer(Batch batch, List<LayerPass> feeds) {
        List<String> names = spec.layers().stream().map(LayerSpec::name).toList();
        if (feeds.size() != names.size()) {
            throw new FixtureException(model.where(batch) + ": isolated() needs one feed per layer, " + names.size()
                    + " in layer order " + names + "; got " + feeds.size());
        }
        for (int k = 0; k < names.size(); k++) {
            LayerPass feed = feeds.get(k);
            if (!feed.layer().equals(names.get(k))) {
                throw new FixtureException(model.where(batch) + ": isolated() feed " + k + " is for layer '" + feed.layer()
                        + "'; expected layer '" + names.get(k) + "' (one feed per layer, in layer order " + names + ")");
            }
            if (k < names.size() - 1 && feed.dOutput().isEmpty()) {
                throw new FixtureException(model.where(batch) + ": the isolated feed of layer '" + names.get(k)
                        + "' (layer " + k + ") has no dOutput; every layer but the last needs one, shaped [N, "
                        + String.join(", ", outputShapes.get(k).stream().map(String::valueOf).toList())
                        + "]");
            }
        }
    }

    /** The pass a batch runs: inference only for an inference batch of a model with an inference mode. */
    private PassContext.Mode modeOf(Batch batch) {
        return batch.training() || !spec.hasInferenceMode() ? PassContext.Mode.TRAINING : PassContext.Mode.INFERENCE;
    }

    /** {@code base} for the training (or only) copy, {@code base_inference} for a separate inference one. */
    private static String scopeName(String base, PassContext.Mode mode) {
        return mode == PassContext.Mode.TRAINING ? base : base + "_inference";
    }

    private SessionFeeds<T> feeds(Batch batch) {
        return new SessionFeeds<>(model.session().runner(), graph.parameters().type(), model.where(batch));
    }

    /** The fetched tensors of one run, copied out with the shapes the spec gives them. */
    private final class Fetched {

        private final Result result;
        private final long n;

        Fetched(Result result, long n) {
            this.result = result;
            this.n = n;
        }

        /** Fetch {@code index}, shaped like layer {@code k}'s input {@code [N, ...in_k]}. */
        INDArray input(String what, int index, int k) {
            return TensorConverter.toIndArray(what, result.get(index),
                    TensorConverter.batchShape(n, inputShapes.get(k)));
        }

        /** Fetch {@code index}, shaped like layer {@code k}'s output {@code [N, ...out_k]}. */
        INDArray output(String what, int index, int k) {
            return TensorConverter.toIndArray(what, result.get(index),
                    TensorConverter.batchShape(n, outputShapes.get(k)));
        }

        /** Fetch {@code index}, shaped like parameter {@code p}. */
        INDArray parameter(String what, int index, ParameterSpec p) {
            return TensorConverter.toIndArray(what, result.get(index), TfParameters.shapeOf(p));
        }
    }
}
