package org.paritysuite.harness.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.paritysuite.harness.output.AtomicOutput;

/**
 * Writes a report as JUnit XML, the file Jenkins, GitLab and GitHub test reporters read: one
 * {@code <testsuite name="parity">} following Apache Maven Surefire's
 * {@code surefire-test-report.xsd}, with one testcase per parity case, per training trajectory and
 * per known defect (docs/report-format.md, "JUnit XML").
 *
 * <p>Its input is the report's JSON tree ({@link ReportJson#toJson}), not a {@link ParityReport}:
 * a tree merged from several shards' JSON files has no {@code ParityReport} behind it and must give
 * the same XML.
 *
 * <ul>
 *   <li>A case: name its {@code id}, classname {@code parity.case.MODEL}, time its two sides'
 *       {@code timing_ms}; when it failed, a {@code <failure type="FAIL">} carrying the first
 *       divergence and every failing check's {@code assert_close}-style message.</li>
 *   <li>A trajectory: name its {@code id}, classname {@code parity.trajectory.MODEL}; when it
 *       failed, a failure typed with its verdict ({@code FAIL}, {@code FIXED?}, {@code DIVERGED})
 *       carrying its {@code detail}.</li>
 *   <li>A known defect: name its optimizer, else its subject, classname {@code parity.known_defect}; a failure when
 *       it is not {@code ok} (it no longer reproduces, {@code FIXED?}), skipped when its status is
 *       {@code not run}, so the list of defects stays visible in the reporter and kept true.</li>
 * </ul>
 *
 * <p>Text that XML 1.0 cannot hold (control characters other than tab and line breaks, lone
 * surrogates, U+FFFE, U+FFFF), which a hostile name could bring into a message, is written as
 * <code>&#92;uXXXX</code>, as the terminal output writes control characters, so the file always parses.
 */
public final class ReportJunit {

    /** The root element's name, which reporters show as the suite. */
    private static final String SUITE_NAME = "parity";

    /** A failing testcase's {@code type}, like the table's verdict column. */
    private static final String CASE_FAILURE_TYPE = "FAIL";

    private static final String KNOWN_DEFECT_CLASSNAME = "parity.known_defect";

    private static final String INDENT = "  ";

    private ReportJunit() {
    }

    /** Writes the report tree to {@code file} as JUnit XML, all or nothing ({@link AtomicOutput}). */
    public static void write(JsonNode report, Path file) {
        byte[] xml = toXml(report).getBytes(StandardCharsets.UTF_8);
        AtomicOutput.writeFile(file, "the JUnit report", out -> out.write(xml));
    }

    /** The report tree as a JUnit XML document, UTF-8 declared. */
    public static String toXml(JsonNode report) {
        List<Testcase> testcases = testcases(report);
        StringWriter text = new StringWriter();
        try {
            // The JDK's own writer, not whichever StAX implementation the class path brings.
            XMLStreamWriter xml = XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(text);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("testsuite");
            xml.writeAttribute("name", SUITE_NAME);
            xml.writeAttribute("tests", Integer.toString(testcases.size()));
            xml.writeAttribute("failures", Long.toString(testcases.stream().filter(t -> t.failure() != null).count()));
            xml.writeAttribute("errors", "0");
            xml.writeAttribute("skipped", Long.toString(testcases.stream().filter(t -> t.skipped() != null).count()));
            xml.writeAttribute("time", seconds(testcases.stream().mapToDouble(Testcase::seconds).sum()));
            writeProperties(xml, report.path("environment"));
            for (Testcase t : testcases) {
                writeTestcase(xml, t);
            }
            xml.writeCharacters("\n");
            xml.writeEndElement();
            xml.writeCharacters("\n");
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            // Only a broken writer gets here: the text goes to memory and every string is made legal first.
            throw new IllegalStateException("cannot write the JUnit XML: " + e.getMessage(), e);
        }
        return text.toString();
    }

    /**
     * One testcase as it will be written.
     *
     * @param failure null when it passed
     * @param skipped why it did not run, or null when it did
     */
    private record Testcase(String classname, String name, double seconds, Failure failure, String skipped) {
    }

    /** A failure: {@code message} is the first line of {@code body}, {@code type} the verdict. */
    private record Failure(String type, String body) {
        String message() {
            int end = body.indexOf('\n');
            return end < 0 ? body : body.substring(0, end);
        }
    }

    private static List<Testcase> testcases(JsonNode report) {
        List<Testcase> testcases = new ArrayList<>();
        report.path("cases").forEach(c -> testcases.add(caseTestcase(c)));
        report.path("trajectories").forEach(t -> testcases.add(trajectoryTestcase(t)));
        report.path("known_defects").forEach(d -> testcases.add(knownDefectTestcase(d)));
        return testcases;
    }

    private static Testcase caseTestcase(JsonNode c) {
        JsonNode timing = c.path("timing_ms");
        double seconds = (timing.path("tensorflow").asDouble(0) + timing.path("reference").asDouble(0)) / 1000;
        Failure failure = c.path("passed").asBoolean() ? null : new Failure(CASE_FAILURE_TYPE, caseFailure(c));
        return new Testcase(classname("parity.case.", c), c.path("id").asText(), seconds, failure, null);
    }

    private static Testcase trajectoryTestcase(JsonNode t) {
        String verdict = t.path("verdict").asText();
        JsonNode step = t.path("first_failing_step");
        String headline = verdict + (step.isNumber() ? " at step " + step.asInt() : "");
        String detail = t.path("detail").asText();
        Failure failure = t.path("passed").asBoolean() ? null
                : new Failure(verdict, detail.isEmpty() ? headline : headline + "\n\n" + detail);
        // The JSON records no trajectory's duration, so its time is 0 (the schema requires one).
        return new Testcase(classname("parity.trajectory.", t), t.path("id").asText(), 0, failure, null);
    }

