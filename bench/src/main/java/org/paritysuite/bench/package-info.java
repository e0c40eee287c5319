/**
 * JMH benchmarks of the two sides, for the speed targets that a timed test must not check: how
 * long one forward and backward pass takes on TensorFlow and on the reference, in the JVM
 * configuration of {@code ./parity}. Built and run only through {@code scripts/bench.sh} (Maven
 * profile {@code bench}); the results are read, never asserted (docs/performance.md, "JMH").
 */
package org.paritysuite.bench;
