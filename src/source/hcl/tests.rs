//! Root modules evaluated end to end: precedence of variable values, repetition,
//! dynamic blocks, module instances and their addresses, unknown values, errors.

use crate::model::{Resource, Value};
use tfparity_hcl::testdir::Dir;

/// Loads the root module in `files` (at `.`) for environment `prod`, with `var_files`.
fn load(
    files: &[(&str, &str)],
    var_files: &[&str],
) -> Result<(Vec<Resource>, Vec<String>, Dir), String> {
    let d = Dir::with(files).map_err(|e| e.to_string())?;
    let vf: Vec<String> = var_files
        .iter()
        .map(|f| d.path().join(f).display().to_string())
        .collect();
    let (r, w) = super::load(d.path(), &vf, "prod").map_err(|e| e.to_string())?;
    Ok((r, w, d))
}

fn addresses(rs: &[Resource]) -> Vec<String> {
    let mut v: Vec<String> = rs.iter().map(|r| r.address.to_string()).collect();
    v.sort();
    v
}

fn attr(rs: &[Resource], address: &str, name: &str) -> String {
    rs.iter()
        .find(|r| r.address.to_string() == address)
        .and_then(|r| r.attributes.get(name))
        .map(Value::to_json)
        .unwrap_or_else(|| "(none)".into())
}

