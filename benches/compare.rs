//! End-to-end benchmark of `tfparity compare` against a parsing floor, over a sweep of
//! layouts.
//!
//! `cargo bench --bench compare [-- --instances N --runs N --layouts L --no-doubling
//! --generate-only --regenerate]` (or `just bench`). `TFPARITY_BENCH_INSTANCES` and
//! `TFPARITY_BENCH_RUNS` set the same values.
//!
//! - `--layouts all` (the default) is `services` (the original shape: one network and
//!   ~8,000 service modules) and `networks=K` for K in 1, 16, 80, 400, 2000 (many
//!   networks, each with its own groups, subnets, route tables and zones; see
//!   `compare/networks.rs`). `--layout networks=80` (repeatable, or comma-separated)
//!   limits a run.
//! - Every layout is measured at N instances and, unless `--no-doubling`, at N/2 too;
//!   the summary prints compare's growth factor from N/2 to N.
//! - `--generate-only` writes the pairs and prints their paths without measuring, so
//!   that they can be fed to the release binary.
//!
//! 1. Generates two large synthetic raw state files (format version 4), `prod` and
//!    `staging`, with N resource instances each (100,000 by default), into
//!    `target/bench-data/`, or reuses them when they were already generated with the same
//!    parameters. The environments differ by design everywhere (ids, ARNs, accounts,
//!    regions, address space, environment names) and for real in a few planted places.
//! 2. Measures, each in a fresh child process (this executable re-run with a hidden
//!    `--child` argument) so that peak memory is isolated:
//!    - the floor: read both files and parse each into a `serde_json::Value`,
//!      sequentially, keeping both values alive;
//!    - compare: `tfparity::run` exactly as the command line would, JSON report to a file.
//!
//!    Each child times its work with `Instant` and reads its peak RSS (`VmHWM`) from
//!    `/proc/self/status`, then prints one `RESULT` line for the parent. Before each
//!    measurement another child touches some memory and exits (see `PRETOUCH_FACTOR`).
//!    This executable uses the binary's allocator (mimalloc), for both measurements.
//! 3. Repeats both (alternating), prints the best time and the highest peak of each and
//!    the ratios against their targets. It never asserts: it only reports.
//!
//! Figures and how to read them: `docs/performance.md`.

#[path = "compare/networks.rs"]
mod networks;

use serde_json::{json, Value};
use std::fs::{self, File};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The allocator of the `tfparity` binary (`src/main.rs`), so that the in-process run is
/// the program as shipped. The floor runs in this same executable, so it uses it too.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Bump when the file layout changes in a way `fingerprint` does not see (the writer,
/// dependency lists), so that old files are not reused.
const GENERATOR_VERSION: u32 = 3;
const DEFAULT_INSTANCES: usize = 100_000;
const DEFAULT_RUNS: usize = 3;
const MIN_INSTANCES: usize = 1_000;
/// Memory touched before measuring, as a multiple of the input size (about twice the
/// highest peak seen), capped at half of the available memory.
const PRETOUCH_FACTOR: u64 = 8;
/// compare time / floor time.
const TIME_TARGET: f64 = 1.5;
/// compare time at N / compare time at N/2.
const DOUBLING_TARGET: f64 = 2.2;
/// Networks per state of the layouts of the default sweep.
const SWEEP_NETWORKS: &[usize] = &[1, 16, 80, 400, 2000];
/// compare peak RSS / floor peak RSS.
const MEMORY_TARGET: f64 = 1.0;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--child") {
        child(&args[1..]);
        return;
    }
    let options = Options::parse(&args);
    parent(&options);
}

fn fail(message: &str) -> ! {
    eprintln!("bench compare: {message}");
    std::process::exit(1);
}

// ---------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------

struct Options {
    instances: usize,
    runs: usize,
    regenerate: bool,
    layouts: Vec<Shape>,
    /// Also measure at half the instances and print the growth factor.
    doubling: bool,
    /// Only write the data files and print their paths.
    generate_only: bool,
}

/// What a pair of generated states looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// One network, ~8,000 service modules, a large record set (the original layout).
    Services,
    /// Many networks, each with its own groups, subnets, route tables and zones
    /// (`compare/networks.rs`).
    Networks(usize),
}

impl Shape {
    fn parse(s: &str) -> Option<Shape> {
        match s.trim() {
            "services" => Some(Shape::Services),
            other => other
                .strip_prefix("networks=")
                .and_then(|n| n.replace('_', "").parse().ok())
                .filter(|&n: &usize| n >= 1)
                .map(Shape::Networks),
        }
    }

    fn all() -> Vec<Shape> {
        let mut v = vec![Shape::Services];
        v.extend(SWEEP_NETWORKS.iter().map(|&n| Shape::Networks(n)));
        v
    }

    fn name(&self) -> String {
        match self {
            Shape::Services => "services".to_string(),
            Shape::Networks(n) => format!("networks={n}"),
        }
    }

    /// A file-name-safe name.
    fn stem(&self) -> String {
        match self {
            Shape::Services => "services".to_string(),
            Shape::Networks(n) => format!("net{n}"),
        }
    }

    fn min_instances(&self) -> usize {
        match self {
            Shape::Services => MIN_INSTANCES,
            Shape::Networks(k) => networks::min_instances(*k).max(MIN_INSTANCES),
        }
    }
}

impl Options {
    fn parse(args: &[String]) -> Options {
        let env_number = |name: &str, default: usize| -> usize {
            match std::env::var(name) {
                Ok(v) => v
                    .trim()
                    .replace('_', "")
                    .parse()
                    .unwrap_or_else(|_| fail(&format!("{name}={v}: not a number"))),
                Err(_) => default,
            }
        };
        let mut options = Options {
            instances: env_number("TFPARITY_BENCH_INSTANCES", DEFAULT_INSTANCES),
            runs: env_number("TFPARITY_BENCH_RUNS", DEFAULT_RUNS),
            regenerate: false,
            layouts: Vec::new(),
            doubling: true,
            generate_only: false,
        };
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
                _ => (arg.as_str(), None),
            };
            let mut number = |flag: &str| -> usize {
                let v = inline
                    .clone()
                    .or_else(|| it.next().cloned())
                    .unwrap_or_else(|| fail(&format!("{flag} needs a value")));
                v.replace('_', "")
                    .parse()
                    .unwrap_or_else(|_| fail(&format!("{flag} {v}: not a number")))
            };
            match flag {
                "--instances" => options.instances = number("--instances"),
                "--runs" => options.runs = number("--runs"),
                "--regenerate" => options.regenerate = true,
                "--no-doubling" => options.doubling = false,
                "--generate-only" => options.generate_only = true,
                "--layout" | "--layouts" => {
                    let v = inline
                        .clone()
                        .or_else(|| it.next().cloned())
                        .unwrap_or_else(|| fail(&format!("{flag} needs a value")));
                    for part in v.split(',').filter(|p| !p.trim().is_empty()) {
                        if part.trim() == "all" {
                            options.layouts.extend(Shape::all());
                            continue;
                        }
                        // `networks=1,16` after `networks=80`: bare numbers are networks.
                        let shape = Shape::parse(part).or_else(|| {
                            part.trim()
                                .parse()
                                .ok()
                                .filter(|&n: &usize| n >= 1)
                                .map(Shape::Networks)
                        });
                        options.layouts.push(shape.unwrap_or_else(|| {
                            fail(&format!(
                                "{flag} {part}: expected all, services or networks=N"
                            ))
                        }));
                    }
                }
                // `cargo bench` passes `--bench` to harness-less benches.
                "--bench" => {}
                other => eprintln!("bench compare: ignoring unknown argument `{other}`"),
            }
        }
        if options.layouts.is_empty() {
            options.layouts = Shape::all();
        }
        let mut seen = Vec::new();
        options.layouts.retain(|l| {
            let new = !seen.contains(l);
            seen.push(*l);
            new
        });
        let smallest = if options.doubling {
            options.instances / 2
        } else {
            options.instances
        };
        for l in &options.layouts {
            if smallest < l.min_instances() {
                fail(&format!(
                    "layout {}: --instances must be at least {}{}",
                    l.name(),
                    l.min_instances(),
                    if options.doubling {
                        " at half the size (or pass --no-doubling)"
                    } else {
                        ""
                    }
                ));
            }
        }
        options.runs = options.runs.max(1);
        options
    }
}

// ---------------------------------------------------------------------------------------
// Parent: data, child runs, report
// ---------------------------------------------------------------------------------------

/// What one child measured.
#[derive(Debug, Clone, Copy)]
struct Measurement {
    secs: f64,
    peak_kib: u64,
    status: u8,
}

/// What one layout at one size measured.
struct Outcome {
    floor_secs: f64,
    floor_peak: u64,
    compare_secs: f64,
    compare_peak: u64,
    findings: Option<u64>,
    planted: usize,
}

