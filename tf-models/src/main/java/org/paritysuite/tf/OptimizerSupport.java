package org.paritysuite.tf;

import java.util.Map;
import java.util.Set;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.spec.OptimizerSpec;

/**
 * Which optimizer runs in which precision on this side, checked before anything is added to the
 * graph. Every {@link OptimizerSpec.Type} is built from a tensorflow-framework class
 * ({@link OptimizerGraph#create}); a combination that does not work is listed in
 * {@link #UNSUPPORTED} with the evidence, and refused with a message naming it. The list is empty
 * today: Adam, once refused for tensorflow-framework's beta-power race, runs as {@link OrderedAdam}.
 */
final class OptimizerSupport {

    /** Optimizer and precision combinations that do not work, with the reason. */
    static final Map<OptimizerSpec.Type, Map<Precision, String>> UNSUPPORTED = Map.of();

    private OptimizerSupport() {
    }

    /** Every type with every precision, minus {@link #UNSUPPORTED}. */
    static boolean supports(OptimizerSpec.Type type, Precision precision) {
        return !UNSUPPORTED.getOrDefault(type, Map.of()).containsKey(precision);
    }

    /** Throws the message {@link #message} gives when the combination is unsupported. */
    static void requireSupported(OptimizerSpec spec, Precision precision) {
        String reason = UNSUPPORTED.getOrDefault(spec.type(), Map.of()).get(precision);
        if (reason != null) {
            throw new UnsupportedOperationException(message(spec.type(), precision, reason));
        }
    }

    /** The message for an optimizer that cannot run in a precision: names both and the reason. */
    static String message(OptimizerSpec.Type type, Precision precision, String reason) {
        return "optimizer '" + type.jsonName() + "' is not supported by the TensorFlow side in " + precision + ": "
                + reason + "; supported in " + precision + ": "
                + String.join(", ", java.util.Arrays.stream(OptimizerSpec.Type.values())
                        .filter(t -> supports(t, precision)).map(OptimizerSpec.Type::jsonName).toList());
    }

    /** For tests: the set of types supported in {@code precision}. */
    static Set<OptimizerSpec.Type> supported(Precision precision) {
        return java.util.EnumSet.copyOf(java.util.Arrays.stream(OptimizerSpec.Type.values())
                .filter(t -> supports(t, precision)).toList());
    }
}
