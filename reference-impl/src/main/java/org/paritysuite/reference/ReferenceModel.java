package org.paritysuite.reference;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.run.BatchCheck;
import org.paritysuite.fixtures.run.LayerwiseRunner;
import org.paritysuite.fixtures.run.ModelRunner;
import org.paritysuite.fixtures.run.TensorKind;
import org.paritysuite.fixtures.run.Trace;
import org.paritysuite.fixtures.spec.Activation;
import org.paritysuite.fixtures.spec.ActivationLayerSpec;
import org.paritysuite.fixtures.spec.BatchNormSpec;
import org.paritysuite.fixtures.spec.Conv2DSpec;
import org.paritysuite.fixtures.spec.DenseSpec;
import org.paritysuite.fixtures.spec.DropoutSpec;
import org.paritysuite.fixtures.spec.FlattenSpec;
import org.paritysuite.fixtures.spec.GlobalAveragePooling2DSpec;
import org.paritysuite.fixtures.spec.LayerSpec;
import org.paritysuite.fixtures.spec.LossSpec;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.ParameterSpec;
import org.paritysuite.fixtures.spec.Pool2DSpec;
import org.paritysuite.fixtures.spec.Window2D;
import org.paritysuite.fixtures.weights.WeightSet;

/**
 * A {@link ModelSpec} built from the reference layers: the hand-written side of every comparison.
 *
 * <p>Each layer of the spec becomes a {@link Block} of reference layers:
 * <pre>
 *   dense                Dense, then its activation (+ L2Penalty on the kernel when the spec gives one)
 *   conv2d               Conv2D (im2col + GEMM), then its activation as a separate step (+ L2Penalty)
 *   max_pool2d           MaxPool2D            average_pool2d   AvgPool2D
 *   global_average_pooling2d  GlobalAvgPool2D, one value per channel (the same order on both sides)
 *   flatten              Flatten (NCHW order; WeightLayout permutes the next Dense kernel's rows)
 *   activation           Linear, Relu, LeakyRelu, Sigmoid, Tanh or Softmax
 *   dropout              Dropout with the batch's mask for that layer, in training; the identity at inference
 *   batch_normalization  BatchNorm, batch statistics in training, moving statistics at inference
 * </pre>
 * The batch arrives in TensorFlow layout (NHWC images) and is converted to the reference layout
 * (NCHW) once; every traced tensor is converted back (see {@link WeightLayout}, {@link TensorLayout}).
 *
 * <p>The loss is
 * <ul>
 *   <li>{@link SoftmaxCrossEntropy} on the logits for {@code categorical_crossentropy}; the logits
 *       are the input of the model's final softmax, whether that softmax is fused into the last
 *       Dense (or Conv2D) layer or is a final activation layer of its own (ds541-cnn-b ends with a
 *       linear Dense and an {@code Activation(softmax)}). The softmax is still computed for the trace,
 *       but the backward pass starts from the fused gradient {@code (p - y) / N} at the logits;</li>
 *   <li>{@link MeanSquaredError} or {@link KlDivergence} on the last layer's output otherwise,
 *       backpropagated through the whole last layer.</li>
 * </ul>
 * The training loss is the data loss plus every L2 penalty (Dense and Conv2D kernels).
 *
 * <p>{@link #forwardBackward(Batch)} returns a {@link Trace} with exactly this content, in this
 * order (the TensorFlow side produces the same; the harness compares by key):
 * <pre>
 *   activation/&lt;layer&gt;     every layer but the last, its output in TensorFlow layout:
 *                            [N, H, W, C] for images, [N, D] flat (a Flatten's output in NHWC order);
 *                            flatten, pooling, dropout, activation and batch normalization layers included
 *   probs/probs              the last layer's output (the softmax output for a softmax model)    [N, K]
 *   loss/loss                data loss + L2 penalties                                          []
 *   gradient/&lt;parameter&gt;   d loss / d parameter for every TRAINABLE parameter, in spec.parameters()
 *                            order, TensorFlow layout (the moving statistics have none)
 *   weight/&lt;parameter&gt;     only for a training batch: every batch normalization moving_mean and
 *                            moving_variance after this pass's update, in spec.parameters() order
 * </pre>
 * Every array is a fresh copy in {@link Precision#dataType()}.
 *
 * <p>Training and inference follow {@link Batch#training()}. In training, dropout multiplies by the
 * batch's keep mask for the layer, {@code out = (x * mask) * scale} with
 * {@code scale = 1 / (1 - rate)} computed in double and rounded once to the model's type (the
 * TensorFlow side uses the same order), and batch normalization normalizes with the batch
 * statistics and updates its moving ones; a training batch without a mask for a dropout layer is a
 * {@link FixtureException} naming the layer. At inference dropout is the identity and batch
 * normalization uses the moving statistics as constants (its backward pass too).
 *
 * <p>NOTE (batch normalization's moving variance): every {@link BatchNorm} here is built with
 * {@link BatchNorm.MovingVarianceEstimator#BIASED}: the moving variance moves towards the batch
 * variance divided by {@code m}, not by {@code m - 1}. The TensorFlow side composes batch
 * normalization from ops as Keras 3 does ({@code moments}, then
 * {@code moving_variance = momentum * moving_variance + (1 - momentum) * variance} with the biased
 * batch variance), so that is the function to match. The trap: TensorFlow's fused kernel
 * ({@code FusedBatchNormV3}, which tf.keras 2 uses on 4-D inputs) and PyTorch apply Bessel's
 * correction {@code m / (m - 1)}; a reference that did (the {@link BatchNorm} default) would differ
 * from the TensorFlow side in every traced moving variance by {@code (1 - momentum) var_B / (m - 1)},
 * about 3e-4 relative for fmnist17-2-3 at batch 32, far above any float64 tolerance, while the
 * activations, loss and gradients (which use the biased variance on both sides) still agree. Should
 * the TensorFlow side ever switch to the fused op, change {@link #MOVING_VARIANCE_ESTIMATOR} and
 * nothing else.
 *
 * <p>{@link #layerwise()} offers the same pass layer by layer ({@link LayerwiseRunner}): per spec
 * layer its input, output, {@code dOutput = d loss / d output}, {@code dInput = d loss / d input}
 * and parameter gradients, in TensorFlow layout ({@code layers}), and every layer run on its own
 * from fed values ({@code isolated}). Both, and {@link #forwardBackward(Batch)}, are one walk,
 * {@link LayerwisePass}, that differs only in where each block's input and incoming gradient come
 * from:
 * <pre>
 *   chained   (forwardBackward, layers)   x_k = out_{k-1}      dOut_k = dX_{k+1}
 *   fed       (isolated)                  x_k = fed input_k    dOut_k = fed dOutput_k
 * </pre>
 * In both the last block's backward pass starts at the data loss ({@link OutputLoss}); each block's
 * L2 penalty joins its kernel's gradient. Fed with the values of {@code layers}, {@code isolated}
 * repeats its arithmetic operation for operation, so bit for bit.
 *
 * <p>{@link #forwardBackward(Batch)} is a pure function of the weights and the batch: each pass
 * builds fresh layers over the stored parameter arrays, which no layer writes, so the moving
 * statistics a training pass traces are never fed into the next pass, and the stored weights never
 * change.
 *
 * <p>Precision is real: a float32 model holds float32 weights, casts the float64 batch to float32
 * and does every operation in float32.
 *
 * <p>Not thread-safe (one pass at a time); cheap to build once per case.
 */
