package org.paritysuite.harness.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.factory.Nd4j;
import org.tensorflow.TensorFlow;

/**
 * What a report was produced on: library versions, the settings that change TensorFlow's floating
 * point results (oneDNN, op determinism, thread counts), the JVM and the CPU. Two reports agree
 * only when these do.
 */
public final class Environment {

    private Environment() {
    }

    /** The environment of this process, as ordered key/value pairs. */
    public static Map<String, String> current() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("tensorflow", TensorFlow.version());
        env.put("tensorflow_java", artifactVersion(TensorFlow.class, "org.tensorflow", "tensorflow-core-api"));
        env.put("tensorflow_framework", artifactVersion(TensorFlow.class, "org.tensorflow", "tensorflow-framework"));
        env.putAll(withoutTensorFlow());
        return env;
    }

    /**
     * {@link #current()} without TensorFlow's versions, whose reading loads TensorFlow's natives:
     * the environment of the lane that runs the reference alone, possibly where TensorFlow
     * cannot run. TensorFlow's settings are still given, read from the process environment.
     */
    public static Map<String, String> withoutTensorFlow() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("nd4j", artifactVersion(Nd4j.class, "org.nd4j", "nd4j-api"));
        env.put("nd4j_backend", Nd4j.getBackend().getClass().getSimpleName());
        env.put("nd4j_executioner", Nd4j.getExecutioner().getClass().getSimpleName());
        env.put("TF_ENABLE_ONEDNN_OPTS", Optional.ofNullable(System.getenv("TF_ENABLE_ONEDNN_OPTS")).orElse("(unset: TensorFlow's default, on)"));
        env.put("TF_DETERMINISTIC_OPS", Optional.ofNullable(System.getenv("TF_DETERMINISTIC_OPS")).orElse("(unset)"));
        env.put("OMP_NUM_THREADS", Optional.ofNullable(System.getenv("OMP_NUM_THREADS")).orElse("(unset)"));
        env.put("tensorflow_threads", "intra_op 1, inter_op 1");
        env.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        env.put("cpu", cpuModel());
        env.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        return env;
    }

    /**
     * The version of the artifact on the class path, from the {@code pom.properties} Maven packs into
     * every jar: the versions actually loaded, whatever {@code -Dtensorflow.version} chose.
     */
    private static String artifactVersion(Class<?> near, String group, String artifact) {
        String resource = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (var in = near.getResourceAsStream(resource)) {
            if (in == null) {
                return "unknown (no " + resource + " on the class path)";
            }
            java.util.Properties pom = new java.util.Properties();
            pom.load(in);
            return pom.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
