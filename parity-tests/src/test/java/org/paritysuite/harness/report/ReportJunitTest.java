package org.paritysuite.harness.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.run.TensorKind;
import org.paritysuite.fixtures.spec.ModelZoo;
import org.paritysuite.harness.cli.ParityCli;
import org.paritysuite.harness.compare.TensorCheck;
import org.paritysuite.harness.compare.TensorComparator;
import org.paritysuite.harness.compare.Tolerance;
import org.paritysuite.harness.output.AtomicOutput;
import org.paritysuite.harness.run.CaseResult;
import org.paritysuite.harness.run.Predictions;
import org.paritysuite.harness.training.KnownDefect;
import org.paritysuite.harness.training.KnownDefectStatus;
import org.paritysuite.harness.training.TrajectoryCase;
import org.paritysuite.harness.training.Verdict;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * The JUnit XML report, written from the report's JSON tree: valid against Surefire's schema
 * ({@link SurefireSchema}) whatever the report holds, and saying what the JSON says. The reports
 * are built from real results (comparisons, trajectories, known defects) and turned into JSON by
 * {@link ReportJson}, as {@code parity verify} does; one is a real run of the command line.
 */
@DisplayName("The JUnit XML report (parity verify --junit)")
class ReportJunitTest {

    private static final Tolerance TOLERANCE = new Tolerance(1e-7, 1e-7, "float64: rtol = atol = 1e-7, for the test");

    /** A tensor name as a hostile spec could spell it: markup, quotes and two characters XML 1.0 forbids. */
    private static final String HOSTILE = "dense<1>&\"x\"'y'\u0000\u0007";

    private static final Map<String, String> ENVIRONMENT = new TreeMap<>(Map.of(
            "tensorflow", "2.18.0", "TF_DETERMINISTIC_OPS", "1", "cores", "2"));

    @Nested
    @DisplayName("Surefire's schema, as these tests use it")
    class Schema {

        @Test
        @DisplayName("rejects a testcase without the time it requires, so a valid verdict means something")
        void rejectsInvalid() {
            String noTime = "<testsuite name=\"parity\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\">"
                    + "<testcase name=\"x\" classname=\"parity.case.x\"/></testsuite>";
            assertThatThrownBy(() -> SurefireSchema.assertValid(noTime)).as("validating a testcase without time")
                    .isInstanceOf(AssertionError.class).hasMessageContaining("not valid").hasMessageContaining("time");
        }
    }

    @Nested
    @DisplayName("of a report where everything passed")
    class Passing {

        private final JsonNode json = ReportJson.toJson(new ParityReport(ENVIRONMENT,
                List.of(passingCase("ist597-mlp", true), passingCase("ist597-mlp", false)),
                List.of(trajectory(Verdict.PASS, Optional.empty(), "")),
                List.of(new KnownDefectStatus(defect("adam"), "reproduces", true),
                        new KnownDefectStatus(defect("nadam"), "not run", true))));
        private final String xml = ReportJunit.toXml(json);

        @Test
        @DisplayName("is valid against Surefire's JUnit schema")
        void valid() {
            SurefireSchema.assertValid(xml);
        }

        @Test
        @DisplayName("has one testcase per case and trajectory, named by its id, then one per known defect, named by"
                + " its optimizer")
        void oneTestcaseEach() throws Exception {
            assertThat(testcases(xml)).extracting(t -> t.getAttribute("name")).as("testcase names in order")
                    .containsExactly("ist597-mlp/mnist/float64/training", "ist597-mlp/mnist/float64/inference",
                            "cs172-linear/mnist/sgd/float64", "adam", "nadam");
        }

        @Test
        @DisplayName("groups the testcases by kind and model: parity.case.MODEL, parity.trajectory.MODEL,"
                + " parity.known_defect")
        void classnames() throws Exception {
            assertThat(testcases(xml)).extracting(t -> t.getAttribute("classname")).as("testcase classnames in order")
                    .containsExactly("parity.case.ist597-mlp", "parity.case.ist597-mlp", "parity.trajectory.cs172-linear",
                            "parity.known_defect", "parity.known_defect");
        }

        @Test
        @DisplayName("counts 5 tests, no failure, no error, and skips the known defect whose optimizer did not run")
        void counts() throws Exception {
            Element suite = suite(xml);
            assertThat(List.of(suite.getAttribute("name"), suite.getAttribute("tests"), suite.getAttribute("failures"),
                    suite.getAttribute("errors"), suite.getAttribute("skipped")))
                    .as("testsuite name, tests, failures, errors, skipped").containsExactly("parity", "5", "0", "0", "1");
            assertThat(testcases(xml).get(4).getElementsByTagName("skipped").item(0))
                    .as("nadam, not run, is the one skipped").isNotNull();
        }

