//! Whole root modules loaded through the public API: constructs that Terraform accepts
//! and that real configurations use.

use crate::testdir::Dir;
use crate::{load, Options, V};
use std::collections::BTreeMap;

type Loaded = BTreeMap<String, BTreeMap<String, V>>;

/// Every resource instance of the root module in `dir`: address → attributes.
fn instances(dir: &std::path::Path) -> Result<Loaded, String> {
    let (built, _) = load(dir, &[], "test", &Options::default(), |r| {
        let attrs: BTreeMap<String, V> = r
            .entries()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        (r.address.to_string(), attrs)
    })
    .map_err(|e| e.to_string())?;
    Ok(built.resources.into_iter().collect())
}

fn attr<'a>(l: &'a Loaded, address: &str, name: &str) -> Option<&'a V> {
    l.get(address).and_then(|a| a.get(name))
}

#[test]
fn references_with_the_resource_prefix() -> crate::TestResult {
    let d = Dir::with(&[(
        "main.tf",
        r#"
resource "aws_vpc" "a" { cidr_block = "10.0.0.0/16" }
resource "aws_subnet" "b" {
  vpc_id     = resource.aws_vpc.a.id
  cidr_block = cidrsubnet(resource.aws_vpc.a.cidr_block, 8, 1)
}
"#,
    )])?;
    let l = instances(d.path())?;
    assert_eq!(
        attr(&l, "aws_subnet.b", "cidr_block"),
        Some(&V::str("10.0.1.0/24"))
    );
    assert_eq!(
        attr(&l, "aws_subnet.b", "vpc_id"),
        Some(&V::id_of("aws_vpc.a"))
    );
    Ok(())
}

#[test]
fn what_the_provider_computes_inside_a_written_block_is_unknown() -> crate::TestResult {
    let d = Dir::with(&[(
        "main.tf",
        r#"
resource "aws_eks_cluster" "c" {
  name = "x"
  tags = { team = "a" }
  vpc_config { subnet_ids = ["subnet-a"] }
}
locals {
  blocks = aws_eks_cluster.c.vpc_config
  via    = local.blocks
  whole  = aws_eks_cluster.c
}
data "aws_iam_policy_document" "p" {
  statement { actions = ["s3:GetObject"] }
}
resource "aws_security_group_rule" "r" {
  type              = "ingress"
  security_group_id = aws_eks_cluster.c.vpc_config[0].cluster_security_group_id
  description       = aws_eks_cluster.c.vpc_config[0].subnet_ids[0]
  cidr_blocks       = [data.aws_iam_policy_document.p.statement[0].effect]
  prefix_list_ids   = aws_eks_cluster.c.vpc_config[*].cluster_security_group_id
  ipv6_cidr_blocks  = aws_eks_cluster.c.vpc_config.*.vpc_id
  egress            = [for c in aws_eks_cluster.c.vpc_config : c.endpoint_private_access]
  security_groups   = [for c in aws_eks_cluster.c.vpc_config : c]
  # The blocks reached through locals that refer to them.
  self              = [for c in local.via : c.cluster_security_group_id]
  type_name         = [for c in local.whole.vpc_config : c.vpc_id][0]
  # A map's missing key and an index past the blocks written are errors: try sees them.
  from_port = try(aws_eks_cluster.c.tags["port"], 443)
  to_port   = try(aws_eks_cluster.c.vpc_config[1].subnet_ids[0], 443)
}
"#,
    )])?;
    let l = instances(d.path())?;
    let r = "aws_security_group_rule.r";
    assert_eq!(attr(&l, r, "security_group_id"), Some(&V::unknown()));
    assert_eq!(attr(&l, r, "description"), Some(&V::str("subnet-a")));
    assert_eq!(
        attr(&l, r, "cidr_blocks"),
        Some(&V::list(vec![V::unknown()]))
    );
    assert_eq!(
        attr(&l, r, "prefix_list_ids"),
        Some(&V::list(vec![V::unknown()]))
    );
    assert_eq!(
        attr(&l, r, "ipv6_cidr_blocks"),
        Some(&V::list(vec![V::unknown()]))
    );
    assert_eq!(attr(&l, r, "egress"), Some(&V::list(vec![V::unknown()])));
    assert_eq!(attr(&l, r, "self"), Some(&V::list(vec![V::unknown()])));
    assert_eq!(attr(&l, r, "type_name"), Some(&V::unknown()));
    // The loop's elements come out as they were written: no internal mark.
    let written = V::map([("subnet_ids".to_string(), V::list(vec![V::str("subnet-a")]))]);
    assert_eq!(
        attr(&l, r, "security_groups"),
        Some(&V::list(vec![written]))
    );
    assert_eq!(attr(&l, r, "from_port"), Some(&V::Num(443.0)));
    assert_eq!(attr(&l, r, "to_port"), Some(&V::Num(443.0)));
    // Outside a resource, a missing attribute is still an error.
    let bad = Dir::with(&[(
        "main.tf",
        "locals {\n  o = { a = 1 }\n}\nresource \"null_resource\" \"n\" { triggers = { b = local.o.b } }\n",
    )])?;
    let err = instances(bad.path()).err().unwrap_or_default();
    assert!(err.contains("main.tf:4:") && err.contains("\"b\""), "{err}");
    Ok(())
}

