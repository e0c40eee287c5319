package org.paritysuite.harness.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.paritysuite.fixtures.FixtureException;

@DisplayName("Output written all or nothing")
class AtomicOutputTest {

    private static final Set<String> BUNDLE = Set.of("a.txt", "b.txt");

    @Nested
    @DisplayName("a file")
    class OneFile {

        @Test
        @DisplayName("replaces the previous file and leaves no temporary")
        void replaces(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("r.json");
            Files.writeString(file, "old");
            AtomicOutput.writeFile(file, "the report", out -> out.write("new".getBytes(StandardCharsets.UTF_8)));
            assertThat(file).hasContent("new");
            assertThat(entries(dir)).as("the directory's entries").containsExactly("r.json");
        }

        @Test
        @DisplayName("that fails part way leaves the previous file and no temporary, and names the file")
        void failureLeavesThePrevious(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("r.json");
            Files.writeString(file, "old");
            assertThatThrownBy(() -> AtomicOutput.writeFile(file, "the report", out -> {
                out.write("half".getBytes(StandardCharsets.UTF_8));
                throw new IOException("No space left on device");
            })).isInstanceOf(FixtureException.class)
                    .hasMessage(file + ": cannot write the report: No space left on device");
            assertThat(file).hasContent("old");
            assertThat(entries(dir)).as("the directory's entries").containsExactly("r.json");
        }
    }

    @Nested
    @DisplayName("a bundle of files")
    class Bundle {

        @Test
        @DisplayName("replaces a previous bundle as a whole")
        void replacesThePrevious(@TempDir Path dir) throws IOException {
            Path out = dir.resolve("case");
            write(out, "1");
            write(out, "2");
            assertThat(out.resolve("a.txt")).hasContent("a2");
            assertThat(out.resolve("b.txt")).hasContent("b2");
            assertThat(entries(dir)).as("the parent's entries").containsExactly("case");
        }

        @Test
        @DisplayName("that fails part way leaves the target absent and no temporary directory")
        void failureLeavesNothing(@TempDir Path dir) throws IOException {
            Path out = dir.resolve("case");
            assertThatThrownBy(() -> AtomicOutput.writeDirectory(out, "the export", BUNDLE, bundle -> {
                bundle.add("a.txt", o -> o.write('a'));
                throw new IOException("disk full");
            })).isInstanceOf(FixtureException.class).hasMessageContaining("cannot write the export: disk full");
            assertThat(entries(dir)).as("the parent's entries").isEmpty();
        }

        @Test
        @DisplayName("is refused, before any work, into a directory holding the user's files, which stay")
        void refusesForeignFiles(@TempDir Path dir) throws IOException {
            Path out = Files.createDirectory(dir.resolve("case"));
            Files.writeString(out.resolve("thesis.tex"), "years of work");
            assertThatThrownBy(() -> AtomicOutput.requireDirectory(out, "--out", BUNDLE))
                    .hasMessageContaining("holds 'thesis.tex', which the command would not write");
            assertThat(out.resolve("thesis.tex")).hasContent("years of work");
        }

        private void write(Path out, String version) {
            AtomicOutput.writeDirectory(out, "the export", BUNDLE, bundle -> {
                bundle.add("a.txt", o -> o.write(("a" + version).getBytes(StandardCharsets.UTF_8)));
                bundle.add("b.txt", o -> o.write(("b" + version).getBytes(StandardCharsets.UTF_8)));
            });
        }
    }

    private static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> all = Files.list(dir)) {
            return all.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
