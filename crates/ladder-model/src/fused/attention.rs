//! Multi-head attention with a per-head additive bias as one CPU op with its own backward.
//!
//! `softmax(q kᵀ * scale + bias) v` per head, reading the projections in the layout the linear
//! layers produce (`q` `[B, Tq, d]`, keys and values packed as `kv` `[B, Tk, 2d]`, head `h` in
//! columns `h*dh..(h+1)*dh`) and writing `[B, Tq, d]` for the output projection: no transposes
//! and no `[B, H, Tq, Tk]` tensor forward or backward. Each (batch, head) is one task that holds
//! its own `[Tq, Tk]` scores (in cache) and does its products with single-threaded `gemm` calls
//! on the head's columns in place (strides, no copies); the tasks run in parallel. The backward
//! pass recomputes the task's probabilities and returns the gradients of `q`, `kv` and the bias
//! (summed over the batch).
//!
//! Masked keys (bias -1e9, the causal mask) get a weight of exactly 0, as in the composed
//! version (`e^x` underflows to 0 below -87), so exactly zero gradient too. The products run
//! over blocks of 32 query rows, each stopping at the last key its rows see: a causal layer
//! skips most of the masked half of the work.

use candle_core::{CpuStorage, CustomOp3, Layout, Shape, Tensor};
use rayon::prelude::*;

use super::{contiguous_f32, exp_nonpositive, fused_here, sum_f32, HostView};
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
    /// Bias blocks along the batch: 1 (one bias shared by the batch) or `b` (one per batch).
    bb: usize,
    scale: f32,
}

impl Dims {
    fn d(&self) -> usize {
        self.h * self.dh
    }

    /// Row of the bias used by query `i` of head `h` in batch `b`.
    fn bias_row(&self, b: usize, h: usize, i: usize) -> usize {
        let block = if self.bb == 1 { h } else { b * self.h + h };
        block * self.tqb + if self.tqb == 1 { 0 } else { i }
    }
}

/// `dst = (acc ? dst : 0) + beta * a b` for `a` `[m, k]` and `b` `[k, n]` given by their row
/// and column strides (transposes and head slices without copies), `dst` `[m, n]` with row
/// stride `dst_rs`: one `gemm` call on the calling thread (the tasks are the parallelism).
#[allow(clippy::too_many_arguments)]
fn matmul(
    (m, n, k): (usize, usize, usize),
    dst: &mut [f32],
    dst_rs: usize,
    acc: bool,
    (a, a_rs, a_cs): (&[f32], usize, usize),
    (b, b_rs, b_cs): (&[f32], usize, usize),
    beta: f32,
) {
    if m == 0 || n == 0 {
        return;
    }
    // The last element each operand's strides reach must lie inside its slice.
    let last = |rows: usize, cols: usize, rs: usize, cs: usize| (rows - 1) * rs + (cols - 1) * cs;
    assert!(last(m, n, dst_rs, 1) < dst.len(), "attention matmul: dst out of bounds");
    if k == 0 {
        if !acc {
            dst.fill(0.0);
        }
        return;
    }
    assert!(last(m, k, a_rs, a_cs) < a.len(), "attention matmul: lhs out of bounds");
    assert!(last(k, n, b_rs, b_cs) < b.len(), "attention matmul: rhs out of bounds");
    // SAFETY: every index reached through the strides is within its slice (asserted above);
    // `dst` is a unique borrow, so it does not alias `a` or `b`.
    #[allow(unsafe_code)]
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            dst.as_mut_ptr(),
            1,
            dst_rs as isize,
            acc,
            a.as_ptr(),
            a_cs as isize,
            a_rs as isize,
            b.as_ptr(),
            b_cs as isize,
            b_rs as isize,
            1.0f32,
            beta,
            false,
            false,
            false,
            gemm::Parallelism::None,
        );
    }
}

