/**
 * The {@code parity} command line (picocli): {@code verify}, {@code train}, {@code export},
 * {@code explain} and {@code bench}. A command parses and validates its options, asks the
 * harness to run, and prints; it decides nothing about tolerances or verdicts. Exit status: 0
 * when everything passed, 1 when a check failed, 2 for bad input, always with one
 * {@code parity:} line naming the file, field or option (see {@code ParityCli}).
 */
package org.paritysuite.harness.cli;
