package org.paritysuite.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
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
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.run.NamedTensor;
import org.paritysuite.fixtures.run.TensorKind;
import org.paritysuite.fixtures.run.Trace;
import org.paritysuite.fixtures.spec.Activation;
import org.paritysuite.fixtures.spec.BatchNormSpec;
import org.paritysuite.fixtures.spec.LossSpec;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.OptimizerSpec;
import org.paritysuite.fixtures.spec.ParameterSpec;
import org.paritysuite.fixtures.spec.TrainingSpec;
import org.paritysuite.fixtures.weights.GlorotUniform;

@DisplayName("TfModel.step: tensorflow-framework optimizers in the model's graph")
class TfModelStepTest {

    /** One optimizer configuration; hyperparameters chosen so every term of the update matters. */
    record Case(String type, Map<String, Double> hyperparameters) {
        @Override
        public String toString() {
            return type + hyperparameters;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("sgd", Map.of("learning_rate", 0.1)),
                new Case("momentum", Map.of("learning_rate", 0.1, "momentum", 0.9)),
                new Case("nesterov", Map.of("learning_rate", 0.1, "momentum", 0.9)),
                new Case("rmsprop", Map.of("learning_rate", 0.01, "rho", 0.9, "momentum", 0.5, "epsilon", 1e-3)),
                new Case("rmsprop", Map.of("learning_rate", 0.01, "rho", 0.9, "momentum", 0.5, "epsilon", 1e-3,
                        "centered", 1.0)),
                new Case("adam", Map.of("learning_rate", 0.01, "beta_1", 0.9, "beta_2", 0.999, "epsilon", 1e-3)),
                new Case("nadam", Map.of("learning_rate", 0.01, "beta_1", 0.9, "beta_2", 0.999, "epsilon", 1e-3)),
                new Case("adagrad", Map.of("learning_rate", 0.1, "initial_accumulator_value", 0.1)));
    }

    static Stream<Arguments> casesAndPrecisions() {
        return cases().stream().flatMap(c -> Arrays.stream(Precision.values()).map(p -> Arguments.of(c, p)));
    }

    static ModelSpec withOptimizer(ModelSpec spec, String type, Map<String, Double> hyperparameters) {
        return new ModelSpec(spec.name(), spec.description(), spec.inputShape(), spec.classes(), spec.layers(),
                spec.loss(), spec.data(), new TrainingSpec(1, 2, type, hyperparameters));
    }

    static ModelSpec net(Case c) {
        return withOptimizer(TinyModels.net432(Activation.TANH, LossSpec.CATEGORICAL_CROSSENTROPY), c.type(),
                c.hyperparameters());
    }

    static double[] get(Trace trace, TensorKind kind, String name) {
        NamedTensor t = trace.find(kind.jsonName() + "/" + name)
                .orElseThrow(() -> new AssertionError("not traced: " + kind.jsonName() + "/" + name));
        return TinyModels.flat(t.value());
    }