    private static Testcase knownDefectTestcase(JsonNode d) {
        String status = d.path("status").asText();
        String described = ReportJson.defectName(d) + " [" + d.path("handling").asText() + "; " + status
                + "]: " + d.path("reason").asText() + "\nReproducer: " + d.path("reproducer").asText();
        Failure failure = d.path("ok").asBoolean() ? null : new Failure(status, described);
        String skipped = status.equals("not run") ? "not run: no trajectory of its optimizer in this run" : null;
        return new Testcase(KNOWN_DEFECT_CLASSNAME, ReportJson.defectName(d), 0, failure, skipped);
    }

    /**
     * {@code prefix} and the model; a dot in a model name (specs allow them) becomes {@code _}, since
     * reporters split the classname at dots into a package tree.
     */
    private static String classname(String prefix, JsonNode node) {
        return prefix + node.path("model").asText().replace('.', '_');
    }

    /**
     * The first divergence and the count on the first line (the failure's message), then every
     * failing check's message, each with its blame in float32, as the table prints them, then the
     * failing comparisons with saved Keras predictions ({@code --expect}).
     */
    private static String caseFailure(JsonNode c) {
        List<JsonNode> failing = new ArrayList<>();
        c.path("checks").forEach(check -> {
            if (!check.path("passed").asBoolean()) {
                failing.add(check);
            }
        });
        StringBuilder body = new StringBuilder(String.format(Locale.ROOT, "%d of %d checks failed; first divergence: %s",
                failing.size(), c.path("checks").size(), firstDivergence(c.path("first_divergence"))));
        for (JsonNode check : failing) {
            body.append("\n\n").append(check.path("message").asText());
            if (check.has("blame")) {
                body.append("\nFurther from the float64 result: ").append(check.path("blame").path("side").asText());
            }
        }
        for (String side : List.of("tensorflow", "reference")) {
            JsonNode keras = c.path("keras").path(side);
            if (keras.has("message")) {
                body.append("\n\n").append(keras.path("message").asText());
            }
        }
        return body.toString();
    }

    /** As the table's column: {@code dense_1 (forward), dense_1/kernel (backward)}, or {@code -}. */
    private static String firstDivergence(JsonNode first) {
        List<String> parts = new ArrayList<>();
        for (String direction : List.of("forward", "backward")) {
            if (first.path(direction).isTextual()) {
                parts.add(first.path(direction).asText() + " (" + direction + ")");
            }
        }
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }

    private static void writeProperties(XMLStreamWriter xml, JsonNode environment) throws XMLStreamException {
        xml.writeCharacters("\n" + INDENT);
        xml.writeStartElement("properties");
        for (Map.Entry<String, JsonNode> entry : environment.properties()) {
            xml.writeCharacters("\n" + INDENT + INDENT);
            xml.writeEmptyElement("property");
            xml.writeAttribute("name", legal(entry.getKey()));
            xml.writeAttribute("value", legal(entry.getValue().asText()));
        }
        xml.writeCharacters("\n" + INDENT);
        xml.writeEndElement();
    }

    private static void writeTestcase(XMLStreamWriter xml, Testcase t) throws XMLStreamException {
        xml.writeCharacters("\n" + INDENT);
        boolean empty = t.failure() == null && t.skipped() == null;
        if (empty) {
            xml.writeEmptyElement("testcase");
        } else {
            xml.writeStartElement("testcase");
        }
        xml.writeAttribute("name", legal(t.name()));
        xml.writeAttribute("classname", legal(t.classname()));
        xml.writeAttribute("time", seconds(t.seconds()));
        if (empty) {
            return;
        }
        // The schema's order: failure before skipped.
        if (t.failure() != null) {
            xml.writeCharacters("\n" + INDENT + INDENT);
            xml.writeStartElement("failure");
            xml.writeAttribute("message", legal(t.failure().message()));
            xml.writeAttribute("type", legal(t.failure().type()));
            xml.writeCharacters(legal(t.failure().body()));
            xml.writeEndElement();
        }
        if (t.skipped() != null) {
            xml.writeCharacters("\n" + INDENT + INDENT);
            xml.writeEmptyElement("skipped");
            xml.writeAttribute("message", legal(t.skipped()));
        }
        xml.writeCharacters("\n" + INDENT);
        xml.writeEndElement();
    }

    /** Seconds as Surefire writes them, e.g. {@code 0.012}. */
    private static String seconds(double seconds) {
        return String.format(Locale.ROOT, "%.3f", seconds);
    }

    /**
     * {@code text} with every character XML 1.0 forbids written as <code>&#92;uXXXX</code>. Allowed:
     * tab, line feed, carriage return, U+0020 to U+D7FF, U+E000 to U+FFFD, U+10000 to U+10FFFF
     * (XML 1.0, section 2.2); a lone surrogate is no character at all.
     */
    private static String legal(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (allowed(cp)) {
                out.appendCodePoint(cp);
            } else {
                out.append(String.format(Locale.ROOT, "\\u%04X", cp));
            }
        });
        return out.toString();
    }

    private static boolean allowed(int cp) {
        return cp == '\t' || cp == '\n' || cp == '\r' || (cp >= 0x20 && cp <= 0xD7FF)
                || (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
    }
}
