package org.paritysuite.reference;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.data.LabeledImages;
import org.paritysuite.fixtures.data.ShippedDatasets;
import org.paritysuite.fixtures.data.Split;
import org.paritysuite.fixtures.gradcheck.GradientCheck;
import org.paritysuite.fixtures.gradcheck.GradientCheckResult;
import org.paritysuite.fixtures.gradcheck.ModelFunction;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.run.DropoutMasks;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.ModelZoo;
import org.paritysuite.fixtures.spec.ParameterSpec;
import org.paritysuite.fixtures.weights.GlorotUniform;
import org.paritysuite.fixtures.weights.WeightSet;

/**
 * Zoo models, every trainable parameter at once, along seeded random projections: the check of
 * whole real-sized models (109k to 5.5M parameters), where element-wise checks would take hours. A
 * training batch of Fashion-MNIST test images with the model's own dropout masks, float64.
 * ReLUs and max pooling are everywhere, so the default stencil is used and directions whose
 * step crosses a kink are skipped and counted.
 *
 * <p>Two choices keep the point off the kinks and the function smooth at the step's scale:
 * <ul>
 *   <li>Glorot weights with <em>non-zero</em> biases. With Glorot's zero biases, every background
 *       pixel (exactly 0 in Fashion-MNIST) gives a conv pre-activation of exactly 0: a ReLU on its
 *       kink, crossed by every direction that moves the conv bias, so ds541-cnn-a compares
 *       nothing (every projection skipped).</li>
 *   <li>A batch of 16 for fmnist17-2-3: batch normalization over 2 examples divides by the spread
 *       of two numbers, and through 8 such layers the loss bends on a scale of 1e-3 along a random
 *       direction; the truncation error of the default stencil is then 1e-4 relative, shrinking as
 *       {@code s^4} with the step (measured: 1e-6 at {@code s = 3e-5}, 1e-8 at 1e-5), not a bug.</li>
 * </ul>
 */
@Tag("gradcheck")
@DisplayName("Zoo models: random-projection gradient checks of the reference (float64)")
class ZooGradientCheckTest {

    private static final long DIRECTION_SEED = 597;

    /**
     * One zoo model and its batch size.
     *
     * @param id the zoo id
     * @param n  examples in the batch
     */
    record Case(String id, int n) {
        @Override
        public String toString() {
            return id + ", N = " + n;
        }
    }

    static Stream<Case> fast() {
        return Stream.of(new Case("ist597-mlp", 2), new Case("fmnist17-2-3", 16));
    }

    /** The seeded Glorot weights with every bias drawn from U(-0.1, 0.1) instead of 0, rounded to float32. */
    static WeightSet weights(ModelSpec spec) {
        Map<String, INDArray> map = GlorotUniform.initialise(spec, spec.training().seed()).asMap();
        TestArrays random = new TestArrays(spec.training().seed());
        for (ParameterSpec p : spec.parameters()) {
            if (p.role() == ParameterSpec.Role.BIAS) {
                map.put(p.name(), random.uniform(-0.1, 0.1, map.get(p.name()).shape())
                        .castTo(DataType.FLOAT).castTo(DataType.DOUBLE));
            }
        }
        return WeightSet.of(map);
    }

    static Batch batch(ModelSpec spec, int n) {
        LabeledImages images = ShippedDatasets.load(Dataset.FASHION_MNIST, Split.TEST);
        Batch plain = Batch.fromRows(images.imagesScaled(0, n), images.oneHot(0, n, spec.classes()), spec.inputShape(),
                "fashion-mnist test[0:" + n + "]");
        return plain.with(DropoutMasks.draw(spec, n, spec.training().seed()), true);
    }

    private static GradientCheckResult check(Case c, int projections) {
        ModelSpec spec = ModelZoo.load(c.id());
        Batch batch = batch(spec, c.n());
        ModelFunction f = ModelFunction.ofAllTrainable(spec, weights(spec), batch, w -> {
            try (ReferenceModel model = ReferenceModel.build(spec, w, Precision.FLOAT64)) {
                return model.forwardBackward(batch);
            }
        });
        return GradientCheck.named(c.id() + " (" + f.size() + " parameters, N = " + c.n() + ")")
                .projections(f, projections, DIRECTION_SEED);
    }

    @ParameterizedTest(name = "{0}: 8 random projections over every trainable parameter")
    @MethodSource("fast")
    void projections(Case c) {
        GradientCheckAssert.assertThat(check(c, 8)).passes();
    }

    @Test
    @DisplayName("ds541-cnn-a, N = 2: 2 random projections over all 5.5M parameters (8 with -Pslow)")
    void cnnTwoProjections() {
        GradientCheckAssert.assertThat(check(new Case("ds541-cnn-a", 2), 2)).passes();
    }

    @Test
    @Tag("slow")
    @DisplayName("ds541-cnn-a, N = 2: 8 random projections over all 5.5M parameters")
    void cnnEightProjections() {
        GradientCheckAssert.assertThat(check(new Case("ds541-cnn-a", 2), 8)).passes();
    }
}
