/**
 * The reference's optimizer update rules, written out by hand: one class per optimizer, each with
 * its formula and sources (the paper, and the TensorFlow kernel or tensorflow-framework class it
 * mirrors) in its Javadoc. Readable reference first, fast second.
 *
 * <h2>Conventions are options, not accidents</h2>
 *
 * <p>Where libraries disagree on a convention, the class names each choice in an enum of its
 * {@code Config} record, defaults to TensorFlow's and says where TensorFlow writes it:
 * <ul>
 *   <li>{@link org.paritysuite.reference.optim.Momentum.Nesterov}: TensorFlow's {@code use_nesterov}
 *       form (weights hold the look-ahead point) or Sutskever et al.'s textbook form;</li>
 *   <li>{@link org.paritysuite.reference.optim.RMSProp.EpsilonPlacement} (inside the square root in
 *       TensorFlow's kernels, outside in Keras 2 and PyTorch) and
 *       {@link org.paritysuite.reference.optim.RMSProp.InitialMeanSquare} (ones in
 *       tensorflow-framework and TF 1, zeros in tf.keras and PyTorch);</li>
 *   <li>{@link org.paritysuite.reference.optim.Adam.EpsilonPlacement}: TensorFlow's "epsilon hat"
 *       or the paper's Algorithm 1;</li>
 *   <li>{@link org.paritysuite.reference.optim.AdaGrad.Kernel}: {@code ApplyAdagrad} without epsilon
 *       (tensorflow-framework) or {@code ApplyAdagradV2} with one (tf.keras);</li>
 *   <li>{@link org.paritysuite.reference.optim.Nadam.Schedule}: the published schedule (default) or
 *       tensorflow-framework's, which freezes the step number when the training op is built; that
 *       departure from the paper is a known TensorFlow-side divergence and is reported as one.</li>
 * </ul>
 *
 * <h2>Arithmetic</h2>
 *
 * <p>Everything is computed in the weights' data type, with every operation rounded to the type
 * ({@code Scalars}): the update of each element in a loop over the weight (each line quoting the
 * kernel's whole-tensor expression it computes; a choice between variants, such as Adam's epsilon
 * placement, made once outside it, since a switch per element kept the float32 loops several times
 * slower), and the scalar coefficients (Adam's
 * {@code lr_t}, Nadam's schedule) once per step; hyperparameters are constants of that type (they are float32-representable, as
 * tensorflow-framework takes them as {@code float}). Expressions follow the TensorFlow kernels'
 * order of operations (e.g. {@code m + (g - m) * (1 - beta1)}), so float32 rounding can match.
 * Where TensorFlow itself computes in float32 whatever the variables' type (Adam's
 * {@code beta1_power}, tensorflow-framework's Nadam schedule), so does the reference, with a NOTE.
 *
 * <p>Weights and gradients travel in maps from TensorFlow's variable names ({@code dense/kernel}) to
 * arrays in the canonical TensorFlow layout; slots are named {@code <variable>/<slot>} as in
 * tensorflow-framework ({@code dense/kernel/m}).
 */
package org.paritysuite.reference.optim;
