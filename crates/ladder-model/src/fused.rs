//! Fused CPU kernels with their own backward pass (candle `CustomOp`s).
//!
//! Attention scores are the largest tensors of the model (`[B, H, T, T]`); composing
//! "add position bias, subtract max, exp, sum, divide" from primitive ops makes five passes over
//! them forward and more backward. [`bias_softmax`] does it in one pass forward and one backward,
//! and returns the gradient of the bias (summed over the batch) so the learned attention slopes
//! still train. [`attention`] goes further: the whole of `softmax(q kᵀ + bias) v` for all heads
//! in one op, reading and writing the layouts of the linear layers, never materialising the
//! scores. Other devices use the composed version (same maths).

mod attention;
mod elementwise;
mod linear;

pub use attention::{attention, attention_composed, MASKED};
pub use elementwise::{add_mask_mul, gelu, mask_mul, weighted_sum};
pub use linear::{linear, linear_composed};

use candle_core::{CpuStorage, CustomOp2, Layout, Shape, Tensor};
use rayon::prelude::*;

use crate::error::Result;

/// Runs candle's element-wise ops (add, mul, exp, ...) on the calling thread only, unless
/// `CANDLE_NUM_THREADS` is already set; matrix products and the fused kernels here still use
/// every `RAYON_NUM_THREADS` thread. candle splits each element-wise op over a pool of
/// spinning workers and waits for all of them: on 2 cores shared with other work, a worker that
/// is not scheduled stalls every op. Measured (benches/train_speed.rs, 2 threads, load 8): the
/// shipped config's training step 1.12 s with the pool, 0.16-0.19 s without.
/// Call it at the start of `main`, before the first tensor op (candle reads the variable once).
pub fn serial_elementwise_ops() {
    if std::env::var_os("CANDLE_NUM_THREADS").is_none() {
        std::env::set_var("CANDLE_NUM_THREADS", "1");
    }
}

/// Whether the fused CPU kernels of this module take `x` (f32 on the CPU); elsewhere each op
/// falls back to candle's composed ops.
pub(crate) fn fused_here(x: &Tensor) -> bool {
    x.device().is_cpu() && x.dtype() == candle_core::DType::F32
}

/// Largest absolute difference between two tensors of one shape (tests of the fused ops against
/// candle's composed ones).
#[cfg(test)]
pub(crate) fn max_abs_diff(a: &Tensor, c: &Tensor) -> f32 {
    a.sub(c)
        .and_then(|d| d.abs())
        .and_then(|d| d.flatten_all())
        .and_then(|d| d.max(0))
        .and_then(|d| d.to_scalar::<f32>())
        .expect("diff")
}

pub(crate) fn contiguous_f32<'a>(
    s: &'a CpuStorage,
    l: &Layout,
    what: &str,
) -> candle_core::Result<&'a [f32]> {
    let data = match s {
        CpuStorage::F32(v) => v.as_slice(),
        _ => candle_core::bail!("{what}: only f32 is supported"),
    };
    match l.contiguous_offsets() {
        Some((a, b)) => Ok(&data[a..b]),
        None => candle_core::bail!("{what}: input must be contiguous"),
    }
}

/// Read access to a contiguous CPU f32 tensor's data in place (no copy, unlike `to_vec1`), for
/// the backward passes. Holds the storage's read lock while alive; nothing writes tensors
/// during a backward pass.
pub(crate) struct HostView<'a> {
    guard: candle_core::StorageRef<'a>,
    layout: &'a Layout,
}

impl<'a> HostView<'a> {
    pub(crate) fn new(t: &'a Tensor) -> Self {
        let (guard, layout) = t.storage_and_layout();
        HostView { guard, layout }
    }

    pub(crate) fn f32(&self, what: &str) -> candle_core::Result<&[f32]> {
        match &*self.guard {
            candle_core::Storage::Cpu(s) => contiguous_f32(s, self.layout, what),
            _ => candle_core::bail!("{what}: not on the CPU"),
        }
    }
}

/// Sum of `(x - mean)^2` and the sums `sum(a * b)` below, with eight accumulators
/// (vectorisable, fixed order).
#[inline(always)]
fn sum_sq_dev(xs: &[f32], mean: f32) -> f32 {
    let mut acc = [0f32; 8];
    let chunks = xs.chunks_exact(8);
    let rest = chunks.remainder();
    for c in chunks {
        for (a, v) in acc.iter_mut().zip(c) {
            *a += (v - mean) * (v - mean);
        }
    }
    acc.iter().sum::<f32>() + rest.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>()
}

