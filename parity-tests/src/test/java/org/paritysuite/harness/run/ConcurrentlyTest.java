package org.paritysuite.harness.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The scheduling of independent jobs: results in the jobs' order whatever finishes first, and the
 * first failure rethrown as it was.
 */
@DisplayName("Concurrently: jobs on a few threads")
class ConcurrentlyTest {

    @Test
    @DisplayName("results come back in the items' order, not in the order the jobs finished")
    void resultsInItemOrder() {
        List<Integer> results = Concurrently.map(List.of(30, 0, 10), 3, millis -> {
            sleep(millis);
            return millis;
        }, (item, result) -> { });
        assertThat(results).containsExactly(30, 0, 10);
    }

    @Test
    @DisplayName("the first failing job's exception is rethrown as it was")
    void firstFailureRethrown() {
        IllegalStateException failure = new IllegalStateException("job 2 failed");
        assertThatThrownBy(() -> Concurrently.map(List.of(1, 2, 3), 2, i -> {
            if (i == 2) {
                throw failure;
            }
            return i;
        }, (item, result) -> { })).isSameAs(failure);
    }

    @Test
    @DisplayName("one thread: every job runs in the calling thread")
    void oneThreadRunsInline() {
        Thread caller = Thread.currentThread();
        List<Thread> ranOn = Concurrently.map(List.of(1, 2), 1, i -> Thread.currentThread(), (item, result) -> { });
        assertThat(ranOn).containsExactly(caller, caller);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
