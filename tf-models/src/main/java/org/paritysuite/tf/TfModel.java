package org.paritysuite.tf;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.run.BatchCheck;
import org.paritysuite.fixtures.run.LayerwiseRunner;
import org.paritysuite.fixtures.run.TrainableRunner;
import org.paritysuite.fixtures.run.TensorKind;
import org.paritysuite.fixtures.run.Trace;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.OptimizerSpec;
import org.paritysuite.fixtures.spec.ParameterSpec;
import org.paritysuite.fixtures.weights.WeightSet;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.family.TFloating;

/**
 * The TensorFlow side of a parity case: a {@link ModelSpec} built as one TensorFlow Java graph
 * (graph mode: {@link Graph}, {@link Session}, {@link org.tensorflow.op.Ops}) in float32 or
 * float64, with the weights of a {@link WeightSet}.
 *
 * <p>Layers and activations are TensorFlow ops ({@code MatMul}, {@code Conv2D}, {@code MaxPoolV2},
 * {@code AvgPool}, {@code Reshape}, batch normalization composed as Keras 3 does it, dropout with a
 * keep mask fed from Java), the loss comes from tensorflow-framework's loss classes and the
 * gradients from TensorFlow's autodiff ({@code tf.gradients}); see {@link ModelGraph} for the
 * graph's layout and its training and inference passes, and {@link LossGraph} for exactly which
 * loss is computed.
 *
 * <p>Determinism: the session runs with {@code intra_op_parallelism_threads = 1} and
 * {@code inter_op_parallelism_threads = 1} (a {@link ConfigProto}), so reductions always add in the
 * same order and two runs of the same batch are bitwise identical. Op determinism
 * ({@code TF_DETERMINISTIC_OPS=1}) and the oneDNN switch ({@code TF_ENABLE_ONEDNN_OPTS}) are
 * environment variables read when TensorFlow loads; the build and the launcher set them, see
 * {@link TensorFlowInfo}.
 *
 * <p>Holds a native graph and session: close it. Not thread-safe.
 */
public final class TfModel implements TrainableRunner {

    /** What {@link #side()} returns. */
    public static final String SIDE = "tensorflow";

    private final ModelSpec spec;
    private final Precision precision;
    private final Session session;
    private final Graph graph;
    private final ModelGraph<?> model;
    private OptimizerGraph<?> optimizer;
    private TfLayerwise<?> layerwise;
    private boolean closed;

    private TfModel(ModelSpec spec, Precision precision, Graph graph, Session session, ModelGraph<?> model) {
        this.spec = spec;
        this.precision = precision;
        this.graph = graph;
        this.session = session;
        this.model = model;
    }

    /**
     * Builds {@code spec} as a TensorFlow graph computing in {@code precision} and sets its
     * variables to {@code weights} (TensorFlow layout, as stored; rounded to float32 for a float32
     * model).
     *
     * @throws org.paritysuite.fixtures.FixtureException when the weights are not exactly the
     *                                                   spec's parameters with the spec's shapes
     *                                                   (checked before anything native exists)
     */
    public static TfModel build(ModelSpec spec, WeightSet weights, Precision precision) {
        // Checked before any native object exists, so a refusal costs no cleanup.
        WeightSet checked = weights.checkedAgainst(spec, "weights of model '" + spec.name() + "'");
        return build(spec, checked, precision, TensorConverter.tensorType(precision));
    }

