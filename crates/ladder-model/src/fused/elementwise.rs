//! Element-wise ops of the training step fused with their own backward: GELU and dropout.
//!
//! candle composes the gradient of `gelu_erf` from about a dozen element-wise ops (square, exp,
//! erf, affine, multiplies and adds), each a pass over the tensor and an allocation, and calls
//! the scalar `erff` of libm twice per element. [`gelu`] computes the forward in one pass and
//! the gradient in one more, with an `erf` that vectorises. [`Dropout`](crate::model::Dropout)'s
//! mask product goes through [`mask_mul`] and [`add_mask_mul`] (the residual `x + a * mask`):
//! candle's `mul` backward also computes the gradient of the constant mask, and the residual add
//! is one more node; here the mask gets none and the residual is one op.
//! Large tensors are split over the rayon threads; the loops are compiled for AVX2 and FMA when
//! the CPU has them (as the attention kernels).

use candle_core::{CpuStorage, CustomOp1, CustomOp2, CustomOp3, Layout, Shape, Tensor};
use rayon::prelude::*;

use super::{contiguous_f32, exp_nonpositive, fused_here};
use crate::error::Result;

/// Elements per parallel chunk; smaller tensors (the answer path's) stay on the calling thread.
const CHUNK: usize = 1 << 14;

/// `erf(x)` with absolute error under 5e-7 (Abramowitz and Stegun 7.1.26, whose formula error is
/// at most 1.5e-7, plus f32 rounding near 0), given `e = exp(-x^2)` (the caller shares it with the
/// GELU derivative). No branches or calls, so loops over it vectorise.
#[inline(always)]
fn erf_with_exp(x: f32, e: f32) -> f32 {
    const P: f32 = 0.327_591_1;
    const A1: f32 = 0.254_829_6;
    const A2: f32 = -0.284_496_74;
    const A3: f32 = 1.421_413_8;
    const A4: f32 = -1.453_152;
    const A5: f32 = 1.061_405_4;
    let t = 1.0 / (1.0 + P * x.abs());
    let poly = t * (A1 + t * (A2 + t * (A3 + t * (A4 + t * A5))));
    (1.0 - poly * e).copysign(x)
}

/// `x / sqrt(2)` and `exp(-x^2 / 2)`.
#[inline(always)]
fn gelu_parts(x: f32) -> (f32, f32) {
    let z = x * std::f32::consts::FRAC_1_SQRT_2;
    (z, exp_nonpositive(-(z * z)))
}

/// `gelu(x) = x/2 (1 + erf(x / sqrt 2))`.
#[inline(always)]
fn gelu_one(x: f32) -> f32 {
    let (z, e) = gelu_parts(x);
    0.5 * x * (1.0 + erf_with_exp(z, e))
}

/// `g * gelu'(x)`, `gelu'(x) = (1 + erf(x / sqrt 2)) / 2 + x exp(-x^2 / 2) / sqrt(2 pi)`.
#[inline(always)]
fn gelu_grad_one(x: f32, g: f32) -> f32 {
    const INV_SQRT_2PI: f32 = 0.398_942_3;
    let (z, e) = gelu_parts(x);
    g * (0.5 * (1.0 + erf_with_exp(z, e)) + x * e * INV_SQRT_2PI)
}

/// The element-wise kernels, one function each so each is compiled for AVX2 once.
#[derive(Clone, Copy)]
enum Kernel {
    /// `o = gelu(a)`.
    Gelu,
    /// `o = b * gelu'(a)`.
    GeluGrad,
    /// `o = a * b`.
    Mul,
    /// `o = a + b * c`.
    AddMul,
}

#[inline(always)]
fn run_kernel(k: Kernel, o: &mut [f32], a: &[f32], b: &[f32], c: &[f32]) {
    match k {
        Kernel::Gelu => {
            for (o, &x) in o.iter_mut().zip(a) {
                *o = gelu_one(x);
            }
        }
        Kernel::GeluGrad => {
            for (o, (&x, &g)) in o.iter_mut().zip(a.iter().zip(b)) {
                *o = gelu_grad_one(x, g);
            }
        }
        Kernel::Mul => {
            for (o, (&x, &y)) in o.iter_mut().zip(a.iter().zip(b)) {
                *o = x * y;
            }
        }
        Kernel::AddMul => {
            for (o, (&x, (&y, &z))) in o.iter_mut().zip(a.iter().zip(b.iter().zip(c))) {
                *o = x + y * z;
            }
        }
    }
}

