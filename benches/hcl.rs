//! Benchmark of loading and evaluating a large HCL root module against a parsing floor.
//!
//! `cargo bench --bench hcl [-- --modules N --runs N]` (or `just bench-hcl`).
//!
//! 1. Generates a module tree under `target/bench-hcl/`: a root module calling N local
//!    modules (20 by default), each of 10 files of 12 blocks — security groups with
//!    `dynamic` rules, subnets by `count` with `cidrsubnet`, records by `for_each`,
//!    locals, variables with types, outputs — some called once and some with
//!    `for_each` over two keys. Every module is written in two syntaxes' worth of
//!    realistic expressions (templates, conditionals, `for`, splats, function calls).
//! 2. Measures, best of R runs (5 by default), in this process (with a pause after each
//!    load, so that the memory it frees on another thread is freed before the next floor):
//!    - the floor: read every `.tf` file of the tree and parse it with hcl-rs
//!      (`hcl::parse`) — parsing the same files and nothing more;
//!    - load + evaluate: `tfparity::source::hcl::load` of the root module, which reads,
//!      parses (in parallel), evaluates every module instance and builds the resources.
//! 3. Prints both, the number of resource instances built, and the ratio against the
//!    target (at most 2× the floor). It never asserts: it only reports.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const FILES_PER_MODULE: usize = 10;
const BLOCKS_PER_FILE: usize = 12;

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One file of module `m`: `BLOCKS_PER_FILE` blocks of a few kinds, in rotation.
fn module_file(m: usize, f: usize) -> String {
    let mut s = String::new();
    for b in 0..BLOCKS_PER_FILE {
        let n = f * BLOCKS_PER_FILE + b;
        let _ = match b % 4 {
            0 => write!(
                s,
                r#"
resource "aws_security_group" "sg_{n}" {{
  name        = "${{var.env}}-m{m}-sg-{n}"
  description = "Service {n} of module {m}"
  vpc_id      = var.vpc_id

  dynamic "ingress" {{
    for_each = var.ports
    content {{
      description = "port ${{ingress.value}}"
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = var.public ? ["0.0.0.0/0"] : [var.cidr]
    }}
  }}

  egress {{
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }}

  tags = merge(local.tags, {{ Name = format("%s-m{m}-%03d", var.env, {n}) }})
}}
"#
            ),
            1 => write!(
                s,
                r#"
resource "aws_subnet" "net_{n}" {{
  count             = length(var.zones)
  vpc_id            = var.vpc_id
  cidr_block        = cidrsubnet(var.cidr, 8, count.index + {n} % 200)
  availability_zone = "${{var.region}}${{var.zones[count.index]}}"
  tags              = merge(local.tags, {{ Name = "${{var.env}}-m{m}-net-{n}-${{count.index}}", Tier = count.index == 0 ? "public" : "private" }})
}}
"#
            ),
            2 => write!(
                s,
                r#"
resource "aws_route53_record" "rec_{n}" {{
  for_each = toset([for p in var.ports : tostring(p)])
  zone_id  = var.zone_id
  name     = "svc{n}-${{each.key}}.${{var.env}}.example.com"
  type     = "CNAME"
  ttl      = lookup(local.ttls, var.env, 300)
  records  = ["lb-${{var.env}}.example.com"]
}}
"#
            ),
            _ => write!(
                s,
                r#"
locals {{
  names_{n} = [for i, z in var.zones : upper("${{z}}-{n}-${{i}}")]
}}

output "sg_{n}" {{
  value = aws_security_group.sg_{}.id
}}
"#,
                n - 3
            ),
        };
    }
    s
}

fn module_vars() -> &'static str {
    r#"
variable "env" { type = string }
variable "region" { type = string }
variable "vpc_id" { type = string }
variable "zone_id" { type = string }
variable "cidr" { type = string }
variable "public" {
  type    = bool
  default = false
}
variable "ports" { type = list(number) }
variable "zones" {
  type    = list(string)
  default = ["a", "b", "c"]
}

locals {
  tags = {
    Environment = var.env
    ManagedBy   = "terraform"
  }
  ttls = { prod = 300, staging = 60 }
}
"#
}

