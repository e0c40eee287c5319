package org.paritysuite.harness.cli;

import java.io.PrintWriter;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.harness.training.ParityFailure;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code parity} command line: {@code verify} runs parity checks and gates CI by its exit
 * status, {@code export} writes one case as files NumPy can open, {@code explain} summarises a model,
 * {@code bench} times both sides, {@code train} trains both sides in lockstep for whole epochs.
 *
 * <p>Exit status: 0 all checks passed, 1 a check failed, 2 bad input (a spec, weight or data
 * file, or an argument). Bad input is one line on stderr; {@code --verbose} adds the stack trace.
 */
@Command(name = "parity", mixinStandardHelpOptions = true, version = "parity 0.1.0",
        description = "Parity verification of TensorFlow Java against a hand-written ND4J reference.",
        subcommands = {VerifyCommand.class, ExportCommand.class, ExplainCommand.class, BenchCommand.class,
                TrainCommand.class})
public final class ParityCli implements Runnable {

    /** Exit status when every check passed. */
    public static final int PASSED = 0;
    /** Exit status when a parity check failed. */
    public static final int FAILED = 1;
    /** Exit status on bad input. */
    public static final int BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: verify, export, explain, bench or train");
    }

    /** Runs the command line on standard output and error and returns its exit status. */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs the command line, writing to {@code out} and {@code err}, and returns its exit status. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new ParityCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(ParityCli::handle);
        cli.setParameterExceptionHandler((ex, a) -> {
            PrintWriter errors = ex.getCommandLine().getErr();
            errors.println("parity: " + ex.getMessage());
            errors.println("Try 'parity " + ex.getCommandLine().getCommandName() + " --help'.");
            return BAD_INPUT;
        });
        int status = cli.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        boolean verbose = parsed.subcommand() != null && parsed.subcommand().hasMatchedOption("--verbose");
        PrintWriter err = cli.getErr();
        if (e instanceof FixtureException) {
            err.println("parity: " + e.getMessage());
            if (verbose) {
                e.printStackTrace(err);
            }
            return BAD_INPUT;
        }
        if (e instanceof ParityFailure) {
            err.println("parity: FAIL: " + e.getMessage());
            return FAILED;
        }
        err.println("parity: internal error: " + e);
        if (verbose) {
            e.printStackTrace(err);
        } else {
            err.println("(run with --verbose for the stack trace)");
        }
        return FAILED;
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }
}
