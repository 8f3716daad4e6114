//! The one integration-test binary for the command line: runs the real `tfparity`
//! binary on the cases under `testdata/cases/<name>/` (each has an `args` file with the
//! arguments after `compare`, paths relative to the case folder) and snapshots every
//! output format; then checks exit statuses, error output and secrets.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_tfparity")
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `tfparity` with `args` in `dir`.
fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .output()
        .expect("run tfparity")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn cases() -> Vec<(String, PathBuf, Vec<String>)> {
    let mut out = Vec::new();
    let dir = root().join("testdata/cases");
    for entry in std::fs::read_dir(&dir).expect("testdata/cases") {
        let path = entry.expect("entry").path();
        let Ok(args) = std::fs::read_to_string(path.join("args")) else {
            continue;
        };
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let args: Vec<String> = args.split_whitespace().map(String::from).collect();
        out.push((name, path, args));
    }
    out.sort();
    out
}

fn snapshot_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(root().join("tests/snapshots"));
    s.set_prepend_module_to_snapshot(false);
    s.add_filter(r#""version": "\d+\.\d+\.\d+""#, r#""version": "[version]""#);
    s.add_filter(&regex_escape(&root().display().to_string()), "[root]");
    s
}

fn regex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[test]
fn cases_snapshot_every_format() {
    let cases = cases();
    assert!(cases.len() >= 2, "expected cases under testdata/cases");
    let settings = snapshot_settings();
    for (name, dir, args) in cases {
        for format in ["table", "json", "markdown"] {
            let mut full: Vec<&str> = vec!["compare"];
            full.extend(args.iter().map(String::as_str));
            full.extend(["--format", format, "--color", "never"]);
            let out = run_in(&dir, &full);
            let stderr = text(&out.stderr);
            assert!(!stderr.contains("panicked"), "{name}: {stderr}");
            let code = out.status.code().expect("exit code");
            assert!(
                code == 0 || code == 2,
                "{name} {format}: exit {code}: {stderr}"
            );
            let snap = format!("exit: {code}\n{}", text(&out.stdout));
            settings.bind(|| insta::assert_snapshot!(format!("{name}@{format}"), snap));
        }
    }
}

#[test]
fn output_is_deterministic() {
    for (name, dir, args) in cases() {
        let mut full: Vec<&str> = vec!["compare"];
        full.extend(args.iter().map(String::as_str));
        full.extend(["--format", "json"]);
        let a = run_in(&dir, &full);
        let b = run_in(&dir, &full);
        assert_eq!(a.stdout, b.stdout, "{name}");
    }
}

/// Normalisation's placeholders are for comparing, never for reading: no output of any
/// case, in any format, shows one.
#[test]
fn no_placeholder_reaches_a_report() {
    const PLACEHOLDERS: &[&str] = &[
        "{region}",
        "{env}",
        "{account}",
        "{project}",
        "{uuid}",
        "{id}",
        "{zone}",
    ];
    for (name, dir, args) in cases() {
        for format in ["table", "json", "markdown", "sarif"] {
            let mut full: Vec<&str> = vec!["compare"];
            full.extend(args.iter().map(String::as_str));
            full.extend(["--format", format]);
            let out = run_in(&dir, &full);
            let text = format!("{}{}", text(&out.stdout), text(&out.stderr));
            for p in PLACEHOLDERS {
                assert!(!text.contains(p), "{name} ({format}) shows {p}:\n{text}");
            }
        }
    }
}

/// The bundled example pair shows exactly the differences it was built with.
#[test]
fn examples_show_their_planted_differences() {
    let out = run_in(
        &root(),
        &[
            "compare",
            "testdata/examples/prod.tfstate",
            "testdata/examples/staging.tfstate",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let mut got: Vec<String> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            format!(
                "{} {} {}",
                f["address"].as_str().unwrap_or(""),
                f["kind"].as_str().unwrap_or(""),
                f["attribute"].as_str().unwrap_or("-")
            )
        })
        .collect();
    got.sort();
    let want = [
        "aws_eip.nat[1] missing -",
        "aws_eip.nat[2] missing -",
        r#"aws_lb.web listener listener["443/tcp"]"#,
        "aws_nat_gateway.main[1] missing -",
        "aws_nat_gateway.main[2] missing -",
        r#"aws_route_table.private[1] route route["0.0.0.0/0"]"#,
        r#"aws_route_table.private[2] route route["0.0.0.0/0"]"#,
        "aws_security_group.web allows-more ingress",
        "aws_vpc.main nat-layout nat_gateways",
        "module.dns.aws_route53_record.www record ttl",
        "module.dns.aws_service_discovery_service.billing missing -",
    ];
    assert_eq!(got, want);
    let ssh = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["address"] == "aws_security_group.web")
        .expect("web sg finding");
    assert_eq!(
        ssh["message"], "staging additionally allows inbound tcp/22 from 0.0.0.0/0.",
        "{ssh}"
    );
    assert_eq!(ssh["severity"], "critical", "{ssh}");
}

