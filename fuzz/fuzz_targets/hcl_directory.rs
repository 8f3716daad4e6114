//! A root module (its files are the input's parts, split at NUL bytes) loaded and
//! evaluated: any input gives resources or an error, never a crash.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(scratch) = tempfile::tempdir() {
        let _ = tfparity_hcl::fuzzing::directory(scratch.path(), data);
    }
});
