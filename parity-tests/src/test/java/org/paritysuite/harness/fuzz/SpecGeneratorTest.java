package org.paritysuite.harness.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.spec.Activation;
import org.paritysuite.fixtures.spec.DataSpec;
import org.paritysuite.fixtures.spec.DenseSpec;
import org.paritysuite.fixtures.spec.LayerSpec;
import org.paritysuite.fixtures.spec.LossSpec;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.Padding;
import org.paritysuite.fixtures.spec.Pool2DSpec;
import org.paritysuite.fixtures.spec.SpecReader;
import org.paritysuite.fixtures.spec.SpecWriter;
import org.paritysuite.fixtures.spec.TrainingSpec;
import org.paritysuite.fixtures.spec.Window2D;
import org.paritysuite.harness.run.ParityCase;

/**
 * The generator without running a model: a seed is one spec and one case everywhere, every spec of
 * many seeds is valid and small, and the coverage's space names exactly what the generator draws.
 */
@DisplayName("SpecGenerator: a seed is one small valid spec and one case")
class SpecGeneratorTest {

    /** Seeds checked for validity: ten times the default parity run's, in about a second. */
    static final int SEEDS = 3000;

    /** Every seed's spec, or the seeds whose spec or case could not be made, with why. */
    private static List<String> problems(java.util.function.LongFunction<String> check) {
        List<String> problems = new ArrayList<>();
        LongStream.range(0, SEEDS).forEach(seed -> {
            try {
                String problem = check.apply(seed);
                if (problem != null) {
                    problems.add("seed " + seed + ": " + problem);
                }
            } catch (FixtureException e) {
                problems.add("seed " + seed + ": " + e.getMessage());
            }
        });
        return problems;
    }

    @Nested
    @DisplayName("determinism")
    class Determinism {

        @ParameterizedTest(name = "seed {0}: the same spec twice")
        @ValueSource(longs = {0, 1, 17, -5, Long.MAX_VALUE})
        void sameSpec(long seed) {
            assertThat(SpecGenerator.generate(seed)).isEqualTo(SpecGenerator.generate(seed));
        }

        @ParameterizedTest(name = "seed {0}: the same weights, inputs, labels, masks and pass twice")
        @ValueSource(longs = {0, 3, 42})
        void sameCase(long seed) {
            ParityCase a = GeneratedCase.of(seed).parityCase(Precision.FLOAT64);
            ParityCase b = GeneratedCase.of(seed).parityCase(Precision.FLOAT64);
            assertThat(a.fingerprint()).isEqualTo(b.fingerprint());
        }

        @Test
        @DisplayName("different seeds give different specs")
        void seedsDiffer() {
            long distinct = LongStream.range(0, 100).mapToObj(SpecGenerator::generate)
                    .map(s -> SpecWriter.toJson(s).without(List.of("name", "description", "training")).toString())
                    .distinct().count();
            assertThat(distinct).as("distinct specs among 100 seeds").isGreaterThan(95);
        }
    }

    @Nested
    @DisplayName("validity over " + SEEDS + " seeds")
    class Validity {

        @Test
        @DisplayName("every spec passes ModelSpec's validation and reads back from its JSON unchanged")
        void valid() {
            assertThat(problems(seed -> {
                ModelSpec spec = SpecGenerator.generate(seed);
                ModelSpec read = SpecReader.read(new java.io.ByteArrayInputStream(
                        SpecWriter.toJson(spec).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)), "seed");
                return read.equals(spec) ? null : "reads back as " + read;
            })).isEmpty();
        }

        @Test
        @DisplayName("every spec is small: input, depth, units, filters, classes and batch within the generator's bounds")
        void small() {
            assertThat(problems(seed -> {
                ModelSpec spec = SpecGenerator.generate(seed);
                List<Integer> in = spec.inputShape();
                boolean inputSmall = in.size() == 1 ? in.get(0) <= SpecGenerator.MAX_FEATURES
                        : in.get(0) <= SpecGenerator.MAX_SIDE && in.get(1) <= SpecGenerator.MAX_SIDE
                        && in.get(2) <= SpecGenerator.MAX_CHANNELS;
                int batch = spec.training().batchSize();
                if (!inputSmall || spec.layers().size() > SpecGenerator.MAX_BODY_LAYERS + 3
                        || spec.classes() > SpecGenerator.MAX_CLASSES || batch < SpecGenerator.MIN_BATCH
                        || batch > SpecGenerator.MAX_BATCH) {
                    return "input " + in + ", " + spec.layers().size() + " layers, " + spec.classes()
                            + " classes, batch " + batch;
                }
                long widest = spec.layerOutputShapes().stream().filter(s -> s.size() == 1).mapToLong(s -> s.get(0))
                        .max().orElse(0);
                long maxFlat = Math.max(SpecGenerator.MAX_FEATURES, (long) SpecGenerator.MAX_SIDE
                        * SpecGenerator.MAX_SIDE * Math.max(SpecGenerator.MAX_CHANNELS, SpecGenerator.MAX_FILTERS));
                return widest <= maxFlat ? null : "a flat tensor of " + widest;
            })).isEmpty();
        }

