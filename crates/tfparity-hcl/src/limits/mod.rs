//! The bounds on the work evaluating one configuration may do: the [`Limits`] (each with
//! a default that real configurations stay far below, and a name `--limit NAME=N`
//! raises it by), and the [`Budget`] one evaluation draws on. A configuration is
//! attacker-controlled input; every way it can ask for time or memory is checked here,
//! before the work is done. Checks and counts; never evaluates.
//!
//! The evaluation under way on a thread finds its budget through [`with`]: a module
//! instance's evaluation [`enter`]s its run's budget, so that the evaluator and the
//! built-in functions need no budget passed through every call. Outside an evaluation
//! the default limits hold, and nothing is counted.

use std::cell::RefCell;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

#[cfg(test)]
mod tests;

/// One kind of bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// Instances of one resource block or module call (`count`, `for_each`).
    Instances,
    /// Resource and module instances of the whole configuration.
    TotalInstances,
    /// The size of one value: its elements at every level, a string one more per 64
    /// bytes (see [`crate::value::V::size`]).
    ValueSize,
    /// Levels of nesting of one value.
    Depth,
    /// Bytes of one string.
    StringLength,
    /// Elements one `for` expression, `range`, `setproduct` or other function makes.
    CollectionLength,
    /// Evaluation steps in all: an expression evaluated, an element or 64 bytes of text
    /// read or made by a function, a string copied.
    Steps,
    /// Seconds to parse one text (a file, a template, an expression in a JSON string);
    /// a module directory's files together get twice as long. See [`crate::deadline`].
    ParseSeconds,
}

impl Limit {
    /// Every limit, in the order they are documented.
    pub const ALL: [Limit; 8] = [
        Limit::Instances,
        Limit::TotalInstances,
        Limit::Depth,
        Limit::ValueSize,
        Limit::StringLength,
        Limit::CollectionLength,
        Limit::Steps,
        Limit::ParseSeconds,
    ];

    /// The name `--limit NAME=N` gives it.
    pub fn name(self) -> &'static str {
        match self {
            Limit::Instances => "instances",
            Limit::TotalInstances => "total-instances",
            Limit::ValueSize => "value-size",
            Limit::Depth => "depth",
            Limit::StringLength => "string-length",
            Limit::CollectionLength => "collection-length",
            Limit::Steps => "steps",
            Limit::ParseSeconds => "parse-seconds",
        }
    }

    /// What it counts, after its number in a message (`10000 …`).
    pub fn counts(self) -> &'static str {
        match self {
            Limit::Instances => "instances of one resource block or module call",
            Limit::TotalInstances => "resource and module instances in all",
            Limit::ValueSize => "elements in one value",
            Limit::Depth => "levels of nesting in one value",
            Limit::StringLength => "bytes in one string",
            Limit::CollectionLength => "elements made by one expression or function call",
            Limit::Steps => "evaluation steps",
            Limit::ParseSeconds => "seconds to parse one text",
        }
    }

    pub fn from_name(name: &str) -> Option<Limit> {
        Limit::ALL.into_iter().find(|l| l.name() == name)
    }

    /// The most a limit may be raised to, where more would not be safe whatever the
    /// user asks: values deeper than this could overflow a thread's stack in the
    /// recursive walks over them (comparison, encoding, dropping, the report's diff).
    /// 1000 levels overflowed a 2 MiB stack in jsonencode in a debug build; 500 did not.
    pub fn ceiling(self) -> u64 {
        match self {
            Limit::Depth => MAX_DEPTH,
            Limit::ParseSeconds => MAX_PARSE_SECONDS,
            _ => u64::MAX,
        }
    }

    /// The message of an input that goes past this limit: `what` is what it asked for.
    pub fn exceeded(self, limits: &Limits, what: impl fmt::Display) -> String {
        format!(
            "{LIMIT_EXCEEDED}{what}: more than the limit of {} {} (raise it with --limit {}=N)",
            limits.get(self),
            self.counts(),
            self.name()
        )
    }
}

/// How every message about a limit begins.
pub const LIMIT_EXCEEDED: &str = "Limit exceeded: ";

/// The deepest nesting [`Limit::Depth`] may be raised to.
pub const MAX_DEPTH: u64 = 500;

/// The longest [`Limit::ParseSeconds`] may be raised to: a day.
pub const MAX_PARSE_SECONDS: u64 = 86_400;

/// Bounds on the work one evaluation may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub instances: u64,
    pub total_instances: u64,
    pub value_size: u64,
    pub depth: u64,
    pub string_length: u64,
    pub collection_length: u64,
    pub steps: u64,
    pub parse_seconds: u64,
}