public final class ReferenceModel implements ModelRunner {

    /** The name {@link #side()} returns. */
    public static final String SIDE = "reference";

    /**
     * The moving-variance estimator of every batch normalization layer: {@code BIASED}, as the
     * Keras 3-style TensorFlow side does (see the class NOTE).
     */
    public static final BatchNorm.MovingVarianceEstimator MOVING_VARIANCE_ESTIMATOR =
            BatchNorm.MovingVarianceEstimator.BIASED;

    private final ModelSpec spec;
    private final Precision precision;
    private final WeightLayout layout;
    /** Every parameter in reference layout and {@code precision}, by its TensorFlow name; never written. */
    private final Map<String, INDArray> parameters;
    /** The parameters of each layer by role, for building the blocks. */
    private final Map<String, Map<ParameterSpec.Role, ParameterSpec>> parametersByLayer;
    private boolean closed;

    private ReferenceModel(ModelSpec spec, Precision precision, WeightLayout layout, Map<String, INDArray> parameters) {
        this.spec = spec;
        this.precision = precision;
        this.layout = layout;
        this.parameters = parameters;
        this.parametersByLayer = new LinkedHashMap<>();
        for (ParameterSpec p : spec.parameters()) {
            parametersByLayer.computeIfAbsent(p.layer(), l -> new EnumMap<>(ParameterSpec.Role.class)).put(p.role(), p);
        }
    }

