//! Work bounded in time where it cannot be bounded otherwise: parsing. hcl-edit's
//! parser backtracks, and on some malformed nesting (objects and templates inside
//! binary operations, never closed) its time doubles with every few bytes: 550 bytes of
//! a pull request would hold a CI job for hours. Each parse of text from the input runs
//! on a thread of its own and is waited for at most the `parse-seconds` limit
//! ([`PARSE_SECONDS`] unless raised); past it, the text is refused, and the limit is
//! exceeded like any other: the evaluation ends there, whether or not `try` or `can`
//! would have caught the error, and every later parse of the same evaluation is refused
//! at once. So one run waits on one slow text at most once, however many times the
//! configuration asks for it to be parsed (`templatestring` in a `for` over a thousand
//! elements). The thread given up on is left to finish, or to end with the process,
//! which then reports the error and exits.

use crate::limits::{self, Limit};
use std::time::Duration;

/// How long one parse of one text may take by default (`--limit parse-seconds=N`).
/// Real files parse in milliseconds.
pub const PARSE_SECONDS: u64 = limits::Limits::DEFAULT.parse_seconds;

/// Why a bounded parse gave nothing: the message of the limit exceeded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimedOut(String);

impl std::fmt::Display for TimedOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// `parse()`, given at most the `parse-seconds` limit.
pub fn bounded<T: Send + 'static>(
    parse: impl FnOnce() -> T + Send + 'static,
) -> Result<T, TimedOut> {
    bounded_times(1, parse)
}

/// `parse()`, given at most `times` the `parse-seconds` limit: for a directory's files
/// parsed one after another (twice, so that a text bounded on its own inside says so
/// first). No thread made: refused.
pub fn bounded_times<T: Send + 'static>(
    times: u64,
    parse: impl FnOnce() -> T + Send + 'static,
) -> Result<T, TimedOut> {
    // A limit already exceeded ends the evaluation: nothing more is parsed for it.
    if let Some(first) = limits::with(|b| b.tripped().map(str::to_string)) {
        return Err(TimedOut(first));
    }
    let seconds = limits::current().parse_seconds.saturating_mul(times);
    let given_up = || {
        TimedOut(limits::exceeded(
            Limit::ParseSeconds,
            "parsing took too long (the HCL parser backtracks without end on some malformed nesting); refused",
        ))
    };
    let budget = limits::handle();
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    let spawned = std::thread::Builder::new()
        .name("tfparity-parse".into())
        // The parser recurses with the nesting it accepts (64 levels).
        .stack_size(32 << 20)
        .spawn(move || {
            // A text parsed inside this one (an expression in a JSON file of a
            // directory) is bounded by the same limits, and trips the same budget.
            let _entered = budget.as_ref().map(limits::enter);
            let _ = tx.send(parse());
        });
    match spawned {
        Ok(_) => rx
            .recv_timeout(Duration::from_secs(seconds))
            .map_err(|_| given_up()),
        Err(_) => Err(TimedOut(
            "no thread could be started to parse the text; refused".into(),
        )),
    }
}
