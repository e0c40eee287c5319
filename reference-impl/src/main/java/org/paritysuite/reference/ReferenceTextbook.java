package org.paritysuite.reference;

import java.util.ArrayList;
import java.util.List;
import org.paritysuite.fixtures.run.Formula;
import org.paritysuite.fixtures.run.Textbook;
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
import org.paritysuite.fixtures.spec.Pool2DSpec;

/**
 * The reference's formulas, from the class comments of the layers {@link ReferenceModel} builds
 * each spec layer from ({@link JavadocPage}): a Dense layer with a ReLU reads Dense's page, then
 * Relu's; an L2 penalty adds L2Penalty's.
 */
public final class ReferenceTextbook implements Textbook {

    @Override
    public List<Formula> formulas(LayerSpec layer) {
        return layer.accept(new Steps()).stream().map(c -> JavadocPage.of(c).formula()).toList();
    }

    @Override
    public Formula formula(LossSpec loss) {
        return JavadocPage.of(ReferenceModel.loss(loss).getClass()).formula();
    }

    /** The classes of one spec layer's steps, in forward order. */
    private static final class Steps implements LayerSpec.Visitor<List<Class<?>>> {

        @Override
        public List<Class<?>> visitDense(DenseSpec layer) {
            return weighted(Dense.class, layer.activation(), layer.kernelL2() > 0);
        }

        @Override
        public List<Class<?>> visitConv2D(Conv2DSpec layer) {
            return weighted(Conv2D.class, layer.activation(), layer.kernelL2() > 0);
        }

        @Override
        public List<Class<?>> visitPool2D(Pool2DSpec layer) {
            return List.of(layer.kind() == Pool2DSpec.Kind.MAX ? MaxPool2D.class : AvgPool2D.class);
        }

        @Override
        public List<Class<?>> visitGlobalAveragePooling2D(GlobalAveragePooling2DSpec layer) {
            return List.of(GlobalAvgPool2D.class);
        }

        @Override
        public List<Class<?>> visitFlatten(FlattenSpec layer) {
            return List.of(Flatten.class);
        }

        @Override
        public List<Class<?>> visitActivation(ActivationLayerSpec layer) {
            return List.of(ReferenceModel.activation(layer.activation()).getClass());
        }

        @Override
        public List<Class<?>> visitDropout(DropoutSpec layer) {
            return List.of(Dropout.class);
        }

        @Override
        public List<Class<?>> visitBatchNorm(BatchNormSpec layer) {
            return List.of(BatchNorm.class);
        }

        private static List<Class<?>> weighted(Class<?> core, Activation activation, boolean penalised) {
            List<Class<?>> steps = new ArrayList<>(List.of(core, ReferenceModel.activation(activation).getClass()));
            if (penalised) {
                steps.add(L2Penalty.class);
            }
            return steps;
        }
    }
}