impl Outcome {
    fn time_ratio(&self) -> f64 {
        self.compare_secs / self.floor_secs
    }
    fn memory_ratio(&self) -> f64 {
        if self.floor_peak == 0 {
            f64::NAN
        } else {
            self.compare_peak as f64 / self.floor_peak as f64
        }
    }
}

fn parent(options: &Options) {
    let data_dir = data_dir();
    fs::create_dir_all(&data_dir)
        .unwrap_or_else(|e| fail(&format!("cannot create {}: {e}", data_dir.display())));
    let exe = std::env::current_exe()
        .unwrap_or_else(|e| fail(&format!("cannot find the bench executable: {e}")));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("tfparity compare benchmark");
    println!(
        "  machine    {cores} cores (available parallelism), {}",
        cpu_model()
    );
    println!(
        "  layouts    {}",
        options
            .layouts
            .iter()
            .map(Shape::name)
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "  instances  {} per environment{}",
        group_digits(options.instances as u64),
        if options.doubling {
            format!(
                ", and {} for the doubling step",
                group_digits((options.instances / 2) as u64)
            )
        } else {
            String::new()
        }
    );
    println!(
        "  runs       {} of each, alternating (best time, highest peak)",
        options.runs
    );
    let mut rows: Vec<(Shape, Outcome, Option<Outcome>)> = Vec::new();
    for &shape in &options.layouts {
        let mut sizes = vec![options.instances];
        if options.doubling {
            sizes.insert(0, options.instances / 2);
        }
        let mut outcomes = Vec::new();
        for &n in &sizes {
            println!();
            println!(
                "== layout {} at {} instances",
                shape.name(),
                group_digits(n as u64)
            );
            let data = prepare_data(&data_dir, shape, n, options.regenerate);
            print_data(&data);
            if options.generate_only {
                continue;
            }
            outcomes.push(measure_layout(options, &exe, &data_dir, shape, n, &data));
        }
        if let Some(full) = outcomes.pop() {
            rows.push((shape, full, outcomes.pop()));
        }
    }
    if rows.is_empty() {
        return;
    }
    println!();
    println!(
        "== sweep at {} instances (targets: time <= {TIME_TARGET:.2} x floor, memory <= {MEMORY_TARGET:.2} x floor, doubling <= {DOUBLING_TARGET:.2} x time)",
        group_digits(options.instances as u64)
    );
    println!();
    println!("| layout | floor | compare | time ratio | memory ratio | doubling (compare; floor) | findings (planted) |");
    println!("|---|---|---|---|---|---|---|");
    for (shape, full, half) in &rows {
        let doubling = match half {
            Some(h) => {
                let g = full.compare_secs / h.compare_secs;
                format!(
                    "{g:.2} {} ({:.2})",
                    verdict(g, DOUBLING_TARGET),
                    full.floor_secs / h.floor_secs
                )
            }
            None => "-".to_string(),
        };
        println!(
            "| {} | {:.3} s, {:.1} MiB | {:.3} s, {:.1} MiB | {:.2} {} | {:.2} {} | {doubling} | {} ({}) |",
            shape.name(),
            full.floor_secs,
            full.floor_peak as f64 / 1024.0,
            full.compare_secs,
            full.compare_peak as f64 / 1024.0,
            full.time_ratio(),
            verdict(full.time_ratio(), TIME_TARGET),
            full.memory_ratio(),
            verdict(full.memory_ratio(), MEMORY_TARGET),
            full.findings.map_or("?".to_string(), |n| n.to_string()),
            full.planted,
        );
    }
}

fn print_data(data: &Data) {
    println!("  data       {}", data.origin);
    for (name, path) in [("prod", &data.prod), ("staging", &data.staging)] {
        let size = fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        println!(
            "    {name:<8} {:>9.1} MiB  {:>13} bytes  {}",
            size as f64 / MIB,
            group_digits(size),
            display_path(path)
        );
    }
    println!(
        "  planted    changed: {}, only in prod: {}, only in staging: {} ({} findings expected)",
        data.planted.drifted,
        data.planted.only_prod,
        data.planted.only_staging,
        data.planted.total()
    );
}

fn measure_layout(
    options: &Options,
    exe: &Path,
    data_dir: &Path,
    shape: Shape,
    instances: usize,
    data: &Data,
) -> Outcome {
    let report_path = data_dir.join(format!("report-{}-{instances}.json", shape.stem()));
    // Warm the page cache so that the first measurement does not pay for the disk.
    let mut input_bytes = 0u64;
    for path in [&data.prod, &data.staging] {
        let mut f = File::open(path).unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
        let mut buf = vec![0u8; 1 << 20];
        while let Ok(n @ 1..) = f.read(&mut buf) {
            input_bytes += n as u64;
        }
    }
    // Before each measurement a child touches memory and exits: on a virtual machine the
    // first touch of a physical page (host-side backing) can cost several times a later
    // one, and it would otherwise land on whichever measurement comes next (seen here:
    // the same floor at 1.45 s warm and up to 5.4 s cold).
    let pretouch = (input_bytes * PRETOUCH_FACTOR).min(mem_available() / 2);
    let measure = |args: &[&str]| {
        if pretouch > 0 {
            run_child(exe, &["pretouch", &pretouch.to_string()]);
        }
        run_child(exe, args)
    };
    println!(
        "  memory     {:.1} GiB touched by a child before each measurement",
        pretouch as f64 / MIB / 1024.0
    );
    println!();
    println!("  run  measurement   time (s)   peak RSS (MiB)   notes");

    let prod = data.prod.to_string_lossy().into_owned();
    let staging = data.staging.to_string_lossy().into_owned();
    let report = report_path.to_string_lossy().into_owned();
    let mut floors = Vec::new();
    let mut compares = Vec::new();
    let mut findings: Option<u64> = None;
    for run in 1..=options.runs {
        let floor = measure(&["floor", &prod, &staging]);
        print_row(run, "floor", &floor, String::new());
        floors.push(floor);

        let _ = fs::remove_file(&report_path);
        let compare = measure(&["compare", &prod, &staging, &report]);
        findings = read_findings(&report_path);
        let note = format!(
            "exit {}, {} findings",
            compare.status,
            findings.map_or("?".to_string(), |n| n.to_string())
        );
        print_row(run, "compare", &compare, note);
        compares.push(compare);
    }

    let best = |ms: &[Measurement]| ms.iter().map(|m| m.secs).fold(f64::INFINITY, f64::min);
    let peak = |ms: &[Measurement]| ms.iter().map(|m| m.peak_kib).max().unwrap_or(0);
    let outcome = Outcome {
        floor_secs: best(&floors),
        floor_peak: peak(&floors),
        compare_secs: best(&compares),
        compare_peak: peak(&compares),
        findings,
        planted: data.planted.total(),
    };
    let (time_ratio, memory_ratio) = (outcome.time_ratio(), outcome.memory_ratio());

    println!();
    println!("  summary       best time (s)   peak RSS (MiB)");
    println!(
        "  floor              {:>8.3}        {:>9.1}",
        outcome.floor_secs,
        outcome.floor_peak as f64 / 1024.0
    );
    println!(
        "  compare            {:>8.3}        {:>9.1}",
        outcome.compare_secs,
        outcome.compare_peak as f64 / 1024.0
    );
    println!(
        "  time ratio     compare/floor = {time_ratio:>5.2}   target <= {TIME_TARGET:.2}   {}",
        verdict(time_ratio, TIME_TARGET)
    );
    println!(
        "  memory ratio   compare/floor = {memory_ratio:>5.2}   target <= {MEMORY_TARGET:.2}   {}",
        verdict(memory_ratio, MEMORY_TARGET)
    );
    println!(
        "  findings       {} (summary.findings of the JSON report; {} planted)",
        findings.map_or("?".to_string(), |n| n.to_string()),
        data.planted.total()
    );
    println!("  report         {}", display_path(&report_path));
    outcome
}

fn print_row(run: usize, what: &str, m: &Measurement, note: String) {
    let row = format!(
        "  {run:>3}  {what:<11} {:>9.3}   {:>14.1}   {note}",
        m.secs,
        m.peak_kib as f64 / 1024.0
    );
    println!("{}", row.trim_end());
}

fn verdict(ratio: f64, target: f64) -> &'static str {
    if ratio.is_nan() {
        "n/a"
    } else if ratio <= target {
        "PASS"
    } else {
        "FAIL"
    }
}

const MIB: f64 = 1024.0 * 1024.0;

fn group_digits(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn display_path(p: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    p.strip_prefix(root).unwrap_or(p).display().to_string()
}

fn cpu_model() -> String {
    fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".to_string())
}

fn data_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let target = if target.is_relative() {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(target)
    } else {
        target
    };
    target.join("bench-data")
}