#[test]
fn paths_are_each_root_modules_wherever_the_run_starts() -> crate::TestResult {
    let files = [
        (
            "main.tf",
            r#"
module "m" { source = "./modules/m" }
resource "null_resource" "r" {
  triggers = {
    abs    = abspath("files/x.json")
    cwd    = path.cwd
    root   = path.root
    module = path.module
    text   = file("${path.module}/files/x.json")
    child  = module.m.where
  }
}
"#,
        ),
        ("files/x.json", "{}"),
        (
            "modules/m/main.tf",
            "output \"where\" { value = path.module }\n",
        ),
    ];
    let prod = Dir::with(&files)?;
    let staging = Dir::with(&files)?;
    for d in [&prod, &staging] {
        let l = instances(d.path())?;
        let Some(V::Map(t)) = attr(&l, "null_resource.r", "triggers") else {
            return Err("no triggers".into());
        };
        let root = std::fs::canonicalize(d.path())?;
        let abs = std::path::absolute(d.path())?;
        assert_eq!(
            t.get("abs"),
            Some(&V::Str(format!("{}/files/x.json", abs.display())))
        );
        assert_eq!(t.get("cwd"), Some(&V::Str(root.display().to_string())));
        assert_eq!(t.get("root"), Some(&V::str(".")));
        assert_eq!(t.get("module"), Some(&V::str(".")));
        assert_eq!(t.get("text"), Some(&V::str("{}")));
        assert_eq!(t.get("child"), Some(&V::str("modules/m")));
    }
    Ok(())
}

#[test]
fn a_resource_object_has_every_attribute_of_its_schema() -> crate::TestResult {
    let d = Dir::with(&[
        (
            "main.tf",
            r#"
resource "google_service_account" "deployer" { account_id = "deployer" }
module "pipeline" {
  source = "./pipeline"
  sa     = google_service_account.deployer
}
data "http" "crds" {
  for_each = { a = "https://example.com/a.yaml" }
  url      = each.value
}
resource "kubectl_manifest" "crds" {
  for_each  = data.http.crds
  yaml_body = each.value["body"]
  url       = each.value["url"]
}
"#,
        ),
        (
            "pipeline/main.tf",
            r#"
variable "sa" { type = object({ account_id = string, email = string, id = string }) }
resource "google_project_iam_member" "m" {
  role   = var.sa.account_id
  member = "serviceAccount:${var.sa.email}"
}
"#,
        ),
    ])?;
    let l = instances(d.path())?;
    let m = "module.pipeline.google_project_iam_member.m";
    assert_eq!(attr(&l, m, "role"), Some(&V::str("deployer")));
    assert_eq!(attr(&l, m, "member"), Some(&V::unknown()));
    let k = r#"kubectl_manifest.crds["a"]"#;
    assert_eq!(
        attr(&l, k, "yaml_body"),
        Some(&V::Unknown(Some(Box::new(crate::value::Origin::Attr(
            r#"data.http.crds["a"]"#.into(),
            "body".into()
        )))))
    );
    assert_eq!(
        attr(&l, k, "url"),
        Some(&V::str("https://example.com/a.yaml"))
    );
    Ok(())
}

