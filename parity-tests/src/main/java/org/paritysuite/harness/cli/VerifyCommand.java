package org.paritysuite.harness.cli;

import org.paritysuite.harness.wiring.Wiring;
import java.util.Optional;
import java.util.OptionalInt;
import org.paritysuite.harness.baseline.BaselineFile;
import org.paritysuite.harness.baseline.BaselineGate;
import org.paritysuite.harness.baseline.ErrorBaseline;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.paritysuite.harness.html.HtmlReport;
import org.paritysuite.harness.html.HtmlWriter;
import org.paritysuite.harness.report.Environment;
import org.paritysuite.harness.report.ParityReport;
import org.paritysuite.harness.report.ReportJson;
import org.paritysuite.harness.report.ReportJunit;
import org.paritysuite.harness.report.ReportTable;
import org.paritysuite.harness.run.CaseResult;
import org.paritysuite.harness.run.ParityCase;
import org.paritysuite.harness.run.ParityHarness;
import org.paritysuite.harness.training.TrajectoryCase;
import org.paritysuite.harness.output.AtomicOutput;
import org.paritysuite.harness.shard.CostTable;
import org.paritysuite.harness.shard.Shard;
import org.paritysuite.harness.shard.ShardPlan;
import org.paritysuite.harness.shard.WorkUnit;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.TerminalText;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.ModelZoo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code parity verify}: runs the chosen cases on both sides and reports every tensor. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Runs models on TensorFlow Java and on the reference with the same weights and batch,",
                "compares every activation, the output, the loss and every gradient, and exits 0 only when all pass."})
final class VerifyCommand implements Callable<Integer> {

    @Mixin
    CaseSelection selection;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON (docs/report-format.md).")
    Path json;

