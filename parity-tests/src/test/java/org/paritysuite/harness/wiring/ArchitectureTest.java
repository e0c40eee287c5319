package org.paritysuite.harness.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The architecture of docs/architecture.md, kept true by reading the harness's sources: the
 * harness reaches the two sides through the contract's interfaces, and one wiring class names
 * the implementations.
 */
@DisplayName("The harness's architecture")
class ArchitectureTest {

    private static final Path MAIN = Path.of("src", "main", "java", "org", "paritysuite", "harness");
    private static final Pattern SIDE_REFERENCE = Pattern.compile("org\\.paritysuite\\.(reference|tf)\\b");
    private static final Path WIRING = MAIN.resolve(Path.of("wiring", "Wiring.java"));

    @Test
    @DisplayName("no class of the harness but Wiring names a class of TensorFlow's side or of the reference")
    void onlyTheWiringNamesTheSides() throws IOException {
        List<String> offenders;
        try (Stream<Path> files = Files.walk(MAIN)) {
            offenders = files.filter(p -> p.toString().endsWith(".java")).filter(p -> !p.equals(WIRING))
                    .flatMap(ArchitectureTest::sideReferences).toList();
        }
        assertThat(offenders).as("harness sources that name tf-models or reference-impl classes (go through"
                + " Sides and the fixtures.run interfaces instead)").isEmpty();
    }

    @Test
    @DisplayName("the wiring class does name both sides (the scan above reads the right files)")
    void theWiringNamesBoth() throws IOException {
        assertThat(Files.readString(WIRING)).contains("org.paritysuite.tf.").contains("org.paritysuite.reference.");
    }

    @Test
    @DisplayName("every package of the harness has a package-info.java")
    void everyPackageDescribed() throws IOException {
        List<Path> undescribed;
        try (Stream<Path> dirs = Files.walk(MAIN)) {
            undescribed = dirs.filter(Files::isDirectory).filter(ArchitectureTest::hasJava)
                    .filter(d -> !Files.exists(d.resolve("package-info.java"))).toList();
        }
        assertThat(undescribed).as("packages without package-info.java").isEmpty();
    }

    private static boolean hasJava(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(p -> p.toString().endsWith(".java"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Stream<String> sideReferences(Path file) {
        try {
            String[] lines = Files.readString(file).split("\n");
            return java.util.stream.IntStream.range(0, lines.length).filter(i -> {
                Matcher m = SIDE_REFERENCE.matcher(lines[i]);
                return m.find();
            }).mapToObj(i -> file + ":" + (i + 1) + ": " + lines[i].strip());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
