//! The module registry protocol: service discovery (`/.well-known/terraform.json`,
//! `modules.v1`), the list of a module's versions, and the download location of one
//! version (`204` + `X-Terraform-Get`, or `200` with a JSON `location`), a relative one
//! resolved against the download URL. Answers are JSON read up to a size limit; the
//! location returned is another source, which the caller fetches.

use super::error::Problem;
use super::http::Http;
use super::source::RegistryAddr;
use super::url::{is_loopback_host, Url};

/// The largest JSON answer read.
const MAX_JSON: u64 = 8 << 20;
/// The most versions of one module considered.
const MAX_VERSIONS: usize = 10_000;

fn bad(url: &Url, what: impl Into<String>) -> Problem {
    Problem::Http {
        url: url.shown(),
        what: what.into(),
    }
}

/// The base URL of the host's module registry API (ends with `/`).
pub fn discover(http: &Http, host: &str) -> Result<Url, Problem> {
    let bare = host.rsplit_once(':').map_or(host, |(h, _)| h);
    let scheme = if is_loopback_host(bare) {
        "http"
    } else {
        "https"
    };
    let disco =
        Url::parse(&format!("{scheme}://{host}/.well-known/terraform.json")).map_err(|e| {
            Problem::Http {
                url: host.to_string(),
                what: e,
            }
        })?;
    let a = http.get(&disco, MAX_JSON)?;
    if a.status != 200 {
        return Err(bad(
            &a.url,
            format!("service discovery answered status {}", a.status),
        ));
    }
    let doc: serde_json::Value = serde_json::from_slice(&a.body)
        .map_err(|e| bad(&a.url, format!("service discovery is not JSON: {e}")))?;
    let base = doc
        .get("modules.v1")
        .and_then(|v| v.as_str())
        .ok_or_else(|| {
            bad(
                &a.url,
                "this host does not offer a module registry (no modules.v1)",
            )
        })?;
    let mut url = a
        .url
        .join(base)
        .map_err(|e| bad(&a.url, format!("invalid modules.v1 {base:?}: {e}")))?;
    if !url.path.ends_with('/') {
        url.path.push('/');
    }
    Http::allowed(&url)?;
    Ok(url)
}

fn module_path(addr: &RegistryAddr) -> String {
    format!("{}/{}/{}", addr.namespace, addr.name, addr.system)
}

/// The versions the registry lists for the module (`Ok(None)`: not found).
pub fn versions(
    http: &Http,
    base: &Url,
    addr: &RegistryAddr,
) -> Result<Option<Vec<String>>, Problem> {
    let url = base
        .join(&format!("{}/versions", module_path(addr)))
        .map_err(|e| bad(base, e))?;
    let a = http.get(&url, MAX_JSON)?;
    match a.status {
        200 => {}
        404 => return Ok(None),
        s => return Err(bad(&a.url, format!("listing versions answered status {s}"))),
    }
    let doc: serde_json::Value = serde_json::from_slice(&a.body)
        .map_err(|e| bad(&a.url, format!("version list is not JSON: {e}")))?;
    let list = doc
        .get("modules")
        .and_then(|m| m.as_array())
        .and_then(|m| m.first())
        .and_then(|m| m.get("versions"))
        .and_then(|v| v.as_array())
        .ok_or_else(|| bad(&a.url, "version list has no modules[0].versions"))?;
    Ok(Some(
        list.iter()
            .take(MAX_VERSIONS)
            .filter_map(|v| v.get("version").and_then(|s| s.as_str()))
            .map(str::to_string)
            .collect(),
    ))
}

/// Where version `version` of the module is: a source address, absolute.
pub fn location(
    http: &Http,
    base: &Url,
    addr: &RegistryAddr,
    version: &str,
) -> Result<String, Problem> {
    let url = base
        .join(&format!("{}/{version}/download", module_path(addr)))
        .map_err(|e| bad(base, e))?;
    let a = http.get(&url, MAX_JSON)?;
    let loc = match a.status {
        200 | 204 => match a.terraform_get.filter(|l| !l.is_empty()) {
            Some(l) => l,
            None => {
                let doc: Option<serde_json::Value> = serde_json::from_slice(&a.body).ok();
                doc.as_ref()
                    .and_then(|d| d.get("location"))
                    .and_then(|l| l.as_str())
                    .map(str::to_string)
                    .ok_or_else(|| {
                        bad(
                            &a.url,
                            "the download answer has neither X-Terraform-Get nor a JSON location",
                        )
                    })?
            }
        },
        404 => return Err(bad(&a.url, format!("version {version} not found"))),
        s => return Err(bad(&a.url, format!("download answered status {s}"))),
    };
    if loc.starts_with('/') || loc.starts_with("./") || loc.starts_with("../") {
        // Relative to the download URL that was asked (as Terraform does).
        return url
            .join(&loc)
            .map(|u| u.with_userinfo())
            .map_err(|e| bad(&a.url, format!("invalid location {loc:?}: {e}")));
    }
    Ok(loc)
}