/// [`run_kernel`] compiled for AVX2 and FMA; callers check [`super::attention::has_avx2_fma`].
#[cfg_attr(target_arch = "x86_64", target_feature(enable = "avx2,fma"))]
#[allow(unsafe_code)]
unsafe fn run_kernel_avx2(k: Kernel, o: &mut [f32], a: &[f32], b: &[f32], c: &[f32]) {
    run_kernel(k, o, a, b, c)
}

fn run_chunk(k: Kernel, o: &mut [f32], a: &[f32], b: &[f32], c: &[f32]) {
    if super::attention::has_avx2_fma() {
        // SAFETY: the CPU has AVX2 and FMA (checked).
        #[allow(unsafe_code)]
        unsafe {
            run_kernel_avx2(k, o, a, b, c)
        }
    } else {
        run_kernel(k, o, a, b, c)
    }
}

/// Applies kernel `k` over `a` (and `b`, `c` where it reads them: same length as `a`).
fn apply(k: Kernel, a: &[f32], b: &[f32], c: &[f32]) -> Vec<f32> {
    let n = a.len();
    let mut out = vec![0f32; n];
    fn part(s: &[f32], i: usize) -> &[f32] {
        if s.is_empty() {
            s
        } else {
            &s[i * CHUNK..((i + 1) * CHUNK).min(s.len())]
        }
    }
    if n <= CHUNK {
        run_chunk(k, &mut out, a, b, c);
    } else {
        out.par_chunks_mut(CHUNK)
            .enumerate()
            .for_each(|(i, o)| run_chunk(k, o, part(a, i), part(b, i), part(c, i)));
    }
    out
}

fn same_len(what: &str, l1: &Layout, l2: &Layout) -> candle_core::Result<()> {
    if l1.shape().elem_count() != l2.shape().elem_count() {
        candle_core::bail!("{what}: shapes {:?} and {:?} differ", l1.shape(), l2.shape());
    }
    Ok(())
}

struct Gelu;

impl CustomOp1 for Gelu {
    fn name(&self) -> &'static str {
        "ladder-gelu"
    }

    fn cpu_fwd(&self, s: &CpuStorage, l: &Layout) -> candle_core::Result<(CpuStorage, Shape)> {
        let x = contiguous_f32(s, l, "gelu x")?;
        Ok((CpuStorage::F32(apply(Kernel::Gelu, x, &[], &[])), l.shape().clone()))
    }

    fn bwd(&self, x: &Tensor, _res: &Tensor, grad: &Tensor) -> candle_core::Result<Option<Tensor>> {
        Ok(Some(x.apply_op2_no_bwd(&grad.contiguous()?, &Binary(Kernel::GeluGrad))?))
    }
}

/// A two-input kernel as an op without a backward of its own (used inside backward passes).
struct Binary(Kernel);

impl CustomOp2 for Binary {
    fn name(&self) -> &'static str {
        "ladder-elementwise2"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
    ) -> candle_core::Result<(CpuStorage, Shape)> {
        let a = contiguous_f32(s1, l1, "elementwise a")?;
        let b = contiguous_f32(s2, l2, "elementwise b")?;
        same_len("elementwise", l1, l2)?;
        Ok((CpuStorage::F32(apply(self.0, a, b, &[])), l1.shape().clone()))
    }
}

/// `x * mask`, where the mask is a constant (no gradient).
struct MaskMul;

impl CustomOp2 for MaskMul {
    fn name(&self) -> &'static str {
        "ladder-mask-mul"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
    ) -> candle_core::Result<(CpuStorage, Shape)> {
        Binary(Kernel::Mul).cpu_fwd(s1, l1, s2, l2)
    }

    fn bwd(
        &self,
        _x: &Tensor,
        mask: &Tensor,
        _res: &Tensor,
        grad: &Tensor,
    ) -> candle_core::Result<(Option<Tensor>, Option<Tensor>)> {
        Ok((Some(grad.contiguous()?.apply_op2_no_bwd(mask, &Binary(Kernel::Mul))?), None))
    }
}

