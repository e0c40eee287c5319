package org.paritysuite.harness.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.run.UserInputs;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.ModelZoo;
import org.paritysuite.fixtures.spec.SpecReader;
import org.paritysuite.fixtures.weights.GlorotUniform;
import org.paritysuite.fixtures.weights.WeightSet;
import org.paritysuite.harness.hostile.HostileCases;
import org.paritysuite.harness.run.CaseFactory;
import org.paritysuite.harness.run.ParityCase;
import org.paritysuite.harness.training.RunPlan;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options that choose cases, shared by {@code verify}, {@code export} and {@code bench}. */
final class CaseSelection {

    @Option(names = "--model", paramLabel = "ID", description = "Zoo model id (repeatable; default: every zoo model).")
    List<String> models = new ArrayList<>();

    @Option(names = "--spec", paramLabel = "FILE", description = "Your own model spec (JSON, see docs/spec-format.md).")
    Path specFile;

    @Mixin
    KerasOptions keras;

    @Option(names = "--weights", paramLabel = "FILE.npz",
            description = "Weights for --spec in TensorFlow layout (default: seeded Glorot-uniform).")
    Path weightsFile;

    @Option(names = "--dataset", paramLabel = "ID", description = "mnist or fashion-mnist (repeatable; default: both).")
    List<String> datasets = new ArrayList<>();

    @Mixin
    DataOption data;

    @Option(names = "--inputs", paramLabel = "X.npy", description = {"Your own examples instead of the shipped test"
            + " images: [N, ...input_shape] of float32, float64 (rounded to float32) or uint8 (scaled to the spec's"
            + " data.input_range). The batch is the first batch_size examples, all of them when N is smaller."})
    Path inputsFile;

    @Option(names = "--labels", paramLabel = "Y.npy", description = {"The labels of --inputs, required with it:"
            + " [N] class indices (uint8 or float) or [N, classes] one-hot rows."})
    Path labelsFile;

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
        keras.imported(Map.of("--spec", specFile != null, "--model", !models.isEmpty()))
                .ifPresent(k -> chosen.add(new ModelWithWeights(k.spec(), k.weights())));
        List<String> ids = models.isEmpty() && !ownModel() ? ModelZoo.ids() : models;
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

    /** Every chosen model x data set (or {@code --inputs}) x mode x precision, validated before anything runs. */
    List<ParityCase> cases() {
        return cases(OptionalInt.empty(), null);
    }

    /**
     * The cases of {@link #cases()}, each batch holding {@code batchSize} examples instead of the
     * spec's {@code batch_size} (or fewer, the whole of a smaller {@code --inputs} file) when given,
     * each case carrying its rows of the Keras predictions in {@code expect} when not null.
     */
    List<ParityCase> cases(OptionalInt batchSize, Path expect) {
        return cases(batchSize, expect, false);
    }

    /**
     * The cases of {@link #cases(OptionalInt, Path)} and, with {@code hostile}, each model's
     * {@link HostileCases} after its own: on the shipped (or {@code --data}) images of the first
     * chosen data set, in the chosen precisions, when the training pass is among the chosen modes;
     * never with {@code --inputs}, whose batch is the user's. A model's hostile cases share its
     * spec and weights objects, so its runners are built once for both.
     */
    List<ParityCase> cases(OptionalInt batchSize, Path expect, boolean hostile) {
        requireInputOptions(expect);
        List<Precision> ps = precisions();
        List<ParityCase> cases = new ArrayList<>();
        for (ModelWithWeights m : models()) {
            for (SourcedBatch b : batches(m.spec(), batchSize, expect)) {
                for (boolean training : modes(m.spec())) {
                    for (Precision p : ps) {
                        cases.add(CaseFactory.of(m.spec(), m.weights(), b.source(), b.batch(), b.keras(), p,
                                training));
                    }
                }
            }
            if (hostile && !ownInputs() && modes(m.spec()).contains(true)) {
                cases.addAll(HostileCases.of(m.spec(), m.weights(), data.images(), datasets().get(0), ps));
            }
        }
        return cases;
    }

