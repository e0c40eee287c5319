package org.paritysuite.reference;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.run.NamedTensor;
import org.paritysuite.fixtures.run.TensorKind;
import org.paritysuite.fixtures.run.Trace;
import org.paritysuite.fixtures.run.TrainableRunner;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.ParameterSpec;
import org.paritysuite.fixtures.weights.WeightSet;
import org.paritysuite.reference.optim.Optimizer;
import org.paritysuite.reference.optim.Optimizers;

/**
 * Training on the reference side: a minibatch step is
 * <pre>
 *   trace = model(w).forwardBackward(batch)        gradients at the current weights
 *   w     = optimizer.step(w, trace.gradients)     the hand-written update rule
 *   moving statistics = trace's updated values     batch normalization, training batch only
 * </pre>
 * Weights are held in TensorFlow layout in the precision of the run (float32 values survive the
 * float64 {@link WeightSet} exactly), and the {@link ReferenceModel} is rebuilt from them each step,
 * so a step is nothing but {@code forwardBackward} plus the optimizer.
 */
public final class ReferenceTrainer implements TrainableRunner {

    private final ModelSpec spec;
    private final Precision precision;
    private final Optimizer optimizer;
    private final Map<String, INDArray> weights = new LinkedHashMap<>();

    private ReferenceTrainer(ModelSpec spec, WeightSet initial, Precision precision, Optimizer optimizer) {
        this.spec = spec;
        this.precision = precision;
        this.optimizer = optimizer;
        WeightSet checked = initial.checkedAgainst(spec, "initial weights of '" + spec.name() + "'");
        for (String name : checked.names()) {
            // detach(): ordinary memory even when built inside a scratch scope (step() writes these arrays in place)
            weights.put(name, checked.get(name).castTo(precision.dataType()).detach());
        }
    }

    /** A trainer with the spec's optimizer under the reference's default conventions (the published algorithms). */
    public static ReferenceTrainer build(ModelSpec spec, WeightSet initial, Precision precision) {
        return new ReferenceTrainer(spec, initial, precision,
                Optimizers.create(spec.training().optimizerSpec(), precision.dataType()));
    }

    @Override
    public String side() {
        return ReferenceModel.SIDE;
    }

    @Override
    public Precision precision() {
        return precision;
    }

    /** A forward and backward pass at the current weights; changes nothing. */
    @Override
    public Trace forwardBackward(Batch batch) {
        try (ReferenceModel model = ReferenceModel.build(spec, WeightSet.of(weights), precision)) {
            return model.forwardBackward(batch);
        }
    }

    @Override
    public Trace step(Batch batch) {
        Trace pass = forwardBackward(batch);
        Map<String, INDArray> trainable = new LinkedHashMap<>();
        Map<String, INDArray> gradients = new LinkedHashMap<>();
        for (ParameterSpec p : spec.parameters()) {
            if (p.trainable()) {
                trainable.put(p.name(), weights.get(p.name()));
                gradients.put(p.name(), pass.find(TensorKind.GRADIENT.jsonName() + "/" + p.name()).orElseThrow().value());
            }
        }
        optimizer.step(trainable, gradients);
        // The weights live from step to step in this trainer's own arrays, written in place: the new values may
        // be in a caller's scratch memory (ScratchMemory), and a new array per weight and step is fresh memory,
        // which the kernel zero-fills page by page (docs/performance.md).
        trainable.forEach((name, value) -> weights.get(name).assign(value));
        for (NamedTensor t : pass.ofKind(TensorKind.WEIGHT)) {
            weights.get(t.name()).assign(t.value());              // batch normalization's moving statistics
        }
        Trace.Builder trace = Trace.builder();
        pass.tensors().forEach(t -> trace.add(t.name(), t.kind(), t.value()));
        trainable.forEach((name, value) -> trace.add(name, TensorKind.WEIGHT, value.dup()));
        optimizer.slots().forEach((name, value) -> trace.add(name, TensorKind.WEIGHT, value.dup()));
        return trace.build();
    }

    /** The current weights, TensorFlow layout, in the run's precision. */
    public WeightSet weights() {
        return WeightSet.of(weights);
    }

    @Override
    public void close() {
        // nothing native to release: ND4J arrays are freed by the garbage collector
    }
}
