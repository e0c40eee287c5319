package org.paritysuite.reference;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.run.DropoutMasks;
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
import org.paritysuite.fixtures.spec.ParameterSpec;
import org.paritysuite.fixtures.spec.Pool2DSpec;
import org.paritysuite.fixtures.spec.TrainingSpec;
import org.paritysuite.fixtures.spec.Window2D;
import org.paritysuite.fixtures.weights.WeightSet;

/**
 * Tiny CNN, dropout and batch normalization models for whole-model tests. Every image has
 * {@code C > 1} channels where it is flattened (with {@code C = 1} the NHWC and NCHW flatten orders
 * coincide and a missing permutation would pass), every size differs from the others, the batch has
 * {@link #BATCH} = 3 examples.
 *
 * <p>For the gradient checks: the kink signature ({@code ModelKinks}) reads the signs of every
 * ReLU output, fused or a layer of its own, and the winners of every max-pool window from the
 * traced activations, so elements whose step crosses a kink are skipped. Max pooling reads a conv
 * output before any ReLU, so its windows have no ties at 0 and the checks skip almost nothing.
 */
final class TinyCnnModels {

    static final int BATCH = 3;
    static final int CLASSES = 3;

    private TinyCnnModels() {
    }

    /** A named model, and whether its batches are training batches. */
    record Case(String name, ModelSpec spec, boolean training) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Window2D window(int k, int stride, Padding padding) {
        return new Window2D(k, k, stride, stride, padding);
    }

    static ModelSpec spec(String name, List<Integer> input, LossSpec loss, LayerSpec... layers) {
        return new ModelSpec(name, "a tiny test model", input, CLASSES, List.of(layers), loss, DataSpec.DEFAULT,
                new TrainingSpec(1, BATCH, "sgd", Map.of("learning_rate", 0.01)));
    }

    /** conv same (C=2 -> 3) + max-pool + ReLU + conv valid (L2) + flatten of [3, 3, 2] + dense softmax. */
    static ModelSpec convMaxPool() {
        return spec("tiny-cnn-max", List.of(5, 5, 2), LossSpec.CATEGORICAL_CROSSENTROPY,
                new Conv2DSpec("conv2d", 3, window(3, 1, Padding.SAME), Activation.LINEAR, true, 0),
                new Pool2DSpec("max_pooling2d", Pool2DSpec.Kind.MAX, window(2, 1, Padding.VALID)),
                new ActivationLayerSpec("re_lu", Activation.RELU),
                new Conv2DSpec("conv2d_1", 2, window(2, 1, Padding.VALID), Activation.TANH, true, 0.01),
                new FlattenSpec("flatten"),
                new DenseSpec("dense", CLASSES, Activation.SOFTMAX, true, 0));
    }

    /** conv valid + average pool 3x3 stride 2 same (border windows with fewer pixels) + flatten of [3, 2, 2] + two dense. */
    static ModelSpec convAvgPool() {
        return spec("tiny-cnn-avg", List.of(6, 5, 3), LossSpec.CATEGORICAL_CROSSENTROPY,
                new Conv2DSpec("conv2d", 2, window(2, 1, Padding.VALID), Activation.SIGMOID, true, 0),
                new Pool2DSpec("average_pooling2d", Pool2DSpec.Kind.AVERAGE, window(3, 2, Padding.SAME)),
                new FlattenSpec("flatten"),
                new DenseSpec("dense", 4, Activation.TANH, true, 0),
                new DenseSpec("dense_1", CLASSES, Activation.SOFTMAX, true, 0));
    }

    /** conv valid (C=2 -> 4) tanh + global average pooling of [4, 3, 4] + dense softmax. */
    static ModelSpec convGlobalAvgPool() {
        return spec("tiny-cnn-gap", List.of(5, 4, 2), LossSpec.CATEGORICAL_CROSSENTROPY,
                new Conv2DSpec("conv2d", 4, window(2, 1, Padding.VALID), Activation.TANH, true, 0),
                new GlobalAveragePooling2DSpec("global_average_pooling2d"),
                new DenseSpec("dense", CLASSES, Activation.SOFTMAX, true, 0));
    }

    /** Dropout on an image (NHWC mask) and after a flatten (a mask in NHWC flatten order). */
    static ModelSpec dropout() {
        return spec("tiny-cnn-dropout", List.of(4, 4, 2), LossSpec.CATEGORICAL_CROSSENTROPY,
                new Conv2DSpec("conv2d", 3, window(2, 1, Padding.SAME), Activation.TANH, true, 0),
                new DropoutSpec("dropout", 0.25),
                new Conv2DSpec("conv2d_1", 2, window(2, 2, Padding.VALID), Activation.SIGMOID, false, 0),
                new FlattenSpec("flatten"),
                new DropoutSpec("dropout_1", 0.5),
                new DenseSpec("dense", CLASSES, Activation.SOFTMAX, true, 0));
    }