    @Option(names = "--junit", paramLabel = "FILE", description = "Also write the report as JUnit XML, for CI test"
            + " reporters (docs/report-format.md).")
    Path junit;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write a self-contained HTML report: verdict,"
            + " cases, per-layer errors, trajectories, both sides' predictions (docs/html-report.md).")
    Path html;

    @Option(names = "--steps", paramLabel = "N", description = {"Steps of each training trajectory, both sides in"
            + " lockstep: every chosen model with its own training block and, when every zoo model runs, ist597-mlp"
            + " with every optimizer; 0 for none. Without --steps, the full run leaves the CNNs' own training out.",
            "Default: " + DEFAULT_STEPS + " when every zoo model runs, 0 when --model, --spec or --inputs chooses."})
    Integer steps;

    @Option(names = "--every-optimizer", description = "Also train every chosen model with every optimizer type.")
    boolean everyOptimizer;

    @Option(names = "--no-hostile", description = {"Leave out the hostile batches: one example, zero images, constant"
            + " images, saturated logits and saturated sigmoid/tanh layers, which every model otherwise also runs on"
            + " (training pass, first chosen data set's labels; docs/hostile-batches.md). Never run with --inputs."})
    boolean noHostile;

    /** Trajectory length of the main job: long enough for momentum and the adaptive slots to build up. */
    static final int DEFAULT_STEPS = 20;

    /**
     * The longest trajectory: 50 times the main job's and 10 times the long-trajectory test's. A
     * step of both sides with its judged step, float64 referee and propagated tolerance took
     * 0.4 s for ist597-mlp and seconds for a CNN on two cores, and a trajectory keeps every step's
     * comparisons until it is judged: 1,000 steps are minutes of an MLP and hours of a CNN, and
     * 10^9 steps (accepted once) ran silently until memory ran out.
     */
    static final int MAX_STEPS = 1000;

    @Option(names = "--record-baseline", paramLabel = "FILE", description = {"Write every tensor's and trajectory"
            + " step's measured error to FILE, an error baseline for --baseline (only when the run passes)."})
    Path recordBaseline;

    @Option(names = "--baseline", paramLabel = "FILE", description = {"Also fail (exit 1) when an error grew beyond"
            + " the baseline FILE's by more than noise (the growth rule: docs/baselines.md)."})
    Path baselineFile;

    @Option(names = "--shard", paramLabel = "K/N", description = {"Run only shard K of N: a deterministic part of"
            + " the chosen cases and trajectories, the N parts balanced by measured cost; every shard's --json"
            + " goes to parity merge (docs/sharding.md)."})
    String shard;

    @Option(names = "--cost-table", paramLabel = "FILE", description = {"With --shard: the units' costs to balance"
            + " by, measured by parity costs (default: the committed table, measured on a full run)."})
    Path costTable;

    @Option(names = "--expect", paramLabel = "P.npy", description = {"Predictions saved from Keras for --inputs,"
            + " [N, classes] (np.save of model.predict(x)): both sides' outputs are also compared with them, under the"
            + " output's float32 tolerance, and the run fails when either is outside it. Needs --mode inference."})
    Path expect;

    @Option(names = "--isolate", description = {"Run every layer of every case also on its own, on the reference's"
            + " input and incoming gradient, and report each layer's local and inherited error (a failing case is"
            + " always isolated). Costs about one more pass of each side per case."})
    boolean isolateEveryCase;

    @Option(names = "--all-tensors", description = "One table row per tensor instead of one per case.")
    boolean allTensors;

    @Option(names = "--threads", paramLabel = "N", description = {"Cases and trajectories run side by side on N"
            + " threads (each TensorFlow session single-threaded, so results do not depend on N).",
            "Default: the number of cores, at most " + MAX_DEFAULT_THREADS + "."})
    Integer threads;

    /** Beyond four, memory (a case each) grows faster than the zoo's run time shrinks. */
    static final int MAX_DEFAULT_THREADS = 4;

    /** Each thread holds a model's runners and a case's arrays at once (hundreds of MB for a CNN). */
    static final int MAX_THREADS = 64;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // Every option and the output path first: nothing below may be refused after the work.
        int trajectorySteps = steps != null
                ? ParityCli.requireRange("--steps", steps, 0, MAX_STEPS, " (0: no training trajectories)")
                : wholeZoo() && !selection.ownInputs() ? DEFAULT_STEPS : 0;
        if (trajectorySteps > 0 && selection.ownInputs()) {
            // A trajectory trains on the shipped training images; --inputs is one batch, not a training set.
            throw new FixtureException("--steps " + trajectorySteps + ": trajectories train on the shipped training"
                    + " images, which --inputs " + selection.inputsFile + " does not replace; expected --steps 0"
                    + " (the default with --inputs)");
        }
        int workers = threads != null ? ParityCli.requireRange("--threads", threads, 1, MAX_THREADS, "")
                : Math.min(MAX_DEFAULT_THREADS, Runtime.getRuntime().availableProcessors());
        ParityCli.requireReportFiles(json, junit);
        if (html != null) {
            AtomicOutput.requireFile(html, "--html");
        }
        if (recordBaseline != null) {
            AtomicOutput.requireFile(recordBaseline, "--record-baseline");
        }
        Shard part = shard == null ? null : Shard.parse(shard, "--shard");
        if (costTable != null && part == null) {
            throw new FixtureException("--cost-table " + costTable + ": costs only balance shards; expected it with"
                    + " --shard K/N");
        }
        if (recordBaseline != null && part != null) {
            throw new FixtureException("--record-baseline " + recordBaseline + ": a baseline records the whole run,"
                    + " a shard runs part of it; expected --record-baseline without --shard");
        }
        CostTable costs = part == null ? null
                : costTable == null ? CostTable.committed() : CostTable.read(costTable, "--cost-table");
        List<ParityCase> everyCase = selection.cases(OptionalInt.empty(), expect, !noHostile);
        List<TrajectoryCase> everyRun = trajectorySteps > 0 ? trajectories(trajectorySteps) : List.of();
        ShardPlan plan = part == null ? null : plan(part, costs, everyCase, everyRun);
        List<WorkUnit> mine = plan == null ? null
                : plan.assignmentsOf(part.index()).stream().map(ShardPlan.Assignment::unit).toList();
        List<ParityCase> cases = mine == null ? everyCase : mine.stream().flatMap(u -> u.cases().stream()).toList();
        List<TrajectoryCase> runs = mine == null ? everyRun
                : mine.stream().flatMap(u -> u.trajectories().stream()).toList();
        if (plan != null) {
            err.printf(Locale.ROOT, "shard %s: %d of the run's %d units of work, planned %.1f s of %.1f s%s%n", part,
                    mine.size(), plan.assignments().size(), plan.cost(part.index()) / 1e3, plan.totalCost() / 1e3,
                    plan.unmeasured() == 0 ? "" : " (" + plan.unmeasured() + " unit(s) not in the cost table, costed"
                            + " by its fallback)");
        }
        Optional<ErrorBaseline> baseline = Optional.ofNullable(baselineFile).map(BaselineFile::read);
        baseline.ifPresent(b -> BaselineGate.requireCovers(b, baselineFile, cases, runs));
        // Said before the work, so a long run is never silent: a line follows each case and trajectory.
        err.printf(Locale.ROOT, "running %d case(s)%s on %d thread(s)%n", cases.size(), runs.isEmpty() ? ""
                : String.format(Locale.ROOT, ", then %d trajectory(ies) of %d steps", runs.size(), trajectorySteps),
                workers);
        err.flush();
        // The page charts each model's representative case: isolated, its chart shows local errors too. Not a
        // CNN's: its isolation needs about 0.8 GB more than the main job's memory bound (docs/isolation.md).
        Set<ParityCase> charted = html == null ? Set.of() : HtmlReport.chartedCases(cases);
        ParityHarness harness = new ParityHarness(Wiring.STANDARD,
                c -> isolateEveryCase || charted.contains(c) && !c.spec().hasConvolution());
        long start = System.nanoTime();
        int[] finished = {0};
        List<CaseResult> results = harness.runAll(cases, workers, r -> {
            err.printf(Locale.ROOT, "[%d/%d] %-45s %s%n", ++finished[0], cases.size(),
                    TerminalText.escape(r.displayName()),
                    r.passed() ? "PASS" : "FAIL at " + r.firstDivergence());
            err.flush();
        });
        long casesDone = System.nanoTime();
        int[] trained = {0};
        List<TrajectoryCase.Outcome> trajectories = TrajectoryCase.runAll(Wiring.STANDARD, runs, workers, o -> {
            TrajectoryCase t = o.trajectory();
            err.printf(Locale.ROOT, "[trajectory %d/%d] %s / %s / %s / %s, %d steps: %s%n", ++trained[0], runs.size(),
                    t.spec().name(), t.dataset().id(), t.optimizerLabel(), t.precision(), t.steps(),
                    o.verdict().label());
            err.flush();
        });
        long trajectoriesDone = System.nanoTime();
        ParityReport report = ParityReport.of(Wiring.STANDARD, Environment.current(), results, trajectories);
        if (baseline.isPresent()) {
            report = report.withBaseline(BaselineGate.compare(baseline.get(), baselineFile, results, trajectories));
        }
        ReportTable.print(report, allTensors, out);
        out.printf(Locale.ROOT, "wall time %.1f s (cases %.1f s, trajectories %.1f s, %d threads)%n",
                (System.nanoTime() - start) / 1e9, (casesDone - start) / 1e9, (trajectoriesDone - casesDone) / 1e9,
                workers);
        ObjectNode tree = ReportJson.toJson(report);
        if (plan != null) {
            tree.set("shard", plan.describe(part, costTable == null ? "committed" : costTable.toString()));
        }
        if (json != null) {
            ReportJson.write(tree, json);
            out.println("JSON report: " + TerminalText.escape(json.toString()));
        }
        if (recordBaseline != null) {
            recordBaseline(report, out, err);
        }
        if (junit != null) {
            ReportJunit.write(tree, junit);
            out.println("JUnit report: " + TerminalText.escape(junit.toString()));
        }
        if (html != null) {
            HtmlWriter.write(HtmlReport.ofVerify(report, cases), html);
            out.println("HTML report: " + TerminalText.escape(html.toString()));
        }
        return report.passed() ? ParityCli.PASSED : ParityCli.FAILED;
    }

    /** The plan that splits the run of {@code cases} and {@code runs} for {@code part}, or bad input. */
    private static ShardPlan plan(Shard part, CostTable costs, List<ParityCase> cases, List<TrajectoryCase> runs) {
        // A merge finds each case and trajectory by its id: two of one id could not be told apart.
        Set<String> ids = new HashSet<>();
        for (String id : Stream.concat(cases.stream().map(CaseResult::idOf), runs.stream().map(TrajectoryCase::id))
                .toList()) {
            if (!ids.add(id)) {
                throw new FixtureException("--shard " + part + ": the run has two cases or trajectories named " + id
                        + ", which a merge of its shards could not tell apart (an optimizer's label omits a lone"
                        + " learning rate); expected a run whose ids are unique, e.g. without --every-optimizer");
            }
        }
        List<WorkUnit> units = WorkUnit.of(cases, runs);
        if (part.count() > units.size()) {
            throw new FixtureException("--shard " + part + ": the chosen run has " + units.size() + " unit(s) of"
                    + " work, too few for " + part.count() + " shards; expected N at most " + units.size()
                    + " (docs/sharding.md)");
        }
        return ShardPlan.of(units, costs, part.count());
    }

    /**
     * Writes the run's errors as a baseline, unless the run failed: a baseline records what a good
     * run measured, and the errors of a failing one (NaN among them) would gate nothing.
     */
    private void recordBaseline(ParityReport report, PrintWriter out, PrintWriter err) {
        if (!report.passed()) {
            err.println("parity: not recording the baseline " + TerminalText.escape(recordBaseline.toString())
                    + ": the run failed");
            return;
        }
        BaselineFile.write(ErrorBaseline.of(report.environment(), report.cases(), report.trajectories()),
                recordBaseline);
        out.println("Error baseline: " + TerminalText.escape(recordBaseline.toString()));
    }

    private boolean wholeZoo() {
        return selection.models.isEmpty() && !selection.ownModel();
    }

    /**
     * The trajectories to train: every chosen model with its own training block and, with
     * {@code --every-optimizer} (or for the whole zoo, ist597-mlp), with every optimizer; on the
     * data sets {@code --dataset} chose, else on the model's first (fashion-mnist for the whole
     * zoo's optimizer sweep); in the precisions {@code --precision} chose; from the images {@code --data} chose.
     */
    private List<TrajectoryCase> trajectories(int trajectorySteps) {
        List<TrajectoryCase> runs = new ArrayList<>();
        List<ModelSpec> chosen = selection.models().stream().map(m -> m.spec()).toList();
        List<Precision> precisions = selection.precisions();
        if (everyOptimizer) {
            for (ModelSpec m : chosen) {
                for (Dataset d : datasetsOr(Dataset.fromId(m.data().datasets().get(0)))) {
                    runs.addAll(TrajectoryCase.everyOptimizer(m, d, precisions, trajectorySteps));
                }
            }
        } else if (wholeZoo()) {
            ModelSpec mlp = ModelZoo.load("ist597-mlp");
            for (Dataset d : datasetsOr(Dataset.FASHION_MNIST)) {
                runs.addAll(TrajectoryCase.everyOptimizer(mlp, d, precisions, trajectorySteps));
            }
        }
        // The main job leaves the convolutional models' own training out: 20 steps of ds541-cnn-a and -b, with
        // the judged step, the free-running reference and the float64 referee, cost more than the rest of the
        // job together; `--model ds541-cnn-a --steps N` trains them.
        List<ModelSpec> trained = steps == null && wholeZoo()
                ? chosen.stream().filter(m -> !m.hasConvolution()).toList()
                : chosen;
        runs.addAll(TrajectoryCase.ownTraining(trained, selection.datasets.isEmpty() ? List.of() : selection.datasets(),
                precisions, trajectorySteps));
        return runs.stream().map(t -> t.readingFrom(selection.data.images())).toList();
    }

    /** The data sets {@code --dataset} chose, or {@code otherwise} when it was not given. */
    private List<Dataset> datasetsOr(Dataset otherwise) {
        return selection.datasets.isEmpty() ? List.of(otherwise) : selection.datasets();
    }
}
