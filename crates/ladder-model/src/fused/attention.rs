//! Multi-head attention with a per-head additive bias as one CPU op with its own backward.
//!
//! `softmax(q kᵀ * scale + bias) v` per head, reading the projections in the layout the linear
//! layers produce (`q` `[B, Tq, d]`, keys and values packed as `kv` `[B, Tk, 2d]`, head `h` in
//! columns `h*dh..(h+1)*dh`) and writing `[B, Tq, d]` for the output projection: no transposes,
//! no `[B, H, Tq, Tk]` tensor forward or backward. The backward pass recomputes one row of
//! probabilities at a time from `q`, `k` and the bias (a few multiply-adds per score) and
//! returns the gradients of `q`, `kv` and the bias (summed over the batch).
//!
//! Keys masked out at the end of a row (bias below [`MASKED`], the causal mask) are skipped: their
//! weight is exactly 0 in the composed version too, since `e^x` underflows to 0 below -87.

use candle_core::{CpuStorage, CustomOp3, Layout, Shape, Tensor};
use rayon::prelude::*;

use super::{contiguous_f32, exp_nonpositive, sum_f32};
use crate::error::Result;

/// A bias at or below this is a masked key (the model's mask adds -1e9).
pub const MASKED: f32 = -1e8;

/// Shapes of one attention call.
#[derive(Debug, Clone, Copy)]
struct Dims {
    b: usize,
    tq: usize,
    tk: usize,
    h: usize,
    dh: usize,
    /// Rows of the bias per head: `tq`, or 1 when one row is broadcast over all queries.
    tqb: usize,
    scale: f32,
}

impl Dims {
    fn d(&self) -> usize {
        self.h * self.dh
    }

    /// Row of the bias used by query `i` of head `h`.
    fn bias_row(&self, h: usize, i: usize) -> usize {
        h * self.tqb + if self.tqb == 1 { 0 } else { i }
    }
}

/// Dot product with eight accumulators (vectorisable, fixed order).
#[inline(always)]
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut acc = [0f32; 8];
    let ca = a.chunks_exact(8);
    let cb = b.chunks_exact(8);
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for k in 0..8 {
            acc[k] += x[k] * y[k];
        }
    }
    let mut s = acc.iter().sum::<f32>();
    for (x, y) in ra.iter().zip(rb) {
        s += x * y;
    }
    s
}

/// `y += a * x`.
#[inline(always)]
fn axpy(y: &mut [f32], a: f32, x: &[f32]) {
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi += a * xi;
    }
}

/// Number of keys each bias row attends to: up to and including its last unmasked key (all of
/// them when every key is masked, as the composed softmax does).
fn valid_lengths(bias: &[f32], dims: &Dims) -> Vec<usize> {
    bias.chunks(dims.tk)
        .map(|row| match row.iter().rposition(|&v| v > MASKED) {
            Some(last) => last + 1,
            None => dims.tk,
        })
        .collect()
}

/// Keys and values of batch `b`, head `h`, transposed to `[dh, Tk]` (rows vectorise over keys).
fn gather_kv(kv: &[f32], dims: &Dims, b: usize, h: usize) -> (Vec<f32>, Vec<f32>) {
    let (tk, dh, d) = (dims.tk, dims.dh, dims.d());
    let mut kt = vec![0f32; dh * tk];
    let mut vt = vec![0f32; dh * tk];
    for j in 0..tk {
        let row = &kv[(b * tk + j) * 2 * d..(b * tk + j + 1) * 2 * d];
        for c in 0..dh {
            kt[c * tk + j] = row[h * dh + c];
            vt[c * tk + j] = row[d + h * dh + c];
        }
    }
    (kt, vt)
}