/// `e^x` for `x <= 0` (softmax after subtracting the row maximum), written so the compiler can
/// vectorise a loop over it: no calls, no branches. Range reduction `x = n ln2 + r` with the
/// rounding done by the 1.5 * 2^23 trick, then a degree-7 Taylor polynomial on
/// `|r| <= ln2 / 2` (truncation error under 6e-9 relative) and `2^n` built from its bits.
/// Relative error about 1e-7 (a few ulp) against `f32::exp`; 0 below -87 (where `e^x` is
/// subnormal). Measured: about 2x faster than calling `expf` per element (400k scores).
#[inline(always)]
pub fn exp_nonpositive(x: f32) -> f32 {
    const LOG2E: f32 = std::f32::consts::LOG2_E;
    const LN2_HI: f32 = 0.693_145_75;
    const LN2_LO: f32 = 1.428_606_8e-6;
    const ROUND: f32 = 12_582_912.0; // 1.5 * 2^23
    let xc = x.max(-87.0);
    let t = xc * LOG2E + ROUND;
    let n = t - ROUND;
    let r = xc - n * LN2_HI - n * LN2_LO;
    let p = 1.0
        + r * (1.0
            + r * (0.5
                + r * (1.0 / 6.0
                    + r * (1.0 / 24.0
                        + r * (1.0 / 120.0 + r * (1.0 / 720.0 + r * (1.0 / 5040.0)))))));
    // t's low mantissa bits hold n + 2^22 (n in [-126, 0]).
    let ni = (t.to_bits() as i32).wrapping_sub(0x4B40_0000);
    let scale = f32::from_bits(((ni + 127).max(0) as u32) << 23);
    let e = p * scale;
    // Below the range: 0; NaN stays NaN (a diverging run must still show it).
    if x >= -87.0 {
        e
    } else if x < -87.0 {
        0.0
    } else {
        x
    }
}

/// Sum with eight accumulators (vectorisable; a fixed order, so deterministic).
#[inline(always)]
pub fn sum_f32(xs: &[f32]) -> f32 {
    let mut acc = [0f32; 8];
    let chunks = xs.chunks_exact(8);
    let rest = chunks.remainder();
    for c in chunks {
        for (a, v) in acc.iter_mut().zip(c) {
            *a += v;
        }
    }
    let mut s = acc.iter().sum::<f32>();
    for v in rest {
        s += v;
    }
    s
}

/// `softmax(scores + bias)` over the last dim; `scores` `[B, H, Tq, Tk]`, `bias` `[H, Tq, Tk]`.
struct BiasSoftmax;

impl CustomOp2 for BiasSoftmax {
    fn name(&self) -> &'static str {
        "ladder-bias-softmax"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
    ) -> candle_core::Result<(CpuStorage, Shape)> {
        let x = contiguous_f32(s1, l1, "bias_softmax scores")?;
        let bias = contiguous_f32(s2, l2, "bias_softmax bias")?;
        let dims = l1.shape().dims();
        let bdims = l2.shape().dims();
        if dims.len() != 4 || bdims.len() != 3 {
            candle_core::bail!("bias_softmax: scores must be [B,H,Tq,Tk] and bias [H,Tq or 1,Tk]");
        }
        let (h, tq, tk) = (dims[1], dims[2], dims[3]);
        let tqb = bdims[1];
        if bdims[0] != h || bdims[2] != tk || !(tqb == tq || tqb == 1) || tk == 0 {
            candle_core::bail!("bias_softmax: bias {bdims:?} does not fit scores {dims:?}");
        }
        let mut out = vec![0f32; x.len()];
        out.par_chunks_mut(tk).zip(x.par_chunks(tk)).enumerate().for_each(|(row, (o, xr))| {
            let hq = row % (h * tq);
            let brow = (hq / tq) * tqb + if tqb == 1 { 0 } else { hq % tq };
            let br = &bias[brow * tk..(brow + 1) * tk];
            let mut m = f32::NEG_INFINITY;
            for (oi, (xi, bi)) in o.iter_mut().zip(xr.iter().zip(br)) {
                *oi = xi + bi;
                m = m.max(*oi);
            }
            for oi in o.iter_mut() {
                *oi = exp_nonpositive(*oi - m);
            }
            let inv = 1.0 / sum_f32(o);
            for oi in o.iter_mut() {
                *oi *= inv;
            }
        });
        Ok((CpuStorage::F32(out), l1.shape().clone()))
    }

    fn bwd(
        &self,
        _scores: &Tensor,
        bias: &Tensor,
        res: &Tensor,
        grad_res: &Tensor,
    ) -> candle_core::Result<(Option<Tensor>, Option<Tensor>)> {
        let g = grad_res.contiguous()?;
        let ds = res.apply_op2_no_bwd(&g, &SoftmaxGrad)?;
        let mut db = ds.sum(0)?;
        if bias.dim(1)? == 1 && db.dim(1)? != 1 {
            db = db.sum_keepdim(1)?;
        }
        let db = db.reshape(bias.shape())?;
        Ok((Some(ds), Some(db)))
    }
}