#[test]
fn a_resource_handed_out_whole_keeps_its_computed_attributes_unknown() -> crate::TestResult {
    let d = Dir::with(&[
        (
            "main.tf",
            r#"
module "vault" { source = "./vault" }
resource "azurerm_role_assignment" "r" {
  principal_id = module.vault.data.identity[0].principal_id
  scope        = module.vault.data.identity[0].type
  role_definition_name = try(module.vault.data.identity[3].type, "none")
  condition    = try(module.vault.data.tags.missing, "no tag")
}
"#,
        ),
        (
            "vault/main.tf",
            r#"
resource "azurerm_data_protection_backup_vault" "v" {
  name = "vault"
  tags = { team = "a" }
  identity { type = "SystemAssigned" }
}
output "data" { value = azurerm_data_protection_backup_vault.v }
"#,
        ),
    ])?;
    let l = instances(d.path())?;
    let r = "azurerm_role_assignment.r";
    assert_eq!(attr(&l, r, "principal_id"), Some(&V::unknown()));
    assert_eq!(attr(&l, r, "scope"), Some(&V::str("SystemAssigned")));
    assert_eq!(attr(&l, r, "role_definition_name"), Some(&V::str("none")));
    assert_eq!(attr(&l, r, "condition"), Some(&V::str("no tag")));
    // A plain object is not a resource: a missing attribute is still an error.
    let bad = Dir::with(&[(
        "main.tf",
        "locals {\n  o = { b = [{ c = 1 }] }\n}\nresource \"null_resource\" \"n\" { triggers = { d = local.o.b[0].d } }\n",
    )])?;
    let err = instances(bad.path()).err().unwrap_or_default();
    assert!(err.contains("\"d\""), "{err}");
    Ok(())
}

#[test]
fn values_for_undeclared_variables_are_said_once_per_file() -> crate::TestResult {
    let d = Dir::with(&[
        ("main.tf", "variable \"a\" { default = 1 }\n"),
        ("terraform.tfvars", "a = 2\nb = 3\n"),
        ("shared.auto.tfvars", "c = 1\nd = 2\ne = 3\n"),
    ])?;
    let (_, warnings) =
        load(d.path(), &[], "test", &Options::default(), |_| ()).map_err(|e| e.to_string())?;
    let said: Vec<&String> = warnings.iter().filter(|w| w.contains("declare")).collect();
    assert_eq!(said.len(), 2, "{warnings:?}");
    assert!(said.iter().any(|w| w.contains("shared.auto.tfvars:1:1: values are given for 3 variables the root module does not declare: \"c\" and 2 more")), "{said:?}");
    assert!(
        said.iter()
            .any(|w| w.contains("terraform.tfvars:2:1: a value is given for variable \"b\"")),
        "{said:?}"
    );
    Ok(())
}

#[test]
fn logical_operators_short_circuit_as_terraform_does() -> crate::TestResult {
    let d = Dir::with(&[(
        "main.tf",
        r#"
variable "opts" {
  type    = object({ create_endpoint = bool })
  default = null
}
resource "aws_s3_bucket" "b" {
  count  = var.opts != null && var.opts.create_endpoint ? 1 : 0
  bucket = "demo"
}
resource "aws_s3_bucket" "c" {
  count  = var.opts == null || var.opts.create_endpoint ? 1 : 0
  bucket = "demo"
}
"#,
    )])?;
    let l = instances(d.path())?;
    assert!(!l.contains_key("aws_s3_bucket.b[0]"));
    assert!(l.contains_key("aws_s3_bucket.c[0]"));
    Ok(())
}

