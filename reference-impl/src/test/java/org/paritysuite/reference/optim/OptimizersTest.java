package org.paritysuite.reference.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.factory.Nd4j;
import org.paritysuite.fixtures.ScratchMemory;
import org.paritysuite.fixtures.spec.OptimizerSpec;
import org.paritysuite.fixtures.spec.OptimizerSpec.Type;

@DisplayName("Optimizers")
class OptimizersTest {

    /** A Dense layer's two weights, [D=2, M=3] kernel and [3] bias. */
    private static Map<String, INDArray> denseWeights(DataType type) {
        Map<String, INDArray> weights = new LinkedHashMap<>();
        weights.put("dense/kernel", Nd4j.create(new double[] {0.5, -1, 2, 1.5, -0.25, 3}, new long[] {2, 3},
                DataType.DOUBLE).castTo(type));
        weights.put("dense/bias", Steps.vector(type, 0.1, -0.2, 0.3));
        return weights;
    }

    private static Map<String, INDArray> gradientsOf(Map<String, INDArray> weights) {
        Map<String, INDArray> gradients = new HashMap<>();
        weights.forEach((name, w) -> gradients.put(name, w.mul(0.5).add(0.125)));
        return gradients;
    }

    @Nested
    @DisplayName("create(spec, dtype)")
    class Create {

        static Stream<Arguments> classes() {
            return Stream.of(
                    Arguments.of(Type.SGD, GradientDescent.class),
                    Arguments.of(Type.MOMENTUM, Momentum.class),
                    Arguments.of(Type.NESTEROV, Momentum.class),
                    Arguments.of(Type.RMSPROP, RMSProp.class),
                    Arguments.of(Type.ADAM, Adam.class),
                    Arguments.of(Type.NADAM, Nadam.class),
                    Arguments.of(Type.ADAGRAD, AdaGrad.class));
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @MethodSource("classes")
        @DisplayName("builds the class of the spec's type")
        void classOf(Type type, Class<?> expected) {
            assertThat(Optimizers.create(new OptimizerSpec(type, Map.of()), DataType.FLOAT)).isInstanceOf(expected);
        }

        @Test
        @DisplayName("nesterov uses TensorFlow's use_nesterov form, momentum the heavy ball")
        void nesterovForms() {
            Momentum nesterov = (Momentum) Optimizers.create(new OptimizerSpec(Type.NESTEROV, Map.of()), DataType.FLOAT);
            Momentum heavyBall = (Momentum) Optimizers.create(new OptimizerSpec(Type.MOMENTUM, Map.of()), DataType.FLOAT);
            assertThat(nesterov.config().nesterov()).isEqualTo(Momentum.Nesterov.TENSORFLOW);
            assertThat(heavyBall.config().nesterov()).isEqualTo(Momentum.Nesterov.NONE);
        }

        @Test
        @DisplayName("defaults to TensorFlow's conventions, and to the published Nadam")
        void defaultConventions() {
            RMSProp rmsProp = (RMSProp) Optimizers.create(new OptimizerSpec(Type.RMSPROP, Map.of()), DataType.FLOAT);
            Adam adam = (Adam) Optimizers.create(new OptimizerSpec(Type.ADAM, Map.of()), DataType.FLOAT);
            AdaGrad adaGrad = (AdaGrad) Optimizers.create(new OptimizerSpec(Type.ADAGRAD, Map.of()), DataType.FLOAT);
            Nadam nadam = (Nadam) Optimizers.create(new OptimizerSpec(Type.NADAM, Map.of()), DataType.FLOAT);
            assertThat(rmsProp.config().epsilonPlacement()).isEqualTo(RMSProp.EpsilonPlacement.INSIDE_SQRT);
            assertThat(rmsProp.config().initialMeanSquare()).isEqualTo(RMSProp.InitialMeanSquare.ONES);
            assertThat(adam.config().epsilonPlacement()).isEqualTo(Adam.EpsilonPlacement.EPSILON_HAT);
            assertThat(adaGrad.config().kernel()).isEqualTo(AdaGrad.Kernel.ADAGRAD);
            assertThat(nadam.config().schedule()).isEqualTo(Nadam.Schedule.PUBLISHED);
        }

        @Test
        @DisplayName("createAsTensorflowFramework picks tensorflow-framework's Nadam schedule")
        void asFramework() {
            Nadam nadam = (Nadam) Optimizers.createAsTensorflowFramework(new OptimizerSpec(Type.NADAM, Map.of()),
                    DataType.FLOAT);
            assertThat(nadam.config().schedule()).isEqualTo(Nadam.Schedule.TENSORFLOW_FRAMEWORK);
        }

        @Test
        @DisplayName("takes the spec's hyperparameters")
        void hyperparameters() {
            Adam adam = (Adam) Optimizers.create(new OptimizerSpec(Type.ADAM,
                    Map.of("learning_rate", 0.25, "beta_1", 0.5, "epsilon", 0.125)), DataType.DOUBLE);
            assertThat(adam.config()).isEqualTo(new Adam.Config(0.25, 0.5, (float) 0.999, 0.125,
                    Adam.EpsilonPlacement.EPSILON_HAT));
        }

        @Test
        @DisplayName("rejects a data type other than FLOAT and DOUBLE")
        void wrongType() {
            assertThatThrownBy(() -> Optimizers.create(new OptimizerSpec(Type.SGD, Map.of()), DataType.HALF))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("HALF");
        }
    }