/// Gradient of softmax: `y * (g - sum(g * y))` per row.
struct SoftmaxGrad;

impl CustomOp2 for SoftmaxGrad {
    fn name(&self) -> &'static str {
        "ladder-softmax-grad"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
    ) -> candle_core::Result<(CpuStorage, Shape)> {
        let y = contiguous_f32(s1, l1, "softmax_grad y")?;
        let g = contiguous_f32(s2, l2, "softmax_grad g")?;
        let tk = *l1.shape().dims().last().unwrap_or(&1);
        if y.len() != g.len() || tk == 0 {
            candle_core::bail!("softmax_grad: shapes differ");
        }
        let mut out = vec![0f32; y.len()];
        out.par_chunks_mut(tk).zip(y.par_chunks(tk).zip(g.par_chunks(tk))).for_each(
            |(o, (yr, gr))| {
                let dot: f32 = yr.iter().zip(gr).map(|(a, b)| a * b).sum();
                for (oi, (yi, gi)) in o.iter_mut().zip(yr.iter().zip(gr)) {
                    *oi = yi * (gi - dot);
                }
            },
        );
        Ok((CpuStorage::F32(out), l1.shape().clone()))
    }
}

/// `softmax(scores + bias, last dim)` with `bias` broadcast over the batch: fused on the CPU,
/// composed from primitive ops elsewhere. Differentiable in both arguments.
pub fn bias_softmax(scores: &Tensor, bias: &Tensor) -> Result<Tensor> {
    if fused_here(scores) {
        Ok(scores.contiguous()?.apply_op2(&bias.contiguous()?, BiasSoftmax)?)
    } else {
        crate::model::softmax_last(&scores.broadcast_add(bias)?)
    }
}

/// `x + b` with `b` `[n]` broadcast over the rows of `x` `[.., n]`.
struct AddBias;

impl CustomOp2 for AddBias {
    fn name(&self) -> &'static str {
        "ladder-add-bias"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
    ) -> candle_core::Result<(CpuStorage, Shape)> {
        let x = contiguous_f32(s1, l1, "add_bias x")?;
        let b = contiguous_f32(s2, l2, "add_bias b")?;
        let n = b.len();
        if n == 0 || x.len() % n != 0 || l1.shape().dims().last() != Some(&n) {
            candle_core::bail!("add_bias: bias of {n} does not fit {:?}", l1.shape());
        }
        let mut out = x.to_vec();
        for row in out.chunks_mut(n) {
            for (o, bi) in row.iter_mut().zip(b) {
                *o += bi;
            }
        }
        Ok((CpuStorage::F32(out), l1.shape().clone()))
    }

    fn bwd(
        &self,
        _x: &Tensor,
        b: &Tensor,
        _res: &Tensor,
        grad: &Tensor,
    ) -> candle_core::Result<(Option<Tensor>, Option<Tensor>)> {
        // Column sums row by row (candle's sum over dim 0 walks the columns with a stride).
        let n = b.elem_count();
        let g = grad.flatten_all()?.to_vec1::<f32>()?;
        let mut db = vec![0f32; n];
        for row in g.chunks(n.max(1)) {
            for (d, gi) in db.iter_mut().zip(row) {
                *d += gi;
            }
        }
        Ok((Some(grad.clone()), Some(Tensor::from_vec(db, b.shape(), b.device())?)))
    }
}

/// `x + b` for a bias `b` `[n]` over the last dim of `x`: one pass each way on the CPU (the
/// bias gradient summed row by row), candle's `broadcast_add` elsewhere.
pub fn add_bias(x: &Tensor, b: &Tensor) -> Result<Tensor> {
    if fused_here(x) && b.rank() == 1 {
        Ok(x.contiguous()?.apply_op2(&b.contiguous()?, AddBias)?)
    } else {
        Ok(x.broadcast_add(b)?)
    }
}

