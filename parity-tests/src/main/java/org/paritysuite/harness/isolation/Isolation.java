package org.paritysuite.harness.isolation;

import java.util.List;
import java.util.Optional;

/**
 * Every layer's {@link LayerErrors} for one case, in layer order, and the culprits they name.
 *
 * <p>A layer that is off only because it was fed off values is innocent; the culprit is the layer
 * whose <em>own</em> computation leaves its tolerance. Forward, that is the first layer, in
 * forward order, whose local error fails; backward, the first layer from the loss down whose
 * local input or parameter gradient fails. Errors that only accumulate, each layer within its
 * tolerance, name no culprit: then the whole-model checks' first divergence stands.
 *
 * @param layers  one entry per spec layer, in layer order; none when skipped
 * @param skipped why the isolation did not run, when it did not (it needs about one more pass of
 *                each side at once: a large CNN may not fit the memory bound, docs/isolation.md)
 */
public record Isolation(List<LayerErrors> layers, Optional<String> skipped) {

    public Isolation {
        layers = List.copyOf(layers);
    }

    /** An isolation that ran. */
    public Isolation(List<LayerErrors> layers) {
        this(layers, Optional.empty());
    }

    /** An isolation that did not run, for the reason {@code why}: it names no culprit. */
    public static Isolation skipped(String why) {
        return new Isolation(List.of(), Optional.of(why));
    }

    /** The first layer, in forward order, whose own forward computation leaves its tolerance. */
    public Optional<String> forwardCulprit() {
        return layers.stream().filter(LayerErrors::localForwardFails).map(LayerErrors::layer).findFirst();
    }

    /** The first layer, from the loss down, whose own backward computation leaves its tolerance. */
    public Optional<String> backwardCulprit() {
        for (int k = layers.size() - 1; k >= 0; k--) {
            if (layers.get(k).localBackwardFails()) {
                return Optional.of(layers.get(k).layer());
            }
        }
        return Optional.empty();
    }

    /** The errors of the layer named {@code layer}. */
    public Optional<LayerErrors> of(String layer) {
        return layers.stream().filter(l -> l.layer().equals(layer)).findFirst();
    }
}
