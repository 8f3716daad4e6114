//! Hostile root modules, as a pull request from a fork may hold: each is refused with an
//! error naming the file and the problem, and nothing of what lies outside the
//! configuration's tree reaches the error (see [`crate::confine`]).

use crate::testdir::Dir;
use crate::{load, Access, Options};
use std::path::{Path, PathBuf};

/// What the file outside the tree holds: must never be shown.
const OUTSIDE: &str = "OUTSIDE-SECRET-4711";

/// Loads the root module `dir/root` with `access`; the error's text, or `Ok` and the
/// first resource's attributes as text.
fn run(dir: &Path, var_files: &[String], access: Access) -> Result<String, String> {
    let options = Options {
        access,
        ..Options::default()
    };
    let (built, _) = load(&dir.join("root"), var_files, "pr", &options, |r| {
        r.entries()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(",")
    })
    .map_err(|e| e.to_string())?;
    Ok(built.resources.join(";"))
}

/// A repository `repo/` (a Git work tree) holding `root/` with `main.tf` setting
/// `triggers = { v = EXPR }`, beside a file outside it.
fn repo(expr: &str, more: &[(&str, &str)]) -> std::io::Result<(Dir, PathBuf)> {
    let main = format!("resource \"null_resource\" \"r\" {{\n  triggers = {{ v = {expr} }}\n}}\n");
    let mut files = vec![
        ("repo/root/main.tf", main.as_str()),
        ("repo/root/inside.txt", "inside"),
        ("outside.txt", OUTSIDE),
    ];
    files.extend_from_slice(more);
    let d = Dir::bare(&files)?;
    std::fs::create_dir_all(d.path().join("repo/.git"))?;
    let r = d.path().join("repo");
    Ok((d, r))
}

fn refused(expr: &str, want: &str) -> crate::TestResult {
    let (_d, r) = repo(expr, &[])?;
    let err = run(&r, &[], Access::default()).err().unwrap_or_default();
    assert!(err.contains(want), "{expr}: {err}");
    assert!(err.contains("main.tf:2:"), "{expr}: names the place: {err}");
    assert!(!err.contains(OUTSIDE), "{expr}: shows the content: {err}");
    Ok(())
}