/// Layer norm over the last dim: `(x - mean) / sqrt(var + eps) * g + b`.
struct LayerNormOp {
    eps: f32,
}

/// Mean and `1 / sqrt(var + eps)` of a row.
#[inline(always)]
fn row_stats(xr: &[f32], eps: f32) -> (f32, f32) {
    let d = xr.len() as f32;
    let mean = sum_f32(xr) / d;
    (mean, 1.0 / (sum_sq_dev(xr, mean) / d + eps).sqrt())
}

/// Forward over a run of rows.
#[inline(always)]
fn ln_forward_rows(o: &mut [f32], x: &[f32], g: &[f32], b: &[f32], eps: f32) {
    let d = g.len();
    for (o, xr) in o.chunks_mut(d).zip(x.chunks(d)) {
        let (mean, inv) = row_stats(xr, eps);
        for i in 0..d {
            o[i] = (xr[i] - mean) * inv * g[i] + b[i];
        }
    }
}

/// Backward over a run of rows: `dx` into `o`; the gain and bias gradients of these rows added
/// into `dg` and `db`.
#[inline(always)]
fn ln_backward_rows(
    o: &mut [f32],
    x: &[f32],
    dy: &[f32],
    g: &[f32],
    (dg, db): (&mut [f32], &mut [f32]),
    eps: f32,
) {
    let d = g.len();
    let mut gy = vec![0f32; d];
    let mut xh = vec![0f32; d];
    for ((o, xr), dyr) in o.chunks_mut(d).zip(x.chunks(d)).zip(dy.chunks(d)) {
        let (mean, inv) = row_stats(xr, eps);
        for i in 0..d {
            xh[i] = (xr[i] - mean) * inv;
            gy[i] = g[i] * dyr[i];
            dg[i] += dyr[i] * xh[i];
            db[i] += dyr[i];
        }
        let m1 = sum_f32(&gy) / d as f32;
        let mut acc = [0f32; 8];
        for (gc, xc) in gy.chunks_exact(8).zip(xh.chunks_exact(8)) {
            for k in 0..8 {
                acc[k] += gc[k] * xc[k];
            }
        }
        let tail = d - d % 8;
        let m2 = (acc.iter().sum::<f32>()
            + gy[tail..].iter().zip(&xh[tail..]).map(|(a, b)| a * b).sum::<f32>())
            / d as f32;
        for i in 0..d {
            o[i] = inv * (gy[i] - m1 - xh[i] * m2);
        }
    }
}

#[cfg_attr(target_arch = "x86_64", target_feature(enable = "avx2,fma"))]
#[allow(unsafe_code)]
unsafe fn ln_forward_rows_avx2(o: &mut [f32], x: &[f32], g: &[f32], b: &[f32], eps: f32) {
    ln_forward_rows(o, x, g, b, eps)
}

#[cfg_attr(target_arch = "x86_64", target_feature(enable = "avx2,fma"))]
#[allow(unsafe_code)]
unsafe fn ln_backward_rows_avx2(
    o: &mut [f32],
    x: &[f32],
    dy: &[f32],
    g: &[f32],
    dgb: (&mut [f32], &mut [f32]),
    eps: f32,
) {
    ln_backward_rows(o, x, dy, g, dgb, eps)
}

/// Rows per parallel task of the layer norm.
const LN_ROWS: usize = 64;

