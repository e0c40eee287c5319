package org.paritysuite.harness.compare;

import org.paritysuite.fixtures.Doubles;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.paritysuite.fixtures.run.TensorKind;
import org.paritysuite.fixtures.run.Trace;
import org.paritysuite.fixtures.spec.Activation;
import org.paritysuite.fixtures.spec.LayerSpec;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.Window2D;

/**
 * A point where the function is not differentiable and the two sides, both within tolerance,
 * land on different sides of it. A ReLU (or leaky ReLU) unit whose input lies so close to 0 that
 * one side passes the unit's value on and the other blocks it (or, for a leaky ReLU, scales it by
 * alpha); or a max-pool window whose two largest inputs are so close that the sides pick different
 * winners (both take the first maximum in row-major order, of inputs that differ by rounding). The forward values still agree within
 * tolerance (the unit's output is about 0 on both), but the backward pass routes that example's
 * gradient through the unit on one side only, so the weight gradient jumps by a whole example's
 * contribution. Two correct implementations part here: from this step on, the trajectories are no
 * longer two roundings of one path, and element-wise comparison of later steps proves nothing.
 * In a single pass it is the same jump: the gradients above the crossing fail their tolerance
 * while every forward tensor passes (a {@code CaseResult} or a training step then excuses them).
 *
 * <p>Measured: ist597-mlp, Adam (epsilon 1e-8), float32 on MNIST, step 33: every weight agreed
 * to the last float32 digits after step 32, then one {@code dense/kernel} gradient element
 * differed by 1.3% (8e-5) and the sides parted by 5e-5 a step; the float64 trajectory did not
 * tell the sides apart in a meaningful way (whichever float32 side falls on the float64 side of the
 * kink looks "right"). And ds541-cnn-a, float32 inference pass on Fashion-MNIST, under OpenBLAS's
 * Sandybridge or Prescott kernels: a near-tie in the first max-pool window sent the
 * {@code conv2d/kernel} gradient to 419% of its tolerance (docs/baselines.md).
 */
public final class KinkCrossing {

    private KinkCrossing() {
    }

    /**
     * Whether {@code check}, one of {@code checks}, is a failure that {@code crossing} explains: a
     * gradient outside its tolerance, when a crossing was found and every forward tensor
     * (activations, output, loss) is within its own. A gradient that fails while the forward pass
     * also failed, or with no crossing found, is never excused.
     */
    public static boolean excuses(Optional<String> crossing, TensorCheck check, List<TensorCheck> checks) {
        return !check.passed() && check.kind() == TensorKind.GRADIENT && crossing.isPresent()
                && checks.stream().filter(c -> c.kind() == TensorKind.ACTIVATION || c.kind() == TensorKind.PROBS
                || c.kind() == TensorKind.LOSS).allMatch(TensorCheck::passed);
    }

    /**
     * The crossing that explains the failing gradients among {@code checks}, if any: looked for only
     * when a gradient failed, as that is the only time it matters (and the search reads the traces).
     */
    public static Optional<String> explaining(ModelSpec spec, Trace tensorflow, Trace reference,
                                              List<TensorCheck> checks) {
        boolean gradientFailed = checks.stream().anyMatch(c -> !c.passed() && c.kind() == TensorKind.GRADIENT);
        return gradientFailed ? find(spec, tensorflow, reference, checks) : Optional.empty();
    }

