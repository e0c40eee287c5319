package org.paritysuite.harness.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.data.ImageSource;

@DisplayName("The zoo's experiment presets")
class ExperimentPresetTest {

    private static final ExperimentPreset.Options DEFAULTS =
            new ExperimentPreset.Options(null, Precision.FLOAT32, null, null, null, null, ImageSource.SHIPPED);

    @Test
    @DisplayName("ist597-sgd-adam trains ist597-mlp on Fashion-MNIST with SGD and with Adam")
    void ist597() {
        List<RunPlan> runs = ExperimentPreset.fromId("ist597-sgd-adam").runs(DEFAULTS);
        assertThat(runs).extracting(RunPlan::optimizer).containsExactly("sgd", "adam");
        assertThat(runs).allSatisfy(r -> {
            assertThat(r.spec().name()).isEqualTo("ist597-mlp");
            assertThat(r.dataset()).isEqualTo(Dataset.FASHION_MNIST);
            assertThat(r.batchSize()).isEqualTo(64);
        });
    }

    @Test
    @DisplayName("cs6910-optimizers trains the cs6910 network with its six optimizers at one learning rate")
    void cs6910() {
        List<RunPlan> runs = ExperimentPreset.fromId("cs6910-optimizers").runs(DEFAULTS);
        assertThat(runs).extracting(RunPlan::optimizer)
                .containsExactly("sgd", "momentum", "nesterov", "rmsprop", "adam", "nadam");
        assertThat(runs).allSatisfy(r -> {
            assertThat(r.spec().name()).isEqualTo("cs6910-best-fashion");
            assertThat(r.batchSize()).isEqualTo(32);
            assertThat(r.spec().training().optimizerSpec().learningRate()).isEqualTo((double) 0.001f);
        });
    }

    @Test
    @DisplayName("cs172-batch-sizes trains cs172-linear with SGD at batch sizes 1, 10, 100 and 1000, batch 1000 one step per epoch")
    void cs172() {
        List<RunPlan> runs = ExperimentPreset.fromId("cs172-batch-sizes").runs(DEFAULTS);
        assertThat(runs).extracting(RunPlan::batchSize).containsExactly(1, 10, 100, 1000);
        assertThat(runs).extracting(RunPlan::stepsPerEpoch).containsExactly(1000, 100, 10, 1);
        assertThat(runs).allSatisfy(r -> {
            assertThat(r.spec().name()).isEqualTo("cs172-linear");
            assertThat(r.optimizer()).isEqualTo("sgd");
            assertThat(r.dataset()).isEqualTo(Dataset.MNIST);
        });
        assertThat(runs.get(3).note()).contains("one step per epoch");
    }

    @Test
    @DisplayName("applies the command line's data set, precision, epochs, images and learning rate to every run")
    void options() {
        List<RunPlan> runs = ExperimentPreset.fromId("cs172-batch-sizes")
                .runs(new ExperimentPreset.Options(Dataset.FASHION_MNIST, Precision.FLOAT64, 2, 1000, 100, 0.5,
                        ImageSource.SHIPPED));
        assertThat(runs).allSatisfy(r -> {
            assertThat(r.dataset()).isEqualTo(Dataset.FASHION_MNIST);
            assertThat(r.precision()).isEqualTo(Precision.FLOAT64);
            assertThat(r.epochs()).isEqualTo(2);
            assertThat(r.testImages()).isEqualTo(100);
            assertThat(r.spec().training().optimizerSpec().learningRate()).isEqualTo(0.5);
        });
    }

    @Test
    @DisplayName("refuses fewer training images than the largest batch, before anything trains")
    void tooFewImages() {
        assertThatThrownBy(() -> ExperimentPreset.fromId("cs172-batch-sizes")
                .runs(new ExperimentPreset.Options(null, Precision.FLOAT32, null, 500, null, null,
                        ImageSource.SHIPPED)))
                .isInstanceOf(FixtureException.class)
                .hasMessageContaining("batch size 1000 is larger than the 500 training images");
    }

    @Test
    @DisplayName("on the shipped subsets every experiment takes all 1,000 training and test images")
    void shippedScale() {
        assertThat(ExperimentPreset.fromId("ist597-sgd-adam").runs(DEFAULTS)).allSatisfy(r -> {
            assertThat(r.trainImages()).isEqualTo(1000);
            assertThat(r.testImages()).isEqualTo(1000);
            assertThat(r.images().isShipped()).isTrue();
        });
    }

    @Test
    @DisplayName("on full data ist597-sgd-adam takes its report's 7,000 training and 1,500 test images")
    void reportScale(@TempDir Path dir) {
        ImageSource full = ImageSource.directory(IdxDirectories.write(dir, Dataset.FASHION_MNIST, 7100, 1600));
        List<RunPlan> runs = ExperimentPreset.fromId("ist597-sgd-adam")
                .runs(new ExperimentPreset.Options(null, Precision.FLOAT32, null, null, null, null, full));
        assertThat(runs).allSatisfy(r -> {
            assertThat(r.trainImages()).isEqualTo(7000);
            assertThat(r.testImages()).isEqualTo(1500);
            assertThat(r.stepsPerEpoch()).isEqualTo(109);
            assertThat(r.trainingSource()).isEqualTo(dir + "/fashion-mnist train[0:7000]");
            assertThat(r.note()).isEqualTo("the report's scale, 7,000 training / 1,500 test images");
        });
    }

    @Test
    @DisplayName("on full data that holds less than the report's scale, all of it, and the run says so")
    void lessThanReportScale(@TempDir Path dir) {
        ImageSource full = ImageSource.directory(IdxDirectories.write(dir, Dataset.MNIST, 1200, 300));
        List<RunPlan> runs = ExperimentPreset.fromId("ist597-sgd-adam")
                .runs(new ExperimentPreset.Options(Dataset.MNIST, Precision.FLOAT32, null, null, null, null, full));
        assertThat(runs).allSatisfy(r -> {
            assertThat(r.trainImages()).isEqualTo(1200);
            assertThat(r.testImages()).isEqualTo(300);
            assertThat(r.note()).isEqualTo("the report's scale, 7,000 training / 1,500 test images;"
                    + " mnist has 1,200 training images: all of them; mnist has 300 test images: all of them");
        });
    }

    @Test
    @DisplayName("on full data an experiment without a known scale takes every image there is")
    void everyImage(@TempDir Path dir) {
        ImageSource full = ImageSource.directory(IdxDirectories.write(dir, Dataset.MNIST, 1200, 300));
        assertThat(ExperimentPreset.fromId("cs172-batch-sizes")
                .runs(new ExperimentPreset.Options(null, Precision.FLOAT32, null, null, null, null, full)))
                .allSatisfy(r -> {
                    assertThat(r.trainImages()).isEqualTo(1200);
                    assertThat(r.testImages()).isEqualTo(300);
                    assertThat(r.note()).isEmpty();
                });
    }

    @Test
    @DisplayName("names the experiments there are when asked for an unknown one")
    void unknown() {
        assertThatThrownBy(() -> ExperimentPreset.fromId("cs231n"))
                .isInstanceOf(FixtureException.class)
                .hasMessageContaining("--experiment: unknown experiment 'cs231n'")
                .hasMessageContaining("ist597-sgd-adam, cs6910-optimizers, cs172-batch-sizes");
    }
}
