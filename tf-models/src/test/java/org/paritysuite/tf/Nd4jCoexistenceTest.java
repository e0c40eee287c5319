package org.paritysuite.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.cpu.nativecpu.ops.NativeOpExecutioner;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.run.Trace;
import org.paritysuite.fixtures.spec.Activation;
import org.paritysuite.fixtures.spec.LossSpec;
import org.tensorflow.TensorFlow;

/**
 * TensorFlow Java 1.1 needs javacpp 1.5.11, ND4J M2.1 was built against 1.5.7; the build pins
 * 1.5.11 so both native stacks load in one JVM (a mismatch shows up as ND4J failing in
 * {@code Loader$Helper.totalCores}).
 */
@DisplayName("TensorFlow and ND4J in one JVM")
class Nd4jCoexistenceTest {

    @Test
    @DisplayName("ND4J computes after TensorFlow has loaded, and agrees with TensorFlow on x W1 + b1")
    void nd4jNextToTensorFlow() {
        assertThat(TensorFlow.version()).isNotBlank(); // native TensorFlow is loaded from here on
        Trace trace;
        try (TfModel model = TfModel.build(TinyModels.net432(Activation.LINEAR, LossSpec.CATEGORICAL_CROSSENTROPY),
                TinyModels.weights432(), Precision.FLOAT64)) {
            trace = model.forwardBackward(TinyModels.batch432());
        }

        INDArray nd4j = Nd4j.create(TinyModels.X).mmul(Nd4j.create(TinyModels.W1)).addRowVector(Nd4j.create(TinyModels.B1));

        assertThat(TinyModels.flat(nd4j))
                .containsExactly(TinyModels.flat(trace.find("activation/hidden").orElseThrow().value()), within(1e-15));
        assertThat(Nd4j.getExecutioner()).as("ND4J's executioner: the native CPU one (FencedOpExecutioner extends it)")
                .isInstanceOf(NativeOpExecutioner.class);
    }
}