/// Probabilities of query row `i` (batch `b`, head `h`) over its first `n` keys into `p[..n]`.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn probabilities(
    p: &mut [f32],
    q: &[f32],
    kt: &[f32],
    bias: &[f32],
    dims: &Dims,
    b: usize,
    h: usize,
    i: usize,
    n: usize,
) {
    let (tk, dh, d) = (dims.tk, dims.dh, dims.d());
    let brow = dims.bias_row(h, i);
    let p = &mut p[..n];
    p.copy_from_slice(&bias[brow * tk..brow * tk + n]);
    let qi = &q[(b * dims.tq + i) * d + h * dh..][..dh];
    for (c, &qc) in qi.iter().enumerate() {
        axpy(p, qc * dims.scale, &kt[c * tk..c * tk + n]);
    }
    let m = p.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
    for v in p.iter_mut() {
        *v = exp_nonpositive(*v - m);
    }
    let inv = 1.0 / sum_f32(p);
    for v in p.iter_mut() {
        *v *= inv;
    }
}

fn forward(q: &[f32], kv: &[f32], bias: &[f32], dims: &Dims) -> Vec<f32> {
    let Dims { b: nb, tq, h: nh, dh, .. } = *dims;
    let d = dims.d();
    let valid = valid_lengths(bias, dims);
    let blocks: Vec<Vec<f32>> = (0..nb * nh)
        .into_par_iter()
        .map(|task| {
            if has_avx2_fma() {
                // SAFETY: the CPU has AVX2 and FMA (checked).
                #[allow(unsafe_code)]
                unsafe {
                    forward_task_avx2(q, kv, bias, dims, &valid, task)
                }
            } else {
                forward_task(q, kv, bias, dims, &valid, task)
            }
        })
        .collect();
    let mut out = vec![0f32; nb * tq * d];
    for (task, o) in blocks.iter().enumerate() {
        let (b, h) = (task / nh, task % nh);
        for i in 0..tq {
            out[(b * tq + i) * d + h * dh..][..dh].copy_from_slice(&o[i * dh..(i + 1) * dh]);
        }
    }
    out
}

/// One `(batch, head)` block of the forward pass: `[Tq, dh]`.
#[inline(always)]
fn forward_task(
    q: &[f32],
    kv: &[f32],
    bias: &[f32],
    dims: &Dims,
    valid: &[usize],
    task: usize,
) -> Vec<f32> {
    let Dims { tq, tk, h: nh, dh, .. } = *dims;
    let (b, h) = (task / nh, task % nh);
    let (kt, vt) = gather_kv(kv, dims, b, h);
    let mut p = vec![0f32; tk];
    let mut o = vec![0f32; tq * dh];
    for i in 0..tq {
        let n = valid[dims.bias_row(h, i)];
        probabilities(&mut p, q, &kt, bias, dims, b, h, i, n);
        for (c, oc) in o[i * dh..(i + 1) * dh].iter_mut().enumerate() {
            *oc = dot(&p[..n], &vt[c * tk..c * tk + n]);
        }
    }
    o
}

