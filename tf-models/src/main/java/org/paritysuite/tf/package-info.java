/**
 * The TensorFlow side of the parity suite: a {@link org.paritysuite.fixtures.spec.ModelSpec} built
 * as a TensorFlow Java graph.
 *
 * <p>Everything numeric here is TensorFlow's own: the layers are TensorFlow ops
 * ({@code MatMul}, {@code Conv2D}, {@code MaxPoolV2}, {@code AvgPool}, {@code BiasAdd},
 * {@code Relu}, {@code LeakyRelu}, ...; batch normalization composed from {@code Mean},
 * {@code SquaredDifference} and {@code Rsqrt} as Keras 3 does it), the data loss comes from
 * tensorflow-framework's loss classes, and the gradients from TensorFlow's autodiff
 * ({@code tf.gradients}). Only randomness is not TensorFlow's: dropout applies keep masks drawn in
 * Java and fed in. Nothing is copied from the reference implementation: when the two sides agree,
 * two independent computations agree.
 *
 * <p>One model is one {@link org.tensorflow.Graph} and one {@link org.tensorflow.Session}; every
 * parameter is a {@code VariableV2} so tensorflow-framework optimizers can be attached to the same
 * graph. The entry point is {@link org.paritysuite.tf.TfModel#build}; the classes around it each
 * build one part of the graph:
 * <ul>
 *   <li>{@link org.paritysuite.tf.TfParameters}: variables, and loading/reading their values;</li>
 *   <li>{@link org.paritysuite.tf.PassContext}: what the layers of one pass (training or
 *       inference) share and collect;</li>
 *   <li>{@link org.paritysuite.tf.DenseLayerGraph}, {@link org.paritysuite.tf.Conv2DLayerGraph},
 *       {@link org.paritysuite.tf.Pool2DLayerGraph}, {@link org.paritysuite.tf.DropoutLayerGraph},
 *       {@link org.paritysuite.tf.BatchNormLayerGraph} and {@link org.paritysuite.tf.ActivationOps}:
 *       the layers (flatten, global average pooling and activation layers are built in
 *       {@link org.paritysuite.tf.ModelGraph});</li>
 *   <li>{@link org.paritysuite.tf.LossGraph}: the data loss and the L2 penalties;</li>
 *   <li>{@link org.paritysuite.tf.TensorConverter}: ND4J arrays to TensorFlow tensors and back,
 *       checking shapes on the way in; {@link org.paritysuite.tf.SessionFeeds}: the tensors one
 *       session run feeds, closed after it.</li>
 * </ul>
 * <p>{@link org.paritysuite.tf.TfLayerwise} is the model run layer by layer
 * ({@code TfModel.layerwise()}, for per-layer isolation): its own pass with each layer's input,
 * output and gradients ({@link org.paritysuite.tf.LayerwiseGraph}: {@code tf.gradients} of the
 * loss with respect to {@code x} and the hidden activations), and every layer run on its own on
 * fed values ({@link org.paritysuite.tf.IsolatedGraph}: a copy of the layers under
 * {@code isolated/} on the same variables, each reading a placeholder of its own). Both are added
 * to the model's graph on first use.
 *
 * <p>{@link org.paritysuite.tf.TensorFlowInfo} describes the TensorFlow runtime for reports.
 *
 * <p>The live reproducers of the known TensorFlow-side defects, each a static {@code boolean} that turns
 * false the day TensorFlow Java is fixed (named in the harness's {@code Wiring.STANDARD}):
 * {@link org.paritysuite.tf.FrameworkAdamRace} (worked around by {@link org.paritysuite.tf.OrderedAdam}),
 * {@link org.paritysuite.tf.FrameworkVarianceScaling}, {@link org.paritysuite.tf.FrameworkLossEpsilon},
 * {@link org.paritysuite.tf.FrameworkL2Lambda}, {@link org.paritysuite.tf.FrameworkConfusionMatrix} and
 * {@link org.paritysuite.tf.FetchedVariableAliasing} (docs/tensorflow-side.md, "tensorflow-framework's own
 * APIs").
 */
package org.paritysuite.tf;