    @Nested
    @DisplayName("slots")
    class Slots {

        static Stream<Arguments> slotNames() {
            return Stream.of(
                    Arguments.of("sgd", new OptimizerSpec(Type.SGD, Map.of()), List.of()),
                    Arguments.of("momentum", new OptimizerSpec(Type.MOMENTUM, Map.of()), List.of("momentum")),
                    Arguments.of("nesterov", new OptimizerSpec(Type.NESTEROV, Map.of()), List.of("momentum")),
                    Arguments.of("rmsprop", new OptimizerSpec(Type.RMSPROP, Map.of()), List.of("rms", "momentum")),
                    Arguments.of("rmsprop centered", new OptimizerSpec(Type.RMSPROP, Map.of("centered", 1.0)),
                            List.of("rms", "momentum", "mg")),
                    Arguments.of("adam", new OptimizerSpec(Type.ADAM, Map.of()), List.of("m", "v")),
                    Arguments.of("nadam", new OptimizerSpec(Type.NADAM, Map.of()), List.of("m", "v")),
                    Arguments.of("adagrad", new OptimizerSpec(Type.ADAGRAD, Map.of()), List.of("accumulator")));
        }

        @ParameterizedTest(name = "{0}: <weight>/{2}")
        @MethodSource("slotNames")
        @DisplayName("are named <weight>/<slot> like tensorflow-framework's")
        void names(String label, OptimizerSpec spec, List<String> slotNames) {
            Optimizer optimizer = Optimizers.create(spec, DataType.FLOAT);
            Map<String, INDArray> weights = denseWeights(DataType.FLOAT);
            optimizer.step(weights, gradientsOf(weights));
            List<String> expected = Stream.of("dense/bias", "dense/kernel")
                    .flatMap(w -> slotNames.stream().map(s -> w + "/" + s)).toList();
            assertThat(optimizer.slots().keySet()).containsExactlyInAnyOrderElementsOf(expected);
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("slotNames")
        @DisplayName("have their weight's shape and data type")
        void shapes(String label, OptimizerSpec spec, List<String> slotNames) {
            Optimizer optimizer = Optimizers.create(spec, DataType.FLOAT);
            Map<String, INDArray> weights = denseWeights(DataType.FLOAT);
            optimizer.step(weights, gradientsOf(weights));
            optimizer.slots().forEach((name, slot) -> {
                String weight = name.substring(0, name.lastIndexOf('/'));
                assertThat(slot.shape()).as(name).containsExactly(weights.get(weight).shape());
                assertThat(slot.dataType()).as(name).isEqualTo(DataType.FLOAT);
            });
        }
    }

    @Nested
    @DisplayName("scratch memory")
    class Scratch {