/// Runs this executable in child mode and parses its `RESULT` line.
fn run_child(exe: &Path, args: &[&str]) -> Measurement {
    let out = Command::new(exe)
        .arg("--child")
        .args(args)
        .stderr(std::process::Stdio::inherit())
        .output()
        .unwrap_or_else(|e| fail(&format!("cannot start a child process: {e}")));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find(|l| l.starts_with("RESULT "))
        .unwrap_or_else(|| {
            fail(&format!(
                "child `{}` printed no RESULT line (exit {:?}): {stdout}",
                args[0],
                out.status.code()
            ))
        });
    let field = |name: &str| -> &str {
        line.split_whitespace()
            .find_map(|kv| kv.strip_prefix(name).and_then(|r| r.strip_prefix('=')))
            .unwrap_or_else(|| fail(&format!("child RESULT line lacks {name}: {line}")))
    };
    fn bad<T>(name: &str, line: &str) -> T {
        fail(&format!("child RESULT line has a bad {name}: {line}"))
    }
    Measurement {
        secs: field("secs").parse().unwrap_or_else(|_| bad("secs", line)),
        peak_kib: field("peak_kib")
            .parse()
            .unwrap_or_else(|_| bad("peak_kib", line)),
        status: field("status")
            .parse()
            .unwrap_or_else(|_| bad("status", line)),
    }
}

fn read_findings(report: &Path) -> Option<u64> {
    let text = fs::read(report).ok()?;
    let doc: Value = serde_json::from_slice(&text).ok()?;
    doc.get("summary")?.get("findings")?.as_u64()
}

// ---------------------------------------------------------------------------------------
// Child: one measurement
// ---------------------------------------------------------------------------------------

fn child(args: &[String]) {
    let arg = |i: usize| -> &str {
        args.get(i)
            .map(String::as_str)
            .unwrap_or_else(|| fail("child: missing argument"))
    };
    match arg(0) {
        "floor" => {
            let start = Instant::now();
            let prod = parse_value(arg(1));
            let staging = parse_value(arg(2));
            let secs = start.elapsed().as_secs_f64();
            let peak = peak_kib();
            std::hint::black_box((&prod, &staging));
            println!("RESULT secs={secs:.6} peak_kib={peak} status=0");
            // Exit without freeing both trees: freeing is not part of the floor.
            let _ = std::io::stdout().flush();
            std::process::exit(0);
        }
        "pretouch" => {
            let bytes: usize = arg(1)
                .parse()
                .unwrap_or_else(|_| fail("child: pretouch needs a byte count"));
            let block = vec![1u8; bytes];
            std::hint::black_box(&block);
            println!("RESULT secs=0 peak_kib={} status=0", peak_kib());
        }
        "compare" => {
            let (prod, staging, output) = (arg(1), arg(2), arg(3));
            let argv = [
                "tfparity".to_string(),
                "compare".to_string(),
                format!("prod={prod}"),
                format!("staging={staging}"),
                "--format".to_string(),
                "json".to_string(),
                "--output".to_string(),
                output.to_string(),
                "--fail-on".to_string(),
                "never".to_string(),
            ];
            let start = Instant::now();
            let status = tfparity::run(argv);
            let secs = start.elapsed().as_secs_f64();
            let peak = peak_kib();
            println!("RESULT secs={secs:.6} peak_kib={peak} status={status}");
        }
        other => fail(&format!("child: unknown mode `{other}`")),
    }
}

fn parse_value(path: &str) -> Value {
    let bytes = fs::read(path).unwrap_or_else(|e| fail(&format!("{path}: {e}")));
    serde_json::from_slice::<Value>(&bytes).unwrap_or_else(|e| fail(&format!("{path}: {e}")))
}

/// `MemAvailable` in bytes, 0 where unavailable.
fn mem_available() -> u64 {
    fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("MemAvailable:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse::<u64>().ok())
        })
        .map_or(0, |kib| kib * 1024)
}

/// Peak resident set size of this process in KiB (`VmHWM`), 0 where unavailable.
fn peak_kib() -> u64 {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

// ---------------------------------------------------------------------------------------
// Data: generation and reuse
// ---------------------------------------------------------------------------------------

struct Data {
    prod: PathBuf,
    staging: PathBuf,
    planted: Planted,
    origin: String,
}

/// Planted differences: each is exactly one finding.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Planted {
    drifted: usize,
    only_prod: usize,
    only_staging: usize,
}

impl Planted {
    fn total(&self) -> usize {
        self.drifted + self.only_prod + self.only_staging
    }
}

