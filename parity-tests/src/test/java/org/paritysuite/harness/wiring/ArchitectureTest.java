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
    /** The main sources of all four modules (the tests run in parity-tests). */
    private static final List<Path> ALL_MAIN = Stream.of("fixtures", "tf-models", "reference-impl", "parity-tests")
            .map(m -> Path.of("..", m, "src", "main", "java")).toList();
    private static final Pattern SPEC_TYPE_TEST = Pattern.compile("instanceof\\s+\\w*Spec\\b");

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
    @DisplayName("no main class of any module tests a spec's type: a layer type is known through LayerSpec's visitor")
    void noSpecTypeTests() throws IOException {
        List<String> offenders = new java.util.ArrayList<>();
        for (Path root : ALL_MAIN) {
            assertThat(root).as("the main sources of a module (the scan must read real files)").isDirectory();
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(p -> p.toString().endsWith(".java"))
                        .flatMap(p -> matchingLines(p, SPEC_TYPE_TEST)).forEach(offenders::add);
            }
        }
        assertThat(offenders).as("'instanceof ...Spec' in main code: a new layer record would fall through such a"
                + " test silently; ask the spec (a fact on LayerSpec) or dispatch through LayerSpec.Visitor"
                + " (docs/extending.md)").isEmpty();
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
        return matchingLines(file, SIDE_REFERENCE);
    }

    private static Stream<String> matchingLines(Path file, Pattern pattern) {
        try {
            String[] lines = Files.readString(file).split("\n");
            return java.util.stream.IntStream.range(0, lines.length).filter(i -> {
                Matcher m = pattern.matcher(lines[i]);
                return m.find();
            }).mapToObj(i -> file + ":" + (i + 1) + ": " + lines[i].strip());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
