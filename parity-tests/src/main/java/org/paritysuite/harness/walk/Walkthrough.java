package org.paritysuite.harness.walk;

import java.util.ArrayList;
import java.util.List;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.run.Formula;
import org.paritysuite.fixtures.run.ModelRunner;
import org.paritysuite.fixtures.run.Textbook;
import org.paritysuite.fixtures.run.Trace;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.harness.isolation.Isolation;
import org.paritysuite.harness.isolation.IsolationComparator;
import org.paritysuite.harness.isolation.IsolationRun;
import org.paritysuite.harness.run.ParityCase;
import org.paritysuite.harness.wiring.Sides;

/**
 * One batch followed through a network on both sides, layer by layer: for a student, what each
 * layer is and computes (the reference's own formulas), what both sides computed, and how far
 * apart they are, split into what each layer was fed and what it added ({@link Isolation}).
 *
 * @param spec           the model
 * @param batch          where the batch comes from, e.g. {@code fashion-mnist test[0:64]}
 * @param batchSize      its number of examples
 * @param precision      both sides' precision
 * @param training       training pass (dropout on, batch statistics) or inference
 * @param steps          every layer, in forward order
 * @param loss           the loss's formula
 * @param tensorflowLoss TensorFlow's loss, penalties included
 * @param referenceLoss  the reference's loss
 */
public record Walkthrough(ModelSpec spec, String batch, int batchSize, Precision precision, boolean training,
                          List<WalkStep> steps, Formula loss, double tensorflowLoss, double referenceLoss) {

    public Walkthrough {
        steps = List.copyOf(steps);
    }

    /**
     * Runs case {@code c} on both sides, whole and layer by layer, and assembles the walk.
     *
     * @throws IllegalStateException when a side does not run its layers one by one
     */
    public static Walkthrough of(ParityCase c, Sides sides, Textbook textbook) {
        ModelSpec spec = c.spec();
        try (ModelRunner tf = sides.tensorflow().build(spec, c.weights(), c.precision());
             ModelRunner ref = sides.reference().build(spec, c.weights(), c.precision())) {
            Trace tfTrace = tf.forwardBackward(c.batch());
            Trace refTrace = ref.forwardBackward(c.batch());
            IsolationRun.Passes passes = IsolationRun.run(tf, ref, c.batch()).orElseThrow(() ->
                    new IllegalStateException("a walk-through needs both sides to run their layers one by one"));
            Isolation isolation = new IsolationComparator(spec, c.batch().size(), c.precision()).compare(passes);
            List<List<Integer>> inputs = spec.layerInputShapes();
            List<List<Integer>> outputs = spec.layerOutputShapes();
            List<WalkStep> steps = new ArrayList<>();
            for (int k = 0; k < spec.layers().size(); k++) {
                steps.add(new WalkStep(k + 1, spec.layers().get(k), inputs.get(k), outputs.get(k),
                        spec.layers().get(k).parameters(inputs.get(k)), textbook.formulas(spec.layers().get(k)),
                        passes.underTest().get(k), passes.reference().get(k), isolation.layers().get(k)));
            }
            return new Walkthrough(spec, c.batch().description(), c.batch().size(), c.precision(),
                    c.batch().training(), steps, textbook.formula(spec.loss()), tfTrace.loss(), refTrace.loss());
        }
    }
}
