package org.paritysuite.harness.training;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.ScratchMemory;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.data.ImageSource;
import org.paritysuite.fixtures.data.Split;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.weights.WeightSet;
import org.paritysuite.harness.wiring.Sides;

/**
 * Trains both sides in lockstep from the same weights on the same minibatches (the training split
 * of an {@link ImageSource}, the shipped subset unless {@code --data} says otherwise, in order,
 * wrapping around) with the same dropout masks, and compares after
 * every step: the loss, the gradients applied, the weights after the update and the optimizer's
 * slots. TensorFlow steps with tensorflow-framework's optimizer, the reference with its
 * hand-written update rule ({@link Lockstep}).
 */
public final class TrajectoryHarness {

    /**
     * The scratch scope of one lockstep step ({@link ScratchMemory}): its traces and temporaries, a
     * few hundred megabytes on the larger models, are reused from step to step instead of waiting
     * for the garbage collector; what a side keeps for the next step leaves the scope detached
     * ({@link Lockstep}, the reference trainer, the update rules).
     */
    private static final String STEP = "lockstep-step";

    private TrajectoryHarness() {
    }

    /** {@code steps} lockstep steps of {@code spec} on {@code dataset} from {@code images}, in {@code precision}. */
    public static List<StepResult> run(Sides sides, ModelSpec spec, WeightSet initial, ImageSource images,
                                       Dataset dataset, Precision precision, int steps) {
        Minibatches batches = minibatches(spec, images, dataset, steps);
        List<StepResult> results = new ArrayList<>();
        try (Lockstep lockstep = new Lockstep(sides, spec, initial, dataset.id(), precision)) {
            for (int step = 1; step <= steps; step++) {
                Batch batch = batches.forStep(step);
                try (MemoryWorkspace scope = ScratchMemory.open(STEP)) {
                    results.add(lockstep.step(step, batch));
                }
            }
        }
        return results;
    }

    /**
     * The float64 and float32 trajectories of {@code spec} on {@code dataset}, stepped together:
     * the float64 run's free-running reference is the float32 run's referee, the very trajectory
     * the float32 run would otherwise train a second time. Returns the float64 steps, then the
     * float32 steps.
     */
    public static Twins runTwins(Sides sides, ModelSpec spec, WeightSet initial, ImageSource images,
                                 Dataset dataset, int steps) {
        Minibatches batches = minibatches(spec, images, dataset, steps);
        List<StepResult> float64 = new ArrayList<>();
        List<StepResult> float32 = new ArrayList<>();
        // Each twin's steps are timed apart, so that each trajectory reports its own cost (a shard plan's unit
        // is the pair, costed as the sum).
        long nanos64 = 0;
        long nanos32 = 0;
        try (Lockstep l64 = new Lockstep(sides, spec, initial, dataset.id(), Precision.FLOAT64, false);
             Lockstep l32 = new Lockstep(sides, spec, initial, dataset.id(), Precision.FLOAT32, false)) {
            for (int step = 1; step <= steps; step++) {
                Batch batch = batches.forStep(step);
                try (MemoryWorkspace scope = ScratchMemory.open(STEP)) {
                    long t0 = System.nanoTime();
                    Lockstep.Stepped s64 = l64.step(step, batch, null);
                    float64.add(s64.result());
                    long t1 = System.nanoTime();
                    float32.add(l32.step(step, batch, s64.reference()).result());
                    nanos64 += t1 - t0;
                    nanos32 += System.nanoTime() - t1;
                }
            }
        }
        return new Twins(float64, float32, nanos64 / 1e6, nanos32 / 1e6);
    }

    /**
     * The steps of a float64 trajectory and of its float32 twin, and the wall time each twin's steps
     * took (the float32 twin's without the float64 reference it was refereed by, which its twin computed).
     */
    public record Twins(List<StepResult> float64, List<StepResult> float32, double float64Millis,
                        double float32Millis) {
    }

    /** The training minibatches of {@code spec} on {@code dataset}, for a run of {@code steps} (at least 1). */
    private static Minibatches minibatches(ModelSpec spec, ImageSource images, Dataset dataset, int steps) {
        if (steps < 1) {
            throw new FixtureException("the number of steps must be at least 1, found " + steps);
        }
        return new Minibatches(spec, images.load(dataset, Split.TRAIN), images.name(dataset, Split.TRAIN));
    }
}
