package org.paritysuite.reference;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.paritysuite.fixtures.run.Formula;

/**
 * The class comment of a reference layer, read back as plain text: the one source of the formulas
 * a walk-through prints. The build copies this package's sources beside its classes (see the
 * module's pom), so the text is the Javadoc a reader of {@code Dense.java} sees, not a copy of it.
 *
 * <p>A page is split into its paragraphs ({@code <p>}); the forward text is the summary sentence
 * and the paragraph that starts with "Forward", the backward text the paragraph that starts with
 * "Backward". Javadoc markup is undone: {@code {@code x}} becomes {@code x}, {@code <pre>} blocks
 * keep their lines and indentation.
 */
final class JavadocPage {

    private static final Pattern CLASS_COMMENT = Pattern.compile("/\\*\\*(.*?)\\*/\\s*(?:@\\w+\\s*)*public\\s+(?:final\\s+|abstract\\s+)*(?:class|interface)",
            Pattern.DOTALL);
    private static final Pattern INLINE_TAG = Pattern.compile("\\{@(?:code|link|linkplain|literal)\\s+([^{}]*(?:\\{[^{}]*\\}[^{}]*)*)\\}");

    private final String step;
    private final List<String> paragraphs;

    private JavadocPage(String step, List<String> paragraphs) {
        this.step = step;
        this.paragraphs = paragraphs;
    }

    /** The page of {@code layerClass}, a class of this package. */
    static JavadocPage of(Class<?> layerClass) {
        String resource = "javadoc/" + layerClass.getSimpleName() + ".java";
        try (InputStream in = JavadocPage.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the build copies " + layerClass.getSimpleName()
                        + ".java beside the classes as " + resource + "; it is missing (see reference-impl's pom)");
            }
            String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = CLASS_COMMENT.matcher(source);
            if (!m.find()) {
                throw new IllegalStateException(layerClass.getSimpleName() + ".java has no class comment");
            }
            return new JavadocPage(layerClass.getSimpleName(), paragraphs(m.group(1)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource + ": " + e.getMessage(), e);
        }
    }

    /** The summary and the "Forward" paragraph, then the "Backward" paragraph. */
    Formula formula() {
        StringBuilder forward = new StringBuilder(paragraphs.get(0));
        paragraphs.stream().skip(1).filter(p -> p.startsWith("Forward")).findFirst()
                .ifPresent(p -> forward.append('\n').append(p));
        String backward = paragraphs.stream().skip(1).filter(p -> p.startsWith("Backward")).findFirst().orElse("");
        return new Formula(step, forward.toString(), backward);
    }

    /** The comment's paragraphs as plain text: the leading stars gone, the markup undone. */
    private static List<String> paragraphs(String comment) {
        StringBuilder text = new StringBuilder();
        for (String line : comment.split("\n")) {
            String stripped = line.replaceFirst("^\\s*\\* ?", "");
            text.append(stripped.startsWith("*") && stripped.isBlank() ? "" : stripped).append('\n');
        }
        List<String> paragraphs = new ArrayList<>();
        for (String p : text.toString().split("<p>")) {
            String plain = plain(p).strip();
            if (!plain.isEmpty()) {
                paragraphs.add(plain);
            }
        }
        return paragraphs;
    }

    /** Undoes the markup of one paragraph; a {@code <pre>} block keeps its lines, prose lines are joined. */
    private static String plain(String paragraph) {
        StringBuilder out = new StringBuilder();
        boolean pre = false;
        for (String line : paragraph.split("\n")) {
            String t = line;
            if (t.strip().startsWith("<pre>")) {
                pre = true;
                out.append('\n');
                continue;
            }
            if (t.strip().startsWith("</pre>")) {
                pre = false;
                t = t.replace("</pre>", "");
                if (t.isBlank()) {
                    continue;
                }
            }
            t = untag(t);
            if (pre) {
                out.append(t.stripTrailing()).append('\n');
            } else if (!t.isBlank()) {
                if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
                    out.append(' ');
                }
                out.append(t.strip());
            }
        }
        return out.toString();
    }

    private static String untag(String line) {
        String t = INLINE_TAG.matcher(line).replaceAll(m -> Matcher.quoteReplacement(m.group(1).replace('#', '.')));
        return t.replaceAll("</?(em|i|b|code|ul|ol|li)>", "").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
    }
}
