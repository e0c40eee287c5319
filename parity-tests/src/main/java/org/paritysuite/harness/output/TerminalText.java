package org.paritysuite.harness.output;

/**
 * Text from arguments and files made safe to print on one line of a terminal or a CI log.
 *
 * <p>A file name may hold a line break, a carriage return or an ANSI escape sequence: printed as it
 * is, {@code --spec $'x\nPARITY OK'} would put a forged {@code PARITY OK} line into the output a CI
 * script greps, and a right-to-left override could reorder what a reader sees. Every control
 * character (C0, DEL, C1) and every invisible formatting character (bidirectional overrides,
 * zero-width characters) is written as a Java escape, <code>&#92;u000A</code>; all other text is unchanged.
 */
public final class TerminalText {

    private TerminalText() {
    }

    /** {@code text} with every control and formatting character as <code>&#92;uXXXX</code>; "null" for null. */
    public static String escape(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int type = Character.getType(c);
            if (type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                out.append(String.format("\\u%04X", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    /** {@code text} escaped line by line: its own line breaks kept, everything else as {@link #escape}. */
    public static String escapeLines(String text) {
        return String.join("\n", text.lines().map(TerminalText::escape).toList());
    }
}