#[test]
fn module_nesting_is_bounded() -> crate::TestResult {
    // Each module calls the next; past the bound the run stops with an error naming
    // where (a chain of fetched packages could otherwise go on for ever).
    let n = crate::module::MAX_MODULE_DEPTH + 5;
    let mut files: Vec<(String, String)> = vec![(
        "main.tf".into(),
        "module \"m\" { source = \"./m0\" }\n".into(),
    )];
    for i in 0..n {
        files.push((
            format!("m{i}/main.tf"),
            format!("module \"m\" {{ source = \"../m{}\" }}\n", i + 1),
        ));
    }
    files.push((
        format!("m{n}/main.tf"),
        "resource \"null_resource\" \"x\" {}\n".into(),
    ));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let d = Dir::with(&refs)?;
    let err = instances(d.path()).err().unwrap_or_default();
    assert!(err.contains("nested more than 64 deep"), "{err}");
    Ok(())
}

#[test]
fn the_workspace_hint_is_only_for_lookups_a_workspace_can_fail() -> crate::TestResult {
    let options = Options {
        workspace: crate::Workspace {
            name: None,
            shared_root: true,
        },
        fetcher: None,
        ..Default::default()
    };
    let err = |main: &str| -> crate::TestResult<String> {
        let d = Dir::with(&[("main.tf", main)])?;
        Ok(load(d.path(), &[], "a", &options, |_| ())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default())
    };
    // A map indexed by the workspace: the hint.
    let e = err("locals {\n  cfg = { prod = 1 }\n}\nresource \"null_resource\" \"n\" { triggers = { x = local.cfg[terraform.workspace] } }\n")?;
    assert!(e.contains("give --workspace a=NAME"), "{e}");
    // An attribute of a string, with the workspace read elsewhere: no hint.
    let e = err("variable \"images\" {\n  type    = any\n  default = \"x\"\n}\nresource \"null_resource\" \"n\" {\n  triggers = { a = \"b-${terraform.workspace}\", b = var.images.backup }\n}\n")?;
    assert!(
        e.contains("can't access attribute") && !e.contains("--workspace"),
        "{e}"
    );
    Ok(())
}

#[test]
fn a_resource_object_iterates_as_its_attributes() -> crate::TestResult {
    // for_each, dynamic blocks and template for over a resource's whole object never
    // see the evaluator's internal mark.
    let d = Dir::with(&[(
        "main.tf",
        r#"
resource "aws_ssm_parameter" "src" {
  name  = "n"
  value = "v"
}
resource "aws_ssm_parameter" "copy" {
  for_each = aws_ssm_parameter.src
  name     = each.key
  value    = "x"
}
resource "null_resource" "n" {
  triggers = { keys = "%{for k, v in aws_ssm_parameter.src}${k},%{endfor}" }
  dynamic "tag" {
    for_each = aws_ssm_parameter.src
    content { key = tag.key }
  }
}
"#,
    )])?;
    let l = instances(d.path())?;
    let keys: Vec<&String> = l
        .keys()
        .filter(|k| k.starts_with("aws_ssm_parameter.copy"))
        .collect();
    assert_eq!(
        keys,
        [
            r#"aws_ssm_parameter.copy["name"]"#,
            r#"aws_ssm_parameter.copy["value"]"#
        ],
        "{l:?}"
    );
    let Some(V::Map(t)) = attr(&l, "null_resource.n", "triggers") else {
        return Err("no triggers".into());
    };
    assert_eq!(t.get("keys"), Some(&V::str("name,value,")));
    let Some(V::List(tags)) = attr(&l, "null_resource.n", "tag") else {
        return Err("no tags".into());
    };
    assert_eq!(tags.len(), 2);
    Ok(())
}

