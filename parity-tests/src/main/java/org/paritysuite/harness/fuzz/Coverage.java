package org.paritysuite.harness.fuzz;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.paritysuite.fixtures.spec.Activation;
import org.paritysuite.fixtures.spec.ActivationLayerSpec;
import org.paritysuite.fixtures.spec.BatchNormSpec;
import org.paritysuite.fixtures.spec.Conv2DSpec;
import org.paritysuite.fixtures.spec.DenseSpec;
import org.paritysuite.fixtures.spec.DropoutSpec;
import org.paritysuite.fixtures.spec.FlattenSpec;
import org.paritysuite.fixtures.spec.GlobalAveragePooling2DSpec;
import org.paritysuite.fixtures.spec.LayerSpec;
import org.paritysuite.fixtures.spec.LossSpec;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.Padding;
import org.paritysuite.fixtures.spec.Pool2DSpec;
import org.paritysuite.fixtures.spec.Window2D;

/**
 * How much of the spec space a set of generated models covers, measured the way COMET measures a
 * test set of deep-learning models (layer-input coverage: which layer types and which of their
 * options the models exercise, and on which input ranks), in three counts:
 *
 * <ul>
 *   <li><b>options</b>: distinct {@code (layer type, option = value)} items, e.g.
 *       {@code conv2d strides=2x1} or {@code dense activation=leaky_relu(alpha=0.2)}, plus the
 *       model-level {@code loss=...} and {@code pass=...}. The generator's whole space of them is
 *       {@link #optionSpace()}, so this one reads as "covered of possible";</li>
 *   <li><b>input ranks</b>: distinct {@code (layer type, input rank)} pairs, e.g.
 *       {@code batch_normalization on rank 3}, of {@link #rankSpace()};</li>
 *   <li><b>configurations</b>: distinct layers with every option and their input and output
 *       shapes together (name aside), e.g. {@code conv2d kernel=2x3 strides=1x2 padding=same
 *       activation=tanh use_bias=true kernel_l2=0.001 [5, 7, 2] -> [5, 4, 3]}: COMET's layer-input
 *       pairs; a count with no ceiling worth stating, it grows with the run.</li>
 * </ul>
 *
 * <p>Not thread-safe: one run adds its models from one thread.
 */
public final class Coverage {

    private final Set<String> options = new TreeSet<>();
    private final Set<String> ranks = new TreeSet<>();
    private final Set<String> configurations = new TreeSet<>();
    private int models;

    /** Counts one model: each layer's options, input rank and configuration, the loss and the pass. */
    public void add(ModelSpec spec, boolean training) {
        models++;
        options.add("model loss=" + spec.loss().jsonName());
        options.add("model pass=" + (training ? "training" : "inference"));
        List<List<Integer>> inputs = spec.layerInputShapes();
        for (int i = 0; i < spec.layers().size(); i++) {
            LayerSpec layer = spec.layers().get(i);
            List<String> items = layer.accept(OPTIONS);
            items.forEach(item -> options.add(layer.type() + " " + item));
            ranks.add(rankItem(layer.type(), inputs.get(i).size()));
            configurations.add(layer.type() + " " + String.join(" ", items) + " " + inputs.get(i) + " -> "
                    + layer.outputShape(inputs.get(i)));
        }
    }

    /** The models counted. */
    public int models() {
        return models;
    }

    /** The distinct {@code (layer type, option = value)} items met, sorted. */
    public Set<String> options() {
        return Collections.unmodifiableSet(options);
    }

    /** The distinct {@code (layer type, input rank)} pairs met, sorted. */
    public Set<String> ranks() {
        return Collections.unmodifiableSet(ranks);
    }

    /** The number of distinct whole-layer configurations met. */
    public int configurations() {
        return configurations.size();
    }

    /** Every option item {@link SpecGenerator} can produce. */
    public static Set<String> optionSpace() {
        Set<String> space = new LinkedHashSet<>();
        for (LossSpec loss : LossSpec.values()) {
            space.add("model loss=" + loss.jsonName());
        }
        space.add("model pass=training");
        space.add("model pass=inference");
        List<String> flat = activations(true);
        List<String> image = activations(false);
        addAll(space, "dense", flat.stream().map(a -> "activation=" + a).toList());
        addAll(space, "dense", List.of("use_bias=true", "use_bias=false"));
        addAll(space, "dense", SpecGenerator.KERNEL_L2.stream().map(l2 -> "kernel_l2=" + l2).toList());
        addAll(space, "conv2d", image.stream().map(a -> "activation=" + a).toList());
        addAll(space, "conv2d", List.of("use_bias=true", "use_bias=false"));
        addAll(space, "conv2d", SpecGenerator.KERNEL_L2.stream().map(l2 -> "kernel_l2=" + l2).toList());
        addAll(space, "conv2d", windowSpace("kernel="));
        for (Pool2DSpec.Kind kind : Pool2DSpec.Kind.values()) {
            addAll(space, kind.jsonName(), windowSpace("pool_size="));
        }
        addAll(space, "activation", flat.stream().map(a -> "activation=" + a).toList());
        addAll(space, "dropout", SpecGenerator.DROPOUT_RATES.stream().map(r -> "rate=" + r).toList());
        addAll(space, "batch_normalization", SpecGenerator.BN_MOMENTA.stream().map(m -> "momentum=" + m).toList());
        addAll(space, "batch_normalization", SpecGenerator.BN_EPSILONS.stream().map(e -> "epsilon=" + e).toList());
        return space;
    }

