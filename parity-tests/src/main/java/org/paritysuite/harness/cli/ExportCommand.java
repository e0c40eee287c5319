package org.paritysuite.harness.cli;

import org.paritysuite.harness.wiring.Wiring;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.run.NamedTensor;
import org.paritysuite.fixtures.run.TensorKind;
import org.paritysuite.fixtures.run.Trace;
import org.paritysuite.fixtures.spec.SpecWriter;
import org.paritysuite.fixtures.weights.Npz;
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
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Writes spec.json, weights.npz, inputs.npz, tf.npz and reference.npz of one case.")
final class ExportCommand implements Callable<Integer> {

    @Mixin
    CaseSelection selection;

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write into.")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (selection.datasets.isEmpty()) {
            selection.datasets = List.of("mnist");
        }
        if (selection.precisions.isEmpty()) {
            selection.precisions = List.of("float64");
        }
        if (selection.modes.isEmpty()) {
            selection.modes = List.of("training");
        }
        List<ParityCase> cases = selection.cases();
        if (cases.size() != 1) {
            throw new FixtureException("export writes one case; the options select " + cases.size()
                    + " (give one --model or --spec, at most one --dataset and one --precision)");
        }
        ParityCase c = cases.get(0);
        Files.createDirectories(out);
        ParityHarness.Traces traces = new ParityHarness(Wiring.STANDARD).trace(c);
        SpecWriter.write(c.spec(), out.resolve("spec.json"));
        c.weights().write(out.resolve("weights.npz"));
        Map<String, INDArray> inputs = new LinkedHashMap<>();
        inputs.put("x", c.batch().x());
        inputs.put("y", c.batch().y());
        c.batch().dropoutMasks().forEach((layer, mask) -> inputs.put("dropout_mask/" + layer, mask));
        Npz.write(inputs, out.resolve("inputs.npz"));
        Npz.write(arrays(traces.tensorflow()), out.resolve("tf.npz"));
        Npz.write(arrays(traces.reference()), out.resolve("reference.npz"));
        spec.commandLine().getOut().println("exported " + c.displayName() + " (" + c.batch().description() + ") to " + out);
        return ParityCli.PASSED;
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
