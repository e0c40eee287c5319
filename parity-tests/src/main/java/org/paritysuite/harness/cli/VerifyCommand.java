package org.paritysuite.harness.cli;

import org.paritysuite.harness.wiring.Wiring;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.paritysuite.harness.report.Environment;
import org.paritysuite.harness.report.ParityReport;
import org.paritysuite.harness.report.ReportJson;
import org.paritysuite.harness.report.ReportTable;
import org.paritysuite.harness.run.CaseResult;
import org.paritysuite.harness.run.ParityCase;
import org.paritysuite.harness.run.ParityHarness;
import org.paritysuite.harness.training.TrajectoryCase;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.spec.Conv2DSpec;
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

    @Option(names = "--steps", paramLabel = "N", description = {"Steps of each training trajectory, both sides in"
            + " lockstep: every chosen model with its own training block and, when every zoo model runs, ist597-mlp"
            + " with every optimizer; 0 for none. Without --steps, the full run leaves the CNNs' own training out.",
            "Default: " + DEFAULT_STEPS + " when every zoo model runs, 0 when --model or --spec chooses."})
    Integer steps;

    @Option(names = "--every-optimizer", description = "Also train every chosen model with every optimizer type.")
    boolean everyOptimizer;

    /** Trajectory length of the main job: long enough for momentum and the adaptive slots to build up. */
    static final int DEFAULT_STEPS = 20;

    @Option(names = "--all-tensors", description = "One table row per tensor instead of one per case.")
    boolean allTensors;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<ParityCase> cases = selection.cases();
        ParityHarness harness = new ParityHarness(Wiring.STANDARD);
        List<CaseResult> results = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < cases.size(); i++) {
            ParityCase c = cases.get(i);
            CaseResult r = harness.run(c);
            results.add(r);
            err.printf(Locale.ROOT, "[%d/%d] %-45s %s%n", i + 1, cases.size(), c.displayName(),
                    r.passed() ? "PASS" : "FAIL at " + r.firstDivergence());
        }
        boolean wholeZoo = selection.models.isEmpty() && selection.specFile == null;
        int trajectorySteps = steps != null ? steps : wholeZoo ? DEFAULT_STEPS : 0;
        if (trajectorySteps < 0) {
            throw new FixtureException("--steps must be >= 0, found " + trajectorySteps);
        }
        List<TrajectoryCase.Outcome> trajectories = new ArrayList<>();
        if (trajectorySteps > 0) {
            List<TrajectoryCase> runs = new ArrayList<>();
            List<ModelSpec> chosen = selection.models().stream().map(m -> m.spec()).toList();
            if (everyOptimizer) {
                for (ModelSpec m : chosen) {
                    runs.addAll(TrajectoryCase.everyOptimizer(m, Dataset.fromId(m.data().datasets().get(0)),
                            selection.precisions(), trajectorySteps));
                }
            } else if (wholeZoo) {
                runs.addAll(TrajectoryCase.everyOptimizer(ModelZoo.load("ist597-mlp"), Dataset.FASHION_MNIST,
                        selection.precisions(), trajectorySteps));
            }
            // The main job leaves the convolutional models' own training out: with the judged step, the
            // free-running reference and the float64 referee, 20 steps of ds541-cnn-a and -b took most of a
            // 26-minute run; `--model ds541-cnn-a --steps N` trains them.
            List<ModelSpec> trained = steps == null && wholeZoo
                    ? chosen.stream().filter(m -> m.layers().stream().noneMatch(l -> l instanceof Conv2DSpec)).toList()
                    : chosen;
            runs.addAll(TrajectoryCase.ownTraining(trained, selection.precisions(), trajectorySteps));
            for (int i = 0; i < runs.size(); i++) {
                TrajectoryCase t = runs.get(i);
                TrajectoryCase.Outcome o = t.run(Wiring.STANDARD);
                trajectories.add(o);
                err.printf(Locale.ROOT, "[trajectory %d/%d] %s / %s / %s / %s, %d steps: %s%n", i + 1, runs.size(),
                        t.spec().name(), t.dataset().id(), t.optimizerLabel(), t.precision(), t.steps(), o.verdict().label());
            }
        }
        err.flush();
        ParityReport report = ParityReport.of(Wiring.STANDARD, Environment.current(), results, trajectories);
        ReportTable.print(report, allTensors, out);
        out.printf(Locale.ROOT, "wall time %.1f s%n", (System.nanoTime() - start) / 1e9);
        if (json != null) {
            ReportJson.write(report, json);
            out.println("JSON report: " + json);
        }
        return report.passed() ? ParityCli.PASSED : ParityCli.FAILED;
    }
}