    /** Every {@code (layer type, input rank)} pair {@link SpecGenerator} can produce. */
    public static Set<String> rankSpace() {
        Set<String> space = new LinkedHashSet<>();
        space.add(rankItem("dense", 1));
        for (String type : List.of("conv2d", "max_pool2d", "average_pool2d", "global_average_pooling2d")) {
            space.add(rankItem(type, 3));
        }
        for (String type : List.of("flatten", "activation", "dropout", "batch_normalization")) {
            space.add(rankItem(type, 1));
            space.add(rankItem(type, 3));
        }
        return space;
    }

    /** Items of {@code space} not met, in the space's order. */
    public static List<String> missing(Set<String> met, Set<String> space) {
        List<String> missing = new ArrayList<>(space);
        missing.removeAll(met);
        return missing;
    }

    /** Three lines: the options and ranks covered of the space, and the configurations met. */
    public String summary() {
        Set<String> optionSpace = optionSpace();
        Set<String> rankSpace = rankSpace();
        long optionsInSpace = options.stream().filter(optionSpace::contains).count();
        long ranksInSpace = ranks.stream().filter(rankSpace::contains).count();
        return String.format(Locale.ROOT, "coverage of %d model(s):%n"
                        + "  (layer type, option) items: %d of %d%s%n"
                        + "  (layer type, input rank) pairs: %d of %d%s%n"
                        + "  distinct layer configurations: %d",
                models, optionsInSpace, optionSpace.size(), missingText(missing(options, optionSpace)),
                ranksInSpace, rankSpace.size(), missingText(missing(ranks, rankSpace)), configurations());
    }

    private static String missingText(List<String> missing) {
        if (missing.isEmpty()) {
            return "";
        }
        int shown = Math.min(missing.size(), 8);
        return "; missing " + String.join(", ", missing.subList(0, shown)) + (missing.size() > shown ? ", ..." : "");
    }

    private static String rankItem(String type, int rank) {
        return type + " on rank " + rank;
    }

    private static void addAll(Set<String> space, String type, List<String> items) {
        items.forEach(item -> space.add(type + " " + item));
    }

    /** Window options: every side pair, every stride pair, both paddings. */
    private static List<String> windowSpace(String sizeField) {
        List<String> items = new ArrayList<>();
        for (int h : SpecGenerator.WINDOW_SIDES) {
            for (int w : SpecGenerator.WINDOW_SIDES) {
                items.add(sizeField + h + "x" + w);
            }
        }
        for (int h : SpecGenerator.STRIDES) {
            for (int w : SpecGenerator.STRIDES) {
                items.add("strides=" + h + "x" + w);
            }
        }
        for (Padding p : Padding.values()) {
            items.add("padding=" + p.jsonName());
        }
        return items;
    }

    /** Every activation the generator draws, by its display form; softmax only on flat tensors. */
    private static List<String> activations(boolean flat) {
        List<String> names = new ArrayList<>();
        for (Activation.Kind kind : Activation.Kind.values()) {
            if (kind == Activation.Kind.LEAKY_RELU) {
                SpecGenerator.LEAKY_ALPHAS.forEach(alpha -> names.add(Activation.leakyRelu(alpha).toString()));
            } else if (kind != Activation.Kind.SOFTMAX || flat) {
                names.add(new Activation(kind, 0).toString());
            }
        }
        return names;
    }

    /** Each layer type's {@code option=value} items, in the spec format's field names. */
    private static final LayerSpec.Visitor<List<String>> OPTIONS = new LayerSpec.Visitor<>() {

        @Override
        public List<String> visitDense(DenseSpec layer) {
            return List.of("activation=" + layer.activation(), "use_bias=" + layer.useBias(),
                    "kernel_l2=" + layer.kernelL2());
        }

        @Override
        public List<String> visitConv2D(Conv2DSpec layer) {
            List<String> items = new ArrayList<>(window("kernel=", layer.window()));
            items.addAll(List.of("activation=" + layer.activation(), "use_bias=" + layer.useBias(),
                    "kernel_l2=" + layer.kernelL2()));
            return items;
        }

        @Override
        public List<String> visitPool2D(Pool2DSpec layer) {
            return window("pool_size=", layer.window());
        }

        @Override
        public List<String> visitGlobalAveragePooling2D(GlobalAveragePooling2DSpec layer) {
            return List.of();
        }

        @Override
        public List<String> visitFlatten(FlattenSpec layer) {
            return List.of();
        }

        @Override
        public List<String> visitActivation(ActivationLayerSpec layer) {
            return List.of("activation=" + layer.activation());
        }

        @Override
        public List<String> visitDropout(DropoutSpec layer) {
            return List.of("rate=" + layer.rate());
        }

        @Override
        public List<String> visitBatchNorm(BatchNormSpec layer) {
            return List.of("momentum=" + layer.momentum(), "epsilon=" + layer.epsilon());
        }

        private List<String> window(String sizeField, Window2D w) {
            return List.of(sizeField + w.height() + "x" + w.width(), "strides=" + w.strideH() + "x" + w.strideW(),
                    "padding=" + w.padding().jsonName());
        }
    };

    @Override
    public String toString() {
        return summary();
    }
}
