package org.paritysuite.harness.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.ModelZoo;
import org.paritysuite.fixtures.spec.SpecReader;
import org.paritysuite.fixtures.weights.GlorotUniform;
import org.paritysuite.fixtures.weights.WeightSet;
import org.paritysuite.harness.run.CaseFactory;
import org.paritysuite.harness.run.ParityCase;
import picocli.CommandLine.Option;

/** The options that choose cases, shared by {@code verify} and {@code export}. */
final class CaseSelection {

    @Option(names = "--model", paramLabel = "ID", description = "Zoo model id (repeatable; default: every zoo model).")
    List<String> models = new ArrayList<>();

    @Option(names = "--spec", paramLabel = "FILE", description = "Your own model spec (JSON, see docs/spec-format.md).")
    Path specFile;

    @Option(names = "--weights", paramLabel = "FILE.npz",
            description = "Weights for --spec in TensorFlow layout (default: seeded Glorot-uniform).")
    Path weightsFile;

    @Option(names = "--dataset", paramLabel = "ID", description = "mnist or fashion-mnist (repeatable; default: both).")
    List<String> datasets = new ArrayList<>();

    @Option(names = "--precision", paramLabel = "P", description = "float32 or float64 (repeatable; default: both).")
    List<String> precisions = new ArrayList<>();

    @Option(names = "--mode", paramLabel = "MODE",
            description = "training or inference (repeatable; default: training, plus inference for models with"
                    + " dropout or batch normalization).")
    List<String> modes = new ArrayList<>();

    @Option(names = "--verbose", description = "Print stack traces on errors.")
    boolean verbose;

    /** The models chosen, each with its weights. */
    List<ModelWithWeights> models() {
        if (weightsFile != null && specFile == null) {
            throw new FixtureException("--weights needs --spec: zoo models use their seeded weights");
        }
        List<ModelWithWeights> chosen = new ArrayList<>();
        if (specFile != null) {
            ModelSpec spec = SpecReader.read(specFile);
            WeightSet weights = weightsFile == null ? GlorotUniform.initialise(spec, spec.training().seed())
                    : WeightSet.read(weightsFile).checkedAgainst(spec, weightsFile.toString());
            chosen.add(new ModelWithWeights(spec, weights));
        }
        List<String> ids = models.isEmpty() && specFile == null ? ModelZoo.ids() : models;
        for (String id : ids) {
            ModelSpec spec = ModelZoo.load(id);
            chosen.add(new ModelWithWeights(spec, GlorotUniform.initialise(spec, spec.training().seed())));
        }
        return chosen;
    }

    /** The data sets chosen. */
    List<Dataset> datasets() {
        List<String> ids = datasets.isEmpty() ? List.of("mnist", "fashion-mnist") : datasets;
        return ids.stream().map(Dataset::fromId).toList();
    }

    /** The precisions chosen. */
    List<Precision> precisions() {
        return precisions.isEmpty() ? List.of(Precision.FLOAT32, Precision.FLOAT64)
                : precisions.stream().map(Precision::fromLabel).toList();
    }

    /** Every chosen model x data set x precision, validated before anything runs. */
    List<ParityCase> cases() {
        List<Dataset> ds = datasets();
        List<Precision> ps = precisions();
        List<ParityCase> cases = new ArrayList<>();
        for (ModelWithWeights m : models()) {
            for (Dataset d : ds) {
                for (boolean training : modes(m.spec())) {
                    for (Precision p : ps) {
                        cases.add(CaseFactory.of(m.spec(), m.weights(), d, p, training));
                    }
                }
            }
        }
        return cases;
    }

    /** The passes to run for {@code spec}: true for training, false for inference. */
    List<Boolean> modes(ModelSpec spec) {
        if (modes.isEmpty()) {
            return spec.hasInferenceMode() ? List.of(true, false) : List.of(true);
        }
        List<Boolean> chosen = new ArrayList<>();
        for (String mode : modes) {
            switch (mode) {
                case "training" -> chosen.add(true);
                case "inference" -> chosen.add(false);
                default -> throw new FixtureException("unknown mode '" + mode + "'; expected training or inference");
            }
        }
        return chosen;
    }

    /** A model and the weights it runs with. */
    record ModelWithWeights(ModelSpec spec, WeightSet weights) {
    }
}