fn prepare_data(dir: &Path, shape: Shape, instances: usize, regenerate: bool) -> Data {
    let fp = fingerprint();
    let layout = shape.stem();
    let stem = |env: &str| dir.join(format!("{layout}-{env}-{instances}-{fp}.tfstate"));
    let meta_path = dir.join(format!("{layout}-meta-{instances}-{fp}.json"));
    let (prod, staging) = (stem("prod"), stem("staging"));
    if !regenerate {
        if let Some(planted) = read_meta(&meta_path, &[&prod, &staging]) {
            return Data {
                prod,
                staging,
                planted,
                origin: format!("{} (reused)", display_path(dir)),
            };
        }
    }
    // Files of the same size from an older generator are stale: remove them.
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let same_size = ["prod", "staging", "meta"]
                .iter()
                .any(|p| name.starts_with(&format!("{layout}-{p}-{instances}-")));
            if same_size {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
    let start = Instant::now();
    let generate = |env: &EnvSpec, path: &Path| match shape {
        Shape::Services => generate(env, &Layout::new(instances), path),
        Shape::Networks(k) => networks::generate(env, k, instances, path),
    };
    // Both files at once: the generator is single-threaded and the machine has cores.
    let (p, s) = std::thread::scope(|scope| {
        let p = scope.spawn(|| generate(&PROD, &prod));
        let s = generate(&STAGING, &staging);
        (
            p.join()
                .unwrap_or_else(|_| fail("generator thread panicked")),
            s,
        )
    });
    let planted = Planted {
        drifted: s.drifted,
        only_prod: p.only_here,
        only_staging: s.only_here,
    };
    if p.instances != instances || s.instances != instances {
        fail(&format!(
            "generator bug: wrote {} and {} instances, wanted {instances}",
            p.instances, s.instances
        ));
    }
    let meta = json!({
        "generator": fp,
        "layout": shape.name(),
        "instances": instances,
        "prod_bytes": file_len(&prod),
        "staging_bytes": file_len(&staging),
        "drifted": planted.drifted,
        "only_prod": planted.only_prod,
        "only_staging": planted.only_staging,
    });
    fs::write(&meta_path, meta.to_string())
        .unwrap_or_else(|e| fail(&format!("{}: {e}", meta_path.display())));
    Data {
        prod,
        staging,
        planted,
        origin: format!(
            "{} (generated in {:.1} s)",
            display_path(dir),
            start.elapsed().as_secs_f64()
        ),
    }
}

/// A short hash of what the generator writes (sample resources of both environments,
/// the layout constants and the planted-difference selection), so that data files made
/// by another version of this benchmark are never reused.
fn fingerprint() -> String {
    let mut buf = format!(
        "{GENERATOR_VERSION} {ROOT_INSTANCES} {SERVICE_INSTANCES} {ONLY_IN_ONE} {PRIVATE_SUBNETS} {NATS}"
    )
    .into_bytes();
    for env in [&PROD, &STAGING] {
        let (key, team) = (service_key(7), TEAMS[7 % TEAMS.len()]);
        let samples = [
            vpc(env),
            igw(env),
            subnet(env, true, 0),
            subnet(env, false, 1),
            eip(env, 0),
            nat(env, 0),
            route_table(env, true, 0),
            route_table(env, false, 1),
            rta(env, true, 0),
            rta(env, false, 0),
            sg_alb(env),
            lb(env),
            zone(env),
            bucket(env, "logs", "platform", None, true),
            host_record(env, "host-00000", 0),
            host_record(env, "host-00004", 4),
            service_sg(env, 7, &key, team),
            service_role(env, 7, &key, team),
            service_instance(env, 7, 1, &key, team),
            record(
                env,
                &key,
                "A",
                vec![host_ip(env, 29).0],
                300,
                Block::ServiceRecord,
                29,
            ),
            bucket(env, &key, team, Some(&key), true),
        ];
        for v in &samples {
            write_pretty(&mut buf, v, 0);
        }
        for block in [Block::ServiceInstance, Block::HostRecord] {
            let n = (0..100_000).filter(|&i| drifted(env, block, i)).count();
            buf.extend_from_slice(n.to_string().as_bytes());
        }
        let (k, n) = (80, 7);
        for v in [
            networks::vpc(env, k, n),
            networks::security_group(env, k, n, 3, 9),
            networks::instance(env, k, n, 5, 9),
            networks::record(env, k, n, 5, 9),
            networks::public_record(env, n, 5),
        ] {
            write_pretty(&mut buf, &v, 0);
        }
        buf.extend_from_slice(format!("{:?}", networks::share(100_000, k, n)).as_bytes());
    }
    // FNV-1a, 64 bits.
    let h = buf.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{:08x}", h >> 32)
}

fn file_len(p: &Path) -> u64 {
    fs::metadata(p).map(|m| m.len()).unwrap_or(0)
}

/// The meta file is written last; it vouches for both files when their sizes match.
fn read_meta(meta: &Path, files: &[&Path; 2]) -> Option<Planted> {
    let doc: Value = serde_json::from_slice(&fs::read(meta).ok()?).ok()?;
    let n = |k: &str| doc.get(k).and_then(Value::as_u64);
    if n("prod_bytes")? != file_len(files[0]) || n("staging_bytes")? != file_len(files[1]) {
        return None;
    }
    Some(Planted {
        drifted: usize::try_from(n("drifted")?).ok()?,
        only_prod: usize::try_from(n("only_prod")?).ok()?,
        only_staging: usize::try_from(n("only_staging")?).ok()?,
    })
}

// ---------------------------------------------------------------------------------------
// Generator
// ---------------------------------------------------------------------------------------

/// What differs between the environments by design.
struct EnvSpec {
    name: &'static str,
    account: &'static str,
    region: &'static str,
    az_ids: [&'static str; 3],
    /// Second octet of the VPC: 10.<octet>.0.0/16.
    octet: u8,
    seed: u64,
    lineage: &'static str,
    /// Planted differences live in staging (prod is the baseline).
    staging: bool,
    /// Route 53 hosted zone id of the region's load balancers, for alias records.
    elb_zone: &'static str,
}

const PROD: EnvSpec = EnvSpec {
    name: "prod",
    account: "111111111111",
    region: "us-east-1",
    az_ids: ["use1-az1", "use1-az2", "use1-az4"],
    octet: 0,
    seed: 0x5EED_0000_0000_0001,
    lineage: "3f0c5b8e-7a41-4d2b-9c1e-5f6a7b8c9d01",
    staging: false,
    elb_zone: "Z35SXDOTRQ7X7K",
};

const STAGING: EnvSpec = EnvSpec {
    name: "staging",
    account: "222222222222",
    region: "us-west-2",
    az_ids: ["usw2-az1", "usw2-az2", "usw2-az3"],
    octet: 1,
    seed: 0x5EED_0000_0000_0002,
    lineage: "8d2e4f60-1b3c-4a5d-8e7f-90a1b2c3d4e5",
    staging: true,
    elb_zone: "Z1H1FL5HABSF5",
};

const PUBLIC_SUBNETS: usize = 3;
const PRIVATE_SUBNETS: usize = 24;
const NATS: usize = 3;
/// Instances in the root module's network and shared resources.
const ROOT_INSTANCES: usize = 2 // VPC, internet gateway
    + (PUBLIC_SUBNETS + PRIVATE_SUBNETS) // subnets
    + 2 * NATS // elastic IPs, NAT gateways
    + (1 + PRIVATE_SUBNETS) // route tables
    + (PUBLIC_SUBNETS + PRIVATE_SUBNETS) // route table associations
    + 4; // load balancer security group, load balancer, private zone, logs bucket
/// Per `module.service[...]` instance: security group, IAM role, 4 EC2 instances, 4 DNS
/// records, one bucket.
const SERVICE_HOSTS: usize = 4;
const SERVICE_INSTANCES: usize = 1 + 1 + SERVICE_HOSTS + SERVICE_HOSTS + 1;
/// Records in the root `aws_route53_record.host` set that exist in one environment only.
const ONLY_IN_ONE: usize = 5;

/// How N instances are spread: fixed root resources, ~90 % in service modules, the rest
/// in a large `for_each` set of DNS records.
struct Layout {
    services: usize,
    host_records: usize,
}

impl Layout {
    fn new(instances: usize) -> Layout {
        let rest = instances - ROOT_INSTANCES;
        let services = rest * 9 / 10 / SERVICE_INSTANCES;
        let host_records = rest - services * SERVICE_INSTANCES;
        Layout {
            services,
            host_records,
        }
    }
}

/// Resource blocks, for deterministic ids and planted differences.
#[derive(Clone, Copy)]
#[repr(u64)]
enum Block {
    Vpc = 1,
    Igw,
    SubnetPublic,
    SubnetPrivate,
    Eip,
    Nat,
    RouteTablePublic,
    RouteTablePrivate,
    RtaPublic,
    RtaPrivate,
    SgAlb,
    Zone,
    AlbArn,
    HostRecord,
    ServiceSg,
    ServiceRole,
    ServiceInstance,
    ServiceRecord,
    ServiceBucket,
    // Ids of things outside the state.
    Eni,
    Volume,
    Ami,
    Acl,
    DefaultRt,
    DefaultSg,
    Dopt,
    Tgw,
    Pcx,
    EipAssoc,
    KmsKey,
    RoleUnique,
}

fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn hash(env: &EnvSpec, block: Block, index: usize) -> u64 {
    mix(env.seed ^ mix(((block as u64) << 40) ^ index as u64))
}

/// An AWS-style id: `subnet-0123456789abcdef0` (17 hex digits), distinct per environment.
fn aws_id(env: &EnvSpec, prefix: &str, block: Block, index: usize) -> String {
    format!("{prefix}-0{:016x}", hash(env, block, index))
}

/// Upper-case alphanumeric id such as a Route 53 zone id or an IAM unique id.
fn upper_id(env: &EnvSpec, prefix: &str, block: Block, index: usize, len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut h = hash(env, block, index);
    let mut s = String::from(prefix);
    for i in 0..len {
        if i % 10 == 9 {
            h = mix(h);
        }
        s.push(ALPHABET[(h % 36) as usize] as char);
        h /= 36;
    }
    s
}

fn uuid(env: &EnvSpec, block: Block, index: usize) -> String {
    let (a, b) = (hash(env, block, index), mix(hash(env, block, index)));
    format!(
        "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        b >> 52,
        b & 0xffff_ffff_ffff
    )
}

/// Whether staging carries a planted change for this instance (~0.1 % of instances).
fn drifted(env: &EnvSpec, block: Block, index: usize) -> bool {
    env.staging && mix(0xD21F_7000 ^ mix(((block as u64) << 40) ^ index as u64)) % 1000 == 0
}

fn arn(env: &EnvSpec, service: &str, resource: &str) -> String {
    format!(
        "arn:aws:{service}:{}:{}:{resource}",
        env.region, env.account
    )
}

fn az(env: &EnvSpec, i: usize) -> String {
    format!("{}{}", env.region, ['a', 'b', 'c'][i % 3])
}

fn tags(env: &EnvSpec, name: &str, team: &str, service: Option<&str>) -> Value {
    let mut t = json!({
        "CostCenter": "cc-4711",
        "Environment": env.name,
        "ManagedBy": "terraform",
        "Name": format!("{}-{name}", env.name),
        "Team": team,
    });
    if let (Some(s), Some(obj)) = (service, t.as_object_mut()) {
        obj.insert("Service".into(), Value::from(s));
    }
    t
}

const TEAMS: &[&str] = &[
    "payments", "search", "identity", "ledger", "catalog", "checkout", "shipping", "pricing",
];

fn service_key(s: usize) -> String {
    format!("svc-{s:05}")
}

fn vpc_cidr(env: &EnvSpec) -> String {
    format!("10.{}.0.0/16", env.octet)
}

fn public_cidr(env: &EnvSpec, i: usize) -> String {
    format!("10.{}.{i}.0/24", env.octet)
}

fn private_cidr(env: &EnvSpec, i: usize) -> String {
    format!("10.{}.{}.0/21", env.octet, 8 + 8 * i)
}

/// Private IP of the `g`-th service host and the private subnet it is in.
fn host_ip(env: &EnvSpec, g: usize) -> (String, usize) {
    let subnet = g % PRIVATE_SUBNETS;
    let host = 10 + (g / PRIVATE_SUBNETS) % 2000;
    (
        format!(
            "10.{}.{}.{}",
            env.octet,
            8 + 8 * subnet + host / 256,
            host % 256
        ),
        subnet,
    )
}

fn vpc_id(env: &EnvSpec) -> String {
    aws_id(env, "vpc", Block::Vpc, 0)
}

fn zone_id(env: &EnvSpec) -> String {
    upper_id(env, "Z0", Block::Zone, 0, 19)
}

fn empty_route() -> serde_json::Map<String, Value> {
    let mut m = serde_json::Map::new();
    for k in [
        "carrier_gateway_id",
        "cidr_block",
        "core_network_arn",
        "destination_prefix_list_id",
        "egress_only_gateway_id",
        "gateway_id",
        "ipv6_cidr_block",
        "local_gateway_id",
        "nat_gateway_id",
        "network_interface_id",
        "transit_gateway_id",
        "vpc_endpoint_id",
        "vpc_peering_connection_id",
    ] {
        m.insert(k.into(), Value::from(""));
    }
    m
}

fn route(pairs: &[(&str, String)]) -> Value {
    let mut m = empty_route();
    for (k, v) in pairs {
        m.insert((*k).into(), Value::from(v.as_str()));
    }
    Value::Object(m)
}

#[allow(clippy::too_many_arguments)]
fn sg_rule(
    cidrs: &[String],
    ipv6: &[&str],
    description: &str,
    from: u16,
    to: u16,
    protocol: &str,
    groups: &[String],
    self_: bool,
) -> Value {
    json!({
        "cidr_blocks": cidrs,
        "description": description,
        "from_port": from,
        "ipv6_cidr_blocks": ipv6,
        "prefix_list_ids": [],
        "protocol": protocol,
        "security_groups": groups,
        "self": self_,
        "to_port": to,
    })
}

fn egress_all() -> Value {
    sg_rule(
        &["0.0.0.0/0".to_string()],
        &["::/0"],
        "",
        0,
        0,
        "-1",
        &[],
        false,
    )
}

// ---- root module ----------------------------------------------------------------------

fn vpc(env: &EnvSpec) -> Value {
    let id = vpc_id(env);
    json!({
        "arn": arn(env, "ec2", &format!("vpc/{id}")),
        "assign_generated_ipv6_cidr_block": false,
        "cidr_block": vpc_cidr(env),
        "default_network_acl_id": aws_id(env, "acl", Block::Acl, 0),
        "default_route_table_id": aws_id(env, "rtb", Block::DefaultRt, 0),
        "default_security_group_id": aws_id(env, "sg", Block::DefaultSg, 0),
        "dhcp_options_id": aws_id(env, "dopt", Block::Dopt, 0),
        "enable_dns_hostnames": true,
        "enable_dns_support": true,
        "enable_network_address_usage_metrics": false,
        "id": id,
        "instance_tenancy": "default",
        "ipv4_ipam_pool_id": null,
        "ipv4_netmask_length": null,
        "ipv6_association_id": "",
        "ipv6_cidr_block": "",
        "ipv6_cidr_block_network_border_group": "",
        "ipv6_ipam_pool_id": "",
        "ipv6_netmask_length": 0,
        "main_route_table_id": aws_id(env, "rtb", Block::DefaultRt, 0),
        "owner_id": env.account,
        "tags": tags(env, "vpc", "platform", None),
        "tags_all": tags(env, "vpc", "platform", None),
    })
}

fn igw(env: &EnvSpec) -> Value {
    let id = aws_id(env, "igw", Block::Igw, 0);
    json!({
        "arn": arn(env, "ec2", &format!("internet-gateway/{id}")),
        "id": id,
        "owner_id": env.account,
        "tags": tags(env, "igw", "platform", None),
        "tags_all": tags(env, "igw", "platform", None),
        "timeouts": null,
        "vpc_id": vpc_id(env),
    })
}

fn subnet(env: &EnvSpec, public: bool, i: usize) -> Value {
    let (block, cidr, tier) = if public {
        (Block::SubnetPublic, public_cidr(env, i), "public")
    } else {
        (Block::SubnetPrivate, private_cidr(env, i), "private")
    };
    let id = aws_id(env, "subnet", block, i);
    let name = format!("{tier}-{}", ['a', 'b', 'c'][i % 3]);
    let name = if public {
        name
    } else {
        format!("{name}{}", i / 3)
    };
    let mut map_public = public;
    if drifted(env, block, i) {
        map_public = !map_public;
    }
    json!({
        "arn": arn(env, "ec2", &format!("subnet/{id}")),
        "assign_ipv6_address_on_creation": false,
        "availability_zone": az(env, i),
        "availability_zone_id": env.az_ids[i % 3],
        "cidr_block": cidr,
        "customer_owned_ipv4_pool": "",
        "enable_dns64": false,
        "enable_lni_at_device_index": 0,
        "enable_resource_name_dns_a_record_on_launch": false,
        "enable_resource_name_dns_aaaa_record_on_launch": false,
        "id": id,
        "ipv6_cidr_block": "",
        "ipv6_cidr_block_association_id": "",
        "ipv6_native": false,
        "map_customer_owned_ip_on_launch": false,
        "map_public_ip_on_launch": map_public,
        "outpost_arn": "",
        "owner_id": env.account,
        "private_dns_hostname_type_on_launch": "ip-name",
        "tags": tags(env, &name, "platform", None),
        "tags_all": tags(env, &name, "platform", None),
        "timeouts": null,
        "vpc_id": vpc_id(env),
    })
}

fn nat_ip(env: &EnvSpec, i: usize) -> String {
    format!("10.{}.{i}.{}", env.octet, 20 + 17 * i)
}

fn eip(env: &EnvSpec, i: usize) -> Value {
    let id = aws_id(env, "eipalloc", Block::Eip, i);
    let h = hash(env, Block::Eip, i);
    let public_ip = format!(
        "{}.{}.{}.{}",
        3 + h % 50,
        (h >> 8) % 256,
        (h >> 16) % 256,
        (h >> 24) % 250 + 1
    );
    let dashed = public_ip.replace('.', "-");
    let name = format!("nat-eip-{}", ['a', 'b', 'c'][i % 3]);
    json!({
        "address": null,
        "allocation_id": id,
        "arn": arn(env, "ec2", &format!("elastic-ip/{id}")),
        "associate_with_private_ip": null,
        "association_id": aws_id(env, "eipassoc", Block::EipAssoc, i),
        "carrier_ip": "",
        "customer_owned_ip": "",
        "customer_owned_ipv4_pool": "",
        "domain": "vpc",
        "id": id,
        "instance": "",
        "ipam_pool_id": null,
        "network_border_group": env.region,
        "network_interface": aws_id(env, "eni", Block::Eni, 1_000_000 + i),
        "private_dns": format!("ip-{}.{}.compute.internal", nat_ip(env, i).replace('.', "-"), env.region),
        "private_ip": nat_ip(env, i),
        "ptr_record": "",
        "public_dns": format!("ec2-{dashed}.{}.compute.amazonaws.com", env.region),
        "public_ip": public_ip,
        "public_ipv4_pool": "amazon",
        "tags": tags(env, &name, "platform", None),
        "tags_all": tags(env, &name, "platform", None),
        "timeouts": null,
        "vpc": true,
    })
}

fn nat(env: &EnvSpec, i: usize) -> Value {
    let name = format!("nat-{}", ['a', 'b', 'c'][i % 3]);
    json!({
        "allocation_id": aws_id(env, "eipalloc", Block::Eip, i),
        "association_id": aws_id(env, "eipassoc", Block::EipAssoc, i),
        "connectivity_type": "public",
        "id": aws_id(env, "nat", Block::Nat, i),
        "network_interface_id": aws_id(env, "eni", Block::Eni, 1_000_000 + i),
        "private_ip": nat_ip(env, i),
        "public_ip": eip(env, i)["public_ip"].clone(),
        "secondary_allocation_ids": [],
        "secondary_private_ip_address_count": 0,
        "secondary_private_ip_addresses": [],
        "subnet_id": aws_id(env, "subnet", Block::SubnetPublic, i),
        "tags": tags(env, &name, "platform", None),
        "tags_all": tags(env, &name, "platform", None),
        "timeouts": null,
    })
}

fn route_table(env: &EnvSpec, public: bool, i: usize) -> Value {
    let (block, name) = if public {
        (Block::RouteTablePublic, "public".to_string())
    } else {
        (
            Block::RouteTablePrivate,
            format!("private-{}{}", ['a', 'b', 'c'][i % 3], i / 3),
        )
    };
    let id = aws_id(env, "rtb", block, i);
    let routes = if public {
        let igw = aws_id(env, "igw", Block::Igw, 0);
        vec![
            route(&[
                ("cidr_block", "0.0.0.0/0".into()),
                ("gateway_id", igw.clone()),
            ]),
            route(&[("ipv6_cidr_block", "::/0".into()), ("gateway_id", igw)]),
        ]
    } else {
        let nat_index = (if drifted(env, block, i) { i + 1 } else { i }) % NATS;
        vec![
            route(&[
                ("cidr_block", "0.0.0.0/0".into()),
                ("nat_gateway_id", aws_id(env, "nat", Block::Nat, nat_index)),
            ]),
            route(&[
                ("cidr_block", "172.16.0.0/12".into()),
                ("transit_gateway_id", aws_id(env, "tgw", Block::Tgw, 0)),
            ]),
            route(&[
                ("cidr_block", "192.168.0.0/16".into()),
                (
                    "vpc_peering_connection_id",
                    aws_id(env, "pcx", Block::Pcx, 0),
                ),
            ]),
        ]
    };
    json!({
        "arn": arn(env, "ec2", &format!("route-table/{id}")),
        "id": id,
        "owner_id": env.account,
        "propagating_vgws": [],
        "route": routes,
        "tags": tags(env, &name, "platform", None),
        "tags_all": tags(env, &name, "platform", None),
        "timeouts": null,
        "vpc_id": vpc_id(env),
    })
}

fn rta(env: &EnvSpec, public: bool, i: usize) -> Value {
    let (block, rt, subnet) = if public {
        (
            Block::RtaPublic,
            aws_id(env, "rtb", Block::RouteTablePublic, 0),
            aws_id(env, "subnet", Block::SubnetPublic, i),
        )
    } else {
        (
            Block::RtaPrivate,
            aws_id(env, "rtb", Block::RouteTablePrivate, i),
            aws_id(env, "subnet", Block::SubnetPrivate, i),
        )
    };
    json!({
        "gateway_id": "",
        "id": aws_id(env, "rtbassoc", block, i),
        "route_table_id": rt,
        "subnet_id": subnet,
        "timeouts": null,
    })
}

fn alb_sg_id(env: &EnvSpec) -> String {
    aws_id(env, "sg", Block::SgAlb, 0)
}

fn sg_alb(env: &EnvSpec) -> Value {
    let id = alb_sg_id(env);
    let any = vec!["0.0.0.0/0".to_string()];
    json!({
        "arn": arn(env, "ec2", &format!("security-group/{id}")),
        "description": "Public HTTPS to the shared load balancer",
        "egress": [egress_all()],
        "id": id,
        "ingress": [
            sg_rule(&any, &["::/0"], "HTTPS from the internet", 443, 443, "tcp", &[], false),
            sg_rule(&any, &["::/0"], "HTTP redirect", 80, 80, "tcp", &[], false),
        ],
        "name": format!("{}-alb", env.name),
        "name_prefix": "",
        "owner_id": env.account,
        "revoke_rules_on_delete": false,
        "tags": tags(env, "alb", "platform", None),
        "tags_all": tags(env, "alb", "platform", None),
        "timeouts": null,
        "vpc_id": vpc_id(env),
    })
}

fn lb_dns_name(env: &EnvSpec) -> String {
    format!(
        "{}-shared-{}.{}.elb.amazonaws.com",
        env.name,
        hash(env, Block::AlbArn, 0) % 10_000_000_000,
        env.region
    )
}

fn lb(env: &EnvSpec) -> Value {
    let suffix = format!(
        "app/{}-shared/{:016x}",
        env.name,
        hash(env, Block::AlbArn, 1)
    );
    let id = arn(
        env,
        "elasticloadbalancing",
        &format!("loadbalancer/{suffix}"),
    );
    let subnets: Vec<String> = (0..PUBLIC_SUBNETS)
        .map(|i| aws_id(env, "subnet", Block::SubnetPublic, i))
        .collect();
    let mapping: Vec<Value> = subnets
        .iter()
        .map(|s| {
            json!({
                "allocation_id": "",
                "ipv6_address": "",
                "outpost_id": "",
                "private_ipv4_address": "",
                "subnet_id": s,
            })
        })
        .collect();
    let logs =
        json!([{"bucket": format!("acme-{}-logs", env.name), "enabled": true, "prefix": "alb"}]);
    json!({
        "access_logs": logs,
        "arn": id,
        "arn_suffix": suffix,
        "client_keep_alive": 3600,
        "connection_logs": [{"bucket": "", "enabled": false, "prefix": ""}],
        "customer_owned_ipv4_pool": "",
        "desync_mitigation_mode": "defensive",
        "dns_name": lb_dns_name(env),
        "drop_invalid_header_fields": true,
        "enable_cross_zone_load_balancing": true,
        "enable_deletion_protection": true,
        "enable_http2": true,
        "enable_waf_fail_open": false,
        "id": id,
        "idle_timeout": 60,
        "internal": false,
        "ip_address_type": "ipv4",
        "load_balancer_type": "application",
        "name": format!("{}-shared", env.name),
        "name_prefix": "",
        "preserve_host_header": false,
        "security_groups": [alb_sg_id(env)],
        "subnet_mapping": mapping,
        "subnets": subnets,
        "tags": tags(env, "shared", "platform", None),
        "tags_all": tags(env, "shared", "platform", None),
        "timeouts": null,
        "vpc_id": vpc_id(env),
        "xff_header_processing_mode": "append",
        "zone_id": env.elb_zone,
    })
}

fn zone(env: &EnvSpec) -> Value {
    let id = zone_id(env);
    json!({
        "arn": format!("arn:aws:route53:::hostedzone/{id}"),
        "comment": "Managed by Terraform",
        "delegation_set_id": "",
        "force_destroy": false,
        "id": id,
        "name": format!("{}.internal", env.name),
        "name_servers": [
            format!("ns-0.awsdns-{:02}.com.", hash(env, Block::Zone, 1) % 64),
            format!("ns-512.awsdns-{:02}.net.", hash(env, Block::Zone, 2) % 64),
            format!("ns-1024.awsdns-{:02}.org.", hash(env, Block::Zone, 3) % 64),
            format!("ns-1536.awsdns-{:02}.co.uk.", hash(env, Block::Zone, 4) % 64),
        ],
        "primary_name_server": format!("ns-0.awsdns-{:02}.com.", hash(env, Block::Zone, 1) % 64),
        "tags": tags(env, "internal-zone", "platform", None),
        "tags_all": tags(env, "internal-zone", "platform", None),
        "timeouts": null,
        "vpc": [{"vpc_id": vpc_id(env), "vpc_region": env.region}],
        "zone_id": id,
    })
}

fn bucket(env: &EnvSpec, name: &str, team: &str, service: Option<&str>, versioned: bool) -> Value {
    let bucket = format!("acme-{}-{name}", env.name);
    json!({
        "acceleration_status": "",
        "acl": null,
        "arn": format!("arn:aws:s3:::{bucket}"),
        "bucket": bucket,
        "bucket_domain_name": format!("{bucket}.s3.amazonaws.com"),
        "bucket_prefix": "",
        "bucket_regional_domain_name": format!("{bucket}.s3.{}.amazonaws.com", env.region),
        "cors_rule": [],
        "force_destroy": false,
        "id": bucket,
        "lifecycle_rule": [],
        "logging": [],
        "object_lock_configuration": [],
        "object_lock_enabled": false,
        "policy": "",
        "region": env.region,
        "replication_configuration": [],
        "request_payer": "BucketOwner",
        "server_side_encryption_configuration": [{
            "rule": [{
                "apply_server_side_encryption_by_default": [{
                    "kms_master_key_id": "",
                    "sse_algorithm": "AES256",
                }],
                "bucket_key_enabled": false,
            }],
        }],
        "tags": tags(env, name, team, service),
        "tags_all": tags(env, name, team, service),
        "timeouts": null,
        "versioning": [{"enabled": versioned, "mfa_delete": false}],
        "website": [],
        "website_domain": null,
        "website_endpoint": null,
    })
}

fn record(
    env: &EnvSpec,
    name: &str,
    rtype: &str,
    records: Vec<String>,
    ttl: u32,
    block: Block,
    index: usize,
) -> Value {
    let ttl = if drifted(env, block, index) { 60 } else { ttl };
    let fqdn = format!("{name}.{}.internal", env.name);
    networks::dns_record(zone_id(env), fqdn, rtype, records, ttl)
}

/// A record of the root `aws_route53_record.host` set: an alias to the shared load
/// balancer for most, a CNAME for every fifth.
fn host_record(env: &EnvSpec, key: &str, index: usize) -> Value {
    if index % 5 == 4 {
        return record(
            env,
            key,
            "CNAME",
            vec![format!("{key}.{}.example.com", env.name)],
            300,
            Block::HostRecord,
            index,
        );
    }
    let mut v = record(env, key, "A", Vec::new(), 0, Block::HostRecord, index);
    if let Some(obj) = v.as_object_mut() {
        obj.insert("records".into(), Value::Null);
        obj.insert(
            "alias".into(),
            json!([{
                "evaluate_target_health": true,
                "name": lb_dns_name(env),
                "zone_id": env.elb_zone,
            }]),
        );
        if drifted(env, Block::HostRecord, index) {
            // One finding: the record answers the same name, health-checked otherwise.
            obj.insert(
                "alias".into(),
                json!([{
                    "evaluate_target_health": false,
                    "name": lb_dns_name(env),
                    "zone_id": env.elb_zone,
                }]),
            );
        }
    }
    v
}

// ---- module.service -----------------------------------------------------------------

fn service_sg_id(env: &EnvSpec, s: usize) -> String {
    aws_id(env, "sg", Block::ServiceSg, s)
}

fn service_sg(env: &EnvSpec, s: usize, key: &str, team: &str) -> Value {
    let id = service_sg_id(env, s);
    let port = 8000 + (s % 50) as u16;
    // A planted change widens the range: one finding (the firewall lens reports a
    // moved port as two, one allowance gained and one lost).
    let metrics_to = if drifted(env, Block::ServiceSg, s) {
        9200
    } else {
        9100
    };
    json!({
        "arn": arn(env, "ec2", &format!("security-group/{id}")),
        "description": format!("Service {key}"),
        "egress": [egress_all()],
        "id": id,
        "ingress": [
            sg_rule(&[], &[], "HTTP from the load balancer", port, port, "tcp", &[alb_sg_id(env)], false),
            sg_rule(&[vpc_cidr(env)], &[], "metrics from the VPC", 9100, metrics_to, "tcp", &[], false),
            sg_rule(&[], &[], "intra-service", 0, 65535, "tcp", &[], true),
        ],
        "name": format!("{}-{key}", env.name),
        "name_prefix": "",
        "owner_id": env.account,
        "revoke_rules_on_delete": false,
        "tags": tags(env, key, team, Some(key)),
        "tags_all": tags(env, key, team, Some(key)),
        "timeouts": null,
        "vpc_id": vpc_id(env),
    })
}

fn service_role(env: &EnvSpec, s: usize, key: &str, team: &str) -> Value {
    let name = format!("{}-{key}", env.name);
    let duration = if drifted(env, Block::ServiceRole, s) {
        7200
    } else {
        3600
    };
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    json!({
        "arn": format!("arn:aws:iam::{}:role/{name}", env.account),
        "assume_role_policy": policy,
        "create_date": "2024-05-14T09:21:07Z",
        "description": format!("Instance role of {key}"),
        "force_detach_policies": false,
        "id": name,
        "inline_policy": [],
        "managed_policy_arns": [
            "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
            format!("arn:aws:iam::{}:policy/{}-service-base", env.account, env.name),
        ],
        "max_session_duration": duration,
        "name": name,
        "name_prefix": "",
        "path": "/",
        "permissions_boundary": "",
        "tags": tags(env, key, team, Some(key)),
        "tags_all": tags(env, key, team, Some(key)),
        "unique_id": upper_id(env, "AROA", Block::RoleUnique, s, 17),
    })
}

fn service_instance(env: &EnvSpec, s: usize, j: usize, key: &str, team: &str) -> Value {
    let g = s * SERVICE_HOSTS + j;
    let id = aws_id(env, "i", Block::ServiceInstance, g);
    let (ip, subnet) = host_ip(env, g);
    let instance_type = match (s % 4, drifted(env, Block::ServiceInstance, g)) {
        (0 | 1, false) => "m5.large",
        (0 | 1, true) => "m5.xlarge",
        (2, false) => "c6i.xlarge",
        (2, true) => "c6i.2xlarge",
        (_, false) => "r6g.large",
        (_, true) => "r6g.xlarge",
    };
    let name = format!("{key}-{j}");
    let volume_size = 20 + 10 * (s % 3);
    json!({
        "ami": aws_id(env, "ami", Block::Ami, s % 7),
        "arn": arn(env, "ec2", &format!("instance/{id}")),
        "associate_public_ip_address": false,
        "availability_zone": az(env, subnet),
        "cpu_options": [{"amd_sev_snp": "", "core_count": 1, "threads_per_core": 2}],
        "disable_api_stop": false,
        "disable_api_termination": false,
        "ebs_block_device": [],
        "ebs_optimized": true,
        "get_password_data": false,
        "hibernation": false,
        "iam_instance_profile": format!("{}-{key}", env.name),
        "id": id,
        "instance_initiated_shutdown_behavior": "stop",
        "instance_state": "running",
        "instance_type": instance_type,
        "ipv6_address_count": 0,
        "ipv6_addresses": [],
        "key_name": format!("{}-ops", env.name),
        "metadata_options": [{
            "http_endpoint": "enabled",
            "http_protocol_ipv6": "disabled",
            "http_put_response_hop_limit": 2,
            "http_tokens": "required",
            "instance_metadata_tags": "disabled",
        }],
        "monitoring": true,
        "placement_group": "",
        "primary_network_interface_id": aws_id(env, "eni", Block::Eni, g),
        "private_dns": format!("ip-{}.{}.compute.internal", ip.replace('.', "-"), env.region),
        "private_ip": ip,
        "public_dns": "",
        "public_ip": "",
        "root_block_device": [{
            "delete_on_termination": true,
            "device_name": "/dev/xvda",
            "encrypted": true,
            "iops": 3000,
            "kms_key_id": arn(env, "kms", &format!("key/{}", uuid(env, Block::KmsKey, 0))),
            "tags": {},
            "throughput": 125,
            "volume_id": aws_id(env, "vol", Block::Volume, g),
            "volume_size": volume_size,
            "volume_type": "gp3",
        }],
        "secondary_private_ips": [],
        "security_groups": [],
        "source_dest_check": true,
        "subnet_id": aws_id(env, "subnet", Block::SubnetPrivate, subnet),
        "tags": tags(env, &name, team, Some(key)),
        "tags_all": tags(env, &name, team, Some(key)),
        "tenancy": "default",
        "timeouts": null,
        // SHA-1 of the user data: the same per service in every environment.
        "user_data": format!("{:016x}{:016x}{:08x}", mix(s as u64), mix(!(s as u64)), mix(s as u64 ^ 0x5eed) >> 32),
        "user_data_replace_on_change": false,
        "volume_tags": null,
        "vpc_security_group_ids": [service_sg_id(env, s)],
    })
}

// ---- writer ---------------------------------------------------------------------------

/// Streams a state file in Terraform's layout (two-space indentation, keys sorted).
struct StateWriter {
    out: BufWriter<File>,
    buf: Vec<u8>,
    first_resource: bool,
    first_instance: bool,
    instances: usize,
}

impl StateWriter {
    fn new(file: File, env: &EnvSpec) -> StateWriter {
        let mut w = StateWriter {
            out: BufWriter::with_capacity(1 << 20, file),
            buf: Vec::with_capacity(1 << 16),
            first_resource: true,
            first_instance: true,
            instances: 0,
        };
        let _ = write!(
            w.buf,
            "{{\n  \"version\": 4,\n  \"terraform_version\": \"1.9.5\",\n  \"serial\": 1,\n  \"lineage\": \"{}\",\n  \"outputs\": {{}},\n  \"resources\": [",
            env.lineage
        );
        w
    }

    fn begin_resource(&mut self, module: Option<&str>, rtype: &str, name: &str) {
        if !self.first_resource {
            self.buf.push(b',');
        }
        self.first_resource = false;
        self.first_instance = true;
        self.buf.extend_from_slice(b"\n    {\n");
        if let Some(m) = module {
            self.buf.extend_from_slice(b"      \"module\": ");
            write_string(&mut self.buf, m);
            self.buf.extend_from_slice(b",\n");
        }
        let _ = write!(
            self.buf,
            "      \"mode\": \"managed\",\n      \"type\": \"{rtype}\",\n      \"name\": \"{name}\",\n      \"provider\": \"provider[\\\"registry.terraform.io/hashicorp/aws\\\"]\",\n      \"instances\": ["
        );
    }

    fn instance(&mut self, key: Option<Value>, attributes: &Value, dependencies: &[&str]) {
        if !self.first_instance {
            self.buf.push(b',');
        }
        self.first_instance = false;
        self.instances += 1;
        self.buf.extend_from_slice(b"\n        {\n");
        if let Some(k) = key {
            self.buf.extend_from_slice(b"          \"index_key\": ");
            write_pretty(&mut self.buf, &k, 10);
            self.buf.extend_from_slice(b",\n");
        }
        self.buf
            .extend_from_slice(b"          \"schema_version\": 0,\n          \"attributes\": ");
        write_pretty(&mut self.buf, attributes, 10);
        self.buf.extend_from_slice(
            b",\n          \"sensitive_attributes\": [],\n          \"private\": \"bnVsbA==\"",
        );
        if !dependencies.is_empty() {
            self.buf
                .extend_from_slice(b",\n          \"dependencies\": [");
            for (i, d) in dependencies.iter().enumerate() {
                if i > 0 {
                    self.buf.push(b',');
                }
                self.buf.extend_from_slice(b"\n            ");
                write_string(&mut self.buf, d);
            }
            self.buf.extend_from_slice(b"\n          ]");
        }
        self.buf.extend_from_slice(b"\n        }");
        self.flush_buf();
    }

    fn end_resource(&mut self) {
        self.buf.extend_from_slice(b"\n      ]\n    }");
    }

    fn flush_buf(&mut self) {
        if self.buf.len() >= 1 << 15 {
            self.out
                .write_all(&self.buf)
                .unwrap_or_else(|e| fail(&format!("cannot write state: {e}")));
            self.buf.clear();
        }
    }

    fn finish(mut self) -> usize {
        self.buf
            .extend_from_slice(b"\n  ],\n  \"check_results\": null\n}\n");
        // Synced, so that write-back does not run during the first measurements.
        self.out
            .write_all(&self.buf)
            .and_then(|_| self.out.flush())
            .and_then(|_| self.out.get_ref().sync_all())
            .unwrap_or_else(|e| fail(&format!("cannot write state: {e}")));
        self.instances
    }

    /// One resource block with one instance (no `count` / `for_each`).
    fn single(&mut self, module: Option<&str>, rtype: &str, name: &str, v: &Value, deps: &[&str]) {
        self.begin_resource(module, rtype, name);
        self.instance(None, v, deps);
        self.end_resource();
    }
}

fn write_string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    for c in s.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\t' => out.extend_from_slice(b"\\t"),
            '\r' => out.extend_from_slice(b"\\r"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let mut b = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
            }
        }
    }
    out.push(b'"');
}

