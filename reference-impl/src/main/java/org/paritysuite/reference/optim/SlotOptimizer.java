package org.paritysuite.reference.optim;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.factory.Nd4j;
import org.paritysuite.fixtures.ScratchMemory;

/**
 * What every optimizer here shares: argument checks, the step counter and the slots.
 *
 * <p>A step: check that the gradients match the weights (names, shapes, data type); on the first
 * step create each weight's slots ({@link #createSlots}, as tensorflow-framework's
 * {@code createSlots}); compute the step's scalar coefficients once ({@link #prepare}, as
 * tensorflow-framework's {@code prepare}); update every weight ({@link #update}, as
 * {@code applyDense}); then count the step ({@code finish}). Weights are visited in name order so
 * a run is reproducible.
 */
abstract class SlotOptimizer implements Optimizer {

    /** The scratch scope of one weight's update ({@link ScratchMemory}). */
    private static final String SCRATCH = "reference-optimizer-update";

    /** Arithmetic and constants in the optimizer's data type. */
    protected final Scalars s;
    private final String name;
    private final Map<String, INDArray> slots = new LinkedHashMap<>();
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
            // Slots live from step to step: never in a caller's scratch memory.
            try (MemoryWorkspace ordinary = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                for (String weight : names) {
                    createSlots(weight, weights.get(weight));
                }
            }
        }
        int t = iterations + 1;
        prepare(t);
        for (String weight : names) {
            // The update's temporaries live in scratch memory; the new weight and slots leave it.
            try (MemoryWorkspace scratch = ScratchMemory.open(SCRATCH)) {
                INDArray updated = update(weight, weights.get(weight), gradients.get(weight));
                weights.put(weight, updated.detach());
                String prefix = weight + "/";
                slots.replaceAll((key, value) -> key.startsWith(prefix) ? value.detach() : value);
            }
        }
        iterations = t;
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

    /** Creates the slots of one weight, e.g. {@code slot(weight, "m", zerosLike(w))}. */
    protected abstract void createSlots(String weight, INDArray w);

    /** Computes the scalar coefficients of step {@code t} (1 on the first step), shared by all weights. */
    protected void prepare(int t) {
    }

    /** The updated weight; reads and replaces the weight's slots. Must not modify {@code w} or {@code g}. */
    protected abstract INDArray update(String weight, INDArray w, INDArray g);

    /** The slot {@code <weight>/<slotName>}. */
    protected final INDArray slot(String weight, String slotName) {
        return slots.get(weight + "/" + slotName);
    }

    /** Sets (creates or replaces) the slot {@code <weight>/<slotName>}. */
    protected final void slot(String weight, String slotName, INDArray value) {
        slots.put(weight + "/" + slotName, value);
    }

    /** An array of {@code w}'s shape and type filled with {@code value} (tensorflow-framework's {@code tf.fill}). */
    protected final INDArray filledLike(INDArray w, double value) {
        return Nd4j.valueArrayOf(w.shape(), s.c(value), dataType());
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
