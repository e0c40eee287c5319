/**
 * Lockstep training for {@code parity train}: both sides trained for whole epochs from the same
 * weights on the same minibatches, compared after every step, and evaluated on the test subset
 * after every epoch.
 *
 * <p>The pieces, one job each: {@link org.paritysuite.harness.lockstep.RunPlan} says what one run
 * trains; {@link org.paritysuite.harness.lockstep.LockstepRun} trains it (reusing the trajectory
 * machinery of {@code harness.train}: {@code Minibatches}, {@code NonFiniteValues},
 * {@code StepTolerance}, {@code ParityHarness.compare}) and returns a
 * {@link org.paritysuite.harness.lockstep.RunResult} of {@link org.paritysuite.harness.lockstep.StepRecord}s
 * and {@link org.paritysuite.harness.lockstep.EpochRecord}s; {@link org.paritysuite.harness.lockstep.EpochEvaluation}
 * scores one side on the test images; {@link org.paritysuite.harness.lockstep.ProgressBar},
 * {@link org.paritysuite.harness.lockstep.EpochTable}, {@link org.paritysuite.harness.lockstep.LossPlot},
 * {@link org.paritysuite.harness.lockstep.ResultsCsv} and {@link org.paritysuite.harness.lockstep.ResultsJson}
 * show the numbers; {@link org.paritysuite.harness.lockstep.ExperimentPreset} expands a zoo
 * experiment into its runs.
 *
 * <p>Nothing here decides a tolerance: a step is within tolerance when every tensor is within the
 * single-pass policy times {@code StepTolerance.growth(step)}, exactly as in {@code parity verify}'s
 * trajectories.
 */
package org.paritysuite.harness.lockstep;
