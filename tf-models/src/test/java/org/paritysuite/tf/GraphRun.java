package org.paritysuite.tf;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * Builds a small graph from tensorflow-framework's own classes, runs it once and reads every fetched
 * tensor back as a flat {@code double[]} (row-major). For the tests of the framework's APIs, which
 * compare what a TensorFlow Java user gets with numbers computed in Java.
 */
final class GraphRun {

    private GraphRun() {
    }

    /** The values of the operands {@code build} returns, in order, from one session run of a fresh graph. */
    static List<double[]> fetch(Function<Ops, List<? extends Operand<?>>> build) {
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Session.Runner runner = session.runner();
            build.apply(Ops.create(graph)).forEach(runner::fetch);
            try (Result result = runner.run()) {
                List<double[]> values = new ArrayList<>();
                for (int i = 0; i < result.size(); i++) {
                    values.add(values(result.get(i)));
                }
                return values;
            }
        }
    }

    /** The value of the one operand {@code build} returns. */
    static double[] fetchOne(Function<Ops, Operand<?>> build) {
        return fetch(tf -> List.of(build.apply(tf))).get(0);
    }

    /** A float32 or float64 tensor's elements in row-major order, as doubles. */
    static double[] values(Tensor tensor) {
        int n = Math.toIntExact(tensor.shape().size());
        double[] out = new double[n];
        if (tensor instanceof TFloat64 t) {
            t.asRawTensor().data().asDoubles().read(out);
        } else if (tensor instanceof TFloat32 t) {
            float[] floats = new float[n];
            t.asRawTensor().data().asFloats().read(floats);
            for (int i = 0; i < n; i++) {
                out[i] = floats[i];
            }
        } else {
            throw new IllegalArgumentException("expected a float32 or float64 tensor, found " + tensor.dataType());
        }
        return out;
    }
}
