package org.paritysuite.harness.fuzz;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.run.DropoutMasks;
import org.paritysuite.fixtures.spec.LayerSpec;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.ParameterSpec;
import org.paritysuite.fixtures.weights.GlorotUniform;
import org.paritysuite.fixtures.weights.WeightSet;
import org.paritysuite.harness.run.ParityCase;

/**
 * Everything one seed makes: the {@link SpecGenerator spec}, its weights, a batch and the pass,
 * all drawn in Java from the seed, so {@code parity fuzz --seed S --count 1} rebuilds the very
 * case on any machine.
 *
 * <ul>
 *   <li>weights: {@link GlorotUniform} from the seed, then every bias redrawn from
 *       {@code U(-0.5, 0.5)} (float32 values): the initialiser's zero biases would leave a bias
 *       broadcast along the wrong axis unseen in the forward pass;</li>
 *   <li>inputs {@code x ~ U(-1, 1)} and one-hot labels of uniform classes, {@code batch_size}
 *       rows, rounded to float32 ({@link Batch#fromRows});</li>
 *   <li>dropout keep masks from {@link DropoutMasks} with the seed;</li>
 *   <li>the pass: a training pass, or for one in three models with an inference mode (dropout,
 *       batch normalization) an inference pass.</li>
 * </ul>
 *
 * @param seed    the seed
 * @param spec    the generated spec
 * @param weights its weights (TensorFlow layout)
 * @param batch   the batch, with its dropout masks and pass
 */
public record GeneratedCase(long seed, ModelSpec spec, WeightSet weights, Batch batch) {

    /** The {@link ParityCase#dataset()} of a generated case: its batch comes from no data set. */
    public static final String DATASET = "generated";

    /** The case of {@code seed}. */
    public static GeneratedCase of(long seed) {
        ModelSpec spec = SpecGenerator.generate(seed);
        // A stream of its own, split off the seed's: adding a draw to the generator must not change the batch.
        SplittableRandom random = new SplittableRandom(seed).split();
        WeightSet weights = withRandomBiases(spec, GlorotUniform.initialise(spec, seed), random.split());
        int n = spec.training().batchSize();
        int perExample = spec.inputShape().stream().reduce(1, (a, b) -> a * b);
        double[][] x = new double[n][perExample];
        double[][] y = new double[n][spec.classes()];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < perExample; j++) {
                x[i][j] = 2 * random.nextDouble() - 1;
            }
            y[i][random.nextInt(spec.classes())] = 1;
        }
        boolean training = !spec.hasInferenceMode() || random.nextInt(3) != 0;
        Batch batch = Batch.fromRows(x, y, spec.inputShape(), "generated(seed=" + seed + ")");
        return new GeneratedCase(seed, spec, weights, batch.with(DropoutMasks.draw(spec, n, seed), training));
    }

    /**
     * One line on the case, e.g. {@code [5, 7, 2] conv2d > max_pool2d > flatten > dense;
     * mean_squared_error; batch 4, training}.
     */
    public String summary() {
        return spec.inputShape() + " " + spec.layers().stream().map(LayerSpec::type).collect(Collectors.joining(" > "))
                + "; " + spec.loss().jsonName() + "; batch " + batch.size() + ", " + (batch.training() ? "training" : "inference");
    }

    /** The case in {@code precision}. */
    public ParityCase parityCase(Precision precision) {
        return new ParityCase(spec, DATASET, precision, weights, batch);
    }

    /** The cases of every precision in {@code precisions}, sharing one spec and weight set (one model for the harness). */
    public List<ParityCase> parityCases(List<Precision> precisions) {
        return precisions.stream().map(this::parityCase).toList();
    }

    private static WeightSet withRandomBiases(ModelSpec spec, WeightSet initial, SplittableRandom random) {
        Map<String, INDArray> tensors = initial.asMap();
        for (ParameterSpec p : spec.parameters()) {
            if (p.role() == ParameterSpec.Role.BIAS) {
                double[] values = new double[(int) p.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (random.nextDouble() - 0.5);
                }
                tensors.put(p.name(), Nd4j.create(values, new long[] {values.length}, 'c'));
            }
        }
        return WeightSet.of(tensors);
    }
}
