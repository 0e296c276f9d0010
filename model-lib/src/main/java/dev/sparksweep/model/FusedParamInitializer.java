package dev.sparksweep.model;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameters of a {@link FusedRecurrent} layer, with DL4J's names and shapes: input weights {@code W [nIn, G*h]},
 * recurrent weights {@code RW [h, G*h]}, bias {@code b [1, G*h]}, and for the GRU a recurrent bias
 * {@code rb [1, 3h]}. Weights start from the layer's weight initialisation; RNN and LSTM biases from its bias
 * initialisation (the LSTM forget block from its forget-gate bias), GRU biases like weights, as PyTorch does.
 */
public final class FusedParamInitializer implements ParamInitializer {

    public static final FusedParamInitializer INSTANCE = new FusedParamInitializer();
    public static final String WEIGHTS = "W";
    public static final String RECURRENT_WEIGHTS = "RW";
    public static final String BIAS = "b";
    public static final String RECURRENT_BIAS = "rb";

    private FusedParamInitializer() {
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        FusedRecurrent l = (FusedRecurrent) layer;
        long gh = (long) l.getCell().gates() * l.getNOut();
        return gh * (l.getNIn() + l.getNOut() + (l.getCell().hasRecurrentBias() ? 2 : 1));
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return ((FusedRecurrent) layer).getCell().hasRecurrentBias()
                ? List.of(WEIGHTS, RECURRENT_WEIGHTS, BIAS, RECURRENT_BIAS) : List.of(WEIGHTS, RECURRENT_WEIGHTS, BIAS);
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of(WEIGHTS, RECURRENT_WEIGHTS);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return ((FusedRecurrent) layer).getCell().hasRecurrentBias() ? List.of(BIAS, RECURRENT_BIAS) : List.of(BIAS);
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return WEIGHTS.equals(key) || RECURRENT_WEIGHTS.equals(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return BIAS.equals(key) || RECURRENT_BIAS.equals(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        FusedRecurrent layer = (FusedRecurrent) conf.getLayer();
        Map<String, INDArray> views = views(layer, paramsView);
        // Registered as DL4J's own initializers do: the configuration's variable list (also written to its JSON) is
        // what BaseLayer.setParams, the network's variable list and transfer learning go by; empty, they would see a
        // layer without parameters.
        for (String key : views.keySet()) {
            conf.addVariable(key);
        }
        if (initializeParams) {
            long h = layer.getNOut();
            long gh = layer.getCell().gates() * h;
            layer.getWeightInitFn().init(layer.getNIn(), gh, views.get(WEIGHTS).shape(), 'f', views.get(WEIGHTS));
            layer.getWeightInitFn().init(h, gh, views.get(RECURRENT_WEIGHTS).shape(), 'f',
                    views.get(RECURRENT_WEIGHTS));
            if (layer.getCell() == Cell.GRU) {
                for (String key : List.of(BIAS, RECURRENT_BIAS)) {
                    layer.getWeightInitFn().init(h, gh, views.get(key).shape(), 'f', views.get(key));
                }
            } else {
                views.get(BIAS).assign(layer.getBiasInit());
                if (layer.getCell() == Cell.LSTM) {
                    views.get(BIAS).get(NDArrayIndex.point(0), NDArrayIndex.interval(h, 2 * h))
                            .assign(layer.getForgetGateBiasInit());
                }
            }
        }
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views((FusedRecurrent) conf.getLayer(), gradientView);
    }

    private Map<String, INDArray> views(FusedRecurrent layer, INDArray flat) {
        long nIn = layer.getNIn();
        long h = layer.getNOut();
        long gh = layer.getCell().gates() * h;
        INDArray vector = flat.reshape(flat.length());
        Map<String, INDArray> views = new LinkedHashMap<>();
        long offset = 0;
        for (String key : paramKeys(layer)) {
            long rows = switch (key) {
                case WEIGHTS -> nIn;
                case RECURRENT_WEIGHTS -> h;
                default -> 1;
            };
            long length = rows * gh;
            views.put(key, vector.get(NDArrayIndex.interval(offset, offset + length)).reshape('f', rows, gh));
            offset += length;
        }
        return views;
    }
}
