/**
 * What the suite writes, made safe to write. {@code AtomicOutput} is the one way a report, a plot,
 * a CSV or an export bundle reaches the disk: checked before any work starts, written to a
 * temporary file (or directory) beside its target and renamed into place, so a run that is killed
 * or fails leaves either the previous file or a complete new one, never a half-written one.
 * {@code TerminalText} escapes control characters in strings that came from arguments or files
 * before they are printed, so a file name cannot forge a line of the suite's output.
 */
package org.paritysuite.harness.output;
