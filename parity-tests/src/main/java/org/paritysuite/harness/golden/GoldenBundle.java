package org.paritysuite.harness.golden;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.paritysuite.fixtures.Doubles;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.run.TensorKind;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.SpecReader;
import org.paritysuite.fixtures.weights.Npz;
import org.paritysuite.fixtures.weights.NpzLimits;
import org.paritysuite.harness.run.Fingerprint;

/**
 * One golden bundle: a zoo case and TensorFlow's tensors for it, as one {@code .npz} that
 * {@code numpy.load} opens (format in {@code docs/goldens.md}). Entries, in key order:
 * <ul>
 *   <li>{@code meta}: uint8, the UTF-8 bytes of a JSON object (the case, its fingerprint, the
 *       environment it was recorded in, and per stored array its full shape, stride, {@code max|x|}
 *       and, for TensorFlow's tensors, the error against the reference when it was recorded);</li>
 *   <li>{@code spec}: uint8, the model spec as JSON, keys sorted;</li>
 *   <li>{@code weight/PARAM}, {@code input/x}, {@code input/y}, {@code input/dropout_mask/LAYER}: the case;</li>
 *   <li>{@code tf/KIND/NAME}: TensorFlow's traced tensors ({@code tf/activation/dense},
 *       {@code tf/gradient/dense/kernel}, {@code tf/loss/loss}, ...).</li>
 * </ul>
 * Every array is stored as its {@link StridedSubset} (whole up to 512 elements), as a vector, in
 * its own data type. Written bytes depend on the content only (sorted keys, fixed entry dates),
 * and read strictly: anything but this shape is bad input naming the file and the entry or field.
 *
 * @param caseId      the case's id, {@code model/dataset/precision/training}
 * @param model       the zoo model's id
 * @param dataset     the data set of the batch
 * @param precision   the precision of both sides
 * @param training    whether the pass is a training pass
 * @param batchSize   the number of images in the batch
 * @param fingerprint the case's fingerprint ({@link org.paritysuite.harness.run.ParityCase#fingerprint()})
 * @param environment where TensorFlow's tensors were recorded
 * @param spec        the model as recorded
 * @param arrays      every stored array by key, in key order
 */