    /**
     * Builds the reference model of {@code spec} with a copy of {@code weights}, converted to the
     * reference layout (with the correct flatten permutation) and to {@code precision}.
     *
     * @throws FixtureException when the weights do not match the spec's parameters (missing, extra,
     *                          wrongly shaped or non-finite), or the spec asks for something the
     *                          reference does not implement (an input that is neither flat nor an
     *                          image; a softmax over the channels of an image)
     */
    public static ReferenceModel build(ModelSpec spec, WeightSet weights, Precision precision) {
        return build(spec, weights, precision, WeightLayout.Mode.PERMUTE_FLATTEN);
    }

    /**
     * As {@link #build(ModelSpec, WeightSet, Precision)}, with an explicit way of copying the
     * parameters after a Flatten. {@link WeightLayout.Mode#NAIVE_FLATTEN} builds the model a port that
     * forgets the flatten order would build: the suite uses it to show that the parity check catches
     * that bug and names the first Dense layer after the Flatten as the first divergence. Its traces
     * (activations, gradients) are still converted to TensorFlow layout correctly.
     */
    public static ReferenceModel build(ModelSpec spec, WeightSet weights, Precision precision, WeightLayout.Mode mode) {
        if (spec == null || weights == null || precision == null || mode == null) {
            throw new IllegalArgumentException("ReferenceModel.build: spec, weights, precision and mode must all be given");
        }
        WeightLayout layout = WeightLayout.of(spec, mode);
        requireImplemented(spec, layout);
        WeightSet checked = weights.checkedAgainst(spec, "weights of model '" + spec.name() + "'");
        Map<String, INDArray> parameters = layout.toReference(checked, precision.dataType());
        return new ReferenceModel(spec, precision, layout, parameters);
    }

    /** Refuses, naming the layer, what no reference layer computes: a softmax over an image's channels. */
    private static void requireImplemented(ModelSpec spec, WeightLayout layout) {
        for (LayerSpec layer : spec.layers()) {
            if (layer.activation().kind() == Activation.Kind.SOFTMAX
                    && layout.outputOf(layer.name()).kind() == TensorLayout.Kind.IMAGE) {
                throw new FixtureException("model '" + spec.name() + "': layer '" + layer.name() + "' (" + layer.type()
                        + ") applies softmax along the channels of an image " + layout.outputOf(layer.name())
                        + "; the reference's Softmax takes rows [N, K] only");
            }
        }
    }

    /** A fresh activation layer for a spec activation. */
    static Layer activation(Activation activation) {
        return switch (activation.kind()) {
            case LINEAR -> new Linear();
            case RELU -> new Relu();
            case LEAKY_RELU -> new LeakyRelu(activation.alpha());
            case SIGMOID -> new Sigmoid();
            case TANH -> new Tanh();
            case SOFTMAX -> new Softmax();
        };
    }

