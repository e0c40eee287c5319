package org.paritysuite.harness.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * What one run of the command line printed and returned, for the CLI tests.
 *
 * @param status the exit status
 * @param out    standard output
 * @param err    standard error
 */
record CliRun(int status, String out, String err) {

    /** Runs {@code parity ARGS} in-process. */
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = ParityCli.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new CliRun(status, out.toString(), err.toString());
    }
}
