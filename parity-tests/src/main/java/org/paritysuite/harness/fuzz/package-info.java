/**
 * Generated models: parity beyond the zoo. {@code SpecGenerator} turns a seed into a small valid
 * spec drawn from every layer type and option the spec format has, tracking the shape layer by
 * layer so that every spec is valid by construction (and {@code ModelSpec}'s validation judges
 * it anyway); {@code GeneratedCase} adds weights, a batch, dropout masks and the pass, all from
 * the same seed, so that a seed is the whole case. {@code FuzzRun} runs consecutive seeds through
 * the ordinary harness, under the ordinary tolerances, and sorts each into passed, failed or
 * vacuous (a dead layer: tensors exactly zero on both sides, which prove nothing);
 * {@code Coverage} measures how much of the spec space the seeds reached, as COMET measures a
 * test set's layer-input coverage. {@code parity fuzz} is the command line, {@code
 * docs/fuzzing.md} the account: the space, the coverage a run reaches, how to replay a seed, and
 * what the generator found.
 */
package org.paritysuite.harness.fuzz;
