package org.paritysuite.tf;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.framework.optimizers.Adam;
import org.tensorflow.framework.optimizers.Optimizer;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The reproducer of a known tensorflow-framework defect (1.0.0 and 1.1.0), read off the graph rather than off
 * a lucky schedule: in the graph that {@code Adam.applyGradients} builds, the {@code Assign} that
 * advances {@code beta1_power} does not depend (through data or control edges) on the
 * {@code ApplyAdam} that reads {@code beta1_power}, so one session run may execute them in either
 * order. {@link OrderedAdam} is the workaround the TensorFlow side uses.
 *
 * <p>{@link #reproduces()} turns false the day tensorflow-framework orders the two; the suite then
 * reports the known defect as fixed (and the workaround can go).
 */
public final class FrameworkAdamRace {

    private FrameworkAdamRace() {
    }

    /** Whether tensorflow-framework's Adam still leaves its beta-power update unordered after ApplyAdam. */
    public static boolean reproduces() {
        return leavesBetaPowerUnordered(Adam::new);
    }

    /**
     * Whether the Adam that {@code create} builds on a one-variable graph leaves the
     * {@code beta1_power} update unordered after its {@code ApplyAdam}.
     */
    static boolean leavesBetaPowerUnordered(java.util.function.Function<Graph, Optimizer> create) {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Variable<TFloat32> w = tf.withName("w").variable(tf.constant(new float[] {1f, 2f}));
            Optimizer adam = create.apply(graph);
            adam.applyGradients(List.of(new Optimizer.GradAndVar<>(tf.math.mul(tf.constant(2f), w).asOutput(),
                    w.asOutput())), "train");
            GraphOperation applyAdam = null;
            GraphOperation advance = null;
            for (var it = graph.operations(); it.hasNext(); ) {
                GraphOperation op = (GraphOperation) it.next();
                if (op.type().equals("ApplyAdam")) {
                    applyAdam = op;
                } else if (op.type().equals("Assign") && op.input(0).op().name().endsWith("beta1_power")
                        && op.input(1).op().type().equals("Mul")) {
                    advance = op;
                }
            }
            if (applyAdam == null || advance == null) {
                throw new IllegalStateException("tensorflow-framework's Adam graph has changed shape (ApplyAdam "
                        + (applyAdam != null) + ", beta1_power update " + (advance != null) + "); re-examine the"
                        + " known defect by hand");
            }
            return !dependsOn(advance, applyAdam);
        }
    }

    /** Whether {@code op} reaches {@code ancestor} through its data and control inputs. */
    private static boolean dependsOn(GraphOperation op, GraphOperation ancestor) {
        Deque<GraphOperation> open = new ArrayDeque<>(List.of(op));
        Set<String> seen = new HashSet<>();
        while (!open.isEmpty()) {
            GraphOperation next = open.pop();
            if (!seen.add(next.name())) {
                continue;
            }
            if (next.name().equals(ancestor.name())) {
                return true;
            }
            for (int i = 0; i < next.numInputs(); i++) {
                open.push((GraphOperation) next.input(i).op());
            }
            open.addAll(next.controlInputs());
        }
        return false;
    }
}