impl Limits {
    /// The defaults: far above what real configurations need (see docs/security.md,
    /// "Bounded work"), far below what exhausts a CI runner.
    pub const DEFAULT: Limits = Limits {
        instances: 10_000,
        total_instances: 50_000,
        value_size: 1_000_000,
        depth: 100,
        string_length: 16 << 20,
        collection_length: 100_000,
        steps: 20_000_000,
        parse_seconds: 20,
    };

    pub fn get(&self, l: Limit) -> u64 {
        match l {
            Limit::Instances => self.instances,
            Limit::TotalInstances => self.total_instances,
            Limit::ValueSize => self.value_size,
            Limit::Depth => self.depth,
            Limit::StringLength => self.string_length,
            Limit::CollectionLength => self.collection_length,
            Limit::Steps => self.steps,
            Limit::ParseSeconds => self.parse_seconds,
        }
    }

    /// Sets a limit, refusing a value past its [`Limit::ceiling`].
    pub fn set(&mut self, l: Limit, n: u64) -> Result<(), String> {
        if n > l.ceiling() {
            return Err(format!(
                "--limit {}={n}: at most {} is allowed",
                l.name(),
                l.ceiling()
            ));
        }
        if l == Limit::ParseSeconds && n == 0 {
            return Err(format!("--limit {}=0: at least 1 is needed", l.name()));
        }
        let slot = match l {
            Limit::Instances => &mut self.instances,
            Limit::TotalInstances => &mut self.total_instances,
            Limit::ValueSize => &mut self.value_size,
            Limit::Depth => &mut self.depth,
            Limit::StringLength => &mut self.string_length,
            Limit::CollectionLength => &mut self.collection_length,
            Limit::Steps => &mut self.steps,
            Limit::ParseSeconds => &mut self.parse_seconds,
        };
        *slot = n;
        Ok(())
    }

    /// Sets a limit from `NAME=N` as `--limit` gives it.
    pub fn parse_into(&mut self, given: &str) -> Result<(), String> {
        let names = || {
            Limit::ALL
                .iter()
                .map(|l| l.name())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (name, n) = given.split_once('=').ok_or_else(|| {
            format!(
                "--limit `{given}`: expected NAME=N (NAME is one of {})",
                names()
            )
        })?;
        let l = Limit::from_name(name).ok_or_else(|| {
            format!(
                "--limit `{given}`: no limit is named `{name}` (the limits are {})",
                names()
            )
        })?;
        let n: u64 = n
            .replace('_', "")
            .parse()
            .map_err(|_| format!("--limit `{given}`: N must be a whole number of zero or more"))?;
        self.set(l, n)
    }
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::DEFAULT
    }
}

/// What one evaluation has used of its limits. Shared by the threads evaluating it.
#[derive(Debug)]
pub struct Budget {
    pub limits: Limits,
    /// Whether steps and instances are counted (not outside an evaluation).
    metered: bool,
    steps: AtomicU64,
    instances: AtomicU64,
    /// The first limit exceeded, as said: once one is, nothing more is evaluated, and
    /// an error that `try` or `can` caught is not forgotten.
    tripped: OnceLock<String>,
}

impl Budget {
    pub fn new(limits: Limits) -> Budget {
        Budget {
            limits,
            metered: true,
            steps: AtomicU64::new(0),
            instances: AtomicU64::new(0),
            tripped: OnceLock::new(),
        }
    }

    /// The default limits, counting nothing.
    const fn unmetered() -> Budget {
        Budget {
            limits: Limits::DEFAULT,
            metered: false,
            steps: AtomicU64::new(0),
            instances: AtomicU64::new(0),
            tripped: OnceLock::new(),
        }
    }

    /// An error saying `what` went past `limit`, remembered as the budget's first.
    pub fn exceeded(&self, limit: Limit, what: impl fmt::Display) -> String {
        let msg = limit.exceeded(&self.limits, what);
        if self.metered {
            let _ = self.tripped.set(msg.clone());
        }
        msg
    }

    /// Counts `n` steps.
    pub fn steps(&self, n: u64) -> Result<(), String> {
        if !self.metered {
            return Ok(());
        }
        let before = self.steps.fetch_add(n, Ordering::Relaxed);
        if before.saturating_add(n) > self.limits.steps {
            return Err(self.exceeded(Limit::Steps, "evaluating the configuration takes too long"));
        }
        Ok(())
    }

    /// Counts `n` instances of one block, which `what` asks for (`aws_vpc.a: count = 5`).
    pub fn instances(&self, what: impl fmt::Display, n: u64) -> Result<(), String> {
        if n > self.limits.instances {
            return Err(self.exceeded(Limit::Instances, what));
        }
        if !self.metered {
            return Ok(());
        }
        let total = self
            .instances
            .fetch_add(n, Ordering::Relaxed)
            .saturating_add(n);
        if total > self.limits.total_instances {
            return Err(self.exceeded(
                Limit::TotalInstances,
                format!("{what}: the configuration's instances come to {total}"),
            ));
        }
        Ok(())
    }

