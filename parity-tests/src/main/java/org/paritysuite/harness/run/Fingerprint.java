package org.paritysuite.harness.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.WeakHashMap;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.Doubles;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.SpecWriter;
import org.paritysuite.fixtures.weights.WeightSet;

/**
 * A SHA-256 digest of everything a case's or trajectory's numbers depend on besides the code: the
 * spec as {@link SpecWriter} writes it, the weights, the batch and its dropout masks, the precision.
 * Two runs with equal fingerprints compared the same functions on the same numbers, so their
 * errors can be compared; an error baseline refuses a case whose fingerprint changed (another
 * spec, other weights, another zoo version) instead of comparing errors of two different cases.
 */
public final class Fingerprint {

    /** Bytes handed to the digest at a time: a tensor is hashed through this window, not copied whole. */
    private static final int WINDOW_DOUBLES = 8192;

    /**
     * The digest after a model's spec and weights, by weight set (identity: {@link WeightSet} has no
     * {@code equals}), kept while the weight set lives. Every case of a model starts with them, and
     * hashing ds541-cnn-a's 5.5 M weights took 270 ms, once per case (docs/performance.md).
     */
    private static final Map<WeightSet, ModelDigest> MODELS = Collections.synchronizedMap(new WeakHashMap<>());

    /** The state of a digest after {@code spec} and the weights it is kept for. */
    private record ModelDigest(ModelSpec spec, MessageDigest state) {
    }

    private final MessageDigest sha256;

    private Fingerprint(MessageDigest sha256) {
        this.sha256 = sha256;
    }

    /** An empty digest to add to. */
    public static Fingerprint start() {
        try {
            return new Fingerprint(MessageDigest.getInstance("SHA-256"));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * A digest holding {@code spec} and then {@code weights} by name, as
     * {@code start().add(spec).add(weights)} would, from a copy of the state the model's first call
     * computed: the same digest, without hashing the weights again for every case of the model.
     */
    public static Fingerprint ofModel(ModelSpec spec, WeightSet weights) {
        ModelDigest known = MODELS.get(weights);
        if (known == null || !known.spec().equals(spec)) {
            known = new ModelDigest(spec, start().add(spec).add(weights).sha256);
            MODELS.put(weights, known);
        }
        try {
            return new Fingerprint((MessageDigest) known.state().clone());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the platform's SHA-256 digest cannot be copied", e);
        }
    }

    /** Adds a piece of text, length-prefixed so that {@code "ab","c"} and {@code "a","bc"} differ. */
    public Fingerprint add(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        sha256.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
        sha256.update(bytes);
        return this;
    }

    /**
     * Adds the spec, as {@link SpecWriter} writes it with every object's keys sorted: the writer
     * takes some maps in their iteration order, which for {@code Map.of} changes from JVM to JVM.
     */
    public Fingerprint add(ModelSpec spec) {
        return add(canonicalJson(spec).toString());
    }

    /**
     * The spec as {@link SpecWriter} writes it, every object's keys sorted: the same text on every
     * JVM, for digests and for files that must come out byte for byte the same.
     */
    public static JsonNode canonicalJson(ModelSpec spec) {
        return sorted(SpecWriter.toJson(spec));
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            toMap(node).forEach((k, v) -> copy.set(k, sorted(v)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(v -> copy.add(sorted(v)));
            return copy;
        }
        return node;
    }

    private static Map<String, JsonNode> toMap(JsonNode object) {
        Map<String, JsonNode> fields = new TreeMap<>();
        object.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
        return fields;
    }

    /** Adds an array's shape and its values as float64 (big-endian), in row-major order. */
    public Fingerprint add(INDArray array) {
        add(java.util.Arrays.toString(array.shape()));
        double[] values = Doubles.of(array);
        ByteBuffer window = ByteBuffer.allocate(Math.min(values.length, WINDOW_DOUBLES) * Double.BYTES);
        for (int from = 0; from < values.length; from += WINDOW_DOUBLES) {
            int count = Math.min(WINDOW_DOUBLES, values.length - from);
            window.clear();
            window.asDoubleBuffer().put(values, from, count);
            sha256.update(window.array(), 0, count * Double.BYTES);
        }
        return this;
    }

    /** Adds a weight set's arrays in name order, as {@link #add(Map)} adds a map of them. */
    public Fingerprint add(WeightSet weights) {
        return add(weights.names(), weights::get);
    }

    /** Adds named arrays in name order, so that the map's iteration order does not matter. */
    public Fingerprint add(Map<String, INDArray> arrays) {
        return add(arrays.keySet(), arrays::get);
    }

    private Fingerprint add(Set<String> names, Function<String, INDArray> array) {
        for (String name : new TreeSet<>(names)) {
            add(name).add(array.apply(name));
        }
        return this;
    }

    /** The digest in lower-case hexadecimal (64 characters); the fingerprint cannot be added to afterwards. */
    public String hex() {
        return HexFormat.of().formatHex(sha256.digest());
    }
}