/// One head over a run of batches of the backward pass.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn backward_task(
    q: &[f32],
    kv: &[f32],
    bias: &[f32],
    o: &[f32],
    g: &[f32],
    dims: &Dims,
    valid: &[usize],
    (h, b0, b1): (usize, usize, usize),
) -> HeadGrads {
    let Dims { tq, tk, dh, tqb, scale, .. } = *dims;
    let d = dims.d();
    let mut out = HeadGrads {
        h,
        b0,
        dq: vec![0f32; (b1 - b0) * tq * dh],
        dkt: vec![0f32; (b1 - b0) * dh * tk],
        dvt: vec![0f32; (b1 - b0) * dh * tk],
        dbias: vec![0f32; tqb * tk],
    };
    let mut p = vec![0f32; tk];
    let mut ds = vec![0f32; tk];
    for b in b0..b1 {
        let (kt, vt) = gather_kv(kv, dims, b, h);
        let dkt = &mut out.dkt[(b - b0) * dh * tk..(b - b0 + 1) * dh * tk];
        let dvt = &mut out.dvt[(b - b0) * dh * tk..(b - b0 + 1) * dh * tk];
        for i in 0..tq {
            let n = valid[dims.bias_row(h, i)];
            probabilities(&mut p, q, &kt, bias, dims, b, h, i, n);
            let at = (b * tq + i) * d + h * dh;
            let (gi, oi, qi) = (&g[at..at + dh], &o[at..at + dh], &q[at..at + dh]);
            // ds_j = p_j (g . v_j - g . o)
            let ds = &mut ds[..n];
            ds.fill(0.0);
            for (c, &gc) in gi.iter().enumerate() {
                axpy(ds, gc, &vt[c * tk..c * tk + n]);
            }
            let go = dot(gi, oi);
            for (dsj, pj) in ds.iter_mut().zip(&p[..n]) {
                *dsj = pj * (*dsj - go);
            }
            let brow = if tqb == 1 { 0 } else { i };
            for (db, dsj) in out.dbias[brow * tk..brow * tk + n].iter_mut().zip(ds.iter()) {
                *db += dsj;
            }
            let dqi = &mut out.dq[((b - b0) * tq + i) * dh..][..dh];
            for (c, dqc) in dqi.iter_mut().enumerate() {
                *dqc = scale * dot(ds, &kt[c * tk..c * tk + n]);
            }
            for c in 0..dh {
                axpy(&mut dkt[c * tk..c * tk + n], scale * qi[c], ds);
                axpy(&mut dvt[c * tk..c * tk + n], gi[c], &p[..n]);
            }
        }
    }
    out
}

/// Whether the CPU has AVX2 and FMA: the tasks then run compiled for them (the loops work on
/// 8 floats at a time with fused multiply-adds instead of SSE2's 4 without). Measured on the
/// probe config: about 10% less CPU time per training step.
pub(super) fn has_avx2_fma() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// [`forward_task`] compiled for AVX2 and FMA; callers check [`has_avx2_fma`] first.
#[cfg_attr(target_arch = "x86_64", target_feature(enable = "avx2,fma"))]
#[allow(unsafe_code)]
unsafe fn forward_task_avx2(
    q: &[f32],
    kv: &[f32],
    bias: &[f32],
    dims: &Dims,
    valid: &[usize],
    task: usize,
) -> Vec<f32> {
    forward_task(q, kv, bias, dims, valid, task)
}

/// [`backward_task`] compiled for AVX2 and FMA; callers check [`has_avx2_fma`] first.
#[allow(clippy::too_many_arguments)]
#[cfg_attr(target_arch = "x86_64", target_feature(enable = "avx2,fma"))]
#[allow(unsafe_code)]
unsafe fn backward_task_avx2(
    q: &[f32],
    kv: &[f32],
    bias: &[f32],
    o: &[f32],
    g: &[f32],
    dims: &Dims,
    valid: &[usize],
    task: (usize, usize, usize),
) -> HeadGrads {
    backward_task(q, kv, bias, o, g, dims, valid, task)
}

/// Gradients of one head over a run of batches.
struct HeadGrads {
    h: usize,
    b0: usize,
    /// `[nb, Tq, dh]`.
    dq: Vec<f32>,
    /// `[nb, dh, Tk]` (transposed).
    dkt: Vec<f32>,
    dvt: Vec<f32>,
    /// `[tqb, Tk]`, summed over the run's batches.
    dbias: Vec<f32>,
}

