package org.paritysuite.harness.fuzz;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;

/**
 * The {@code slow} profile's generated models: seeds 1,000 to 3,999 (the default run's are 0 to
 * 299), float64, about three minutes on two cores ({@code mvn -Pslow ... -Dtest=FuzzLongTest}).
 */
@Tag("slow")
@DisplayName("Generated models (seeds 1000-3999): float64 parity")
class FuzzLongTest extends GeneratedModelsParity {

    @Override
    long first() {
        return 1000;
    }

    @Override
    int count() {
        return 3000;
    }

    /** Two gradients zero in exact arithmetic that the generator does not foresee (docs/fuzzing.md, finding 2). */
    @Override
    Map<Long, String> knownFailures() {
        return Map.of(
                3233L, "three linear dense layers with biases, then a ReLU dense layer whose 3 units are each on"
                        + " for all 3 examples or off for all, then a batch normalization: the biases' gradients vanish",
                3897L, "a batch normalization of a one-channel image, flattened into a softmax, which ignores the"
                        + " beta added to every element alike: beta's gradient vanishes");
    }
}