/// Softmax of every row of `s` (`[rows, tk]`) over its first `nk` entries, in place; the rest
/// of each row is set to 0.
#[inline(always)]
fn softmax_rows(s: &mut [f32], tk: usize, nk: usize) {
    for row in s.chunks_mut(tk) {
        let (row, rest) = row.split_at_mut(nk.min(row.len()));
        rest.fill(0.0);
        let m = row.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
        for v in row.iter_mut() {
            *v = exp_nonpositive(*v - m);
        }
        let inv = 1.0 / sum_f32(row);
        for v in row.iter_mut() {
            *v *= inv;
        }
    }
}

/// `ds = p * (dp - rowdot)` over the first `nk` entries of each row, in place in `dp`; the rest
/// of each row is set to 0. `rowdot[i] = g_i . o_i`.
#[inline(always)]
fn softmax_backward_rows(dp: &mut [f32], p: &[f32], rowdot: &[f32], tk: usize, nk: usize) {
    for ((dr, pr), &go) in dp.chunks_mut(tk).zip(p.chunks(tk)).zip(rowdot) {
        let (dr, rest) = dr.split_at_mut(nk.min(dr.len()));
        rest.fill(0.0);
        for (d, &pj) in dr.iter_mut().zip(pr) {
            *d = pj * (*d - go);
        }
    }
}

/// [`softmax_rows`] compiled for AVX2 and FMA; callers check [`has_avx2_fma`] first.
#[cfg_attr(target_arch = "x86_64", target_feature(enable = "avx2,fma"))]
#[allow(unsafe_code)]
unsafe fn softmax_rows_avx2(s: &mut [f32], tk: usize, nk: usize) {
    softmax_rows(s, tk, nk)
}

/// [`softmax_backward_rows`] compiled for AVX2 and FMA; callers check [`has_avx2_fma`] first.
#[cfg_attr(target_arch = "x86_64", target_feature(enable = "avx2,fma"))]
#[allow(unsafe_code)]
unsafe fn softmax_backward_rows_avx2(
    dp: &mut [f32],
    p: &[f32],
    rowdot: &[f32],
    tk: usize,
    nk: usize,
) {
    softmax_backward_rows(dp, p, rowdot, tk, nk)
}

/// Query rows per block: a block's products stop at the last key any of its rows sees, so a
/// causal layer skips most of the masked half of the scores.
const ROW_BLOCK: usize = 32;

/// Row blocks `(first row, end row, keys)`: `keys` is the number of leading keys some row of
/// the block attends to (past its last unmasked key every weight is exactly 0). With one bias
/// row for all queries, one block.
fn row_blocks(bias: &[f32], dims: &Dims, (b, h): (usize, usize)) -> Vec<(usize, usize, usize)> {
    let Dims { tq, tk, tqb, .. } = *dims;
    let keys = |i: usize| {
        let brow = dims.bias_row(b, h, i);
        match bias[brow * tk..(brow + 1) * tk].iter().rposition(|&v| v > MASKED) {
            Some(last) => last + 1,
            None => tk,
        }
    };
    let step = if tqb == 1 { tq.max(1) } else { ROW_BLOCK };
    (0..tq)
        .step_by(step)
        .map(|i0| {
            let i1 = (i0 + step).min(tq);
            let nk = if tqb == 1 { keys(0) } else { (i0..i1).map(keys).max().unwrap_or(tk) };
            (i0, i1, nk)
        })
        .collect()
}

/// Probabilities `[Tq, Tk]` of batch `b`, head `h`: the bias rows, plus `scale q kᵀ` (one
/// product per row block reading the head's columns of `q` and `kv` in place), then the row
/// softmax. Weights past a block's keys are exactly 0 (as `e^x` of about -1e9 is).
fn probabilities(
    q: &[f32],
    kv: &[f32],
    bias: &[f32],
    dims: &Dims,
    (b, h): (usize, usize),
    blocks: &[(usize, usize, usize)],
) -> Vec<f32> {
    let Dims { tq, tk, dh, .. } = *dims;
    let d = dims.d();
    let mut s = Vec::with_capacity(tq * tk);
    for i in 0..tq {
        let brow = dims.bias_row(b, h, i);
        s.extend_from_slice(&bias[brow * tk..(brow + 1) * tk]);
    }
    let kh = &kv[b * tk * 2 * d + h * dh..];
    for &(i0, i1, nk) in blocks {
        let qh = &q[(b * tq + i0) * d + h * dh..];
        let sb = &mut s[i0 * tk..i1 * tk];
        matmul((i1 - i0, nk, dh), sb, tk, true, (qh, d, 1), (kh, 1, 2 * d), dims.scale);
        if has_avx2_fma() {
            // SAFETY: the CPU has AVX2 and FMA (checked).
            #[allow(unsafe_code)]
            unsafe {
                softmax_rows_avx2(sb, tk, nk)
            }
        } else {
            softmax_rows(sb, tk, nk)
        }
    }
    s
}

