package org.paritysuite.harness.run;

import org.paritysuite.fixtures.run.Side;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.run.ModelRunner;
import org.paritysuite.fixtures.run.NamedTensor;
import org.paritysuite.fixtures.run.TensorKind;
import org.paritysuite.fixtures.run.Trace;

/** A side made wrong on purpose: one traced tensor scaled, replaced or added, everything else honest. */
public final class CorruptedSide {

    private CorruptedSide() {
    }

    /** {@code inner}, with the tensor under {@code key} (e.g. {@code gradient/dense/kernel}) times {@code factor}. */
    public static Side scaling(Side inner, String key, double factor) {
        return replacing(inner, key, value -> value.mul(factor));
    }

    /** {@code inner}, with the tensor under {@code key} replaced by {@code corruption} of it. */
    public static Side replacing(Side inner, String key, UnaryOperator<INDArray> corruption) {
        return tracing(inner, trace -> {
            Trace.Builder corrupted = Trace.builder();
            for (NamedTensor t : trace.tensors()) {
                corrupted.add(t.name(), t.kind(), t.key().equals(key) ? corruption.apply(t.value()) : t.value());
            }
            return corrupted.build();
        });
    }

    /** {@code inner}, tracing one more tensor, which the other side does not. */
    public static Side adding(Side inner, String name, TensorKind kind, INDArray value) {
        return tracing(inner, trace -> {
            Trace.Builder more = Trace.builder();
            trace.tensors().forEach(t -> more.add(t.name(), t.kind(), t.value()));
            return more.add(name, kind, value).build();
        });
    }

    private static Side tracing(Side inner, UnaryOperator<Trace> change) {
        return (spec, weights, precision) -> new Runner(inner.build(spec, weights, precision), change);
    }

    private record Runner(ModelRunner inner, UnaryOperator<Trace> change) implements ModelRunner {

        @Override
        public String side() {
            return inner.side();
        }

        @Override
        public Precision precision() {
            return inner.precision();
        }

        @Override
        public Trace forwardBackward(Batch batch) {
            return change.apply(inner.forwardBackward(batch));
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
