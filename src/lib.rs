//! tfparity: compare Terraform / OpenTofu environments and report the differences that
//! matter. [`run`] is the whole program behind the command line; [`compare`] is the
//! library entry point from loaded settings to a report.

pub mod align;
pub mod cli;
pub mod error;
#[doc(hidden)]
pub mod fuzzing;
pub mod lens;
pub mod model;
pub mod normalize;
pub mod report;
pub mod source;

pub use error::{Error, Result};

use clap::Parser;
use model::Environment;
use normalize::Context;
use rayon::prelude::*;
use report::{EnvInfo, Report};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Read, Write};

/// Exit statuses fixed by the contract.
pub const EXIT_OK: u8 = 0;
pub const EXIT_ERROR: u8 = 1;
pub const EXIT_FINDINGS: u8 = 2;

// With `TFPARITY_TIMINGS` set, each phase says on stderr how long it took.
use tfparity_hcl::timing;

/// Loads every environment (in parallel), normalises, aligns and runs the lenses.
pub fn compare(settings: &cli::Settings) -> Result<Report> {
    let start = std::time::Instant::now();
    let stdin = if settings.envs.iter().any(|e| e.is_stdin()) {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| Error::input("-", format!("cannot read standard input: {e}")))?;
        Some(buf)
    } else {
        None
    };
    // One module cache for every environment: a module two environments call is
    // fetched once.
    let fetcher = settings
        .envs
        .iter()
        .any(|e| std::path::Path::new(&e.path).is_dir())
        .then(|| {
            let limits = tfparity_hcl::fetch::Limits {
                total_time: settings.fetch_timeout,
                ..Default::default()
            };
            std::sync::Arc::new(
                source::hcl::Fetcher::from_env(settings.offline).with_limits(limits),
            )
        });
    let loaded: Vec<Result<Environment>> = settings
        .envs
        .par_iter()
        .map(|spec| {
            let mut env = source::load(
                spec,
                stdin.as_deref(),
                fetcher.as_ref(),
                &settings.access,
                &settings.limits,
            )?;
            let t = std::time::Instant::now();
            normalize::add_reference_edges(&mut env);
            timing("reference edges", t);
            Ok(env)
        })
        .collect();
    // Warnings and the first error in command-line order, so that what is said is the
    // same every run, whichever environment finished loading first.
    let mut envs: Vec<Environment> = Vec::with_capacity(loaded.len());
    for env in loaded {
        let env = env?;
        for w in &env.warnings {
            let w = format!("environment {}: {w}", env.name);
            eprintln!("warning: {}", report::log_text(&w));
        }
        envs.push(env);
    }
    timing("load", start);
    let report = compare_with(&envs, settings.baseline, &settings.conventions);
    // Freeing millions of values takes a noticeable fraction of a run: let another
    // thread do it while the report is written.
    std::thread::spawn(move || drop(envs));
    Ok(report)
}

/// Where each finding's resource is written, in the environments read from
/// configuration that the finding compares: the block of the first resource that writes
/// the difference when the finding names one (an `aws_route`, an `aws_lb_listener`),
/// else the instance's block, or the resource block a whole-block finding names (also
/// where an environment declares it with no instances).
/// And, for a resource inside a module, where each such environment's root module calls
/// that module (in a folder per environment, where the environment's inputs are).
fn finding_sources(envs: &[Environment], findings: &[model::Finding]) -> (BySource, BySource) {
    let (mut sources, mut calls) = (BySource::new(), BySource::new());
    if envs.iter().all(|e| e.origins.is_empty()) {
        return (sources, calls);
    }
    for f in findings {
        let (mut at_block, mut at_call) = (BTreeMap::new(), BTreeMap::new());
        for e in envs {
            if !f.environments.contains_key(&e.name) {
                continue;
            }
            // A difference is written where the resource that writes it is (an
            // `aws_route`, an `aws_lb_listener`), when the finding names one.
            let writer = f.resources.get(&e.name).and_then(|w| w.first());
            let at = writer
                .and_then(|w| e.origins.get(w).or_else(|| e.origins.get(&w.block())))
                .or_else(|| e.origins.get(&f.address))
                .or_else(|| e.origins.get(&f.address.block()));
            if let Some(at) = at {
                at_block.insert(e.name.clone(), at.to_string());
            }
            let call = f
                .address
                .module
                .first()
                .and_then(|m| e.root_calls.get(&m.name));
            if let Some(at) = call {
                at_call.insert(e.name.clone(), at.to_string());
            }
        }
        if !at_block.is_empty() {
            sources.insert(f.id.clone(), at_block);
        }
        if !at_call.is_empty() {
            calls.insert(f.id.clone(), at_call);
        }
    }
    (sources, calls)
}

