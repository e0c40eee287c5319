/**
 * The reference side of the parity suite: a small neural network written out by hand, one class
 * per layer, activation and loss, with ND4J used as an array library and nothing more.
 *
 * <h2>Readable reference first, fast second</h2>
 *
 * <p>This package is the textbook the TensorFlow side is checked against. When the two disagree
 * somebody has to read this code and convince themselves it is right, so every choice here is made
 * for the reader: each class is a {@link org.paritysuite.reference.Layer#forward forward} and a
 * {@link org.paritysuite.reference.Layer#backward backward} standing next to each other; the
 * Javadoc gives the formula and the shape of every array; every line of a backward pass carries a
 * comment that quotes the forward line it reverses ("in the forward pass this was: out = x W + b,
 * so now: dX = dOut W^T"); ND4J operations are the plain, non-in-place ones ({@code mmul},
 * {@code mul}, {@code sub}, {@code sum(keepDims, axis)}), never the {@code i}-suffixed in-place
 * variants. No automatic differentiation is used anywhere: no SameDiff, no DL4J, no ND4J layer or
 * activation-function classes. Element-wise maths ({@code Transforms.exp}, {@code log},
 * {@code tanh}, {@code sigmoid}, {@code max}) and matrix multiplication are all it borrows.
 * Speed is welcome only where it costs no clarity: a forward and backward pass of a zoo multilayer
 * perceptron takes milliseconds, and the one concession to speed, {@link org.paritysuite.reference.Conv2D}'s
 * im2col + GEMM (with {@link org.paritysuite.reference.Conv2DNaive}'s seven loops as its test
 * oracle), keeps a pass of the largest zoo CNN (ds541-cnn-a, batch 64) near a second on two cores.
 *
 * <h2>Shape legend</h2>
 *
 * <p>One set of letters for the whole package, as in llm.c:
 * <pre>
 *   N       batch size (examples, one per row)
 *   D       input features of a layer
 *   M       output units of a layer
 *   K       classes (the width of the labels and of the model's output)
 *   C       channels of an image (input channels of a convolution)
 *   H, W    height and width of an image
 *   F       filters of a convolution (its output channels)
 *   KH, KW  height and width of a convolution kernel or a pooling window
 *   H', W'  height and width of a convolution's or pooling's output:
 *           H' = floor((H + padTop + padBottom - KH) / sh) + 1, likewise W' (see SlidingWindow)
 *   m       the number of values batch normalization averages per channel: N for [N, D], N*H*W for images
 * </pre>
 * Shapes are written {@code [N, D]} (row-major, examples along the first axis); a bias is the
 * rank-1 {@code [M]}; a loss is a rank-0 scalar {@code []}. Images are NCHW {@code [N, C, H, W]}
 * and convolution kernels {@code [F, C, KH, KW]} inside this package (the textbook layout), NHWC
 * {@code [N, H, W, C]} and {@code [KH, KW, C, F]} outside it (TensorFlow's);
 * {@link org.paritysuite.reference.WeightLayout} and {@link org.paritysuite.reference.TensorLayout}
 * convert at the boundary.
 *
 * <h2>Conventions</h2>
 *
 * <ul>
 *   <li>Gradients are named after what they are the gradient of: {@code dOut} is the gradient of
 *       the loss with respect to a layer's output, {@code dX}, {@code dW}, {@code dB} with respect
 *       to its input, kernel and bias.</li>
 *   <li>{@code forward} caches exactly what {@code backward} needs (a Dense layer its input, a
 *       sigmoid its output, a ReLU its input) and nothing more. One {@code backward} follows one
 *       {@code forward}; gradients are overwritten, not accumulated, because in a chain of layers
 *       each parameter is used once.</li>
 *   <li>Precision is the arrays' precision: every array is created with an explicit
 *       {@link org.nd4j.linalg.api.buffer.DataType}, nothing sets ND4J's global default, and a
 *       float32 model does its arithmetic in float32 (constants such as {@code 1e-7} or the leaky
 *       ReLU slope are rounded to the array's type by ND4J's scalar operations, as TensorFlow
 *       rounds its constants).</li>
 *   <li>The layers whose inner loops are written out in Java (Conv2DNaive, col2im, the pooling
 *       layers) read elements as {@code double}s and round every {@code +}, {@code -}, {@code *},
 *       {@code /} to the arrays' type with the package-private {@code Precision.round} helper, so a
 *       float32 loop is float32 arithmetic, not a float64 computation with a float32 result (double
 *       rounding from 53 to 24 bits is innocuous).</li>
 *   <li>Where TensorFlow picks one of several defensible conventions (the ReLU derivative at 0, the
 *       side of 0 the leaky ReLU slope applies to, the gradient of clipping at its bounds) the
 *       reference follows TensorFlow and says so in a {@code NOTE} on the class.</li>
 *   <li>Weights, gradients, batches, dropout masks and traced activations cross the boundary of
 *       this package in the canonical TensorFlow layout; {@link org.paritysuite.reference.WeightLayout}
 *       (with {@link org.paritysuite.reference.TensorLayout} for what is not a parameter) is the one
 *       place that converts, including the row permutation of the first Dense kernel after a
 *       Flatten.</li>
 * </ul>
 *
 * <p>{@link org.paritysuite.reference.ReferenceModel} puts the pieces together behind the suite's
 * {@link org.paritysuite.fixtures.run.ModelRunner} interface, with four package-private pieces:
 * <pre>
 *   Block                      one spec layer as a chain of reference layers, made for one pass
 *   OutputLoss                 the spec's data loss at the last block, where every backward pass starts
 *   LayerwisePass              the one forward and backward walk over the blocks, kept block by block;
 *                              chained (x_k = out_{k-1}, dOut_k = dX_{k+1}) or fed from outside
 *   ReferenceLayerwiseRunner   that walk layer by layer in TensorFlow layout: the model's own pass
 *                              (layers) and every layer on fed values (isolated), for per-layer isolation
 * </pre>
 * Every class here has a centred
 * finite-difference gradient check in the tests, independent of TensorFlow, so that a parity
 * failure can be blamed on the right side.
 */
package org.paritysuite.reference;
