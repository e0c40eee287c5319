package org.paritysuite.harness.run;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Runs independent jobs (cases, trajectories) on a few threads and returns their results in the
 * jobs' order, so a report never depends on which finished first.
 *
 * <p>Determinism is kept by the jobs, not by the scheduling: each job builds its own TensorFlow
 * session (one intra-op and one inter-op thread) and its own reference arrays, and shares nothing
 * mutable with another, so every number is the same whether the jobs run one after the other or
 * side by side; only wall time changes.
 */
public final class Concurrently {

    private Concurrently() {
    }

    /**
     * {@code job} applied to every item on {@code threads} threads; {@code done} is told of each
     * result as it finishes (from one thread at a time). The first job that throws stops the rest
     * and its exception is rethrown as it was.
     */
    public static <T, R> List<R> map(List<T> items, int threads, Function<T, R> job, BiConsumer<T, R> done) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, found " + threads);
        }
        if (threads == 1 || items.size() < 2) {
            List<R> results = new ArrayList<>();
            for (T item : items) {
                R r = job.apply(item);
                done.accept(item, r);
                results.add(r);
            }
            return results;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, items.size()), runnable -> {
            Thread t = new Thread(runnable, "parity-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> {
                    R r = job.apply(item);
                    synchronized (done) {
                        done.accept(item, r);
                    }
                    return r;
                }));
            }
            List<R> results = new ArrayList<>();
            for (Future<R> f : futures) {
                results.add(f.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running jobs", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        } finally {
            pool.shutdownNow();
        }
    }
}