        @ParameterizedTest(name = "{0}")
        @MethodSource("org.paritysuite.reference.optim.OptimizersTest$Slots#slotNames")
        @DisplayName("new weights are the caller's scratch memory, slots outlive it, the values as without a scope")
        void resultsLeaveTheScope(String label, OptimizerSpec spec, List<String> slotNames) {
            Optimizer plain = Optimizers.create(spec, DataType.DOUBLE);
            Map<String, INDArray> expected = denseWeights(DataType.DOUBLE);
            Optimizer scoped = Optimizers.create(spec, DataType.DOUBLE);
            Map<String, INDArray> weights = denseWeights(DataType.DOUBLE);
            for (int t = 0; t < 3; t++) {
                plain.step(expected, gradientsOf(expected));
                try (MemoryWorkspace caller = ScratchMemory.open("optimizers-test-caller")) {
                    scoped.step(weights, gradientsOf(weights));     // gradients made in the caller's scope
                    weights.forEach((name, w) -> assertThat(w.isAttached())
                            .as("%s is in the caller's scope, like any ND4J result", name).isTrue());
                    weights.replaceAll((name, w) -> w.detach());     // what the caller keeps leaves the scope
                }
            }
            weights.forEach((name, w) -> assertThat(w).as(name).isEqualTo(expected.get(name)));
            scoped.slots().forEach((name, slot) -> {
                assertThat(slot.isAttached()).as("slot %s is in ordinary memory", name).isFalse();
                assertThat(slot).as(name).isEqualTo(plain.slots().get(name));
            });
        }
    }

    @Nested
    @DisplayName("step")
    class Step {

        @Test
        @DisplayName("is out of place: replaces the map entries, leaves the old arrays unchanged")
        void outOfPlace() {
            Optimizer optimizer = Optimizers.create(new OptimizerSpec(Type.ADAM, Map.of()), DataType.DOUBLE);
            Map<String, INDArray> weights = denseWeights(DataType.DOUBLE);
            INDArray kernel = weights.get("dense/kernel");
            INDArray before = kernel.dup();
            optimizer.step(weights, gradientsOf(weights));
            assertThat(weights.get("dense/kernel")).isNotSameAs(kernel);
            assertThat(kernel).isEqualTo(before);
            assertThat(optimizer.iterations()).isEqualTo(1);
        }

