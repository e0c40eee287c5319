package org.paritysuite.harness.fuzz;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.paritysuite.fixtures.spec.Activation;
import org.paritysuite.fixtures.spec.ActivationLayerSpec;
import org.paritysuite.fixtures.spec.BatchNormSpec;
import org.paritysuite.fixtures.spec.Conv2DSpec;
import org.paritysuite.fixtures.spec.DataSpec;
import org.paritysuite.fixtures.spec.DenseSpec;
import org.paritysuite.fixtures.spec.DropoutSpec;
import org.paritysuite.fixtures.spec.FlattenSpec;
import org.paritysuite.fixtures.spec.GlobalAveragePooling2DSpec;
import org.paritysuite.fixtures.spec.LayerSpec;
import org.paritysuite.fixtures.spec.LossSpec;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.Padding;
import org.paritysuite.fixtures.spec.Pool2DSpec;
import org.paritysuite.fixtures.spec.TrainingSpec;
import org.paritysuite.fixtures.spec.Window2D;

/**
 * A seed in, a small valid {@link ModelSpec} out: every layer type and option of the spec format,
 * with the shape tracked layer by layer so that each layer is drawn among those its input accepts.
 * {@code ModelSpec}'s own validation is the judge: a spec it refused would be a generator bug.
 *
 * <p>The space (each option's values are the constants below, which {@link Coverage} enumerates):
 * <ul>
 *   <li>input: flat {@code [D]}, {@code D <= }{@value #MAX_FEATURES}, or an image {@code [H, W, C]},
 *       {@code H, W <= }{@value #MAX_SIDE}, {@code C <= }{@value #MAX_CHANNELS};</li>
 *   <li>a body of 1 to {@value #MAX_BODY_LAYERS} layers: on an image conv2d, max and average
 *       pooling, batch normalization, dropout, an activation layer, flatten or global average
 *       pooling (the last two make it flat); on a flat input dense, batch normalization, dropout, an
 *       activation layer or flatten (the identity there);</li>
 *   <li>a head: flatten or global average pooling if the body left an image, then a dense layer
 *       of {@code classes} units, in half the models followed by an activation layer; the last of
 *       the two applies the {@linkplain #output output function} the loss calls for.</li>
 * </ul>
 * Windows: kernel and pool sides {@link #WINDOW_SIDES} (even and odd), strides {@link #STRIDES}
 * per dimension (so {@code (2, 1)} and {@code (1, 2)}), {@code same} or {@code valid} ({@code valid}
 * only where the window fits). Softmax only on flat tensors: the reference's softmax takes rows
 * ({@code ReferenceModel} refuses it over an image's channels).
 *
 * <p>Deterministic: the same seed gives the same spec on every machine ({@link SplittableRandom}).
 */
public final class SpecGenerator {

    /** What every generated model's name starts with; the seed follows. */
    public static final String NAME_PREFIX = "fuzz-";

    /** Largest flat input. */
    public static final int MAX_FEATURES = 32;
    /** Largest image height and width. */
    public static final int MAX_SIDE = 8;
    /** Most image channels. */
    public static final int MAX_CHANNELS = 3;
    /** Most body layers (the head adds up to three). */
    public static final int MAX_BODY_LAYERS = 6;
    /** Most dense units in the body; at least 2, so one dead ReLU unit does not silence a layer. */
    public static final int MAX_UNITS = 8;
    /** Most conv filters; at least 2, as for units. */
    public static final int MAX_FILTERS = 4;
    /** Most classes; at least 2 (a softmax over one class is the constant 1). */
    public static final int MAX_CLASSES = 5;

    /**
     * Fewest examples in a batch: with two, a dead ReLU unit or a dropout mask silences a small
     * layer for the whole batch too often (a case whose tensors are all zero on both sides is
     * vacuous, {@link FuzzRun.Verdict#VACUOUS}).
     */
    public static final int MIN_BATCH = 3;
    /** Most examples in a batch. */
    public static final int MAX_BATCH = 6;