fn forward(q: &[f32], kv: &[f32], bias: &[f32], dims: &Dims) -> Vec<f32> {
    let Dims { b: nb, tq, tk, h: nh, dh, .. } = *dims;
    let d = dims.d();
    // A bias shared by the batch has the same blocks in every batch: found once per head.
    let head_blocks: Vec<_> = (0..nh).map(|h| row_blocks(bias, dims, (0, h))).collect();
    let blocks: Vec<Vec<f32>> = (0..nb * nh)
        .into_par_iter()
        .map(|task| {
            let (b, h) = (task / nh, task % nh);
            let own;
            let blocks = if dims.bb == 1 {
                &head_blocks[h]
            } else {
                own = row_blocks(bias, dims, (b, h));
                &own
            };
            let p = probabilities(q, kv, bias, dims, (b, h), blocks);
            let vh = &kv[b * tk * 2 * d + d + h * dh..];
            let mut o = vec![0f32; tq * dh];
            for &(i0, i1, nk) in blocks {
                let (ob, pb) = (&mut o[i0 * dh..i1 * dh], &p[i0 * tk..]);
                matmul((i1 - i0, dh, nk), ob, dh, false, (pb, tk, 1), (vh, 2 * d, 1), 1.0);
            }
            o
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

/// One head over a run of batches of the backward pass: with `p` the probabilities, `g` the
/// output gradient and `o` the output, `ds = p (g vᵀ - rowsum(g o))`, then `dq = scale ds k`,
/// `dk = scale dsᵀ q`, `dv = pᵀ g`, and the bias gradient is `ds` (summed over the batches when
/// they share the bias).
/// Row block by row block, each over its keys only (`ds` is 0 past them).
#[allow(clippy::too_many_arguments)]
fn backward_task(
    q: &[f32],
    kv: &[f32],
    bias: &[f32],
    o: &[f32],
    g: &[f32],
    dims: &Dims,
    (h, b0, b1): (usize, usize, usize),
) -> HeadGrads {
    let Dims { tq, tk, dh, tqb, bb, scale, .. } = *dims;
    let d = dims.d();
    let nrun = b1 - b0;
    let mut out = HeadGrads {
        h,
        b0,
        dq: vec![0f32; nrun * tq * dh],
        dk: vec![0f32; nrun * tk * dh],
        dv: vec![0f32; nrun * tk * dh],
        dbias: vec![0f32; if bb == 1 { 1 } else { nrun } * tqb * tk],
    };
    let mut blocks = row_blocks(bias, dims, (b0, h));
    let mut ds = vec![0f32; tq * tk];
    let mut rowdot = vec![0f32; tq];
    for b in b0..b1 {
        if bb > 1 && b > b0 {
            blocks = row_blocks(bias, dims, (b, h));
        }
        let p = probabilities(q, kv, bias, dims, (b, h), &blocks);
        let kh = &kv[b * tk * 2 * d + h * dh..];
        let vh = &kv[b * tk * 2 * d + d + h * dh..];
        for (i, r) in rowdot.iter_mut().enumerate() {
            let row = (b * tq + i) * d + h * dh;
            *r = g[row..row + dh].iter().zip(&o[row..row + dh]).map(|(a, b)| a * b).sum();
        }
        let r = b - b0;
        for &(i0, i1, nk) in &blocks {
            let rows = i1 - i0;
            let at = (b * tq + i0) * d + h * dh;
            let (qh, gh) = (&q[at..], &g[at..]);
            let (dsb, pb) = (&mut ds[i0 * tk..i1 * tk], &p[i0 * tk..i1 * tk]);
            // dp = g vᵀ, then ds in place
            matmul((rows, nk, dh), dsb, tk, false, (gh, d, 1), (vh, 1, 2 * d), 1.0);
            if has_avx2_fma() {
                // SAFETY: the CPU has AVX2 and FMA (checked).
                #[allow(unsafe_code)]
                unsafe {
                    softmax_backward_rows_avx2(dsb, pb, &rowdot[i0..i1], tk, nk)
                }
            } else {
                softmax_backward_rows(dsb, pb, &rowdot[i0..i1], tk, nk)
            }
            let base = if bb == 1 { 0 } else { r * tqb };
            for (i, dsr) in (i0..i1).zip(dsb.chunks(tk)) {
                let brow = base + if tqb == 1 { 0 } else { i };
                for (acc, v) in out.dbias[brow * tk..brow * tk + nk].iter_mut().zip(&dsr[..nk]) {
                    *acc += v;
                }
            }
            let dq = &mut out.dq[(r * tq + i0) * dh..(r * tq + i1) * dh];
            matmul((rows, dh, nk), dq, dh, false, (dsb, tk, 1), (kh, 2 * d, 1), scale);
            let dk = &mut out.dk[r * tk * dh..(r * tk + nk) * dh];
            matmul((nk, dh, rows), dk, dh, true, (dsb, 1, tk), (qh, d, 1), scale);
            let dv = &mut out.dv[r * tk * dh..(r * tk + nk) * dh];
            matmul((nk, dh, rows), dv, dh, true, (pb, 1, tk), (gh, d, 1), 1.0);
        }
    }
    out
}

/// Whether the CPU has AVX2 and FMA: the row loops then run compiled for them (8 floats at a
/// time with fused multiply-adds instead of SSE2's 4 without).
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

/// Gradients of one head over a run of batches.
struct HeadGrads {
    h: usize,
    b0: usize,
    /// `[nb, Tq, dh]`.
    dq: Vec<f32>,
    /// `[nb, Tk, dh]`.
    dk: Vec<f32>,
    dv: Vec<f32>,
    /// `[tqb, Tk]` summed over the run's batches, or `[nrun, tqb, Tk]` with a bias per batch.
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
    let Dims { b: nb, tq, tk, h: nh, dh, tqb, bb, .. } = *dims;
    let d = dims.d();
    // Tasks are (head, run of batches): a task owns its head's bias gradient for its batches,
    // so nothing is shared; enough tasks to keep every thread busy.
    let runs = (4 * rayon::current_num_threads()).div_ceil(nh).clamp(1, nb.max(1));
    let per_run = nb.div_ceil(runs).max(1);
    let tasks: Vec<(usize, usize, usize)> = (0..nh)
        .flat_map(|h| (0..nb).step_by(per_run).map(move |b0| (h, b0, (b0 + per_run).min(nb))))
        .collect();
    let parts: Vec<HeadGrads> =
        tasks.into_par_iter().map(|task| backward_task(q, kv, bias, o, g, dims, task)).collect();
    let mut dq = vec![0f32; nb * tq * d];
    let mut dkv = vec![0f32; nb * tk * 2 * d];
    let mut dbias = vec![0f32; bb * nh * tqb * tk];
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
                let at = (r * tk + j) * dh;
                row[h * dh..(h + 1) * dh].copy_from_slice(&part.dk[at..at + dh]);
                row[d + h * dh..d + (h + 1) * dh].copy_from_slice(&part.dv[at..at + dh]);
            }
        }
        if bb == 1 {
            for (acc, v) in dbias[h * tqb * tk..(h + 1) * tqb * tk].iter_mut().zip(&part.dbias) {
                *acc += v;
            }
        } else {
            for (r, g) in part.dbias.chunks(tqb * tk).enumerate() {
                let at = ((part.b0 + r) * nh + h) * tqb * tk;
                dbias[at..at + tqb * tk].copy_from_slice(g);
            }
        }
    }
    (dq, dkv, dbias)
}