/// Gradients of `q`, `kv` and `bias` given the forward output `o` and its gradient `g`.
fn backward(
    q: &[f32],
    kv: &[f32],
    bias: &[f32],
    o: &[f32],
    g: &[f32],
    dims: &Dims,
) -> (Vec<f32>, Vec<f32>, Vec<f32>) {
    let Dims { b: nb, tq, tk, h: nh, dh, tqb, .. } = *dims;
    let d = dims.d();
    let valid = valid_lengths(bias, dims);
    // Tasks are (head, run of batches): a task owns its head's bias gradient for its batches,
    // so nothing is shared; enough tasks to keep every thread busy.
    let runs = (4 * rayon::current_num_threads()).div_ceil(nh).clamp(1, nb.max(1));
    let per_run = nb.div_ceil(runs).max(1);
    let tasks: Vec<(usize, usize, usize)> = (0..nh)
        .flat_map(|h| (0..nb).step_by(per_run).map(move |b0| (h, b0, (b0 + per_run).min(nb))))
        .collect();
    let parts: Vec<HeadGrads> = tasks
        .into_par_iter()
        .map(|task| {
            if has_avx2_fma() {
                // SAFETY: the CPU has AVX2 and FMA (checked).
                #[allow(unsafe_code)]
                unsafe {
                    backward_task_avx2(q, kv, bias, o, g, dims, &valid, task)
                }
            } else {
                backward_task(q, kv, bias, o, g, dims, &valid, task)
            }
        })
        .collect();
    let mut dq = vec![0f32; nb * tq * d];
    let mut dkv = vec![0f32; nb * tk * 2 * d];
    let mut dbias = vec![0f32; nh * tqb * tk];
    for part in &parts {
        let h = part.h;
        let nrun = part.dq.len() / (tq * dh).max(1);
        for r in 0..nrun {
            let b = part.b0 + r;
            for i in 0..tq {
                dq[(b * tq + i) * d + h * dh..][..dh]
                    .copy_from_slice(&part.dq[(r * tq + i) * dh..][..dh]);
            }
            for j in 0..tk {
                let row = &mut dkv[(b * tk + j) * 2 * d..(b * tk + j + 1) * 2 * d];
                for c in 0..dh {
                    row[h * dh + c] = part.dkt[(r * dh + c) * tk + j];
                    row[d + h * dh + c] = part.dvt[(r * dh + c) * tk + j];
                }
            }
        }
        for (acc, v) in dbias[h * tqb * tk..(h + 1) * tqb * tk].iter_mut().zip(&part.dbias) {
            *acc += v;
        }
    }
    (dq, dkv, dbias)
}

/// The op: inputs `q` `[B,Tq,d]`, `kv` `[B,Tk,2d]`, `bias` `[H, Tq or 1, Tk]`.
struct Attention {
    heads: usize,
}

impl Attention {
    fn dims(&self, q: &Shape, kv: &Shape, bias: &Shape) -> candle_core::Result<Dims> {
        let (q, kv, bias) = (q.dims(), kv.dims(), bias.dims());
        if q.len() != 3 || kv.len() != 3 || bias.len() != 3 {
            candle_core::bail!("attention: q [B,Tq,d], kv [B,Tk,2d] and bias [H,Tq,Tk] expected");
        }
        let (b, tq, d) = (q[0], q[1], q[2]);
        let (h, tk, tqb) = (self.heads, kv[1], bias[1]);
        if h == 0 || d % h != 0 || kv[0] != b || kv[2] != 2 * d || tk == 0 {
            candle_core::bail!("attention: kv {kv:?} does not fit q {q:?} with {h} heads");
        }
        if bias[0] != h || bias[2] != tk || !(tqb == tq || tqb == 1) {
            candle_core::bail!("attention: bias {bias:?} does not fit q {q:?} and kv {kv:?}");
        }
        let dh = d / h;
        Ok(Dims { b, tq, tk, h, dh, tqb, scale: 1.0 / (dh as f32).sqrt() })
    }
}