/// `x + a * mask`, where the mask is a constant (no gradient).
struct AddMaskMul;

impl CustomOp3 for AddMaskMul {
    fn name(&self) -> &'static str {
        "ladder-add-mask-mul"
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
        let x = contiguous_f32(s1, l1, "add_mask_mul x")?;
        let a = contiguous_f32(s2, l2, "add_mask_mul a")?;
        let m = contiguous_f32(s3, l3, "add_mask_mul mask")?;
        same_len("add_mask_mul", l1, l2)?;
        same_len("add_mask_mul", l1, l3)?;
        Ok((CpuStorage::F32(apply(Kernel::AddMul, x, a, m)), l1.shape().clone()))
    }

    fn bwd(
        &self,
        _x: &Tensor,
        _a: &Tensor,
        mask: &Tensor,
        _res: &Tensor,
        grad: &Tensor,
    ) -> candle_core::Result<(Option<Tensor>, Option<Tensor>, Option<Tensor>)> {
        let g = grad.contiguous()?;
        let da = g.apply_op2_no_bwd(mask, &Binary(Kernel::Mul))?;
        Ok((Some(g), Some(da), None))
    }
}

/// `out[r, :] = sum_k m[r, k] x[r, k, :]`: `x` `[.., K, d]`, constant weights `m` `[.., K, 1]`.
struct WeightedSum;

/// Rows `r` (of `K x d` inputs) per parallel task of [`WeightedSum`].
const SUM_ROWS: usize = 256;

impl CustomOp2 for WeightedSum {
    fn name(&self) -> &'static str {
        "ladder-weighted-sum"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
    ) -> candle_core::Result<(CpuStorage, Shape)> {
        let x = contiguous_f32(s1, l1, "weighted_sum x")?;
        let m = contiguous_f32(s2, l2, "weighted_sum m")?;
        let dims = l1.shape().dims();
        let (k, d) = match dims {
            [.., k, d] if *k > 0 && *d > 0 => (*k, *d),
            _ => candle_core::bail!("weighted_sum: x must be [.., K, d], got {dims:?}"),
        };
        if m.len() * d != x.len() {
            candle_core::bail!("weighted_sum: weights {:?} do not fit {dims:?}", l2.shape());
        }
        let mut out = vec![0f32; x.len() / k];
        out.par_chunks_mut(d * SUM_ROWS)
            .zip(x.par_chunks(k * d * SUM_ROWS).zip(m.par_chunks(k * SUM_ROWS)))
            .for_each(|(o, (x, m))| {
                for (o, (x, m)) in o.chunks_mut(d).zip(x.chunks(k * d).zip(m.chunks(k))) {
                    for (xk, &mk) in x.chunks(d).zip(m) {
                        for (oi, xi) in o.iter_mut().zip(xk) {
                            *oi += mk * xi;
                        }
                    }
                }
            });
        Ok((CpuStorage::F32(out), Shape::from(&dims[..dims.len() - 2]).extend(&[d])))
    }

    fn bwd(
        &self,
        x: &Tensor,
        m: &Tensor,
        _res: &Tensor,
        grad: &Tensor,
    ) -> candle_core::Result<(Option<Tensor>, Option<Tensor>)> {
        // dx[r, k, :] = m[r, k] g[r, :].
        let dx = grad.contiguous()?.apply_op2_no_bwd(&m.contiguous()?, &SpreadWeighted)?;
        Ok((Some(dx.reshape(x.shape())?), None))
    }
}

/// The gradient of [`WeightedSum`]: `g` `[.., d]`, weights `m` `[.., K, 1]` -> `[.., K, d]`.
struct SpreadWeighted;

