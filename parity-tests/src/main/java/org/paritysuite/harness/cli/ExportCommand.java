package org.paritysuite.harness.cli;

import org.paritysuite.harness.wiring.Wiring;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.run.NamedTensor;
import org.paritysuite.fixtures.run.TensorKind;
import org.paritysuite.fixtures.run.Trace;
import org.paritysuite.fixtures.spec.SpecWriter;
import org.paritysuite.fixtures.weights.Npz;
import org.paritysuite.harness.output.AtomicOutput;
import org.paritysuite.fixtures.TerminalText;
import org.paritysuite.harness.run.ParityCase;
import org.paritysuite.harness.run.ParityHarness;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code parity export}: one case as files NumPy opens, to inspect or to check against a third
 * framework. Keys of {@code tf.npz} and {@code reference.npz}: {@code activation/LAYER},
 * {@code probs}, {@code loss}, {@code gradient/PARAMETER} (see {@code docs/report-format.md}).
 * The five files are assembled beside {@code --out} and renamed into place together
 * ({@link AtomicOutput#writeDirectory}): never some of them, never a stale file next to a fresh one.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Writes spec.json, weights.npz, inputs.npz, tf.npz and reference.npz of one case.")
final class ExportCommand implements Callable<Integer> {

    @Mixin
    CaseSelection selection;

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = {"Directory to write: absent, empty,"
            + " or a previous export (replaced as a whole); its parent must exist."})
    Path out;

    @Option(names = "--batch-size", paramLabel = "N", description = "Images in the batch (default: the spec's"
            + " batch_size), the first N of the shipped test subset or of --inputs.")
    Integer batchSize;

    /** The files of an export, in the order they are written. */
    static final Set<String> FILES = new LinkedHashSet<>(
            List.of("spec.json", "weights.npz", "inputs.npz", "tf.npz", "reference.npz"));

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public Integer call() {
        AtomicOutput.requireDirectory(out, "--out", FILES);
        ParityCase exported = selection.oneCase("export writes one case", "mnist", batchSize);
        write(out, exported, new ParityHarness(Wiring.STANDARD).trace(exported));
        spec.commandLine().getOut().println("exported " + TerminalText.escape(exported.displayName()) + " ("
                + TerminalText.escape(exported.batch().description()) + ") to " + TerminalText.escape(out.toString()));
        return ParityCli.PASSED;
    }

    /**
     * Writes case {@code c} and its {@code traces} as the five {@link #FILES} into {@code dir}, checked
     * beforehand by {@link AtomicOutput#requireDirectory}: {@code parity export}'s bundle, and
     * {@code parity fuzz}'s of a failing generated case.
     */
    static void write(Path dir, ParityCase c, ParityHarness.Traces traces) {
        // All five or none: a kill or a failure part way never leaves fresh and stale files side by side.
        AtomicOutput.writeDirectory(dir, "the export", FILES, bundle -> {
            bundle.add("spec.json", o -> JSON.writeValue(o, SpecWriter.toJson(c.spec())));
            bundle.add("weights.npz", o -> Npz.write(c.weights().asMap(), o));
            bundle.add("inputs.npz", o -> Npz.write(c.inputArrays(), o));
            bundle.add("tf.npz", o -> Npz.write(arrays(traces.tensorflow()), o));
            bundle.add("reference.npz", o -> Npz.write(arrays(traces.reference()), o));
        });
    }

    /** Trace tensors keyed {@code activation/LAYER}, {@code probs}, {@code loss}, {@code gradient/PARAMETER}. */
    static Map<String, INDArray> arrays(Trace trace) {
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (NamedTensor t : trace.tensors()) {
            String key = t.kind() == TensorKind.PROBS || t.kind() == TensorKind.LOSS ? t.kind().jsonName() : t.key();
            arrays.put(key, t.value());
        }
        return arrays;
    }
}
