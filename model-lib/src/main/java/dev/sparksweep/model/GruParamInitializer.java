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
 * Lays out a {@link Gru}'s parameters in the network's flat parameter vector: input weights {@code W [nIn, 3h]},
 * recurrent weights {@code RW [h, 3h]}, input bias {@code b [1, 3h]}, recurrent bias {@code rb [1, 3h]}, gate blocks
 * in PyTorch's order (reset, update, candidate). All four start from the layer's weight initialisation, as PyTorch
 * initialises biases like weights.
 */
public final class GruParamInitializer implements ParamInitializer {

    public static final GruParamInitializer INSTANCE = new GruParamInitializer();
    public static final String WEIGHTS = "W";
    public static final String RECURRENT_WEIGHTS = "RW";
    public static final String BIAS = "b";
    public static final String RECURRENT_BIAS = "rb";
    private static final List<String> KEYS = List.of(WEIGHTS, RECURRENT_WEIGHTS, BIAS, RECURRENT_BIAS);

    private GruParamInitializer() {
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        Gru gru = (Gru) layer;
        long h = gru.getNOut();
        return 3 * h * (gru.getNIn() + h + 2);
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return KEYS;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of(WEIGHTS, RECURRENT_WEIGHTS);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return List.of(BIAS, RECURRENT_BIAS);
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
        Gru gru = (Gru) conf.getLayer();
        Map<String, INDArray> views = views(gru, paramsView);
        if (initializeParams) {
            long h = gru.getNOut();
            for (Map.Entry<String, INDArray> e : views.entrySet()) {
                INDArray view = e.getValue();
                double fanIn = e.getKey().equals(WEIGHTS) ? gru.getNIn() : h;
                gru.getWeightInitFn().init(fanIn, 3 * h, view.shape(), 'f', view);
            }
        }
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views((Gru) conf.getLayer(), gradientView);
    }

    private static Map<String, INDArray> views(Gru gru, INDArray flat) {
        long nIn = gru.getNIn();
        long h = gru.getNOut();
        INDArray vector = flat.reshape(flat.length());
        long[][] shapes = {{nIn, 3 * h}, {h, 3 * h}, {1, 3 * h}, {1, 3 * h}};
        Map<String, INDArray> views = new LinkedHashMap<>();
        long offset = 0;
        for (int i = 0; i < KEYS.size(); i++) {
            long length = shapes[i][0] * shapes[i][1];
            views.put(KEYS.get(i), vector.get(NDArrayIndex.interval(offset, offset + length)).reshape('f', shapes[i]));
            offset += length;
        }
        return views;
    }
}
