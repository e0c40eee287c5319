package org.paritysuite.harness.golden;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.Doubles;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.run.Trace;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.ModelZoo;
import org.paritysuite.harness.compare.TensorCheck;
import org.paritysuite.harness.run.CaseFactory;
import org.paritysuite.harness.run.CaseResult;
import org.paritysuite.harness.run.Fingerprint;
import org.paritysuite.harness.run.ParityCase;

/**
 * Which cases the goldens hold, how a case and TensorFlow's trace become a {@link GoldenBundle},
 * and how a bundle becomes its case again: rebuilt from the zoo and the shipped data, and refused
 * unless it is bit for bit the case that was recorded.
 */
public final class Goldens {

    /**
     * The batch of every golden: one size for all keeps the bundles small and alike. Not 8: at 8
     * images fmnist17-2-3's float32 case fails its tolerance in the full harness itself (batch
     * normalization over 8 samples amplifies the rounding of its variance), and a golden must be
     * a case the harness passes.
     */
    public static final int BATCH_SIZE = 16;

    /** The precisions every model is recorded in. */
    public static final List<Precision> PRECISIONS = List.of(Precision.FLOAT32, Precision.FLOAT64);

    private Goldens() {
    }

    /**
     * The cases of the goldens of {@code models} (every zoo model when empty): each model in both
     * precisions, on the first data set of its spec, in a training pass (the pass with the most
     * tensors: dropout masks and batch statistics), {@link #BATCH_SIZE} images.
     */
    public static List<ParityCase> cases(List<String> models) {
        List<ParityCase> cases = new ArrayList<>();
        for (String id : models.isEmpty() ? ModelZoo.ids() : models) {
            ModelSpec spec = ModelZoo.load(id);
            Dataset dataset = Dataset.fromId(spec.data().datasets().get(0));
            for (Precision p : PRECISIONS) {
                cases.add(CaseFactory.zooCase(id, dataset, p, true, BATCH_SIZE));
            }
        }
        return cases;
    }

    /** The bundle's file name: {@code MODEL.PRECISION.npz}, e.g. {@code ist597-mlp.float32.npz}. */
    public static String fileName(ParityCase c) {
        return c.spec().name() + "." + c.precision().label() + ".npz";
    }

    /**
     * The bundle of case {@code c}: the case's arrays, and each tensor TensorFlow traced that the
     * reference also traced, with its error against the reference from {@code result}.
     */
    public static GoldenBundle record(ParityCase c, Trace tensorflow, CaseResult result, Map<String, String> environment) {
        Map<String, GoldenBundle.Stored> arrays = new LinkedHashMap<>();
        caseArrays(c).forEach((key, a) -> arrays.put(key, GoldenBundle.Stored.of(a, Double.NaN)));
        for (TensorCheck check : result.checks()) {
            INDArray value = tensorflow.require(check.kind(), check.tensor());
            arrays.put(GoldenBundle.TENSORFLOW + check.key(),
                    GoldenBundle.Stored.of(value, check.comparison().scaledError()));
        }
        return new GoldenBundle(result.id(), c.spec().name(), c.dataset(), c.precision(), c.batch().training(),
                c.batch().size(), c.fingerprint(), environment, c.spec(), arrays);
    }

    /**
     * The case {@code bundle} was recorded for, rebuilt from today's zoo and shipped data. Refused as
     * bad input naming {@code file} when the zoo's spec differs from the recorded one (another zoo
     * version), when the rebuilt case's fingerprint differs from the recorded one (other weights,
     * data or masks), or when a stored array of the case differs from the rebuilt one.
     */
    public static ParityCase rebuild(GoldenBundle bundle, Path file) {
        ModelSpec zoo;
        Dataset dataset;
        try {
            zoo = ModelZoo.load(bundle.model());
            dataset = Dataset.fromId(bundle.dataset());
        } catch (FixtureException e) {
            throw new FixtureException(file + ": meta case: " + e.getMessage());
        }
        if (!Fingerprint.canonicalJson(zoo).equals(Fingerprint.canonicalJson(bundle.spec()))) {
            throw new FixtureException(file + ": spec.npy: recorded for another spec of " + bundle.model()
                    + " than the zoo's (another zoo version?); expected the zoo's current spec: regenerate the goldens"
                    + " (scripts/make-goldens.sh)");
        }
        ParityCase c = CaseFactory.zooCase(bundle.model(), dataset, bundle.precision(), bundle.training(),
                bundle.batchSize());
        String id = CaseResult.idOf(c);
        if (!id.equals(bundle.caseId())) {
            throw new FixtureException(file + ": meta case.id: '" + bundle.caseId() + "'; expected '" + id
                    + "', the id of the case its other fields describe");
        }
        if (!c.fingerprint().equals(bundle.fingerprint())) {
            throw new FixtureException(file + ": meta case.fingerprint: recorded for another case ("
                    + abbreviated(bundle.fingerprint()) + "); the zoo's weights and the shipped data now make "
                    + abbreviated(c.fingerprint()) + ": regenerate the goldens (scripts/make-goldens.sh)");
        }
        Map<String, INDArray> rebuilt = caseArrays(c);
        for (Map.Entry<String, GoldenBundle.Stored> e : bundle.arrays().entrySet()) {
            if (e.getKey().startsWith(GoldenBundle.TENSORFLOW)) {
                continue;
            }
            INDArray array = rebuilt.get(e.getKey());
            if (array == null) {
                throw new FixtureException(file + ": " + e.getKey() + ".npy: is no array of the case; expected weight/PARAM,"
                        + " input/x, input/y, input/dropout_mask/LAYER of " + bundle.model() + " or tf/KIND/NAME");
            }
            if (!Arrays.equals(array.shape(), e.getValue().shape())
                    // Exact: INDArray.equals allows a difference of 1e-5.
                    || !Arrays.equals(Doubles.of(StridedSubset.of(array)), Doubles.of(e.getValue().kept()))) {
                throw new FixtureException(file + ": " + e.getKey() + ".npy: differs from the case rebuilt from the zoo;"
                        + " expected the recorded case's own array (an edited bundle?)");
            }
        }
        rebuilt.keySet().stream().filter(k -> !bundle.arrays().containsKey(k)).findFirst().ifPresent(k -> {
            throw new FixtureException(file + ": " + k + ".npy: missing; expected every array of the case");
        });
        return c;
    }

    /** The case's own arrays by bundle key: weights, batch and dropout masks. */
    static Map<String, INDArray> caseArrays(ParityCase c) {
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        c.weights().asMap().forEach((name, weight) -> arrays.put("weight/" + name, weight));
        c.inputArrays().forEach((name, input) -> arrays.put("input/" + name, input));
        return arrays;
    }

    private static String abbreviated(String fingerprint) {
        return "fingerprint " + (fingerprint.length() > 12 ? fingerprint.substring(0, 12) + "..." : fingerprint);
    }
}
