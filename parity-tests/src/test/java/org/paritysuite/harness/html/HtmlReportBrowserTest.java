package org.paritysuite.harness.html;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.paritysuite.harness.cli.ParityCli;

/**
 * The HTML pages of three small real runs, {@code parity verify --model ist597-mlp --steps 3
 * --isolate}, a one-epoch {@code parity train} and {@code parity explain --model ds541-cnn-a --walk},
 * opened in a real headless browser (Debian's chromium, which
 * {@code scripts/ensure-chromium.sh} installs during the build): the page renders, says nothing on
 * the console, has every section, every image decodes, and it refers to nothing outside itself.
 * Without the browser the test fails: the build installs it, so a missing one is a broken machine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("The HTML report in a headless browser")
class HtmlReportBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    /** Tall enough to hold the verify page's sections in one screenshot. */
    static final String WINDOW = "1280,6000";

    static final Map<String, List<String>> SECTIONS = Map.of(
            "verify", List.of("summary", "environment", "known-defects", "cases", "layers", "trajectories", "predictions"),
            "train", List.of("summary", "environment", "known-defects", "trajectories", "predictions"),
            "walk", List.of("errors", "forward", "loss", "backward"));

    /** What the browser made of one page. */
    record Rendered(String html, String dom, BufferedImage screenshot, String browserLog, String verdictLine) {
    }

    /** Where the reports, screenshots and browser profiles go. */
    private Path dir;

    private final Map<String, Rendered> pages = new java.util.HashMap<>();

    @BeforeAll
    void writeAndOpenReports(@TempDir Path temporary) throws Exception {
        dir = temporary;
        assertThat(Files.isExecutable(CHROMIUM)).as("%s is missing: the build installs it"
                + " (scripts/ensure-chromium.sh, run by parity-tests' pom at generate-test-resources)", CHROMIUM).isTrue();
        Path verify = dir.resolve("verify.html");
        String verifyOut = cli("verify", "--model", "ist597-mlp", "--steps", "3", "--isolate", "--html", verify.toString());
        pages.put("verify", open("verify", verify, line(verifyOut, "PARITY ")));
        Path train = dir.resolve("train.html");
        String trainOut = cli("train", "--model", "ist597-mlp", "--epochs", "1", "--batch-size", "10",
                "--train-images", "40", "--test-images", "50", "--plot", dir.resolve("train.png").toString(),
                "--html", train.toString());
        pages.put("train", open("train", train, line(trainOut, "TRAINING ")));
        Path walk = dir.resolve("walk.html");
        cli("explain", "--model", "ds541-cnn-a", "--walk", "--batch-size", "2", "--html", walk.toString());
        pages.put("walk", open("walk", walk, "Walk-through of ds541-cnn-a"));
    }

    @ParameterizedTest(name = "{0}: the screenshot shows a drawn page, not a blank one")
    @ValueSource(strings = {"verify", "train", "walk"})
    void rendersSomething(String page) {
        BufferedImage shot = pages.get(page).screenshot();
        Set<Integer> colours = new HashSet<>();
        long notWhite = 0;
        for (int y = 0; y < shot.getHeight(); y++) {
            for (int x = 0; x < shot.getWidth(); x++) {
                int rgb = shot.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                if (rgb != 0xFFFFFF) {
                    notWhite++;
                }
            }
        }
        assertThat(colours.size()).as("distinct colours in the %s page's screenshot (text, charts, shaded tables)",
                page).isGreaterThan(200);
        assertThat((double) notWhite / ((long) shot.getWidth() * shot.getHeight()))
                .as("share of the %s page's screenshot that is not white", page).isGreaterThan(0.02);
    }

    @ParameterizedTest(name = "{0}: nothing on the browser's console")
    @ValueSource(strings = {"verify", "train", "walk"})
    void silentConsole(String page) {
        assertThat(pages.get(page).browserLog().lines().filter(l -> l.contains(":CONSOLE") || l.contains("net::ERR")))
                .as("console messages and failed loads while the %s page rendered (the page has no script: any"
                        + " message is a fault)", page).isEmpty();
    }

    @ParameterizedTest(name = "{0}: every section is in the rendered page, the verdict the command printed on top")
    @ValueSource(strings = {"verify", "train", "walk"})
    void everySection(String page) {
        Rendered r = pages.get(page);
        for (String id : SECTIONS.get(page)) {
            assertThat(r.dom()).as("the %s page's rendered DOM has the section id=%s", page, id)
                    .contains("id=\"" + id + "\"");
        }
        assertThat(r.dom()).as("the %s page shows the verdict line its command printed", page)
                .contains(HtmlWriter.escape(r.verdictLine()));
    }

    @ParameterizedTest(name = "{0}: every image is an embedded PNG that decodes")
    @ValueSource(strings = {"verify", "train", "walk"})
    void everyImageDecodes(String page) throws IOException {
        Matcher img = Pattern.compile("<img[^>]*\\ssrc=\"([^\"]*)\"").matcher(pages.get(page).dom());
        List<String> sources = new ArrayList<>();
        while (img.find()) {
            sources.add(img.group(1));
        }
        assertThat(sources.size()).as("images of the %s page (charts, thumbnails)", page).isPositive();
        for (String src : sources) {
            assertThat(src.substring(0, Math.min(40, src.length()))).as("the start of an image source of the %s page",
                    page).startsWith("data:image/png;base64,");
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder()
                    .decode(src.substring("data:image/png;base64,".length()))));
            assertThat(image).as("an embedded PNG of the %s page decodes", page).isNotNull();
            assertThat(image.getWidth()).as("its width").isPositive();
        }
    }

    @ParameterizedTest(name = "{0}: refers to nothing outside itself")
    @ValueSource(strings = {"verify", "train", "walk"})
    void selfContained(String page) {
        Rendered r = pages.get(page);
        for (String text : List.of(r.html(), r.dom())) {
            assertThat(text).as("the %s page (file and rendered DOM)", page)
                    .doesNotContainIgnoringCase("http://").doesNotContainIgnoringCase("https://")
                    .doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("<link")
                    .doesNotContainIgnoringCase("@import").doesNotContainIgnoringCase("url(");
        }
    }

    /** Runs the command line in-process and returns its standard output, failing on a non-zero exit. */
    private static String cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = ParityCli.execute(new PrintWriter(out), new PrintWriter(err), args);
        assertThat(status).as("exit status of parity %s; stderr: %s", String.join(" ", args), err).isZero();
        return out.toString();
    }

    private static String line(String output, String prefix) {
        return output.lines().filter(l -> l.startsWith(prefix)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no line starting with '" + prefix + "' in:\n" + output));
    }

    /**
     * Opens {@code file} in the browser once for both the DOM after rendering and a screenshot (one
     * chromium start per page: 2.6 s against 1.8 s + 2.7 s for two).
     */
    private Rendered open(String name, Path file, String verdictLine) throws Exception {
        Path shot = dir.resolve(name + ".png");
        StringBuilder log = new StringBuilder();
        String dom = browse(file, List.of("--dump-dom", "--screenshot=" + shot, "--window-size=" + WINDOW),
                dir.resolve(name + "-profile"), log);
        BufferedImage screenshot = ImageIO.read(shot.toFile());
        assertThat(screenshot).as("the browser's screenshot of %s", file).isNotNull();
        copyForHumans(shot, "html-report-" + name + ".png");
        copyForHumans(file, "html-report-" + name + ".html");
        return new Rendered(Files.readString(file), dom, screenshot, log.toString(), verdictLine);
    }

    /** Keeps a page or its screenshot in target/ for a person to look at after the build. */
    private static void copyForHumans(Path file, String name) throws IOException {
        Path kept = Path.of("target", name);
        Files.createDirectories(kept.getParent());
        Files.copy(file, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** One headless chromium run on {@code file}; returns its standard output, appends its log to {@code log}. */
    private static String browse(Path file, List<String> action, Path profile, StringBuilder log) throws Exception {
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                "--enable-logging=stderr", "--v=0"));
        command.addAll(action);
        command.add(file.toUri().toString());
        Path stdout = Files.createTempFile(profile.getParent(), "chromium", ".out");
        Path stderr = Files.createTempFile(profile.getParent(), "chromium", ".err");
        Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 180 s: " + command + "\n" + Files.readString(stderr));
        }
        log.append(Files.readString(stderr));
        assertThat(p.exitValue()).as("exit status of %s; stderr: %s", command, Files.readString(stderr)).isZero();
        return Files.readString(stdout);
    }
}