#[test]
fn a_key_made_from_a_sensitive_value_is_marked_and_refused_as_for_each() -> crate::TestResult {
    const PW: &str = "KEYSECRET1";
    let var = format!("variable \"pw\" {{\n  default   = \"{PW}\"\n  sensitive = true\n}}\n");
    // As for_each of a resource and of a module call: Terraform's refusal, at the
    // argument, without the value.
    for repeated in [
        "resource \"aws_x\" \"r\" {\n  for_each = { for v in [var.pw] : v => 1 }\n}\n",
        "resource \"aws_x\" \"r\" {\n  for_each = toset([for v in [var.pw] : v])\n}\n",
        "module \"m\" {\n  for_each = { for v in [var.pw] : \"${v}-x\" => 1 }\n  source   = \"./m\"\n}\n",
    ] {
        let d = Dir::with(&[
            ("main.tf", &format!("{var}{repeated}")),
            ("m/main.tf", "resource \"aws_y\" \"y\" {}\n"),
        ])?;
        let e = instances(d.path()).err().unwrap_or_default();
        assert!(
            e.contains("main.tf:6:3:") && e.contains("Sensitive values, or values derived from sensitive values, cannot be used as for_each arguments"),
            "{repeated}: {e}"
        );
        assert!(!e.contains(PW), "{e}");
    }
    // In a dynamic block's keys, a module's output, an attribute: marked wherever it goes.
    let d = Dir::with(&[
        (
            "main.tf",
            &format!(
                r#"{var}
module "m" {{
  source = "./m"
  pw     = var.pw
}}
resource "aws_x" "r" {{
  tags = module.m.by_secret
  names = keys(module.m.by_secret)
  dynamic "tag" {{
    for_each = {{ for v in [var.pw] : v => 1 }}
    content {{
      key   = tag.key
      value = tag.value
    }}
  }}
}}
"#
            ),
        ),
        (
            "m/main.tf",
            r#"
variable "pw" {}
output "by_secret" { value = { for v in [var.pw] : v => 1 } }
"#,
        ),
    ])?;
    let l = instances(d.path())?;
    let r = l.get("aws_x.r").ok_or("no aws_x.r")?;
    for name in ["tags", "names", "tag"] {
        let v = r.get(name).ok_or(name)?;
        // The secret is there, under a mark only.
        assert!(format!("{v:?}").contains(PW), "{name}: {v:?}");
        assert!(has_no_bare(v, PW), "{name}: {v:?}");
    }
    Ok(())
}

/// Whether `secret` appears in `v` only under a mark (never in a bare string or key).
fn has_no_bare(v: &V, secret: &str) -> bool {
    match v {
        V::Sensitive(_) => true,
        V::Str(s) => !s.contains(secret),
        V::List(l) | V::Set(l) => l.iter().all(|x| has_no_bare(x, secret)),
        V::Map(m) => m
            .iter()
            .all(|(k, x)| !k.contains(secret) && has_no_bare(x, secret)),
        _ => true,
    }
}

