package org.paritysuite.harness.html;

/**
 * One layer's errors beside their tolerances, forward and backward: a point of a case's per-layer
 * chart. The <em>inherited</em> error is what the layer's output carries, including everything it
 * was fed; the <em>local</em> error is what the layer adds by itself (from a layer-by-layer run fed
 * the same input on both sides). Errors and tolerances are in the tensor's scale
 * ({@link LayerErrorMapping} says how each is taken); NaN means absent and is not drawn.
 *
 * @param layer              the layer's name ({@code loss} for the loss)
 * @param inheritedForward   the error of the layer's output (an activation, the output, the loss)
 * @param localForward       the part of it the layer adds itself (per-layer isolation); NaN when the case was not isolated
 * @param forwardTolerance   the output's tolerance
 * @param inheritedBackward  the worst error of the gradients of the layer's parameters
 * @param localBackward      the part the layer's own backward pass adds; NaN when the case was not isolated
 * @param backwardTolerance  that gradient's tolerance
 */
public record LayerChartRow(String layer, double inheritedForward, double localForward, double forwardTolerance,
                          double inheritedBackward, double localBackward, double backwardTolerance) {
}