#[test]
fn variable_precedence() -> crate::TestResult {
    let main = r#"
variable "a" { default = "default" }
variable "b" { default = "default" }
variable "c" { default = "default" }
variable "d" { default = "default" }
variable "e" { default = "default" }
variable "m" { default = { x = 1, y = 2 } }
resource "null_resource" "r" {
  triggers = { a = var.a, b = var.b, c = var.c, d = var.d, e = var.e }
  m = var.m
}
"#;
    let (rs, _, _d) = load(
        &[
            ("main.tf", main),
            (
                "terraform.tfvars",
                "b = \"tfvars\"\nc = \"tfvars\"\nd = \"tfvars\"\ne = \"tfvars\"\nm = { y = 3 }\n",
            ),
            (
                "terraform.tfvars.json",
                r#"{"c": "tfvars.json", "d": "tfvars.json", "e": "tfvars.json"}"#,
            ),
            ("b.auto.tfvars.json", r#"{"e": "b.auto.json"}"#),
            ("a.auto.tfvars", "d = \"a.auto\"\ne = \"a.auto\"\n"),
            ("one.tfvars", "e = \"one\"\n"),
            ("two.tfvars", "e = \"two\"\n"),
        ],
        &["one.tfvars", "two.tfvars"],
    )?;
    // defaults < terraform.tfvars < terraform.tfvars.json < *.auto.tfvars(.json) in
    // file-name order < each --var-file in order.
    assert_eq!(
        attr(&rs, "null_resource.r", "triggers"),
        r#"{"a":"default","b":"tfvars","c":"tfvars.json","d":"a.auto","e":"two"}"#
    );
    // A map from a later source replaces the default whole.
    assert_eq!(attr(&rs, "null_resource.r", "m"), r#"{"y":3}"#);
    // Without the command-line files, the last automatic file wins.
    let (rs, _, _d) = load(
        &[
            ("main.tf", main),
            ("a.auto.tfvars", "e = \"a.auto\"\n"),
            ("b.auto.tfvars.json", r#"{"e": "b.auto.json"}"#),
        ],
        &[],
    )?;
    assert!(attr(&rs, "null_resource.r", "triggers").contains(r#""e":"b.auto.json""#));
    Ok(())
}

#[test]
fn required_variables_types_and_sensitivity() -> crate::TestResult {
    let main = r#"
variable "cidr" { type = string }
variable "ports" { type = list(number) }
variable "password" {
  type      = string
  sensitive = true
}
resource "aws_db_instance" "db" {
  password = "${var.password}!"
  port     = var.ports[0]
  tags     = { cidr = var.cidr }
}
"#;
    let err = load(&[("main.tf", main)], &[]).err().unwrap_or_default();
    assert!(
        err.contains("main.tf:2:1")
            && err.contains("environment prod")
            && err.contains("variables \"cidr\", \"password\", \"ports\" are required"),
        "{err}"
    );
    let (rs, _, _d) = load(
        &[
            ("main.tf", main),
            (
                "v.tfvars",
                "cidr = \"10.0.0.0/16\"\nports = [\"5432\"]\npassword = \"hunter2\"\n",
            ),
        ],
        &["v.tfvars"],
    )?;
    let db = rs.first().ok_or("no resource")?;
    assert_eq!(
        attr(&rs, "aws_db_instance.db", "port"),
        "5432",
        "converted to the declared type"
    );
    assert_eq!(
        db.sensitive
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>(),
        ["password"]
    );
    let err = load(
        &[
            ("main.tf", main),
            (
                "v.tfvars",
                "cidr = \"x\"\nports = [\"many\"]\npassword = \"p\"\n",
            ),
        ],
        &["v.tfvars"],
    )
    .err()
    .unwrap_or_default();
    assert!(
        err.contains("invalid value for variable \"ports\"")
            && err.contains("a number is required"),
        "{err}"
    );
    // Said where the value is given, naming the declaration.
    assert!(
        err.contains("v.tfvars:2:") && err.contains("(declared at ") && err.contains("main.tf:"),
        "{err}"
    );
    // A module call without a required argument: said at the call.
    let err = load(
        &[
            ("main.tf", "\nmodule \"net\" {\n  source = \"./net\"\n}\n"),
            ("net/main.tf", "variable \"location\" {}\n"),
        ],
        &[],
    )
    .err()
    .unwrap_or_default();
    assert!(
        err.contains("main.tf:2:1: ")
            && err.contains("module \"net\": the call does not set variable \"location\"")
            && err.contains("net/main.tf:1:1"),
        "{err}"
    );
    // In a JSON variable file too, at the key.
    let err = load(
        &[
            ("main.tf", "variable \"port\" { type = number }\n"),
            (
                "v.tfvars.json",
                "{\n  \"other\": {\"port\": 1},\n  \"port\": \"http\"\n}\n",
            ),
        ],
        &["v.tfvars.json"],
    )
    .err()
    .unwrap_or_default();
    assert!(err.contains("v.tfvars.json:3:3: "), "{err}");
    // A value of the wrong type is an error even where nothing reads the variable.
    let err = load(
        &[
            ("main.tf", "variable \"port\" { type = number }\n"),
            ("terraform.tfvars", "port = \"http\"\n"),
        ],
        &[],
    )
    .err()
    .unwrap_or_default();
    assert!(
        err.contains("terraform.tfvars:1:") && err.contains("invalid value for variable \"port\""),
        "{err}"
    );
    // An argument the module does not declare, as Terraform refuses it.
    let err = load(
        &[
            (
                "main.tf",
                "module \"net\" {\n  source   = \"./net\"\n  location = \"x\"\n  region   = \"y\"\n}\n",
            ),
            ("net/main.tf", "variable \"location\" {}\n"),
        ],
        &[],
    )
    .err()
    .unwrap_or_default();
    assert!(
        err.contains("main.tf:4:3: ") && err.contains("no variable named \"region\""),
        "{err}"
    );
    Ok(())
}

#[test]
fn count_for_each_and_dynamic_blocks() -> crate::TestResult {
    let main = r#"
locals {
  zones = ["a", "b", "c"]
  rules = { ssh = 22, https = 443 }
}
resource "aws_subnet" "private" {
  count             = length_of_zones
  availability_zone = "us-east-1${local.zones[count.index]}"
}
resource "aws_security_group_rule" "in" {
  for_each  = local.rules
  from_port = each.value
  to_port   = each.value
  type      = "ingress"
  description = each.key
}
resource "aws_route53_record" "named" {
  for_each = toset_is_a_function_call
  name     = each.key
}
resource "aws_security_group" "web" {
  dynamic "ingress" {
    for_each = local.rules
    iterator = rule
    content {
      from_port = rule.value
      description = rule.key
    }
  }
  egress { from_port = 0 }
}
"#
    .replace("length_of_zones", "3")
    .replace("toset_is_a_function_call", "{ \"api\" = 1, \"www\" = 2 }");
    let (rs, _, _d) = load(&[("main.tf", &main)], &[])?;
    assert_eq!(
        addresses(&rs),
        [
            r#"aws_route53_record.named["api"]"#,
            r#"aws_route53_record.named["www"]"#,
            "aws_security_group.web",
            r#"aws_security_group_rule.in["https"]"#,
            r#"aws_security_group_rule.in["ssh"]"#,
            "aws_subnet.private[0]",
            "aws_subnet.private[1]",
            "aws_subnet.private[2]",
        ]
    );
    assert_eq!(
        attr(&rs, "aws_subnet.private[2]", "availability_zone"),
        r#""us-east-1c""#
    );
    assert_eq!(
        attr(&rs, r#"aws_security_group_rule.in["ssh"]"#, "from_port"),
        "22"
    );
    assert_eq!(
        attr(&rs, "aws_security_group.web", "ingress"),
        r#"[{"description":"https","from_port":443},{"description":"ssh","from_port":22}]"#
    );
    assert_eq!(
        attr(&rs, "aws_security_group.web", "egress"),
        r#"[{"from_port":0}]"#
    );
    // A list is not a for_each value until it is a set.
    let err = load(
        &[(
            "main.tf",
            "resource \"a_b\" \"c\" {\n  for_each = [\"x\"]\n}\n",
        )],
        &[],
    )
    .err()
    .unwrap_or_default();
    assert!(
        err.contains("main.tf:2:") && err.contains("must be a map, or set of strings"),
        "{err}"
    );
    Ok(())
}

#[test]
fn modules_instances_addresses_and_outputs() -> crate::TestResult {
    let root = r#"
locals { groups = { api = 8080, web = 443 } }
module "sg" {
  source   = "./modules/sg"
  for_each = local.groups
  name     = each.key
  port     = each.value
}
module "net" {
  source = "./modules/net"
  count  = 2
  index  = count.index
}
resource "aws_lb" "front" {
  security_groups = [module.sg["web"].id]
  subnets         = module.net[*].subnet
  name            = module.sg["api"].name_out
}
"#;
    let sg = r#"
variable "name" {}
variable "port" { type = number }
resource "aws_security_group" "this" {
  name = "sg-${var.name}"
  ingress { from_port = var.port }
}
output "id" { value = aws_security_group.this.id }
output "name_out" { value = aws_security_group.this.name }
"#;
    let net = r#"
variable "index" {}
resource "aws_subnet" "s" { cidr_block = "10.0.${var.index}.0/24" }
module "deeper" {
  source = "../leaf"
  n      = var.index
}
output "subnet" { value = aws_subnet.s.id }
"#;
    let leaf = "variable \"n\" {}\nresource \"null_resource\" \"x\" { triggers = { n = var.n } }\n";
    let (rs, _, _d) = load(
        &[
            ("main.tf", root),
            ("modules/sg/main.tf", sg),
            ("modules/net/main.tf", net),
            ("modules/leaf/main.tf", leaf),
        ],
        &[],
    )?;
    assert_eq!(
        addresses(&rs),
        [
            "aws_lb.front",
            r#"module.net[0].aws_subnet.s"#,
            r#"module.net[0].module.deeper.null_resource.x"#,
            r#"module.net[1].aws_subnet.s"#,
            r#"module.net[1].module.deeper.null_resource.x"#,
            r#"module.sg["api"].aws_security_group.this"#,
            r#"module.sg["web"].aws_security_group.this"#,
        ]
    );
    // Outputs flow back: identifiers known after apply are references to their resource.
    assert_eq!(
        attr(&rs, "aws_lb.front", "security_groups"),
        r#"["${module.sg[\"web\"].aws_security_group.this}"]"#
    );
    assert_eq!(
        attr(&rs, "aws_lb.front", "subnets"),
        r#"["${module.net[0].aws_subnet.s}","${module.net[1].aws_subnet.s}"]"#
    );
    // A configured attribute read through an output is its value.
    assert_eq!(attr(&rs, "aws_lb.front", "name"), r#""sg-api""#);
    assert_eq!(
        attr(
            &rs,
            "module.net[1].module.deeper.null_resource.x",
            "triggers"
        ),
        r#"{"n":1}"#
    );
    assert_eq!(
        attr(
            &rs,
            r#"module.sg["web"].aws_security_group.this"#,
            "ingress"
        ),
        r#"[{"from_port":443}]"#
    );
    Ok(())
}

#[test]
fn unknown_values_propagate_and_unknown_repetition_is_left_unexpanded() -> crate::TestResult {
    let main = r#"
resource "aws_vpc" "main" { cidr_block = "10.0.0.0/16" }
resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = aws_vpc.main.cidr_block
  tags       = { Name = "x-${aws_vpc.main.id}", Owner = aws_vpc.main.owner_id }
}
resource "aws_instance" "per_subnet" {
  count     = length_is_unknown
  subnet_id = aws_subnet.a.id
}
data "aws_ami" "ubuntu" { most_recent = true }
resource "aws_instance" "web" { ami = data.aws_ami.ubuntu.id }
"#
    .replace(
        "length_is_unknown",
        "aws_vpc.main.enable_dns_support ? 1 : 0",
    );
    let (rs, warnings, _d) = load(&[("main.tf", &main)], &[])?;
    assert_eq!(attr(&rs, "aws_subnet.a", "vpc_id"), r#""${aws_vpc.main}""#);
    assert_eq!(
        attr(&rs, "aws_subnet.a", "cidr_block"),
        r#""10.0.0.0/16""#,
        "set in configuration: known"
    );
    assert_eq!(
        attr(&rs, "aws_subnet.a", "tags"),
        r#"{"Name":"(known after apply)","Owner":"(known after apply)"}"#
    );
    assert_eq!(
        attr(&rs, "aws_instance.web", "ami"),
        r#""${data.aws_ami.ubuntu}""#
    );
    assert!(!addresses(&rs).iter().any(|a| a.contains("per_subnet")));
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("aws_instance.per_subnet")
            && warnings[0].contains("`count` is known only after apply"),
        "{warnings:?}"
    );
    // Dependencies come from references.
    let subnet = rs
        .iter()
        .find(|r| r.address.to_string() == "aws_subnet.a")
        .ok_or("no subnet")?;
    assert_eq!(
        subnet
            .dependencies
            .iter()
            .map(|a| a.to_string())
            .collect::<Vec<_>>(),
        ["aws_vpc.main"]
    );
    Ok(())
}

#[test]
fn module_errors_name_the_place() -> crate::TestResult {
    // A module that calls itself, directly or through another.
    let err = load(
        &[
            ("main.tf", "module \"a\" {\n  source = \"./modules/a\"\n}\n"),
            (
                "modules/a/main.tf",
                "module \"b\" {\n  source = \"../b\"\n}\n",
            ),
            (
                "modules/b/main.tf",
                "module \"again\" {\n  source = \"../a\"\n}\n",
            ),
        ],
        &[],
    )
    .err()
    .unwrap_or_default();
    assert!(
        err.contains("modules/b/main.tf:1:1")
            && err.contains("module.a → module.b → module.again")
            && err.contains("may not call itself"),
        "{err}"
    );
    // A missing module folder.
    let err = load(
        &[("main.tf", "module \"x\" {\n  source = \"./nope\"\n}\n")],
        &[],
    )
    .err()
    .unwrap_or_default();
    assert!(
        err.contains("main.tf:1:1") && err.contains("source directory \"./nope\" does not exist"),
        "{err}"
    );
    // A remote module without `terraform init`: reported once, outputs unknown.
    let (rs, warnings, _d) = load(
        &[(
            "main.tf",
            "module \"vpc\" {\n  source = \"terraform-aws-modules/vpc/aws\"\n}\nresource \"aws_subnet\" \"x\" {\n  vpc_id = module.vpc.vpc_id\n}\n",
        )],
        &[],
    )?;
    assert_eq!(
        attr(&rs, "aws_subnet.x", "vpc_id"),
        r#""(known after apply)""#
    );
    assert!(
        warnings.len() == 1 && warnings[0].contains("is not installed"),
        "{warnings:?}"
    );
    // A cycle among locals.
    let err = load(
        &[(
            "main.tf",
            "locals {\n  a = local.b\n  b = local.a\n}\nresource \"x_y\" \"z\" { v = local.a }\n",
        )],
        &[],
    )
    .err()
    .unwrap_or_default();
    assert!(err.contains("cycle"), "{err}");
    // An undeclared reference and an unknown function say which.
    let err = load(
        &[("main.tf", "resource \"x_y\" \"z\" {\n  v = var.nope\n}\n")],
        &[],
    )
    .err()
    .unwrap_or_default();
    assert!(
        err.contains("main.tf:2:") && err.contains("\"nope\" has not been declared"),
        "{err}"
    );
    let err = load(
        &[(
            "main.tf",
            "resource \"x_y\" \"z\" {\n  v = frobnicate(1)\n}\n",
        )],
        &[],
    )
    .err()
    .unwrap_or_default();
    assert!(
        err.contains("main.tf:2:7") && err.contains("no function named \"frobnicate\""),
        "{err}"
    );
    Ok(())
}

#[test]
fn installed_modules_come_from_the_manifest() -> crate::TestResult {
    let manifest = r#"{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"vpc","Source":"registry.terraform.io/terraform-aws-modules/vpc/aws","Version":"5.1.2","Dir":".terraform/modules/vpc"}]}"#;
    let (rs, warnings, _d) = load(
        &[
            ("main.tf", "module \"vpc\" {\n  source = \"terraform-aws-modules/vpc/aws\"\n  cidr = \"10.9.0.0/16\"\n}\n"),
            (".terraform/modules/modules.json", manifest),
            (".terraform/modules/vpc/main.tf", "variable \"cidr\" {}\nresource \"aws_vpc\" \"this\" { cidr_block = var.cidr }\n"),
        ],
        &[],
    )?;
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        attr(&rs, "module.vpc.aws_vpc.this", "cidr_block"),
        r#""10.9.0.0/16""#
    );
    Ok(())
}

/// Findings of comparing two root modules (`prod` the baseline), one line each.
fn compare_dirs(prod: &[(&str, &str)], staging: &[(&str, &str)]) -> crate::TestResult<Vec<String>> {
    let mut envs = Vec::new();
    let mut dirs = Vec::new();
    for (name, files) in [("prod", prod), ("staging", staging)] {
        let d = Dir::with(files)?;
        envs.push(declared_env(name, &d)?);
        dirs.push(d);
    }
    Ok(findings_of(envs))
}

/// The environment a directory declares, read as the command line reads it.
fn declared_env(name: &str, d: &Dir) -> crate::TestResult<crate::model::Environment> {
    let spec = crate::source::EnvSpec {
        name: name.into(),
        path: d.path().display().to_string(),
        var_files: Vec::new(),
        workspace: None,
        shared_root: false,
    };
    Ok(crate::source::load(
        &spec,
        None,
        None,
        &Default::default(),
        &Default::default(),
    )?)
}

/// The findings of comparing `envs` (the first is the baseline), one line each.
fn findings_of(envs: Vec<crate::model::Environment>) -> Vec<String> {
    crate::lens::testing::compare_envs(envs)
        .iter()
        .map(crate::lens::testing::line)
        .collect()
}

#[test]
fn two_configurations_differ_in_what_either_sets() -> crate::TestResult {
    let db = |extra: &str| {
        format!("resource \"aws_db_instance\" \"x\" {{\n  engine = \"postgres\"\n  {extra}\n}}\n")
    };
    let (a, b) = (db(""), db("publicly_accessible = true"));
    let got = compare_dirs(&[("main.tf", &a)], &[("main.tf", &b)])?;
    assert!(
        got.iter()
            .any(|l| l.contains("publicly_accessible") || l.starts_with("exposure")),
        "{got:?}"
    );
    let tags = |t: &str| format!("resource \"aws_s3_bucket\" \"b\" {{\n  tags = {{ {t} }}\n}}\n");
    let (a, b) = (tags("a = \"1\""), tags("a = \"1\", z = \"2\""));
    let got = compare_dirs(&[("main.tf", &a)], &[("main.tf", &b)])?;
    assert!(got.len() == 1 && got[0].contains("tags"), "{got:?}");
    Ok(())
}

#[test]
fn module_paths_join_by_name() {
    use std::path::Path;
    use tfparity_hcl::paths::lexical_join;
    for (base, rel, want) in [
        ("envs/dev", "../../", "."),
        ("envs/dev", "../../modules/x", "modules/x"),
        (".", "../../", "../.."),
        ("../dev", "../../mod", "../../mod"),
        ("a/./b", "./c", "a/b/c"),
        ("/repo/envs/prod", "../../modules/net", "/repo/modules/net"),
        ("/", "../x", "/x"),
    ] {
        assert_eq!(
            lexical_join(Path::new(base), rel),
            Path::new(want),
            "{base} + {rel}"
        );
    }
}

#[test]
fn a_module_above_the_root_and_an_empty_directory() -> crate::TestResult {
    let d = Dir::with(&[
        ("main.tf", "resource \"null_resource\" \"x\" {}\n"),
        (
            "envs/dev/main.tf",
            "module \"m\" {\n  source = \"../../\"\n}\n",
        ),
    ])?;
    let (rs, _) = super::load(&d.path().join("envs/dev"), &[], "dev")?;
    assert_eq!(addresses(&rs), ["module.m.null_resource.x"]);
    let empty = Dir::with(&[("terragrunt.hcl", "terraform {}\n")])?;
    let err = super::load(empty.path(), &[], "qa")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("no Terraform configuration files") && err.contains("terragrunt"),
        "{err}"
    );
    Ok(())
}

#[test]
fn constructs_real_modules_use() -> crate::TestResult {
    let main = r#"
variable "subnets" {
  type    = list(string)
  default = null
}
variable "ipv6" {
  type    = string
  default = null
}
resource "terraform_data" "per_subnet" {
  for_each = var.subnets != null ? toset(var.subnets) : []
}
resource "aws_vpc" "v" {
  cidr_block      = "10.0.0.0/16"
  ipv6_cidr_block = var.ipv6
}
resource "aws_subnet" "s" {
  ipv6_cidr_block = aws_vpc.v.ipv6_cidr_block
}
resource "terraform_data" "u" {}
locals {
  o   = { n = terraform_data.u.id }
  tpl = "b-$${who}"
  m = { for k, v in { a = 1, b = -1 } : k =>
    v > 0
    ? "pos"
    : "neg" }
}
resource "terraform_data" "when" {
  count = local.o != null ? 1 : 0
  input = templatestring(local.tpl, { who = "x" })
}
resource "null_resource" "m" {
  triggers = local.m
  dir      = basename(path.cwd)
}
"#;
    let (rs, warnings, _d) = load(&[("main.tf", main)], &[])?;
    assert!(warnings.is_empty(), "{warnings:?}");
    // A conditional's branches share a type: no instance, not an error.
    assert!(!addresses(&rs).iter().any(|a| a.contains("per_subnet")));
    // An argument set to null is the provider's: unknown where referred to, not an error.
    assert_eq!(
        attr(&rs, "aws_subnet.s", "ipv6_cidr_block"),
        r#""(known after apply)""#
    );
    assert_eq!(attr(&rs, "aws_vpc.v", "ipv6_cidr_block"), "(none)");
    // An object holding an unknown is still not null.
    assert_eq!(attr(&rs, "terraform_data.when[0]", "input"), r#""b-x""#);
    assert_eq!(
        attr(&rs, "null_resource.m", "triggers"),
        r#"{"a":"pos","b":"neg"}"#
    );
    assert_ne!(attr(&rs, "null_resource.m", "dir"), r#"".""#);
    Ok(())
}

#[test]
fn review_mends_secrets_depth_and_paths() -> crate::TestResult {
    // A sensitive list iterated by `for`: its elements stay sensitive.
    let main = r#"
variable "pw" {
  type      = list(string)
  sensitive = true
  default   = ["hunter2"]
}
resource "x_y" "z" { v = [for s in var.pw : tonumber(s)] }
"#;
    let err = load(&[("main.tf", main)], &[]).err().unwrap_or_default();
    assert!(!err.is_empty() && !err.contains("hunter2"), "{err}");
    let keyed = r#"
variable "pw" {
  type      = string
  sensitive = true
  default   = "hunter2"
}
resource "x_y" "z" { tags = { (var.pw) = "x" } }
"#;
    let (rs, _, _d) = load(&[("main.tf", keyed)], &[])?;
    let z = rs.first().ok_or("no resource")?;
    assert_eq!(
        z.sensitive
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>(),
        ["tags"]
    );
    // templatefile may not call itself.
    let err = load(
        &[
            (
                "main.tf",
                "resource \"x_y\" \"z\" { v = templatefile(\"a.tpl\", {}) }\n",
            ),
            ("a.tpl", "${templatefile(\"a.tpl\", {})}"),
        ],
        &[],
    )
    .err()
    .unwrap_or_default();
    assert!(err.contains("recursively"), "{err}");
    // An error inside a template file is said at the call, not at the template's own
    // offsets read as if they were the calling file's.
    let err = load(
        &[
            (
                "main.tf",
                "\n\nresource \"x_y\" \"z\" {\n  v = templatefile(\"a.tpl\", { n = null })\n}\n",
            ),
            ("a.tpl", "first line\nsecond ${n}"),
        ],
        &[],
    )
    .err()
    .unwrap_or_default();
    assert!(
        err.contains("main.tf:4:7: ") && err.contains("null value"),
        "{err}"
    );
    // So is an error inside a template string.
    let err = load(
        &[(
            "main.tf",
            "\n\nresource \"x_y\" \"z\" {\n  v = templatestring(\"ab\\n$${nosuch}\", {})\n}\n",
        )],
        &[],
    )
    .err()
    .unwrap_or_default();
    assert!(
        err.contains("main.tf:4:7: ") && err.contains("nosuch"),
        "{err}"
    );
    // `core::toset` is `toset`: the other branch of a conditional is a set either way.
    let (rs, _, _d) = load(
        &[(
            "main.tf",
            "resource \"x_y\" \"z\" {\n  for_each = true ? [\"a\", \"b\"] : core::toset([])\n}\n",
        )],
        &[],
    )?;
    assert_eq!(addresses(&rs), ["x_y.z[\"a\"]", "x_y.z[\"b\"]"]);
    // path.module is relative to the root module, wherever the tool runs.
    let d = Dir::with(&[
        ("envs/prod/main.tf", "module \"x\" {\n  source = \"../../modules/x\"\n}\n"),
        ("modules/x/main.tf", "resource \"x_y\" \"z\" {\n  v = templatefile(\"${path.module}/t.tpl\", { n = 1 })\n  p = path.module\n}\n"),
        ("modules/x/t.tpl", "n=${n}"),
    ])?;
    let (rs, _) = super::load(&d.path().join("envs/prod"), &[], "prod")?;
    assert_eq!(attr(&rs, "module.x.x_y.z", "v"), r#""n=1""#);
    assert_eq!(attr(&rs, "module.x.x_y.z", "p"), r#""../../modules/x""#);
    Ok(())
}

#[test]
fn review_mends_evaluation() -> crate::TestResult {
    let main = r#"
variable "names" {
  type    = set(string)
  default = ["a"]
}
variable "enabled" { default = false }
variable "pw" {
  type      = string
  sensitive = true
  default   = "hunter2"
}
locals {
  users = { alice = { pw = var.pw } }
  l     = [{ a = [1, 2] }, { a = [3, 4] }]
}
resource "x_set" "s" { for_each = var.enabled ? var.names : [] }
resource "x_user" "u" {
  for_each = local.users
  name     = each.key
}
resource "x_t" "t" {
  a = "[%{if true}a  %{~endif}]"
  b = "[%{if false ~}  a%{else}  b%{endif}]"
  c = local.l.*.a.0
}
"#;
    let (rs, _, _d) = load(&[("main.tf", main)], &[])?;
    assert!(!addresses(&rs).iter().any(|a| a.starts_with("x_set")));
    assert_eq!(attr(&rs, r#"x_user.u["alice"]"#, "name"), r#""alice""#);
    assert_eq!(attr(&rs, "x_t.t", "a"), r#""[a]""#);
    assert_eq!(attr(&rs, "x_t.t", "b"), r#""[  b]""#);
    assert_eq!(attr(&rs, "x_t.t", "c"), "[1,3]");
    Ok(())
}

#[test]
fn review_mends_merging_json_and_missing() -> crate::TestResult {
    // An override's `dynamic "egress"` replaces egress blocks only.
    let (rs, _, _d) = load(
        &[
            (
                "main.tf",
                "resource \"x_sg\" \"a\" {\n  dynamic \"ingress\" {\n    for_each = [1]\n    content { p = ingress.value }\n  }\n  egress { p = 0 }\n}\n",
            ),
            (
                "main_override.tf",
                "resource \"x_sg\" \"a\" {\n  dynamic \"egress\" {\n    for_each = [2]\n    content { p = egress.value }\n  }\n}\n",
            ),
        ],
        &[],
    )?;
    assert_eq!(attr(&rs, "x_sg.a", "ingress"), r#"[{"p":1}]"#);
    assert_eq!(attr(&rs, "x_sg.a", "egress"), r#"[{"p":2}]"#);
    // A .tf.json variable's type is a type, its default a value.
    let (rs, _, _d) = load(
        &[(
            "main.tf.json",
            r#"{"variable": {"ports": {"type": "list(number)", "default": ["80"]}, "raw": {"default": "${foo}"}},
                "resource": {"x_y": {"z": {"p": "${var.ports[0] + 1}", "r": "${var.raw}"}}}}"#,
        )],
        &[],
    )?;
    assert_eq!(attr(&rs, "x_y.z", "p"), "81");
    assert_eq!(attr(&rs, "x_y.z", "r"), r#""${foo}""#);
    // A block left unexpanded in one configuration is not reported missing there.
    let counted = "data \"x_azs\" \"a\" {}\nresource \"x_subnet\" \"s\" {\n  count = length(data.x_azs.a.names)\n}\n";
    let fixed = "resource \"x_subnet\" \"s\" {\n  count = 2\n}\n";
    let got = compare_dirs(&[("main.tf", fixed)], &[("main.tf", counted)])?;
    assert!(
        got.iter()
            .all(|l| !l.starts_with("missing") || l.contains("data.")),
        "{got:?}"
    );
    Ok(())
}

#[test]
fn configuration_blocks_against_state_in_any_order() -> crate::TestResult {
    let d = Dir::with(&[(
        "main.tf",
        r#"
variable "type" { default = null }
resource "aws_instance" "a" {
  ebs_block_device {
    device_name = "/dev/sdb"
    volume_size = 10
    volume_type = var.type
  }
  ebs_block_device {
    device_name = "/dev/sdc"
    volume_size = 20
  }
}
"#,
    )])?;
    let declared = declared_env("declared", &d)?;
    let state = r#"{"id":"i-0abc","ebs_block_device":[
        {"device_name":"/dev/sdc","volume_size":20,"volume_type":"gp3","encrypted":false,"iops":3000},
        {"device_name":"/dev/sdb","volume_size":10,"volume_type":"gp3","encrypted":false,"iops":3000}]}"#;
    let deployed = crate::model::Environment::for_tests("deployed", &[("aws_instance.a", state)])?;
    let found = findings_of(vec![declared, deployed]);
    assert!(found.is_empty(), "{found:?}");
    Ok(())
}

#[test]
fn functions_do_not_see_the_resource_mark() -> crate::TestResult {
    let main = r#"
resource "x_thing" "a" { x = 1 }
resource "x_thing" "c" { count = 1 }
resource "x_y" "z" {
  o = one(x_thing.c[*]).id
  e = element(concat(x_thing.c[*], []), 0).arn
  k = keys(x_thing.a)
  n = length(x_thing.a)
  l = lookup(x_thing.a, "arn", "none")
  j = jsonencode({ t = x_thing.a, l = [x_thing.a] })
  m = length([x_thing.a][0])
  v = values({ t = x_thing.a })[0]
}
"#;
    let (rs, _, _d) = load(&[("main.tf", main)], &[])?;
    // Resource objects pass through functions whole: their identifiers stay references.
    assert_eq!(attr(&rs, "x_y.z", "o"), r#""${x_thing.c[0]}""#);
    assert_eq!(attr(&rs, "x_y.z", "e"), r#""${x_thing.c[0]}""#);
    // Not even inside other values.
    assert_eq!(
        attr(&rs, "x_y.z", "j"),
        r#""{\"l\":[{\"x\":1}],\"t\":{\"x\":1}}""#
    );
    assert_eq!(attr(&rs, "x_y.z", "m"), "1");
    assert_eq!(attr(&rs, "x_y.z", "v"), r#"{"x":1}"#);
    assert_eq!(attr(&rs, "x_y.z", "k"), r#"["x"]"#);
    assert_eq!(attr(&rs, "x_y.z", "n"), "1");
    assert_eq!(attr(&rs, "x_y.z", "l"), r#""${x_thing.a}""#);
    // try() does not hide a reference to something never declared.
    let err = load(
        &[(
            "main.tf",
            "resource \"x_y\" \"z\" {\n  v = try(var.nope, 1)\n}\n",
        )],
        &[],
    )
    .err()
    .unwrap_or_default();
    assert!(err.contains("\"nope\" has not been declared"), "{err}");
    Ok(())
}

#[test]
fn declared_balancer_listener_and_alias_match_the_state() -> crate::TestResult {
    let main = r#"
resource "aws_lb" "web" {
  name     = "prod-web"
  internal = false
}
resource "aws_lb_target_group" "web" {
  name     = "prod-web"
  port     = 8080
  protocol = "HTTP"
}
resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.web.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}
resource "aws_route53_zone" "main" { name = "prod.example.com" }
resource "aws_route53_record" "www" {
  zone_id = aws_route53_zone.main.zone_id
  name    = "www.prod.example.com"
  type    = "A"
  alias {
    name                   = aws_lb.web.dns_name
    zone_id                = aws_lb.web.zone_id
    evaluate_target_health = true
  }
}
"#;
    let d = Dir::with(&[("main.tf", main)])?;
    let declared = declared_env("declared", &d)?;
    let lb = "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/prod-web/50dc6c495c0c9188";
    let tg =
        "arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/prod-web/6d0ecf831eec9f09";
    let lb_attrs = format!(
        r#"{{"arn":"{lb}","id":"{lb}","name":"prod-web","internal":false,"dns_name":"prod-web-123.us-east-1.elb.amazonaws.com","zone_id":"Z35SXDOTRQ7X7K"}}"#
    );
    let tg_attrs =
        format!(r#"{{"arn":"{tg}","id":"{tg}","name":"prod-web","port":8080,"protocol":"HTTP"}}"#);
    let listener = format!(
        r#"{{"id":"l1","load_balancer_arn":"{lb}","port":443,"protocol":"HTTPS","ssl_policy":"ELBSecurityPolicy-TLS13-1-2-2021-06","default_action":[{{"type":"forward","target_group_arn":"{tg}","forward":[],"redirect":[],"fixed_response":[],"order":1}}]}}"#
    );
    let zone = r#"{"id":"Z0ABC","zone_id":"Z0ABC","name":"prod.example.com","vpc":[]}"#;
    let record = r#"{"id":"Z0ABC_www","zone_id":"Z0ABC","name":"www.prod.example.com","type":"A","ttl":0,"records":null,"set_identifier":"","alias":[{"name":"dualstack.prod-web-123.us-east-1.elb.amazonaws.com","zone_id":"Z35SXDOTRQ7X7K","evaluate_target_health":true}]}"#;
    let deployed = crate::model::Environment::for_tests(
        "deployed",
        &[
            ("aws_lb.web", &lb_attrs),
            ("aws_lb_target_group.web", &tg_attrs),
            ("aws_lb_listener.https", &listener),
            ("aws_route53_zone.main", zone),
            ("aws_route53_record.www", record),
        ],
    )?;
    let found = findings_of(vec![declared, deployed]);
    assert!(found.is_empty(), "{found:?}");
    Ok(())
}

#[test]
fn side_by_side_evaluation_is_deterministic() -> crate::TestResult {
    let mut root = String::from("resource \"x_vpc\" \"v\" { cidr = \"10.0.0.0/16\" }\n");
    for m in 0..12 {
        root.push_str(&format!(
            "module \"m{m}\" {{\n  source = \"./modules/m\"\n  for_each = {{ a = 1, b = 2 }}\n  n = each.value + {m}\n  vpc = x_vpc.v.id\n}}\n"
        ));
    }
    let module = "variable \"n\" {}\nvariable \"vpc\" {}\ndata \"x_azs\" \"z\" {}\nresource \"x_s\" \"s\" {\n  count = var.n\n  vpc = var.vpc\n}\nresource \"x_u\" \"u\" {\n  count = length(data.x_azs.z.names)\n}\n";
    let d = Dir::with(&[("main.tf", root.as_str()), ("modules/m/main.tf", module)])?;
    let (first, warnings) = super::load(d.path(), &[], "prod")?;
    assert_eq!(warnings.len(), 24, "{warnings:?}");
    // x_vpc; per module instance a data source and n = each.value + m subnets.
    let subnets: usize = (0..12).map(|m| (1 + m) + (2 + m)).sum();
    assert_eq!(first.len(), 1 + 24 + subnets);
    for _ in 0..4 {
        let (again, w) = super::load(d.path(), &[], "prod")?;
        assert_eq!(addresses(&again), addresses(&first));
        assert_eq!(w, warnings);
    }
    Ok(())
}

#[test]
fn a_cycle_between_module_instances_is_an_error_not_a_wait() -> crate::TestResult {
    // Two instances evaluated side by side each start at one end of a cycle.
    let main = r#"
locals {
  a = length(flatten([for i in range(200) : [for j in range(50) : "${i}-${j}"]])) > 0 ? local.b : "x"
  b = length(flatten([for i in range(200) : [for j in range(50) : "${i}-${j}"]])) > 0 ? local.a : "y"
}
module "m1" {
  source = "./m"
  x      = local.a
}
module "m2" {
  source = "./m"
  x      = local.b
}
"#;
    let m = "variable \"x\" {}\nresource \"x_r\" \"r\" { v = var.x }\n";
    for _ in 0..3 {
        let err = load(&[("main.tf", main), ("m/main.tf", m)], &[])
            .err()
            .unwrap_or_default();
        // The same message every time: a failure is evaluated again, one instance after
        // another.
        assert!(
            err.contains("main.tf:3:3") && err.contains("cycle: local.a refers to itself"),
            "{err}"
        );
    }
    Ok(())
}

#[test]
fn a_repeated_object_key_keeps_the_last_value() -> crate::TestResult {
    let main = "resource \"x_y\" \"z\" {\n  tags = {\n    a = 1\n    b = 2\n    a = 3\n    \"b\" = 4\n  }\n}\n";
    let (rs, _, _d) = load(&[("main.tf", main)], &[])?;
    assert_eq!(attr(&rs, "x_y.z", "tags"), r#"{"a":3,"b":4}"#);
    Ok(())
}

#[test]
fn sources_name_only_the_environments_a_finding_compares() -> crate::TestResult {
    let conf = |count: u32, port: u32| {
        format!("resource \"x_thing\" \"r\" {{\n  count = {count}\n  port  = {port}\n}}\n")
    };
    let dirs = [conf(1, 22), conf(0, 22), conf(1, 443)]
        .iter()
        .map(|c| Dir::with(&[("main.tf", c.as_str())]))
        .collect::<Result<Vec<_>, _>>()?;
    let envs = ["a", "b", "c"]
        .iter()
        .zip(&dirs)
        .map(|(n, d)| declared_env(n, d))
        .collect::<Result<Vec<_>, _>>()?;
    let report = crate::compare_loaded(&envs, 0);
    let mut seen = Vec::new();
    for f in &report.findings {
        let named: Vec<&String> = report
            .sources
            .get(&f.id)
            .map(|s| s.keys().collect())
            .unwrap_or_default();
        seen.push(format!("{:?} {named:?}", f.kind));
    }
    seen.sort();
    // The port differs between a and c only: b, which declares the resource with no
    // instance, is not named there; it is named where the resource is missing.
    assert_eq!(
        seen,
        [r#"Attribute ["a", "c"]"#, r#"Missing ["a", "b", "c"]"#],
        "{seen:?}"
    );
    Ok(())
}

#[test]
fn declared_routes_are_compared_by_what_they_refer_to() -> crate::TestResult {
    let conf = |env: &str| {
        format!(
            r#"
locals {{ env = "{env}" }}
resource "aws_vpc" "main" {{ cidr_block = "10.0.0.0/16" }}
resource "aws_internet_gateway" "igw" {{ vpc_id = aws_vpc.main.id }}
resource "aws_nat_gateway" "nat" {{
  count     = 2
  subnet_id = "subnet-${{count.index}}"
}}
resource "aws_route_table" "rt" {{
  vpc_id = aws_vpc.main.id
  route {{
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = local.env == "prod" ? aws_nat_gateway.nat[0].id : aws_nat_gateway.nat[1].id
  }}
}}
resource "aws_route" "extra" {{
  count                  = local.env == "prod" ? 0 : 1
  route_table_id         = aws_route_table.rt.id
  destination_cidr_block = "203.0.113.0/24"
  gateway_id             = aws_internet_gateway.igw.id
}}
"#
        )
    };
    let (prod, staging) = (conf("prod"), conf("staging"));
    let found = compare_dirs(&[("main.tf", &prod)], &[("main.tf", &staging)])?;
    let routes: Vec<&String> = found.iter().filter(|l| l.contains("route")).collect();
    assert!(
        routes
            .iter()
            .any(|l| l.contains("0.0.0.0/0") && l.contains("aws_nat_gateway.nat[1]")),
        "{found:#?}"
    );
    assert!(
        routes
            .iter()
            .any(|l| l.contains("203.0.113.0/24") && l.contains("internet gateway")),
        "{found:#?}"
    );
    Ok(())
}

/// The workspace of an environment whose root module another environment shares.
fn ws(name: Option<&str>) -> super::Options<'_> {
    super::Options {
        workspace: super::Workspace {
            name,
            shared_root: true,
        },
        fetcher: None,
        ..Default::default()
    }
}

#[test]
fn the_workspace_is_given_per_environment_and_reading_the_default_is_said() -> crate::TestResult {
    let main = r#"
locals {
  cfg = {
    prod    = { ssh = [] }
    staging = { ssh = ["0.0.0.0/0"] }
  }
  env = lookup(local.cfg, terraform.workspace, local.cfg.prod)
}
resource "x_y" "z" {
  ssh = local.env.ssh
  ws  = terraform.workspace
}
"#;
    let d = Dir::with(&[("main.tf", main)])?;
    let (built, warnings) =
        super::load_with_origins(d.path(), &[], "staging", &ws(Some("staging")))?;
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(attr(&built.resources, "x_y.z", "ssh"), r#"["0.0.0.0/0"]"#);
    assert_eq!(attr(&built.resources, "x_y.z", "ws"), r#""staging""#);
    // Not given: `default`, as Terraform has it, and a warning saying where it is read.
    let (built, warnings) = super::load_with_origins(d.path(), &[], "staging", &ws(None))?;
    assert_eq!(attr(&built.resources, "x_y.z", "ssh"), "[]");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("main.tf:7:")
            && warnings[0].contains("terraform.workspace")
            && warnings[0].contains("--workspace staging=NAME"),
        "{warnings:?}"
    );
    // Indexed by workspace, it fails in `default`: the error says why it may.
    let indexed = "locals {\n  cfg = { prod = 1 }\n}\nresource \"x_y\" \"z\" {\n  n = local.cfg[terraform.workspace]\n}\n";
    let d = Dir::with(&[("main.tf", indexed)])?;
    let err = super::load_with_origins(d.path(), &[], "prod", &ws(None))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("Invalid index") && err.contains("give --workspace prod=NAME"),
        "{err}"
    );
    assert!(super::load_with_origins(d.path(), &[], "prod", &ws(Some("prod"))).is_ok());
    // A folder of its own is not a workspace: nothing is said.
    let d = Dir::with(&[("main.tf", main)])?;
    let (_, warnings) =
        super::load_with_origins(d.path(), &[], "staging", &super::Options::default())?;
    assert!(warnings.is_empty(), "{warnings:?}");
    Ok(())
}

#[test]
fn account_ids_a_configuration_names_as_its_own_are_by_design() -> crate::TestResult {
    let conf = |account: &str| {
        format!(
            r#"
variable "account_id" {{ default = "{account}" }}
variable "logs_account" {{ default = "{logs}" }}
resource "aws_s3_bucket_policy" "logs" {{
  policy = jsonencode({{
    Statement = [{{ Effect = "Allow", Principal = {{ AWS = "arn:aws:iam::${{var.logs_account}}:root" }} }}]
  }})
}}
variable "region" {{ default = "eu-west-1" }}
resource "aws_iam_policy" "read" {{
  policy = jsonencode({{
    Statement = [{{
      Effect   = "Allow"
      Action   = "ssm:GetParameter"
      Resource = "arn:aws:ssm:${{var.region}}:${{var.account_id}}:parameter/app/*"
    }}]
  }})
}}
resource "aws_sqs_queue" "q" {{
  kms_master_key_id = "arn:aws:kms:${{var.region}}:${{var.account_id}}:alias/app"
}}
resource "aws_iam_role" "trust" {{
  assume_role_policy = jsonencode({{
    Statement = [{{ Effect = "Allow", Principal = {{ AWS = "arn:aws:iam::{partner}:root" }} }}]
  }})
}}
"#,
            partner = if account == "111111111111" {
                "333333333333"
            } else {
                "444444444444"
            },
            logs = if account == "111111111111" {
                "999999999999"
            } else {
                "888888888888"
            },
        )
    };
    let found = compare_dirs(
        &[("main.tf", &conf("111111111111"))],
        &[("main.tf", &conf("222222222222"))],
    )?;
    // The own accounts are the same by design; another account trusted is not, nor is
    // an account named for something else (a logs account).
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found[0].contains("aws_iam_role.trust"), "{found:#?}");
    assert!(found[1].contains("aws_s3_bucket_policy.logs"), "{found:#?}");
    Ok(())
}

#[test]
fn record_targets_inside_their_own_zone_compare_relative_to_it() -> crate::TestResult {
    let conf = |domain: &str, ext: &str| {
        format!(
            r#"
resource "aws_route53_zone" "main" {{ name = "{domain}" }}
resource "aws_route53_record" "www" {{
  zone_id = aws_route53_zone.main.zone_id
  name    = "www.{domain}"
  type    = "CNAME"
  ttl     = 300
  records = ["lb.{domain}"]
}}
resource "aws_route53_record" "mx" {{
  zone_id = aws_route53_zone.main.zone_id
  name    = "{domain}"
  type    = "MX"
  ttl     = 300
  records = ["10 mail.{domain}."]
}}
resource "aws_route53_record" "ext" {{
  zone_id = aws_route53_zone.main.zone_id
  name    = "status.{domain}"
  type    = "CNAME"
  ttl     = 300
  records = ["{ext}"]
}}
"#
        )
    };
    let found = compare_dirs(
        &[("main.tf", &conf("acme.io", "a.statuspage.io"))],
        &[("main.tf", &conf("staging.acme.io", "b.statuspage.io"))],
    )?;
    // Prod at the apex, staging on a subdomain: only the target outside the zone differs.
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].contains("status"), "{found:#?}");
    Ok(())
}

#[test]
fn route_targets_are_shown_by_their_own_address() -> crate::TestResult {
    let conf = |azs: [&str; 2], to: usize| {
        format!(
            r#"
resource "aws_nat_gateway" "nat" {{
  for_each  = toset(["{a}", "{b}"])
  subnet_id = "subnet-${{each.key}}"
}}
resource "aws_route_table" "rt" {{
  route {{
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.nat["{to}"].id
  }}
}}
"#,
            a = azs[0],
            b = azs[1],
            to = azs[to]
        )
    };
    let found = compare_dirs(
        &[("main.tf", &conf(["us-east-1a", "us-east-1b"], 0))],
        &[("main.tf", &conf(["us-west-2a", "us-west-2b"], 1))],
    )?;
    let route = found
        .iter()
        .find(|l| l.contains("Route"))
        .ok_or("no route finding")?;
    assert!(
        route.contains(r#"aws_nat_gateway.nat["us-east-1a"]"#)
            && route.contains(r#"aws_nat_gateway.nat["us-west-2b"]"#)
            && !route.contains("{region}"),
        "{route}"
    );
    Ok(())
}

#[test]
fn gzipped_user_data_compares_as_its_text() -> crate::TestResult {
    let conf = |env: &str, debug: u8| {
        format!(
            "resource \"aws_launch_template\" \"a\" {{\n  user_data = base64gzip(\"ENV={env}\\nDEBUG={debug}\\n\")\n}}\n"
        )
    };
    let same = compare_dirs(
        &[("main.tf", &conf("prod", 0))],
        &[("main.tf", &conf("staging", 0))],
    )?;
    assert!(same.is_empty(), "{same:#?}");
    let differ = compare_dirs(
        &[("main.tf", &conf("prod", 0))],
        &[("main.tf", &conf("staging", 1))],
    )?;
    assert_eq!(differ.len(), 1, "{differ:#?}");
    // Said by where it differs, never by what it holds.
    assert!(
        differ[0].contains("a script of 2 lines, base64-encoded, line 2 differs")
            && !differ[0].contains("DEBUG"),
        "{differ:#?}"
    );
    Ok(())
}

#[test]
fn a_route_of_its_own_is_where_its_sources_point() -> crate::TestResult {
    let conf = |extra: bool| {
        let route = if extra {
            "resource \"aws_route\" \"extra\" {\n  route_table_id         = aws_route_table.rt.id\n  destination_cidr_block = \"203.0.113.0/24\"\n  gateway_id             = aws_internet_gateway.igw.id\n}\n"
        } else {
            ""
        };
        format!(
            "resource \"aws_internet_gateway\" \"igw\" {{}}\nresource \"aws_route_table\" \"rt\" {{\n  route {{\n    cidr_block = \"0.0.0.0/0\"\n    gateway_id = aws_internet_gateway.igw.id\n  }}\n}}\n{route}"
        )
    };
    let dirs = [conf(false), conf(true)]
        .iter()
        .map(|c| Dir::with(&[("main.tf", c.as_str())]))
        .collect::<Result<Vec<_>, _>>()?;
    let envs = ["prod", "staging"]
        .iter()
        .zip(&dirs)
        .map(|(n, d)| declared_env(n, d))
        .collect::<Result<Vec<_>, _>>()?;
    let report = crate::compare_loaded(&envs, 0);
    let route = report
        .findings
        .iter()
        .find(|f| f.kind == crate::model::Kind::Route)
        .ok_or("no route finding")?;
    let sources = report.sources.get(&route.id).ok_or("no sources")?;
    // The table in prod (it has no such route); the aws_route in staging (line 8).
    assert!(sources["prod"].ends_with("main.tf:2:1"), "{sources:?}");
    assert!(sources["staging"].ends_with("main.tf:8:1"), "{sources:?}");
    Ok(())
}

#[test]
fn a_called_modules_account_id_is_not_the_environments_own() -> crate::TestResult {
    let conf = |trusted: &str| {
        format!(
            "locals {{ account_id = \"111111111111\" }}\nmodule \"m\" {{\n  source     = \"./m\"\n  account_id = \"{trusted}\"\n}}\noutput \"a\" {{ value = local.account_id }}\n"
        )
    };
    let m = "variable \"account_id\" {}\nresource \"aws_iam_role\" \"r\" {\n  assume_role_policy = jsonencode({ Principal = { AWS = \"arn:aws:iam::${var.account_id}:root\" } })\n}\n";
    let found = compare_dirs(
        &[("main.tf", &conf("111111111111")), ("m/main.tf", m)],
        &[("main.tf", &conf("999999999999")), ("m/main.tf", m)],
    )?;
    // Staging's module trusts a foreign account where prod's trusts its own.
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].contains("module.m.aws_iam_role.r"), "{found:#?}");
    Ok(())
}

#[test]
fn a_secret_in_a_record_naming_its_zone_is_not_shown() -> crate::TestResult {
    let conf = |domain: &str, token: &str, host: &str| {
        format!(
            "resource \"aws_route53_zone\" \"z\" {{ name = \"{domain}\" }}\nresource \"aws_route53_record\" \"t\" {{\n  zone_id = aws_route53_zone.z.zone_id\n  name    = \"{domain}\"\n  type    = \"TXT\"\n  ttl     = 60\n  records = [\"token={token} {host}.{domain}\"]\n}}\n"
        )
    };
    let found = compare_dirs(
        &[("main.tf", &conf("acme.io", "PLANTED1", "mail"))],
        &[("main.tf", &conf("staging.acme.io", "PLANTED2", "smtp"))],
    )?;
    assert!(!found.is_empty(), "{found:#?}");
    assert!(found.iter().all(|l| !l.contains("PLANTED")), "{found:#?}");
    Ok(())
}

#[test]
fn the_same_name_meaning_another_place_says_so() -> crate::TestResult {
    let conf = |domain: &str| {
        format!(
            "resource \"aws_route53_zone\" \"z\" {{ name = \"{domain}\" }}\nresource \"aws_route53_record\" \"api\" {{\n  zone_id = aws_route53_zone.z.zone_id\n  name    = \"api.{domain}\"\n  type    = \"CNAME\"\n  ttl     = 60\n  records = [\"lb.acme.io\"]\n}}\n"
        )
    };
    // Staging's record names prod's balancer.
    let found = compare_dirs(
        &[("main.tf", &conf("acme.io"))],
        &[("main.tf", &conf("staging.acme.io"))],
    )?;
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].contains("lb.acme.io (inside its own zone) in prod but lb.acme.io (outside its own zone) in staging"),
        "{found:#?}"
    );
    Ok(())
}

#[test]
fn the_same_account_text_says_whose_it_is() -> crate::TestResult {
    let conf = |env: &str, own: &str| {
        format!(
            "variable \"account_id\" {{ default = \"{own}\" }}\nresource \"aws_iam_role\" \"r\" {{\n  assume_role_policy = jsonencode({{ Resource = \"arn:aws:s3:::logs-{env}\", Principal = {{ AWS = \"arn:aws:iam::111111111111:root\" }} }})\n}}\n"
        )
    };
    // Prod trusts itself; staging trusts prod's account, written the same.
    let found = compare_dirs(
        &[("main.tf", &conf("prod", "111111111111"))],
        &[("main.tf", &conf("staging", "222222222222"))],
    )?;
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].contains("(there: its own account)")
            && found[0].contains("(there: nothing of its own)"),
        "{found:#?}"
    );
    Ok(())
}

#[test]
fn parts_not_expanded_are_said_once_and_never_as_absent() -> crate::TestResult {
    // A module keyed by the environment's name whose block's count is unknown in
    // staging: one coverage finding, no "missing" beside it.
    let keyed = |env: &str, count: &str| {
        vec![
            (
                "main.tf".to_string(),
                format!("data \"aws_availability_zones\" \"az\" {{}}\nmodule \"app\" {{\n  source   = \"./app\"\n  for_each = toset([\"{env}\"])\n  n        = {count}\n}}\n"),
            ),
            (
                "app/main.tf".to_string(),
                "variable \"n\" { type = number }\nresource \"aws_instance\" \"web\" {\n  count = var.n\n  ami   = \"ami-1\"\n}\n".to_string(),
            ),
        ]
    };
    let (p, s) = (
        keyed("prod", "2"),
        keyed("staging", "length(data.aws_availability_zones.az.names)"),
    );
    let got = compare_dirs(&refs(&p), &refs(&s))?;
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].starts_with("not-compared low module.app[")
            && got[0].contains(
                "aws_instance.web is not compared in staging: its count is known only after apply"
            ),
        "{got:?}"
    );
    // A module whose instances are expanded but hold only a block left unexpanded is not
    // absent where its own for_each is unknown elsewhere.
    let module = |for_each: &str| {
        vec![
            (
                "main.tf".to_string(),
                format!("data \"aws_availability_zones\" \"az\" {{}}\nmodule \"m\" {{\n  source   = \"./m\"\n  for_each = {for_each}\n  ids      = data.aws_availability_zones.az.zone_ids\n}}\n"),
            ),
            (
                "m/main.tf".to_string(),
                "variable \"ids\" { type = list(string) }\nresource \"aws_instance\" \"web\" {\n  count = length(var.ids)\n  ami   = \"ami-1\"\n}\n".to_string(),
            ),
        ]
    };
    let (p, s) = (
        module("toset([\"a\"])"),
        module("toset(data.aws_availability_zones.az.names)"),
    );
    let got = compare_dirs(&refs(&p), &refs(&s))?;
    assert!(
        got.iter().all(|l| l.starts_with("not-compared low")),
        "{got:?}"
    );
    assert!(got.iter().all(|l| !l.contains("may exist")), "{got:?}");
    Ok(())
}

/// `(path, text)` pairs as the borrowed pairs [`Dir::with`] takes.
fn refs(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
}

#[test]
fn firewall_addresses_known_after_apply_compare_by_where_they_come_from() -> crate::TestResult {
    // Each firewall form, its addresses read from a data source's attribute: the same
    // source in both environments is the same allowance; another source is a
    // difference naming both; a known range against a source is not told (coverage).
    type Form = fn(&str) -> String;
    let forms: [(&str, Form); 4] = [
        ("aws_security_group.db", |cidr| {
            format!(
                "resource \"aws_security_group\" \"db\" {{\n  name = \"db\"\n  ingress {{\n    from_port = 5432\n    to_port = 5432\n    protocol = \"tcp\"\n    cidr_blocks = [{cidr}]\n  }}\n}}\n"
            )
        }),
        ("aws_network_acl.db", |cidr| {
            format!(
                "resource \"aws_network_acl\" \"db\" {{\n  vpc_id = \"vpc-1\"\n  ingress {{\n    rule_no = 100\n    action = \"allow\"\n    from_port = 5432\n    to_port = 5432\n    protocol = \"tcp\"\n    cidr_block = {cidr}\n  }}\n}}\n"
            )
        }),
        ("google_compute_network.main", |cidr| {
            format!(
                "resource \"google_compute_network\" \"main\" {{\n  name = \"main\"\n}}\nresource \"google_compute_firewall\" \"db\" {{\n  name = \"db\"\n  network = google_compute_network.main.id\n  source_ranges = [{cidr}]\n  allow {{\n    protocol = \"tcp\"\n    ports = [\"5432\"]\n  }}\n}}\n"
            )
        }),
        ("azurerm_network_security_group.db", |cidr| {
            format!(
                "resource \"azurerm_network_security_group\" \"db\" {{\n  name = \"db\"\n  security_rule {{\n    name = \"pg\"\n    priority = 100\n    direction = \"Inbound\"\n    access = \"Allow\"\n    protocol = \"Tcp\"\n    source_port_range = \"*\"\n    destination_port_range = \"5432\"\n    source_address_prefix = {cidr}\n    destination_address_prefix = \"*\"\n  }}\n}}\n"
            )
        }),
    ];
    let data = "data \"aws_vpc\" \"shared\" {}\ndata \"aws_vpc\" \"legacy\" {}\n";
    // Firewall and coverage findings, each as `category kind severity address: message`.
    let firewall = |prod: &str, staging: &str| -> crate::TestResult<Vec<String>> {
        let (a, b) = (
            Dir::with(&[("main.tf", prod)])?,
            Dir::with(&[("main.tf", staging)])?,
        );
        let envs = vec![declared_env("prod", &a)?, declared_env("staging", &b)?];
        Ok(crate::lens::testing::compare_envs(envs)
            .iter()
            .filter(|f| {
                matches!(
                    f.category,
                    crate::model::Category::Firewall | crate::model::Category::Coverage
                )
            })
            .map(|f| format!("{} {}", f.category.as_str(), crate::lens::testing::line(f)))
            .collect())
    };
    for (address, form) in forms {
        let dir = |cidr: &str| format!("{data}{}", form(cidr));
        let shared = dir("data.aws_vpc.shared.cidr_block");
        let legacy = dir("data.aws_vpc.legacy.cidr_block");
        let known = dir("\"0.0.0.0/0\"");
        let same = firewall(&shared, &shared)?;
        assert_eq!(same, Vec::<String>::new(), "{address}");
        let other = firewall(&shared, &legacy)?;
        assert!(
            other.iter().any(|l| l.starts_with("firewall")
                && l.contains(address)
                && l.contains("data.aws_vpc.legacy.cidr_block")),
            "{address}: {other:#?}"
        );
        assert!(
            other
                .iter()
                .any(|l| l.contains("data.aws_vpc.shared.cidr_block")),
            "{address}: {other:#?}"
        );
        // A range the other side may turn out to have: not a firewall difference, and
        // said as not compared (never silently equal, never "open to the world").
        let told = firewall(&shared, &known)?;
        assert!(
            told.iter().all(|l| !l.starts_with("firewall")),
            "{address}: {told:#?}"
        );
        assert!(
            told.iter()
                .any(|l| l.starts_with("coverage") && l.contains(address)),
            "{address}: {told:#?}"
        );
    }
    Ok(())
}
