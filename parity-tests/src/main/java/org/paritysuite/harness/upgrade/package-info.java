/**
 * The upgrade question: what changes when TensorFlow Java (or anything else under the suite) is
 * upgraded. Two {@code parity verify --json} reports of the same selection, one per version, are
 * set side by side ({@link org.paritysuite.harness.upgrade.ReportDrift}): every tensor's scaled
 * error before and after, summarised per tensor kind and precision, per layer and per optimizer,
 * the verdicts that changed, and whether each known TensorFlow-side defect still reproduces under
 * each version. The reference is the same program in both runs, so a change in error is a change
 * on the TensorFlow side. How to build and run the suite under another version: docs/upgrade.md.
 */
package org.paritysuite.harness.upgrade;