    /// The first limit exceeded, if one was.
    pub fn tripped(&self) -> Option<&str> {
        self.tripped.get().map(String::as_str)
    }

    /// The steps counted so far.
    pub fn steps_used(&self) -> u64 {
        self.steps.load(Ordering::Relaxed)
    }
}

static UNMETERED: Budget = Budget::unmetered();

thread_local! {
    /// The budget of the evaluation under way on this thread.
    static CURRENT: RefCell<Option<Arc<Budget>>> = const { RefCell::new(None) };
    /// Steps counted on this thread and not yet added to its budget: added a batch at a
    /// time, so that counting an expression costs no atomic operation shared between
    /// threads.
    static PENDING: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// How many steps a thread counts before adding them to its budget (and so how far past
/// the limit an evaluation may go before it stops).
const BATCH: u64 = 1024;

/// Adds the steps counted on this thread to its budget.
fn flush() -> Result<(), String> {
    let pending = PENDING.with(|p| p.replace(0));
    if pending == 0 {
        return Ok(());
    }
    with(|b| b.steps(pending))
}

/// Runs `f` with the budget of the evaluation under way on this thread (the default
/// limits, counting nothing, outside one).
pub fn with<R>(f: impl FnOnce(&Budget) -> R) -> R {
    CURRENT.with(|c| match &*c.borrow() {
        Some(b) => f(b),
        None => f(&UNMETERED),
    })
}

/// The limits in force on this thread.
pub fn current() -> Limits {
    with(|b| b.limits)
}

/// Counts `n` steps of the evaluation under way.
pub fn steps(n: u64) -> Result<(), String> {
    let pending = PENDING.with(|p| {
        let total = p.get().saturating_add(n);
        p.set(total);
        total
    });
    if pending < BATCH {
        return Ok(());
    }
    flush()
}

/// An error saying `what` went past `limit`, remembered by the evaluation under way.
pub fn exceeded(limit: Limit, what: impl fmt::Display) -> String {
    with(|b| b.exceeded(limit, what))
}

/// Whether the evaluation under way went past a limit (once it has, errors are not
/// caught by `try` or `can`).
pub fn tripped() -> bool {
    with(|b| b.tripped().is_some())
}

/// Checks, before it is made, that a collection of `n` elements may be: `what` says
/// what would make it (`setproduct`, `for`).
pub fn collection(what: impl fmt::Display, n: u64) -> Result<(), String> {
    with(|b| {
        if n > b.limits.collection_length {
            return Err(b.exceeded(
                Limit::CollectionLength,
                format!("{what} would make {n} elements"),
            ));
        }
        Ok(())
    })
}

/// Checks, before it is made, that a string of `n` bytes may be.
pub fn string(what: impl fmt::Display, n: u64) -> Result<(), String> {
    with(|b| {
        if n > b.limits.string_length {
            return Err(b.exceeded(
                Limit::StringLength,
                format!("{what} would make a string of {n} bytes"),
            ));
        }
        Ok(())
    })
}

/// A value being made element by element, its size checked against the `value-size`
/// limit as each element is added (not once it is whole).
pub struct Growing {
    size: u64,
    limit: u64,
}

impl Growing {
    pub fn new() -> Growing {
        Growing {
            size: 1,
            limit: current().value_size,
        }
    }

    /// Counts an element of `size` added.
    pub fn add(&mut self, size: u64) -> Result<(), String> {
        self.size = self.size.saturating_add(size);
        if self.size > self.limit {
            return Err(exceeded(
                Limit::ValueSize,
                format!("this value grows to a size of {} and more", self.size),
            ));
        }
        Ok(())
    }
}

impl Default for Growing {
    fn default() -> Growing {
        Growing::new()
    }
}

/// The budget of the evaluation under way on this thread, to [`enter`] on another.
pub fn handle() -> Option<Arc<Budget>> {
    CURRENT.with(|c| c.borrow().clone())
}

/// While the returned guard lives, evaluation on this thread draws on `budget`.
pub fn enter(budget: &Arc<Budget>) -> Entered {
    let same = CURRENT.with(|c| c.borrow().as_ref().is_some_and(|b| Arc::ptr_eq(b, budget)));
    if same {
        return Entered(None);
    }
    // What this thread counted belongs to the budget it leaves (a limit it crosses is
    // remembered there).
    let _ = flush();
    let previous = CURRENT.with(|c| c.borrow_mut().replace(budget.clone()));
    Entered(Some(previous))
}

/// Restores the budget in force before [`enter`].
pub struct Entered(Option<Option<Arc<Budget>>>);

impl Drop for Entered {
    fn drop(&mut self) {
        if let Some(previous) = self.0.take() {
            let _ = flush();
            CURRENT.with(|c| *c.borrow_mut() = previous);
        }
    }
}
