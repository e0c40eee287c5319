/**
 * A walk-through that teaches: one batch followed through a network on both sides, the way a
 * textbook follows backpropagation. Forward through every layer (its shapes, its parameters, the
 * formula it computes, the first values of both sides one above the other, the error it was fed
 * and the error it adds), the loss, then backward from the loss down to the first layer.
 *
 * <p>The formulas are not written here: they come from the reference's own class comments, through
 * the wiring's {@link org.paritysuite.fixtures.run.Textbook}, so the walk and the code it describes
 * cannot disagree. The numbers come from the same layer-by-layer passes per-layer isolation uses
 * ({@link org.paritysuite.harness.isolation}). {@link org.paritysuite.harness.walk.Walkthrough}
 * runs and assembles; {@link org.paritysuite.harness.walk.WalkText} only renders.
 */
package org.paritysuite.harness.walk;
