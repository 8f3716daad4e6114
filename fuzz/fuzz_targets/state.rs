//! The state, plan and show-json readers, then a comparison of what they read with
//! itself: any bytes give a report or an error, never a crash.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(parsed) = tfparity::source::parse("input.json", "fuzz", data) {
        let _ = tfparity::fuzzing::compare_with_itself(parsed);
    }
});
