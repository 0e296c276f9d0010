package dev.sparksweep.model;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;
import java.util.Map;

/**
 * Configuration of a GRU layer with PyTorch's {@code nn.GRU} equations, which DL4J 1.0.0-M2.1 does not ship:
 * <pre>
 * r = sigmoid(x W_r + b_r + h RW_r + rb_r)
 * z = sigmoid(x W_z + b_z + h RW_z + rb_z)
 * n = tanh(x W_n + b_n + r * (h RW_n + rb_n))
 * h' = (1 - z) * n + z * h
 * </pre>
 * The recurrent bias of the candidate sits inside the reset product, so input and recurrent biases are separate
 * parameters, as in PyTorch. It is a plain DL4J recurrent layer, so DL4J's {@code Bidirectional} and
 * {@code LastTimeStep} wrappers apply to it as to {@code LSTM}. (A SameDiff layer was tried first: DL4J 1.0.0-M2.1
 * returns twice the true gradient from every {@code SameDiffLayer}, which a gradient check exposes.)
 */
public class Gru extends BaseRecurrentLayer {

    /** For DL4J's JSON deserialisation. */
    public Gru() {
    }

    private Gru(Builder builder) {
        super(builder);
        initializeConstraints(builder);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                        Collection<TrainingListener> listeners, int layerIndex,
                                                        INDArray layerParamsView, boolean initializeParams,
                                                        DataType networkDataType) {
        LayerValidation.assertNInNOutSet("GRU", getLayerName(), layerIndex, getNIn(), getNOut());
        GruLayerImpl layer = new GruLayerImpl(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> params = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return GruParamInitializer.INSTANCE;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        long params = initializer().numParams(this);
        return new LayerMemoryReport.Builder(getLayerName(), Gru.class, inputType, getOutputType(-1, inputType))
                .standardMemory(params, params).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
    }

    /** Builder in DL4J's style: {@code new Gru.Builder().nOut(128).build()}. */
    public static class Builder extends BaseRecurrentLayer.Builder<Builder> {

        @Override
        @SuppressWarnings("unchecked")
        public Gru build() {
            return new Gru(this);
        }
    }
}
