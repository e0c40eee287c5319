package org.paritysuite.harness.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("A committed golden bundle")
class GoldenBundleTest {

    static Stream<Path> committed() throws IOException {
        try (Stream<Path> files = Files.list(GoldenLaneTest.GOLDENS)) {
            return files.filter(p -> p.toString().endsWith(".npz")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("committed")
    @DisplayName("read and written again gives its bytes back (the reader loses nothing, the writer is canonical)")
    void roundTrip(Path file) throws IOException {
        assertThat(GoldenBundle.read(file).toBytes()).isEqualTo(Files.readAllBytes(file));
    }
}
