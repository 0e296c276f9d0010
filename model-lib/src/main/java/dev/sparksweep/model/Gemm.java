package dev.sparksweep.model;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code C = alpha * op(A) * op(B) + beta * C} straight through CBLAS (the OpenBLAS that ND4J itself loads), for
 * row- or column-major matrices and views with unit stride along one dimension. A recurrent step's products are small
 * ([100 x 128] x [128 x 512]), and going through ND4J's op machinery adds about 30 microseconds to each, a third of
 * the product itself; anything this class cannot express goes to {@link Nd4j#gemm} instead.
 */
final class Gemm {

    private Gemm() {
    }

    /** Storage of one operand as CBLAS sees it in row-major order. */
    private record Operand(Pointer pointer, boolean transposed, int ld) {
    }

    static void gemm(INDArray a, boolean transA, INDArray b, boolean transB, INDArray c, double alpha, double beta) {
        DataType type = c.dataType();
        Operand oa = operand(a);
        Operand ob = operand(b);
        Operand oc = operand(c);
        if (oa == null || ob == null || oc == null || a.dataType() != type || b.dataType() != type
                || (type != DataType.FLOAT && type != DataType.DOUBLE)) {
            Nd4j.gemm(a, b, c, transA, transB, alpha, beta);
            return;
        }
        long m = c.size(0);
        long n = c.size(1);
        long k = transA ? a.size(0) : a.size(1);
        if (!oc.transposed()) {
            call(type, oa.transposed() ^ transA, ob.transposed() ^ transB, m, n, k, alpha, oa, ob, beta, oc);
        } else {
            // C is column-major: compute C^T = op(B)^T op(A)^T, which is row-major.
            call(type, !(ob.transposed() ^ transB), !(oa.transposed() ^ transA), n, m, k, alpha, ob, oa, beta, oc);
        }
    }

    private static void call(DataType type, boolean ta, boolean tb, long m, long n, long k, double alpha, Operand a,
                             Operand b, double beta, Operand c) {
        int order = openblas_nolapack.CblasRowMajor;
        int opA = ta ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        int opB = tb ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        if (type == DataType.FLOAT) {
            openblas_nolapack.cblas_sgemm(order, opA, opB, (int) m, (int) n, (int) k, (float) alpha,
                    (FloatPointer) a.pointer(), a.ld(), (FloatPointer) b.pointer(), b.ld(), (float) beta,
                    (FloatPointer) c.pointer(), c.ld());
        } else {
            openblas_nolapack.cblas_dgemm(order, opA, opB, (int) m, (int) n, (int) k, alpha,
                    (DoublePointer) a.pointer(), a.ld(), (DoublePointer) b.pointer(), b.ld(), beta,
                    (DoublePointer) c.pointer(), c.ld());
        }
    }

    /** Row-major with unit column stride, or column-major with unit row stride; null for anything else. */
    private static Operand operand(INDArray x) {
        if (x.rank() != 2) {
            return null;
        }
        long rows = x.size(0);
        long cols = x.size(1);
        long s0 = x.stride(0);
        long s1 = x.stride(1);
        boolean rowMajor = (s1 == 1 || cols == 1) && s0 >= Math.max(1, cols);
        boolean colMajor = (s0 == 1 || rows == 1) && s1 >= Math.max(1, rows);
        if (!rowMajor && !colMajor) {
            return null;
        }
        // A view's buffer already starts at the view's offset; add only what the array adds beyond its buffer.
        Pointer base = x.data().addressPointer();
        long extra = x.offset() - x.data().offset();
        Pointer p = x.dataType() == DataType.FLOAT ? new FloatPointer(base).position(extra)
                : new DoublePointer(base).position(extra);
        if (rowMajor && (x.ordering() == 'c' || !colMajor)) {
            return new Operand(p, false, (int) Math.max(1, rows == 1 ? cols : s0));
        }
        return new Operand(p, true, (int) Math.max(1, cols == 1 ? rows : s1));
    }
}
