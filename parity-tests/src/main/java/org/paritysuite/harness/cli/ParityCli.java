package org.paritysuite.harness.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.nd4j.FencedOpExecutioner;
import org.paritysuite.fixtures.nd4j.ResidentMemoryBound;
import org.paritysuite.fixtures.TerminalText;
import org.paritysuite.harness.output.AtomicOutput;
import org.paritysuite.harness.training.ParityFailure;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code parity} command line: {@code verify} runs parity checks and gates CI by its exit
 * status, {@code export} writes one case as files NumPy can open, {@code explain} summarises a model,
 * {@code bench} times both sides, {@code train} trains both sides in lockstep for whole epochs,
 * {@code drift} compares two reports, {@code merge} makes shards' reports one, {@code costs} measures
 * a report's costs for shard plans, {@code goldens} records golden bundles and checks the reference
 * against them without TensorFlow, {@code fuzz} runs generated models,
 * {@code reduce} shrinks a failing case to a small reproducer.
 *
 * <p>Exit status: 0 all checks passed, 1 a check failed, 2 bad input (a spec, weight or data
 * file, or an argument). Bad input is one line on stderr, {@code parity: ...}, control characters
 * escaped; {@code --verbose} adds the stack trace. Every option is checked, and every output path,
 * before any work starts; every output is written all or nothing ({@code AtomicOutput}).
 */
@Command(name = "parity", mixinStandardHelpOptions = true, version = "parity 0.1.0",
        description = "Parity verification of TensorFlow Java against a hand-written ND4J reference.",
        subcommands = {VerifyCommand.class, ExportCommand.class, ExplainCommand.class, BenchCommand.class,
                TrainCommand.class, DriftCommand.class, MergeCommand.class, CostsCommand.class,
                GoldensCommand.class, FuzzCommand.class, ImportKerasCommand.class,
                ReduceCommand.class})
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
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: verify, export, explain, bench, train, drift, merge, costs, goldens, fuzz, import-keras or reduce");
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
            String command = ex.getCommandLine() == cli ? "parity" : "parity " + ex.getCommandLine().getCommandName();
            error(ex.getCommandLine().getErr(), ex.getMessage() + " (see '" + command + " --help')");
            return BAD_INPUT;
        });
        int status;
        try {
            status = cli.execute(args);
        } catch (OutOfMemoryError e) {
            // Native memory (the bound on the process's resident size, ResidentMemoryBound's or javacpp's) or the
            // Java heap ran out.
            error(err, "out of memory: " + e.getMessage() + "; the bound comes from PARITY_JAVA_OPTS (-Xmx and"
                    + " -Dparity.maxResidentBytes, see docs/performance.md): raise it, or run fewer"
                    + " --threads or a smaller selection");
            status = FAILED;
        }
        out.flush();
        err.flush();
        return status;
    }

    private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        boolean verbose = parsed.subcommand() != null && parsed.subcommand().hasMatchedOption("--verbose");
        PrintWriter err = cli.getErr();
        if (e instanceof FixtureException) {
            error(err, e.getMessage());
            if (verbose) {
                e.printStackTrace(err);
            }
            return BAD_INPUT;
        }
        if (e instanceof ParityFailure) {
            error(err, "FAIL: " + e.getMessage());
            return FAILED;
        }
        error(err, "internal error: " + e + (verbose ? "" : " (run with --verbose for the stack trace)"));
        if (verbose) {
            e.printStackTrace(err);
        }
        return FAILED;
    }

    /**
     * {@code value} of {@code option} when it lies in {@code [min, max]}; otherwise bad input naming
     * the option, the range and why the range is what it is ({@code why}, e.g. " (the shipped subset)").
     */
    static int requireRange(String option, int value, int min, int max, String why) {
        if (value < min || value > max) {
            throw new FixtureException(String.format(java.util.Locale.ROOT, "%s must be %,d to %,d%s, found %,d",
                    option, min, max, why, value));
        }
        return value;
    }

    /**
     * Refuses, before any work, a {@code --json} or {@code --junit} file that could not be written
     * ({@link AtomicOutput#requireFile}), and one file given as both: written after the JSON, the
     * JUnit XML would silently replace it. Either may be null (not asked for).
     */
    static void requireReportFiles(Path json, Path junit) {
        if (json != null) {
            AtomicOutput.requireFile(json, "--json");
        }
        if (junit != null) {
            AtomicOutput.requireFile(junit, "--junit");
            if (json != null && junit.toAbsolutePath().normalize().equals(json.toAbsolutePath().normalize())) {
                throw new FixtureException("--junit " + junit + ": is also the file of --json; expected a file of its own");
            }
        }
    }

    /**
     * Prints {@code message} as the one {@code parity:} line of an error or failure. The one place
     * such lines are printed: messages carry file names and strings from input files, escaped here
     * ({@link TerminalText}) so that none can break the line or forge a line of its own.
     */
    static void error(PrintWriter err, String message) {
        err.println("parity: " + TerminalText.escape(message));
        err.flush();
    }

    public static void main(String[] args) {
        FencedOpExecutioner.install();  // before anything touches ND4J
        try {
            ResidentMemoryBound.bound();   // a bad setting is bad input here, not an error at the first operation
        } catch (IllegalArgumentException e) {
            PrintWriter err = new PrintWriter(System.err, true);
            error(err, e.getMessage());
            System.exit(BAD_INPUT);
        }
        System.exit(execute(args));
    }
}
