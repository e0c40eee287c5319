package org.paritysuite.harness.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The training progress bar")
class ProgressBarTest {

    private final StringWriter text = new StringWriter();
    private final AtomicLong clock = new AtomicLong();

    private ProgressBar bar(boolean interactive) {
        return new ProgressBar(new PrintWriter(text), interactive, clock::get);
    }

    /** Runs 50 steps, a second apart. */
    private void run(ProgressBar bar) {
        bar.start("sgd", 50);
        for (int step = 1; step <= 50; step++) {
            clock.addAndGet(1_000_000_000L);
            bar.update(step, "loss tf 0.5 ref 0.5");
        }
        bar.finish("PASS");
    }

    @Nested
    @DisplayName("without a terminal (a CI log)")
    class Plain {

        @Test
        @DisplayName("writes no carriage return or other control character")
        void noControlCharacters() {
            run(bar(false));
            assertThat(text.toString().replace("\n", "")).doesNotContain("\r").matches("\\P{Cntrl}*");
        }

        @Test
        @DisplayName("prints a line at every tenth of the run, then the verdict")
        void aLinePerTenth() {
            run(bar(false));
            assertThat(text.toString().lines()).hasSize(11)
                    .startsWith("sgd: step 5/50 (10%), loss tf 0.5 ref 0.5, 5 s, eta 45 s")
                    .endsWith("sgd: PASS");
        }
    }

    @Nested
    @DisplayName("on a terminal")
    class Interactive {

        @Test
        @DisplayName("redraws one line in place with carriage returns")
        void redrawsInPlace() {
            run(bar(true));
            String out = text.toString();
            assertThat(out).contains("\rsgd [" + "#".repeat(24) + "]    50/50 100%");
            assertThat(out.chars().filter(c -> c == '\n')).as("newlines").hasSize(1);
        }

        @Test
        @DisplayName("clears its line before other output is printed")
        void interruptClears() {
            ProgressBar bar = bar(true);
            bar.start("sgd", 10);
            bar.update(1, "loss");
            int drawn = text.toString().length() - 1;
            bar.interrupt();
            assertThat(text.toString()).endsWith("\r" + " ".repeat(drawn) + "\r");
        }
    }
}