impl CustomOp2 for SpreadWeighted {
    fn name(&self) -> &'static str {
        "ladder-spread-weighted"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
    ) -> candle_core::Result<(CpuStorage, Shape)> {
        let g = contiguous_f32(s1, l1, "weighted_sum grad")?;
        let m = contiguous_f32(s2, l2, "weighted_sum m")?;
        let d = *l1.shape().dims().last().unwrap_or(&0);
        let rows = g.len() / d.max(1);
        if d == 0 || rows == 0 || m.len() % rows != 0 {
            candle_core::bail!("weighted_sum grad: {:?} and {:?} differ", l1.shape(), l2.shape());
        }
        let k = m.len() / rows;
        let mut out = vec![0f32; rows * k * d];
        out.par_chunks_mut(k * d * SUM_ROWS)
            .zip(g.par_chunks(d * SUM_ROWS).zip(m.par_chunks(k * SUM_ROWS)))
            .for_each(|(o, (g, m))| {
                for (o, (g, m)) in o.chunks_mut(k * d).zip(g.chunks(d).zip(m.chunks(k))) {
                    for (ok, &mk) in o.chunks_mut(d).zip(m) {
                        for (oi, gi) in ok.iter_mut().zip(g) {
                            *oi = mk * gi;
                        }
                    }
                }
            });
        Ok((CpuStorage::F32(out), Shape::from((rows, k, d))))
    }
}

/// `gelu(x) = x/2 (1 + erf(x / sqrt 2))` (candle's `gelu_erf`, to under 1e-6): one pass forward
/// and one backward on the CPU, candle's `gelu_erf` elsewhere.
pub fn gelu(x: &Tensor) -> Result<Tensor> {
    if fused_here(x) {
        Ok(x.contiguous()?.apply_op1(Gelu)?)
    } else {
        Ok(x.gelu_erf()?)
    }
}

/// `sum_k m[.., k] x[.., k, :]` for `x` `[.., K, d]` and constant weights `m` `[.., K, 1]` (no
/// gradient flows to them): `[.., d]`. One pass each way on the CPU instead of candle's
/// product, strided sum and their backward.
pub fn weighted_sum(x: &Tensor, m: &Tensor) -> Result<Tensor> {
    let rank = x.rank();
    if fused_here(x)
        && rank >= 2
        && m.dims().last() == Some(&1)
        && m.elem_count() * x.dim(rank - 1)? == x.elem_count()
    {
        Ok(x.contiguous()?.apply_op2(&m.contiguous()?, WeightedSum)?)
    } else {
        Ok(x.broadcast_mul(&m.detach())?.sum(rank - 2)?)
    }
}

/// `x * mask` for a constant `mask` of the same shape (no gradient flows to it).
pub fn mask_mul(x: &Tensor, mask: &Tensor) -> Result<Tensor> {
    if fused_here(x) && mask.shape() == x.shape() {
        Ok(x.contiguous()?.apply_op2(&mask.contiguous()?, MaskMul)?)
    } else {
        Ok(x.mul(&mask.detach())?)
    }
}

