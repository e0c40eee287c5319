package org.paritysuite.harness.shard;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.paritysuite.fixtures.FixtureException;

/**
 * One part of a run split {@code count} ways: shard {@code index} of {@code count}, written
 * {@code K/N} as on the command line ({@code --shard 2/4}), counted from 1 like CI matrix jobs.
 *
 * @param index which part, 1 to {@code count}
 * @param count how many parts the run is split into, 1 to {@value #MAX_COUNT}
 */
public record Shard(int index, int count) {

    /**
     * More shards than the zoo has units of work would leave shards empty; the zoo's full run has
     * 87 units (docs/sharding.md), and no CI matrix comes near this.
     */
    public static final int MAX_COUNT = 1000;

    private static final Pattern SPEC = Pattern.compile("(\\d{1,9})/(\\d{1,9})");

    public Shard {
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("a shard count must be 1 to " + MAX_COUNT + ", found " + count);
        }
        if (index < 1 || index > count) {
            throw new IllegalArgumentException("a shard index must be 1 to " + count + ", found " + index);
        }
    }

    /**
     * The shard {@code text} names, {@code K/N} with {@code 1 <= K <= N}; anything else is bad input
     * naming {@code option} and what was expected.
     */
    public static Shard parse(String text, String option) {
        Matcher m = SPEC.matcher(text);
        String expected = "; expected K/N with 1 <= K <= N <= " + MAX_COUNT + ", e.g. 2/4";
        if (!m.matches()) {
            throw new FixtureException(option + " " + text + ": not of the form K/N" + expected);
        }
        int index = Integer.parseInt(m.group(1));
        int count = Integer.parseInt(m.group(2));
        if (count < 1 || count > MAX_COUNT) {
            throw new FixtureException(option + " " + text + ": a run cannot be split into " + count + " shards"
                    + expected);
        }
        if (index < 1 || index > count) {
            throw new FixtureException(option + " " + text + ": there is no shard " + index + " of " + count
                    + " (shards count from 1)" + expected);
        }
        return new Shard(index, count);
    }

    /** {@code K/N}. */
    @Override
    public String toString() {
        return index + "/" + count;
    }
}
