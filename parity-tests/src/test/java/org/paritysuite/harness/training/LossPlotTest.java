package org.paritysuite.harness.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.ModelZoo;
import org.paritysuite.harness.run.Predictions;

@DisplayName("The loss and accuracy plot")
class LossPlotTest {

    /** A made-up run of 3 epochs of 4 steps whose losses fall; no side is trained. */
    static RunResult run(String name, double offset) {
        ModelSpec spec = RunPlan.retrained(ModelZoo.load("cs172-linear"), 10, "sgd", Map.of("learning_rate", 0.05));
        RunPlan plan = new RunPlan(name, spec, Dataset.MNIST, Precision.FLOAT32, 3, 40, 50, "");
        List<StepRecord> steps = new ArrayList<>();
        List<EpochRecord> epochs = new ArrayList<>();
        for (int step = 1; step <= 12; step++) {
            double loss = offset + 1.0 / step;
            steps.add(new StepRecord(step, (step - 1) / 4 + 1, loss, loss, 0.01, null, false, null, 1.0, 2.0));
        }
        for (int epoch = 0; epoch <= 3; epoch++) {
            EpochRecord.Score score = new EpochRecord.Score(offset + 1.0 / (epoch + 1), 0.2 * epoch);
            epochs.add(new EpochRecord(epoch, 4 * epoch, 0.5, 0.5, score, score, 0, 0, 0.01, 0, 1.0, 2.0));
        }
        Predictions predictions = new Predictions(new int[] {1, 2}, new int[] {1, 2}, new int[] {1, 3});
        return new RunResult(plan, steps, epochs, predictions, Verdict.PASS, Optional.empty(), "", 1.0);
    }

    @Test
    @DisplayName("writes a PNG of the stated size")
    void pngOfStatedSize(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("plots/train.png");
        LossPlot.write(List.of(run("sgd", 0)), "title", "subtitle", png, 640, 480);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("a readable PNG").isNotNull();
        assertThat(image.getWidth()).isEqualTo(640);
        assertThat(image.getHeight()).isEqualTo(480);
    }

    @Test
    @DisplayName("draws an experiment's runs, one series per run and side")
    void experiment(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("experiment.png");
        LossPlot.write(List.of(run("sgd", 0), run("adam", 0.2)), "title", "subtitle", png, LossPlot.DEFAULT_WIDTH,
                LossPlot.DEFAULT_HEIGHT);
        assertThat(ImageIO.read(png.toFile()).getWidth()).isEqualTo(LossPlot.DEFAULT_WIDTH);
    }

    @Test
    @DisplayName("refuses a size too small to read, showing it")
    void tooSmall(@TempDir Path dir) {
        assertThatThrownBy(() -> LossPlot.write(List.of(run("sgd", 0)), "t", "s", dir.resolve("x.png"), 100, 480))
                .isInstanceOf(FixtureException.class).hasMessageContaining("found 100x480");
    }
}
