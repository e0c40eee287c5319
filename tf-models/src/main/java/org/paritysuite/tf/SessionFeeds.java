package org.paritysuite.tf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.family.TFloating;

/**
 * The tensors one session run feeds: each array converted to a tensor of the model's precision,
 * its shape checked first ({@link TensorConverter#toTensor}), fed to its placeholder, and closed
 * with the others when the run is over ({@link #close}), also when a later feed is refused.
 *
 * <p>Shared by every run of a {@link TfModel}, so the whole-model pass and the layer-by-layer ones
 * ({@link TfLayerwise}) feed a batch the same way and refuse it with the same messages.
 *
 * @param <T> the tensor type, {@code TFloat32} or {@code TFloat64}
 */
final class SessionFeeds<T extends TFloating> implements AutoCloseable {

    private final Session.Runner runner;
    private final Class<T> type;
    private final String where;
    private final List<Tensor> fed = new ArrayList<>();

    /**
     * @param runner the run to feed
     * @param type   the model's tensor type
     * @param where  what every error message starts with, e.g. {@code model 'm', batch 'b'}
     */
    SessionFeeds(Session.Runner runner, Class<T> type, String where) {
        this.runner = runner;
        this.type = type;
        this.where = where;
    }

    /** The run being fed, to add fetches and targets to. */
    Session.Runner runner() {
        return runner;
    }

    /**
     * Feeds {@code array} to {@code placeholder}.
     *
     * @param what     names the array in the error message, after {@code where}
     * @param expected the shape it must have; {@link TensorConverter#ANY} matches any size
     * @throws org.paritysuite.fixtures.FixtureException when the shape is not {@code expected}
     */
    SessionFeeds<T> feed(Placeholder<T> placeholder, String what, INDArray array, long[] expected) {
        T tensor = TensorConverter.toTensor(where + ": " + what, array, expected, type);
        fed.add(tensor);
        runner.feed(placeholder, tensor);
        return this;
    }

    /** Feeds the batch's inputs {@code [N, ...input_shape]} to {@code x}. */
    SessionFeeds<T> inputs(ModelSpec spec, Placeholder<T> x, Batch batch) {
        return feed(x, "inputs x", batch.x(), TensorConverter.batchShape(TensorConverter.ANY, spec.inputShape()));
    }

    /** Feeds the batch's one-hot labels {@code [N, classes]} to {@code y}. */
    SessionFeeds<T> labels(ModelSpec spec, Placeholder<T> y, Batch batch) {
        return feed(y, "labels y", batch.y(), TensorConverter.batchShape(TensorConverter.ANY, List.of(spec.classes())));
    }

    /**
     * Feeds each keep-mask placeholder of a pass the batch's mask for its layer. Only a training
     * pass has them, and only a training batch runs one; its masks were checked by
     * {@link org.paritysuite.fixtures.run.BatchCheck}.
     */
    SessionFeeds<T> dropoutMasks(Map<String, Placeholder<T>> masks, Batch batch) {
        for (Map.Entry<String, Placeholder<T>> placeholder : masks.entrySet()) {
            INDArray mask = batch.dropoutMasks().get(placeholder.getKey());
            feed(placeholder.getValue(), "dropout mask of layer '" + placeholder.getKey() + "'", mask, mask.shape());
        }
        return this;
    }

    /** Closes every tensor fed. */
    @Override
    public void close() {
        fed.forEach(Tensor::close);
    }
}
