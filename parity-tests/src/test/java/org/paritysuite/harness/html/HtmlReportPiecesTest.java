package org.paritysuite.harness.html;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.data.ShippedDatasets;
import org.paritysuite.fixtures.data.Split;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.ModelZoo;
import org.paritysuite.harness.run.Predictions;
import org.paritysuite.harness.training.EpochRecord;
import org.paritysuite.harness.training.RunPlan;
import org.paritysuite.harness.training.RunResult;
import org.paritysuite.harness.training.StepRecord;
import org.paritysuite.harness.training.Verdict;

/** The HTML report's pieces, without a browser and without training. */
@DisplayName("HTML report pieces")
class HtmlReportPiecesTest {

    @Nested
    @DisplayName("ConfusionMatrix")
    class Confusion {

        @Test
        @DisplayName("counts each example at (true class, predicted class)")
        void counts() {
            ConfusionMatrix m = ConfusionMatrix.of("TensorFlow", new int[] {0, 0, 1, 2}, new int[] {0, 1, 1, 1}, 3);
            assertThat(m.count(0, 0)).as("class 0 predicted as 0").isEqualTo(1);
            assertThat(m.count(0, 1)).as("class 0 predicted as 1").isEqualTo(1);
            assertThat(m.count(2, 1)).as("class 2 predicted as 1").isEqualTo(1);
            assertThat(m.correct()).as("examples on the diagonal").isEqualTo(2);
            assertThat(m.total()).as("every example counted once").isEqualTo(4);
        }
    }

    @Nested
    @DisplayName("Thumbnails")
    class Pictures {

        @Test
        @DisplayName("a flattened 784-pixel input is a 28x28 grey PNG, its range mapped to black..white exactly")
        void flattenedGrey() throws IOException {
            INDArray x = Nd4j.zeros(DataType.FLOAT, 2, 784);
            x.putScalar(1, 0, 1.0);
            x.putScalar(1, 29, 0.5);
            BufferedImage image = decode(Thumbnails.of(x, 1, 0, 1).orElseThrow());
            assertThat(image.getWidth()).as("width").isEqualTo(28);
            assertThat(image.getHeight()).as("height").isEqualTo(28);
            assertThat(image.getRaster().getSample(0, 0, 0)).as("the pixel at the range's top is white").isEqualTo(255);
            assertThat(image.getRaster().getSample(1, 1, 0)).as("a mid-range pixel is mid-grey").isEqualTo(128);
            assertThat(image.getRaster().getSample(2, 0, 0)).as("a pixel at the range's bottom is black").isZero();
        }

        @Test
        @DisplayName("an NHWC batch of one channel is drawn as it is; an input that is no picture has no thumbnail")
        void shapes() throws IOException {
            assertThat(decode(Thumbnails.of(Nd4j.zeros(DataType.FLOAT, 1, 6, 4, 1), 0, -1, 1).orElseThrow()).getWidth())
                    .as("width of a [1, 6, 4, 1] image").isEqualTo(4);
            assertThat(Thumbnails.of(Nd4j.zeros(DataType.FLOAT, 1, 10), 0, 0, 1))
                    .as("10 features are no square image").isEmpty();
        }
    }

    @Nested
    @DisplayName("HtmlWriter")
    class Writer {

        @Test
        @DisplayName("escapes markup, quotes and ampersands")
        void escapes() {
            assertThat(HtmlWriter.escape("<img src=x onerror=\"a()\">&'"))
                    .isEqualTo("&lt;img src=x onerror=&quot;a()&quot;&gt;&amp;&#39;");
        }

        @Test
        @DisplayName("a training page shows the examples the sides classify differently, each a decodable thumbnail,"
                + " and every text from the run escaped")
        void trainingPage() throws IOException {
            HtmlPage page = HtmlReport.ofTrain("<b>title</b>", "subtitle", List.of(run()),
                    Map.of("jvm", "<script>alert(1)</script>"));
            assertThat(page.predictions()).as("one panel per run").singleElement().satisfies(p -> {
                assertThat(p.differCount()).as("examples classified differently").isEqualTo(2);
                assertThat(p.differing()).as("their thumbnails").hasSize(2);
                assertThat(p.differing().get(0).caption()).as("the first one's caption")
                        .isEqualTo("example 1: label " + labelOf(1) + ", TensorFlow 3, reference 4");
            });
            String html = HtmlWriter.render(page);
            assertThat(html).as("the page").doesNotContain("<script>").doesNotContain("<b>title")
                    .contains("&lt;script&gt;alert(1)&lt;/script&gt;").contains("2 example(s) classified differently");
            for (HtmlPage.Figure f : page.predictions().get(0).differing()) {
                assertThat(decode(f.dataUri()).getWidth()).as("a thumbnail's width, an MNIST image's").isEqualTo(28);
            }
        }
    }

    /** The true class of the shipped MNIST test image {@code i}. */
    private static int labelOf(int i) {
        return ShippedDatasets.load(Dataset.MNIST, Split.TEST).label(i);
    }

    /** A made-up run of one epoch of 4 steps, its predictions on 5 test images differing at images 1 and 3. */
    private static RunResult run() {
        ModelSpec spec = RunPlan.retrained(ModelZoo.load("cs172-linear"), 10, "sgd", Map.of("learning_rate", 0.05));
        RunPlan plan = new RunPlan("sgd <&>", spec, Dataset.MNIST, Precision.FLOAT32, 1, 40, 5, "");
        List<StepRecord> steps = new ArrayList<>();
        for (int step = 1; step <= 4; step++) {
            steps.add(new StepRecord(step, 1, 1.0 / step, 1.0 / step + 1e-7 * step, 0.01, null, false, null, 1, 2));
        }
        EpochRecord.Score score = new EpochRecord.Score(0.5, 0.4);
        List<EpochRecord> epochs = List.of(new EpochRecord(0, 0, Double.NaN, Double.NaN, score, score, 0, 0, Double.NaN,
                0, Double.NaN, Double.NaN), new EpochRecord(1, 4, 0.5, 0.5, score, score, 0.4, 0, 0.01, 0, 1, 2));
        int[] labels = new int[5];
        for (int i = 0; i < 5; i++) {
            labels[i] = labelOf(i);
        }
        Predictions predictions = new Predictions(labels, new int[] {0, 3, 2, 5, 4}, new int[] {0, 4, 2, 6, 4});
        return new RunResult(plan, steps, epochs, predictions, Verdict.PASS, Optional.empty(), "", 1.0);
    }

    private static BufferedImage decode(String dataUri) throws IOException {
        assertThat(dataUri).as("a PNG data URI").startsWith("data:image/png;base64,");
        return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder()
                .decode(dataUri.substring("data:image/png;base64,".length()))));
    }
}