fn root(modules: usize) -> String {
    let mut s = String::from(
        r#"
variable "env" {
  type    = string
  default = "prod"
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
  tags       = { Name = "${var.env}-main" }
}

resource "aws_route53_zone" "internal" {
  name = "${var.env}.example.com"
}
"#,
    );
    for m in 0..modules {
        let repeat = if m % 3 == 0 {
            "  for_each = { blue = 1, green = 2 }\n"
        } else {
            ""
        };
        let _ = write!(
            s,
            r#"
module "m{m}" {{
  source  = "./modules/m{m}"
{repeat}  env     = var.env
  region  = "us-east-1"
  vpc_id  = aws_vpc.main.id
  zone_id = aws_route53_zone.internal.zone_id
  cidr    = cidrsubnet(aws_vpc.main.cidr_block, 4, {slot})
  public  = {public}
  ports   = [443, {port}]
}}
"#,
            slot = m % 16,
            public = m % 5 == 0,
            port = 8000 + m,
        );
    }
    s
}

/// Writes the tree once; returns the root and every `.tf` file.
fn generate(modules: usize) -> std::io::Result<(PathBuf, Vec<PathBuf>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench-hcl/{modules}"));
    let mut files = Vec::new();
    let write = |p: &Path, text: &str, files: &mut Vec<PathBuf>| -> std::io::Result<()> {
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(p, text)?;
        files.push(p.to_path_buf());
        Ok(())
    };
    write(&dir.join("main.tf"), &root(modules), &mut files)?;
    for m in 0..modules {
        let md = dir.join(format!("modules/m{m}"));
        write(&md.join("variables.tf"), module_vars(), &mut files)?;
        for f in 0..FILES_PER_MODULE {
            write(&md.join(format!("f{f}.tf")), &module_file(m, f), &mut files)?;
        }
    }
    Ok((dir, files))
}

fn main() {
    let modules = arg("--modules", 20);
    let runs = arg("--runs", 5).max(1);
    let (root, files) = match generate(modules) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("bench: cannot write the module tree: {e}");
            std::process::exit(1);
        }
    };
    let bytes: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    println!(
        "tfparity HCL benchmark: {} files, {:.1} MiB, {modules} modules under {}",
        files.len(),
        bytes as f64 / 1048576.0,
        root.display()
    );
    let mut floor = f64::MAX;
    let mut load = f64::MAX;
    let mut built = 0;
    for run in 1..=runs {
        let t = Instant::now();
        let mut blocks = 0;
        for f in &files {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            match hcl::parse(&text) {
                Ok(body) => blocks += body.blocks().count(),
                Err(e) => {
                    eprintln!("bench: hcl-rs cannot parse {}: {e}", f.display());
                    std::process::exit(1);
                }
            }
        }
        let f = t.elapsed().as_secs_f64();
        let t = Instant::now();
        match tfparity::source::hcl::load(&root, &[], "prod") {
            Ok((resources, warnings)) => {
                built = resources.len();
                if !warnings.is_empty() {
                    eprintln!("bench: {} warnings, first: {}", warnings.len(), warnings[0]);
                }
            }
            Err(e) => {
                eprintln!("bench: load failed: {e}");
                std::process::exit(1);
            }
        }
        let l = t.elapsed().as_secs_f64();
        // `load` frees what it parsed on another thread; let that finish before the next
        // measurement so that it does not slow the floor down.
        std::thread::sleep(std::time::Duration::from_millis(500));
        if std::env::var_os("TFPARITY_BENCH_SPLIT").is_some() {
            let t = Instant::now();
            let mut dirs: Vec<PathBuf> = files
                .iter()
                .filter_map(|f| f.parent().map(Path::to_path_buf))
                .collect();
            dirs.sort();
            dirs.dedup();
            for d in &dirs {
                let c = tfparity_hcl::confine::Confinement::only(&[d.as_path()]);
                let _ = tfparity_hcl::files::load_dir(d, &c);
            }
            println!(
                "    (of which reading and parsing into blocks: {:.3} s)",
                t.elapsed().as_secs_f64()
            );
        }
        println!("  run {run}: floor (hcl::parse, {blocks} top-level blocks) {f:.3} s   load+evaluate {l:.3} s");
        floor = floor.min(f);
        load = load.min(l);
    }
    let ratio = load / floor;
    println!(
        "  best: floor {floor:.3} s, load+evaluate {load:.3} s, {built} resource instances built"
    );
    println!(
        "  time ratio  load/floor = {ratio:.2}   target <= 2.00   {}",
        if ratio <= 2.0 { "PASS" } else { "FAIL" }
    );
}
