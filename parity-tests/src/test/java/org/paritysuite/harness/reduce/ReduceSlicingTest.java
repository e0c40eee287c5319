package org.paritysuite.harness.reduce;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.spec.LayerSpec;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.ModelZoo;
import org.paritysuite.fixtures.weights.GlorotUniform;
import org.paritysuite.fixtures.weights.WeightSet;
import org.paritysuite.harness.run.CaseFactory;

/**
 * The pieces a reduction is made of, without running a case: smaller specs, their sliced weights,
 * fewer examples.
 */
@DisplayName("Reduction pieces")
class ReduceSlicingTest {

    private static final ModelSpec CNN = ModelZoo.load("ds541-cnn-a");
    private static final WeightSet WEIGHTS = GlorotUniform.initialise(CNN, CNN.training().seed());

    @Nested
    @DisplayName("SpecSlicer")
    class Slicer {

        @Test
        @DisplayName("puts a flatten back in front of a dense layer fed an image, and refuses what does not fit")
        void repairsOnlyWithAFlatten() {
            ModelSpec cut = SpecSlicer.withLayers(CNN, List.of(CNN.layers().get(3), CNN.layers().get(9))).orElseThrow();
            assertThat(cut.layers()).extracting(LayerSpec::name).as("conv2d_1 then dense_1, a flatten between")
                    .containsExactly("conv2d_1", "flatten", "dense_1");
            assertThat(SpecSlicer.withLayers(CNN, List.of(CNN.layers().get(7))))
                    .as("dense (256 relu) as the output: [256], not the [10] classes").isEmpty();
            assertThat(SpecSlicer.withWidth(CNN, "dense_1", 5)).as("the output layer's units are the classes").isEmpty();
            assertThat(SpecSlicer.withWidth(CNN, "max_pooling2d", 5)).as("a pooling has no width").isEmpty();
        }

        @Test
        @DisplayName("keeps the leading block of every parameter: first input channels and filters, first rows")
        void keepsTheLeadingBlock() {
            ModelSpec cut = SpecSlicer.withWidth(
                    SpecSlicer.withLayers(CNN, List.of(CNN.layers().get(3), CNN.layers().get(9))).orElseThrow(),
                    "conv2d_1", 3).orElseThrow();
            WeightSet sliced = SpecSlicer.weightsFor(cut, WEIGHTS);
            INDArray kernel = sliced.get("conv2d_1/kernel");
            assertThat(kernel.shape()).as("[KH, KW, C, F] fed the one-channel image, 3 filters")
                    .containsExactly(2, 2, 1, 3);
            assertThat(kernel).as("the original's first input channel and first three filters")
                    .isEqualTo(WEIGHTS.get("conv2d_1/kernel").get(NDArrayIndex.all(), NDArrayIndex.all(),
                            NDArrayIndex.interval(0, 1), NDArrayIndex.interval(0, 3)));
            assertThat(sliced.get("conv2d_1/bias")).isEqualTo(WEIGHTS.get("conv2d_1/bias").get(NDArrayIndex.interval(0, 3)));
            INDArray output = sliced.get("dense_1/kernel");
            assertThat(output.shape()).as("28 x 28 x 3 rows").containsExactly(2352, 10);
            assertThat(output.get(NDArrayIndex.interval(0, 256), NDArrayIndex.all()))
                    .as("the first 256 rows are the original's, all it has")
                    .isEqualTo(WEIGHTS.get("dense_1/kernel"));
            assertThat(SpecSlicer.weightsFor(cut, WEIGHTS).bitwiseEquals(sliced))
                    .as("the rows beyond come from the seeded initialiser: the same on every run").isTrue();
        }
    }

    @Nested
    @DisplayName("Reproducer")
    class Examples {

        @Test
        @DisplayName("keeps the chosen examples of an image batch, its labels with them, and redraws the masks")
        void fewerExamples() {
            Reproducer four = Reproducer.of(CaseFactory.zooCase("ds541-cnn-a", Dataset.FASHION_MNIST,
                    Precision.FLOAT64, true, 4));
            Reproducer without = four.without(1);
            assertThat(without.examples().x().shape()).containsExactly(3, 28, 28, 1);
            assertThat(without.examples().x().get(NDArrayIndex.interval(1, 2)))
                    .as("example 2 moved up to 1").isEqualTo(four.examples().x().get(NDArrayIndex.interval(2, 3)));
            assertThat(without.examples().y().getRow(1)).isEqualTo(four.examples().y().getRow(2));
            Reproducer one = four.withExamples(3, 4);
            assertThat(one.examples().x().shape()).as("one example keeps its batch axis").containsExactly(1, 28, 28, 1);
            assertThat(one.toCase().batch().dropoutMask("dropout").shape())
                    .as("masks drawn for the examples there are, [N, ...dropout's input]").containsExactly(1, 27, 27, 64);
            assertThat(one.size()).isEqualTo(new Reproducer.Size(10, 4, CNN.parameterCount(), 1));
        }
    }
}
