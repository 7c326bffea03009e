//! Choosing the compute device. The CPU is the default; `cuda` and `metal` need the cargo feature
//! of the same name (and the hardware).

use candle_core::Device;

use crate::error::{Error, Result};

/// Parses `cpu`, `cuda`, `cuda:N` or `metal` into a device, with a clear error when this build or
/// machine cannot provide it.
pub fn select(name: &str) -> Result<Device> {
    let (kind, ordinal) = match name.split_once(':') {
        Some((k, n)) => (
            k,
            n.parse::<usize>()
                .map_err(|_| Error::Device(format!("bad device ordinal in `{name}`")))?,
        ),
        None => (name, 0),
    };
    match kind {
        "cpu" => Ok(Device::Cpu),
        "cuda" => {
            if cfg!(feature = "cuda") {
                Device::new_cuda(ordinal).map_err(|e| {
                    Error::Device(format!("CUDA device {ordinal} is not available: {e}"))
                })
            } else {
                Err(Error::Device(
                    "this build has no CUDA support: rebuild with `--features cuda` (needs the CUDA toolkit)"
                        .into(),
                ))
            }
        }
        "metal" => {
            if cfg!(feature = "metal") {
                Device::new_metal(ordinal).map_err(|e| {
                    Error::Device(format!("Metal device {ordinal} is not available: {e}"))
                })
            } else {
                Err(Error::Device(
                    "this build has no Metal support: rebuild with `--features metal` (macOS)"
                        .into(),
                ))
            }
        }
        other => Err(Error::Device(format!(
            "unknown device `{other}` (expected cpu, cuda, cuda:N or metal)"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_works_and_unknown_devices_are_refused_clearly() {
        assert!(matches!(select("cpu"), Ok(Device::Cpu)));
        let e = select("tpu").expect_err("tpu").to_string();
        assert!(e.contains("unknown device"), "{e}");
        if !cfg!(feature = "cuda") {
            let e = select("cuda").expect_err("no cuda").to_string();
            assert!(e.contains("--features cuda"), "{e}");
        }
    }
}