public record GoldenBundle(String caseId, String model, String dataset, Precision precision, boolean training,
                           int batchSize, String fingerprint, Map<String, String> environment, ModelSpec spec,
                           Map<String, Stored> arrays) {

    /** The {@code format} field of every bundle's {@code meta}. */
    public static final String FORMAT = "parity-golden";

    /** The version of the format this code writes and reads. */
    public static final int VERSION = 1;

    /** The largest bundle read: the zoo's biggest is about 220 kB. */
    static final long MAX_BYTES = 16L << 20;

    /** The size of a zip's end-of-central-directory record without a comment, which ours never has. */
    private static final int END_OF_ARCHIVE_BYTES = 22;

    /** The key prefix of TensorFlow's tensors. */
    public static final String TENSORFLOW = "tf/";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    public GoldenBundle {
        environment = Map.copyOf(environment);
        arrays = java.util.Collections.unmodifiableMap(new TreeMap<>(arrays));
    }

    /**
     * One stored array.
     *
     * @param shape  the full tensor's shape
     * @param kept   its {@link StridedSubset}, a vector
     * @param maxAbs {@code max|x|} over the full tensor
     * @param error  for a TensorFlow tensor, {@code max|tf - ref| / max|ref|} when recorded; else NaN
     */
    public record Stored(long[] shape, INDArray kept, double maxAbs, double error) {

        /** The full {@code tensor} as stored, with the error it had against the reference (NaN for none). */
        public static Stored of(INDArray tensor, double error) {
            return new Stored(tensor.shape(), StridedSubset.of(tensor), StridedSubset.maxAbs(tensor), error);
        }

        /** The subset's stride. */
        public int stride() {
            return StridedSubset.stride(shape);
        }
    }

    /** The bundle as {@code .npz} bytes: the same content gives the same bytes. */
    public byte[] toBytes() {
        ObjectNode meta = JSON.createObjectNode();
        meta.put("format", FORMAT);
        meta.put("version", VERSION);
        ObjectNode c = meta.putObject("case");
        c.put("id", caseId);
        c.put("model", model);
        c.put("dataset", dataset);
        c.put("precision", precision.label());
        c.put("pass", training ? "training" : "inference");
        c.put("batch_size", batchSize);
        c.put("fingerprint", fingerprint);
        ObjectNode env = meta.putObject("environment");
        new TreeMap<>(environment).forEach(env::put);
        meta.put("subset", "arrays over " + StridedSubset.MAX_ELEMENTS + " elements keep flat elements 0, k, 2k, ...:"
                + " k the smallest integer >= ceil(n/" + StridedSubset.MAX_ELEMENTS
                + ") coprime with the last dimension");
        ObjectNode stored = meta.putObject("arrays");
        arrays.forEach((key, s) -> {
            ObjectNode a = stored.putObject(key);
            ArrayNode shape = a.putArray("shape");
            Arrays.stream(s.shape()).forEach(shape::add);
            a.put("stride", s.stride());
            a.put("max_abs", s.maxAbs());
            if (!Double.isNaN(s.error())) {
                a.put("error", s.error());
            }
        });
        Map<String, INDArray> entries = new TreeMap<>();
        entries.put("meta", bytes(meta.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        entries.put("spec", bytes(Fingerprint.canonicalJson(spec).toString()
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        arrays.forEach((key, s) -> entries.put(key, s.kept()));
        return Npz.toBytes(entries);
    }

    /** Reads a bundle, refusing anything but the format as bad input naming {@code file} and the entry or field. */
    public static GoldenBundle read(Path file) {
        Fields f = new Fields(file);
        Map<String, INDArray> entries = f.archive();
        JsonNode meta = f.json(entries, "meta");
        if (!FORMAT.equals(meta.path("format").asText(null)) || meta.path("version").asInt(-1) != VERSION) {
            throw f.bad("meta", "is not a golden bundle: expected \"format\": \"" + FORMAT + "\" and \"version\": "
                    + VERSION + " (written by parity goldens --out)");
        }
        JsonNode c = f.object(meta, "case");
        Precision precision = f.precision(c);
        String pass = f.text(c, "case", "pass");
        if (!pass.equals("training") && !pass.equals("inference")) {
            throw f.bad("meta case.pass", "must be training or inference, found '" + pass + "'");
        }
        JsonNode batch = c.path("batch_size");
        if (!batch.isInt() || batch.asInt() < 1) {
            throw f.bad("meta case.batch_size", "must be a positive integer");
        }
        Map<String, String> environment = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = f.object(meta, "environment").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            environment.put(e.getKey(), f.text(meta.path("environment"), "environment", e.getKey()));
        }
        ModelSpec spec = SpecReader.read(new ByteArrayInputStream(f.bytes(entries, "spec")), file + " [spec.npy]");
        Map<String, Stored> arrays = new TreeMap<>();
        JsonNode described = f.object(meta, "arrays");
        for (Iterator<String> it = described.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            arrays.put(key, f.stored(described.path(key), key, entries.get(key), precision));
        }
        for (String key : entries.keySet()) {
            if (!key.equals("meta") && !key.equals("spec") && !arrays.containsKey(key)) {
                throw f.bad(key + ".npy", "is not described in meta's arrays; expected every entry described");
            }
        }
        return new GoldenBundle(f.text(c, "case", "id"), f.text(c, "case", "model"), f.text(c, "case", "dataset"),
                precision, pass.equals("training"), batch.asInt(), f.text(c, "case", "fingerprint"), environment,
                spec, arrays);
    }

    /** The kind of the trace key {@code kind/name}, if its prefix names one. */
    static java.util.Optional<TensorKind> kindOf(String traceKey) {
        String kind = traceKey.substring(0, Math.max(0, traceKey.indexOf('/')));
        return Arrays.stream(TensorKind.values()).filter(k -> k.jsonName().equals(kind)).findFirst();
    }

    /** A vector of unsigned bytes, as NumPy's {@code uint8}. */
    private static INDArray bytes(byte[] data) {
        double[] values = new double[data.length];
        for (int i = 0; i < data.length; i++) {
            values[i] = Byte.toUnsignedInt(data[i]);
        }
        return Nd4j.createFromArray(values).castTo(DataType.UBYTE);
    }

    /** Entry and field access that names the file and the entry or field in every refusal. */
    private record Fields(Path file) {

        FixtureException bad(String where, String problem) {
            return new FixtureException(file + ": " + where + ": " + problem);
        }

        /**
         * The archive's arrays. Its end-of-archive record is required first: the streaming
         * {@link Npz} reader never reaches it, so a bundle cut short after its last array would
         * otherwise read as whole.
         */
        Map<String, INDArray> archive() {
            byte[] bytes;
            try {
                if (!Files.isRegularFile(file)) {
                    throw new FixtureException(file + ": no such golden bundle");
                }
                if (Files.size(file) > MAX_BYTES) {
                    throw new FixtureException(file + ": " + Files.size(file) + " bytes; expected at most " + MAX_BYTES
                            + " for a golden bundle");
                }
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new FixtureException(file + ": cannot be read: " + e.getMessage());
            }
            int end = bytes.length - END_OF_ARCHIVE_BYTES;
            if (end < 0 || bytes[end] != 'P' || bytes[end + 1] != 'K' || bytes[end + 2] != 5 || bytes[end + 3] != 6) {
                throw new FixtureException(file + ": truncated or corrupt: no end-of-archive record at its end;"
                        + " expected a complete .npz as parity goldens --out writes it");
            }
            try {
                return Npz.read(new ByteArrayInputStream(bytes), file.toString(), NpzLimits.fromSystemProperties());
            } catch (IOException e) {
                throw new FixtureException(file + ": cannot be read: " + e.getMessage());
            }
        }

        byte[] bytes(Map<String, INDArray> entries, String key) {
            INDArray array = entries.get(key);
            if (array == null) {
                throw bad(key + ".npy", "missing; expected every golden bundle to hold it");
            }
            double[] values = Doubles.of(array);
            byte[] data = new byte[values.length];
            for (int i = 0; i < values.length; i++) {
                if (values[i] != Math.rint(values[i]) || values[i] < 0 || values[i] > 255) {
                    throw bad(key + ".npy", "expected uint8 text bytes, found " + values[i]);
                }
                data[i] = (byte) values[i];
            }
            return data;
        }

        JsonNode json(Map<String, INDArray> entries, String key) {
            try {
                JsonNode node = JSON.readTree(bytes(entries, key));
                if (node == null || !node.isObject()) {
                    throw bad(key + ".npy", "expected a JSON object");
                }
                return node;
            } catch (JsonProcessingException e) {
                throw bad(key + ".npy", "not valid JSON (corrupt?): " + e.getOriginalMessage());
            } catch (IOException e) {
                throw bad(key + ".npy", "cannot be read: " + e.getMessage());
            }
        }

        JsonNode object(JsonNode parent, String field) {
            JsonNode node = parent.path(field);
            if (!node.isObject()) {
                throw bad("meta " + field, "must be an object");
            }
            return node;
        }

        String text(JsonNode parent, String at, String field) {
            JsonNode node = parent.path(field);
            if (!node.isTextual()) {
                throw bad("meta " + at + "." + field, "must be a string");
            }
            return node.asText();
        }

        Precision precision(JsonNode c) {
            String label = text(c, "case", "precision");
            try {
                return Precision.fromLabel(label);
            } catch (RuntimeException e) {
                throw bad("meta case.precision", "must be float32 or float64, found '" + label + "'");
            }
        }

        /**
         * The stored array {@code key}, TensorFlow's in the case's precision, the rest in float64,
         * as written: every value the reader returns widened exactly, so a bundle read and written
         * again gives its bytes back.
         */
        Stored stored(JsonNode node, String key, INDArray kept, Precision precision) {
            String at = "meta arrays." + key;
            if (kept == null) {
                throw bad(key + ".npy", "missing; meta describes it");
            }
            JsonNode shapeNode = node.path("shape");
            if (!shapeNode.isArray()) {
                throw bad(at + ".shape", "must be an array of dimensions");
            }
            long[] shape = new long[shapeNode.size()];
            long n = 1;
            for (int d = 0; d < shape.length; d++) {
                JsonNode dim = shapeNode.get(d);
                if (!dim.canConvertToLong() || !dim.isIntegralNumber() || dim.asLong() < 1 || dim.asLong() > 1L << 30) {
                    throw bad(at + ".shape", "must hold dimensions from 1 to 2^30, found " + dim);
                }
                shape[d] = dim.asLong();
                n = Math.multiplyExact(n, shape[d]);
                if (n > Integer.MAX_VALUE) {
                    throw bad(at + ".shape", "has more elements than one Java array holds");
                }
            }
            int stride = StridedSubset.stride(shape);
            if (node.path("stride").asInt(-1) != stride) {
                throw bad(at + ".stride", "must be " + stride + " for shape " + Arrays.toString(shape)
                        + " (the stride rule of docs/goldens.md), found " + node.path("stride"));
            }
            long expected = (n + stride - 1) / stride;
            if (kept.rank() != 1 || kept.length() != expected) {
                throw bad(key + ".npy", "has shape " + Arrays.toString(kept.shape()) + "; expected [" + expected
                        + "], every " + stride + "th element of " + Arrays.toString(shape));
            }
            JsonNode max = node.path("max_abs");
            if (!max.isNumber() || !(max.asDouble() >= 0) || Double.isInfinite(max.asDouble())) {
                throw bad(at + ".max_abs", "must be a finite number >= 0");
            }
            JsonNode error = node.path("error");
            if (!error.isMissingNode() && (!error.isNumber() || !(error.asDouble() >= 0))) {
                throw bad(at + ".error", "must be a number >= 0");
            }
            if (key.startsWith(TENSORFLOW) && kindOf(key.substring(TENSORFLOW.length())).isEmpty()) {
                throw bad(key + ".npy", "is not a trace key; expected tf/KIND/NAME with KIND one of activation, probs,"
                        + " loss, gradient, weight");
            }
            if (key.startsWith(TENSORFLOW) && error.isMissingNode()) {
                throw bad(at + ".error", "missing; expected TensorFlow's error against the reference when recorded");
            }
            INDArray typed = key.startsWith(TENSORFLOW) ? kept.castTo(precision.dataType()) : kept;
            return new Stored(shape, typed, max.asDouble(), error.isMissingNode() ? Double.NaN : error.asDouble());
        }
    }
}