    /**
     * The one case a single-case command works on ({@code export}, {@code reduce},
     * {@code explain --walk}), with the defaults such a command takes for what the options leave
     * open: {@code defaultDataset} (unless {@code --inputs}), float64, the training pass; and a
     * batch of {@code batchSize} examples when given (else the spec's {@code batch_size}).
     *
     * @param command what the command does with its one case, for the refusal, e.g.
     *                {@code export writes one case}
     * @throws FixtureException when the batch size is out of range or the options select more than one case
     */
    ParityCase oneCase(String command, String defaultDataset, Integer batchSize) {
        if (datasets.isEmpty() && !ownInputs()) {
            datasets = List.of(defaultDataset);
        }
        if (precisions.isEmpty()) {
            precisions = List.of("float64");
        }
        if (modes.isEmpty()) {
            modes = List.of("training");
        }
        if (batchSize != null) {
            ParityCli.requireRange("--batch-size", batchSize, 1, RunPlan.SHIPPED_IMAGES,
                    " (the shipped test subset holds 1,000 images)");
        }
        List<ParityCase> chosen = cases(batchSize == null ? OptionalInt.empty() : OptionalInt.of(batchSize), null);
        if (chosen.size() != 1) {
            throw new FixtureException(command + "; the options select " + chosen.size()
                    + " (give one --model, --spec or --keras, at most one --dataset, --precision and --mode)");
        }
        return chosen.get(0);
    }

    /** Whether the model is the user's own ({@code --spec} or {@code --keras}) rather than the zoo's. */
    boolean ownModel() {
        return specFile != null || keras.given();
    }

    /** Whether {@code --inputs} replaces the shipped images. */
    boolean ownInputs() {
        return inputsFile != null;
    }

    /**
     * Refuses {@code --labels} and {@code --inputs} without each other, {@code --inputs} with
     * {@code --dataset} or {@code --data} (which it replaces),
     * and {@code expect} without {@code --inputs} or outside the inference pass alone.
     */
    private void requireInputOptions(Path expect) {
        if (expect != null && inputsFile == null) {
            throw new FixtureException("--expect " + expect + ": predictions are compared on your own inputs;"
                    + " expected --inputs X.npy with it");
        }
        if (expect != null && !modes.equals(List.of("inference"))) {
            // model.predict runs the inference pass: dropout off, batch normalization on its moving statistics.
            throw new FixtureException("--expect " + expect + ": Keras predictions come from the inference pass;"
                    + " expected --mode inference (and no other --mode)");
        }
        requireLabelsWithInputs(inputsFile, labelsFile);
        if (inputsFile != null && !datasets.isEmpty()) {
            throw new FixtureException("--inputs " + inputsFile + ": replaces the shipped images that --dataset"
                    + " chooses; expected one of --inputs and --dataset");
        }
        if (inputsFile != null && data.data != null) {
            throw new FixtureException("--inputs " + inputsFile + ": replaces the images that --data " + data.data
                    + " chooses; expected one of --inputs and --data");
        }
    }

    /**
     * Refuses {@code --labels} without {@code --inputs}. Inputs without labels are labelled by
     * cycling through the classes ({@link UserInputs#read}): a single pass compares the loss and
     * gradients at any labels, the same on both sides.
     */
    static void requireLabelsWithInputs(Path inputs, Path labels) {
        if (labels != null && inputs == null) {
            throw new FixtureException("--labels " + labels + ": labels go with your own inputs; expected"
                    + " --inputs X.npy --labels Y.npy");
        }
    }

    /**
     * As {@link #requireLabelsWithInputs}, and refuses {@code --inputs} without labels: training
     * learns from them ({@code train}, whose options these are too).
     */
    static void requireLabelsForTraining(Path inputs, Path labels) {
        requireLabelsWithInputs(inputs, labels);
        if (inputs != null && labels == null) {
            throw new FixtureException("--inputs " + inputs + ": the loss and every gradient need labels;"
                    + " expected --labels Y.npy with it ([N] class indices or [N, classes] one-hot rows)");
        }
    }

    /** The batches {@code spec} runs on: the shipped test images of each data set, or {@code --inputs}. */
    private List<SourcedBatch> batches(ModelSpec spec, OptionalInt batchSize, Path expect) {
        if (inputsFile == null) {
            int n = batchSize.orElse(spec.training().batchSize());
            return datasets().stream().map(d -> new SourcedBatch(d.id(),
                    CaseFactory.firstTestBatch(spec, data.images(), d, n), Optional.empty())).toList();
        }
        UserInputs user = UserInputs.read(inputsFile, labelsFile, spec);
        Batch batch = user.first(batchSize.orElse(Math.min(user.size(), spec.training().batchSize())));
        return List.of(new SourcedBatch(inputsFile.getFileName().toString(), batch,
                Optional.ofNullable(expect).map(p -> user.predictions(p, batch.size()))));
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

    /**
     * A batch, where it comes from (a data set's id, or the file name of {@code --inputs}) and the
     * Keras predictions saved for it, if any.
     */
    private record SourcedBatch(String source, Batch batch, Optional<INDArray> keras) {
    }

    /** A model and the weights it runs with. */
    record ModelWithWeights(ModelSpec spec, WeightSet weights) {
    }
}
