package org.paritysuite.harness.fuzz;

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
}