/// The op: inputs `q` `[B,Tq,d]`, `kv` `[B,Tk,2d]`, `bias` `[H or B*H, Tq or 1, Tk]`.
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
        if !(bias[0] == h || bias[0] == b * h) || bias[2] != tk || !(tqb == tq || tqb == 1) {
            candle_core::bail!("attention: bias {bias:?} does not fit q {q:?} and kv {kv:?}");
        }
        let (dh, bb) = (d / h, bias[0] / h);
        Ok(Dims { b, tq, tk, h, dh, tqb, bb, scale: 1.0 / (dh as f32).sqrt() })
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
        let ts = [q, kv, bias, res, grad_res].map(|t| t.contiguous());
        let [q, kv, bias, res, grad] = ts;
        let (q, kv, bias, res, grad) = (q?, kv?, bias?, res?, grad?);
        let views = [&q, &kv, &bias, &res, &grad].map(HostView::new);
        let (dq, dkv, dbias) = backward(
            views[0].f32("attention q")?,
            views[1].f32("attention kv")?,
            views[2].f32("attention bias")?,
            views[3].f32("attention output")?,
            views[4].f32("attention gradient")?,
            &dims,
        );
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
/// the batch or `[B*H, Tq or 1, Tk]` (batch-major) one per batch. Returns `[B,Tq,d]` (heads side by side). One fused op on the CPU; composed from
/// primitive ops elsewhere. Differentiable in all three inputs.
pub fn attention(q: &Tensor, kv: &Tensor, bias: &Tensor, heads: usize) -> Result<Tensor> {
    if fused_here(q) {
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
    let scores = qh.matmul(&k.t()?)?;
    let att = if bias.dim(0)? == heads {
        super::bias_softmax(&scores, bias)?
    } else {
        let (_, tqb, _) = bias.dims3()?;
        let bias = bias.reshape((b, heads, tqb, tk))?;
        crate::model::softmax_last(&scores.broadcast_add(&bias)?)?
    };
    Ok(att.matmul(&v)?.transpose(1, 2)?.reshape((b, tq, d))?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::{Device, Var};

    use crate::fused::max_abs_diff as diff;

    /// Forward and all three gradients equal the composed ops', with a causal mask (so rows
    /// skip keys), with one bias row broadcast over the queries, and with a bias per batch.
    fn check(b: usize, tq: usize, tk: usize, heads: usize, dh: usize, tqb: usize) {
        check_bias(b, tq, tk, heads, dh, tqb, 1);
        check_bias(b, tq, tk, heads, dh, tqb, b);
    }

    fn check_bias(b: usize, tq: usize, tk: usize, heads: usize, dh: usize, tqb: usize, bb: usize) {
        let dev = Device::Cpu;
        let d = heads * dh;
        let q =
            Var::from_tensor(&Tensor::randn(0f32, 1.0, (b, tq, d), &dev).expect("q")).expect("var");
        let kv = Var::from_tensor(&Tensor::randn(0f32, 1.0, (b, tk, 2 * d), &dev).expect("kv"))
            .expect("var");
        let mut bias = Tensor::randn(0f32, 1.0, (bb * heads, tqb, tk), &dev)
            .expect("bias")
            .to_vec3::<f32>()
            .expect("host");
        for (block, rows) in bias.iter_mut().enumerate() {
            for (i, row) in rows.iter_mut().enumerate() {
                for (j, v) in row.iter_mut().enumerate() {
                    // Causal mask (keys after the query), a masked key inside the row, and with
                    // a bias per batch, a masked key only in the last batch.
                    let own = bb > 1 && block / heads == bb - 1 && j + 2 == tk;
                    if (tqb > 1 && j > i) || (j == 1 && block % heads == 0 && i > 2) || own {
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
        // The model's head width, long enough rows for gemm's blocked paths.
        check(2, 70, 70, 2, 32, 70);
        check(1, 90, 40, 4, 32, 1);
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
