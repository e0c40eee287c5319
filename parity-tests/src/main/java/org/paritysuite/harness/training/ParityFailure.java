package org.paritysuite.harness.training;

/**
 * The two sides disagree in a way that stops the run (one side's values became NaN or infinite
 * while the other's stayed finite). The command line reports its message and exits 1, like any
 * parity failure.
 */
public class ParityFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ParityFailure(String message) {
        super(message);
    }
}