fn indent(out: &mut Vec<u8>, n: usize) {
    out.push(b'\n');
    out.resize(out.len() + n, b' ');
}

/// Go's `json.MarshalIndent(v, "", "  ")` layout, starting at column `level`.
fn write_pretty(out: &mut Vec<u8>, v: &Value, level: usize) {
    match v {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Value::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Value::String(s) => write_string(out, s),
        Value::Array(a) if a.is_empty() => out.extend_from_slice(b"[]"),
        Value::Object(o) if o.is_empty() => out.extend_from_slice(b"{}"),
        Value::Array(a) => {
            out.push(b'[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                indent(out, level + 2);
                write_pretty(out, x, level + 2);
            }
            indent(out, level);
            out.push(b']');
        }
        Value::Object(o) => {
            out.push(b'{');
            for (i, (k, x)) in o.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                indent(out, level + 2);
                write_string(out, k);
                out.extend_from_slice(b": ");
                write_pretty(out, x, level + 2);
            }
            indent(out, level);
            out.push(b'}');
        }
    }
}

/// What one generated file holds.
struct Generated {
    instances: usize,
    drifted: usize,
    only_here: usize,
}

fn generate(env: &EnvSpec, layout: &Layout, path: &Path) -> Generated {
    let tmp = path.with_extension("tfstate.partial");
    let file = File::create(&tmp).unwrap_or_else(|e| fail(&format!("{}: {e}", tmp.display())));
    let mut w = StateWriter::new(file, env);
    let mut drift = 0usize;
    let mut count_drift = |block: Block, index: usize| {
        if drifted(env, block, index) {
            drift += 1;
        }
    };

    // Root module: the network and shared resources.
    let vpc_dep = ["aws_vpc.main"];
    w.single(None, "aws_vpc", "main", &vpc(env), &[]);
    w.single(None, "aws_internet_gateway", "main", &igw(env), &vpc_dep);
    for (public, name, n, block) in [
        (true, "public", PUBLIC_SUBNETS, Block::SubnetPublic),
        (false, "private", PRIVATE_SUBNETS, Block::SubnetPrivate),
    ] {
        w.begin_resource(None, "aws_subnet", name);
        for i in 0..n {
            count_drift(block, i);
            w.instance(Some(Value::from(i)), &subnet(env, public, i), &vpc_dep);
        }
        w.end_resource();
    }
    w.begin_resource(None, "aws_eip", "nat");
    for i in 0..NATS {
        w.instance(
            Some(Value::from(i)),
            &eip(env, i),
            &["aws_internet_gateway.main", "aws_vpc.main"],
        );
    }
    w.end_resource();
    w.begin_resource(None, "aws_nat_gateway", "main");
    for i in 0..NATS {
        w.instance(
            Some(Value::from(i)),
            &nat(env, i),
            &[
                "aws_eip.nat",
                "aws_internet_gateway.main",
                "aws_subnet.public",
                "aws_vpc.main",
            ],
        );
    }
    w.end_resource();
    w.single(
        None,
        "aws_route_table",
        "public",
        &route_table(env, true, 0),
        &["aws_internet_gateway.main", "aws_vpc.main"],
    );
    let private_rt_deps = [
        "aws_eip.nat",
        "aws_internet_gateway.main",
        "aws_nat_gateway.main",
        "aws_subnet.public",
        "aws_vpc.main",
    ];
    w.begin_resource(None, "aws_route_table", "private");
    for i in 0..PRIVATE_SUBNETS {
        count_drift(Block::RouteTablePrivate, i);
        w.instance(
            Some(Value::from(i)),
            &route_table(env, false, i),
            &private_rt_deps,
        );
    }
    w.end_resource();
    w.begin_resource(None, "aws_route_table_association", "public");
    for i in 0..PUBLIC_SUBNETS {
        w.instance(
            Some(Value::from(i)),
            &rta(env, true, i),
            &[
                "aws_internet_gateway.main",
                "aws_route_table.public",
                "aws_subnet.public",
                "aws_vpc.main",
            ],
        );
    }
    w.end_resource();
    w.begin_resource(None, "aws_route_table_association", "private");
    for i in 0..PRIVATE_SUBNETS {
        w.instance(
            Some(Value::from(i)),
            &rta(env, false, i),
            &[
                "aws_eip.nat",
                "aws_internet_gateway.main",
                "aws_nat_gateway.main",
                "aws_route_table.private",
                "aws_subnet.private",
                "aws_subnet.public",
                "aws_vpc.main",
            ],
        );
    }
    w.end_resource();
    w.single(None, "aws_security_group", "alb", &sg_alb(env), &vpc_dep);
    w.single(
        None,
        "aws_lb",
        "shared",
        &lb(env),
        &[
            "aws_security_group.alb",
            "aws_subnet.public",
            "aws_vpc.main",
        ],
    );
    w.single(None, "aws_route53_zone", "internal", &zone(env), &vpc_dep);
    w.single(
        None,
        "aws_s3_bucket",
        "logs",
        &bucket(env, "logs", "platform", None, true),
        &[],
    );

    // A large for_each set of DNS records, a few of them in one environment only.
    let common = layout.host_records - ONLY_IN_ONE;
    let only_prefix = if env.staging { "canary" } else { "legacy" };
    let mut keys: Vec<(String, usize)> = (0..common).map(|i| (format!("host-{i:05}"), i)).collect();
    keys.extend((0..ONLY_IN_ONE).map(|i| (format!("{only_prefix}-{i:05}"), common + i)));
    keys.sort();
    w.begin_resource(None, "aws_route53_record", "host");
    for (key, index) in &keys {
        if *index < common {
            count_drift(Block::HostRecord, *index);
        }
        w.instance(
            Some(Value::from(key.as_str())),
            &host_record(env, key, *index),
            &[
                "aws_lb.shared",
                "aws_route53_zone.internal",
                "aws_security_group.alb",
                "aws_subnet.public",
                "aws_vpc.main",
            ],
        );
    }
    w.end_resource();

    // module.service["svc-NNNNN"]: one per service.
    let svc_sg_deps = ["aws_security_group.alb", "aws_vpc.main"];
    let instance_deps = [
        "aws_security_group.alb",
        "aws_subnet.private",
        "aws_vpc.main",
        "module.service.aws_iam_role.this",
        "module.service.aws_security_group.this",
    ];
    let record_deps = [
        "aws_route53_zone.internal",
        "aws_security_group.alb",
        "aws_subnet.private",
        "aws_vpc.main",
        "module.service.aws_iam_role.this",
        "module.service.aws_instance.this",
        "module.service.aws_security_group.this",
    ];
    for s in 0..layout.services {
        let key = service_key(s);
        let module = format!("module.service[\"{key}\"]");
        let m = Some(module.as_str());
        let team = TEAMS[s % TEAMS.len()];

        w.begin_resource(m, "aws_iam_role", "this");
        count_drift(Block::ServiceRole, s);
        w.instance(None, &service_role(env, s, &key, team), &[]);
        w.end_resource();

        w.begin_resource(m, "aws_instance", "this");
        for j in 0..SERVICE_HOSTS {
            count_drift(Block::ServiceInstance, s * SERVICE_HOSTS + j);
            w.instance(
                Some(Value::from(j)),
                &service_instance(env, s, j, &key, team),
                &instance_deps,
            );
        }
        w.end_resource();

        w.begin_resource(m, "aws_route53_record", "this");
        for j in 0..SERVICE_HOSTS {
            let g = s * SERVICE_HOSTS + j;
            count_drift(Block::ServiceRecord, g);
            let (ip, _) = host_ip(env, g);
            w.instance(
                Some(Value::from(j)),
                &record(
                    env,
                    &format!("{key}-{j}"),
                    "A",
                    vec![ip],
                    300,
                    Block::ServiceRecord,
                    g,
                ),
                &record_deps,
            );
        }
        w.end_resource();

        w.begin_resource(m, "aws_s3_bucket", "data");
        count_drift(Block::ServiceBucket, s);
        let versioned = !drifted(env, Block::ServiceBucket, s);
        w.instance(
            None,
            &bucket(env, &format!("{key}-data"), team, Some(&key), versioned),
            &[],
        );
        w.end_resource();

        w.begin_resource(m, "aws_security_group", "this");
        count_drift(Block::ServiceSg, s);
        w.instance(None, &service_sg(env, s, &key, team), &svc_sg_deps);
        w.end_resource();
    }

    let instances = w.finish();
    fs::rename(&tmp, path).unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
    Generated {
        instances,
        drifted: drift,
        only_here: ONLY_IN_ONE,
    }
}
