package org.paritysuite.harness.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.TerminalText;
import org.paritysuite.fixtures.keras.KerasImport;
import org.paritysuite.fixtures.spec.SpecWriter;
import org.paritysuite.fixtures.weights.Npz;
import org.paritysuite.harness.output.AtomicOutput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code parity import-keras MODEL [--out DIR]}: a Keras model file as {@code NAME.json} (the spec)
 * and {@code NAME.npz} (its weights, TensorFlow layout), which {@code --spec NAME.json --weights
 * NAME.npz} runs exactly as {@code --keras MODEL} does.
 */
@Command(name = "import-keras", mixinStandardHelpOptions = true,
        description = {"Turns a Keras model file (.h5 of Keras 2 / tf.keras, .keras of Keras 3; a Sequential model)",
                "into a spec (NAME.json) and its weights (NAME.npz), NAME the file's name. See docs/keras.md."})
final class ImportKerasCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Parameters(index = "0", paramLabel = "MODEL", description = "The Keras model file.")
    Path model;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".",
            description = "An existing directory to write NAME.json and NAME.npz into (default: the current one).")
    Path out;

    @Option(names = "--loss", paramLabel = "NAME", description = {"The loss of a model saved without compiling, or"
            + " instead of its own: categorical_crossentropy, mse or kl."})
    String loss;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!Files.isDirectory(out)) {
            throw new FixtureException("--out " + out + ": not an existing directory; expected one (it is not created)");
        }
        KerasImport.Imported imported = KerasImport.read(model, KerasOptions.loss(loss));
        String name = imported.spec().name();
        Path specFile = out.resolve(name + ".json");
        Path weightsFile = out.resolve(name + ".npz");
        AtomicOutput.requireFile(specFile, "--out");
        AtomicOutput.requireFile(weightsFile, "--out");
        AtomicOutput.writeFile(specFile, "the spec", o -> JSON.writeValue(o, SpecWriter.toJson(imported.spec())));
        AtomicOutput.writeFile(weightsFile, "the weights", o -> Npz.write(imported.weights().asMap(), o));
        PrintWriter printed = spec.commandLine().getOut();
        printed.println("Imported " + TerminalText.escape(model.toString()) + ": " + imported.spec().layers().size()
                + " layers, " + imported.spec().parameterCount() + " parameters, loss " + imported.spec().loss());
        printed.println("Spec:    " + TerminalText.escape(specFile.toString()));
        printed.println("Weights: " + TerminalText.escape(weightsFile.toString()));
        return ParityCli.PASSED;
    }
}
