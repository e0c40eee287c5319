/**
 * What a {@code parity verify} run tells people and machines: the {@code ParityReport} (the
 * environment, every case's checks, the trajectories, the known defects), printed as a table
 * in the style of {@code assert_close}'s messages and written as JSON (docs/report-format.md).
 * Reports only present results; the verdicts were reached in {@code run} and {@code training}.
 */
package org.paritysuite.harness.report;
