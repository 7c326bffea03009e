//! Process settings that training depends on for its speed, set once at the start of `main` by
//! every binary that trains: `ladder`, the desktop app and the benches (so the benchmark figures
//! are those of the product, not of a specially tuned binary).

// Links mimalloc's C library into every binary using this crate, so `mi_option_set` below
// resolves even where mimalloc is not the global allocator (the desktop app).
extern crate mimalloc as _;

/// Both settings below. Call first thing in `main`, before any other thread starts and before
/// the first tensor operation (candle reads its thread count once).
pub fn tune_for_training() {
    crate::fused::serial_elementwise_ops();
    keep_freed_memory();
}

/// Tells mimalloc to keep freed memory instead of returning it to the OS after 10 ms. A
/// training step frees and reallocates tensors of megabytes many times; returned memory comes
/// back as fresh pages the kernel must zero, which cost as much as the arithmetic (perf:
/// `clear_page_erms` 24-32% of a step, 63,000-83,000 page faults per run; 840 with this).
/// The option is read on every purge decision. In a binary whose global allocator is not
/// mimalloc (the desktop app) it changes nothing: mimalloc is linked but holds no memory.
#[allow(unsafe_code)]
pub fn keep_freed_memory() {
    // `mi_option_purge_delay` in mimalloc 3's `mi_option_t`; -1 = never purge.
    const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;
    extern "C" {
        fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    }
    // SAFETY: a plain setter of mimalloc's global options (linked through the `mimalloc`
    // dependency); any value is valid for this option and it touches no Rust-owned memory.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}
