package org.paritysuite.harness.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.keras.KerasImport;
import org.paritysuite.fixtures.spec.LossSpec;
import picocli.CommandLine.Option;

/**
 * {@code --keras MODEL} and {@code --loss NAME}: a Keras model file instead of a spec, shared by
 * {@code verify}, {@code export}, {@code bench}, {@code explain} (through
 * {@link CaseSelection}) and {@code train} (docs/keras.md).
 */
final class KerasOptions {

    /** The names {@code --loss} takes: the spec's losses and Keras's short names for two of them. */
    static final Map<String, LossSpec> LOSSES = Map.of("categorical_crossentropy", LossSpec.CATEGORICAL_CROSSENTROPY,
            "mse", LossSpec.MEAN_SQUARED_ERROR, "mean_squared_error", LossSpec.MEAN_SQUARED_ERROR,
            "kl", LossSpec.KL_DIVERGENCE, "kl_divergence", LossSpec.KL_DIVERGENCE);

    @Option(names = "--keras", paramLabel = "MODEL", description = {"A Keras model file instead of --model or --spec:"
            + " the .h5 of Keras 2 / tf.keras or the .keras of Keras 3, a Sequential model, run with its own weights"
            + " (docs/keras.md)."})
    Path kerasFile;

    @Option(names = "--loss", paramLabel = "NAME", description = {"The loss of a --keras model saved without"
            + " compiling, or instead of its own: categorical_crossentropy, mse or kl."})
    String loss;

    /** Whether {@code --keras} was given. */
    boolean given() {
        return kerasFile != null;
    }

    /**
     * The model of {@code --keras}, read and checked; refuses {@code --loss} without it and
     * {@code --keras} beside {@code others} (another way of choosing the model, given when true).
     */
    Optional<KerasImport.Imported> imported(Map<String, Boolean> others) {
        if (loss != null && kerasFile == null) {
            throw new FixtureException("--loss " + loss + ": chooses the loss of a Keras model; expected --keras MODEL"
                    + " with it (a spec states its own loss)");
        }
        if (kerasFile == null) {
            return Optional.empty();
        }
        others.forEach((option, present) -> {
            if (present) {
                throw new FixtureException("--keras " + kerasFile + ": chooses the model, as " + option + " does;"
                        + " expected one of them");
            }
        });
        return Optional.of(KerasImport.read(kerasFile, loss(loss)));
    }

    /** The loss named by {@code --loss}, when given; shared with {@code import-keras}. */
    static Optional<LossSpec> loss(String loss) {
        if (loss == null) {
            return Optional.empty();
        }
        LossSpec chosen = LOSSES.get(loss);
        if (chosen == null) {
            throw new FixtureException("--loss " + loss + ": unknown loss; expected categorical_crossentropy, mse or kl");
        }
        return Optional.of(chosen);
    }
}