#[test]
fn errors_never_quote_a_value_bound_for_a_secret_named_or_sensitive_place() -> crate::TestResult {
    // A value every one of these calls refuses, and quotes when it may.
    const S: &str = "S3CR3T(VAL";
    let calls = [
        "tonumber(X)",
        "tobool(X)",
        "lookup({}, X)",
        "cidrhost(X, 1)",
        "cidrnetmask(X)",
        "parseint(X, 10)",
        "base64decode(X)",
        "regex(X, \"a\")",
        "timeadd(X, \"1h\")",
        "timeadd(\"2020-01-01T00:00:00Z\", X)",
        "file(X)",
        "templatefile(X, {})",
        "uuidv5(X, \"a\")",
        "{ for v in [X, X] : v => 1 }",
        "tomap({ a = 1 })[X]",
    ];
    // Where the value goes: `X` is what it is read from, `E` the expression.
    let places = [
        // A secret-named argument, in a resource and in a nested block.
        ("variable \"v\" { default = \"S\" }", "resource \"aws_x\" \"r\" {\n  password = E\n}"),
        ("variable \"v\" { default = \"S\" }", "resource \"aws_x\" \"r\" {\n  opts {\n    master_user_password = E\n  }\n}"),
        // An argument of a secret-named block, plain and dynamic.
        ("variable \"v\" { default = \"S\" }", "resource \"aws_x\" \"r\" {\n  credentials {\n    value = E\n  }\n}"),
        ("variable \"v\" { default = \"S\" }", "resource \"aws_x\" \"r\" {\n  dynamic \"secret\" {\n    for_each = [1]\n    content {\n      value = E\n    }\n  }\n}"),
        // A secret-named local, module argument and module output.
        ("variable \"v\" { default = \"S\" }", "locals {\n  api_token = E\n}\nresource \"aws_x\" \"r\" {\n  name = local.api_token\n}"),
        ("variable \"v\" { default = \"S\" }", "module \"m\" {\n  source         = \"./m\"\n  admin_password = E\n}"),
        ("variable \"v\" { default = \"S\" }", "module \"o\" {\n  source = \"./o\"\n  x      = var.v\n}\nresource \"aws_x\" \"r\" {\n  name = module.o.token\n}"),
        // A sensitive value in an ordinary place.
        ("variable \"v\" {\n  default   = \"S\"\n  sensitive = true\n}", "resource \"aws_x\" \"r\" {\n  name = E\n}"),
        // A secret-named variable read in an ordinary place.
        ("variable \"v\" { default = \"S\" }\nvariable \"db_password\" { default = \"S\" }", "resource \"aws_x\" \"r\" {\n  name = E\n}"),
    ];
    let mut leaks = Vec::new();
    for call in calls {
        for (i, (var, place)) in places.iter().enumerate() {
            let x = if i == 8 { "var.db_password" } else { "var.v" };
            let expr = call.replace('X', x);
            let main = format!("{}\n{}\n", var.replace('S', S), place.replace('E', &expr));
            let d = Dir::with(&[
                ("main.tf", &main),
                (
                    "m/main.tf",
                    "variable \"admin_password\" {}\nresource \"aws_y\" \"y\" { p = var.admin_password }\n",
                ),
                (
                    "o/main.tf",
                    &format!("variable \"x\" {{}}\noutput \"token\" {{ value = {} }}\n", call.replace('X', "var.x")),
                ),
            ])?;
            match instances(d.path()) {
                Ok(_) => leaks.push(format!("{main}: no error")),
                Err(e) if e.contains(S) || e.contains(['\u{E000}', '\u{E001}']) => {
                    leaks.push(format!("{main}\n  -> {e}"))
                }
                Err(_) => {}
            }
        }
    }
    assert!(leaks.is_empty(), "{}", leaks.join("\n\n"));
    // Elsewhere, the value is quoted as Terraform quotes it.
    let d = Dir::with(&[(
        "main.tf",
        &format!(
            "variable \"v\" {{ default = \"{S}\" }}\nresource \"aws_x\" \"r\" {{\n  name = tonumber(var.v)\n}}\n"
        ),
    )])?;
    let e = instances(d.path()).err().unwrap_or_default();
    assert!(
        e.contains(&format!("cannot convert \"{S}\" to number")),
        "{e}"
    );
    Ok(())
}

#[test]
fn an_instance_key_of_a_counted_block_is_a_whole_number() -> crate::TestResult {
    // `[1.5]` was read as `[1]` (converted with `as`), and `[1e300]` as the largest i64.
    for (index, ok) in [
        ("1", true),
        ("\"1\"", true),
        ("1.5", false),
        ("1e300", false),
    ] {
        let d = Dir::with(&[
            (
                "main.tf",
                &format!(
                    r#"
resource "aws_vpc" "a" {{
  count      = 2
  cidr_block = "10.${{count.index}}.0.0/16"
}}
module "m" {{
  source = "./m"
  count  = 2
  n      = count.index
}}
resource "aws_subnet" "s" {{
  cidr_block = aws_vpc.a[{index}].cidr_block
  vpc_id     = module.m[{index}].n
}}
"#
                ),
            ),
            (
                "m/main.tf",
                "variable \"n\" {}\noutput \"n\" { value = var.n }\n",
            ),
        ])?;
        match instances(d.path()) {
            Ok(l) if ok => {
                assert_eq!(
                    attr(&l, "aws_subnet.s", "cidr_block"),
                    Some(&V::str("10.1.0.0/16"))
                );
                assert_eq!(attr(&l, "aws_subnet.s", "vpc_id"), Some(&V::Num(1.0)));
            }
            Ok(_) => return Err(format!("[{index}] is an instance").into()),
            Err(e) if ok => return Err(e.into()),
            Err(e) => assert!(e.contains("no instance with the given key"), "{e}"),
        }
    }
    Ok(())
}

