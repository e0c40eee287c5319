/**
 * What the suite writes, made safe to write. {@code AtomicOutput} is the one way a report, a plot,
 * a CSV or an export bundle reaches the disk: checked before any work starts, written to a
 * temporary file (or directory) beside its target and renamed into place, so a run that is killed
 * or fails leaves either the previous file or a complete new one, never a half-written one.
 * Text that came from arguments or files is escaped before it is printed by
 * {@code org.paritysuite.fixtures.TerminalText}, which the spec reader's messages use too.
 */
package org.paritysuite.harness.output;
