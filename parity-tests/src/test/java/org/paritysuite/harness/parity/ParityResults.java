package org.paritysuite.harness.parity;

import org.paritysuite.harness.run.ParityHarness;
import org.paritysuite.harness.wiring.Wiring;
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

/**
 * The parity cases of the zoo, each run once per JVM and shared by the tests that look at its
 * different quantities (activations, output, loss, gradients).
 */
final class ParityResults {

    private static final Map<String, CaseResult> RESULTS = new ConcurrentHashMap<>();

    private ParityResults() {
    }

    /** The result of one zoo case (training pass), computed on first use. */
    static CaseResult of(String model, Dataset dataset, Precision precision) {
        return of(model, dataset, precision, Mode.TRAINING);
    }

    /** The result of one zoo case, computed on first use. */
    static CaseResult of(String model, Dataset dataset, Precision precision, Mode mode) {
        return RESULTS.computeIfAbsent(model + "/" + dataset.id() + "/" + precision + "/" + mode,
                k -> new ParityHarness(Wiring.STANDARD).run(CaseFactory.zooCase(model, dataset, precision, mode == Mode.TRAINING)));
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