    /**
     * The state of one parameter before a step (weight and slots) and the gradient of the step,
     * advanced by the optimizer's formula as tensorflow-framework 1.0 implements it (the
     * {@code Apply*} kernels; Nadam composed from ops), in double.
     */
    static Map<String, double[]> expected(OptimizerSpec o, int t, double[] w, Map<String, double[]> s, double[] g) {
        int n = w.length;
        Map<String, double[]> out = new LinkedHashMap<>();
        double[] w1 = new double[n];
        double lr = o.learningRate();
        switch (o.type()) {
            case SGD -> {
                for (int i = 0; i < n; i++) {
                    w1[i] = w[i] - lr * g[i];
                }
            }
            case MOMENTUM, NESTEROV -> {
                double mu = o.get("momentum");
                double[] a = new double[n];
                for (int i = 0; i < n; i++) {
                    a[i] = s.get("momentum")[i] * mu + g[i];
                    w1[i] = o.type() == OptimizerSpec.Type.NESTEROV ? w[i] - (g[i] * lr + a[i] * mu * lr)
                            : w[i] - lr * a[i];
                }
                out.put("momentum", a);
            }
            case RMSPROP -> {
                double rho = o.get("rho");
                double mu = o.get("momentum");
                double eps = o.get("epsilon");
                boolean centered = o.get("centered") == 1;
                double[] ms = new double[n];
                double[] mg = new double[n];
                double[] mom = new double[n];
                for (int i = 0; i < n; i++) {
                    ms[i] = s.get("rms")[i] + (g[i] * g[i] - s.get("rms")[i]) * (1 - rho);
                    double denominator = ms[i];
                    if (centered) {
                        mg[i] = s.get("mg")[i] + (g[i] - s.get("mg")[i]) * (1 - rho);
                        denominator = ms[i] - mg[i] * mg[i];
                    }
                    mom[i] = s.get("momentum")[i] * mu + lr * g[i] / Math.sqrt(denominator + eps);
                    w1[i] = w[i] - mom[i];
                }
                out.put("rms", ms);
                if (centered) {
                    out.put("mg", mg);
                }
                out.put("momentum", mom);
            }
            case ADAM -> {
                double b1 = o.get("beta_1");
                double b2 = o.get("beta_2");
                double eps = o.get("epsilon");
                // beta1_power and beta2_power are float32 variables, multiplied in float32 each step.
                float p1 = (float) b1;
                float p2 = (float) b2;
                for (int k = 1; k < t; k++) {
                    p1 *= (float) b1;
                    p2 *= (float) b2;
                }
                double alpha = lr * Math.sqrt(1 - (double) p2) / (1 - (double) p1);
                double[] m = new double[n];
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    m[i] = s.get("m")[i] + (g[i] - s.get("m")[i]) * (1 - b1);
                    v[i] = s.get("v")[i] + (g[i] * g[i] - s.get("v")[i]) * (1 - b2);
                    w1[i] = w[i] - m[i] * alpha / (Math.sqrt(v[i]) + eps);
                }
                out.put("m", m);
                out.put("v", v);
            }
            case NADAM -> {
                // The schedule is computed in float32 even in a float64 graph, with the step frozen at 1.
                float b1 = (float) o.get("beta_1");
                float b2 = (float) o.get("beta_2");
                double eps = o.get("epsilon");
                float muT = b1 * (1f - 0.5f * (float) Math.pow(0.96f, 0.004f * 1f));
                float muT1 = b1 * (1f - 0.5f * (float) Math.pow(0.96f, 0.004f * 2f));
                float schedule = 1f;
                for (int k = 0; k < t; k++) {
                    schedule *= muT;
                }
                float oneMinusNew = 1f - schedule;
                float oneMinusNext = 1f - schedule * muT1;
                float vDenominator = 1f - b2;
                double[] m = new double[n];
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    double gPrime = g[i] / oneMinusNew;
                    m[i] = b1 * s.get("m")[i] + (1f - b1) * g[i];
                    double mPrime = m[i] / oneMinusNext;
                    v[i] = b2 * s.get("v")[i] + (1f - b2) * g[i] * g[i];
                    double vPrime = v[i] / vDenominator;
                    double mBar = (1f - muT) * gPrime + muT1 * mPrime;
                    w1[i] = w[i] - lr * mBar / (Math.sqrt(vPrime) + eps);
                }
                out.put("m", m);
                out.put("v", v);
                double[] ones = new double[n];
                Arrays.fill(ones, 1);
                out.put("momentum", ones);
            }
            case ADAGRAD -> {
                double[] acc = new double[n];
                for (int i = 0; i < n; i++) {
                    acc[i] = s.get("accumulator")[i] + g[i] * g[i];
                    w1[i] = w[i] - lr * g[i] / Math.sqrt(acc[i]);
                }
                out.put("accumulator", acc);
            }
            default -> throw new AssertionError(o.type());
        }
        out.put("", w1);
        return out;
    }

    /** The slot values before the first step: the framework's initialisers. */
    static Map<String, double[]> initialSlots(OptimizerSpec o, int n) {
        Map<String, double[]> s = new LinkedHashMap<>();
        for (String name : OptimizerGraph.slotNames(o)) {
            double[] values = new double[n];
            double init = switch (o.type()) {
                case RMSPROP -> name.equals("rms") ? 1.0 : 0.0;
                case NADAM -> name.equals("momentum") ? 1.0 : 0.0;
                case ADAGRAD -> o.get("initial_accumulator_value");
                default -> 0.0;
            };
            Arrays.fill(values, init);
            s.put(name, values);
        }
        return s;
    }

    /**
     * Tolerance. float32: the graph rounds every intermediate (the update, the slots, each product)
     * to float32, and the result is stored in float32: a few units in the last place of the
     * magnitudes involved, 2^-20 relative (8 ulp) of the largest of |value| and |update|. float64:
     * 2^-44 likewise, except Nadam, whose schedule coefficients are float32 constants cast to
     * float64 (and float32 pow in TensorFlow may differ from Java's by an ulp): 1e-6 relative.
     */
    /**
     * Known defects of the TensorFlow side, pinned as they are: each test fails the day the defect
     * is fixed, so the suite notices and the workaround or known-failure entry can go.
     */
    @Nested
    @DisplayName("known TensorFlow-side defects")
    class KnownDefects {

        @Test
        @DisplayName("tensorflow-framework's Adam (1.0.0, 1.1.0) advances beta1_power without waiting for the ApplyAdam that"
                + " reads it (no data or control path between the two)")
        void frameworkAdamRace() {
            assertThat(FrameworkAdamRace.reproduces()).as("the framework's beta-power race; when this fails,"
                    + " tensorflow-framework has fixed it: drop OrderedAdam and the known defect").isTrue();
        }

        @Test
        @DisplayName("the TensorFlow side's OrderedAdam advances the beta powers only after ApplyAdam")
        void orderedAdamWaits() {
            assertThat(FrameworkAdamRace.leavesBetaPowerUnordered(g -> new OrderedAdam(g, 0.001f, 0.9f, 0.999f, 1e-7f)))
                    .as("OrderedAdam's beta1_power update depends on its ApplyAdam").isFalse();
        }
    }

    static void assertClose(String what, double[] actual, double[] expected, double[] scale, Precision p,
                            OptimizerSpec o) {
        double rel = p == Precision.FLOAT32 ? Math.scalb(1.0, -20)
                : o.type() == OptimizerSpec.Type.NADAM ? 1e-6 : Math.scalb(1.0, -44);
        assertThat(actual).as(what).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            double tol = rel * Math.max(Math.max(Math.abs(expected[i]), scale[i]), 1e-3);
            assertThat(actual[i]).as(what + "[" + i + "]").isCloseTo(expected[i],
                    org.assertj.core.data.Offset.offset(tol));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("casesAndPrecisions")
    @DisplayName("two steps move weights and slots by exactly the optimizer's formula applied to the traced gradient")
    void matchesHandComputation(Case c, Precision precision) {
        ModelSpec spec = net(c);
        OptimizerSpec o = spec.training().optimizerSpec();
        try (TfModel model = TfModel.build(spec, TinyModels.weights432(), precision)) {
            Map<String, INDArray> before = model.weights();
            Map<String, double[]> w = new LinkedHashMap<>();
            Map<String, Map<String, double[]>> slots = new LinkedHashMap<>();
            for (ParameterSpec p : spec.parameters()) {
                w.put(p.name(), TinyModels.flat(before.get(p.name())));
                slots.put(p.name(), initialSlots(o, w.get(p.name()).length));
            }
            for (int t = 1; t <= 2; t++) {
                Trace trace = model.step(TinyModels.batch432());
                for (ParameterSpec p : spec.parameters()) {
                    double[] g = get(trace, TensorKind.GRADIENT, p.name());
                    Map<String, double[]> next = expected(o, t, w.get(p.name()), slots.get(p.name()), g);
                    double[] updated = get(trace, TensorKind.WEIGHT, p.name());
                    double[] delta = new double[g.length];
                    for (int i = 0; i < g.length; i++) {
                        delta[i] = Math.abs(next.get("")[i] - w.get(p.name())[i]);
                    }
                    assertClose("step " + t + " " + p.name(), updated, next.get(""), w.get(p.name()), precision, o);
                    assertThat(Arrays.stream(delta).max().orElse(0)).as("step " + t + " moves " + p.name()).isGreaterThan(1e-6);
                    Map<String, double[]> nextSlots = new LinkedHashMap<>();
                    for (String slot : OptimizerGraph.slotNames(o)) {
                        double[] actual = get(trace, TensorKind.WEIGHT, p.name() + "/" + slot);
                        assertClose("step " + t + " slot " + p.name() + "/" + slot, actual, next.get(slot),
                                new double[actual.length], precision, o);
                        nextSlots.put(slot, actual);
                    }
                    w.put(p.name(), updated);
                    slots.put(p.name(), nextSlots);
                }
                Map<String, INDArray> now = model.weights();
                for (ParameterSpec p : spec.parameters()) {
                    assertThat(TinyModels.flat(now.get(p.name()))).as("weights() after step " + t)
                            .containsExactly(w.get(p.name()));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("slots carry the framework's names and the parameter's shape; the trace is forwardBackward's plus weights and slots")
    void traceLayout(Case c) {
        ModelSpec spec = net(c);
        OptimizerSpec o = spec.training().optimizerSpec();
        try (TfModel model = TfModel.build(spec, TinyModels.weights432(), Precision.FLOAT32)) {
            Trace fb = model.forwardBackward(TinyModels.batch432());
            Trace step = model.step(TinyModels.batch432());
            List<String> keys = new ArrayList<>(fb.tensors().stream().map(NamedTensor::key).toList());
            for (ParameterSpec p : spec.parameters()) {
                keys.add("weight/" + p.name());
            }
            for (ParameterSpec p : spec.parameters()) {
                for (String slot : OptimizerGraph.slotNames(o)) {
                    keys.add("weight/" + p.name() + "/" + slot);
                    assertThat(step.find("weight/" + p.name() + "/" + slot).orElseThrow().value().shape())
                            .containsExactly(TfParameters.shapeOf(p));
                }
            }
            assertThat(step.tensors().stream().map(NamedTensor::key)).containsExactlyElementsOf(keys);
            for (NamedTensor t : fb.tensors()) {
                assertThat(TinyModels.flat(step.find(t.key()).orElseThrow().value())).as(t.key())
                        .containsExactly(TinyModels.flat(t.value()));
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("casesAndPrecisions")
    @DisplayName("the loss decreases over 20 steps on a separable problem")
    void lossDecreases(Case c, Precision precision) {
        ModelSpec spec = net(c);
        Batch batch = TinyModels.batch432();
        try (TfModel model = TfModel.build(spec, TinyModels.weights432(), precision)) {
            double first = model.forwardBackward(batch).loss();
            double last = first;
            for (int i = 0; i < 20; i++) {
                last = model.step(batch).loss();
            }
            assertThat(model.forwardBackward(batch).loss()).isLessThan(first).isLessThan(last);
        }
    }

    @Nested
    @DisplayName("state")
    class State {

        @Test
        @DisplayName("forwardBackward, before and after steps, changes no weight")
        void forwardBackwardIsPure() {
            ModelSpec spec = net(cases().get(5));
            try (TfModel model = TfModel.build(spec, TinyModels.weights432(), Precision.FLOAT64)) {
                model.step(TinyModels.batch432());
                Map<String, INDArray> before = model.weights();
                model.forwardBackward(TinyModels.batch432());
                model.forwardBackward(TinyModels.batch432());
                Map<String, INDArray> after = model.weights();
                before.forEach((name, value) -> assertThat(TinyModels.flat(after.get(name))).as(name)
                        .containsExactly(TinyModels.flat(value)));
            }
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(Precision.class)
        @DisplayName("a training step assigns batch norm's moving statistics; they persist and feed the next step")
        void movingStatisticsPersist(Precision precision) {
            ModelSpec spec = withOptimizer(TinyModels.spec("bn-net", 4, LossSpec.CATEGORICAL_CROSSENTROPY,
                            TinyModels.dense("hidden", 3, Activation.LINEAR), new BatchNormSpec("bn", 0.9, 1e-3),
                            TinyModels.dense("out", 2, Activation.SOFTMAX)),
                    "momentum", Map.of("learning_rate", 0.01, "momentum", 0.9));
            Batch batch = TinyModels.randomBatch(spec, 8, 5).with(Map.of(), true);
            Batch inference = TinyModels.randomBatch(spec, 8, 5).with(Map.of(), false);
            try (TfModel model = TfModel.build(spec, GlorotUniform.initialise(spec, 3), precision)) {
                Trace first = model.step(batch);
                Map<String, INDArray> after = model.weights();
                for (String name : List.of("bn/moving_mean", "bn/moving_variance")) {
                    assertThat(TinyModels.flat(after.get(name))).as(name)
                            .containsExactly(get(first, TensorKind.WEIGHT, name));
                }
                assertThat(first.find("weight/bn/gamma/momentum")).isPresent();
                assertThat(first.find("weight/bn/moving_mean/momentum")).isEmpty();
                Trace second = model.step(batch);
                // moving' = moving * 0.9 + mean * 0.1, from the persisted value.
                double[] mean1 = get(first, TensorKind.WEIGHT, "bn/moving_mean");
                double[] mean2 = get(second, TensorKind.WEIGHT, "bn/moving_mean");
                assertThat(mean2).isNotEqualTo(mean1);
                assertThat(TinyModels.flat(model.weights().get("bn/moving_mean"))).containsExactly(mean2);
                assertThatThrownBy(() -> model.step(inference))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a training batch");
            }
        }
    }

    @Nested
    @DisplayName("support")
    class Support {

        @ParameterizedTest(name = "{0}")
        @EnumSource(Precision.class)
        @DisplayName("every optimizer type runs in every precision")
        void everyTypeSupported(Precision precision) {
            assertThat(OptimizerSupport.supported(precision)).containsExactlyInAnyOrder(OptimizerSpec.Type.SGD,
                    OptimizerSpec.Type.MOMENTUM, OptimizerSpec.Type.NESTEROV, OptimizerSpec.Type.RMSPROP,
                    OptimizerSpec.Type.ADAM, OptimizerSpec.Type.NADAM, OptimizerSpec.Type.ADAGRAD);
        }

        @Test
        @DisplayName("an unsupported optimizer would be refused naming the optimizer, the precision and the reason")
        void message() {
            assertThat(OptimizerSupport.message(OptimizerSpec.Type.NADAM, Precision.FLOAT64, "some TensorFlow error"))
                    .contains("'nadam'", "float64", "some TensorFlow error", "supported in float64: sgd");
        }
    }
}