        @Test
        @DisplayName("rejects gradients whose names differ from the weights'")
        void wrongNames() {
            Optimizer optimizer = Optimizers.create(new OptimizerSpec(Type.SGD, Map.of()), DataType.DOUBLE);
            Map<String, INDArray> weights = denseWeights(DataType.DOUBLE);
            assertThatThrownBy(() -> optimizer.step(weights, Map.of("dense/kernel", weights.get("dense/kernel"))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[dense/bias, dense/kernel]")
                    .hasMessageContaining("[dense/kernel]");
        }

        @Test
        @DisplayName("rejects a gradient of another shape, naming both shapes")
        void wrongShape() {
            Optimizer optimizer = Optimizers.create(new OptimizerSpec(Type.SGD, Map.of()), DataType.DOUBLE);
            Map<String, INDArray> weights = Steps.weights(DataType.DOUBLE, 1, 2, 3);
            assertThatThrownBy(() -> optimizer.step(weights, Map.of(Steps.KERNEL, Steps.vector(DataType.DOUBLE, 1, 2))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[3]")
                    .hasMessageContaining("[2]");
        }

        @Test
        @DisplayName("rejects arrays of another data type than the optimizer's")
        void wrongType() {
            Optimizer optimizer = Optimizers.create(new OptimizerSpec(Type.SGD, Map.of()), DataType.FLOAT);
            Map<String, INDArray> weights = Steps.weights(DataType.DOUBLE, 1, 2, 3);
            assertThatThrownBy(() -> optimizer.step(weights, Map.of(Steps.KERNEL, Steps.vector(DataType.DOUBLE, 1, 2, 3))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("FLOAT")
                    .hasMessageContaining("DOUBLE");
        }
    }

    @Nested
    @DisplayName("sanity: f(w) = 0.5 |w|^2, grad = w, from w0 = [1, -2, 0.5]")
    class Convergence {

        static Stream<Arguments> optimizers() {
            return Stream.of(
                    Arguments.of("sgd lr 0.1", new OptimizerSpec(Type.SGD, Map.of("learning_rate", 0.1))),
                    Arguments.of("momentum lr 0.1, 0.9",
                            new OptimizerSpec(Type.MOMENTUM, Map.of("learning_rate", 0.1, "momentum", 0.9))),
                    Arguments.of("nesterov lr 0.1, 0.9",
                            new OptimizerSpec(Type.NESTEROV, Map.of("learning_rate", 0.1, "momentum", 0.9))),
                    Arguments.of("rmsprop lr 0.01", new OptimizerSpec(Type.RMSPROP, Map.of("learning_rate", 0.01))),
                    Arguments.of("rmsprop centered lr 0.01, momentum 0.5", new OptimizerSpec(Type.RMSPROP,
                            Map.of("learning_rate", 0.01, "momentum", 0.5, "centered", 1.0))),
                    Arguments.of("adam lr 0.05", new OptimizerSpec(Type.ADAM, Map.of("learning_rate", 0.05))),
                    Arguments.of("nadam lr 0.05", new OptimizerSpec(Type.NADAM, Map.of("learning_rate", 0.05))),
                    Arguments.of("adagrad lr 0.5", new OptimizerSpec(Type.ADAGRAD, Map.of("learning_rate", 0.5))));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("optimizers")
        @DisplayName("200 steps bring f below 1% of f(w0) = 2.625 (float32)")
        void converges(String label, OptimizerSpec spec) {
            Optimizer optimizer = Optimizers.create(spec, DataType.FLOAT);
            Map<String, INDArray> weights = Steps.weights(DataType.FLOAT, Steps.W0);
            for (int step = 0; step < 200; step++) {
                optimizer.step(weights, Map.of(Steps.KERNEL, weights.get(Steps.KERNEL)));
            }
            INDArray w = weights.get(Steps.KERNEL);
            double f = 0.5 * w.mul(w).sumNumber().doubleValue();
            assertThat(f).as("f(w200) for %s", optimizer).isLessThan(0.01 * 2.625);
            assertThat(optimizer.iterations()).isEqualTo(200);
        }
    }

    @Nested
    @DisplayName("float32")
    class Float32 {

        // Awkward values, so that float32 and float64 arithmetic round differently.
        private final float[] w0 = {1.46f, 0.55f, -1.0f};
        private final float[] g = {-1.43f, 0.62f, -0.23f};

        private Map<String, INDArray> weights() {
            return Steps.weights(DataType.FLOAT, w0[0], w0[1], w0[2]);
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(Type.class)
        @DisplayName("keeps weights and slots in float32")
        void staysFloat32(Type type) {
            Optimizer optimizer = Optimizers.create(new OptimizerSpec(type, Map.of()), DataType.FLOAT);
            Map<String, INDArray> weights = weights();
            optimizer.step(weights, Map.of(Steps.KERNEL, Steps.vector(DataType.FLOAT, g[0], g[1], g[2])));
            assertThat(weights.get(Steps.KERNEL).dataType()).isEqualTo(DataType.FLOAT);
            optimizer.slots().values().forEach(slot -> assertThat(slot.dataType()).isEqualTo(DataType.FLOAT));
        }

        @Test
        @DisplayName("Adam's step is the float32 program, bit for bit, not a float64 one rounded at the end")
        void adamIsFloat32Arithmetic() {
            Optimizer adam = Optimizers.create(new OptimizerSpec(Type.ADAM, Map.of("learning_rate", 0.1)),
                    DataType.FLOAT);
            Map<String, INDArray> weights = weights();
            adam.step(weights, Map.of(Steps.KERNEL, Steps.vector(DataType.FLOAT, g[0], g[1], g[2])));
            float[] actual = weights.get(Steps.KERNEL).toFloatVector();
            float lr = 0.1f;
            float beta1 = 0.9f;
            float beta2 = 0.999f;
            float epsilon = 1e-8f;
            float lrT = lr * (float) Math.sqrt(1f - beta2) / (1f - beta1);      // alpha, beta powers = beta at t = 1
            boolean float64Differs = false;
            for (int i = 0; i < 3; i++) {
                float m = 0f + (g[i] - 0f) * (1f - beta1);                      // m += (grad - m) * (1 - beta1)
                float v = 0f + (g[i] * g[i] - 0f) * (1f - beta2);               // v += (grad^2 - v) * (1 - beta2)
                float expected = w0[i] - (m * lrT) / ((float) Math.sqrt(v) + epsilon);
                assertThat(actual[i]).as("element %d", i).isEqualTo(expected);
                double m64 = g[i] * (1 - 0.9);
                double v64 = (double) g[i] * g[i] * (1 - 0.999);
                double lrT64 = 0.1 * Math.sqrt(1 - 0.999) / (1 - 0.9);
                float float64Rounded = (float) (w0[i] - m64 * lrT64 / (Math.sqrt(v64) + 1e-8));
                float64Differs |= float64Rounded != expected;
            }
            assertThat(float64Differs).as("the example distinguishes float32 from float64 arithmetic").isTrue();
        }
    }
}
