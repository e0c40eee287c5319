package org.paritysuite.harness.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.harness.html.WalkHtml;
import org.paritysuite.harness.output.AtomicOutput;
import org.paritysuite.harness.run.ParityCase;
import org.paritysuite.harness.summary.ModelSummary;
import org.paritysuite.harness.walk.WalkText;
import org.paritysuite.harness.walk.Walkthrough;
import org.paritysuite.harness.wiring.Wiring;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code parity explain}: a Keras-style summary of each chosen model, or with {@code --walk} one
 * batch followed through one model on both sides ({@link Walkthrough}).
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Prints each layer's name, type, output shape and parameter count, and the totals.",
                "With --walk, follows one batch through one model on both sides instead: per layer its shapes and"
                        + " parameters, the formula it computes forward and backward, both sides' first values and"
                        + " the error each layer inherits and adds (docs/walkthrough.md)."})
final class ExplainCommand implements Callable<Integer> {

    @Mixin
    CaseSelection selection;

    @Option(names = "--walk", description = {"Follow one batch through one model (one --model or --spec) on both"
            + " sides. Defaults: the model's first data set, float64, the training pass."})
    boolean walk;

    @Option(names = "--html", paramLabel = "FILE", description = "With --walk: also write the walk as one"
            + " self-contained HTML page, with a chart of every layer's inherited and local error.")
    Path html;

    @Option(names = "--batch-size", paramLabel = "N", description = "With --walk: examples in the batch (default:"
            + " the spec's batch_size), the first N of the shipped test subset or of --inputs.")
    Integer batchSize;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!walk) {
            if (batchSize != null || html != null) {
                throw new FixtureException((html != null ? "--html writes the page of --walk" : "--batch-size chooses"
                        + " the batch of --walk") + "; expected --walk with it");
            }
            for (CaseSelection.ModelWithWeights m : selection.models()) {
                spec.commandLine().getOut().println(ModelSummary.of(m.spec()));
            }
            return ParityCli.PASSED;
        }
        if (html != null) {
            AtomicOutput.requireFile(html, "--html");
        }
        Walkthrough walkthrough = Walkthrough.of(walkedCase(), Wiring.STANDARD, Wiring.TEXTBOOK);
        spec.commandLine().getOut().print(WalkText.render(walkthrough));
        if (html != null) {
            WalkHtml.write(walkthrough, html);
        }
        return ParityCli.PASSED;
    }

    /** The one case the options choose, with the walk's defaults for what they leave open. */
    private ParityCase walkedCase() {
        if (selection.models.size() + (selection.ownModel() ? 1 : 0) != 1) {
            throw new FixtureException("--walk follows one model; expected one --model ID, --spec FILE or --keras FILE");
        }
        return selection.oneCase("--walk follows one case",
                selection.models().get(0).spec().data().datasets().get(0), batchSize);
    }
}