    /** Kernel and pool window sides, even and odd. */
    public static final List<Integer> WINDOW_SIDES = List.of(1, 2, 3);
    /** Strides per dimension. */
    public static final List<Integer> STRIDES = List.of(1, 2);
    /** Leaky ReLU slopes: 0 (a ReLU by another op), PyTorch's, TensorFlow's, Keras's, and one more. */
    public static final List<Double> LEAKY_ALPHAS = List.of(0.0, 0.01, 0.2, 0.3, 0.5);
    /** Keras L2 penalties on kernels, none included. */
    public static final List<Double> KERNEL_L2 = List.of(0.0, 0.001, 0.05);
    /** Dropout rates, 0 (the identity with a mask of ones) included. */
    public static final List<Double> DROPOUT_RATES = List.of(0.0, 0.2, 0.5);
    /** Batch normalization momenta: Keras's, PyTorch's 0.1 as Keras writes it, and none. */
    public static final List<Double> BN_MOMENTA = List.of(BatchNormSpec.MOMENTUM_DEFAULT, 0.9, 0.0);
    /** Batch normalization epsilons: Keras's and PyTorch's. */
    public static final List<Double> BN_EPSILONS = List.of(BatchNormSpec.EPSILON_DEFAULT, 1e-5);

    private final SplittableRandom random;
    private final Map<String, Integer> names = new HashMap<>();

    private SpecGenerator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** The spec of {@code seed}, named {@code fuzz-SEED}, its training seed {@code seed} (weights, masks). */
    public static ModelSpec generate(long seed) {
        return new SpecGenerator(seed).spec(seed);
    }

    private ModelSpec spec(long seed) {
        List<Integer> shape = random.nextBoolean()
                ? List.of(between(1, MAX_FEATURES))
                : List.of(between(1, MAX_SIDE), between(1, MAX_SIDE), between(1, MAX_CHANNELS));
        List<Integer> input = shape;
        List<LayerSpec> layers = new ArrayList<>();
        int body = between(1, MAX_BODY_LAYERS);
        boolean shifted = false;
        for (int i = 0; i < body; i++) {
            LayerSpec layer = shape.size() == 3 ? imageLayer(shape, !shifted) : flatLayer(!shifted);
            shape = layer.outputShape(shape);
            shifted = layer.accept(new ShiftFlow(shifted));
            layers.add(layer);
        }
        if (shape.size() == 3) {
            layers.add(random.nextBoolean() ? new FlattenSpec(name("flatten"))
                    : new GlobalAveragePooling2DSpec(name("global_average_pooling2d")));
        }
        LossSpec loss = pick(List.of(LossSpec.values()));
        int classes = between(2, MAX_CLASSES);
        if (random.nextBoolean()) {
            layers.add(dense(classes, activation(true)));
            layers.add(new ActivationLayerSpec(name("activation"), output(loss)));
        } else {
            layers.add(dense(classes, output(loss)));
        }
        int batch = between(MIN_BATCH, MAX_BATCH);
        return new ModelSpec(NAME_PREFIX + seed, "generated by SpecGenerator from seed " + seed, input, classes, layers,
                loss, DataSpec.DEFAULT, new TrainingSpec(seed, batch, "sgd", Map.of()));
    }

    /** A layer an image {@code [H, W, C]} accepts; batch normalization only when {@code batchNorm}. */
    private LayerSpec imageLayer(List<Integer> shape, boolean batchNorm) {
        return switch (random.nextInt(8)) {
            case 0, 1 -> new Conv2DSpec(name("conv2d"), between(2, MAX_FILTERS), window(shape), activation(false),
                    random.nextBoolean(), pick(KERNEL_L2));
            case 2 -> new Pool2DSpec(name("max_pooling2d"), Pool2DSpec.Kind.MAX, window(shape));
            case 3 -> new Pool2DSpec(name("average_pooling2d"), Pool2DSpec.Kind.AVERAGE, window(shape));
            case 4 -> batchNorm ? batchNorm() : imageLayer(shape, false);
            case 5 -> new DropoutSpec(name("dropout"), pick(DROPOUT_RATES));
            case 6 -> new ActivationLayerSpec(name("activation"), activation(false));
            default -> random.nextBoolean() ? new FlattenSpec(name("flatten"))
                    : new GlobalAveragePooling2DSpec(name("global_average_pooling2d"));
        };
    }

    /** A layer a flat {@code [D]} accepts; batch normalization only when {@code batchNorm}. */
    private LayerSpec flatLayer(boolean batchNorm) {
        return switch (random.nextInt(6)) {
            case 0, 1 -> dense(between(2, MAX_UNITS), activation(true));
            case 2 -> batchNorm ? batchNorm() : flatLayer(false);
            case 3 -> new DropoutSpec(name("dropout"), pick(DROPOUT_RATES));
            case 4 -> new ActivationLayerSpec(name("activation"), activation(true));
            default -> new FlattenSpec(name("flatten"));
        };
    }

    private DenseSpec dense(int units, Activation activation) {
        return new DenseSpec(name("dense"), units, activation, random.nextBoolean(), pick(KERNEL_L2));
    }