    private static <T extends TFloating> TfModel build(ModelSpec spec, WeightSet weights, Precision precision,
                                                      Class<T> type) {
        Graph graph = new Graph();
        try {
            ModelGraph<T> model = ModelGraph.build(graph, spec, type);
            Session session = new Session(graph, sessionConfig());
            try {
                model.parameters().load(session, weights);
                return new TfModel(spec, precision, graph, session, model);
            } catch (RuntimeException e) {
                session.close();
                throw e;
            }
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    /** One intra-op and one inter-op thread: a fixed order of floating-point operations. */
    static ConfigProto sessionConfig() {
        return ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(1)
                .setInterOpParallelismThreads(1)
                .build();
    }

    @Override
    public String side() {
        return SIDE;
    }

    @Override
    public Precision precision() {
        return precision;
    }

    /** The spec this model was built from. */
    public ModelSpec spec() {
        return spec;
    }

    /**
     * One forward and backward pass in a single session run, at the current weights. The trace
     * holds, in this order:
     * <ol>
     *   <li>the activation of every layer but the last, in layer order, in TensorFlow layout
     *       ({@code [N, H, W, C]} images, {@code [N, D]} vectors): flatten, dropout, pooling,
     *       activation and batch-normalization layers included;</li>
     *   <li>{@code probs}, the last layer's activation {@code [N, classes]};</li>
     *   <li>the rank-0 {@code loss} (data loss plus L2 penalties);</li>
     *   <li>the gradient of the loss for every trainable parameter, in spec order, TensorFlow layout;</li>
     *   <li>for a training batch only: the value every batch-normalization {@code moving_mean} and
     *       {@code moving_variance} would take after this batch, in spec order, as
     *       {@link TensorKind#WEIGHT}.</li>
     * </ol>
     * A training batch ({@link Batch#training()}) feeds every dropout layer its keep mask and
     * normalizes with batch statistics; an inference batch makes dropout the identity, normalizes
     * with the moving statistics and ignores any masks. Nothing is assigned: the model's weights,
     * moving statistics included, are the same afterwards (a pure function of weights and batch).
     * All arrays are fresh copies in {@link #precision()}'s ND4J type.
     *
     * @throws org.paritysuite.fixtures.FixtureException when the batch does not fit the spec, or a
     *                                                   training batch lacks a dropout layer's mask
     *                                                   or has one of the wrong shape or with values
     *                                                   other than 0 and 1 (nothing reaches
     *                                                   TensorFlow then)
     */
    @Override
    public Trace forwardBackward(Batch batch) {
        checkOpen();
        return forwardBackward(model, batch);
    }

    private <T extends TFloating> Trace forwardBackward(ModelGraph<T> m, Batch batch) {
        return run(m, batch, null).build();
    }

    /**
     * One training step on {@code batch} with the optimizer of the spec's {@code training} block
     * ({@code spec.training().optimizerSpec()}), tensorflow-framework's own optimizer in this
     * graph. The trace holds everything {@link #forwardBackward} returns, computed in the same
     * session run as the update and at the weights before it (activations, probs, loss, the
     * gradients applied, and for a training batch the updated moving statistics, which this step
     * also assigns to their variables), then, as {@link TensorKind#WEIGHT}:
     * <ol>
     *   <li>every trainable parameter after the update, by its name, in spec order;</li>
     *   <li>every optimizer slot of every trainable parameter, {@code <parameter>/<slot>} with the
     *       framework's slot names ({@link OptimizerGraph#slotNames}), parameter by parameter in spec
     *       order, after the update.</li>
     * </ol>
     * The optimizer is added to the graph on the first call (slots initialised then); later calls
     * continue with its state. A model with dropout or batch normalization trains on its training
     * pass only, so it needs a training batch.
     *
     * @throws IllegalArgumentException when the model has dropout or batch normalization and the
     *                                  batch is not a training batch
     * @throws UnsupportedOperationException when the optimizer cannot run in this precision
     */
    @Override
    public Trace step(Batch batch) {
        checkOpen();
        if (!batch.training() && model.training() != model.inference()) {
            throw new IllegalArgumentException("model '" + spec.name() + "', batch '" + batch.description()
                    + "': step() trains the training pass of a model with dropout or batch normalization; it needs a"
                    + " training batch");
        }
        return step(model, batch);
    }

    /**
     * This model run layer by layer ({@link TfLayerwise}): its own pass seen layer by layer, and
     * every layer isolated on fed values. Their graphs are added to this model's graph on first
     * use.
     */
    @Override
    public Optional<LayerwiseRunner> layerwise() {
        if (layerwise == null) {
            layerwise = TfLayerwise.of(this);
        }
        return Optional.of(layerwise);
    }

    /** The optimizer step() uses: the spec's {@code training.optimizer}. */
    public OptimizerSpec optimizerSpec() {
        return spec.training().optimizerSpec();
    }

    @SuppressWarnings("unchecked")
    private <T extends TFloating> Trace step(ModelGraph<T> m, Batch batch) {
        OptimizerSpec optimizerSpec = optimizerSpec();
        OptimizerSupport.requireSupported(optimizerSpec, precision);
        if (optimizer == null) {
            OptimizerGraph<T> built = OptimizerGraph.build(graph, m, optimizerSpec);
            // The slot initialisers were registered with the graph; run them now, once.
            // session.initialize(); (autoInit runs the new initialisers on the next run)
            optimizer = built;
        }
        OptimizerGraph<T> opt = (OptimizerGraph<T>) optimizer;
        Trace.Builder trace = run(m, batch, opt);
        readAfterStep(m, opt, trace);
        return trace.build();
    }

    /** Appends the updated trainable parameters and the slots, copied at once from one run. */
    private <T extends TFloating> void readAfterStep(ModelGraph<T> m, OptimizerGraph<T> opt, Trace.Builder trace) {
        List<ParameterSpec> trainable = spec.parameters().stream().filter(ParameterSpec::trainable).toList();
        List<org.tensorflow.op.core.Variable<T>> variables = m.parameters().trainableVariables();
        Session.Runner runner = session.runner();
        variables.forEach(runner::fetch);
        opt.slots().values().forEach(runner::fetch);
        try (Result result = runner.run()) {
            int next = 0;
            for (ParameterSpec p : trainable) {
                trace.add(p.name(), TensorKind.WEIGHT, TensorConverter.toIndArray("updated " + p.name(),
                        result.get(next++), TfParameters.shapeOf(p)));
            }
            for (String slot : opt.slots().keySet()) {
                String parameter = slot.substring(0, slot.lastIndexOf('/'));
                ParameterSpec p = trainable.stream().filter(t -> t.name().equals(parameter)).findFirst().orElseThrow();
                trace.add(slot, TensorKind.WEIGHT, TensorConverter.toIndArray("slot " + slot, result.get(next++),
                        TfParameters.shapeOf(p)));
            }
        }
    }

    /**
     * One session run of the pass for {@code batch}: fetches the trace of {@link #forwardBackward}
     * and, with an optimizer, also runs its update and the moving-statistics assignments.
     */
    private <T extends TFloating> Trace.Builder run(ModelGraph<T> m, Batch batch, OptimizerGraph<T> opt) {
        // Everything is checked before the first tensor exists, by the check both sides share.
        BatchCheck.requireFits(batch, spec);
        ModelGraph.Pass<T> pass = m.pass(batch.training());
        try (SessionFeeds<T> feeds = new SessionFeeds<>(session.runner(), m.parameters().type(), where(batch))) {
            feeds.inputs(spec, m.x(), batch).labels(spec, m.y(), batch).dropoutMasks(pass.dropoutMasks(), batch);
            Session.Runner runner = feeds.runner();
            pass.hidden().forEach(runner::fetch);
            runner.fetch(pass.probs()).fetch(pass.loss());
            pass.gradients().forEach(runner::fetch);
            pass.movingStatistics().values().forEach(runner::fetch);
            if (opt != null) {
                runner.addTarget(opt.train());
                if (batch.training()) {
                    opt.movingAssigns().forEach(runner::addTarget);
                }
            }
            try (Result result = runner.run()) {
                return toTrace(result, batch.size(), batch.training());
            }
        }
    }

    /** What an error message about {@code batch} starts with. */
    String where(Batch batch) {
        return "model '" + spec.name() + "', batch '" + batch.description() + "'";
    }

    /** Copies the fetched tensors, in fetch order, into a trace. */
    private Trace.Builder toTrace(Result result, long n, boolean training) {
        Trace.Builder trace = Trace.builder();
        List<List<Integer>> outputShapes = spec.layerOutputShapes();
        int next = 0;
        for (int layer = 0; layer < spec.layers().size() - 1; layer++) {
            String name = spec.layers().get(layer).name();
            long[] shape = TensorConverter.batchShape(n, outputShapes.get(layer));
            trace.add(name, TensorKind.ACTIVATION,
                    TensorConverter.toIndArray("activation of " + name, result.get(next++), shape));
        }
        trace.add("probs", TensorKind.PROBS,
                TensorConverter.toIndArray("probs", result.get(next++), new long[] {n, spec.classes()}));
        trace.add("loss", TensorKind.LOSS, TensorConverter.toIndArray("loss", result.get(next++), new long[0]));
        for (ParameterSpec p : spec.parameters()) {
            if (p.trainable()) {
                trace.add(p.name(), TensorKind.GRADIENT, TensorConverter.toIndArray("gradient of " + p.name(),
                        result.get(next++), TfParameters.shapeOf(p)));
            }
        }
        if (training) {
            for (ParameterSpec p : spec.parameters()) {
                if (!p.trainable()) {
                    trace.add(p.name(), TensorKind.WEIGHT, TensorConverter.toIndArray("updated " + p.name(),
                            result.get(next++), TfParameters.shapeOf(p)));
                }
            }
        }
        return trace;
    }

    /**
     * The current value of every parameter, by name in spec order, as fresh copies in
     * {@link #precision()}'s ND4J type (TensorFlow layout). Batch normalization's moving statistics
     * are included; {@link #forwardBackward} never changes any of them.
     */
    public Map<String, INDArray> weights() {
        checkOpen();
        return model.parameters().read(session);
    }

    /** The session, for code in this package that attaches more to the graph (optimizers). */
    Session session() {
        return session;
    }

    /** The graph's handles, for code in this package that attaches more to the graph (optimizers). */
    ModelGraph<?> modelGraph() {
        return model;
    }

    /** Closes the session and the graph; closing again does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            session.close();
        } finally {
            graph.close();
        }
    }

    /** Throws when this model is closed: every run checks first. */
    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("TfModel of '" + spec.name() + "' (" + precision + ") is closed");
        }
    }

    @Override
    public String toString() {
        return "TfModel[model=" + spec.name() + ", precision=" + precision + ", parameters=" + spec.parameterCount()
                + (closed ? ", closed" : "") + "]";
    }
}
