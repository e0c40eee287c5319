package org.paritysuite.harness.training;

import org.paritysuite.fixtures.run.TrainableSide;
import org.paritysuite.harness.wiring.Sides;
import org.paritysuite.harness.wiring.Wiring;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.run.NamedTensor;
import org.paritysuite.fixtures.run.Trace;
import org.paritysuite.fixtures.run.TrainableRunner;
import org.paritysuite.fixtures.spec.ModelZoo;
import org.paritysuite.tf.TfModel;

/**
 * Short lockstep runs of cs172-linear (7,840 weights) on 40 MNIST images: 2 epochs of 4 steps,
 * scored on 50 test images. Seconds each, most of it building the TensorFlow graph.
 */
@DisplayName("A lockstep training run")
class LockstepRunTest {

    static final LockstepRun.Listener QUIET = new LockstepRun.Listener() {
    };

    static RunPlan plan(String optimizer, Map<String, Double> hyperparameters) {
        return new RunPlan(optimizer, RunPlan.retrained(ModelZoo.load("cs172-linear"), 10, optimizer, hyperparameters),
                Dataset.MNIST, Precision.FLOAT32, 2, 40, 50, "");
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @DisplayName("with an optimizer both sides implement alike")
    class Agreeing {

        // One run for every test of this class (PER_CLASS): each test reads one behaviour off it.

        private final RunResult result = new LockstepRun(Wiring.STANDARD).run(plan("sgd", Map.of("learning_rate", 0.05)), QUIET);

        @Test
        @DisplayName("passes: every step within the step tolerance")
        void passes() {
            assertThat(result.verdict()).as(result.detail()).isEqualTo(Verdict.PASS);
            assertThat(result.steps()).hasSize(8).allMatch(StepRecord::withinTolerance);
            assertThat(result.worstToleranceUsed()).isBetween(0.0, 1.0);
        }

        @Test
        @DisplayName("scores both sides before the first step and after every epoch, with the same outcome")
        void scoresEveryEpoch() {
            assertThat(result.epochs()).extracting(EpochRecord::epoch).containsExactly(0, 1, 2);
            assertThat(result.epochs()).extracting(EpochRecord::steps).containsExactly(0, 4, 8);
            assertThat(result.epochs()).allSatisfy(e -> {
                assertThat(e.tf().accuracy()).isBetween(0.0, 1.0).isEqualTo(e.ref().accuracy());
                assertThat(e.tf().loss()).isPositive().isCloseTo(e.ref().loss(), org.assertj.core.data.Offset.offset(1e-5));
                assertThat(e.predictionsDiffer()).isZero();
                assertThat(e.maxWeightDiff()).isBetween(0.0, 1e-5);
            });
        }

        @Test
        @DisplayName("learns: the test loss after training is below the initial one")
        void learns() {
            assertThat(result.last().ref().loss()).isLessThan(result.epochs().get(0).ref().loss());
        }

        @Test
        @DisplayName("times every step of each side")
        void times() {
            assertThat(result.steps()).allSatisfy(s -> {
                assertThat(s.tfMillis()).isPositive();
                assertThat(s.refMillis()).isPositive();
            });
        }
    }

    @Test
    @DisplayName("with Adam, which the TensorFlow side runs as OrderedAdam, passes every step and lists the worked-around"
            + " known defect")
    void adam() {
        RunResult r = new LockstepRun(Wiring.STANDARD).run(plan("adam", Map.of("learning_rate", 0.001)), QUIET);
        assertThat(r.verdict()).as(r.detail()).isEqualTo(Verdict.PASS);
        assertThat(r.knownDefect()).hasValueSatisfying(d -> assertThat(d.optimizer()).contains("adam"));
        assertThat(r.last().tf().accuracy()).isEqualTo(r.last().ref().accuracy());
    }

    @Test
    @DisplayName("with Nadam, whose TensorFlow side departs from the published algorithm, reports the known defect, not a failure")
    void nadam() {
        RunResult r = new LockstepRun(Wiring.STANDARD).run(plan("nadam", Map.of("learning_rate", 0.001)), QUIET);
        assertThat(r.verdict()).as(r.detail()).isEqualTo(Verdict.KNOWN_DEFECT);
        assertThat(r.firstStepOutside()).isPresent();
        assertThat(r.detail()).startsWith("known defect: step ");
    }

    @Test
    @DisplayName("with Nadam on a side under test that follows the published algorithm, says FIXED? and fails:"
            + " the JSON's passed is false, as the exit status is 1")
    void fixedKnownDefectFails() {
        // The reference in place of TensorFlow: Nadam's known defect cannot show.
        Sides honest = Wiring.STANDARD.withTensorflowTrainer(Wiring.STANDARD.referenceTrainer());
        RunResult r = new LockstepRun(honest).run(plan("nadam", Map.of("learning_rate", 0.001)), QUIET);
        assertThat(r.verdict()).as(r.detail()).isEqualTo(Verdict.FIXED);
        assertThat(r.passed()).as("a known defect that no longer shows fails the gate").isFalse();
        assertThat(ResultsJson.toJson("fixed", java.util.List.of(r), Map.of()).get("passed").asBoolean())
                .as("the JSON's passed agrees with the exit status (1 for FIXED?)").isFalse();
    }

    @Test
    @DisplayName("with an enormous learning rate stops at the first non-finite step, naming it")
    void diverges() {
        RunResult r = new LockstepRun(Wiring.STANDARD).run(plan("sgd", Map.of("learning_rate", 1e12)), QUIET);
        assertThat(r.verdict()).isEqualTo(Verdict.DIVERGED);
        assertThat(r.detail()).containsPattern("training diverged at step " + (r.steps().size() + 1) + ":")
                .contains("both sides produced non-finite values");
        assertThat(r.steps().size()).isLessThan(8);
    }

    @Test
    @DisplayName("fails, naming the step and the tensor, when the side under test updates a weight wrongly")
    void fails() {
        // The TensorFlow side reports its updated kernel 0.1% too large: the judged weight comparison must catch it.
        TrainableSide skewed = (spec, weights, precision) ->
                new Skewed(TfModel.build(spec, weights, precision), "weight/dense/kernel", 1.001);
        RunResult r = new LockstepRun(Wiring.STANDARD.withTensorflowTrainer(skewed)).run(plan("sgd", Map.of("learning_rate", 0.05)), QUIET);
        assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(r.firstStepOutside()).hasValueSatisfying(s -> {
            assertThat(s.step()).isEqualTo(1);
            assertThat(s.outside()).isEqualTo("weight/dense/kernel");
        });
        assertThat(r.detail()).startsWith("step 1 (epoch 1): weight/dense/kernel outside tolerance")
                .contains("Tensors are not close!");
    }

    /** A trainable side whose step trace reports one tensor scaled; its own state stays honest. */
    private record Skewed(TrainableRunner inner, String key, double factor) implements TrainableRunner {

        @Override
        public Trace step(Batch batch) {
            Trace.Builder skewed = Trace.builder();
            for (NamedTensor t : inner.step(batch).tensors()) {
                skewed.add(t.name(), t.kind(), t.key().equals(key) ? t.value().mul(factor) : t.value());
            }
            return skewed.build();
        }

        @Override
        public String side() {
            return inner.side();
        }

        @Override
        public Precision precision() {
            return inner.precision();
        }

        @Override
        public Trace forwardBackward(Batch batch) {
            return inner.forwardBackward(batch);
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
