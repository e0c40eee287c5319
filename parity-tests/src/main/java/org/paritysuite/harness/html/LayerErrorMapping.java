package org.paritysuite.harness.html;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.paritysuite.harness.isolation.Isolation;
import org.paritysuite.harness.isolation.LayerErrors;
import org.paritysuite.fixtures.run.TensorKind;
import org.paritysuite.fixtures.spec.LayerSpec;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.ParameterSpec;
import org.paritysuite.harness.compare.TensorCheck;
import org.paritysuite.harness.compare.TensorComparison;
import org.paritysuite.harness.run.CaseResult;

/**
 * The one place a case's checks become {@link LayerChartRow}, so that a new measure (the local
 * errors of layer-by-layer runs) changes this class alone.
 *
 * <p>An error is the tensor's {@link TensorComparison#scaledError() scaled error},
 * {@code max|a - e| / max|e|}. Its tolerance is the scaled error at which the tensor would reach
 * its tolerance if every difference grew in proportion, {@code scaledError / errorRatio}: so a
 * point lies above its tolerance exactly when the check failed, although the rule itself is per
 * element ({@code |a - e| <= atol + rtol |e|}). A tensor whose sides agree to the last bit has no
 * such ratio; its tolerance is then the allowance at its largest element, {@code (atol + rtol
 * max|e|) / max|e|}, and its error 0, which a log scale does not draw.
 *
 * <p>Rows follow the spec's layers (a layer without parameters or traced output is left out),
 * the output layer's forward error is the output's ({@code probs}), and the loss comes last. A
 * layer's backward error is its worst parameter gradient's, the one that uses the greatest share
 * of its tolerance.
 *
 * <p>Local errors come from per-layer isolation ({@link Isolation}), when the case was isolated
 * (a failing case always is; every case with {@code verify --isolate}): forward, the layer's output
 * run on the reference's input; backward, the worst of its input gradient and parameter gradients
 * run on the reference's input and incoming gradient; each as a scaled error. Without isolation
 * they are NaN, and the chart draws the whole-model errors alone.
 */
public final class LayerErrorMapping {

    private LayerErrorMapping() {
    }

    /** The per-layer errors of {@code result}, a case of {@code spec}. */
    public static List<LayerChartRow> of(ModelSpec spec, CaseResult result) {
        Map<String, TensorCheck> forward = new LinkedHashMap<>();
        Map<String, TensorCheck> backward = new LinkedHashMap<>();
        Map<String, String> layerOfParameter = new LinkedHashMap<>();
        for (ParameterSpec p : spec.parameters()) {
            layerOfParameter.put(p.name(), p.layer());
        }
        String output = spec.outputLayer().name();
        TensorCheck loss = null;
        for (TensorCheck c : result.checks()) {
            switch (c.kind()) {
                case ACTIVATION -> forward.put(c.tensor(), c);
                case PROBS -> forward.put(output, c);
                case LOSS -> loss = c;
                case GRADIENT -> backward.merge(layerOfParameter.getOrDefault(c.tensor(), c.tensor()), c,
                        (a, b) -> b.comparison().errorRatio() > a.comparison().errorRatio() ? b : a);
                case WEIGHT -> {
                    // Moving statistics after a training pass: no layer's forward or backward error.
                }
            }
        }
        List<LayerChartRow> rows = new ArrayList<>();
        for (LayerSpec layer : spec.layers()) {
            TensorCheck f = forward.get(layer.name());
            TensorCheck b = backward.get(layer.name());
            Optional<LayerErrors> local = result.isolation().flatMap(i -> i.of(layer.name()));
            if (f != null || b != null) {
                rows.add(new LayerChartRow(layer.name(), error(f),
                        local.map(l -> l.localForward().scaledError()).orElse(Double.NaN), tolerance(f), error(b),
                        local.map(l -> l.worstLocalBackward().scaledError()).orElse(Double.NaN), tolerance(b)));
            }
        }
        if (loss != null) {
            rows.add(new LayerChartRow(TensorKind.LOSS.jsonName(), error(loss), Double.NaN, tolerance(loss),
                    Double.NaN, Double.NaN, Double.NaN));
        }
        return rows;
    }

    private static double error(TensorCheck check) {
        return check == null ? Double.NaN : check.comparison().scaledError();
    }

    private static double tolerance(TensorCheck check) {
        return check == null ? Double.NaN : tolerance(check.comparison());
    }

    /**
     * The scaled error at which {@code c} would reach its tolerance if every difference grew in
     * proportion (see the class comment); for exact agreement the allowance at the largest element.
     */
    static double tolerance(TensorComparison c) {
        double error = c.scaledError();
        if (error > 0 && c.errorRatio() > 0 && Double.isFinite(c.errorRatio())) {
            return error / c.errorRatio();
        }
        return c.scale() > 0 ? c.tolerance().allowed(c.scale()) / c.scale() : Double.NaN;
    }
}
