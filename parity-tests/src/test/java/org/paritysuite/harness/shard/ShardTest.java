package org.paritysuite.harness.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.paritysuite.fixtures.FixtureException;

/** {@code --shard K/N}: what is a shard, and every way of writing one that is not. */
@DisplayName("Shard: K/N with 1 <= K <= N")
class ShardTest {

    @ParameterizedTest(name = "{0} is shard {1} of {2}")
    @CsvSource({"1/1, 1, 1", "2/4, 2, 4", "4/4, 4, 4", "07/10, 7, 10", "1000/1000, 1000, 1000"})
    @DisplayName("K/N is read as index K of N")
    void parses(String text, int index, int count) {
        Shard shard = Shard.parse(text, "--shard");

        assertThat(shard).as("the shard %s", text).isEqualTo(new Shard(index, count));
        assertThat(shard.toString()).as("written back").isEqualTo(index + "/" + count);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "3/2       | there is no shard 3 of 2",
            "0/4       | there is no shard 0 of 4 (shards count from 1)",
            "1/0       | a run cannot be split into 0 shards",
            "1/1001    | a run cannot be split into 1001 shards",
            "a/b       | not of the form K/N",
            "2         | not of the form K/N",
            "-1/4      | not of the form K/N",
            "1/4/2     | not of the form K/N",
            "' 1/4'    | not of the form K/N",
            "9999999999/1 | not of the form K/N"})
    @DisplayName("anything else is bad input naming the option, the value and the form expected")
    void refuses(String text, String why) {
        assertThatThrownBy(() -> Shard.parse(text, "--shard")).as("--shard %s", text)
                .isInstanceOf(FixtureException.class)
                .hasMessageStartingWith("--shard " + text + ": ")
                .hasMessageContaining(why)
                .hasMessageEndingWith("expected K/N with 1 <= K <= N <= 1000, e.g. 2/4");
    }
}
