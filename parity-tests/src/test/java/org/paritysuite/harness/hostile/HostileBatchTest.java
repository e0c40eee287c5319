package org.paritysuite.harness.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.data.ImageSource;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.ModelZoo;
import org.paritysuite.fixtures.spec.ParameterSpec;
import org.paritysuite.fixtures.weights.GlorotUniform;
import org.paritysuite.fixtures.weights.WeightSet;
import org.paritysuite.harness.run.CaseFactory;
import org.paritysuite.harness.run.ParityCase;

/** What each hostile batch is made of, and to which models and precisions it applies. */
@DisplayName("Hostile batches")
class HostileBatchTest {

    /** The zoo's model with max pooling on images, whose batches the image tests look at. */
    private static final ModelSpec CNN = ModelZoo.load("ds541-cnn-a");

    static List<String> zoo() {
        return ModelZoo.ids();
    }

    private static Batch real(ModelSpec spec, HostileBatch kind) {
        return CaseFactory.firstTestBatch(spec, ImageSource.SHIPPED, Dataset.MNIST, kind.size(spec));
    }

    @Test
    @DisplayName("one example is one example; an MLP's other batches have its own batch size, a CNN's eight")
    void sizes() {
        ModelSpec mlp = ModelZoo.load("ist597-mlp");
        assertThat(HostileBatch.ONE_EXAMPLE.size(mlp)).isEqualTo(1);
        assertThat(HostileBatch.ZERO_IMAGES.size(mlp)).isEqualTo(mlp.training().batchSize());
        assertThat(HostileBatch.CONSTANT_IMAGES.size(CNN)).as("a CNN's hostile batch, for its cost").isEqualTo(8);
    }

    @Test
    @DisplayName("zero images are exactly zero, every one labelled as the first test image")
    void zeroImages() {
        Batch real = real(CNN, HostileBatch.ZERO_IMAGES);
        Batch zero = HostileBatch.ZERO_IMAGES.batch(CNN, real);
        assertThat(zero.x().amaxNumber().doubleValue()).as("largest |x| of the zero images").isZero();
        assertThat(zero.x().shape()).isEqualTo(real.x().shape());
        for (long n = 0; n < real.size(); n++) {
            assertThat(zero.y().getRow(n)).as("example %d labelled as the first test image", n)
                    .isEqualTo(real.y().getRow(0));
        }
    }

    @Test
    @DisplayName("constant images: the first half each one float32 value in the input range, the rest real")
    void constantImages() {
        Batch real = real(CNN, HostileBatch.CONSTANT_IMAGES);
        Batch constant = HostileBatch.CONSTANT_IMAGES.batch(CNN, real);
        long half = real.size() / 2;
        for (long n = 0; n < half; n++) {
            INDArray image = constant.x().slice(n);
            double value = image.getDouble(0);
            assertThat(image.maxNumber().doubleValue()).as("image %d is constant", n).isEqualTo(value);
            assertThat(image.minNumber().doubleValue()).as("image %d is constant", n).isEqualTo(value);
            assertThat(value).as("image %d's value is a float32 inside (0, 1)", n).isEqualTo((float) value)
                    .isStrictlyBetween(0.0, 1.0);
        }
        assertThat(constant.x().slice(0).getDouble(0)).as("different values per image")
                .isNotEqualTo(constant.x().slice(1).getDouble(0));
        for (long n = half; n < real.size(); n++) {
            assertThat(constant.x().slice(n)).as("image %d stays real", n).isEqualTo(real.x().slice(n));
        }
    }