        @Test
        @DisplayName("times each case as its two sides' passes (3 + 2 ms), each trajectory 0, the suite as the sum")
        void times() throws Exception {
            assertThat(testcases(xml)).extracting(t -> t.getAttribute("time")).as("testcase times in seconds")
                    .containsExactly("0.005", "0.005", "0.000", "0.000", "0.000");
            assertThat(suite(xml).getAttribute("time")).as("testsuite time in seconds").isEqualTo("0.010");
        }

        @Test
        @DisplayName("carries the environment as properties, in order")
        void properties() throws Exception {
            NodeList properties = parse(xml).getElementsByTagName("property");
            List<String> pairs = new ArrayList<>();
            for (int i = 0; i < properties.getLength(); i++) {
                Element p = (Element) properties.item(i);
                pairs.add(p.getAttribute("name") + "=" + p.getAttribute("value"));
            }
            assertThat(pairs).as("the properties").containsExactlyElementsOf(ENVIRONMENT.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).toList());
        }

        @Test
        @DisplayName("writes a dot in a model name as _ in the classname, which reporters would split into packages")
        void dotInModelName() throws Exception {
            String dotted = ReportJunit.toXml(ReportJson.toJson(new ParityReport(ENVIRONMENT,
                    List.of(passingCase("my.net", true)), List.of(), List.of())));
            assertThat(testcases(dotted).get(0).getAttribute("classname")).isEqualTo("parity.case.my_net");
        }
    }

    @Nested
    @DisplayName("of a report with a failing case: a NaN, and a tensor named dense<1>&\"x\"'y' with U+0000 and U+0007")
    class FailingCase {

        private final CaseResult failing = new CaseResult("cs172-linear", "no-fingerprint", "mnist", Precision.FLOAT64, "mnist test[0:2]",
                true, List.of(check(HOSTILE, TensorKind.ACTIVATION, new double[] {Double.NaN, 2}, new double[] {1, 2}),
                        check("probs", TensorKind.PROBS, new double[] {0.5, 0.5}, new double[] {0.25, 0.75}),
                        check("loss", TensorKind.LOSS, new double[] {1, 1}, new double[] {1, 1})),
                List.of(), Optional.of(HOSTILE), Optional.empty(), Optional.empty(), Optional.empty(),
                new Predictions(new int[] {0, 1}, new int[] {0, 1}, new int[] {0, 1}), Optional.empty(), 1, 1, 3);
        private final JsonNode json = ReportJson.toJson(new ParityReport(ENVIRONMENT,
                List.of(passingCase("ist597-mlp", true), failing), List.of(),
                List.of(new KnownDefectStatus(defect("adam"), "reproduces", true))));
        private final String xml = ReportJunit.toXml(json);

        @Test
        @DisplayName("is valid against Surefire's JUnit schema")
        void valid() {
            SurefireSchema.assertValid(xml);
        }

        @Test
        @DisplayName("counts the failing case as the one failure, as the JSON does")
        void counts() throws Exception {
            assertThat(suite(xml).getAttribute("failures")).as("failures; the JSON says %s", json.get("summary"))
                    .isEqualTo(json.at("/summary/failed_cases").asText()).isEqualTo("1");
        }

        @Test
        @DisplayName("carries each failing check's assert_close message, whole, in the failure's body")
        void messagesInTheBody() throws Exception {
            String body = failure(xml, 1).getTextContent();
            for (JsonNode check : json.at("/cases/1/checks")) {
                if (!check.get("passed").asBoolean()) {
                    assertThat(body).as("the failure body").contains(xmlLegal(check.get("message").asText()));
                }
            }
            assertThat(body).as("the failure body").contains("Tensors are not close!", "Mismatched elements: 2 / 2");
        }

        @Test
        @DisplayName("has as its message the body's first line: how many checks failed and the first divergence")
        void messageIsTheFirstLine() throws Exception {
            Element failure = failure(xml, 1);
            assertThat(failure.getAttribute("message")).as("the failure's message attribute")
                    .isEqualTo("2 of 3 checks failed; first divergence: dense<1>&\"x\"'y'\\u0000\\u0007 (forward)");
            assertThat(failure.getTextContent()).as("the failure body").startsWith(failure.getAttribute("message") + "\n");
            assertThat(failure.getAttribute("type")).as("the failure's type, the table's verdict").isEqualTo("FAIL");
        }

        @Test
        @DisplayName("writes the characters XML 1.0 forbids as \\u0000-style text, keeping markup and quotes as they are")
        void forbiddenCharacters() throws Exception {
            assertThat(xml).as("the raw document").doesNotContain("\u0000", "\u0007");
            assertThat(failure(xml, 1).getTextContent()).as("the failure body as a reporter reads it")
                    .contains("(dense<1>&\"x\"'y'\\u0000\\u0007 activation, float64)");
        }

        @Test
        @DisplayName("leaves the passing case without a failure")
        void passingCaseHasNoFailure() throws Exception {
            assertThat(testcases(xml).get(0).getElementsByTagName("failure").getLength())
                    .as("failures of %s", testcases(xml).get(0).getAttribute("name")).isZero();
        }
    }

    @Nested
    @DisplayName("of a report with a failing trajectory")
    class FailingTrajectory {

        private static final String DETAIL = "step 2: Tensors are not close!  (dense/kernel weight, float64)\n"
                + "Mismatched elements: 3 / 7840 (0.0%)";

        private final JsonNode json = ReportJson.toJson(new ParityReport(ENVIRONMENT,
                List.of(passingCase("ist597-mlp", true)), List.of(trajectory(Verdict.FAIL, Optional.of(2), DETAIL)),
                List.of()));
        private final String xml = ReportJunit.toXml(json);

        @Test
        @DisplayName("is valid against Surefire's JUnit schema")
        void valid() {
            SurefireSchema.assertValid(xml);
        }

        @Test
        @DisplayName("counts the trajectory as the one failure, as the JSON does")
        void counts() throws Exception {
            assertThat(suite(xml).getAttribute("failures")).as("failures; the JSON says %s", json.get("summary"))
                    .isEqualTo(json.at("/summary/failed_trajectories").asText()).isEqualTo("1");
        }

        @Test
        @DisplayName("fails it with its verdict as type and message, and its detail in the body")
        void verdictAndDetail() throws Exception {
            Element failure = failure(xml, 1);
            assertThat(List.of(failure.getAttribute("type"), failure.getAttribute("message")))
                    .as("the failure's type and message").containsExactly("FAIL", "FAIL at step 2");
            assertThat(failure.getTextContent()).as("the failure body").isEqualTo("FAIL at step 2\n\n" + DETAIL);
        }
    }

    @Nested
    @DisplayName("of a report whose known defect no longer reproduces (FIXED?)")
    class FixedKnownDefect {

        private final String xml = ReportJunit.toXml(ReportJson.toJson(new ParityReport(ENVIRONMENT,
                List.of(passingCase("ist597-mlp", true)), List.of(),
                List.of(new KnownDefectStatus(defect("nadam"), "FIXED?", false)))));

        @Test
        @DisplayName("is valid against Surefire's JUnit schema")
        void valid() {
            SurefireSchema.assertValid(xml);
        }

        @Test
        @DisplayName("fails the defect's testcase, typed FIXED?, with its reason and reproducer in the body")
        void fails() throws Exception {
            Element failure = failure(xml, 1);
            assertThat(failure.getAttribute("type")).as("the failure's type").isEqualTo("FIXED?");
            assertThat(failure.getTextContent()).as("the failure body")
                    .startsWith("nadam [diverges; FIXED?]: " + defect("nadam").reason())
                    .endsWith("Reproducer: " + defect("nadam").reproducer());
        }
    }

    @Nested
    @DisplayName("written to a file")
    class Written {

        @Test
        @DisplayName("holds the same document as toXml, and nothing is left beside it")
        void sameDocumentNoTemporary(@TempDir Path dir) throws IOException {
            JsonNode json = ReportJson.toJson(new ParityReport(ENVIRONMENT, List.of(passingCase("ist597-mlp", true)),
                    List.of(), List.of()));
            Path file = dir.resolve("junit.xml");
            ReportJunit.write(json, file);
            assertThat(Files.readString(file)).as("the file").isEqualTo(ReportJunit.toXml(json));
            try (Stream<Path> entries = Files.list(dir)) {
                assertThat(entries).as("the directory, no %s left", AtomicOutput.TEMPORARY_SUFFIX).containsExactly(file);
            }
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @DisplayName("of a real run: parity verify --model ist597-mlp --dataset mnist --precision float64 --steps 2"
            + " --json --junit")
    class RealRun {

        private Path dir;
        private String out;
        private JsonNode json;
        private String xml;

        @BeforeAll
        void run(@TempDir Path dir) throws IOException {
            this.dir = dir;
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int status = ParityCli.execute(new PrintWriter(out), new PrintWriter(err), "verify", "--model", "ist597-mlp",
                    "--dataset", "mnist", "--precision", "float64", "--steps", "2",
                    "--json", dir.resolve("report.json").toString(), "--junit", dir.resolve("report.xml").toString());
            assertThat(status).as("exit status of the run; stdout:%n%s%nstderr:%n%s", out, err).isZero();
            this.out = out.toString();
            json = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
            xml = Files.readString(dir.resolve("report.xml"));
        }

        @Test
        @DisplayName("prints 'JUnit report: FILE' after 'JSON report: FILE'")
        void namesTheFile() {
            assertThat(out).as("stdout").contains("JSON report: " + dir.resolve("report.json") + "\nJUnit report: "
                    + dir.resolve("report.xml") + "\n");
        }

        @Test
        @DisplayName("is valid against Surefire's JUnit schema")
        void valid() {
            SurefireSchema.assertValid(xml);
        }

        @Test
        @DisplayName("counts as many tests and failures as the JSON has cases, trajectories and known defects, and"
                + " failed ones")
        void counts() throws Exception {
            Element suite = suite(xml);
            long failedDefects = elements(json.get("known_defects")).filter(d -> !d.get("ok").asBoolean()).count();
            assertThat(suite.getAttribute("tests")).as("tests; the JSON says %s", json.get("summary"))
                    .isEqualTo(Integer.toString(json.get("cases").size() + json.get("trajectories").size()
                            + json.get("known_defects").size()));
            assertThat(suite.getAttribute("failures")).as("failures; the JSON says %s", json.get("summary"))
                    .isEqualTo(Long.toString(json.at("/summary/failed_cases").asLong()
                            + json.at("/summary/failed_trajectories").asLong() + failedDefects));
        }

        @Test
        @DisplayName("names each case's and trajectory's testcase by its id, in the JSON's order")
        void namesAreIds() throws Exception {
            List<String> ids = Stream.concat(elements(json.get("cases")), elements(json.get("trajectories")))
                    .map(n -> n.get("id").asText()).toList();
            assertThat(ids).as("the run's ids").isNotEmpty();
            assertThat(testcases(xml)).extracting(t -> t.getAttribute("name")).as("testcase names")
                    .startsWith(ids.toArray(String[]::new)).hasSize(ids.size() + json.get("known_defects").size());
        }
    }

    /** A case of two tensors, every check passing, its sides' passes taking 3 and 2 ms. */
    private static CaseResult passingCase(String model, boolean training) {
        return new CaseResult(model, "no-fingerprint", "mnist", Precision.FLOAT64, "mnist test[0:2]", training,
                List.of(check("dense", TensorKind.ACTIVATION, new double[] {1, 2}, new double[] {1, 2}),
                        check("loss", TensorKind.LOSS, new double[] {0.5}, new double[] {0.5})),
                List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                new Predictions(new int[] {0, 1}, new int[] {0, 1}, new int[] {0, 1}), Optional.empty(), 3, 2, 6);
    }

    /** TensorFlow's {@code tf} against the reference's {@code ref}, compared for real. */
    private static TensorCheck check(String tensor, TensorKind kind, double[] tf, double[] ref) {
        return new TensorCheck(tensor, kind, TensorComparator.compare(tensor + " " + kind.jsonName() + ", float64",
                Nd4j.createFromArray(tf), Nd4j.createFromArray(ref), TOLERANCE), null);
    }

    /** cs172-linear's own training (sgd) on mnist, 3 steps, judged as {@code verdict}. */
    private static TrajectoryCase.Outcome trajectory(Verdict verdict, Optional<Integer> firstFailing, String detail) {
        TrajectoryCase t = new TrajectoryCase(ModelZoo.load("cs172-linear"), Dataset.MNIST, Precision.FLOAT64, 3);
        return new TrajectoryCase.Outcome(t, verdict, firstFailing, 0.5, 0, Optional.empty(), 1e-9, List.of(), detail,
                List.of(), List.of(), 40);
    }

    private static KnownDefect defect(String optimizer) {
        return KnownDefect.of(optimizer).orElseThrow();
    }

    /** {@code text} as the report must write it: U+0000 and U+0007, which XML 1.0 forbids, as escapes. */
    private static String xmlLegal(String text) {
        return text.replace("\u0000", "\\u0000").replace("\u0007", "\\u0007");
    }

    private static Document parse(String xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }

    private static Element suite(String xml) throws Exception {
        return parse(xml).getDocumentElement();
    }

    private static List<Element> testcases(String xml) throws Exception {
        NodeList nodes = parse(xml).getElementsByTagName("testcase");
        List<Element> testcases = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            testcases.add((Element) nodes.item(i));
        }
        return testcases;
    }

    /** The failure of the {@code index}-th testcase, which must have one. */
    private static Element failure(String xml, int index) throws Exception {
        Element testcase = testcases(xml).get(index);
        NodeList failures = testcase.getElementsByTagName("failure");
        assertThat(failures.getLength()).as("failures of testcase %s", testcase.getAttribute("name")).isEqualTo(1);
        return (Element) failures.item(0);
    }

    private static Stream<JsonNode> elements(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }
}
