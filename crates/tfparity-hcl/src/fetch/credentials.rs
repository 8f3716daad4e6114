//! Where registry tokens come from, as Terraform looks for them: a `TF_TOKEN_<host>`
//! environment variable first (dots as `_`, hyphens as `__`, any case), then the
//! `credentials.tfrc.json` that `terraform login` writes (`~/.terraform.d`). Credential
//! helpers and `credentials` blocks in `.terraformrc` are not read. Tokens are looked
//! up by host (lower case, no port) and never printed.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// The largest credentials file read.
const MAX_FILE: u64 = 1 << 20;

/// Finds the token for a host (lower case, no port).
pub type TokenFn = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// Tokens as Terraform reads them from the environment: `TF_TOKEN_app_terraform_io`
/// (dots as `_`, hyphens as `__`, any case).
fn env_tokens(vars: impl Iterator<Item = (String, String)>) -> HashMap<String, String> {
    let mut map: HashMap<String, String> = HashMap::new();
    for (k, v) in vars {
        let Some(raw) = k.strip_prefix("TF_TOKEN_") else {
            continue;
        };
        if v.is_empty() {
            continue;
        }
        let host = raw
            .replace("__", "-")
            .replace('_', ".")
            .to_ascii_lowercase();
        map.insert(host, v);
    }
    map
}

/// Tokens from a lookup of environment variable names (for tests and embedding).
pub fn tokens_from_lookup(env: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> TokenFn {
    Arc::new(move |host: &str| {
        let enc = host.replace('-', "__").replace('.', "_");
        [enc.clone(), enc.to_ascii_uppercase()]
            .iter()
            .find_map(|n| env(&format!("TF_TOKEN_{n}")).filter(|v| !v.is_empty()))
    })
}

/// The hosts' tokens in a `credentials.tfrc.json` (`{"credentials": {"HOST":
/// {"token": "…"}}}`); none if it is missing, too large or not that shape.
pub fn file_tokens(path: &Path) -> HashMap<String, String> {
    let mut map = HashMap::new();
    let fits = std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() <= MAX_FILE);
    let Some(doc) = fits
        .then(|| std::fs::read(path).ok())
        .flatten()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
    else {
        return map;
    };
    if let Some(hosts) = doc.get("credentials").and_then(|c| c.as_object()) {
        for (host, v) in hosts.iter().take(10_000) {
            if let Some(t) = v
                .get("token")
                .and_then(|t| t.as_str())
                .filter(|t| !t.is_empty())
            {
                map.insert(host.to_ascii_lowercase(), t.to_string());
            }
        }
    }
    map
}

/// Terraform's order: the environment, then `terraform login`'s file under `home`.
pub fn tokens_from_env_and_home(
    vars: impl Iterator<Item = (String, String)>,
    home: Option<&Path>,
) -> TokenFn {
    let env = env_tokens(vars);
    let file = home
        .map(|h| file_tokens(&h.join(".terraform.d").join("credentials.tfrc.json")))
        .unwrap_or_default();
    Arc::new(move |host: &str| env.get(host).or_else(|| file.get(host)).cloned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_names() {
        let vars = [
            ("TF_TOKEN_app_terraform_io", "a"),
            ("TF_TOKEN_my__registry_example_com", "b"),
            ("TF_TOKEN_EXAMPLE_ORG", "c"),
            ("TF_TOKEN_empty_io", ""),
            ("OTHER", "d"),
        ];
        let f = tokens_from_env_and_home(
            vars.iter().map(|(k, v)| (k.to_string(), v.to_string())),
            None,
        );
        assert_eq!(f("app.terraform.io").as_deref(), Some("a"));
        assert_eq!(f("my-registry.example.com").as_deref(), Some("b"));
        assert_eq!(f("example.org").as_deref(), Some("c"));
        assert_eq!(f("empty.io"), None);
        assert_eq!(f("terraform.io"), None);
        let g = tokens_from_lookup(move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        });
        assert_eq!(g("my-registry.example.com").as_deref(), Some("b"));
        assert_eq!(g("example.org").as_deref(), Some("c"));
        assert_eq!(g("app.terraform.io").as_deref(), Some("a"));
    }

    #[test]
    fn environment_then_login_file() {
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = tmp.path().join(".terraform.d");
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(
            dir.join("credentials.tfrc.json"),
            r#"{"credentials":{"App.Terraform.io":{"token":"from-file"},"other.example":{"token":"o"}}}"#,
        )
        .expect("write");
        let vars = [(
            "TF_TOKEN_app_terraform_io".to_string(),
            "from-env".to_string(),
        )];
        let f = tokens_from_env_and_home(vars.into_iter(), Some(tmp.path()));
        assert_eq!(f("app.terraform.io").as_deref(), Some("from-env"));
        assert_eq!(f("other.example").as_deref(), Some("o"));
        assert_eq!(f("nowhere.example"), None);
        let none = tokens_from_env_and_home(std::iter::empty(), Some(&tmp.path().join("x")));
        assert_eq!(none("other.example"), None);
    }
}