impl CustomOp3 for Attention {
    fn name(&self) -> &'static str {
        "ladder-attention"
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
        let dims = self.dims(l1.shape(), l2.shape(), l3.shape())?;
        let q = contiguous_f32(s1, l1, "attention q")?;
        let kv = contiguous_f32(s2, l2, "attention kv")?;
        let bias = contiguous_f32(s3, l3, "attention bias")?;
        let out = forward(q, kv, bias, &dims);
        Ok((CpuStorage::F32(out), l1.shape().clone()))
    }

    fn bwd(
        &self,
        q: &Tensor,
        kv: &Tensor,
        bias: &Tensor,
        res: &Tensor,
        grad_res: &Tensor,
    ) -> candle_core::Result<(Option<Tensor>, Option<Tensor>, Option<Tensor>)> {
        let dims = self.dims(q.shape(), kv.shape(), bias.shape())?;
        let host = |t: &Tensor| t.flatten_all()?.to_vec1::<f32>();
        let (dq, dkv, dbias) =
            backward(&host(q)?, &host(kv)?, &host(bias)?, &host(res)?, &host(grad_res)?, &dims);
        let dev = q.device();
        Ok((
            Some(Tensor::from_vec(dq, q.shape(), dev)?),
            Some(Tensor::from_vec(dkv, kv.shape(), dev)?),
            Some(Tensor::from_vec(dbias, bias.shape(), dev)?),
        ))
    }
}

/// Multi-head attention `softmax(q kᵀ / sqrt(dh) + bias) v` over `heads` heads: `q` `[B,Tq,d]`,
/// keys and values packed as `kv` `[B,Tk,2d]` (keys first), `bias` `[H, Tq or 1, Tk]` shared by
/// the batch. Returns `[B,Tq,d]` (heads side by side). One fused op on the CPU; composed from
/// primitive ops elsewhere. Differentiable in all three inputs.
pub fn attention(q: &Tensor, kv: &Tensor, bias: &Tensor, heads: usize) -> Result<Tensor> {
    if q.device().is_cpu() && q.dtype() == candle_core::DType::F32 {
        Ok(q.contiguous()?.apply_op3(
            &kv.contiguous()?,
            &bias.contiguous()?,
            Attention { heads },
        )?)
    } else {
        attention_composed(q, kv, bias, heads)
    }
}

