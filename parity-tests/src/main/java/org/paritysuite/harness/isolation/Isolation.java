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
 * @param layers one entry per spec layer, in layer order
 */
public record Isolation(List<LayerErrors> layers) {

    public Isolation {
        layers = List.copyOf(layers);
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
