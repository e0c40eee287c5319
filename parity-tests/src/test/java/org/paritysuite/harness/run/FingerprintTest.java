package org.paritysuite.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.ModelZoo;
import org.paritysuite.fixtures.weights.GlorotUniform;
import org.paritysuite.fixtures.weights.WeightSet;

/** The digest's value is part of every report and baseline: how it is computed must not change it. */
class FingerprintTest {

    private final ModelSpec spec = ModelZoo.load("ist597-mlp");
    private final WeightSet weights = GlorotUniform.initialise(spec, 1);

    @Test
    void aModelsDigestIsTheSpecThenEveryWeightByName() {
        String added = Fingerprint.start().add(spec).add(weights.asMap()).add("rest").hex();

        assertThat(Fingerprint.ofModel(spec, weights).add("rest").hex())
                .as("the kept model digest must equal adding the spec and the weight map one by one")
                .isEqualTo(added);
        assertThat(Fingerprint.ofModel(spec, weights).add("rest").hex())
                .as("a second case of the same model starts from the kept state, which must be unchanged")
                .isEqualTo(added);
    }

    @Test
    void equalValuedWeightSetsAreHashedEachOnTheirOwn() {
        WeightSet other = GlorotUniform.initialise(spec, 2);
        Fingerprint.ofModel(spec, weights);

        assertThat(Fingerprint.ofModel(spec, other).hex())
                .as("another weight set must not reuse the first one's kept digest")
                .isEqualTo(Fingerprint.start().add(spec).add(other.asMap()).hex())
                .isNotEqualTo(Fingerprint.ofModel(spec, weights).hex());
    }

    @Test
    void anArrayLongerThanTheHashingWindowIsItsShapeThenEveryValueBigEndian() throws Exception {
        double[] counting = new double[20_001];
        for (int i = 0; i < counting.length; i++) {
            counting[i] = i + 1;
        }
        INDArray array = Nd4j.create(counting, new long[] {3, 6667}, DataType.DOUBLE);
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        byte[] shape = "[3, 6667]".getBytes(StandardCharsets.UTF_8);
        expected.update(ByteBuffer.allocate(Integer.BYTES).putInt(shape.length).array());
        expected.update(shape);
        ByteBuffer values = ByteBuffer.allocate(20_001 * Double.BYTES);
        for (int i = 1; i <= 20_001; i++) {
            values.putDouble(i);
        }
        expected.update(values.array());

        assertThat(Fingerprint.start().add(array).hex())
                .as("hashing through a window must give the digest of the whole array at once")
                .isEqualTo(HexFormat.of().formatHex(expected.digest()));
    }
}