/// `x + a * mask` for a constant `mask` of `a`'s shape (the residual add after dropout).
pub fn add_mask_mul(x: &Tensor, a: &Tensor, mask: &Tensor) -> Result<Tensor> {
    if fused_here(x) && a.shape() == x.shape() && mask.shape() == x.shape() {
        Ok(x.contiguous()?.apply_op3(&a.contiguous()?, &mask.contiguous()?, AddMaskMul)?)
    } else {
        Ok(x.add(&a.mul(&mask.detach())?)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::{Device, Var};

    use crate::fused::max_abs_diff as diff;

    #[test]
    fn erf_matches_candles_erf_to_5e7() {
        let xs: Vec<f32> = (0..20_000).map(|i| -6.0 + i as f32 * 0.000_6).collect();
        let want = Tensor::new(xs.as_slice(), &Device::Cpu)
            .and_then(|t| t.erf())
            .and_then(|t| t.to_vec1::<f32>())
            .expect("erf");
        let worst = xs
            .iter()
            .zip(&want)
            .map(|(&x, w)| (erf_with_exp(x, (-(x * x)).exp()) - w).abs())
            .fold(0f32, f32::max);
        assert!(worst < 6e-7, "worst absolute error {worst}");
        assert!(erf_with_exp(f32::NAN, f32::NAN).is_nan());
    }

    /// Forward and gradient equal candle's `gelu_erf`, on a tensor large enough to be split over
    /// threads and on a small one, including large and tiny inputs.
    #[test]
    fn fused_gelu_matches_candle_forward_and_backward() {
        let dev = Device::Cpu;
        for n in [37usize, 3 * CHUNK + 5] {
            let mut v = Tensor::randn(0f32, 3.0, n, &dev).expect("x").to_vec1::<f32>().expect("h");
            v[0] = 0.0;
            v[1] = 30.0;
            v[2] = -30.0;
            v[3] = 1e-6;
            let x = Var::from_tensor(&Tensor::from_vec(v, n, &dev).expect("x")).expect("var");
            let w = Tensor::randn(0f32, 1.0, n, &dev).expect("w");
            let fused = gelu(x.as_tensor()).expect("fused");
            let composed = x.as_tensor().gelu_erf().expect("composed");
            assert!(diff(&fused, &composed) < 2e-6, "forward differs: {}", diff(&fused, &composed));
            let gf = fused.mul(&w).and_then(|t| t.sum_all()).and_then(|l| l.backward()).expect("g");
            let gc =
                composed.mul(&w).and_then(|t| t.sum_all()).and_then(|l| l.backward()).expect("g");
            let (a, c) = (gf.get(x.as_tensor()).expect("f"), gc.get(x.as_tensor()).expect("c"));
            assert!(diff(a, c) < 2e-6, "gradient differs: {}", diff(a, c));
        }
    }

    #[test]
    fn weighted_sum_matches_composed_forward_and_backward() {
        let dev = Device::Cpu;
        for (b, t) in [(2, 3), (3, 200)] {
            let x = Var::from_tensor(&Tensor::randn(0f32, 1.0, (b, t, 4, 6), &dev).expect("x"))
                .expect("var");
            let m = Tensor::randn(0f32, 1.0, (b, t, 4, 1), &dev)
                .and_then(|t| t.ge(0.0))
                .and_then(|t| t.to_dtype(candle_core::DType::F32))
                .expect("m");
            let w = Tensor::randn(0f32, 1.0, (b, t, 6), &dev).expect("w");
            let fused = weighted_sum(x.as_tensor(), &m).expect("fused");
            let composed = x.as_tensor().broadcast_mul(&m).and_then(|t| t.sum(2)).expect("c");
            assert_eq!(fused.dims(), composed.dims());
            assert!(diff(&fused, &composed) < 1e-6, "forward: {}", diff(&fused, &composed));
            let gf = fused.mul(&w).and_then(|t| t.sum_all()).and_then(|l| l.backward()).expect("g");
            let gc =
                composed.mul(&w).and_then(|t| t.sum_all()).and_then(|l| l.backward()).expect("g");
            let (f, c) = (gf.get(x.as_tensor()).expect("f"), gc.get(x.as_tensor()).expect("c"));
            assert_eq!(diff(f, c), 0.0);
            assert!(gf.get(&m).is_none(), "the constant weights got a gradient");
        }
    }

    #[test]
    fn mask_products_match_composed_and_leave_the_mask_without_gradient() {
        let dev = Device::Cpu;
        for n in [11usize, 2 * CHUNK + 3] {
            let var = |s: f32| {
                Var::from_tensor(&Tensor::randn(0f32, s, (n, 1), &dev).expect("t")).expect("var")
            };
            let (x, a) = (var(1.0), var(2.0));
            let mask = Tensor::randn(0f32, 1.0, (n, 1), &dev)
                .and_then(|t| t.ge(0.0))
                .and_then(|t| t.to_dtype(candle_core::DType::F32))
                .and_then(|t| t.affine(1.25, 0.0))
                .expect("mask");
            let w = Tensor::randn(0f32, 1.0, (n, 1), &dev).expect("w");
            let loss = |t: &Tensor| t.mul(&w).and_then(|t| t.sum_all()).expect("loss");
            let fused =
                add_mask_mul(x.as_tensor(), &mask_mul(a.as_tensor(), &mask).expect("m"), &mask)
                    .expect("fused");
            let am = a.as_tensor().mul(&mask).expect("am");
            let composed = x.as_tensor().add(&am.mul(&mask).expect("m")).expect("composed");
            assert_eq!(diff(&fused, &composed), 0.0);
            let gf = loss(&fused).backward().expect("gf");
            let gc = loss(&composed).backward().expect("gc");
            for v in [&x, &a] {
                let (f, c) = (gf.get(v.as_tensor()).expect("f"), gc.get(v.as_tensor()).expect("c"));
                assert_eq!(diff(f, c), 0.0);
            }
            assert!(gf.get(&mask).is_none(), "the constant mask got a gradient");
        }
    }
}