/// One row per cause: the `groups` case's fan-outs and module instances are one group
/// each, every finding is kept with its group, and the exit status counts findings.
#[test]
fn findings_with_one_cause_are_one_group() {
    let dir = root().join("testdata/cases/groups");
    let args = ["compare", "prod.tfstate", "staging.tfstate"];
    let json = run_in(&dir, &[&args[..], &["--format", "json"]].concat());
    assert_eq!(json.status.code(), Some(2), "{}", text(&json.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    let findings = doc["findings"].as_array().expect("findings");
    let groups = doc["groups"].as_array().expect("groups");
    assert_eq!(findings.len(), 17);
    assert_eq!(doc["summary"]["findings"], 17);
    let got: Vec<String> = groups
        .iter()
        .map(|g| {
            format!(
                "{} {} {} {}",
                g["severity"].as_str().unwrap_or(""),
                g["kind"].as_str().unwrap_or(""),
                g["count"],
                g["subject"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            "medium listener 3 aws_lb.admin and 2 more",
            "high missing 6 module.frontdoor (2 instances)",
            "low attribute 4 aws_instance.worker[0] and 3 more",
            "medium missing 2 aws_sqs_queue.jobs (2 instances)",
            "medium missing 2 module.legacy_cdn",
        ]
    );
    // Each finding names its group, and each group lists exactly its members.
    for f in findings {
        let g = groups
            .iter()
            .find(|g| g["id"] == f["group"])
            .unwrap_or_else(|| panic!("no group for {f}"));
        assert!(
            g["members"].as_array().expect("members").contains(&f["id"]),
            "{f}"
        );
    }
    let table = run_in(&dir, &args);
    let out = text(&table.stdout);
    assert_eq!(table.status.code(), Some(2));
    assert!(out.contains("NETWORK (9 findings in 2 groups)"), "{out}");
    assert!(
        out.contains("17 findings in 5 groups: 0 critical, 2 high, 11 medium, 4 low"),
        "{out}"
    );
    let md = run_in(&dir, &[&args[..], &["--format", "markdown"]].concat());
    let out = text(&md.stdout);
    assert_eq!(out.matches(" findings</summary>").count(), 5, "{out}");
    // The gate counts findings, not rows: none is critical.
    let high = run_in(&dir, &[&args[..], &["--fail-on", "critical"]].concat());
    assert_eq!(high.status.code(), Some(0));
}

#[test]
fn exit_status_follows_fail_on() {
    let r = root();
    let base = [
        "compare",
        "testdata/examples/prod.tfstate",
        "testdata/examples/staging.tfstate",
        "--format",
        "json",
    ];
    for (extra, want) in [
        (vec![], 2),
        (vec!["--fail-on", "never"], 0),
        (vec!["--fail-on", "critical"], 2),
        (vec!["--fail-on", "high"], 2),
        (vec!["--fail-on", "info"], 2),
    ] {
        let mut args = base.to_vec();
        args.extend(extra.iter());
        let out = run_in(&r, &args);
        assert_eq!(out.status.code(), Some(want), "{extra:?}");
        assert!(!out.stdout.is_empty());
    }
    // The same environment twice: nothing to report.
    let out = run_in(
        &r,
        &[
            "compare",
            "a=testdata/examples/prod.tfstate",
            "b=testdata/examples/prod.tfstate",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("No differences"));
}

#[test]
fn output_file_and_stdin() {
    let r = root();
    let tmp = std::env::temp_dir().join(format!("tfparity-test-{}.json", std::process::id()));
    let out = run_in(
        &r,
        &[
            "compare",
            "testdata/examples/prod.tfstate",
            "testdata/examples/staging.tfstate",
            "--format",
            "json",
            "--output",
            tmp.to_str().expect("utf8"),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "nothing on stdout with --output");
    let written = std::fs::read_to_string(&tmp).expect("report written");
    let _ = std::fs::remove_file(&tmp);
    assert!(written.contains("\"schema\": \"tfparity/report/v1\""));

    let prod = std::fs::read(r.join("testdata/examples/prod.tfstate")).expect("prod");
    let mut child = Command::new(bin())
        .args([
            "compare",
            "prod=-",
            "staging=testdata/examples/staging.tfstate",
            "--format",
            "json",
        ])
        .current_dir(&r)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(&prod).expect("write stdin");
    }
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let from_stdin: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let from_file: serde_json::Value = serde_json::from_str(&written).expect("json");
    assert_eq!(from_stdin["findings"], from_file["findings"]);
    assert_eq!(from_stdin["environments"][0]["source"]["path"], "-");
}

/// Every kind of bad input: exit 1, `error: <path>...` on stderr, nothing on stdout.
#[test]
fn bad_input_is_an_error_not_a_report() {
    let dir = std::env::temp_dir().join(format!("tfparity-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let deep = format!(
        "{}{}",
        r#"{"version":4,"resources":[{"mode":"managed","type":"a","name":"b","instances":[{"attributes":{"x":"#,
        "[".repeat(100_000)
    );
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.tfstate", vec![], "file is empty"),
        (
            "truncated.tfstate",
            br#"{"version":4,"resources":[{"mode":"managed""#.to_vec(),
            "truncated",
        ),
        (
            "notjson.tfstate",
            b"hello world".to_vec(),
            "not a JSON object",
        ),
        (
            "binary.tfstate",
            vec![0x00, 0xff, 0x13, 0x37, 0x80, 0x81],
            "binary",
        ),
        (
            "future.tfstate",
            br#"{"version":7,"terraform_version":"9.9.9","resources":[]}"#.to_vec(),
            "unsupported state version 7",
        ),
        (
            "types.tfstate",
            br#"{"version":4,"resources":{"a":1}}"#.to_vec(),
            "invalid type",
        ),
        ("deep.tfstate", deep.into_bytes(), "recursion limit"),
        (
            "other.json",
            br#"{"hello":"world"}"#.to_vec(),
            "not a Terraform state",
        ),
    ];
    let good = root().join("testdata/examples/prod.tfstate");
    for (file, bytes, want) in cases {
        let path = dir.join(file);
        std::fs::write(&path, &bytes).expect("write");
        let good_arg = format!("good={}", good.display());
        let bad_arg = format!("bad={file}");
        let out = run_in(&dir, &["compare", &good_arg, &bad_arg]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{file}: {stderr}");
        assert!(out.stdout.is_empty(), "{file}: stdout must be empty");
        assert!(
            stderr.starts_with(&format!("error: {file}")),
            "{file}: {stderr}"
        );
        assert!(stderr.contains("environment bad"), "{file}: {stderr}");
        assert!(stderr.contains(want), "{file}: want {want:?} in {stderr}");
        assert!(
            !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
            "{file}: {stderr}"
        );
    }
    // A path that does not exist.
    let out = run_in(
        &dir,
        &["compare", "a=missing.tfstate", "b=missing2.tfstate"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_eq!(
        text(&out.stderr),
        "error: missing.tfstate: environment a: no such file or directory\n"
    );
    // Usage errors are status 1 too, not clap's default 2.
    for args in [
        vec!["compare"],
        vec!["compare", "a=x"],
        vec!["compare", "a=x", "b=y", "--format", "xml"],
        vec!["frobnicate"],
    ] {
        let out = run_in(&dir, &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(
            text(&out.stderr).starts_with("error:"),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn help_and_version_go_to_stdout() {
    let out = run_in(&root(), &["--version"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).starts_with("tfparity "));
    let out = run_in(&root(), &["compare", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("--fail-on"));
}

/// A planted secret appears in no output format, whether it differs or not.
#[test]
fn planted_secrets_never_appear() {
    for case in ["secrets", "secrets-nested"] {
        let dir = root().join("testdata/cases").join(case);
        let args: Vec<String> = std::fs::read_to_string(dir.join("args"))
            .expect("secrets case")
            .split_whitespace()
            .map(String::from)
            .collect();
        let mut seen_sensitive = false;
        for format in ["table", "json", "markdown", "sarif"] {
            let mut full: Vec<&str> = vec!["compare"];
            full.extend(args.iter().map(String::as_str));
            full.extend(["--format", format, "--color", "always"]);
            let out = run_in(&dir, &full);
            let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
            assert!(
                !all.contains("PLANTED-SECRET"),
                "{case} {format}: secret leaked:\n{all}"
            );
            assert!(!all.contains("hunter2"), "{case} {format}: secret leaked");
            seen_sensitive |= all.contains("(sensitive)");
        }
        assert!(
            seen_sensitive,
            "{case}: the differing secrets must be reported as (sensitive)"
        );
    }
}

/// A module registry on loopback serving modules `acme/NAME/aws` (versions 1.0.0, 1.2.0
/// and 2.0.0), each download a `.tar.gz` on the same server: `archives` by NAME.
fn registry(archives: Vec<(&'static str, Vec<u8>)>) -> tfparity_hcl::fetch::testserver::Server {
    use tfparity_hcl::fetch::testserver::{Reply, Server};
    Server::start("127.0.0.1", move |req| {
        let path = req.path.as_str();
        if path == "/.well-known/terraform.json" {
            return Reply::ok(r#"{"modules.v1":"/v1/modules/"}"#);
        }
        for (name, archive) in &archives {
            let base = format!("/v1/modules/acme/{name}/aws");
            if path == format!("{base}/versions") {
                return Reply::ok(
                    r#"{"modules":[{"versions":[{"version":"1.0.0"},{"version":"1.2.0"},{"version":"2.0.0"}]}]}"#,
                );
            }
            if path == format!("{base}/1.2.0/download") {
                let to = format!("{}/{name}-1.2.0.tar.gz", req.base);
                return Reply::status(204).header("X-Terraform-Get", &to);
            }
            if path == format!("/{name}-1.2.0.tar.gz") {
                return Reply::ok(archive.clone());
            }
        }
        Reply::status(404)
    })
}

#[test]
fn remote_modules_are_fetched_cached_and_read_offline() {
    let tmp = std::env::temp_dir().join(format!("tfparity-cli-fetch-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let write = |rel: &str, text: &str| {
        let p = tmp.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    };
    // The module packages, as a registry serves them: `net` calls a module inside its
    // package; `escape` calls one outside it.
    write(
        "pkg/modules/tags/main.tf",
        "output \"name\" { value = \"web\" }\n",
    );
    write(
        "pkg/main.tf",
        "variable \"ports\" { type = list(number) }\nmodule \"tags\" { source = \"./modules/tags\" }\nresource \"aws_security_group\" \"this\" {\n  name = module.tags.name\n  dynamic \"ingress\" {\n    for_each = var.ports\n    content {\n      from_port   = ingress.value\n      to_port     = ingress.value\n      protocol    = \"tcp\"\n      cidr_blocks = [\"0.0.0.0/0\"]\n    }\n  }\n}\n",
    );
    write(
        "escape/main.tf",
        "module \"up\" { source = \"../../../../../../../../tmp\" }\n",
    );
    let pack = |dir: &str| {
        let tar = Command::new("tar")
            .args(["czf", &format!("{dir}.tar.gz"), "-C", dir, "."])
            .current_dir(&tmp)
            .status()
            .expect("tar");
        assert!(tar.success());
        std::fs::read(tmp.join(format!("{dir}.tar.gz"))).expect("archive")
    };
    let server = registry(vec![("net", pack("pkg")), ("escape", pack("escape"))]);
    let host = server.base.trim_start_matches("http://").to_string();
    for (env, ports) in [("prod", "[443]"), ("staging", "[443, 22]")] {
        write(
            &format!("envs/{env}/main.tf"),
            &format!("module \"net\" {{\n  source  = \"{host}/acme/net/aws\"\n  version = \"~> 1.0\"\n  ports   = {ports}\n}}\n"),
        );
    }
    write(
        "envs/bad/main.tf",
        &format!(
            "module \"e\" {{\n  source  = \"{host}/acme/escape/aws\"\n  version = \"1.2.0\"\n}}\n"
        ),
    );
    let run = |envs: [&str; 2], cache: &str, extra: &[&str]| {
        let mut args = vec!["compare", envs[0], envs[1], "--format", "json"];
        args.extend(extra);
        Command::new(bin())
            .args(&args)
            .current_dir(&tmp)
            .env("XDG_CACHE_HOME", tmp.join(cache))
            .stdin(Stdio::null())
            .output()
            .expect("run tfparity")
    };
    let pair = ["prod=envs/prod", "staging=envs/staging"];
    // Fetched: version 1.2.0 (the newest ~> 1.0 allows), and compared inside, a local
    // module of the package too.
    let first = run(pair, "cache", &[]);
    let out = text(&first.stdout);
    assert_eq!(first.status.code(), Some(2), "{}", text(&first.stderr));
    assert!(out.contains("\"complete\": true"), "{out}");
    assert!(
        out.contains("module.net.aws_security_group.this") && out.contains("tcp/22"),
        "{out}"
    );
    // A fetched module whose local source leads outside its package: an error.
    let bad = run(["a=envs/bad", "b=envs/bad"], "cache", &[]);
    let err = text(&bad.stderr);
    assert_eq!(bad.status.code(), Some(1), "{err}");
    assert!(err.contains("leads outside the module package"), "{err}");
    assert!(bad.stdout.is_empty());
    let asked: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert!(
        asked.iter().any(|p| p.ends_with("/net/aws/1.2.0/download")),
        "{asked:?}"
    );
    assert_eq!(
        asked
            .iter()
            .filter(|p| p.ends_with("net-1.2.0.tar.gz"))
            .count(),
        1,
        "{asked:?}"
    );
    // The server gone: the cache answers, offline too.
    drop(server);
    for extra in [&[][..], &["--offline"][..]] {
        let again = run(pair, "cache", extra);
        assert_eq!(
            text(&again.stdout),
            out,
            "{extra:?}: {}",
            text(&again.stderr)
        );
    }
    // A local source into `.terraform/modules/NAME/` (where `terraform init` installs
    // the root's call NAME) is read from that call's package.
    write(
        "envs/init/main.tf",
        &format!("module \"__v3__\" {{\n  source  = \"{host}/acme/net/aws\"\n  version = \"~> 1.0\"\n  ports   = [443]\n}}\nmodule \"tags\" {{ source = \"./.terraform/modules/__v3__/modules/tags\" }}\nresource \"null_resource\" \"n\" {{\n  triggers = {{ name = module.tags.name }}\n}}\n"),
    );
    let init = run(["a=envs/init", "b=envs/init"], "cache", &["--offline"]);
    let out = text(&init.stdout);
    assert_eq!(init.status.code(), Some(0), "{}{out}", text(&init.stderr));
    assert!(out.contains("\"complete\": true"), "{out}");
    let init = run(["a=envs/init", "b=envs/init"], "no-cache", &["--offline"]);
    let out = text(&init.stdout);
    assert!(
        out.contains("\"complete\": false") && out.contains("module.tags"),
        "{out}"
    );
    // No remote call of that name: running `terraform init` would not help: an error.
    write(
        "envs/typo/main.tf",
        "module \"tags\" { source = \"./.terraform/modules/vpcc/modules/tags\" }\n",
    );
    let typo = run(["a=envs/typo", "b=envs/typo"], "cache", &["--offline"]);
    assert_eq!(typo.status.code(), Some(1), "{}", text(&typo.stdout));
    assert!(
        text(&typo.stderr).contains("does not exist"),
        "{}",
        text(&typo.stderr)
    );
    // Offline with an empty cache: not read, and loud about it.
    let empty = run(pair, "empty-cache", &["--offline"]);
    let out = text(&empty.stdout);
    assert_eq!(empty.status.code(), Some(2), "{}", text(&empty.stderr));
    assert!(out.contains("\"complete\": false"), "{out}");
    assert!(
        out.contains("\"category\": \"coverage\"") && out.contains("\"severity\": \"high\""),
        "{out}"
    );
    assert!(out.contains("offline"), "{out}");
    let _ = std::fs::remove_dir_all(&tmp);
}

#[test]
fn files_outside_the_tree_are_read_only_when_allowed() {
    let tmp = tempfile::tempdir().expect("tmp");
    let repo = tmp.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).expect("git");
    std::fs::create_dir_all(repo.join("root")).expect("root");
    std::fs::write(tmp.path().join("shared.txt"), "SHARED-4711").expect("write");
    std::fs::write(
        repo.join("root/main.tf"),
        "resource \"null_resource\" \"r\" {\n  triggers = { v = file(\"../../shared.txt\") }\n}\n",
    )
    .expect("write");
    let refused = run_in(&repo, &["compare", "a=root", "b=root"]);
    let err = text(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{err}");
    assert!(
        err.contains("root/main.tf:2:") && err.contains("--allow-path"),
        "{err}"
    );
    assert!(!err.contains("SHARED-4711"), "{err}");
    let outside = tmp.path().display().to_string();
    let allowed = run_in(
        &repo,
        &["compare", "a=root", "b=root", "--allow-path", &outside],
    );
    assert_eq!(allowed.status.code(), Some(0), "{}", text(&allowed.stderr));
    let small = run_in(
        &repo,
        &[
            "compare",
            "a=root",
            "b=root",
            "--allow-path",
            &outside,
            "--max-file-size",
            "4",
        ],
    );
    assert!(
        text(&small.stderr).contains("larger than 4 bytes"),
        "{}",
        text(&small.stderr)
    );
}

/// A state or plan file committed as a link leads nowhere outside the tree: before, a
/// link to a state file outside was read and reported, a link to a JSON file outside
/// said where its syntax broke, and a link to `/dev/zero` was read without end.
#[cfg(unix)]
#[test]
fn state_files_named_on_the_command_line_are_not_read_through_links_outside() {
    let tmp = tempfile::tempdir().expect("tmp");
    let repo = tmp.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).expect("git");
    let state = |v: &str| {
        format!(
            r#"{{"version":4,"resources":[{{"mode":"managed","type":"null_resource","name":"r","instances":[{{"attributes":{{"id":"1","v":"{v}"}}}}]}}]}}"#
        )
    };
    std::fs::write(tmp.path().join("other.tfstate"), state("OUTSIDE-4711")).expect("write");
    std::fs::write(repo.join("prod.tfstate"), state("inside")).expect("write");
    std::fs::create_dir_all(repo.join("states")).expect("dir");
    std::os::unix::fs::symlink(tmp.path().join("other.tfstate"), repo.join("pr.tfstate"))
        .expect("link");
    std::os::unix::fs::symlink(tmp.path(), repo.join("states/up")).expect("link");
    std::os::unix::fs::symlink("/dev/zero", repo.join("zero.tfstate")).expect("link");
    std::os::unix::fs::symlink(repo.join("prod.tfstate"), repo.join("inside.tfstate"))
        .expect("link");
    for env in ["pr.tfstate", "states/up/other.tfstate", "zero.tfstate"] {
        let out = run_in(&repo, &["compare", "prod.tfstate", env]);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{env}: {err}");
        assert!(
            err.contains("outside the configuration's tree") || err.contains("/proc, /sys or /dev"),
            "{env}: {err}"
        );
        assert!(!text(&out.stdout).contains("OUTSIDE-4711"), "{env}");
        assert!(!err.contains("OUTSIDE-4711"), "{env}: {err}");
    }
    // A link inside the tree, and a file outside named directly, are read.
    let out = run_in(&repo, &["compare", "prod.tfstate", "inside.tfstate"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let direct = tmp.path().join("other.tfstate").display().to_string();
    let out = run_in(&repo, &["compare", "prod.tfstate", &direct]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
}

/// One root module per environment, with a secret planted in every way one reaches
/// a report: `{s}` is the environment's suffix, so that each secret differs.
fn secrets_module(s: &str) -> String {
    format!(
        r#"
variable "sens" {{
  default   = "SEKRIT01-sensitive-var-{s}"
  sensitive = true
}}
variable "keyed" {{
  default   = "SEKRIT03-for-key-{s}"
  sensitive = true
}}
module "remote" {{
  source = "git::https://deploy:SEKRIT09a-url-password-{s}@example.invalid/m.git?ref=v1&access_token=SEKRIT09b-url-query-{s}"
}}
module "token_as_user" {{
  source = "https://SEKRIT09c-url-user-{s}@example.invalid/m.zip"
}}
resource "aws_db_instance" "db" {{
  identifier  = "db"
  description = var.sens
  password    = "SEKRIT02-secret-named-{s}"
  tags        = {{ for v in [var.keyed] : v => "x" }}
}}
resource "aws_lambda_function" "fn" {{
  function_name = "fn"
  environment {{
    variables = {{
      PGPASSWORD  = "SEKRIT06a-one-word-{s}"
      GITHUBTOKEN = "SEKRIT06b-one-word-{s}"
      db_pass     = "SEKRIT06c-abbreviated-{s}"
      LOG_LEVEL   = "info-{s}"
    }}
  }}
}}
resource "aws_ssm_document" "doc" {{
  name        = "doc"
  content     = jsonencode({{ schemaVersion = "2.2", cfg = jsonencode({{ port = "{s}", inner = jsonencode({{ password = "SEKRIT07-nested-json-{s}" }}) }}) }})
  target_type = "DB_PASSWORD=\"correct horse SEKRIT08-quoted-{s} staple\" ./run --user {s}"
}}
resource "null_resource" "urls" {{
  triggers = {{
    repo = "https://SEKRIT09d-value-url-user-{s}@github.com/o/r.git"
    hook = "https://hooks.example/x?v={s}&token=SEKRIT09e-value-url-query-{s}"
  }}
}}
"#
    )
}

/// A state whose sensitive attribute (`sensitive_attributes`) is not named like a
/// secret, and a plan whose is (`after_sensitive` only).
const SECRETS_STATE: &str = r#"{"version":4,"terraform_version":"1.9.5","serial":1,"lineage":"l","outputs":{},"resources":[{"mode":"managed","type":"aws_s3_bucket","name":"b","provider":"provider[\"registry.terraform.io/hashicorp/aws\"]","instances":[{"schema_version":0,"attributes":{"id":"b","bucket":"b","tags":{"note":"SEKRIT10-state-sensitive"}},"sensitive_attributes":[[{"type":"get_attr","value":"tags"},{"type":"index","value":{"value":"note","type":"string"}}]]}]}]}"#;
const SECRETS_PLAN: &str = r#"{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{"resources":[{"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","provider_name":"registry.terraform.io/hashicorp/aws","schema_version":0,"values":{"id":"b","bucket":"b","tags":{"note":"SEKRIT11-plan-after-sensitive"}},"sensitive_values":{"tags":{}}}]}},"resource_changes":[{"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","change":{"actions":["update"],"before":{},"after":{"id":"b","bucket":"b","tags":{"note":"SEKRIT11-plan-after-sensitive"}},"after_unknown":{},"after_sensitive":{"tags":{"note":true}}}}]}"#;

/// Configurations that are errors, each with a secret the error must not show.
const SECRETS_ERRORS: &[(&str, &str)] = &[
    (
        "for-each",
        "variable \"k\" {\n  default   = \"SEKRIT03x-for-each-key\"\n  sensitive = true\n}\nresource \"aws_x\" \"r\" {\n  for_each = { for v in [var.k] : v => 1 }\n}\n",
    ),
    (
        "templatefile",
        "variable \"tpl\" {\n  default   = \"SEKRIT04-templatefile-path\"\n  sensitive = true\n}\nresource \"aws_x\" \"r\" {\n  name = templatefile(var.tpl, {})\n}\n",
    ),
    (
        "function",
        "variable \"db_password\" { default = \"SEKRIT05-function-error\" }\nresource \"aws_db_instance\" \"r\" {\n  password = tonumber(var.db_password)\n}\n",
    ),
];

#[test]
fn no_planted_secret_reaches_any_output_or_error() {
    let dir = tfparity_hcl::testdir::Dir::with(&[
        ("prod/main.tf", &secrets_module("one")),
        ("staging/main.tf", &secrets_module("two")),
        ("prod.tfstate", SECRETS_STATE),
        ("staging-plan.json", SECRETS_PLAN),
        ("fine/main.tf", "resource \"aws_x\" \"r\" {}\n"),
    ])
    .expect("temp dir");
    for (name, text) in SECRETS_ERRORS {
        std::fs::create_dir_all(dir.path().join(name)).expect("mkdir");
        std::fs::write(dir.path().join(name).join("main.tf"), text).expect("write");
    }
    // Each secret by the part of it that is its own (the words of the quoted one).
    let secrets = [
        "SEKRIT01",
        "SEKRIT02",
        "SEKRIT03",
        "SEKRIT04",
        "SEKRIT05",
        "SEKRIT06a",
        "SEKRIT06b",
        "SEKRIT06c",
        "SEKRIT07",
        "SEKRIT08",
        "horse",
        "staple",
        "SEKRIT09a",
        "SEKRIT09b",
        "SEKRIT09c",
        "SEKRIT09d",
        "SEKRIT09e",
        "SEKRIT10",
        "SEKRIT11",
    ];
    let leaks = |what: &str, out: &Output| -> Vec<String> {
        let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
        secrets
            .iter()
            .filter(|s| all.contains(*s))
            .map(|s| format!("{what}: {s} in\n{all}"))
            .collect()
    };
    let mut found = Vec::new();
    for format in ["table", "json", "markdown", "sarif"] {
        // The planted differences are found, and said without their values.
        for (envs, wants) in [
            (
                ["prod=prod", "staging=staging"],
                &[
                    "aws_db_instance.db",
                    "aws_lambda_function.fn",
                    "aws_ssm_document.doc",
                    "null_resource.urls",
                    "(sensitive)",
                ][..],
            ),
            (
                ["prod=prod.tfstate", "staging=staging-plan.json"],
                &["aws_s3_bucket.b", "(sensitive)"][..],
            ),
        ] {
            let out = run_in(
                dir.path(),
                &[
                    "compare",
                    envs[0],
                    envs[1],
                    "--offline",
                    "--format",
                    format,
                    "--color",
                    "never",
                ],
            );
            found.extend(leaks(&format!("{envs:?} {format}"), &out));
            // A difference of secrets alone is `info`, below the default gate.
            let code = out.status.code();
            if !matches!(code, Some(0 | 2)) {
                found.push(format!(
                    "{envs:?} {format}: exit {code:?}: {}",
                    text(&out.stderr)
                ));
            }
            let shown = text(&out.stdout);
            for want in wants {
                // Markdown writes these characters as entities.
                let want = match format {
                    "markdown" => want
                        .replace('_', "&#95;")
                        .replace('(', "&#40;")
                        .replace(')', "&#41;"),
                    _ => want.to_string(),
                };
                if !shown.contains(&want) {
                    found.push(format!("{envs:?} {format}: no {want} in\n{shown}"));
                }
            }
        }
        // The errors name the place, not the value.
        for (name, _) in SECRETS_ERRORS {
            let out = run_in(
                dir.path(),
                &[
                    "compare",
                    &format!("bad={name}"),
                    "ok=fine",
                    "--offline",
                    "--format",
                    format,
                ],
            );
            found.extend(leaks(&format!("{name} {format}"), &out));
            let err = text(&out.stderr);
            if out.status.code() != Some(1) || !err.contains("main.tf:") || !out.stdout.is_empty() {
                found.push(format!(
                    "{name} {format}: not an error naming its place: {err}"
                ));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n\n"));
}

/// A secret the CI gives through a variable file (`--var-file pr=/run/secrets.tfvars`)
/// to a root module the pull request writes: the variable's name says secret, so its
/// value is one wherever the configuration takes it (before, `description =
/// var.db_password` showed it in the report, and so did every function of it), and
/// `nonsensitive` does not take the mark off (before, it showed the secret), and what
/// `can` and `try` say of it is a secret too (before, one bit at a time).
#[test]
fn a_secret_given_by_a_variable_file_stays_secret_whatever_the_configuration_does() {
    let exprs = [
        "var.db_password",
        "upper(var.db_password)",
        "join(\"-\", [for c in split(\"\", var.db_password) : c])",
        "jsonencode({ a = var.db_password })",
        "base64encode(var.db_password)",
        "format(\"%s\", var.db_password)",
        "[for k, v in { x = var.db_password } : v][0]",
        "substr(var.db_password, 0, 1) == \"V\" ? \"first-V\" : \"not-V\"",
        // `nonsensitive` is the configuration's, and the configuration is the attacker's.
        "nonsensitive(var.db_password)",
        "nonsensitive(upper(var.db_password))",
        // `can` and `try` would say one bit of it at a time.
        "can(regex(\"^V\", var.db_password)) ? \"first-V\" : \"not-V\"",
        "can(tonumber(var.db_password)) ? \"first-V\" : \"not-V\"",
        "try(regex(\"^V\", var.db_password) == \"\" ? \"\" : \"\", \"not-V\")",
        "try(regex(\"^X\", var.db_password) == \"\" ? \"\" : \"\", \"not-V\")",
    ];
    let triggers: Vec<String> = exprs
        .iter()
        .enumerate()
        .map(|(i, e)| format!("    t{i} = {e}\n"))
        .collect();
    let pr = format!(
        "variable \"db_password\" {{}}\nresource \"null_resource\" \"a\" {{\n  triggers = {{\n{}  }}\n}}\n",
        triggers.concat()
    );
    let dir = tfparity_hcl::testdir::Dir::with(&[
        ("pr/main.tf", pr.as_str()),
        (
            "base/main.tf",
            "resource \"null_resource\" \"a\" {\n  triggers = { t0 = \"b\" }\n}\n",
        ),
    ])
    .expect("temp dir");
    let secrets = tempfile::tempdir().expect("tmp");
    let vars = secrets.path().join("ci.tfvars");
    std::fs::write(&vars, "db_password = \"VAULT-7731-QX\"\n").expect("write");
    let given = format!("pr={}", vars.display());
    for format in ["table", "json", "markdown", "sarif"] {
        let out = run_in(
            dir.path(),
            &[
                "compare",
                "base",
                "pr",
                "--var-file",
                &given,
                "--format",
                format,
            ],
        );
        let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
        for leak in ["VAULT", "7731", "V-A-U", "VkFVTFQ", "first-V", "not-V"] {
            assert!(!all.contains(leak), "{format}: {leak} in\n{all}");
        }
    }
}

/// Configurations that ask for more work than the limits allow are errors naming the
/// place and the limit (exit 1, nothing on stdout, no panic), and `--limit` raises it.
#[test]
fn a_configuration_past_a_limit_is_an_error_naming_it() {
    let base = std::env::temp_dir().join(format!("tfparity-limits-{}", std::process::id()));
    let mut deep = String::from("locals {\n  l0 = 1\n");
    for i in 1..=100 {
        deep.push_str(&format!(
            "  l{i} = {}local.l{}{}\n",
            "[".repeat(50),
            i - 1,
            "]".repeat(50)
        ));
    }
    deep.push_str("}\nresource \"aws_vpc\" \"a\" {\n  tags = { x = jsonencode(local.l100) }\n}\n");
    let mut doubling = String::from("locals {\n  s0 = \"ab\"\n");
    for i in 1..=40 {
        doubling.push_str(&format!(
            "  s{i} = \"${{local.s{}}}${{local.s{}}}\"\n",
            i - 1,
            i - 1
        ));
    }
    doubling.push_str("}\nresource \"aws_vpc\" \"a\" {\n  tags = { n = length(local.s40) }\n}\n");
    let cases: Vec<(&str, String, &str, &str)> = vec![
        (
            "count",
            "resource \"aws_vpc\" \"a\" {\n  count = 1e300\n}\n".into(),
            "main.tf:2:3",
            "instances",
        ),
        ("deep", deep, "main.tf:5:57", "depth"),
        (
            "product",
            "locals {\n  r = range(1000)\n  p = setproduct(local.r, local.r, local.r)\n}\nresource \"aws_vpc\" \"a\" {\n  tags = { n = length(local.p) }\n}\n".into(),
            "main.tf:3:7",
            "collection-length",
        ),
        ("doubling", doubling, "main.tf:26:", "string-length"),
    ];
    for (name, main, place, limit) in cases {
        let dir = base.join(name);
        std::fs::create_dir_all(&dir).expect("tmp dir");
        std::fs::write(dir.join("main.tf"), main).expect("write");
        let out = run_in(
            &base,
            &["compare", &format!("a={name}"), &format!("b={name}")],
        );
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
        assert!(out.stdout.is_empty(), "{name}");
        assert!(
            stderr.starts_with("error: ")
                && stderr.contains(place)
                && stderr.contains(&format!("--limit {limit}=N"))
                && !stderr.contains("panicked"),
            "{name}: {stderr}"
        );
    }
    // Raised, the same kind of configuration is compared.
    let dir = base.join("raised");
    std::fs::create_dir_all(&dir).expect("tmp dir");
    std::fs::write(
        dir.join("main.tf"),
        "resource \"aws_vpc\" \"a\" {\n  count = 3\n}\n",
    )
    .expect("write");
    let out = run_in(
        &base,
        &["compare", "a=raised", "b=raised", "--limit", "instances=2"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let out = run_in(
        &base,
        &["compare", "a=raised", "b=raised", "--limit", "instances=3"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let _ = std::fs::remove_dir_all(&base);
}

/// The SARIF 2.1.0 schema, as the SARIF crate tfparity writes with ships it (found
/// through `cargo metadata`, offline: the crate is a dependency, so it is on disk).
fn sarif_schema() -> serde_json::Value {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // Only this platform's dependencies: the others may not be on disk.
    let rustc = Command::new("rustc")
        .arg("-vV")
        .output()
        .expect("rustc -vV");
    let host = text(&rustc.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_string))
        .expect("host triple");
    let out = Command::new(cargo)
        .args(["metadata", "--offline", "--format-version", "1"])
        .args(["--filter-platform", &host])
        .current_dir(root())
        .output()
        .expect("cargo metadata");
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata JSON");
    let manifest = meta["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .find(|p| p["name"] == "serde-sarif")
        .and_then(|p| p["manifest_path"].as_str())
        .expect("serde-sarif in the dependency graph");
    let schema = Path::new(manifest)
        .parent()
        .expect("crate dir")
        .join("src/schema.json");
    let text = std::fs::read_to_string(&schema).expect("SARIF schema");
    // The published schema's pattern for a language (of a run, of a tool component) has
    // a stray `]`, which a strict validator refuses as a regular expression; what it
    // means is written instead.
    let text = text.replace(
        r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#,
        r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#,
    );
    serde_json::from_str(&text).expect("schema JSON")
}

#[test]
fn sarif_of_every_case_is_valid_sarif_2_1_0() {
    let schema = sarif_schema();
    assert_eq!(
        schema["title"],
        "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    );
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    // The validator refuses what is not SARIF 2.1.0.
    for bad in [
        serde_json::json!({ "version": "2.0.0", "runs": [] }),
        serde_json::json!({ "version": "2.1.0", "runs": [{ "results": [] }] }),
        serde_json::json!({ "version": "2.1.0", "runs": [{ "tool": { "driver": { "name": "t" } },
            "results": [{ "message": { "text": "m" }, "level": "fatal" }] }] }),
    ] {
        assert!(!validator.is_valid(&bad), "{bad}");
    }
    let mut results = 0;
    for (name, dir, args) in cases() {
        let mut full: Vec<&str> = vec!["compare"];
        full.extend(args.iter().map(String::as_str));
        full.extend(["--format", "sarif"]);
        let out = run_in(&dir, &full);
        let code = out.status.code().expect("exit code");
        assert!(code == 0 || code == 2, "{name}: exit {code}");
        let doc: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{name}: {e}"));
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        let run = &doc["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
        for r in run["results"].as_array().expect("results") {
            results += 1;
            // Each result names its rule, where it is in the rules, and its stable id.
            let i = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
            assert_eq!(rules[i]["id"], r["ruleId"], "{name}: {r}");
            assert!(
                r["partialFingerprints"]["tfparityFindingId/v1"]
                    .as_str()
                    .is_some_and(|id| id.len() == 16),
                "{name}: {r}"
            );
            assert!(
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].is_string(),
                "{name}: no place in {r}"
            );
        }
        // The same findings as the JSON report, at the same ids.
        let json = run_in(&dir, &{
            let mut j = full.clone();
            j.pop();
            j.push("json");
            j
        });
        let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
        let ids = |v: &serde_json::Value, pick: &dyn Fn(&serde_json::Value) -> String| {
            v.as_array()
                .expect("array")
                .iter()
                .map(pick)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            ids(&run["results"], &|r| r["partialFingerprints"]
                ["tfparityFindingId/v1"]
                .as_str()
                .unwrap_or_default()
                .to_string()),
            ids(&report["findings"], &|f| f["id"]
                .as_str()
                .unwrap_or_default()
                .to_string()),
            "{name}"
        );
    }
    assert!(results > 20, "only {results} results over the cases");
}

#[test]
fn sarif_places_findings_where_the_configuration_writes_them() {
    let dir = root().join("testdata/cases/hcl-env-folders");
    let out = run_in(
        &dir,
        &[
            "compare",
            "prod=envs/prod",
            "staging=envs/staging",
            "--format",
            "sarif",
        ],
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("sarif");
    let places: Vec<String> = doc["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            let p = &r["locations"][0]["physicalLocation"];
            format!(
                "{}:{}",
                p["artifactLocation"]["uri"].as_str().unwrap_or_default(),
                p["region"]["startLine"]
            )
        })
        .collect();
    assert!(
        !places.is_empty() && places.iter().all(|p| !p.ends_with(":null")),
        "{places:?}"
    );
    assert!(
        places
            .iter()
            .any(|p| p.starts_with("modules/service/main.tf:")),
        "{places:?}"
    );
}
