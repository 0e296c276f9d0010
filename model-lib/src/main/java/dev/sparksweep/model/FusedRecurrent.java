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
 * Configuration of sparksweep's fused recurrent layer: a plain RNN, an LSTM or a GRU ({@link Cell}) computed with
 * one matrix product for the input projection of every time step, one per step for the recurrence, and all gate
 * arithmetic of a step in one vectorised pass over preallocated buffers. RNN and LSTM use the same parameters, in the
 * same layout, as DL4J's {@code SimpleRnn} and {@code LSTM}, and compute the same function; the GRU follows PyTorch's
 * {@code nn.GRU} (DL4J 1.0.0-M2.1 has none). DL4J's {@code Bidirectional} and {@code LastTimeStep} wrappers apply.
 */
public class FusedRecurrent extends BaseRecurrentLayer {

    private Cell cell = Cell.LSTM;
    private double forgetGateBiasInit = 1.0;
    private boolean lastStepOnly;

    /** For DL4J's JSON deserialisation. */
    public FusedRecurrent() {
    }

    private FusedRecurrent(Builder builder) {
        super(builder);
        this.cell = builder.cell;
        this.forgetGateBiasInit = builder.forgetGateBiasInit;
        this.lastStepOnly = builder.lastStepOnly;
        initializeConstraints(builder);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                        Collection<TrainingListener> listeners, int layerIndex,
                                                        INDArray layerParamsView, boolean initializeParams,
                                                        DataType networkDataType) {
        LayerValidation.assertNInNOutSet("FusedRecurrent", getLayerName(), layerIndex, getNIn(), getNOut());
        FusedRecurrentLayer layer = new FusedRecurrentLayer(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> params = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputType sequence = super.getOutputType(layerIndex, inputType);
        return lastStepOnly ? InputType.feedForward(getNOut()) : sequence;
    }

    @Override
    public ParamInitializer initializer() {
        return FusedParamInitializer.INSTANCE;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        long params = initializer().numParams(this);
        return new LayerMemoryReport.Builder(getLayerName(), FusedRecurrent.class, inputType,
                getOutputType(-1, inputType)).standardMemory(params, params).workingMemory(0, 0, 0, 0)
                .cacheMemory(0, 0).build();
    }

    public boolean isLastStepOnly() {
        return lastStepOnly;
    }

    public void setLastStepOnly(boolean lastStepOnly) {
        this.lastStepOnly = lastStepOnly;
    }

    public Cell getCell() {
        return cell;
    }

    public void setCell(Cell cell) {
        this.cell = cell;
    }

    public double getForgetGateBiasInit() {
        return forgetGateBiasInit;
    }

    public void setForgetGateBiasInit(double forgetGateBiasInit) {
        this.forgetGateBiasInit = forgetGateBiasInit;
    }

    /**
     * DL4J's generated {@code equals} of {@link BaseRecurrentLayer} knows nothing of this class's fields, so without
     * this an LSTM layer would equal a GRU layer of the same size, and a configuration read back from JSON could not
     * be told apart from another cell's. Same pattern as Lombok's: {@link #canEqual} keeps it symmetric.
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof FusedRecurrent that && that.canEqual(this) && super.equals(other)
                && cell == that.cell && Double.compare(forgetGateBiasInit, that.forgetGateBiasInit) == 0
                && lastStepOnly == that.lastStepOnly;
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof FusedRecurrent;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * super.hashCode() + cell.hashCode()) + Double.hashCode(forgetGateBiasInit))
                + Boolean.hashCode(lastStepOnly);
    }

    @Override
    public String toString() {
        return "FusedRecurrent(cell=" + cell + ", forgetGateBiasInit=" + forgetGateBiasInit + ", lastStepOnly="
                + lastStepOnly + ", " + super.toString() + ")";
    }

    /** Builder in DL4J's style: {@code new FusedRecurrent.Builder().cell(Cell.LSTM).nOut(128).build()}. */
    public static class Builder extends BaseRecurrentLayer.Builder<Builder> {

        private Cell cell = Cell.LSTM;
        private double forgetGateBiasInit = 1.0;
        private boolean lastStepOnly;

        public Builder cell(Cell value) {
            this.cell = value;
            return this;
        }

        /** LSTM only: initial bias of the forget gate, as DL4J's {@code LSTM.Builder#forgetGateBiasInit}. */
        public Builder forgetGateBiasInit(double value) {
            this.forgetGateBiasInit = value;
            return this;
        }

        /**
         * Output only the final state {@code [batch, units]}, as DL4J's {@code LastTimeStep} wrapper would, without
         * materialising the whole sequence of states on the way out or its (all but one step zero) gradient on the
         * way back.
         */
        public Builder lastStepOnly(boolean value) {
            this.lastStepOnly = value;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public FusedRecurrent build() {
            return new FusedRecurrent(this);
        }
    }
}
