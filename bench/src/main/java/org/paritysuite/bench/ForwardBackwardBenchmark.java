package org.paritysuite.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.run.ModelRunner;
import org.paritysuite.fixtures.run.Side;
import org.paritysuite.fixtures.run.Trace;
import org.paritysuite.harness.run.CaseFactory;
import org.paritysuite.harness.run.ParityCase;
import org.paritysuite.harness.wiring.Wiring;

/**
 * One training-mode forward and backward pass of a zoo model on one side, the unit both
 * {@code parity verify}'s cases and its trajectories are made of: the stretch target is
 * the reference's ds541-cnn-a pass at batch 64 within 1.5 times TensorFlow's.
 *
 * <p>Each fork is a JVM configured as {@code ./parity} runs one (the same heap, memory bound and
 * fenced ND4J executioner); {@code scripts/bench.sh} gives it the same environment (TensorFlow's
 * single-threaded determinism, huge pages). The runner is built once per trial, as the harness
 * builds one per model and precision, so graph building and weight copies are not timed. The
 * batch is the spec's {@code batch_size} (64 for ds541-cnn-a) of the shipped test images.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Dparity.maxResidentBytes=2800m",
        "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-Dopexec=org.paritysuite.fixtures.nd4j.FencedOpExecutioner",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.bytedeco.javacpp.logger=slf4j",
        "-Dorg.slf4j.simpleLogger.log.org.bytedeco.javacpp=error"})
public class ForwardBackwardBenchmark {

    /** A zoo model id. */
    @Param("ds541-cnn-a")
    public String model;

    /** mnist or fashion-mnist. */
    @Param("mnist")
    public String dataset;

    /** float32 or float64. */
    @Param({"float32", "float64"})
    public String precision;

    /** tensorflow or reference. */
    @Param({"tensorflow", "reference"})
    public String side;

    private ModelRunner runner;
    private Batch batch;

    @Setup(Level.Trial)
    public void build() {
        ParityCase c = CaseFactory.zooCase(model, Dataset.fromId(dataset), Precision.fromLabel(precision), true);
        Side chosen = switch (side) {
            case "tensorflow" -> Wiring.STANDARD.tensorflow();
            case "reference" -> Wiring.STANDARD.reference();
            default -> throw new IllegalArgumentException("side: expected tensorflow or reference, found " + side);
        };
        runner = chosen.build(c.spec(), c.weights(), c.precision());
        batch = c.batch();
    }

    /** The pass; its trace is returned so that JMH keeps it alive and nothing is optimised away. */
    @Benchmark
    public Trace forwardBackward() {
        return runner.forwardBackward(batch);
    }

    @TearDown(Level.Trial)
    public void close() {
        runner.close();
    }
}