impl candle_core::CustomOp3 for LayerNormOp {
    fn name(&self) -> &'static str {
        "ladder-layer-norm"
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
        let x = contiguous_f32(s1, l1, "layer_norm x")?;
        let g = contiguous_f32(s2, l2, "layer_norm g")?;
        let b = contiguous_f32(s3, l3, "layer_norm b")?;
        let d = g.len();
        if d == 0 || b.len() != d || x.len() % d != 0 {
            candle_core::bail!("layer_norm: gain/bias of {d} do not fit {:?}", l1.shape());
        }
        let eps = self.eps;
        let mut out = vec![0f32; x.len()];
        out.par_chunks_mut(d * LN_ROWS).zip(x.par_chunks(d * LN_ROWS)).for_each(|(o, xr)| {
            if attention::has_avx2_fma() {
                // SAFETY: the CPU has AVX2 and FMA (checked).
                #[allow(unsafe_code)]
                unsafe {
                    ln_forward_rows_avx2(o, xr, g, b, eps)
                }
            } else {
                ln_forward_rows(o, xr, g, b, eps)
            }
        });
        Ok((CpuStorage::F32(out), l1.shape().clone()))
    }

    fn bwd(
        &self,
        x: &Tensor,
        g: &Tensor,
        _b: &Tensor,
        _res: &Tensor,
        grad: &Tensor,
    ) -> candle_core::Result<(Option<Tensor>, Option<Tensor>, Option<Tensor>)> {
        // Recompute the row statistics (cheap) rather than keeping them alive; the input
        // gradient and per-task partial gain/bias gradients in one pass over the rows.
        let (x, dy, g) = (x.contiguous()?, grad.contiguous()?, g.contiguous()?);
        let (xv, dyv, gv) = (HostView::new(&x), HostView::new(&dy), HostView::new(&g));
        let (xs, dys, gs) = (xv.f32("layer_norm x")?, dyv.f32("layer_norm dy")?, gv.f32("g")?);
        let d = gs.len();
        if d == 0 || xs.len() % d != 0 || dys.len() != xs.len() {
            candle_core::bail!("layer_norm backward: shapes differ");
        }
        let eps = self.eps;
        let mut dx = vec![0f32; xs.len()];
        let partial: Vec<Vec<f32>> = dx
            .par_chunks_mut(d * LN_ROWS)
            .zip(xs.par_chunks(d * LN_ROWS).zip(dys.par_chunks(d * LN_ROWS)))
            .map(|(o, (xr, dyr))| {
                let mut dgb = vec![0f32; 2 * d];
                let (dg, db) = dgb.split_at_mut(d);
                if attention::has_avx2_fma() {
                    // SAFETY: the CPU has AVX2 and FMA (checked).
                    #[allow(unsafe_code)]
                    unsafe {
                        ln_backward_rows_avx2(o, xr, dyr, gs, (dg, db), eps)
                    }
                } else {
                    ln_backward_rows(o, xr, dyr, gs, (dg, db), eps)
                }
                dgb
            })
            .collect();
        let mut dgb = vec![0f32; 2 * d];
        for p in &partial {
            for (a, v) in dgb.iter_mut().zip(p) {
                *a += v;
            }
        }
        let dev = x.device();
        let dg = Tensor::from_slice(&dgb[..d], g.shape(), dev)?;
        let db = Tensor::from_slice(&dgb[d..], g.shape(), dev)?;
        Ok((Some(Tensor::from_vec(dx, x.shape(), dev)?), Some(dg), Some(db)))
    }
}

