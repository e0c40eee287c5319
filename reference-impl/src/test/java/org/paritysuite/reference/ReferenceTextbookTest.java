package org.paritysuite.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.paritysuite.fixtures.run.Formula;
import org.paritysuite.fixtures.spec.LayerSpec;
import org.paritysuite.fixtures.spec.LossSpec;
import org.paritysuite.fixtures.spec.ModelZoo;

/** The walk-through's formulas are the reference's own class comments, read back as text. */
@DisplayName("The reference's textbook")
class ReferenceTextbookTest {

    private final ReferenceTextbook textbook = new ReferenceTextbook();

    static List<LayerSpec> zooLayers() {
        return ModelZoo.ids().stream().flatMap(id -> ModelZoo.load(id).layers().stream()).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("zooLayers")
    @DisplayName("every zoo layer has a forward and a backward text for each of its steps")
    void everyLayerHasBothPasses(LayerSpec layer) {
        List<Formula> steps = textbook.formulas(layer);
        assertThat(steps).as("steps of %s", layer).isNotEmpty();
        for (Formula f : steps) {
            assertThat(f.forward()).as("%s forward", f.step()).isNotBlank().doesNotContain("{@", "<pre>", "</pre>");
            assertThat(f.backward()).as("%s backward: every layer page has a 'Backward' paragraph", f.step())
                    .startsWith("Backward").doesNotContain("{@", "<pre>");
        }
    }

    @Test
    @DisplayName("Dense's page reads as its Javadoc: the summary, the shapes of the forward pass, the three gradients")
    void denseReadsAsItsJavadoc() {
        Formula dense = textbook.formulas(ModelZoo.load("ist597-mlp").layers().get(0)).get(0);
        assertThat(dense.step()).isEqualTo("Dense");
        assertThat(dense.forward()).startsWith("A fully connected (affine) layer: out = x W + b.")
                .contains("  W    [D, M]   kernel, the same layout as a Keras Dense kernel");
        assertThat(dense.backward()).contains("  dX = dOut W^T            [N, D]", "  dW = x^T dOut            [D, M]");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LossSpec.class)
    @DisplayName("every loss has a formula")
    void everyLoss(LossSpec loss) {
        assertThat(textbook.formula(loss).forward()).isNotBlank().doesNotContain("{@");
    }
}
