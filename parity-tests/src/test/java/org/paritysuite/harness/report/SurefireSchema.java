package org.paritysuite.harness.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.xml.sax.SAXException;

/**
 * Apache Maven Surefire's {@code surefire-test-report.xsd}, the JUnit XML schema Surefire's own
 * reports follow and the one Jenkins, GitLab and GitHub reporters read. It ships in no jar: the
 * build unpacks it from Surefire's source release ({@code parity-tests/pom.xml}, execution
 * {@code junit-schema}).
 */
final class SurefireSchema {

    /** Where the build puts it; the tests run in the module's directory. */
    static final Path FILE = Path.of("target", "junit-schema", "surefire-test-report.xsd");

    private SurefireSchema() {
    }

    /**
     * Fails unless {@code xml} is valid against the schema, and fails, never skips, when the schema
     * is missing: a test that cannot check must not look like one that passed.
     */
    static void assertValid(String xml) {
        assertThat(FILE.toFile())
                .as("Surefire's JUnit schema %s is missing. The build unpacks it from"
                        + " org.apache.maven.surefire:surefire:3.5.2:zip:source-release: run"
                        + " 'mvn generate-test-resources -pl parity-tests' (online once, to download the zip)",
                        FILE.toAbsolutePath())
                .isFile();
        try {
            SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(FILE.toFile()).newValidator()
                    .validate(new StreamSource(new StringReader(xml)));
        } catch (SAXException e) {
            fail("not valid against %s: %s%n--- the document ---%n%s", FILE, e.getMessage(), xml);
        } catch (IOException e) {
            fail("cannot read %s: %s", FILE, e.getMessage());
        }
    }
}
