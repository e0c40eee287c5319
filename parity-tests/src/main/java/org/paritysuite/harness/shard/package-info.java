/**
 * Shards: one run of {@code parity verify} split over several machines, and put together again.
 *
 * <p>{@code parity verify --shard K/N} runs part K of N of the run its other options choose. The
 * run is cut into {@link org.paritysuite.harness.shard.WorkUnit units of work}, each what must run
 * on one machine (a model's cases on one data set share its runners, and the float64 case referees
 * its float32 twin; a float64 trajectory referees its float32 twin step by step). A
 * {@link org.paritysuite.harness.shard.ShardPlan} deals the units out, costliest first, each to the
 * shard with the least cost so far, costed by a {@link org.paritysuite.harness.shard.CostTable}
 * of wall times a real full run measured. Every shard computes the whole plan from the same
 * command line and the same table and keeps its own part: no coordinator, nothing shared, and the
 * same plan on every machine because nothing in it depends on the machine or on chance.
 *
 * <p>A shard's JSON report carries a {@code shard} section: its index and count, the plan's
 * fingerprint and its units with the ids of their cases and trajectories. From those
 * {@link org.paritysuite.harness.shard.ShardMerge} rebuilds the whole run's report, the cases in
 * the run's order, and refuses what would make the merged verdict a lie: a shard missing or given
 * twice, a case in two reports, reports of different plans or builds. The merged report is the
 * report a run without shards would have written, timings aside: {@code parity drift}, the JUnit
 * writer and error baselines read it like any other (docs/sharding.md).
 */
package org.paritysuite.harness.shard;
