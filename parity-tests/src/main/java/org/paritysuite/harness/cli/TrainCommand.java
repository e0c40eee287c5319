package org.paritysuite.harness.cli;

import org.paritysuite.harness.wiring.Wiring;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.run.UserInputs;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.keras.KerasImport;
import org.paritysuite.fixtures.data.ImageSource;
import org.paritysuite.fixtures.data.Split;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.ModelZoo;
import org.paritysuite.harness.training.EpochRecord;
import org.paritysuite.harness.training.EpochTable;
import org.paritysuite.harness.training.ExperimentPreset;
import org.paritysuite.harness.training.LockstepRun;
import org.paritysuite.harness.training.LossPlot;
import org.paritysuite.harness.training.ProgressBar;
import org.paritysuite.harness.training.ResultsCsv;
import org.paritysuite.harness.training.ResultsJson;
import org.paritysuite.harness.training.RunPlan;
import org.paritysuite.harness.training.RunResult;
import org.paritysuite.harness.training.StepRecord;
import org.paritysuite.harness.training.Verdict;
import org.paritysuite.harness.output.AtomicOutput;
import org.paritysuite.fixtures.TerminalText;
import org.paritysuite.harness.html.HtmlReport;
import org.paritysuite.harness.html.HtmlWriter;
import org.paritysuite.harness.report.Environment;
import org.paritysuite.harness.training.KnownDefect;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code parity train}: trains a zoo model on both sides in lockstep for whole epochs, or runs one
 * of the zoo's experiments ({@link ExperimentPreset}); prints a table per run as its epochs end,
 * draws a progress bar on standard error, writes a PNG of the loss and accuracy curves and, on
 * request, the numbers as CSV or JSON. Exit status: 0 when every step of every run stayed within
 * the step tolerance or differed only by a known TensorFlow-side defect, 1 when a run left it
 * (or one side alone went NaN), 2 on bad input, including training that diverges to NaN on both
 * sides (an experiment's other runs still go on and the plot is still written).
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains a model with TensorFlow Java and with the reference in lockstep on the same minibatches,",
                "comparing every step; prints each side's loss and accuracy per epoch and their divergence,",
                "and plots both sides' curves. --experiment reproduces the zoo's experiments."})
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "ID", description = "Zoo model id (see docs/model-zoo.md).")
    String model;

    @Mixin
    KerasOptions keras;

    @Option(names = "--experiment", paramLabel = "NAME",
            description = "A zoo experiment instead of --model: ist597-sgd-adam, cs6910-optimizers, cs172-batch-sizes.")
    String experiment;

    @Option(names = "--dataset", paramLabel = "ID",
            description = "mnist or fashion-mnist (default: the model's first data set, or the experiment's).")
    String dataset;

    @Option(names = "--epochs", paramLabel = "E",
            description = "Passes over the training images (default: 5, or the experiment's).")
    Integer epochs;

    @Option(names = "--precision", paramLabel = "P", defaultValue = "float32",
            description = "float32 or float64 (default ${DEFAULT-VALUE}).")
    String precision;

    @Option(names = "--optimizer", paramLabel = "TYPE",
            description = "sgd, momentum, nesterov, rmsprop, adam, nadam or adagrad (default: the spec's).")
    String optimizer;

    @Option(names = "--learning-rate", paramLabel = "LR", description = "The learning rate (default: the spec's).")
    Double learningRate;

    @Option(names = "--hyperparameter", paramLabel = "NAME=VALUE",
            description = "Any other hyperparameter by its TensorFlow name, e.g. momentum=0.9 (repeatable).")
    Map<String, Double> hyperparameters = new LinkedHashMap<>();

    @Option(names = "--batch-size", paramLabel = "N", description = "Minibatch size (default: the spec's).")
    Integer batchSize;

    @Option(names = "--train-images", paramLabel = "N", description = "Train on the first N training images of"
            + " --data or of --inputs (default: all; an experiment on full data: its report's number, if known).")
    Integer trainImages;

    @Option(names = "--test-images", paramLabel = "N", description = "Evaluate on the first N test images of --data"
            + " (default: all; an experiment on full data: its report's number, if known).")
    Integer testImages;

    @Mixin
    DataOption data;

    @Option(names = "--inputs", paramLabel = "X.npy", description = {"Train on your own examples instead of the"
            + " shipped training images: [N, ...input_shape], as verify --inputs takes them (docs/your-inputs.md),"
            + " the first --train-images of them (default: all, at most 1,000). Evaluation stays on the test"
            + " images of --dataset, unless --test-inputs gives your own."})
    Path inputsFile;

    @Option(names = "--labels", paramLabel = "Y.npy", description = {"The labels of --inputs, required with it:"
            + " [N] class indices (uint8, int32, int64 or float) or [N, classes] one-hot rows."})
    Path labelsFile;

    @Option(names = "--test-inputs", paramLabel = "X.npy", description = {"Evaluate every epoch on your own test"
            + " examples instead of the test images of --dataset/--data: [N, ...input_shape], as --inputs takes them"
            + " (docs/your-inputs.md); --test-images then counts from them (default: all)."})
    Path testInputsFile;

    @Option(names = "--test-labels", paramLabel = "Y.npy", description = "The labels of --test-inputs, required with"
            + " it: [N] class indices or [N, classes] one-hot rows.")
    Path testLabelsFile;

    @Option(names = "--plot", paramLabel = "FILE.png",
            description = "Where to write the plot (default: reports/train-<model or experiment>.png).")
    Path plot;

    @Option(names = "--plot-size", paramLabel = "WxH", defaultValue = LossPlot.DEFAULT_WIDTH + "x" + LossPlot.DEFAULT_HEIGHT,
            description = "The plot's size in pixels (default ${DEFAULT-VALUE}).")
    String plotSize;

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write every step and epoch as CSV.")
    Path csv;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write every step and epoch as JSON.")
    Path json;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write a self-contained HTML report: verdict,"
            + " curves with the sides' distance, both sides' predictions (docs/html-report.md).")
    Path html;

    @Option(names = "--verbose", description = "Print stack traces on errors.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    /** Where the plot goes without {@code --plot}; the one output directory the suite creates itself. */
    static final Path DEFAULT_PLOT_DIRECTORY = Path.of("reports");

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int[] size = plotSize();
        List<RunPlan> plans = plans();
        String name = experiment != null ? experiment
                : plans.get(0).spec().name() + "-" + plans.get(0).dataset().id() + "-" + plans.get(0).precision();
        Path plotFile = plot != null ? plot : DEFAULT_PLOT_DIRECTORY.resolve("train-" + name + ".png");
        requireOutputs(plotFile);

        ProgressBar bar = ProgressBar.forConsole(err);
        LockstepRun lockstep = new LockstepRun(Wiring.STANDARD);
        List<RunResult> results = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < plans.size(); i++) {
            RunPlan plan = plans.get(i);
            EpochTable.header(plan, out);
            String label = plans.size() == 1 ? plan.name() : "[" + (i + 1) + "/" + plans.size() + "] " + plan.name();
            bar.start(label, plan.stepsPerEpoch() * plan.epochs());
            RunResult r = lockstep.run(plan, new LockstepRun.Listener() {
                @Override
                public void stepped(StepRecord step, int totalSteps) {
                    bar.update(step.step(), String.format(Locale.ROOT, "loss tf %.4g ref %.4g", step.tfLoss(),
                            step.refLoss()));
                }

                @Override
                public void evaluated(EpochRecord epoch) {
                    bar.interrupt();
                    EpochTable.row(epoch, out);
                }
            });
            bar.finish(r.verdict().label());
            EpochTable.verdict(r, out);
            results.add(r);
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        String title = experiment != null ? "experiment " + experiment + ": " + ExperimentPreset.fromId(experiment)
                .description() : plans.get(0).spec().name() + " trained in lockstep: TensorFlow Java and the reference";
        if (plot == null) {
            createDefaultPlotDirectory();
        }
        LossPlot.write(results, title, subtitle(plans), plotFile, size[0], size[1]);
        out.println();
        out.println("plot: " + TerminalText.escape(plotFile.toString()) + " (" + size[0] + "x" + size[1] + ")");
        if (csv != null) {
            ResultsCsv.write(results, csv);
            out.println("CSV: " + TerminalText.escape(csv.toString()));
        }
        if (json != null) {
            ResultsJson.write(title, results, Environment.current(), json);
            out.println("JSON: " + TerminalText.escape(json.toString()));
        }
        if (html != null) {
            HtmlWriter.write(HtmlReport.ofTrain(title, subtitle(plans), results, Environment.current()), html);
            out.println("HTML: " + TerminalText.escape(html.toString()));
        }
        return summary(results, seconds, out, err);
    }

    /** The closing lines: known defects, failures, and the exit status they give. */
    private int summary(List<RunResult> results, double seconds, PrintWriter out, PrintWriter err) {
        List<KnownDefect> defects = results.stream().flatMap(r -> r.knownDefect().stream()).distinct().toList();
        if (!defects.isEmpty()) {
            out.println("known TensorFlow-side defects of these runs' optimizers (reported, not failures unless FIXED?):");
            defects.forEach(d -> out.println("  " + d.optimizer() + " [" + d.handling().label() + "]: " + d.reason()));
        }
        // The verdict decides, as it does the JSON's passed: a diverged run is bad input (exit 2), any other failed run exit 1.
        List<RunResult> failed = results.stream()
                .filter(r -> !r.passed() && r.verdict() != Verdict.DIVERGED).toList();
        List<RunResult> diverged = results.stream().filter(r -> r.verdict() == Verdict.DIVERGED).toList();
        out.printf(Locale.ROOT, "%d run(s) in %.1f s: %s%n", results.size(), seconds, results.stream()
                .map(r -> r.plan().name() + " " + r.verdict().label()).collect(Collectors.joining(", ")));
        out.println(RunResult.verdictLine(results));
        out.flush();
        for (RunResult r : failed) {
            ParityCli.error(err, "FAIL: run '" + r.plan().name() + "': " + r.detail().lines().findFirst().orElse(""));
        }
        for (RunResult r : diverged) {
            ParityCli.error(err, r.detail());
        }
        // A parity failure outranks a diverged run: exit 1 says the sides disagree, 2 that the input was bad.
        return !failed.isEmpty() ? ParityCli.FAILED : !diverged.isEmpty() ? ParityCli.BAD_INPUT : ParityCli.PASSED;
    }

    /** The runs the options ask for, every option checked before anything trains. */
    List<RunPlan> plans() {
        Precision p = option("--precision", () -> Precision.fromLabel(precision));
        Dataset d = dataset == null ? null : option("--dataset", () -> Dataset.fromId(dataset));
        if (epochs != null) {
            ParityCli.requireRange("--epochs", epochs, 1, RunPlan.MAX_EPOCHS,
                    " (at batch 1 an epoch is 1,000 lockstep steps; see RunPlan.MAX_EPOCHS)");
        }
        Optional<KerasImport.Imported> imported = keras.imported(Map.of("--model", model != null,
                "--experiment", experiment != null));
        if (imported.isEmpty() && (model == null) == (experiment == null)) {
            throw new FixtureException("give either --model ID or --experiment NAME (one of "
                    + Arrays.stream(ExperimentPreset.values()).map(ExperimentPreset::id).collect(Collectors.joining(", "))
                    + "), found " + (model == null ? "neither" : "both"));
        }
        CaseSelection.requireLabelsForTraining(inputsFile, labelsFile);
        requireTestLabels();
        if (experiment != null && testInputsFile != null) {
            throw new FixtureException("--test-inputs " + testInputsFile + ": an experiment reproduces a report's runs"
                    + " on the shipped test images; expected --model ID with --test-inputs");
        }
        if (experiment != null && inputsFile != null) {
            throw new FixtureException("--inputs " + inputsFile + ": an experiment reproduces a report's runs on the"
                    + " shipped training images; expected --model ID with --inputs");
        }
        if (experiment != null) {
            List<String> fixed = new ArrayList<>();
            if (optimizer != null) {
                fixed.add("--optimizer");
            }
            if (!hyperparameters.isEmpty()) {
                fixed.add("--hyperparameter");
            }
            if (batchSize != null) {
                fixed.add("--batch-size");
            }
            if (!fixed.isEmpty()) {
                throw new FixtureException("--experiment " + experiment + " fixes each run's optimizer and batch size"
                        + " (only --learning-rate may change them all); remove " + String.join(", ", fixed)
                        + " (or train one --model with them)");
            }
            ExperimentPreset preset = ExperimentPreset.fromId(experiment);
            requireImageCounts(d != null ? d : preset.dataset(), false);
            return preset.runs(new ExperimentPreset.Options(d, p, epochs, trainImages, testImages, learningRate,
                    data.images()));
        }
        ModelSpec zoo = imported.isPresent() ? imported.get().spec() : option("--model", () -> ModelZoo.load(model));
        Dataset set = d != null ? d : Dataset.fromId(zoo.data().datasets().get(0));
        requireImageCounts(set, inputsFile != null, testInputsFile != null);
        ModelSpec trained = retrained(zoo);
        Optional<UserInputs> own = Optional.ofNullable(inputsFile).map(f -> UserInputs.read(f, labelsFile, trained));
        Optional<UserInputs> ownTest = Optional.ofNullable(testInputsFile)
                .map(f -> UserInputs.read(f, testLabelsFile, trained));
        ImageSource images = data.images();
        int training = own.map(u -> Math.min(u.size(), RunPlan.SHIPPED_IMAGES))
                .orElseGet(() -> images.count(set, Split.TRAIN));
        return List.of(new RunPlan(trained.training().optimizer(), trained, set, p, epochs != null ? epochs : 5,
                trainImages != null ? trainImages : training,
                testImages != null ? testImages : ownTest.map(UserInputs::size)
                        .orElseGet(() -> images.count(set, Split.TEST)), "", own, images,
                imported.map(KerasImport.Imported::weights), ownTest));
    }

    /** Refuses {@code --test-labels} without {@code --test-inputs}, and test inputs without labels. */
    private void requireTestLabels() {
        if (testLabelsFile != null && testInputsFile == null) {
            throw new FixtureException("--test-labels " + testLabelsFile + ": labels go with your own test inputs;"
                    + " expected --test-inputs X.npy --test-labels Y.npy");
        }
        if (testInputsFile != null && testLabelsFile == null) {
            throw new FixtureException("--test-inputs " + testInputsFile + ": test accuracy needs labels; expected"
                    + " --test-labels Y.npy with it ([N] class indices or [N, classes] one-hot rows)");
        }
    }

    /**
     * Refuses {@code --train-images}, {@code --test-images} and {@code --batch-size} outside what the
     * data holds, the splits of {@code set} in {@code --data} (with {@code --inputs}, at most 1,000 of
     * its examples, as before; the run's plan says when it holds fewer), before anything trains.
     */
    private void requireImageCounts(Dataset set, boolean ownInputs) {
        requireImageCounts(set, ownInputs, false);
    }

    /** As {@link #requireImageCounts(Dataset, boolean)}; own test inputs are counted by the run's plan. */
    private void requireImageCounts(Dataset set, boolean ownInputs, boolean ownTestInputs) {
        ImageSource images = data.images();
        int training = ownInputs ? RunPlan.SHIPPED_IMAGES : images.count(set, Split.TRAIN);
        String why = ownInputs ? " (at most 1,000 examples of --inputs)"
                : String.format(Locale.ROOT, " (%s holds %,d images)", images.describe(set, Split.TRAIN), training);
        if (trainImages != null) {
            ParityCli.requireRange("--train-images", trainImages, 1, training, why);
        }
        if (testImages != null && !ownTestInputs) {
            int test = images.count(set, Split.TEST);
            ParityCli.requireRange("--test-images", testImages, 1, test,
                    String.format(Locale.ROOT, " (%s holds %,d images)", images.describe(set, Split.TEST), test));
        }
        if (batchSize != null) {
            ParityCli.requireRange("--batch-size", batchSize, 1, training, why);
        }
    }

    /**
     * Refuses, before anything trains, an output that could not be written: every file the run
     * will write is checked now, so the plot is never written only for the CSV to fail after it.
     */
    private void requireOutputs(Path plotFile) {
        if (plot != null) {
            AtomicOutput.requireFile(plot, "--plot");
        } else {
            // An absent default directory is created when the plot is written: its parent must take it.
            AtomicOutput.requireFile(Files.exists(DEFAULT_PLOT_DIRECTORY) ? plotFile : DEFAULT_PLOT_DIRECTORY,
                    "--plot (default)");
        }
        Map<Path, String> taken = new HashMap<>(Map.of(plotFile.toAbsolutePath().normalize(), "--plot"));
        if (csv != null) {
            requireOwnFile(csv, "--csv", taken);
        }
        if (json != null) {
            requireOwnFile(json, "--json", taken);
        }
        if (html != null) {
            requireOwnFile(html, "--html", taken);
        }
    }

    private static void requireOwnFile(Path file, String option, Map<Path, String> taken) {
        AtomicOutput.requireFile(file, option);
        String before = taken.putIfAbsent(file.toAbsolutePath().normalize(), option);
        if (before != null) {
            throw new FixtureException(option + " " + file + ": is also the file of " + before
                    + "; expected a file of its own");
        }
    }

    private static void createDefaultPlotDirectory() {
        try {
            Files.createDirectories(DEFAULT_PLOT_DIRECTORY);
        } catch (IOException e) {
            throw new FixtureException(DEFAULT_PLOT_DIRECTORY + ": cannot create the plot's directory: " + e.getMessage(), e);
        }
    }

    /** The zoo spec with --optimizer, --learning-rate, --hyperparameter and --batch-size applied. */
    private ModelSpec retrained(ModelSpec zoo) {
        String type = optimizer != null ? optimizer : zoo.training().optimizer();
        // Another optimizer type starts from its own defaults: the spec's hyperparameters belong to its type.
        Map<String, Double> given = new HashMap<>(type.equals(zoo.training().optimizer())
                ? zoo.training().hyperparameters() : Map.of());
        given.putAll(hyperparameters);
        if (learningRate != null) {
            given.put("learning_rate", learningRate);
        }
        int batch = batchSize != null ? batchSize : zoo.training().batchSize();
        return option("--optimizer/--learning-rate/--hyperparameter",
                () -> RunPlan.retrained(zoo, batch, type, given));
    }

    private int[] plotSize() {
        String[] parts = plotSize.split("x", -1);
        try {
            if (parts.length == 2) {
                int w = Integer.parseInt(parts[0].trim());
                int h = Integer.parseInt(parts[1].trim());
                if (w >= 200 && h >= 200 && w <= 10000 && h <= 10000) {
                    return new int[] {w, h};
                }
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new FixtureException("--plot-size must be WIDTHxHEIGHT in pixels, each 200 to 10000, e.g. 1200x1000;"
                + " found '" + plotSize + "'");
    }

    private static String subtitle(List<RunPlan> plans) {
        RunPlan first = plans.get(0);
        if (plans.size() == 1) {
            return first.describe();
        }
        return first.spec().name() + " on " + first.dataset().id() + ", " + first.precision() + ", " + first.epochs()
                + " epochs, " + first.testImages() + " test images; runs: " + plans.stream()
                .map(r -> r.name() + " (" + r.optimizerText() + ", batch " + r.batchSize() + ", " + r.trainImages()
                        + " images)").collect(Collectors.joining("; "));
    }

    /** Evaluates {@code parse}, prefixing a bad-input message with the option it came from. */
    private static <T> T option(String name, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (FixtureException e) {
            throw new FixtureException(name + ": " + e.getMessage(), e);
        }
    }
}