    @Test
    @DisplayName("saturated logits multiply exactly the output layer's kernel and bias by 2^12")
    void saturatedLogitsScaleTheOutputLayer() {
        // A convolutional model runs no scaled kind in the main job, but ds541-cnn-b is the zoo's model whose
        // logits come from a layer before a softmax activation layer.
        ModelSpec spec = ModelZoo.load("ds541-cnn-b");
        WeightSet weights = GlorotUniform.initialise(spec, spec.training().seed());
        WeightSet scaled = HostileBatch.SATURATED_LOGITS.weights(spec, weights);
        assertThat(HostileBatch.SATURATED_LOGITS.scaledLayers(spec))
                .as("ds541-cnn-b's logits come from a linear dense layer before a softmax activation layer")
                .containsExactly("dense_1");
        for (ParameterSpec p : spec.parameters()) {
            double factor = p.layer().equals("dense_1") ? HostileBatch.LOGIT_SCALE : 1;
            assertThat(scaled.get(p.name())).as("%s times %s", p.name(), factor)
                    .isEqualTo(weights.get(p.name()).mul(factor));
        }
    }

    @Test
    @DisplayName("saturated activations scale every sigmoid and tanh layer, and no other")
    void saturatedActivationsScaleSigmoidAndTanhLayers() {
        ModelSpec spec = ModelZoo.load("fmnist17-1-2");
        assertThat(HostileBatch.SATURATED_ACTIVATIONS.scaledLayers(spec))
                .as("fmnist17-1-2: three sigmoid dense layers, then the softmax one")
                .containsExactly("dense", "dense_1", "dense_2");
        assertThat(HostileBatch.SATURATED_ACTIVATIONS.scaledLayers(ModelZoo.load("ist597-mlp")))
                .as("a ReLU model has nothing to saturate").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("zoo")
    @DisplayName("every zoo model gets the unscaled kinds in both precisions; the scaled ones where judged")
    void everyZooModelGetsItsHostileCases(String id) {
        ModelSpec spec = ModelZoo.load(id);
        WeightSet weights = GlorotUniform.initialise(spec, spec.training().seed());
        List<ParityCase> cases = HostileCases.of(spec, weights, ImageSource.SHIPPED, Dataset.MNIST,
                List.of(Precision.FLOAT32, Precision.FLOAT64));
        Set<String> kinds = new java.util.TreeSet<>(cases.stream().map(ParityCase::dataset).toList());
        assertThat(kinds).as("%s: the kinds without scaled weights apply to every model", id)
                .contains("one-example", "zero-images", "constant-images");
        assertThat(cases).as("%s: hostile cases are training passes", id).allMatch(c -> c.batch().training());
        for (ParityCase c : cases) {
            HostileBatch kind = HostileBatch.valueOf(c.dataset().toUpperCase().replace('-', '_'));
            assertThat(kind.appliesTo(spec, c.precision())).as("%s applies to %s in %s", kind, id, c.precision())
                    .isTrue();
        }
        assertThat(cases.stream().filter(c -> c.dataset().startsWith("saturated-")))
                .as("%s: the saturated kinds run in float64 only", id)
                .allMatch(c -> c.precision() == Precision.FLOAT64);
    }

    @Test
    @DisplayName("a float32 case shares its weights and batch with its float64 twin, which referees it")
    void twinsShareWeightsAndBatch() {
        ModelSpec spec = ModelZoo.load("ist597-mlp");
        WeightSet weights = GlorotUniform.initialise(spec, spec.training().seed());
        List<ParityCase> zeros = HostileCases.of(spec, weights, ImageSource.SHIPPED, Dataset.MNIST,
                List.of(Precision.FLOAT32, Precision.FLOAT64)).stream()
                .filter(c -> c.dataset().equals("zero-images")).toList();
        assertThat(zeros).hasSize(2);
        assertThat(zeros.get(0).weights()).as("the model's own weights").isSameAs(weights)
                .isSameAs(zeros.get(1).weights());
        assertThat(zeros.get(0).batch().description()).isEqualTo(zeros.get(1).batch().description());
    }

    @Test
    @DisplayName("the KL models get no saturated logits: they reach the registered clip-bound difference")
    void klModelsGetNoSaturatedLogits() {
        ModelSpec kl = ModelZoo.load("fmnist17-1-2");
        assertThat(HostileBatch.SATURATED_LOGITS.appliesTo(kl, Precision.FLOAT64)).isFalse();
        assertThat(HostileBatch.SATURATED_LOGITS.appliesTo(ModelZoo.load("ist597-mlp"), Precision.FLOAT64))
                .isTrue();
    }
}
