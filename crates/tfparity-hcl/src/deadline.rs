//! Work bounded in time where it cannot be bounded otherwise: parsing. hcl-edit's
//! parser backtracks, and on some malformed nesting (objects and templates inside
//! binary operations, never closed) its time doubles with every few bytes: 550 bytes of
//! a pull request would hold a CI job for hours. Each parse of text from the input runs
//! on a thread of its own and is waited for at most [`PARSE_SECONDS`]; past it, the
//! text is refused (the thread is left to finish, or to end with the process, which
//! then reports the error and exits).

use std::time::Duration;

/// How long one parse of one text (a file, a template, an expression in a JSON string)
/// may take. Real files parse in milliseconds.
pub const PARSE_SECONDS: u64 = 20;

/// Why a bounded parse gave nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimedOut;

impl std::fmt::Display for TimedOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "parsing took too long (more than {PARSE_SECONDS} s for one text; the HCL parser backtracks without end on some malformed nesting); refused"
        )
    }
}

/// `parse()`, given at most [`PARSE_SECONDS`].
pub fn bounded<T: Send + 'static>(
    parse: impl FnOnce() -> T + Send + 'static,
) -> Result<T, TimedOut> {
    bounded_for(PARSE_SECONDS, parse)
}

/// `parse()`, given at most `seconds`: for a directory's files parsed one after another
/// (twice [`PARSE_SECONDS`], so that a text bounded on its own inside says so first).
/// No thread made: refused.
pub fn bounded_for<T: Send + 'static>(
    seconds: u64,
    parse: impl FnOnce() -> T + Send + 'static,
) -> Result<T, TimedOut> {
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    let spawned = std::thread::Builder::new()
        .name("tfparity-parse".into())
        // The parser recurses with the nesting it accepts (64 levels).
        .stack_size(32 << 20)
        .spawn(move || {
            let _ = tx.send(parse());
        });
    match spawned {
        Ok(_) => rx
            .recv_timeout(Duration::from_secs(seconds))
            .map_err(|_| TimedOut),
        Err(_) => Err(TimedOut),
    }
}
