package org.paritysuite.harness.reduce;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.paritysuite.fixtures.spec.SpecWriter;
import org.paritysuite.fixtures.weights.Npy;
import org.paritysuite.fixtures.weights.Npz;
import org.paritysuite.harness.output.AtomicOutput;
import org.paritysuite.harness.reduce.Shrinker.Reduction;

/**
 * The reproducer a reduction found, as a directory that {@code parity verify} replays:
 * {@code spec.json} (the smaller spec, its seed and {@code batch_size} kept), {@code weights.npz}
 * (sliced, TensorFlow layout), {@code x.npy} and {@code y.npy} (the examples, float64 values that
 * are float32 numbers, and one-hot labels), {@code README.txt} (what it is, how it fails, the command)
 * and {@code replay.sh} (the command, run from the suite's root).
 *
 * <p>The replay runs the very case the reduction last ran: {@code --inputs} takes all the examples
 * (the file holds no more than {@code batch_size}), and the dropout masks are drawn from the spec's
 * seed for that many examples, as they were. The files are assembled beside the directory and renamed
 * into place together ({@link AtomicOutput#writeDirectory}).
 */
public final class ReproducerBundle {

    /** The files of a bundle, in the order they are written. */
    public static final Set<String> FILES = new LinkedHashSet<>(
            List.of("spec.json", "weights.npz", "x.npy", "y.npy", "README.txt", "replay.sh"));

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReproducerBundle() {
    }

    /**
     * Writes {@code reduction}'s reproducer into {@code dir}, checked beforehand by
     * {@link AtomicOutput#requireDirectory} with {@link #FILES}.
     *
     * @param fault the fault injected into TensorFlow's side, if the failure was injected
     */
    public static void write(Path dir, Reduction reduction, Optional<InjectedFault> fault) {
        Reproducer r = reduction.reduced();
        AtomicOutput.writeDirectory(dir, "the reproducer", FILES, bundle -> {
            bundle.add("spec.json", o -> JSON.writeValue(o, SpecWriter.toJson(r.spec())));
            bundle.add("weights.npz", o -> Npz.write(r.weights().asMap(), o));
            bundle.add("x.npy", o -> Npy.write(r.examples().x(), o));
            bundle.add("y.npy", o -> Npy.write(r.examples().y(), o));
            bundle.add("README.txt", o -> text(o, readme(dir, reduction, fault)));
            bundle.add("replay.sh", o -> text(o, script(r, fault)));
        });
    }

    /**
     * The command that replays the bundle in {@code dir}: {@code parity verify} on its files, in its
     * precision and mode; with an injected fault, {@code parity reduce} with the same fault (which
     * {@code verify} does not take), writing to {@code DIR.again}.
     */
    public static String replayCommand(Path dir, Reproducer r, Optional<InjectedFault> fault) {
        return replay(dir.toString(), r, fault);
    }

    private static String replay(String dir, Reproducer r, Optional<InjectedFault> fault) {
        String files = " --spec " + dir + "/spec.json --weights " + dir + "/weights.npz --inputs " + dir
                + "/x.npy --labels " + dir + "/y.npy --precision " + r.precision().label() + " --mode " + r.mode();
        return fault.map(f -> "./parity reduce" + files + " --inject-fault " + f + " --out " + dir + ".again")
                .orElse("./parity verify" + files);
    }

    private static String readme(Path dir, Reduction reduction, Optional<InjectedFault> fault) {
        Reproducer.Size before = reduction.original().size();
        Reproducer.Size after = reduction.reduced().size();
        return String.format(Locale.ROOT, """
                A reproducer found by parity reduce (docs/reduce.md).

                case:      %s
                fails:     %s
                size:      %d -> %d layers, %,d -> %,d parameters, %d -> %d examples, after %d runs
                %s
                Replay it from the suite's root (sh %s/replay.sh does the same):

                    %s
                """, reduction.original().toCase().displayName(), reduction.signature(), before.layers(),
                after.layers(), before.parameters(), after.parameters(), before.examples(), after.examples(),
                reduction.runs(), fault.map(f -> "injected: TensorFlow's side computes with " + f.parameter()
                        + " times " + f.factor() + " (--inject-fault " + f + "); parity verify runs TensorFlow"
                        + " unchanged, so the replay that fails is parity reduce with the same fault.\n").orElse(""),
                dir, replayCommand(dir, reduction.reduced(), fault));
    }

    private static String script(Reproducer r, Optional<InjectedFault> fault) {
        return "#!/bin/sh\n"
                + "# Replays the reproducer in this script's directory; run it from the suite's root"
                + " (docs/reduce.md).\n"
                + "d=$(dirname \"$0\")\n"
                + "exec " + replay("\"$d\"", r, fault).replace("./parity ", "\"${PARITY:-./parity}\" ") + "\n";
    }

    private static void text(OutputStream out, String text) throws java.io.IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }
}
