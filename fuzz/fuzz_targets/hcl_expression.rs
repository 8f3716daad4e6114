//! One HCL expression evaluated in an empty scope: any text gives a value or an error,
//! never a crash, a hang or an exhausted memory.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(src) = std::str::from_utf8(data) {
        let _ = tfparity_hcl::fuzzing::expression(src);
    }
});
