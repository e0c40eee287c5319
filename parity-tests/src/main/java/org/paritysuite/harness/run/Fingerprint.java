package org.paritysuite.harness.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.Doubles;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.SpecWriter;

/**
 * A SHA-256 digest of everything a case's or trajectory's numbers depend on besides the code: the
 * spec as {@link SpecWriter} writes it, the weights, the batch and its dropout masks, the precision.
 * Two runs with equal fingerprints compared the same functions on the same numbers, so their
 * errors can be compared; an error baseline refuses a case whose fingerprint changed (another
 * spec, other weights, another zoo version) instead of comparing errors of two different cases.
 */
public final class Fingerprint {

    private final MessageDigest sha256;

    private Fingerprint() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** An empty digest to add to. */
    public static Fingerprint start() {
        return new Fingerprint();
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

    /** Adds an array's shape and its values as float64, in row-major order. */
    public Fingerprint add(INDArray array) {
        add(java.util.Arrays.toString(array.shape()));
        double[] values = Doubles.of(array);
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Double.BYTES);
        bytes.asDoubleBuffer().put(values);
        sha256.update(bytes.array());
        return this;
    }

    /** Adds named arrays in name order, so that the map's iteration order does not matter. */
    public Fingerprint add(Map<String, INDArray> arrays) {
        for (Map.Entry<String, INDArray> e : new TreeMap<>(arrays).entrySet()) {
            add(e.getKey()).add(e.getValue());
        }
        return this;
    }

    /** The digest in lower-case hexadecimal (64 characters); the fingerprint cannot be added to afterwards. */
    public String hex() {
        return HexFormat.of().formatHex(sha256.digest());
    }
}
