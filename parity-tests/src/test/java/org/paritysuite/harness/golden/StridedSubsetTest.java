package org.paritysuite.harness.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

@DisplayName("The strided subset of a golden tensor")
class StridedSubsetTest {

    @Test
    @DisplayName("keeps a tensor of up to 512 elements whole")
    void small() {
        assertThat(StridedSubset.stride(new long[] {16, 32})).isEqualTo(1);
        assertThat(StridedSubset.stride(new long[] {})).isEqualTo(1);
    }

    @ParameterizedTest(name = "shape [{0}, {1}]: stride {2}")
    @CsvSource({
            "784, 128, 197",   // ceil(100352/512) = 196, even like 128: 197
            "16, 784, 25",     // ceil(12544/512) = 25, coprime with 784
            "16, 10, 1",       // 160 elements: whole
            "128, 64, 17",     // 16 shares 2 with 64: 17
            "784, 1024, 1569"  // 1568 is even: 1569
    })
    @DisplayName("takes the smallest k >= ceil(n/512) coprime with the last dimension")
    void stride(long rows, long columns, int expected) {
        assertThat(StridedSubset.stride(new long[] {rows, columns})).isEqualTo(expected);
    }

    @Test
    @DisplayName("meets every column of the tensor, in its own data type")
    void everyColumn() {
        INDArray full = Nd4j.arange(784 * 128).reshape(784, 128).castTo(DataType.FLOAT);
        INDArray kept = StridedSubset.of(full);
        assertThat(kept.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(kept.length()).isLessThanOrEqualTo(StridedSubset.MAX_ELEMENTS);
        Set<Long> columns = new HashSet<>();
        for (int j = 0; j < kept.length(); j++) {
            columns.add((long) kept.getDouble(j) % 128);
        }
        assertThat(columns).hasSize(128);
    }

    @Test
    @DisplayName("max|x| is over the whole tensor, not the subset")
    void maxAbs() {
        INDArray full = Nd4j.zeros(DataType.DOUBLE, 100, 100);
        full.putScalar(1, 1, -7.5);
        assertThat(StridedSubset.maxAbs(full)).isEqualTo(7.5);
    }
}
