package org.paritysuite.harness.training;

import org.paritysuite.harness.compare.KinkCrossing;
import org.paritysuite.harness.wiring.Wiring;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.data.ShippedDatasets;
import org.paritysuite.fixtures.data.Split;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.run.TensorKind;
import org.paritysuite.fixtures.run.Trace;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.ModelZoo;
import org.paritysuite.fixtures.weights.GlorotUniform;
import org.paritysuite.fixtures.weights.WeightSet;
import org.paritysuite.harness.compare.Tolerance;
import org.paritysuite.harness.compare.TensorCheck;
import org.paritysuite.reference.ReferenceTrainer;

/** The pieces every lockstep step is made of, each on its own. */
@DisplayName("Lockstep training pieces")
class TrainingPiecesTest {

    static final ModelSpec LINEAR = ModelZoo.load("cs172-linear");

    @Nested
    @DisplayName("Minibatches")
    class MinibatchesSpec {

        @Test
        @DisplayName("step t is the t-th slice of the batch size, wrapping after the last whole batch")
        void slices() {
            Minibatches b = new Minibatches(LINEAR, ShippedDatasets.load(Dataset.MNIST, Split.TRAIN).slice(0, 250),
                    "mnist train", 100);
            assertThat(b.batchesPerEpoch()).as("a partial last batch is dropped").isEqualTo(2);
            assertThat(b.forStep(1).description()).contains("[0:100] step 1");
            assertThat(b.forStep(2).description()).contains("[100:200] step 2");
            assertThat(b.forStep(3).description()).contains("[0:100] step 3");
        }

        @Test
        @DisplayName("a data set smaller than one batch is bad input naming the model, the batch and the images")
        void tooFewImages() {
            assertThatThrownBy(() -> new Minibatches(LINEAR,
                    ShippedDatasets.load(Dataset.MNIST, Split.TRAIN).slice(0, 50), "mnist train", 64))
                    .isInstanceOf(FixtureException.class)
                    .hasMessageContaining("cs172-linear").hasMessageContaining("batch size 64")
                    .hasMessageContaining("50 images of mnist train");
        }
    }

    @Nested
    @DisplayName("NonFiniteValues")
    class NonFinite {

        static Trace trace(double loss, double gradient) {
            return Trace.builder().add("loss", TensorKind.LOSS, Nd4j.scalar(loss))
                    .add("dense/kernel", TensorKind.GRADIENT, Nd4j.create(new double[] {1, gradient, 3})).build();
        }

        @Test
        @DisplayName("finds the first non-finite element, naming tensor and index")
        void finds() {
            assertThat(NonFiniteValues.find(trace(0.5, Double.NaN))).hasValueSatisfying(l -> {
                assertThat(l.tensor()).isEqualTo("gradient/dense/kernel");
                assertThat(l.index()).isEqualTo(1);
            });
            assertThat(NonFiniteValues.find(trace(0.5, 2))).isEmpty();
        }

        @Test
        @DisplayName("both sides non-finite is a diverging configuration: bad input, naming the step")
        void bothSides() {
            assertThatThrownBy(() -> NonFiniteValues.check("m / d / float32 / sgd", 7, trace(Double.POSITIVE_INFINITY, 1),
                    trace(Double.NaN, 1)))
                    .isInstanceOf(FixtureException.class).hasMessageContaining("step 7")
                    .hasMessageContaining("both sides");
        }

        @Test
        @DisplayName("one side alone non-finite is a parity failure naming that side")
        void oneSide() {
            assertThatThrownBy(() -> NonFiniteValues.check("m / d / float32 / sgd", 3, trace(0.5, 1),
                    trace(0.5, Double.NaN)))
                    .isInstanceOf(ParityFailure.class).hasMessageContaining("step 3")
                    .hasMessageContaining("only the reference side");
        }
    }

    @Nested
    @DisplayName("PropagatedTolerance")
    class Propagation {

        /** One step of the reference on cs172-linear, with the optimizer {@code type}. */
        static Map<String, double[]> allowance(String type, Map<String, Double> hyperparameters, double rtol) {
            ModelSpec spec = RunPlan.retrained(LINEAR, LINEAR.training().batchSize(), type, hyperparameters);
            WeightSet w = GlorotUniform.initialise(spec, 1);
            Batch batch = new Minibatches(spec, ShippedDatasets.load(Dataset.MNIST, Split.TRAIN), "mnist").forStep(1);
            try (ReferenceTrainer ref = ReferenceTrainer.build(spec, w, Precision.FLOAT64)) {
                Trace step = ref.step(batch);
                return new PropagatedTolerance(spec, w, Precision.FLOAT64, Wiring.STANDARD.referenceRules())
                        .step(step, Map.of("dense/kernel", new Tolerance(rtol, 0, "test")));
            }
        }