    /** A fresh loss for a spec loss; categorical cross-entropy is the fused, logits-based one. */
    static Loss loss(LossSpec loss) {
        return switch (loss) {
            case CATEGORICAL_CROSSENTROPY -> new SoftmaxCrossEntropy();
            case MEAN_SQUARED_ERROR -> new MeanSquaredError();
            case KL_DIVERGENCE -> new KlDivergence();
        };
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

    /** The layouts this model converts with (and how it copied the parameters after a Flatten). */
    public WeightLayout layout() {
        return layout;
    }

    /**
     * The model's parameters converted back to TensorFlow layout, by name in spec order, as fresh
     * copies in {@link #precision()}'s type: the weights it was built with (rounded to float32 for a
     * float32 model), bit for bit.
     */
    public Map<String, INDArray> weights() {
        requireOpen();
        return layout.toTensorFlow(parameters);
    }

    @Override
    public Trace forwardBackward(Batch batch) {
        LayerwisePass pass = chainedPass(batch);
        List<LayerwisePass.Step> steps = pass.steps();
        List<Block> blocks = pass.blocks();
        Trace.Builder trace = Trace.builder();

        // ---- every block's output but the last, back in TensorFlow layout; then the model's output ----
        int last = steps.size() - 1;
        for (LayerwisePass.Step step : steps.subList(0, last)) {
            String name = step.block().name();
            trace.add(name, TensorKind.ACTIVATION, layout.outputOf(name).toTensorFlow(step.out()));
        }
        INDArray probs = layout.outputOf(blocks.get(last).name()).toTensorFlow(pass.output());   // [N, K], as y
        trace.add("probs", TensorKind.PROBS, probs);

        // ---- loss: data loss + sum of the L2 penalties ----
        trace.add("loss", TensorKind.LOSS, pass.loss().dup());

        // ---- gradients of the trainable parameters in spec.parameters() order, TensorFlow layout ----
        Map<String, INDArray> gradients = new LinkedHashMap<>();
        blocks.forEach(b -> b.gradients(gradients));
        for (ParameterSpec p : spec.parameters()) {
            if (p.trainable()) {
                trace.add(p.name(), TensorKind.GRADIENT, layout.toTensorFlow(p, gradients.get(p.name())));
            }
        }

        // ---- training only: the moving statistics after this pass's update ----
        if (batch.training()) {
            Map<String, INDArray> moving = new LinkedHashMap<>();
            blocks.forEach(b -> b.movingStatistics(moving));
            for (ParameterSpec p : spec.parameters()) {
                if (p.role() == ParameterSpec.Role.MOVING_MEAN || p.role() == ParameterSpec.Role.MOVING_VARIANCE) {
                    trace.add(p.name(), TensorKind.WEIGHT, layout.toTensorFlow(p, moving.get(p.name())));
                }
            }
        }
        return trace.build();
    }

    @Override
    public Optional<LayerwiseRunner> layerwise() {
        return Optional.of(new ReferenceLayerwiseRunner(this));
    }

    /**
     * The whole model's pass over {@code batch}, kept block by block: block {@code k} takes block
     * {@code k-1}'s output and hands its {@code dX} down as block {@code k-1}'s {@code dOut}. The one
     * walk behind {@link #forwardBackward} and {@link LayerwiseRunner#layers}.
     */
    LayerwisePass chainedPass(Batch batch) {
        requireFits(batch);
        INDArray x = layout.input().toReference(batch.x().castTo(precision.dataType()));   // NHWC -> NCHW, once
        return pass(batch, new LayerwisePass.Chained(x));
    }

    /**
     * Every block run on its own, on fed values in the reference layout and {@link #precision()}'s
     * type: the walk behind {@link LayerwiseRunner#isolated}.
     *
     * @param batch  a batch {@link #requireFits} accepted (the feeds were checked against it)
     * @param inputs one input per block
     * @param dOuts  one incoming gradient per block but the last
     */
    LayerwisePass fedPass(Batch batch, List<INDArray> inputs, List<INDArray> dOuts) {
        return pass(batch, new LayerwisePass.Fed(inputs, dOuts));
    }

    /** One pass of fresh blocks configured for the batch's mode, from {@code sources}, to the spec's data loss. */
    private LayerwisePass pass(Batch batch, LayerwisePass.Sources sources) {
        String lastLayer = spec.layers().get(spec.layers().size() - 1).name();
        INDArray y = batch.y().castTo(precision.dataType());                                 // [N, K]; never modified
        return LayerwisePass.run(blocks(batch), sources, new OutputLoss(spec.loss(), layout.outputOf(lastLayer), y));
    }

    /**
     * Fresh blocks for one pass over the stored parameters, configured for the batch's mode; in
     * training each dropout layer gets the batch's mask, converted to the reference layout.
     *
     * @param batch a validated batch, or {@code null} for an inference description (no masks needed)
     */
    private List<Block> blocks(Batch batch) {
        BlockBuilder builder = new BlockBuilder(batch);
        return spec.layers().stream().map(layer -> layer.accept(builder)).toList();
    }

    /**
     * Makes each layer type's block for one pass: the reference's one dispatch over the layer
     * types, so a layer type added to the spec format does not compile until it is built here.
     */
    private final class BlockBuilder implements LayerSpec.Visitor<Block> {

        /** A validated batch, or {@code null} for an inference description (no masks needed). */
        private final Batch batch;
        private final boolean training;

        BlockBuilder(Batch batch) {
            this.batch = batch;
            this.training = batch != null && batch.training();
        }

        @Override
        public Block visitDense(DenseSpec dense) {
            String name = dense.name();
            ParameterSpec kernel = parameter(name, ParameterSpec.Role.KERNEL);
            ParameterSpec bias = dense.useBias() ? parameter(name, ParameterSpec.Role.BIAS) : null;
            INDArray w = parameters.get(kernel.name());
            Dense affine = bias == null ? Dense.withoutBias(w) : Dense.withBias(w, parameters.get(bias.name()));
            return new Block.Weighted(name, affine, activation(dense.activation()), kernel, bias, w, penalty(kernel),
                    affine::dW, affine::dB);
        }

        @Override
        public Block visitConv2D(Conv2DSpec conv) {
            String name = conv.name();
            ParameterSpec kernel = parameter(name, ParameterSpec.Role.KERNEL);
            ParameterSpec bias = conv.useBias() ? parameter(name, ParameterSpec.Role.BIAS) : null;
            INDArray w = parameters.get(kernel.name());
            Window2D window = conv.window();
            Conv2D convolution = bias == null
                    ? Conv2D.withoutBias(w, window.strideH(), window.strideW(), window.padding())
                    : Conv2D.withBias(w, parameters.get(bias.name()), window.strideH(), window.strideW(),
                            window.padding());
            return new Block.Weighted(name, convolution, activation(conv.activation()), kernel, bias, w,
                    penalty(kernel), convolution::dW, convolution::dB);
        }

        @Override
        public Block visitPool2D(Pool2DSpec pool) {
            Layer pooling = switch (pool.kind()) {
                case MAX -> MaxPool2D.of(pool.window());
                case AVERAGE -> AvgPool2D.of(pool.window());
            };
            return new Block.Stateless(pool.name(), pooling);
        }

        @Override
        public Block visitGlobalAveragePooling2D(GlobalAveragePooling2DSpec pool) {
            return new Block.Stateless(pool.name(), new GlobalAvgPool2D());
        }

        @Override
        public Block visitFlatten(FlattenSpec flatten) {
            return new Block.Stateless(flatten.name(), new Flatten());
        }

        @Override
        public Block visitActivation(ActivationLayerSpec activation) {
            return new Block.ActivationOnly(activation.name(), activation(activation.activation()));
        }

        @Override
        public Block visitDropout(DropoutSpec dropout) {
            String name = dropout.name();
            Dropout d = new Dropout(dropout.rate());
            d.setTraining(training);
            if (training) {
                // the mask is [N, ...layer input] in TensorFlow layout: NHWC -> NCHW, or the flatten permutation
                try {
                    d.setMask(layout.inputOf(name).toReference(batch.dropoutMasks().get(name)));
                } catch (IllegalArgumentException e) {
                    throw new FixtureException("batch '" + batch.description() + "': the dropout mask for layer '"
                            + name + "' of model '" + spec.name() + "' is not a keep mask: " + e.getMessage(), e);
                }
            }
            return new Block.Stateless(name, d);
        }

        @Override
        public Block visitBatchNorm(BatchNormSpec bn) {
            String name = bn.name();
            ParameterSpec gamma = parameter(name, ParameterSpec.Role.GAMMA);
            ParameterSpec beta = parameter(name, ParameterSpec.Role.BETA);
            ParameterSpec mean = parameter(name, ParameterSpec.Role.MOVING_MEAN);
            ParameterSpec variance = parameter(name, ParameterSpec.Role.MOVING_VARIANCE);
            BatchNorm batchNorm = new BatchNorm(parameters.get(gamma.name()), parameters.get(beta.name()),
                    parameters.get(mean.name()), parameters.get(variance.name()), bn.momentum(), bn.epsilon(),
                    MOVING_VARIANCE_ESTIMATOR);
            batchNorm.setTraining(training);
            return new Block.Normalization(name, batchNorm, gamma, beta, mean, variance);
        }
    }

    private ParameterSpec parameter(String layer, ParameterSpec.Role role) {
        ParameterSpec p = parametersByLayer.getOrDefault(layer, Map.of()).get(role);
        if (p == null) {
            throw new IllegalStateException("model '" + spec.name() + "': layer '" + layer + "' has no " + role
                    + " parameter in spec.parameters()");
        }
        return p;
    }

    private static L2Penalty penalty(ParameterSpec kernel) {
        return kernel.l2() > 0 ? new L2Penalty(kernel.l2()) : null;
    }

    /**
     * Checks the model is open and the batch fits the spec before any arithmetic: inputs
     * {@code [N, ...input_shape]}, labels {@code [N, classes]}, and for a training batch a keep mask
     * {@code [N, ...layer input shape]} for every dropout layer.
     */
    void requireFits(Batch batch) {
        requireOpen();
        if (batch == null) {
            throw new IllegalArgumentException("reference model '" + spec.name() + "': batch must be given");
        }
        BatchCheck.requireFits(batch, spec);
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("reference model '" + spec.name() + "' (" + precision + ") is closed");
        }
    }

    /**
     * Marks the model closed; further {@link #forwardBackward(Batch)} calls fail. The reference holds
     * no native handles of its own (its ND4J arrays are freed by the garbage collector).
     */
    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "ReferenceModel(" + spec.name() + ", " + precision + ", " + layout.mode() + ", layers="
                + blocks(null).stream().map(Block::toString).collect(Collectors.joining("; "))
                + ", loss=" + spec.loss() + ")";
    }
}
