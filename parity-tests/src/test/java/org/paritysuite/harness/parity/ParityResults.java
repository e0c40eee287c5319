package org.paritysuite.harness.parity;

import org.paritysuite.harness.run.ParityHarness;
import org.paritysuite.harness.wiring.Wiring;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.spec.BatchNormSpec;
import org.paritysuite.fixtures.spec.DenseSpec;
import org.paritysuite.fixtures.spec.ModelZoo;
import org.paritysuite.harness.run.CaseFactory;
import org.paritysuite.harness.run.CaseResult;
import org.paritysuite.harness.run.ParityCase;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.weights.GlorotUniform;
import org.paritysuite.fixtures.weights.WeightSet;

/**
 * The parity cases of the zoo, each run once per JVM and shared by the tests that look at its
 * different quantities (activations, output, loss, gradients). The first request for a model on a
 * data set runs all its cases there (both precisions, both passes) through the harness's
 * {@link ParityHarness#runAll}, as the main job does: one graph per precision, the float64 case
 * as the float32 case's referee.
 */
final class ParityResults {

    private static final Map<String, CaseResult> RESULTS = new ConcurrentHashMap<>();

    /**
     * The system property that makes every request recompute its cases ({@code -Dparity.results.uncached=true}):
     * PIT's JUnit 5 plugin runs the tests once to find their parameterized invocations before it
     * inserts a mutant, so a cache kept for the JVM would judge every mutant on unmutated results
     * (docs/pit.md).
     */
    static final String UNCACHED = "parity.results.uncached";

    private ParityResults() {
    }

    /** The result of one zoo case (training pass), computed on first use. */
    static CaseResult of(String model, Dataset dataset, Precision precision) {
        return of(model, dataset, precision, Mode.TRAINING);
    }

    /** The result of one zoo case, computed on first use. */
    static synchronized CaseResult of(String model, Dataset dataset, Precision precision, Mode mode) {
        if (Boolean.getBoolean(UNCACHED)) {
            RESULTS.clear();
        }
        String key = key(model, dataset, precision, mode == Mode.TRAINING);
        if (!RESULTS.containsKey(key)) {
            runEveryCase(model, dataset);
        }
        // A model without dropout or batch normalization has no inference pass of its own: run on request.
        return RESULTS.computeIfAbsent(key, k -> new ParityHarness(Wiring.STANDARD)
                .run(CaseFactory.zooCase(model, dataset, precision, mode == Mode.TRAINING)));
    }

    private static String key(String model, Dataset dataset, Precision precision, boolean training) {
        return model + "/" + dataset.id() + "/" + precision + "/" + (training ? Mode.TRAINING : Mode.INFERENCE);
    }

    /** Every case of {@code model} on {@code dataset}: both precisions, and both passes where they differ. */
    private static void runEveryCase(String model, Dataset dataset) {
        ModelSpec spec = ModelZoo.load(model);
        WeightSet weights = GlorotUniform.initialise(spec, spec.training().seed());
        List<ParityCase> cases = new ArrayList<>();
        for (boolean training : spec.hasInferenceMode() ? List.of(true, false) : List.of(true)) {
            for (Precision p : List.of(Precision.FLOAT64, Precision.FLOAT32)) {
                cases.add(CaseFactory.of(spec, weights, dataset, p, training));
            }
        }
        List<CaseResult> results = new ParityHarness(Wiring.STANDARD).runAll(cases, 1, r -> { });
        for (int i = 0; i < cases.size(); i++) {
            ParityCase c = cases.get(i);
            RESULTS.put(key(model, dataset, c.precision(), c.batch().training()), results.get(i));
        }
    }

    /** Which pass a case runs. */
    enum Mode {
        TRAINING, INFERENCE;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The zoo's models with convolutions, dropout or batch normalization, on Fashion-MNIST (the
     * data set of their reports), in float64 and float32, in a training pass and an inference pass.
     */
    static Stream<Arguments> layeredCases() {
        return ModelZoo.ids().stream()
                .filter(id -> !isMlp(id))
                .flatMap(id -> Stream.of(Mode.TRAINING, Mode.INFERENCE)
                        .flatMap(m -> Stream.of(Precision.FLOAT64, Precision.FLOAT32)
                                .map(p -> Arguments.of(id, Named.of(Dataset.FASHION_MNIST.id(), Dataset.FASHION_MNIST),
                                        p, m))));
    }

    /** {@link #layeredCases()} of the models with batch normalization, training pass only. */
    static Stream<Arguments> batchNormTrainingCases() {
        return layeredCases().filter(a -> a.get()[3] == Mode.TRAINING
                && ModelZoo.load((String) a.get()[0]).layers().stream().anyMatch(BatchNormSpec.class::isInstance));
    }

    private static boolean isMlp(String id) {
        return ModelZoo.load(id).layers().stream().allMatch(DenseSpec.class::isInstance);
    }

    /** Every zoo MLP x {MNIST, Fashion-MNIST} x {float32, float64}, with readable names. */
    static Stream<Arguments> mlpCases() {
        return ModelZoo.ids().stream()
                .filter(ParityResults::isMlp)
                .flatMap(id -> Stream.of(Dataset.MNIST, Dataset.FASHION_MNIST)
                        .flatMap(d -> Stream.of(Precision.FLOAT64, Precision.FLOAT32)
                                .map(p -> Arguments.of(id, Named.of(d.id(), d), p))));
    }
}
