//! `x @ w + b` as one op with its own backward.
//!
//! Composed, a linear layer is four nodes of candle's graph (reshape to rows, matrix product,
//! bias add, reshape back), and candle's backward gives every input of every node a gradient
//! tensor of its own: a zero-filled allocation plus an add per node, four per layer on the
//! activations. As one op the activations get one, the matrix products are the same `gemm`
//! calls candle makes, and the bias is written into the output before the product accumulates
//! onto it (no separate pass).

use candle_core::{CpuStorage, CustomOp1, CustomOp3, Layout, Shape, Tensor};

use super::{contiguous_f32, fused_here};
use crate::error::Result;

/// The op: `x` `[.., in]`, `w` `[in, out]`, `b` `[out]`.
struct Linear;

fn dims(x: &Shape, w: &Shape, b: &Shape) -> candle_core::Result<(usize, usize, usize)> {
    let (k, n) = w.dims2()?;
    let xd = x.dims();
    if xd.last() != Some(&k) || b.dims() != [n] {
        candle_core::bail!("linear: x {x:?}, w {w:?} and b {b:?} do not fit");
    }
    Ok((x.elem_count() / k.max(1), k, n))
}

impl CustomOp3 for Linear {
    fn name(&self) -> &'static str {
        "ladder-linear"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
        s3: &CpuStorage,
        l3: &Layout,
    ) -> candle_core::Result<(CpuStorage, Shape)> {
        let (m, k, n) = dims(l1.shape(), l2.shape(), l3.shape())?;
        let x = contiguous_f32(s1, l1, "linear x")?;
        let w = contiguous_f32(s2, l2, "linear w")?;
        let b = contiguous_f32(s3, l3, "linear b")?;
        let mut out = Vec::with_capacity(m * n);
        for _ in 0..m {
            out.extend_from_slice(b);
        }
        if m > 0 && n > 0 && k > 0 {
            let threads = rayon::current_num_threads();
            let parallelism = if threads > 1 {
                gemm::Parallelism::Rayon(threads)
            } else {
                gemm::Parallelism::None
            };
            // SAFETY: `out` holds m x n, `x` m x k and `w` k x n floats, all row-major and
            // contiguous (checked above), so every index the strides reach is in bounds; the
            // output does not alias the inputs.
            #[allow(unsafe_code)]
            unsafe {
                gemm::gemm(
                    m,
                    n,
                    k,
                    out.as_mut_ptr(),
                    1,
                    n as isize,
                    true,
                    x.as_ptr(),
                    1,
                    k as isize,
                    w.as_ptr(),
                    1,
                    n as isize,
                    1.0f32,
                    1.0f32,
                    false,
                    false,
                    false,
                    parallelism,
                );
            }
        }
        let mut shape = l1.shape().dims().to_vec();
        if let Some(last) = shape.last_mut() {
            *last = n;
        }
        Ok((CpuStorage::F32(out), Shape::from(shape)))
    }

    fn bwd(
        &self,
        x: &Tensor,
        w: &Tensor,
        b: &Tensor,
        _res: &Tensor,
        grad: &Tensor,
    ) -> candle_core::Result<(Option<Tensor>, Option<Tensor>, Option<Tensor>)> {
        let (m, k, n) = dims(x.shape(), w.shape(), b.shape())?;
        let g = grad.contiguous()?.reshape((m, n))?;
        let dx = g.matmul(&w.t()?)?.reshape(x.shape())?;
        let dw = x.reshape((m, k))?.t()?.matmul(&g)?;
        let db = g.apply_op1_no_bwd(&ColumnSums)?;
        Ok((Some(dx), Some(dw), Some(db)))
    }
}

/// Sums of the columns of a contiguous `[rows, n]` matrix, row by row (candle's sum over dim 0
/// walks the columns with a stride).
struct ColumnSums;

impl CustomOp1 for ColumnSums {
    fn name(&self) -> &'static str {
        "ladder-column-sums"
    }

    fn cpu_fwd(&self, s: &CpuStorage, l: &Layout) -> candle_core::Result<(CpuStorage, Shape)> {
        let g = contiguous_f32(s, l, "column sums")?;
        let (_, n) = l.shape().dims2()?;
        let mut sums = vec![0f32; n];
        for row in g.chunks(n.max(1)) {
            for (s, v) in sums.iter_mut().zip(row) {
                *s += v;
            }
        }
        Ok((CpuStorage::F32(sums), Shape::from(n)))
    }
}

/// `x @ w + b` for `x` of any rank (last dim = in), `w` `[in, out]`, `b` `[out]`: one op each
/// way on the CPU, candle's matrix product and bias add elsewhere.
pub fn linear(x: &Tensor, w: &Tensor, b: &Tensor) -> Result<Tensor> {
    if fused_here(x) && b.rank() == 1 {
        Ok(x.contiguous()?.apply_op3(&w.contiguous()?, &b.contiguous()?, Linear)?)
    } else {
        linear_composed(x, w, b)
    }
}

/// The same from candle's ops (other devices, and the reference in tests).
pub fn linear_composed(x: &Tensor, w: &Tensor, b: &Tensor) -> Result<Tensor> {
    let dims = x.dims().to_vec();
    let (in_dim, out_dim) = w.dims2()?;
    let rows: usize = dims[..dims.len() - 1].iter().product();
    let y = super::add_bias(&x.reshape((rows, in_dim))?.matmul(w)?, b)?;
    let mut out = dims;
    if let Some(last) = out.last_mut() {
        *last = out_dim;
    }
    Ok(y.reshape(out)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::{Device, Var};

    use crate::fused::max_abs_diff as diff;

    /// Forward and the gradients of `x`, `w` and `b` equal the composed ops', for a rank-3
    /// input large enough for the threaded product and for a single row.
    #[test]
    fn fused_linear_matches_composed_forward_and_backward() {
        let dev = Device::Cpu;
        for (b, t, k, n) in [(3, 70, 48, 40), (1, 1, 5, 3)] {
            let var = |s: &[usize]| {
                Var::from_tensor(&Tensor::randn(0f32, 1.0, s, &dev).expect("t")).expect("var")
            };
            let (x, w, bias) = (var(&[b, t, k]), var(&[k, n]), var(&[n]));
            let g = Tensor::randn(0f32, 1.0, (b, t, n), &dev).expect("g");
            let fused = linear(x.as_tensor(), w.as_tensor(), bias.as_tensor()).expect("fused");
            let composed =
                linear_composed(x.as_tensor(), w.as_tensor(), bias.as_tensor()).expect("comp");
            assert_eq!(fused.dims(), composed.dims());
            assert!(diff(&fused, &composed) < 1e-5, "forward: {}", diff(&fused, &composed));
            let gf = fused.mul(&g).and_then(|t| t.sum_all()).and_then(|l| l.backward()).expect("f");
            let gc =
                composed.mul(&g).and_then(|t| t.sum_all()).and_then(|l| l.backward()).expect("c");
            for (name, v) in [("x", &x), ("w", &w), ("b", &bias)] {
                let (f, c) = (gf.get(v.as_tensor()).expect("f"), gc.get(v.as_tensor()).expect("c"));
                assert_eq!(f.dims(), v.as_tensor().dims());
                assert!(diff(f, c) < 1e-4, "gradient of {name} differs: {}", diff(f, c));
            }
        }
    }
}