/// Layer norm over the last dim with gain `g` and bias `b` (`[d]`): fused on the CPU (one pass
/// forward, one backward), composed from primitive ops elsewhere. Differentiable in all three.
pub fn layer_norm(x: &Tensor, g: &Tensor, b: &Tensor) -> Result<Tensor> {
    if fused_here(x) {
        Ok(x.contiguous()?.apply_op3(g, b, LayerNormOp { eps: 1e-5 })?)
    } else {
        crate::model::layer_norm(x, g, b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::{Device, Var};

    #[test]
    fn fused_matches_composed_forward_and_backward() {
        for tqb in [5, 1] {
            check_bias_softmax(tqb);
        }
    }

    fn check_bias_softmax(tqb: usize) {
        let dev = Device::Cpu;
        let s = Var::from_tensor(&Tensor::randn(0f32, 2.0, (2, 3, 5, 7), &dev).expect("s"))
            .expect("var");
        let b = Var::from_tensor(&Tensor::randn(0f32, 1.0, (3, tqb, 7), &dev).expect("b"))
            .expect("var");
        let w = Tensor::randn(0f32, 1.0, (2, 3, 5, 7), &dev).expect("w");
        let fused = bias_softmax(s.as_tensor(), b.as_tensor()).expect("fused");
        let composed =
            crate::model::softmax_last(&s.as_tensor().broadcast_add(b.as_tensor()).expect("add"))
                .expect("composed");
        assert!(max_abs_diff(&fused, &composed) < 1e-6);
        let gf = fused.mul(&w).and_then(|t| t.sum_all()).and_then(|l| l.backward()).expect("gf");
        let gc = composed.mul(&w).and_then(|t| t.sum_all()).and_then(|l| l.backward()).expect("gc");
        for v in [&s, &b] {
            let a = gf.get(v.as_tensor()).expect("grad fused");
            let c = gc.get(v.as_tensor()).expect("grad composed");
            assert!(max_abs_diff(a, c) < 1e-5, "gradient differs");
        }
    }

    #[test]
    fn add_bias_matches_broadcast_add_forward_and_backward() {
        let dev = Device::Cpu;
        let x =
            Var::from_tensor(&Tensor::randn(0f32, 1.0, (3, 5, 6), &dev).expect("x")).expect("var");
        let b = Var::from_tensor(&Tensor::randn(0f32, 1.0, 6, &dev).expect("b")).expect("var");
        let w = Tensor::randn(0f32, 1.0, (3, 5, 6), &dev).expect("w");
        let fused = add_bias(x.as_tensor(), b.as_tensor()).expect("fused");
        let composed = x.as_tensor().broadcast_add(b.as_tensor()).expect("composed");
        assert_eq!(max_abs_diff(&fused, &composed), 0.0);
        let gf = fused.mul(&w).and_then(|t| t.sum_all()).and_then(|l| l.backward()).expect("gf");
        let gc = composed.mul(&w).and_then(|t| t.sum_all()).and_then(|l| l.backward()).expect("gc");
        for v in [&x, &b] {
            let a = gf.get(v.as_tensor()).expect("grad fused");
            let c = gc.get(v.as_tensor()).expect("grad composed");
            assert!(max_abs_diff(a, c) < 1e-5, "gradient differs: {}", max_abs_diff(a, c));
        }
    }

    #[test]
    fn fused_layer_norm_matches_composed_forward_and_backward() {
        // One task of rows; several tasks with a row width that is not a multiple of 8.
        check_layer_norm(3, 4, 8);
        check_layer_norm(3, 70, 45);
    }

    fn check_layer_norm(b0: usize, t: usize, d: usize) {
        let dev = Device::Cpu;
        let x = Var::from_tensor(&Tensor::randn(0.5f32, 2.0, (b0, t, d), &dev).expect("x"))
            .expect("var");
        let g = Var::from_tensor(&Tensor::randn(1f32, 0.3, d, &dev).expect("g")).expect("var");
        let b = Var::from_tensor(&Tensor::randn(0f32, 0.3, d, &dev).expect("b")).expect("var");
        let w = Tensor::randn(0f32, 1.0, (b0, t, d), &dev).expect("w");
        let fused = layer_norm(x.as_tensor(), g.as_tensor(), b.as_tensor()).expect("fused");
        let composed = crate::model::layer_norm(x.as_tensor(), g.as_tensor(), b.as_tensor())
            .expect("composed");
        assert!(max_abs_diff(&fused, &composed) < 1e-5);
        let gf = fused.mul(&w).and_then(|t| t.sum_all()).and_then(|l| l.backward()).expect("gf");
        let gc = composed.mul(&w).and_then(|t| t.sum_all()).and_then(|l| l.backward()).expect("gc");
        for v in [&x, &g, &b] {
            let a = gf.get(v.as_tensor()).expect("grad fused");
            let c = gc.get(v.as_tensor()).expect("grad composed");
            assert!(max_abs_diff(a, c) < 1e-4, "gradient differs: {}", max_abs_diff(a, c));
        }
    }
}

#[cfg(test)]
mod exp_tests {
    use super::*;

    #[test]
    fn fast_exp_matches_std_to_a_few_ulp_on_the_softmax_range() {
        let mut worst = 0f64;
        let mut x = 0f32;
        while x > -87.0 {
            let want = f64::from(x).exp();
            let got = f64::from(exp_nonpositive(x));
            worst = worst.max(((got - want) / want).abs());
            x -= 0.000_37;
        }
        assert!(worst < 3e-7, "worst relative error {worst}");
        assert_eq!(exp_nonpositive(0.0), 1.0);
        assert_eq!(exp_nonpositive(-1e9), 0.0);
        assert_eq!(exp_nonpositive(f32::NEG_INFINITY), 0.0);
        assert!(exp_nonpositive(-86.9) > 0.0);
        assert!(exp_nonpositive(f32::NAN).is_nan());
    }

    #[test]
    fn eight_way_sum_is_the_sum() {
        let xs: Vec<f32> = (0..103).map(|i| i as f32 * 0.25).collect();
        assert_eq!(sum_f32(&xs), xs.iter().sum::<f32>());
        assert_eq!(sum_f32(&[]), 0.0);
    }
}
