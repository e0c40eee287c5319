package org.paritysuite.reference.optim;

import java.util.Arrays;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.factory.Nd4j;
import org.paritysuite.fixtures.Doubles;

/**
 * What every optimizer here shares: argument checks, the step counter, the slots, and the walk over
 * every element.
 *
 * <p>A step: check that the gradients match the weights (names, shapes, data type); on the first
 * step create each weight's slots ({@link #createSlots}, as tensorflow-framework's
 * {@code createSlots}); compute the step's scalar coefficients once ({@link #prepare}, as
 * tensorflow-framework's {@code prepare}); update every weight ({@link #update}, as
 * {@code applyDense}); then count the step ({@code finish}). Weights are visited in name order so
 * a run is reproducible.
 *
 * <p>Every update rule here is element-wise, so a subclass writes it as one loop over the
 * elements, each operation in the data type ({@link Scalars}): the values it gets are Java
 * {@code double}s, rounded to float32 after every operation in a float32 run, which is float32
 * arithmetic. Why not ND4J's whole-array operations: Adam's {@code m.add(g.sub(m).mul(c))} and
 * the ten operations after it each read and write every element once more, and a trajectory step
 * runs five update rules over up to 1.5 million weights; the one loop per weight was five times
 * faster (docs/performance.md, "Element-wise update rules").
 */
abstract class SlotOptimizer implements Optimizer {

    /**
     * Each thread's value arrays: the weight, its gradient, then its slots (up to five in all); grown,
     * never shrunk. Not {@code Doubles.scratch}'s four slots: a caller may hold those across a step.
     */
    private static final ThreadLocal<List<double[]>> VALUES = ThreadLocal.withInitial(ArrayList::new);

    /** Arithmetic and constants in the optimizer's data type. */
    protected final Scalars s;
    private final String name;
    private final Map<String, INDArray> slots = new LinkedHashMap<>();
    /** The values of the slots of the weight being updated, by slot key; empty between updates. */
    private final Map<String, double[]> slotValues = new HashMap<>();
    private Set<String> weightNames;
    private int iterations;

    SlotOptimizer(String name, DataType dataType) {
        this.name = name;
        this.s = Scalars.of(dataType);
    }

    @Override
    public final void step(Map<String, INDArray> weights, Map<String, INDArray> gradients) {
        String where = name + ".step (t=" + (iterations + 1) + ")";
        if (weights == null || gradients == null) {
            throw new IllegalArgumentException(where + ": weights and gradients must be given");
        }
        Set<String> names = new TreeSet<>(weights.keySet());
        if (!names.equals(new TreeSet<>(gradients.keySet()))) {
            throw new IllegalArgumentException(where + ": gradients must be given for exactly the weights " + names
                    + ", found gradients for " + new TreeSet<>(gradients.keySet()));
        }
        if (weightNames != null && !weightNames.equals(names)) {
            throw new IllegalArgumentException(where + ": the weights must be the same every step, expected "
                    + weightNames + ", found " + names);
        }
        for (String weight : names) {
            check(where, weight, weights.get(weight), gradients.get(weight));
        }
        if (weightNames == null) {
            weightNames = names;
            // Slots live from step to step: never in a caller's scratch memory (ScratchMemory).
            try (MemoryWorkspace ordinary = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                for (String weight : names) {
                    createSlots(weight, weights.get(weight));
                }
            }
        }
        int t = iterations + 1;
        prepare(t);
        for (String weight : names) {
            weights.put(weight, updated(weight, weights.get(weight), gradients.get(weight)));
        }
        iterations = t;
    }

    /**
     * The updated weight, a new array in the caller's memory (its scratch scope, if one is open, like
     * the result of any ND4J operation); the weight's slots are updated in place. The values go out
     * of native memory into this thread's arrays, through {@link #update}, and back.
     */
    private INDArray updated(String weight, INDArray w, INDArray g) {
        List<double[]> values = VALUES.get();
        int n = Math.toIntExact(w.length());
        double[] wValues = values(values, 0, w);
        double[] gValues = values(values, 1, g);
        String prefix = weight + "/";
        int next = 2;
        for (Map.Entry<String, INDArray> slot : slots.entrySet()) {
            if (slot.getKey().startsWith(prefix)) {
                slotValues.put(slot.getKey(), values(values, next++, slot.getValue()));
            }
        }
        try {
            update(weight, wValues, gValues, n);
            for (Map.Entry<String, double[]> slot : slotValues.entrySet()) {
                Doubles.write(slot.getValue(), slots.get(slot.getKey()));
            }
        } finally {
            slotValues.clear();
        }
        INDArray out = Nd4j.createUninitialized(dataType(), w.shape(), 'c');
        Doubles.write(wValues, out);
        return out;
    }

    /** The values of {@code array} in this thread's value array number {@code index}. */
    private static double[] values(List<double[]> values, int index, INDArray array) {
        while (values.size() <= index) {
            values.add(new double[0]);
        }
        double[] filled = Doubles.into(array, values.get(index));
        values.set(index, filled);
        return filled;
    }

    private void check(String where, String weight, INDArray w, INDArray g) {
        if (w == null || g == null) {
            throw new IllegalArgumentException(where + ": " + weight + " has no " + (w == null ? "weight" : "gradient"));
        }
        if (w.dataType() != dataType() || g.dataType() != dataType()) {
            throw new IllegalArgumentException(where + ": " + weight + " must be " + dataType() + ", found weight "
                    + w.dataType() + " and gradient " + g.dataType());
        }
        if (!Arrays.equals(w.shape(), g.shape())) {
            throw new IllegalArgumentException(where + ": the gradient of " + weight + " must have the weight's shape "
                    + Arrays.toString(w.shape()) + ", found " + Arrays.toString(g.shape()));
        }
    }

    /** Creates the slots of one weight, e.g. {@code createSlot(weight, "m", w, 0)}. */
    protected abstract void createSlots(String weight, INDArray w);

    /** Computes the scalar coefficients of step {@code t} (1 on the first step), shared by all weights. */
    protected void prepare(int t) {
    }

    /**
     * Updates one weight: element {@code i < n} of {@code w} holds the weight and receives its updated
     * value, {@code g[i]} is its gradient, and {@link #slot(String, String)} gives each slot's values,
     * to be updated in place. The arrays may be longer than {@code n}.
     */
    protected abstract void update(String weight, double[] w, double[] g, int n);

    /** The values of the slot {@code <weight>/<slotName>}, to read and update in place; only inside {@link #update}. */
    protected final double[] slot(String weight, String slotName) {
        double[] values = slotValues.get(weight + "/" + slotName);
        if (values == null) {
            throw new IllegalStateException(name + ": no slot " + weight + "/" + slotName + " in this update");
        }
        return values;
    }

    /**
     * Creates the slot {@code <weight>/<slotName>}: an array of {@code w}'s shape and type filled with
     * {@code value} (tensorflow-framework's {@code tf.fill}).
     */
    protected final void createSlot(String weight, String slotName, INDArray w, double value) {
        slots.put(weight + "/" + slotName, Nd4j.createUninitialized(dataType(), w.shape(), 'c').assign(s.c(value)));
    }

    @Override
    public final Map<String, INDArray> slots() {
        return Collections.unmodifiableMap(slots);
    }

    @Override
    public final int iterations() {
        return iterations;
    }

    @Override
    public final DataType dataType() {
        return s.dataType();
    }
}