    /**
     * The first element of a ReLU or leaky ReLU activation where the sides fall on different sides
     * of the kink while both are within the check's tolerance of 0, described for a report; empty
     * when there is none.
     */
    public static Optional<String> find(ModelSpec spec, Trace tensorflow, Trace reference, List<TensorCheck> checks) {
        Map<String, TensorCheck> activationChecks = checks.stream().filter(c -> c.kind() == TensorKind.ACTIVATION)
                .collect(Collectors.toMap(TensorCheck::tensor, c -> c, (a, b) -> a));
        List<LayerSpec> layers = spec.layers();
        for (int l = 0; l < layers.size(); l++) {
            LayerSpec layer = layers.get(l);
            Optional<Window2D> pool = layer.maxPoolWindow();
            if (pool.isPresent() && l > 0) {
                TensorCheck input = activationChecks.get(layers.get(l - 1).name());
                Optional<String> tie = input == null ? Optional.empty()
                        : poolTie(pool.get(), layer.name(), layers.get(l - 1).name(), tensorflow, reference, input);
                if (tie.isPresent()) {
                    return tie;
                }
                continue;
            }
            Optional<Activation> kinked = Optional.of(layer.activation()).filter(Activation::hasKink);
            TensorCheck check = activationChecks.get(layer.name());
            if (kinked.isEmpty() || check == null) {
                continue;
            }
            INDArray a = tensorflow.require(TensorKind.ACTIVATION, layer.name());
            INDArray e = reference.require(TensorKind.ACTIVATION, layer.name());
            int n = Math.toIntExact(e.length());
            double[] x = Doubles.scratch(0, a);
            double[] y = Doubles.scratch(1, e);
            for (int i = 0; i < n; i++) {
                boolean crossed = Math.signum(x[i]) != Math.signum(y[i]);
                double allowed = check.comparison().tolerance().allowed(i, y[i]);
                if (crossed && Math.abs(x[i]) <= allowed && Math.abs(y[i]) <= allowed) {
                    return Optional.of(String.format(Locale.ROOT,
                            "%s unit %s of layer '%s': tensorflow %.3g, reference %.3g (both within %.3g of 0)",
                            kinked.get().kind().jsonName(), java.util.Arrays.toString(Shape.ind2subC(e.shape(), i)),
                            layer.name(), x[i], y[i], allowed));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A window {@code win} of the max-pool layer {@code poolName} (input: the activation of layer
     * {@code inputLayer}, NHWC) where the
     * sides' first maxima differ while both sides' two candidates are within the input check's
     * tolerance of each other.
     */
    private static Optional<String> poolTie(Window2D win, String poolName, String inputLayer, Trace tensorflow,
                                            Trace reference, TensorCheck inputCheck) {
        INDArray a = tensorflow.require(TensorKind.ACTIVATION, inputLayer);
        INDArray e = reference.require(TensorKind.ACTIVATION, inputLayer);
        if (a.rank() != 4) {
            return Optional.empty();
        }
        long[] shape = e.shape();
        int n = (int) shape[0];
        int h = (int) shape[1];
        int w = (int) shape[2];
        int c = (int) shape[3];
        double[] x = Doubles.of(a);
        double[] y = Doubles.of(e);
        int[] out = win.outputSize(List.of(h, w, c), poolName);
        int top = win.padding().padBefore(h, win.height(), win.strideH());
        int left = win.padding().padBefore(w, win.width(), win.strideW());
        for (int b = 0; b < n; b++) {
            for (int oh = 0; oh < out[0]; oh++) {
                for (int ow = 0; ow < out[1]; ow++) {
                    for (int ch = 0; ch < c; ch++) {
                        int bestA = -1;
                        int bestE = -1;
                        for (int kh = 0; kh < win.height(); kh++) {
                            int r = oh * win.strideH() - top + kh;
                            for (int kw = 0; kw < win.width(); kw++) {
                                int q = ow * win.strideW() - left + kw;
                                if (r < 0 || r >= h || q < 0 || q >= w) {
                                    continue;
                                }
                                int i = ((b * h + r) * w + q) * c + ch;
                                if (bestA < 0 || x[i] > x[bestA]) {
                                    bestA = i;
                                }
                                if (bestE < 0 || y[i] > y[bestE]) {
                                    bestE = i;
                                }
                            }
                        }
                        if (bestA >= 0 && bestA != bestE) {
                            double allowed = inputCheck.comparison().tolerance().allowed(y[bestE]);
                            if (Math.abs(x[bestA] - x[bestE]) <= allowed && Math.abs(y[bestA] - y[bestE]) <= allowed) {
                                return Optional.of(String.format(Locale.ROOT, "max-pool window [%d, %d, %d, %d] of"
                                        + " layer '%s': tensorflow's winner %s, the reference's %s, their inputs"
                                        + " within %.3g of each other", b, oh, ow, ch, poolName,
                                        java.util.Arrays.toString(Shape.ind2subC(shape, bestA)),
                                        java.util.Arrays.toString(Shape.ind2subC(shape, bestE)), allowed));
                            }
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

}