#[test]
fn module_sources_lose_their_credentials_in_every_warning() -> crate::TestResult {
    use crate::fetch::testserver::{Reply, Server};
    use crate::fetch::Fetcher;
    // Every request fails: the messages name the sources and the URLs they reached.
    let server = Server::start("127.0.0.1", |_| Reply::status(404));
    let base = server.base.trim_start_matches("http://").to_string();
    let sources = [
        format!("git::http://user:TOKENA1@{base}/x.git"),
        format!("http://TOKENB2@{base}/m.zip"),
        format!("git::http://{base}/x.git?ref=v1&access_token=TOKENC3"),
        format!("http://{base}/m.zip?token=TOKEND4&archive=zip"),
        format!("git::http://oauth2:TOKENE5@{base}/y.git//sub?ref=main"),
        format!("http://{base}/m.zip?sig=TOKENF6&archive=zip"),
        format!("{base}/m?archive=zip&private_token=TOKENG7"),
    ];
    let main: String = sources
        .iter()
        .enumerate()
        .map(|(i, s)| format!("module \"m{i}\" {{\n  source = \"{s}\"\n}}\n"))
        .collect::<String>()
        + "resource \"aws_x\" \"r\" {}\n";
    let d = Dir::with(&[("main.tf", &main)])?;
    let cache = Dir::with(&[])?;
    for (how, fetcher) in [
        ("not installed", None),
        (
            "offline",
            Some(Fetcher::with_cache(cache.path().join("c1"), true, |_| None)),
        ),
        (
            "fetched",
            Some(Fetcher::with_cache(cache.path().join("c2"), false, |_| {
                None
            })),
        ),
    ] {
        let options = Options {
            fetcher: fetcher.map(std::sync::Arc::new),
            ..Options::default()
        };
        let (_, warnings) =
            load(d.path(), &[], "test", &options, |_| ()).map_err(|e| format!("{how}: {e}"))?;
        assert_eq!(warnings.len(), sources.len(), "{how}: {warnings:#?}");
        let leaks: Vec<&String> = warnings.iter().filter(|w| w.contains("TOKEN")).collect();
        assert!(leaks.is_empty(), "{how}: {leaks:#?}");
    }
    Ok(())
}

#[test]
fn a_value_referred_to_is_shared_not_copied() -> crate::TestResult {
    // Every reference to a local, and every function argument, copied the whole value:
    // 1000 calls of length(local.m) on a million-element map took minutes. A
    // collection is now shared by whatever refers to it, through references, function
    // arguments and results, indexing and `for`.
    let d = Dir::with(&[(
        "main.tf",
        r#"
variable "v" {
  default = { a = [1, 2, 3] }
}
locals {
  m = { for i in range(1000) : "k${i}" => [i, i + 1] }
  n = local.m
}
resource "aws_vpc" "a" { count = 2 }
resource "null_resource" "r" {
  triggers = {
    a = local.m
    b = local.n
    c = lookup({ x = local.m }, "x")
    d = element([local.m], 0)
    e = try(local.m, null)
    f = [for x in [local.m] : x][0]
    g = local.m["k5"]
    h = local.m.k5
    i = var.v.a
    j = var.v["a"]
    k = aws_vpc.a
    l = aws_vpc.a
    n = length(local.m)
  }
}
"#,
    )])?;
    let l = instances(d.path())?;
    let Some(V::Map(t)) = attr(&l, "null_resource.r", "triggers") else {
        return Err("no triggers".into());
    };
    let get = |k: &str| t.get(k).cloned().unwrap_or_default();
    for k in ["b", "c", "d", "e", "f"] {
        assert!(get("a").shares(&get(k)), "{k}");
    }
    assert!(get("g").shares(&get("h")));
    assert!(get("i").shares(&get("j")));
    assert!(get("k").shares(&get("l")));
    assert_eq!(get("n"), V::Num(1000.0));
    Ok(())
}