        @Test
        @DisplayName("a softmax only on flat tensors, and one at the output of every cross-entropy and KL model")
        void softmax() {
            assertThat(problems(seed -> {
                ModelSpec spec = SpecGenerator.generate(seed);
                List<List<Integer>> outputs = spec.layerOutputShapes();
                for (int i = 0; i < spec.layers().size(); i++) {
                    if (spec.layers().get(i).activation().kind() == Activation.Kind.SOFTMAX && outputs.get(i).size() != 1) {
                        return "softmax over an image at " + spec.layers().get(i).name();
                    }
                }
                boolean needsSoftmax = spec.loss() != LossSpec.MEAN_SQUARED_ERROR;
                return needsSoftmax && !spec.hasSoftmaxOutput() ? spec.loss() + " without a softmax output" : null;
            })).isEmpty();
        }

        @Test
        @DisplayName("no batch normalization directly after a layer with a bias or a beta (whose gradient it would zero)")
        void noShiftIntoBatchNorm() {
            assertThat(problems(seed -> {
                List<LayerSpec> layers = SpecGenerator.generate(seed).layers();
                for (int i = 1; i < layers.size(); i++) {
                    boolean shifts = layers.get(i - 1).parameters(inputOf(seed, i - 1)).stream()
                            .anyMatch(p -> p.name().endsWith("/bias") || p.name().endsWith("/beta"));
                    if (shifts && layers.get(i).type().equals("batch_normalization")) {
                        return layers.get(i - 1).name() + " -> " + layers.get(i).name();
                    }
                }
                return null;
            })).isEmpty();
        }

        private List<Integer> inputOf(long seed, int layer) {
            return SpecGenerator.generate(seed).layerInputShapes().get(layer);
        }
    }

    @Nested
    @DisplayName("coverage")
    class CoverageCounting {

        @Test
        @DisplayName("every option item the generator draws over " + SEEDS + " seeds is in the coverage's space")
        void spaceHoldsWhatIsDrawn() {
            Coverage coverage = new Coverage();
            LongStream.range(0, SEEDS).forEach(seed -> coverage.add(SpecGenerator.generate(seed), true));
            assertThat(Coverage.optionSpace()).containsAll(coverage.options());
            assertThat(Coverage.rankSpace()).containsAll(coverage.ranks());
        }

        @Test
        @DisplayName("a hand-made model counts its loss, pass, options, input ranks and configurations")
        void counts() {
            ModelSpec spec = new ModelSpec("counted", "", List.of(4, 4, 1), 2, List.of(
                    new Pool2DSpec("max_pooling2d", Pool2DSpec.Kind.MAX, new Window2D(2, 1, 2, 1, Padding.SAME)),
                    new org.paritysuite.fixtures.spec.FlattenSpec("flatten"),
                    new DenseSpec("dense", 2, Activation.leakyRelu(0.2), false, 0.001)),
                    LossSpec.MEAN_SQUARED_ERROR, DataSpec.DEFAULT, new TrainingSpec(1, 3, "sgd", Map.of()));
            Coverage coverage = new Coverage();
            coverage.add(spec, false);
            assertThat(coverage.options()).containsExactlyInAnyOrder("model loss=mean_squared_error",
                    "model pass=inference", "max_pool2d pool_size=2x1", "max_pool2d strides=2x1",
                    "max_pool2d padding=same", "dense activation=leaky_relu(alpha=0.20000000298023224)",
                    "dense use_bias=false", "dense kernel_l2=0.001");
            assertThat(coverage.ranks()).containsExactlyInAnyOrder("max_pool2d on rank 3", "flatten on rank 3",
                    "dense on rank 1");
            assertThat(coverage.configurations()).isEqualTo(3);
            assertThat(coverage.summary()).contains("(layer type, option) items: 8 of " + Coverage.optionSpace().size());
        }
    }
}