        @Test
        @DisplayName("SGD moves a weight by lr * tau: the allowance is the learning rate times the gradient tolerance")
        void sgd() {
            ModelSpec spec = RunPlan.retrained(LINEAR, LINEAR.training().batchSize(), "sgd", Map.of("learning_rate", 0.5));
            WeightSet w = GlorotUniform.initialise(spec, 1);
            Batch batch = new Minibatches(spec, ShippedDatasets.load(Dataset.MNIST, Split.TRAIN), "mnist").forStep(1);
            try (ReferenceTrainer ref = ReferenceTrainer.build(spec, w, Precision.FLOAT64)) {
                Trace step = ref.step(batch);
                double[] g = step.find("gradient/dense/kernel").orElseThrow().value().castTo(DataType.DOUBLE)
                        .dup('c').data().asDouble();
                double[] a = new PropagatedTolerance(spec, w, Precision.FLOAT64, Wiring.STANDARD.referenceRules())
                        .step(step, Map.of("dense/kernel", new Tolerance(1e-3, 0, "test"))).get("weight/dense/kernel");
                for (int i = 0; i < g.length; i += 97) {
                    assertThat(a[i]).as("element %d", i).isCloseTo(0.5 * 1e-3 * Math.abs(g[i]),
                            org.assertj.core.data.Offset.offset(1e-15));
                }
            }
        }

        @Test
        @DisplayName("Adam's first step amplifies a tolerance near g = 0 by up to lr sqrt(1 - beta2) / eps, and barely"
                + " moves a large gradient's update")
        void adamAmplifiesNearZero() {
            double[] a = allowance("adam", Map.of("learning_rate", 0.001, "epsilon", 1e-7), 0.1)
                    .get("weight/dense/kernel");
            double max = java.util.Arrays.stream(a).max().orElseThrow();
            assertThat(max).as("the largest allowance: a gradient near 0 whose sign tau can flip")
                    .isGreaterThan(1e-5).isLessThanOrEqualTo(2 * 0.001 + 1e-12);
        }

        @Test
        @DisplayName("has an allowance for every updated weight and every slot, by trace key")
        void everyWeightAndSlot() {
            assertThat(allowance("momentum", Map.of("learning_rate", 0.1, "momentum", 0.9), 1e-6))
                    .containsOnlyKeys("weight/dense/kernel", "weight/dense/kernel/momentum");
        }
    }

    @Nested
    @DisplayName("KinkCrossing")
    class Kinks {

        @Test
        @DisplayName("a ReLU output 0 on one side and a value within tolerance on the other is a kink crossing")
        void crossing() {
            ModelSpec mlp = ModelZoo.load("ist597-mlp");
            Trace tf = Trace.builder().add("dense", TensorKind.ACTIVATION, Nd4j.create(new double[][] {{0.0, 1.0}}))
                    .build();
            Trace ref = Trace.builder().add("dense", TensorKind.ACTIVATION,
                    Nd4j.create(new double[][] {{3e-8, 1.0}})).build();
            List<TensorCheck> checks = List.of(check(tf, ref, 1e-6));
            assertThat(KinkCrossing.find(mlp, tf, ref, checks)).hasValueSatisfying(d -> assertThat(d)
                    .contains("relu unit [0, 0] of layer 'dense'"));
        }

        @Test
        @DisplayName("a ReLU unit blocked on one side but far from 0 on the other is no kink crossing: a real difference")
        void notACrossing() {
            ModelSpec mlp = ModelZoo.load("ist597-mlp");
            Trace tf = Trace.builder().add("dense", TensorKind.ACTIVATION, Nd4j.create(new double[][] {{0.0, 1.0}}))
                    .build();
            Trace ref = Trace.builder().add("dense", TensorKind.ACTIVATION,
                    Nd4j.create(new double[][] {{0.2, 1.0}})).build();
            assertThat(KinkCrossing.find(mlp, tf, ref, List.of(check(tf, ref, 1e-6)))).isEmpty();
        }

        @Test
        @DisplayName("a max-pool window whose two largest inputs swap order within tolerance is a kink crossing")
        void poolTie() {
            ModelSpec cnn = ModelZoo.load("ds541-cnn-b");
            org.nd4j.linalg.api.ndarray.INDArray a = Nd4j.zeros(DataType.DOUBLE, 1, 26, 26, 64);
            org.nd4j.linalg.api.ndarray.INDArray e = a.dup();
            a.putScalar(new long[] {0, 0, 1, 5}, 1.0 + 1e-9);
            a.putScalar(new long[] {0, 1, 0, 5}, 1.0);
            e.putScalar(new long[] {0, 0, 1, 5}, 1.0);
            e.putScalar(new long[] {0, 1, 0, 5}, 1.0 + 1e-9);
            Trace tf = Trace.builder().add("conv2d", TensorKind.ACTIVATION, a).build();
            Trace ref = Trace.builder().add("conv2d", TensorKind.ACTIVATION, e).build();
            TensorCheck check = new TensorCheck("conv2d", TensorKind.ACTIVATION,
                    org.paritysuite.harness.compare.TensorComparator.compare("conv2d", a, e, new Tolerance(1e-6, 1e-6,
                            "test")), null);
            assertThat(KinkCrossing.find(cnn, tf, ref, List.of(check))).hasValueSatisfying(d -> assertThat(d)
                    .contains("max-pool window [0, 0, 0, 5] of layer 'max_pooling2d'"));
        }

        private TensorCheck check(Trace tf, Trace ref, double rtol) {
            return new TensorCheck("dense", TensorKind.ACTIVATION, org.paritysuite.harness.compare.TensorComparator
                    .compare("dense", tf.find("activation/dense").orElseThrow().value(),
                            ref.find("activation/dense").orElseThrow().value(), new Tolerance(rtol, rtol, "test")),
                    null);
        }
    }
}
