package org.paritysuite.harness.hostile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.spec.Activation;
import org.paritysuite.fixtures.spec.LayerSpec;
import org.paritysuite.fixtures.spec.LossSpec;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.ParameterSpec;
import org.paritysuite.fixtures.weights.WeightSet;

/**
 * An input chosen to reach the corners a careless implementation gets wrong and real images rarely
 * visit: exact zeros at a ReLU's kink, ties in every max-pool window, a batch variance of exactly 0,
 * logits that overflow an unshifted softmax, activations saturated to exactly 0 or 1.
 *
 * <p>Each is a batch of the model's own input shape (its labels those of the first shipped test
 * images) and, for the two saturating kinds, the model's weights with some layers multiplied by a
 * power of two, which keeps every weight exactly a float32 so that a float32 case and its float64
 * referee still see the same numbers. What each one probes, and what TensorFlow does there, is in
 * {@code docs/hostile-batches.md}.
 */
public enum HostileBatch {

    /**
     * The first test image alone: every batch mean is over one example, batch normalization's
     * batch variance is exactly 0 and its Bessel factor {@code m / (m - 1)} would divide by zero.
     */
    ONE_EXAMPLE("one-example"),

    /**
     * All-zero images, all labelled as the first test image: a first layer's pre-activations are
     * exactly its bias (0 as initialised), so ReLU and its derivative are taken at exactly 0, every
     * max-pool window ties on 0, and identical examples give batch normalization a variance of
     * exactly 0.
     */
    ZERO_IMAGES("zero-images"),

    /**
     * Half the batch images each of one value (different between images), half real images: a
     * convolution's interior outputs on a constant image are equal, so every max-pool window ties
     * on a positive value and the tie rule decides where the gradient goes. Only the pool's input
     * gradient shows where it went (the tied positions sit on identical patches, so no kernel
     * gradient changes): per-layer isolation compares it, the whole-model trace does not hold it.
     */
    CONSTANT_IMAGES("constant-images"),

    /**
     * Real images, the output layer's kernel and bias times {@link #LOGIT_SCALE}, float64 only:
     * logits of thousands, which overflow {@code exp} (above 709.8) unless the softmax subtracts
     * the row maximum; probabilities of exactly 0 and 1, cross-entropies of thousands.
     */
    SATURATED_LOGITS("saturated-logits"),

    /**
     * Real images, every sigmoid and tanh layer's kernel and bias times {@link #SATURATION_SCALE},
     * float64 only: pre-activations of tens, outputs at or next to their bounds (tanh is exactly
     * ±1 past |x| of about 19.1, sigmoid exactly 1 past about 36.7 and tiny but never 0 below
     * -36.7) and derivatives of nearly or exactly 0.
     */
    SATURATED_ACTIVATIONS("saturated-activations");

    /**
     * Glorot-initialised output layers give logits of order 1 on the shipped images; times 2^12 they
     * reach thousands, past float64's {@code exp} overflow at 709.78 (float32's is 88.72). A power
     * of two multiplies every weight exactly.
     */
    public static final double LOGIT_SCALE = 4096;

    /**
     * Glorot-initialised hidden layers give pre-activations of order 0.1 to 1, so of order 6 to 64
     * times 2^6: past about 19.1 tanh rounds to exactly ±1 in float64, past about 36.7 sigmoid
     * rounds to exactly 1, and at 6.4 they are 5.5e-6 and 1.7e-3 from 1. A power of two multiplies
     * every weight exactly.
     */
    public static final double SATURATION_SCALE = 64;

    private final String id;

    HostileBatch(String id) {
        this.id = id;
    }

    /** The name in case ids and reports, e.g. {@code zero-images}. */
    public String id() {
        return id;
    }

    /**
     * The number of examples: one for {@link #ONE_EXAMPLE}; otherwise the spec's own batch size, or
     * eight for a convolutional model (an eighth of its 64-example cost). A smaller batch would
     * take batch normalization into the float32 gap docs/fuzzing.md measured (the rounding of
     * {@code 1 / sqrt(var + eps)} over a few values, beyond the float32 rule's sum lengths), which is
     * not what these inputs are for.
     */
    public int size(ModelSpec spec) {
        return this == ONE_EXAMPLE ? 1 : spec.hasConvolution() ? CONVOLUTIONAL_SIZE : spec.training().batchSize();
    }

    /** Examples of a hostile batch of a convolutional model. */
    static final int CONVOLUTIONAL_SIZE = 8;

    /**
     * Whether this input reaches a corner of {@code spec} that the comparison can judge in
     * {@code precision}: the saturated logits need a softmax fed by a layer with weights, the
     * saturated activations a sigmoid or tanh after one. Left out, each for a reason measured and
     * written up in docs/hostile-batches.md:
     * <ul>
     *   <li>saturated logits under the KL divergence: they reach the registered clip-bound
     *       difference (tensorflow-framework clips at {@code 1e-7f} in float64, Keras at {@code 1e-7}),
     *       which {@code KlClipBoundTest} pins, for every confidently wrong example;</li>
     *   <li>both scaled kinds in float32: the scale multiplies the terms of the scaled layers' sums,
     *       and so their float32 rounding, by 2^10 or 2^6, while the float32 rule sizes each tensor's
     *       floor by its own largest element: probabilities and sigmoid or tanh outputs stay below 1.
     *       Measured with the logits at 2^10: fmnist17-2-3's probabilities near a tie 2.3 times their
     *       tolerance; saturated layers' outputs up to 16 times (cs6910-best-fashion), on both sides
     *       alike, their float64 cases passing. The float64 cases carry the kinds (they overflow
     *       float64's {@code exp} too).</li>
     *   <li>both scaled kinds on a convolutional model: they probe the softmax, the losses and the
     *       sigmoid and tanh, the same code in every model, which the MLPs reach; on a CNN each would
     *       build both sides' models again for its scaled weights, and the main job then ran out of
     *       its 2.5 GB native-memory bound (measured twice).</li>
     * </ul>
     */
    public boolean appliesTo(ModelSpec spec, Precision precision) {
        return switch (this) {
            case ONE_EXAMPLE, ZERO_IMAGES, CONSTANT_IMAGES -> true;
            case SATURATED_LOGITS -> spec.hasSoftmaxOutput() && spec.loss() != LossSpec.KL_DIVERGENCE
                    && precision == Precision.FLOAT64 && !spec.hasConvolution() && !scaledLayers(spec).isEmpty();
            case SATURATED_ACTIVATIONS -> precision == Precision.FLOAT64 && !spec.hasConvolution()
                    && !scaledLayers(spec).isEmpty();
        };
    }