/// Finding id → environment → `file:line:col`.
type BySource = BTreeMap<String, BTreeMap<String, String>>;

/// How many times learned words may make the environments be aligned again.
const LEARNING_ROUNDS: usize = 3;

/// The most learned words made conventions in one comparison: each is matched in
/// every text, and a convention is a handful of words, not thousands.
const MAX_LEARNED_WORDS: usize = 64;

/// Whether a learned correspondence would add something if adopted: not an identifier
/// (those are by design as they are), not declared, and not already reading alike on
/// both sides (an account, a region code).
fn not_yet_by_design(
    c: &normalize::learn::Correspondence,
    contexts: &[Context<'_>],
    baseline: usize,
) -> bool {
    use normalize::learn::CorrKind;
    match c.kind {
        CorrKind::Identifier => false,
        _ if c.declared => false,
        CorrKind::AddressSpace => true,
        _ => {
            contexts[baseline].text(&c.from) == c.from.as_str()
                || contexts[c.env].text(&c.to) == c.to.as_str()
        }
    }
}

/// Compares environments that are already loaded. `baseline` indexes `envs`.
pub fn compare_loaded(envs: &[Environment], baseline: usize) -> Report {
    compare_with(envs, baseline, &normalize::context::Conventions::default())
}

/// [`compare_loaded`] with the naming conventions the user declared.
pub fn compare_with(
    envs: &[Environment],
    baseline: usize,
    conventions: &normalize::context::Conventions,
) -> Report {
    let t = std::time::Instant::now();
    // The names given, and the names the environments carry in their tags.
    let inferred: Vec<String> = envs
        .par_iter()
        .filter_map(normalize::context::inferred_name)
        .collect();
    let names: Vec<&str> = envs
        .iter()
        .map(|e| e.name.as_str())
        .chain(inferred.iter().map(String::as_str))
        .collect();
    // Every environment's context under the same conventions, labels kept apart in one
    // kept apart in all.
    let contexts_with = |conventions: &normalize::context::Conventions| {
        let mut contexts: Vec<Context<'_>> = envs
            .par_iter()
            .map(|e| Context::with(e, &names, conventions))
            .collect();
        Context::share_ambiguity(&mut contexts);
        if let Some(c) = contexts.get_mut(baseline) {
            c.set_baseline();
        }
        contexts
    };
    let mut contexts = contexts_with(conventions);
    timing("contexts", t);
    let t = std::time::Instant::now();
    let mut rows = align::align(envs, &contexts, baseline);
    timing("align", t);
    // What the aligned instances say each environment writes where the baseline
    // writes something else: words learned that are not by design yet become
    // conventions, and the environments are aligned again with them.
    let t = std::time::Instant::now();
    // Words learned in one round can reveal others (`s189p01-tsc-pd-rg`: once
    // `s189p01` is known, `pd` is the one word apart): a few rounds, until none is new.
    let mut learned = normalize::learn::Learned {
        correspondences: normalize::learn::correspondences(envs, &contexts, &rows, baseline),
        breaks: Vec::new(),
    };
    let mut with_learned = conventions.clone();
    let mut was_learned: std::collections::BTreeMap<
        (usize, String, String),
        (usize, normalize::learn::CorrKind),
    > = Default::default();
    for _round in 0..LEARNING_ROUNDS {
        // New words, and words learned in an earlier round now seen widely enough to
        // apply to settings too (`production` ↔ `cluster1`, seen in 5 names once
        // `s189p01` ↔ `s189d01` is known, then in 24).
        let known = |c: &normalize::learn::Correspondence| {
            was_learned.contains_key(&(c.env, c.from.clone(), c.to.clone()))
        };
        let mut new_words: Vec<&normalize::learn::Correspondence> = learned
            .correspondences
            .iter()
            .filter(|c| !known(c) && not_yet_by_design(c, &contexts, baseline))
            .collect();
        // The most seen first, whatever their kind, up to the cap; words already
        // learned take no more of it.
        new_words.sort_by_key(|c| std::cmp::Reverse(c.occurrences));
        new_words.truncate(MAX_LEARNED_WORDS.saturating_sub(was_learned.len()));
        new_words.extend(
            learned.correspondences.iter().filter(|c| {
                known(c) && with_learned.adds(&envs[baseline].name, &envs[c.env].name, c)
            }),
        );
        if new_words.is_empty() {
            break;
        }
        for c in new_words {
            let seen = was_learned
                .entry((c.env, c.from.clone(), c.to.clone()))
                .or_insert((c.occurrences, c.kind));
            seen.0 = seen.0.max(c.occurrences);
            with_learned.adopt(&envs[baseline].name, &envs[c.env].name, c);
        }
        contexts = contexts_with(&with_learned);
        rows = align::align(envs, &contexts, baseline);
        learned.correspondences =
            normalize::learn::correspondences(envs, &contexts, &rows, baseline);
    }
    // Learned in a round, not declared by being used in the next.
    for c in &mut learned.correspondences {
        if was_learned.contains_key(&(c.env, c.from.clone(), c.to.clone())) {
            c.declared = false;
        }
    }
    // A correspondence made a convention in an earlier round is used to the end: said
    // even if the last round no longer counts it (what aligned since contradicts it,
    // or a space learned is now read as one and no longer seen).
    // (Appended: breaks index the list as it is.)
    for ((env, from, to), (occurrences, kind)) in &was_learned {
        if !learned
            .correspondences
            .iter()
            .any(|c| c.env == *env && &c.from == from && &c.to == to)
        {
            learned
                .correspondences
                .push(normalize::learn::Correspondence {
                    env: *env,
                    from: from.clone(),
                    to: to.clone(),
                    kind: *kind,
                    occurrences: *occurrences,
                    declared: false,
                });
        }
    }
    // Said as by design only what is: a pairing learned but left out by the cap is not.
    learned.correspondences.retain(|c| {
        was_learned.contains_key(&(c.env, c.from.clone(), c.to.clone()))
            || !not_yet_by_design(c, &contexts, baseline)
    });
    learned.breaks = normalize::learn::find_breaks(envs, &rows, baseline, &learned.correspondences);
    timing("learn", t);
    // Instances paired by name at another address are said, once per environment.
    for (k, note) in align::paired_by_name(envs, &contexts, &rows, baseline) {
        contexts[k].notes.push(note);
    }
    // A reference to such an instance is a reference to the baseline's: the policy of
    // a bucket paired by name names the same bucket in both.
    for k in (0..envs.len()).filter(|&k| k != baseline) {
        let aliases: Vec<(model::Address, model::Address)> =
            align::moved(envs, &contexts, &rows, baseline, k)
                .into_iter()
                .map(|(a, b)| {
                    (
                        contexts[k].logical(b).into_owned(),
                        contexts[baseline].logical(a).into_owned(),
                    )
                })
                .collect();
        contexts[k].alias(aliases);
    }
    // Labels kept apart are said, with the environment's warnings.
    for (e, c) in envs.iter().zip(&contexts) {
        for n in &c.notes {
            eprintln!(
                "warning: {}",
                report::log_text(&format!("environment {}: {n}", e.name))
            );
        }
    }
    let t = std::time::Instant::now();
    let (mut findings, not_compared) = lens::run(
        &lens::input::Input {
            envs,
            contexts: &contexts,
            baseline,
        },
        &rows,
    );
    timing("lenses", t);
    findings.extend(cross_environment(envs, &rows, baseline, &learned));
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let correspondences = learned
        .correspondences
        .iter()
        .map(|c| report::CorrespondenceInfo {
            environment: envs[c.env].name.clone(),
            from: c.from.clone(),
            to: c.to.clone(),
            kind: c.kind.as_str(),
            occurrences: c.occurrences,
            source: if c.declared { "declared" } else { "learned" },
        })
        .collect();
    let (sources, called_from) = finding_sources(envs, &findings);
    let t = std::time::Instant::now();
    let grouping = report::groups::group(&findings, envs, &contexts, baseline);
    timing("groups", t);
    Report {
        baseline: envs[baseline].name.clone(),
        environments: envs
            .iter()
            .zip(&contexts)
            .map(|(e, c)| EnvInfo {
                name: e.name.clone(),
                kind: e.source.kind.as_str(),
                path: e.source.path.clone(),
                resources: e.resources.len(),
                warnings: e.warnings.iter().chain(&c.notes).cloned().collect(),
            })
            .collect(),
        complete: not_compared.is_empty(),
        not_compared,
        findings,
        sources,
        called_from,
        grouping,
        correspondences,
    }
}

/// A finding for each value that breaks a correspondence: an environment writing the
/// baseline's name or identifier where, everywhere else, it writes its own.
fn cross_environment(
    envs: &[Environment],
    rows: &[align::Row<'_>],
    baseline: usize,
    learned: &normalize::learn::Learned,
) -> Vec<model::Finding> {
    use model::{Category, Finding, Kind};
    let mut out = Vec::new();
    for b in &learned.breaks {
        let (Some(row), Some(c)) = (
            rows.get(b.row),
            learned.correspondences.get(b.correspondence),
        ) else {
            continue;
        };
        let category: Category = lens::catalog::category_of(&row.address.rtype);
        let (base, env) = (&envs[baseline].name, &envs[b.env].name);
        let shown = report::printable(&b.value).into_owned();
        out.push(Finding {
            resources: Default::default(),
            differing: Default::default(),
            id: Finding::stable_id(category, Kind::CrossEnvironment, row.address, Some(&b.path)),
            category,
            kind: Kind::CrossEnvironment,
            severity: lens::severity::CROSS_ENVIRONMENT,
            address: row.address.clone(),
            path: Some(b.path.clone()),
            environments: [
                (base.clone(), shown.clone()),
                (env.clone(), shown.clone()),
            ]
            .into(),
            message: format!(
                "{env} writes {base}'s `{}` in `{}` (`{shown}`), where in {} other instance{} it writes its own `{}`.",
                c.from,
                b.path,
                c.occurrences,
                if c.occurrences == 1 { "" } else { "s" },
                c.to
            ),
        });
    }
    out
}

/// Runs the command line and returns the exit status. Writes the report to stdout (or
/// `--output`) and errors to stderr; on error nothing is written to stdout.
pub fn run<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            use clap::error::ErrorKind;
            return match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                    print!("{e}");
                    EXIT_OK
                }
                _ => {
                    eprint!("{e}");
                    EXIT_ERROR
                }
            };
        }
    };
    let cli::Command::Compare(args) = cli.command;
    match run_compare(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", report::log_text(&e.to_string()));
            EXIT_ERROR
        }
    }
}

fn run_compare(args: cli::CompareArgs) -> Result<u8> {
    let settings = cli::Settings::from_args(args)?;
    let report = compare(&settings)?;
    let color = match settings.color {
        cli::ColorArg::Always => true,
        cli::ColorArg::Never => false,
        cli::ColorArg::Auto => {
            settings.output.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let terminal = settings.output.is_none() && std::io::stdout().is_terminal();
    let text = report::render(&report, settings.format, color, terminal);
    match settings.output.as_ref().filter(|p| p.as_os_str() != "-") {
        Some(path) => std::fs::write(path, text.as_bytes()).map_err(|source| Error::Output {
            path: path.clone(),
            source,
        })?,
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
                Ok(()) => {}
                // A closed pipe (`| head`) is not an error worth a message.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                Err(source) => {
                    return Err(Error::Output {
                        path: "standard output".into(),
                        source,
                    })
                }
            }
        }
    }
    let failing = settings
        .fail_on
        .is_some_and(|min| report.findings.iter().any(|f| f.severity >= min));
    Ok(if failing { EXIT_FINDINGS } else { EXIT_OK })
}

/// What unit tests return: a failed step is an error with its message, not a panic.
#[cfg(test)]
pub(crate) type TestResult<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;
