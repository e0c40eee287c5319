/**
 * Training parity: both sides trained in lockstep from the same weights on the same minibatches,
 * compared after every step. {@code parity verify}'s trajectories and {@code parity train}'s
 * epochs are built on the same step.
 *
 * <p>The step: {@link org.paritysuite.harness.training.Lockstep} runs one optimizer step of both
 * sides and returns an immutable {@link org.paritysuite.harness.training.StepResult} (losses,
 * timings, the judged checks, the drift, a kink crossing). Judged means compared with the
 * reference computed from TensorFlow's own state, so every step is a single-pass comparison under
 * the single-pass policy; drift is the free-running comparison, reported under
 * {@link org.paritysuite.harness.training.StepTolerance} and
 * {@link org.paritysuite.harness.training.PropagatedTolerance}.
 * {@link org.paritysuite.harness.training.Minibatches} cuts the batches,
 * {@link org.paritysuite.harness.training.NonFiniteValues} stops at a NaN,
 * {@link org.paritysuite.harness.compare.KinkCrossing} finds ReLU units and max-pool windows on
 * different sides of a kink.
 *
 * <p>The runs: {@link org.paritysuite.harness.training.TrajectoryCase} is one trajectory of
 * {@code parity verify}; {@link org.paritysuite.harness.training.RunPlan} and
 * {@link org.paritysuite.harness.training.LockstepRun} are one run of {@code parity train}, with
 * evaluations after every epoch ({@link org.paritysuite.harness.training.EpochEvaluation}) and its
 * views ({@link org.paritysuite.harness.training.ProgressBar},
 * {@link org.paritysuite.harness.training.EpochTable}, {@link org.paritysuite.harness.training.LossPlot},
 * {@link org.paritysuite.harness.training.ResultsCsv}, {@link org.paritysuite.harness.training.ResultsJson});
 * {@link org.paritysuite.harness.training.ExperimentPreset} expands a zoo experiment into runs.
 * Both end in one {@link org.paritysuite.harness.training.Verdict}, judged in one place against
 * the {@link org.paritysuite.harness.training.KnownDefect}s, and the JSON's {@code passed} is the
 * verdict's, as is the exit status.
 */
package org.paritysuite.harness.training;