    /** Batch normalization of features [N, D]. */
    static ModelSpec batchNormFeatures() {
        return spec("tiny-bn-dense", List.of(6), LossSpec.CATEGORICAL_CROSSENTROPY,
                new DenseSpec("dense", 5, Activation.TANH, true, 0),
                new BatchNormSpec("batch_normalization", 0.9, 1e-3),
                new DenseSpec("dense_1", CLASSES, Activation.SOFTMAX, true, 0));
    }

    /**
     * Batch normalization of an NHWC image's channels, then tanh, flatten of [2, 2, 3], a linear dense
     * and a final softmax activation layer (the ds541-cnn-b ending). In training the conv bias has a
     * zero gradient (the batch mean takes it away), so the training cases leave it out, as Keras
     * models put {@code use_bias=False} before batch normalization.
     */
    static ModelSpec batchNormImage(LossSpec loss, boolean convBias) {
        return spec("tiny-bn-image-" + loss.name().toLowerCase() + (convBias ? "-conv-bias" : ""), List.of(3, 3, 2), loss,
                new Conv2DSpec("conv2d", 3, window(2, 1, Padding.VALID), Activation.LINEAR, convBias, 0),
                new BatchNormSpec("batch_normalization", 0.9, 1e-3),
                new ActivationLayerSpec("activation", Activation.TANH),
                new FlattenSpec("flatten"),
                new DenseSpec("dense", CLASSES, Activation.LINEAR, true, 0),
                new ActivationLayerSpec("softmax", Activation.SOFTMAX));
    }

    /** Batch normalization after a flatten: its [D] parameters are permuted like kernel rows. */
    static ModelSpec batchNormAfterFlatten() {
        return spec("tiny-bn-after-flatten", List.of(3, 2, 2), LossSpec.CATEGORICAL_CROSSENTROPY,
                new FlattenSpec("flatten"),
                new BatchNormSpec("batch_normalization", 0.9, 1e-3),
                new DenseSpec("dense", CLASSES, Activation.SOFTMAX, true, 0));
    }

    /** The gradient-check cases. */
    static List<Case> gradientCases() {
        return List.of(
                new Case("conv same + max-pool + relu + conv valid (L2) + flatten + dense softmax", convMaxPool(), true),
                new Case("conv valid + avg-pool 3x3/2 same + flatten + dense + dense softmax", convAvgPool(), true),
                new Case("conv valid tanh + global average pooling + dense softmax", convGlobalAvgPool(), true),
                new Case("dropout on NHWC and on flattened features, fixed masks", dropout(), true),
                new Case("batch normalization on [N, D], training", batchNormFeatures(), true),
                new Case("batch normalization on NHWC + final softmax layer, training", batchNormImage(
                        LossSpec.CATEGORICAL_CROSSENTROPY, false), true),
                new Case("batch normalization on NHWC, inference (moving statistics)", batchNormImage(
                        LossSpec.CATEGORICAL_CROSSENTROPY, true), false),
                new Case("batch normalization on NHWC + final softmax layer, mean_squared_error",
                        batchNormImage(LossSpec.MEAN_SQUARED_ERROR, false), true),
                new Case("flatten + batch normalization of flattened features", batchNormAfterFlatten(), true));
    }

    /**
     * Seeded weights, every value rounded to float32: kernels in (-0.6, 0.6), biases and beta and
     * the moving mean in (-0.4, 0.4), gamma and the moving variance in (0.5, 1.5).
     */
    static WeightSet weights(ModelSpec spec, long seed) {
        TestArrays random = new TestArrays(seed);
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        for (ParameterSpec p : spec.parameters()) {
            long[] shape = p.shape().stream().mapToLong(Integer::longValue).toArray();
            INDArray values = switch (p.role()) {
                case KERNEL -> random.uniform(-0.6, 0.6, shape);
                case BIAS, BETA, MOVING_MEAN -> random.uniform(-0.4, 0.4, shape);
                case GAMMA, MOVING_VARIANCE -> random.uniform(0.5, 1.5, shape);
            };
            tensors.put(p.name(), values.castTo(DataType.FLOAT).castTo(DataType.DOUBLE));
        }
        return WeightSet.of(tensors);
    }

    /**
     * A seeded batch of {@code n} examples: inputs in (-1, 1) rounded to float32, one-hot labels, and
     * (for a training batch) the dropout masks {@link DropoutMasks} draws for the spec.
     */
    static Batch batch(ModelSpec spec, int n, long seed, boolean training) {
        TestArrays random = new TestArrays(seed);
        long[] shape = LongStream.concat(LongStream.of(n), spec.inputShape().stream().mapToLong(Integer::longValue))
                .toArray();
        INDArray x = random.uniform(-1, 1, shape).castTo(DataType.FLOAT).castTo(DataType.DOUBLE);
        INDArray y = random.oneHot(n, spec.classes());
        Map<String, INDArray> masks = training ? DropoutMasks.draw(spec, n, seed) : Map.of();
        return new Batch(x, y, masks, training, spec.name() + " batch (seed " + seed + (training ? ")" : ", inference)"));
    }
}