#[test]
fn file_functions_read_only_inside_the_tree() -> crate::TestResult {
    let outside = "outside the configuration's tree";
    for (expr, want) in [
        (r#"file("../../outside.txt")"#, outside),
        (r#"filebase64("../../outside.txt")"#, outside),
        (r#"filesha256("../../outside.txt")"#, outside),
        (r#"fileexists("../../outside.txt")"#, outside),
        (r#"templatefile("../../outside.txt", {})"#, outside),
        (r#"tonumber(file("../../outside.txt"))"#, outside),
        (r#"tonumber(file("/etc/hostname"))"#, outside),
        (r#"file("/etc/passwd")"#, outside),
        (r#"fileexists("/etc/passwd")"#, outside),
        (r#"fileset("/", "**")"#, outside),
        (r#"fileset("../..", "*")"#, outside),
        (
            r#"regex("TOKEN=[^\u0000]*", file("/proc/self/environ"))"#,
            "/proc, /sys or /dev",
        ),
        (r#"file("/dev/zero")"#, "/proc, /sys or /dev"),
        (r#"filebase64("/dev/urandom")"#, "/proc, /sys or /dev"),
    ] {
        refused(expr, want)?;
    }
    // Inside: read as before.
    let (_d, r) = repo(r#"file("inside.txt")"#, &[])?;
    assert_eq!(
        run(&r, &[], Access::default())?,
        "triggers={\"v\" = \"inside\"}"
    );
    let (_d, r) = repo(r#"file("${path.module}/../root/inside.txt")"#, &[])?;
    assert!(run(&r, &[], Access::default())?.contains("inside"));
    Ok(())
}

#[cfg(unix)]
#[test]
fn links_fifos_devices_and_large_files_are_refused() -> crate::TestResult {
    use std::os::unix::fs::symlink;
    let (d, r) = repo(r#"file("link")"#, &[])?;
    symlink(d.path().join("outside.txt"), r.join("root/link"))?;
    let err = run(&r, &[], Access::default()).err().unwrap_or_default();
    assert!(err.contains("outside the configuration's tree"), "{err}");
    assert!(!err.contains(OUTSIDE), "{err}");
    // --allow-path widens the tree.
    let wide = Access {
        allow_paths: vec![d.path().to_path_buf()],
        ..Access::default()
    };
    assert!(run(&r, &[], wide)?.contains(OUTSIDE));

    // A FIFO would block a reader forever.
    let (_d, r) = repo(r#"file("fifo")"#, &[])?;
    let made = std::process::Command::new("mkfifo")
        .arg(r.join("root/fifo"))
        .status()?;
    assert!(made.success());
    let err = run(&r, &[], Access::default()).err().unwrap_or_default();
    assert!(err.contains("not a regular file"), "{err}");

    // A configuration file that is a link to a device.
    let (_d, r) = repo("1", &[])?;
    symlink("/dev/zero", r.join("root/zero.tf"))?;
    let err = run(&r, &[], Access::default()).err().unwrap_or_default();
    assert!(
        err.contains("zero.tf") && err.contains("/proc, /sys or /dev"),
        "{err}"
    );

    // Past the size limit.
    let (_d, r) = repo(r#"file("inside.txt")"#, &[])?;
    let small = Access {
        max_file_size: 3,
        ..Access::default()
    };
    let err = run(&r, &[], small).err().unwrap_or_default();
    assert!(
        err.contains("larger than 3 bytes") && err.contains("--max-file-size"),
        "{err}"
    );
    Ok(())
}

#[test]
fn module_sources_and_manifests_stay_in_the_tree() -> crate::TestResult {
    let up = "../".repeat(40);
    let escape = format!("module \"m\" {{\n  source = \"{up}etc\"\n}}\n");
    let (_d, r) = repo("1", &[("repo/root/m.tf", escape.as_str())])?;
    let err = run(&r, &[], Access::default()).err().unwrap_or_default();
    assert!(err.contains("outside the configuration's tree"), "{err}");
    assert!(err.contains("m.tf:1:"), "names the module block: {err}");
    // A manifest of `terraform init` naming a directory outside.
    let manifest = r#"{"Modules":[{"Key":"m","Source":"x","Dir":"../../.."}]}"#;
    let (_d, r) = repo(
        "1",
        &[
            (
                "repo/root/m.tf",
                "module \"m\" {\n  source = \"x/y/z\"\n}\n",
            ),
            ("repo/root/.terraform/modules/modules.json", manifest),
        ],
    )?;
    let err = run(&r, &[], Access::default()).err().unwrap_or_default();
    assert!(err.contains("outside the configuration's tree"), "{err}");
    assert!(err.contains("m.tf:1:"), "names the module block: {err}");
    Ok(())
}

#[test]
fn variable_files_hold_values_only() -> crate::TestResult {
    for tfvars in [
        "x = file(\"inside.txt\")\n",
        "x = upper(\"a\")\n",
        "x = [for s in [\"a\"] : lower(s)]\n",
    ] {
        let (_d, r) = repo(
            "var.x",
            &[
                ("repo/root/vars.tf", "variable \"x\" {}\n"),
                ("repo/root/terraform.tfvars", tfvars),
            ],
        )?;
        let err = run(&r, &[], Access::default()).err().unwrap_or_default();
        assert!(
            err.contains("terraform.tfvars:1:") && err.contains("Functions may not be called here"),
            "{tfvars}: {err}"
        );
    }
    Ok(())
}

#[cfg(unix)]
#[test]
fn variable_files_named_on_the_command_line_are_read_unless_a_link_leads_there() -> crate::TestResult
{
    let (d, r) = repo(
        "var.x",
        &[
            ("repo/root/vars.tf", "variable \"x\" {}\n"),
            ("given.tfvars", "x = \"given\"\n"),
        ],
    )?;
    let given = d.path().join("given.tfvars").display().to_string();
    assert!(run(&r, &[given], Access::default())?.contains("given"));
    std::os::unix::fs::symlink(d.path().join("outside.txt"), r.join("prod.tfvars"))?;
    let link = r.join("prod.tfvars").display().to_string();
    let err = run(&r, &[link], Access::default())
        .err()
        .unwrap_or_default();
    assert!(err.contains("outside the configuration's tree"), "{err}");
    assert!(!err.contains(OUTSIDE), "{err}");
    Ok(())
}

#[test]
fn fileset_matches_in_linear_time_and_stays_bounded() -> crate::TestResult {
    // Backtracking matchers take minutes on the first and never finish the second.
    let long = format!("{}.txt", "a".repeat(200));
    let stars = format!("\"{}b\"", "*a".repeat(12));
    let braces = format!("\"{}\"", "{a,b}".repeat(30));
    let doubles = format!("\"{}x\"", "**/".repeat(30));
    for pattern in [stars, braces, doubles] {
        let expr = format!("length(fileset(path.module, {pattern}))");
        let (_d, r) = repo(&expr, &[(&format!("repo/root/{long}"), "x")])?;
        assert_eq!(
            run(&r, &[], Access::default())?,
            "triggers={\"v\" = 0}",
            "{pattern}"
        );
    }
    Ok(())
}

#[test]
fn without_git_the_tree_is_the_working_directory_or_the_root_module() -> crate::TestResult {
    // The crate's directory is the working directory of tests; a temporary directory
    // is outside it: its tree is the root module alone.
    let d = Dir::bare(&[
        ("root/main.tf", "resource \"null_resource\" \"r\" {\n  triggers = { v = file(\"../outside.txt\") }\n}\n"),
        ("outside.txt", OUTSIDE),
    ])?;
    let err = run(d.path(), &[], Access::default())
        .err()
        .unwrap_or_default();
    assert!(err.contains("outside the configuration's tree"), "{err}");
    assert!(!err.contains(OUTSIDE), "{err}");
    Ok(())
}

/// Whatever lies outside the tree, the answer is the same: "outside", never "no file
/// exists" or "not a directory" (which would say what is there).
#[cfg(unix)]
#[test]
fn outside_the_tree_an_absent_file_and_a_present_one_get_the_same_answer() -> crate::TestResult {
    use std::os::unix::fs::symlink;
    let outside = "outside the configuration's tree";
    let (d, _r) = repo("1", &[])?;
    let out = d.path().display().to_string();
    for (present, absent) in [
        // Through a link to a directory outside.
        ("lnk/outside.txt", "lnk/nothere.txt"),
        // A link to a file outside, and a dangling one.
        ("to_present", "to_absent"),
        // A path through a file outside (not a directory) and through nothing.
        (
            format!("{out}/outside.txt/x").leak() as &str,
            format!("{out}/nothere/x").leak() as &str,
        ),
        // A link whose target goes through a directory outside that exists, and
        // through one that does not, and back into the tree with `..`.
        ("up_present", "up_absent"),
    ] {
        let mut said = Vec::new();
        for p in [present, absent] {
            for f in ["fileexists", "file"] {
                let (d, r) = repo(&format!("{f}(\"{p}\")"), &[("d/x", "x")])?;
                symlink(d.path(), r.join("root/lnk"))?;
                symlink(d.path().join("outside.txt"), r.join("root/to_present"))?;
                symlink(d.path().join("nothere.txt"), r.join("root/to_absent"))?;
                symlink(
                    d.path().join("d/../repo/root/inside.txt"),
                    r.join("root/up_present"),
                )?;
                symlink(
                    d.path().join("nodir/../repo/root/inside.txt"),
                    r.join("root/up_absent"),
                )?;
                let err = run(&r, &[], Access::default()).err().unwrap_or_default();
                assert!(err.contains(outside), "{f}(\"{p}\"): {err}");
                said.push(
                    err.replace(p, "PATH")
                        .replace(&d.path().display().to_string(), "TMP"),
                );
            }
        }
        assert_eq!(said[..2], said[2..], "{present} / {absent}");
    }
    Ok(())
}

/// `fileset` lists a link only when what it leads to may be read: a link to a file
/// outside is left out whether or not that file exists.
#[cfg(unix)]
#[test]
fn fileset_says_nothing_of_what_links_lead_to_outside() -> crate::TestResult {
    use std::os::unix::fs::symlink;
    let (d, r) = repo(r#"join(",", fileset(path.module, "to_*"))"#, &[])?;
    symlink(d.path().join("outside.txt"), r.join("root/to_present"))?;
    symlink(d.path().join("nothere.txt"), r.join("root/to_absent"))?;
    symlink(r.join("root/inside.txt"), r.join("root/to_inside"))?;
    assert_eq!(
        run(&r, &[], Access::default())?,
        "triggers={\"v\" = \"to_inside\"}"
    );
    Ok(())
}

/// A module source leading outside is refused as outside whether or not a directory is
/// there (before: "does not exist" for an absent one).
#[cfg(unix)]
#[test]
fn module_sources_outside_say_nothing_of_what_is_there() -> crate::TestResult {
    for source in ["../../d", "../../nothere", "./lnk/d", "./lnk/nothere"] {
        let call = format!("module \"m\" {{\n  source = \"{source}\"\n}}\n");
        let (d, r) = repo("1", &[("repo/root/m.tf", call.as_str()), ("d/x.tf", "")])?;
        std::os::unix::fs::symlink(d.path(), r.join("root/lnk"))?;
        let err = run(&r, &[], Access::default()).err().unwrap_or_default();
        assert!(
            err.contains("outside the configuration's tree"),
            "{source}: {err}"
        );
        assert!(err.contains("m.tf:1:"), "{source}: {err}");
    }
    Ok(())
}

/// `terraform.tfvars` that is a link outside is refused whether or not its target exists
/// (before, a dangling one was skipped and the run went on: an existence oracle).
#[cfg(unix)]
#[test]
fn automatic_variable_files_linked_outside_are_refused_whatever_is_there() -> crate::TestResult {
    for target in ["outside.txt", "nothere.tfvars"] {
        for name in ["terraform.tfvars", "terraform.tfvars.json"] {
            let (d, r) = repo("1", &[])?;
            std::os::unix::fs::symlink(d.path().join(target), r.join("root").join(name))?;
            let err = run(&r, &[], Access::default()).err().unwrap_or_default();
            assert!(
                err.contains("outside the configuration's tree"),
                "{name} → {target}: {err}"
            );
            assert!(!err.contains(OUTSIDE), "{err}");
        }
    }
    Ok(())
}

#[cfg(unix)]
#[test]
fn a_root_module_committed_as_a_link_to_elsewhere_is_outside_its_tree() -> crate::TestResult {
    // A directory outside the repository that holds configuration (and its own .git).
    let (d, r) = repo(
        "1",
        &[("elsewhere/main.tf", "resource \"null_resource\" \"x\" {}\n")],
    )?;
    std::fs::create_dir_all(d.path().join("elsewhere/.git"))?;
    std::os::unix::fs::symlink(d.path().join("elsewhere"), r.join("pr"))?;
    let options = Options::default();
    let err = load(&r.join("pr"), &[], "pr", &options, |_| ())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("outside the configuration's tree"), "{err}");
    Ok(())
}

#[test]
fn a_collection_under_a_secret_name_is_settings_not_a_secret() -> crate::TestResult {
    // Real configurations go over such maps with for_each (and Terraform accepts it);
    // a single value under a secret name is marked (tests/cli.rs plants one).
    let d = Dir::with(&[(
        "main.tf",
        r#"
variable "federated_credentials" {
  type    = map(object({ issuer = string }))
  default = { gh = { issuer = "https://token.actions.example" } }
}
variable "db_password" {
  default = "hunter2"
}
variable "token_version" {
  default = 2
}
variable "implicit_id_token_issuance_enabled" {
  default = true
}
resource "null_resource" "flag" {
  count    = var.implicit_id_token_issuance_enabled ? var.token_version : 0
}
resource "null_resource" "fc" {
  for_each = var.federated_credentials
  triggers = { issuer = each.value.issuer }
}
resource "null_resource" "db" {
  triggers = { shown = upper(var.db_password) }
}
"#,
    )])?;
    let (built, _) = load(d.path(), &[], "t", &Options::default(), |r| {
        (
            r.address.to_string(),
            r.entries()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(","),
        )
    })
    .map_err(|e| e.to_string())?;
    let all: Vec<String> = built
        .resources
        .iter()
        .map(|(a, t)| format!("{a} {t}"))
        .collect();
    assert!(
        all.iter()
            .any(|l| l.starts_with("null_resource.fc[\"gh\"]")),
        "{all:?}"
    );
    assert!(all.iter().all(|l| !l.contains("HUNTER2")), "{all:?}");
    assert!(
        all.iter().any(|l| l.starts_with("null_resource.flag[1]")),
        "{all:?}"
    );
    Ok(())
}

#[test]
fn a_file_the_parser_would_take_hours_on_is_refused_in_time() -> crate::TestResult {
    // Found by fuzzing: objects and templates left open inside binary operations make
    // hcl-edit's parser backtrack without end (its time doubles every few bytes).
    let slow = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fuzz/regressions/hcl_expression/parse-backtracking"),
    )?;
    // A variable's type in a JSON file is parsed as one expression, as the parser
    // takes it longest.
    let main = serde_json::json!({ "variable": { "v": { "type": slow, "default": "x" } } });
    let d = Dir::with(&[("main.tf.json", &main.to_string())])?;
    let err = load(d.path(), &[], "pr", &quick_parse(), |_| ())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("main.tf.json")
            && err.contains("parsing took too long")
            && err.contains("--limit parse-seconds=N"),
        "{err}"
    );
    Ok(())
}

/// Options that give a parse one second.
fn quick_parse() -> Options<'static> {
    let mut options = Options::default();
    options.limits.parse_seconds = 1;
    options
}

#[test]
fn a_slow_text_parsed_many_times_holds_the_run_once_whatever_catches_the_error() -> crate::TestResult
{
    // Each `templatestring` parses its text anew. Were the deadline an ordinary error,
    // `try` would catch it and the next element would wait again: 1000 elements of a
    // text that needs the whole deadline would hold the job 1000 times as long. (The
    // template below is made slow for tests: see `SLOW_IN_TESTS`.)
    let slow = crate::expr::SLOW_IN_TESTS;
    let main = r#"locals {
  text = file("slow.txt")
  all  = [for i in range(30) : try(templatestring(local.text, {}), can(templatestring(local.text, {})), i)]
}
resource "null_resource" "r" {
  triggers = { n = length(local.all) }
}
"#;
    let d = Dir::with(&[("main.tf", main), ("slow.txt", slow)])?;
    let started = std::time::Instant::now();
    let err = load(d.path(), &[], "pr", &quick_parse(), |_| ())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    let took = started.elapsed();
    assert!(
        err.contains("main.tf") && err.contains("parse-seconds"),
        "{err}"
    );
    // One deadline (1 s) and the evaluation around it; 30 deadlines would be 30 s.
    assert!(took.as_secs() < 10, "took {took:?}: {err}");
    Ok(())
}