    /**
     * This input's batch made from {@code real}, the first {@link #size(ModelSpec)} shipped test
     * images of the model: the images themselves with their labels, zero images under the first
     * label, or half constant images with the real images' labels.
     */
    public Batch batch(ModelSpec spec, Batch real) {
        String what = id + " x" + real.size() + ", labels of " + real.description();
        return switch (this) {
            case ONE_EXAMPLE, SATURATED_LOGITS, SATURATED_ACTIVATIONS -> new Batch(real.x(), real.y(), what);
            case ZERO_IMAGES -> new Batch(Nd4j.zeros(DataType.DOUBLE, real.x().shape()), firstLabelEverywhere(real.y()),
                    id + " x" + real.size() + ", every one labelled as the first of " + real.description());
            case CONSTANT_IMAGES -> new Batch(constantImages(spec, real.x()), real.y(), what);
        };
    }

    /**
     * The weights this input runs with: {@code weights} itself, or for the saturating kinds a copy
     * with the kernel and bias of {@link #scaledLayers} multiplied by the kind's power of two.
     */
    public WeightSet weights(ModelSpec spec, WeightSet weights) {
        double factor = switch (this) {
            case SATURATED_LOGITS -> LOGIT_SCALE;
            case SATURATED_ACTIVATIONS -> SATURATION_SCALE;
            default -> 1;
        };
        if (factor == 1) {
            return weights;
        }
        Set<String> layers = scaledLayers(spec);
        Map<String, INDArray> scaled = new LinkedHashMap<>(weights.asMap());
        for (ParameterSpec p : spec.parameters()) {
            boolean linear = p.role() == ParameterSpec.Role.KERNEL || p.role() == ParameterSpec.Role.BIAS;
            if (linear && layers.contains(p.layer())) {
                scaled.put(p.name(), scaled.get(p.name()).mul(factor));
            }
        }
        return WeightSet.of(scaled);
    }

    /**
     * The layers whose kernel and bias this kind multiplies: for the saturated logits the layer with
     * weights that computes the logits (the last layer, or the one before a final softmax activation
     * layer); for the saturated activations every layer with weights whose output goes through a
     * sigmoid or tanh (its own activation, or an activation layer right after it). Empty for the
     * other kinds, and where no such layer exists.
     */
    public Set<String> scaledLayers(ModelSpec spec) {
        List<LayerSpec> layers = spec.layers();
        List<List<Integer>> inputs = spec.layerInputShapes();
        Set<String> chosen = new TreeSet<>();
        List<Integer> candidates = new ArrayList<>();
        if (this == SATURATED_LOGITS) {
            candidates.add(layers.size() - 1);
        } else if (this == SATURATED_ACTIVATIONS) {
            for (int i = 0; i < layers.size(); i++) {
                Activation.Kind kind = layers.get(i).activation().kind();
                if (kind == Activation.Kind.SIGMOID || kind == Activation.Kind.TANH) {
                    candidates.add(i);
                }
            }
        }
        for (int i : candidates) {
            // A layer without weights (an activation layer of its own) applies to the output of the layer before it.
            int owner = i > 0 && layers.get(i).parameters(inputs.get(i)).isEmpty() ? i - 1 : i;
            if (!layers.get(owner).parameters(inputs.get(owner)).isEmpty()
                    && !layers.get(owner).hasInferenceMode()) {
                chosen.add(layers.get(owner).name());
            }
        }
        return chosen;
    }

    /**
     * {@code y}'s first row in every row. Identical examples under the labels of a class-balanced
     * batch (cs172-twin's 100 shipped images hold 10 of each class) would make the output bias's
     * gradient {@code sum_n (p - y_n)} exactly 0 in exact arithmetic at uniform probabilities, left
     * to each side's rounding noise; identical labels keep it {@code N (p - y_0)}.
     */
    private static INDArray firstLabelEverywhere(INDArray y) {
        return y.getRow(0, true).repeat(0, y.size(0));
    }

    /**
     * The first half of {@code real}'s images replaced: image {@code n} of those {@code H} filled
     * with {@code low + (high - low) (n + 1) / (H + 1)}, rounded to float32, constant within the
     * image (every pooling window ties); the other half real. A batch of constant images alone is
     * degenerate: through a bias-free first layer every example is a multiple of one vector, a
     * ReLU keeps it so, and a batch normalization after it then makes the whole first layer's
     * gradient exactly 0 in exact arithmetic, which each side computes as its own rounding noise.
     */
    private static INDArray constantImages(ModelSpec spec, INDArray real) {
        INDArray x = real.dup();
        long half = Math.max(1, x.size(0) / 2);
        double low = spec.data().inputLow();
        double span = spec.data().inputHigh() - low;
        for (long i = 0; i < half; i++) {
            x.slice(i).assign((float) (low + span * (i + 1) / (half + 1)));
        }
        return x;
    }
}
