package org.paritysuite.harness.run;

import org.paritysuite.harness.compare.TensorCheck;
import java.util.List;
import java.util.Optional;
import org.paritysuite.fixtures.run.TensorKind;

/**
 * Says where two sides first part: forward, the first activation (then the output, the loss and
 * the updated moving statistics) outside its tolerance, in trace order; backward, the first gradient outside its
 * tolerance walking from the loss down to the input. Errors propagate, so everything after the
 * first divergence is expected to fail too: the first is where to look.
 */
public final class FirstDivergence {

    private FirstDivergence() {
    }

    /** The first forward tensor outside tolerance: a layer name, {@code probs} or {@code loss}. */
    public static Optional<String> forward(List<TensorCheck> checks) {
        return checks.stream()
                .filter(c -> c.kind() != TensorKind.GRADIENT)
                .filter(c -> !c.passed())
                .map(TensorCheck::tensor)
                .findFirst();
    }

    /** The first gradient outside tolerance, walking from the last parameter to the first. */
    public static Optional<String> backward(List<TensorCheck> checks) {
        List<TensorCheck> gradients = checks.stream().filter(c -> c.kind() == TensorKind.GRADIENT).toList();
        for (int i = gradients.size() - 1; i >= 0; i--) {
            if (!gradients.get(i).passed()) {
                return Optional.of(gradients.get(i).tensor());
            }
        }
        return Optional.empty();
    }
}
