package org.paritysuite.harness.reduce;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.run.Side;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.ParameterSpec;
import org.paritysuite.fixtures.weights.WeightSet;

/**
 * A fault planted inside one layer of a side: the layer computes with one of its parameters scaled
 * by a factor, so its output is wrong and every layer after it is fed wrong values, as with a real
 * bug in that layer. (A corrupted trace changes one traced tensor and nothing downstream; this fault
 * propagates.)
 *
 * <p>It is how {@code parity reduce --inject-fault conv2d_1/kernel=1.000001} is tried and taught,
 * and how the isolation and reduction tests make a side wrong on purpose; it is not a verification
 * mode. A model without the parameter (a reduced candidate that dropped the layer) is built
 * unchanged.
 *
 * @param parameter the parameter scaled, e.g. {@code conv2d_1/kernel}
 * @param factor    what it is multiplied by, e.g. {@code 1 + 1e-6}
 */
public record InjectedFault(String parameter, double factor) {

    public InjectedFault {
        if (!Double.isFinite(factor)) {
            throw new FixtureException("--inject-fault " + parameter + "=" + factor
                    + ": the factor must be a finite number");
        }
    }

    /**
     * Reads {@code PARAMETER=FACTOR}, e.g. {@code conv2d_1/kernel=1.000001}.
     *
     * @throws FixtureException naming the text when it is not of that form
     */
    public static InjectedFault parse(String text) {
        int eq = text.lastIndexOf('=');
        if (eq <= 0 || eq == text.length() - 1) {
            throw new FixtureException("--inject-fault " + text + ": not of the form PARAMETER=FACTOR,"
                    + " e.g. conv2d_1/kernel=1.000001");
        }
        String factor = text.substring(eq + 1);
        try {
            return new InjectedFault(text.substring(0, eq), Double.parseDouble(factor));
        } catch (NumberFormatException e) {
            throw new FixtureException("--inject-fault " + text + ": '" + factor + "' is not a number; expected"
                    + " PARAMETER=FACTOR, e.g. conv2d_1/kernel=1.000001", e);
        }
    }

    /**
     * Refuses a parameter that {@code spec} does not have, naming the ones it has.
     *
     * @return this fault
     */
    public InjectedFault requireIn(ModelSpec spec) {
        if (spec.parameters().stream().noneMatch(p -> p.name().equals(parameter))) {
            throw new FixtureException("--inject-fault " + this + ": model '" + spec.name() + "' has no parameter '"
                    + parameter + "'; expected one of " + spec.parameters().stream().map(ParameterSpec::name).toList());
        }
        return this;
    }

    /** {@code inner}, building every model with {@link #parameter} times {@link #factor}. */
    public Side wrap(Side inner) {
        return (spec, weights, precision) -> {
            Map<String, INDArray> changed = new LinkedHashMap<>(weights.asMap());
            changed.computeIfPresent(parameter, (name, value) -> value.mul(factor));
            return inner.build(spec, WeightSet.of(changed), precision);
        };
    }

    /** {@code PARAMETER=FACTOR}, as the option takes it. */
    @Override
    public String toString() {
        return parameter + "=" + String.format(Locale.ROOT, "%s", factor);
    }
}
