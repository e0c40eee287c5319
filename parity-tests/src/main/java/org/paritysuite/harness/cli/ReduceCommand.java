package org.paritysuite.harness.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.paritysuite.fixtures.TerminalText;
import org.paritysuite.harness.output.AtomicOutput;
import org.paritysuite.harness.reduce.FailureSignature;
import org.paritysuite.harness.reduce.InjectedFault;
import org.paritysuite.harness.reduce.Reproducer;
import org.paritysuite.harness.reduce.ReproducerBundle;
import org.paritysuite.harness.reduce.Shrinker;
import org.paritysuite.harness.run.ParityCase;
import org.paritysuite.harness.wiring.Sides;
import org.paritysuite.harness.wiring.Wiring;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code parity reduce}: shrinks one failing case to a small case that fails the same way and
 * writes it as a bundle {@code parity verify} replays (docs/reduce.md). Exit status 1 when it wrote
 * a reproducer (the case fails), 2 on bad input, a case that passes to begin with included.
 */
@Command(name = "reduce", mixinStandardHelpOptions = true,
        description = "Shrinks one failing case (examples, layers, widths) while it fails the same way;"
                + " writes the smallest as spec.json, weights.npz, x.npy, y.npy, README.txt and replay.sh."
                + " Defaults: --dataset mnist, --precision float64, --mode training.")
final class ReduceCommand implements Callable<Integer> {

    @Mixin
    CaseSelection selection;

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = {"Directory to write the reproducer"
            + " into: absent, empty, or a previous reproducer (replaced as a whole); its parent must exist."})
    Path out;

    @Option(names = "--batch-size", paramLabel = "N", description = {"Start from the first N examples (default: the"
            + " spec's batch_size) of the shipped test subset or of --inputs: a convolutional model's isolated"
            + " float64 case at 64 examples needs more than the default memory bound."})
    Integer batchSize;

    @Option(names = "--inject-fault", paramLabel = "PARAMETER=FACTOR", description = {"Runs TensorFlow's side"
            + " with this parameter scaled, e.g. conv2d_1/kernel=1.000001: a fault to try reduce on and to teach"
            + " it with, not a verification mode."})
    String injectFault;

    @Override
    public Integer call() {
        Optional<InjectedFault> parsed = Optional.ofNullable(injectFault).map(InjectedFault::parse);
        AtomicOutput.requireDirectory(out, "--out", ReproducerBundle.FILES);
        ParityCase failing = selection.oneCase("reduce shrinks one case", "mnist", batchSize);
        Optional<InjectedFault> fault = parsed.map(f -> f.requireIn(failing.spec()));
        Sides sides = fault.map(f -> Wiring.STANDARD.withTensorflow(f.wrap(Wiring.STANDARD.tensorflow())))
                .orElse(Wiring.STANDARD);
        PrintWriter o = spec.commandLine().getOut();
        Shrinker shrinker = new Shrinker(sides, line -> {
            o.println("  " + TerminalText.escape(line));
            o.flush();
        });
        Reproducer start = Reproducer.of(failing);
        // Nothing is printed before the case is known to fail: a passing case is bad input, one line on stderr.
        FailureSignature signature = shrinker.failureOf(start);
        o.println("reducing " + TerminalText.escape(failing.displayName()) + " ("
                + TerminalText.escape(failing.batch().description()) + ")"
                + fault.map(f -> ", TensorFlow with " + f.parameter() + " x " + f.factor() + " (injected)").orElse(""));
        o.println("fails: " + TerminalText.escape(signature.toString()));
        o.flush();
        Shrinker.Reduction r = shrinker.reduce(start, signature);
        ReproducerBundle.write(out, r, fault);
        print(o, r, fault);
        return ParityCli.FAILED;
    }

    private void print(PrintWriter o, Shrinker.Reduction r, Optional<InjectedFault> fault) {
        Reproducer.Size before = r.original().size();
        Reproducer.Size after = r.reduced().size();
        o.printf(Locale.ROOT, "%-12s %12s %12s%n", "", "before", "after");
        o.printf(Locale.ROOT, "%-12s %12d %12d%n", "layers", before.layers(), after.layers());
        o.printf(Locale.ROOT, "%-12s %12d %12d%n", "  weighted", before.layersWithParameters(),
                after.layersWithParameters());
        o.printf(Locale.ROOT, "%-12s %,12d %,12d%n", "parameters", before.parameters(), after.parameters());
        o.printf(Locale.ROOT, "%-12s %12d %12d%n", "examples", before.examples(), after.examples());
        o.println("layers kept: " + String.join(", ", r.reduced().spec().layers().stream()
                .map(l -> l.name() + " (" + l.type() + ")").toList()));
        o.println("runs: " + r.runs() + " (the case, then " + (r.runs() - 1) + " candidates; "
                + r.moves().size() + " moves taken)");
        o.println("fails the same way: " + TerminalText.escape(r.signature().toString()));
        o.println("reproducer: " + TerminalText.escape(out.toString()));
        o.println("replay: " + TerminalText.escape(ReproducerBundle.replayCommand(out, r.reduced(), fault)));
    }
}