    private BatchNormSpec batchNorm() {
        return new BatchNormSpec(name("batch_normalization"), pick(BN_MOMENTA), pick(BN_EPSILONS));
    }

    /**
     * A window for an image {@code [H, W, C]}: sides and strides drawn per dimension, {@code valid}
     * only when the window fits along both (else {@code same}, which fits any input).
     */
    private Window2D window(List<Integer> shape) {
        int kh = pick(WINDOW_SIDES);
        int kw = pick(WINDOW_SIDES);
        boolean fits = kh <= shape.get(0) && kw <= shape.get(1);
        Padding padding = fits && random.nextBoolean() ? Padding.VALID : Padding.SAME;
        return new Window2D(kh, kw, pick(STRIDES), pick(STRIDES), padding);
    }

    /**
     * The model's output function for {@code loss}: a softmax for cross-entropy, which needs one,
     * and for the KL divergence, a divergence between distributions; any for the squared error.
     * NOTE: the KL divergence meets a known difference wherever its clip bound is reached:
     * tensorflow-framework clips {@code y} and {@code p} at {@code 1e-7f} in float64 too, the
     * reference at Keras's {@code 1e-7}. An output below the bound (a linear, ReLU or tanh output)
     * moves the float64 loss by {@code 1.2e-8} per clipped example, and a labelled class whose
     * gradient path is dead (a sigmoid output behind a dead ReLU) leaves gradients made only of
     * the clipped zero labels' {@code -1e-7 / p}, which differ by {@code 1.2e-8} relative: both
     * past the float64 tolerance (docs/fuzzing.md, "What the fuzzer found"; {@code KlClipBoundTest}).
     * A softmax output couples every class to the labelled one, so its gradients never consist of
     * clipped terms alone.
     */
    private Activation output(LossSpec loss) {
        return switch (loss) {
            case CATEGORICAL_CROSSENTROPY -> Activation.SOFTMAX;
            case KL_DIVERGENCE -> Activation.SOFTMAX;
            case MEAN_SQUARED_ERROR -> activation(true);
        };
    }

    /** Any activation; softmax only when the tensor is flat. */
    private Activation activation(boolean flat) {
        Activation.Kind kind = pick(List.of(Activation.Kind.values()));
        if (kind == Activation.Kind.SOFTMAX && !flat) {
            kind = Activation.Kind.LINEAR;
        }
        return kind == Activation.Kind.LEAKY_RELU ? Activation.leakyRelu(pick(LEAKY_ALPHAS))
                : new Activation(kind, 0);
    }

    /**
     * Whether a constant added to each channel upstream (a bias, a batch normalization's beta)
     * reaches a layer's output still a constant per channel: layers that are affine per channel
     * pass it on, a nonlinearity or a batch normalization ends it, and a bias or a beta starts one.
     * A batch normalization in training mode subtracts the batch mean, so such a constant has no
     * effect on the loss: its gradient is zero by construction, and the two sides' rounding noise
     * (1e-18) is all there is to compare, which no relative tolerance can judge. The generator
     * draws no batch normalization where a constant arrives (docs/fuzzing.md).
     *
     * @param incoming whether a constant reaches the layer's input
     */
    private record ShiftFlow(boolean incoming) implements LayerSpec.Visitor<Boolean> {

        @Override
        public Boolean visitDense(DenseSpec layer) {
            return layer.useBias() || incoming && layer.activation().kind() == Activation.Kind.LINEAR;
        }

        @Override
        public Boolean visitConv2D(Conv2DSpec layer) {
            return layer.useBias() || incoming && layer.activation().kind() == Activation.Kind.LINEAR;
        }

        @Override
        public Boolean visitPool2D(Pool2DSpec layer) {
            return incoming;
        }

        @Override
        public Boolean visitGlobalAveragePooling2D(GlobalAveragePooling2DSpec layer) {
            return incoming;
        }

        @Override
        public Boolean visitFlatten(FlattenSpec layer) {
            return incoming;
        }

        @Override
        public Boolean visitActivation(ActivationLayerSpec layer) {
            return incoming && layer.activation().kind() == Activation.Kind.LINEAR;
        }

        @Override
        public Boolean visitDropout(DropoutSpec layer) {
            return incoming;
        }

        @Override
        public Boolean visitBatchNorm(BatchNormSpec layer) {
            return true;
        }
    }

    /** Keras-style unique names: {@code dense}, {@code dense_1}, ... */
    private String name(String type) {
        int n = names.merge(type, 1, Integer::sum) - 1;
        return n == 0 ? type : type + "_" + n;
    }

    private int between(int low, int high) {
        return random.nextInt(low, high + 1);
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
