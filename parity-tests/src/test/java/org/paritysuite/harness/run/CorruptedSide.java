package org.paritysuite.harness.run;

import org.paritysuite.fixtures.run.Side;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.run.ModelRunner;
import org.paritysuite.fixtures.run.NamedTensor;
import org.paritysuite.fixtures.run.Trace;

/** A side made wrong on purpose: one traced tensor scaled by a factor, everything else honest. */
final class CorruptedSide {

    private CorruptedSide() {
    }

    /** {@code inner}, with the tensor under {@code key} (e.g. {@code gradient/dense/kernel}) times {@code factor}. */
    static Side scaling(Side inner, String key, double factor) {
        return (spec, weights, precision) -> new Runner(inner.build(spec, weights, precision), key, factor);
    }

    private record Runner(ModelRunner inner, String key, double factor) implements ModelRunner {

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
            Trace.Builder corrupted = Trace.builder();
            for (NamedTensor t : inner.forwardBackward(batch).tensors()) {
                corrupted.add(t.name(), t.kind(), t.key().equals(key) ? t.value().mul(factor) : t.value());
            }
            return corrupted.build();
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
