package org.paritysuite.harness.baseline;

import java.nio.file.Path;

/**
 * The zoo's committed error baseline, {@code baselines/zoo.json}, read once: what the default test
 * run gates the zoo's cases and trajectories against. Recorded by {@code scripts/record-baseline.sh}.
 */
public final class CommittedBaseline {

    /** The committed file, from the module's directory (where Surefire runs the tests). */
    public static final Path FILE = Path.of("..", "baselines", "zoo.json");

    private static ErrorBaseline zoo;

    private CommittedBaseline() {
    }

    /** The committed baseline. */
    public static synchronized ErrorBaseline zoo() {
        if (zoo == null) {
            zoo = BaselineFile.read(FILE);
        }
        return zoo;
    }
}