/// The same maths from primitive candle ops (other devices, and the reference in tests).
pub fn attention_composed(q: &Tensor, kv: &Tensor, bias: &Tensor, heads: usize) -> Result<Tensor> {
    let (b, tq, d) = q.dims3()?;
    let tk = kv.dim(1)?;
    let dh = d / heads;
    let split = |t: &Tensor, len: usize| -> Result<Tensor> {
        Ok(t.reshape((b, len, heads, dh))?.transpose(1, 2)?.contiguous()?)
    };
    let qh = (split(q, tq)? * (1.0 / (dh as f64).sqrt()))?;
    let k = split(&kv.narrow(2, 0, d)?, tk)?;
    let v = split(&kv.narrow(2, d, d)?, tk)?;
    let att = super::bias_softmax(&qh.matmul(&k.t()?)?, bias)?;
    Ok(att.matmul(&v)?.transpose(1, 2)?.reshape((b, tq, d))?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::{Device, Var};

    fn diff(a: &Tensor, c: &Tensor) -> f32 {
        a.sub(c)
            .and_then(|d| d.abs())
            .and_then(|d| d.flatten_all())
            .and_then(|d| d.max(0))
            .and_then(|d| d.to_scalar::<f32>())
            .expect("diff")
    }

    /// Forward and all three gradients equal the composed ops', with a causal mask (so rows
    /// skip keys) and with one bias row broadcast over the queries.
    fn check(b: usize, tq: usize, tk: usize, heads: usize, dh: usize, tqb: usize) {
        let dev = Device::Cpu;
        let d = heads * dh;
        let q =
            Var::from_tensor(&Tensor::randn(0f32, 1.0, (b, tq, d), &dev).expect("q")).expect("var");
        let kv = Var::from_tensor(&Tensor::randn(0f32, 1.0, (b, tk, 2 * d), &dev).expect("kv"))
            .expect("var");
        let mut bias = Tensor::randn(0f32, 1.0, (heads, tqb, tk), &dev)
            .expect("bias")
            .to_vec3::<f32>()
            .expect("host");
        for (hh, rows) in bias.iter_mut().enumerate() {
            for (i, row) in rows.iter_mut().enumerate() {
                for (j, v) in row.iter_mut().enumerate() {
                    // Causal mask (keys after the query), and a masked key inside the row.
                    if (tqb > 1 && j > i) || (j == 1 && hh == 0 && i > 2) {
                        *v = -1e9;
                    }
                }
            }
        }
        let bias = Var::from_tensor(&Tensor::new(bias, &dev).expect("bias")).expect("var");
        let w = Tensor::randn(0f32, 1.0, (b, tq, d), &dev).expect("w");
        let fused = attention(q.as_tensor(), kv.as_tensor(), bias.as_tensor(), heads).expect("f");
        let composed =
            attention_composed(q.as_tensor(), kv.as_tensor(), bias.as_tensor(), heads).expect("c");
        assert!(diff(&fused, &composed) < 1e-5, "forward differs: {}", diff(&fused, &composed));
        let gf = fused.mul(&w).and_then(|t| t.sum_all()).and_then(|l| l.backward()).expect("gf");
        let gc = composed.mul(&w).and_then(|t| t.sum_all()).and_then(|l| l.backward()).expect("gc");
        for (name, v) in [("q", &q), ("kv", &kv), ("bias", &bias)] {
            let a = gf.get(v.as_tensor()).expect("grad fused");
            let c = gc.get(v.as_tensor()).expect("grad composed");
            assert!(diff(a, c) < 1e-4, "gradient of {name} differs: {}", diff(a, c));
            let scale = c.abs().and_then(|t| t.sum_all()).and_then(|t| t.to_scalar::<f32>());
            assert!(scale.expect("scale") > 0.0, "gradient of {name} is zero");
        }
    }

    #[test]
    fn fused_attention_matches_composed_forward_and_backward() {
        check(3, 7, 7, 2, 4, 7);
        check(2, 9, 9, 4, 8, 9);
        check(2, 5, 9, 2, 3, 1);
    }

    #[test]
    fn masked_keys_get_no_weight_and_no_gradient() {
        let dev = Device::Cpu;
        let (heads, dh, t) = (2, 4, 6);
        let d = heads * dh;
        let q =
            Var::from_tensor(&Tensor::randn(0f32, 1.0, (1, t, d), &dev).expect("q")).expect("var");
        let kv = Var::from_tensor(&Tensor::randn(0f32, 1.0, (1, t, 2 * d), &dev).expect("kv"))
            .expect("var");
        // Causal, and the last key masked for every query.
        let mask: Vec<f32> = (0..heads * t * t)
            .map(|n| {
                let (i, j) = ((n / t) % t, n % t);
                if j > i || j == t - 1 {
                    -1e9
                } else {
                    0.0
                }
            })
            .collect();
        let bias = Tensor::from_vec(mask, (heads, t, t), &dev).expect("bias");
        let out = attention(q.as_tensor(), kv.as_tensor(), &bias, heads).expect("out");
        let w = Tensor::randn(0f32, 1.0, (1, t, d), &dev).expect("w");
        let g = out.mul(&w).and_then(|t| t.sum_all()).and_then(|l| l.backward()).expect("bwd");
        let dkv = g.get(kv.as_tensor()).expect("dkv").to_vec3::<f32>().expect("host");
        let o = out.to_vec3::<f32>().expect("host");
        let kvh = kv.as_tensor().to_vec3::<f32>().expect("host");
        // The first query sees only the first key: its output is that key's value.
        for c in 0..d {
            assert!((o[0][0][c] - kvh[0][0][d + c]).abs() < 1e-6);
        }
        assert!(dkv[0][t - 1].iter().all(|v| *v == 0.0), "a masked key got a gradient");
        assert!(dkv[0][t - 2].iter().any(|v| *v != 0.0), "a visible key got no gradient");
    }
}
