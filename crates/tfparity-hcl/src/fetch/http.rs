//! HTTP GETs for module fetching: https only (plain http to loopback hosts alone), a
//! timeout on every request, redirects followed here (bounded, each hop checked), a
//! bearer token ([`super::credentials`]) sent only to the host it names, and bodies read up to a
//! limit. Messages name URLs without user information and never a token.

use super::credentials::TokenFn;
use super::error::Problem;
use super::url::Url;
use std::fs;
use std::io::{Read, Write};
use std::path::Path;
use std::time::Duration;

/// Limits of the HTTP layer.
#[derive(Debug, Clone, Copy)]
pub struct HttpLimits {
    pub timeout: Duration,
    pub max_redirects: u32,
}

/// An answer: the final URL (after redirects), status, the headers fetching looks at,
/// and the body (for [`Http::get`]).
#[derive(Debug)]
pub struct Answer {
    pub url: Url,
    pub status: u16,
    pub terraform_get: Option<String>,
    pub body: Vec<u8>,
}

/// The HTTP client.
#[derive(Clone)]
pub struct Http {
    /// Through the proxy the environment names, if any.
    agent: ureq::Agent,
    /// Never through a proxy: for loopback hosts.
    direct: ureq::Agent,
    tokens: TokenFn,
    limits: HttpLimits,
}

impl std::fmt::Debug for Http {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Http")
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

fn problem(url: &Url, what: impl std::fmt::Display) -> Problem {
    Problem::Http {
        url: url.shown(),
        what: what.to_string(),
    }
}

impl Http {
    pub fn new(tokens: TokenFn, limits: HttpLimits) -> Http {
        let config = |proxy: Option<ureq::Proxy>| {
            ureq::Agent::config_builder()
                .http_status_as_error(false)
                .max_redirects(0)
                .proxy(proxy)
                .timeout_global(Some(limits.timeout))
                .timeout_connect(Some(limits.timeout.min(Duration::from_secs(30))))
                .user_agent(concat!("tfparity/", env!("CARGO_PKG_VERSION")))
                .build()
        };
        Http {
            agent: config(ureq::Proxy::try_from_env()).into(),
            direct: config(None).into(),
            tokens,
            limits,
        }
    }

    /// May `url` be requested at all: https, or http to a loopback host.
    pub fn allowed(url: &Url) -> Result<(), Problem> {
        match url.scheme.as_str() {
            "https" => Ok(()),
            "http" if url.is_loopback() => Ok(()),
            "http" => Err(problem(
                url,
                "plain http is refused except to loopback hosts; use https",
            )),
            s => Err(problem(url, format!("scheme {s:?} is not http or https"))),
        }
    }

    /// GETs `url`, following redirects; the final non-redirect response.
    fn send(&self, url: &Url) -> Result<(Url, ureq::http::Response<ureq::Body>), Problem> {
        let mut at = url.clone();
        for _ in 0..=self.limits.max_redirects {
            Http::allowed(&at)?;
            let agent = if at.is_loopback() {
                &self.direct
            } else {
                &self.agent
            };
            let mut req = agent.get(at.redacted());
            if let Some(token) = (self.tokens)(&at.bare_host().to_ascii_lowercase()) {
                req = req.header("Authorization", format!("Bearer {token}"));
            } else if let Some(ui) = at.userinfo.as_deref().filter(|u| u.contains(':')) {
                // User information in the URL, as Go's client sends it (a relative
                // redirect keeps it; another host's URL carries its own or none).
                let (user, pass) = ui.split_once(':').unwrap_or((ui, ""));
                let pair = format!("{}:{}", super::url::decode(user), super::url::decode(pass));
                req = req.header(
                    "Authorization",
                    format!("Basic {}", base64(pair.as_bytes())),
                );
            }
            let resp = req.call().map_err(|e| problem(&at, request_error(&e)))?;
            let status = resp.status().as_u16();
            if matches!(status, 301 | 302 | 303 | 307 | 308) {
                let loc = resp
                    .headers()
                    .get("location")
                    .and_then(|v| v.to_str().ok())
                    .ok_or_else(|| {
                        problem(&at, format!("redirect ({status}) without a Location"))
                    })?;
                at = at
                    .join(loc)
                    .map_err(|e| problem(&at, format!("redirect to an invalid URL: {e}")))?;
                continue;
            }
            return Ok((at, resp));
        }
        Err(problem(
            url,
            format!("more than {} redirects", self.limits.max_redirects),
        ))
    }

    /// GETs `url` and reads the body, at most `max` bytes.
    pub fn get(&self, url: &Url, max: u64) -> Result<Answer, Problem> {
        let (at, resp) = self.send(url)?;
        let status = resp.status().as_u16();
        let terraform_get = header(&resp, "x-terraform-get");
        let mut body = Vec::new();
        let mut r = resp.into_body().into_reader().take(max + 1);
        r.read_to_end(&mut body)
            .map_err(|e| problem(&at, format!("reading the response: {e}")))?;
        if body.len() as u64 > max {
            return Err(problem(&at, format!("response is larger than {max} bytes")));
        }
        Ok(Answer {
            url: at,
            status,
            terraform_get,
            body,
        })
    }

    /// GETs `url` into the new file `dest`, at most `max` bytes; a non-2xx status is an
    /// error.
    pub fn download(&self, url: &Url, dest: &Path, max: u64) -> Result<(), Problem> {
        let (at, resp) = self.send(url)?;
        let status = resp.status();
        if !status.is_success() {
            return Err(problem(&at, format!("status {status}")));
        }
        if let Some(len) = header(&resp, "content-length").and_then(|l| l.parse::<u64>().ok()) {
            if len > max {
                return Err(Problem::Refused(format!(
                    "{} is {len} bytes, more than the limit of {max}",
                    at.shown()
                )));
            }
        }
        let mut f = fs::File::create(dest).map_err(|e| Problem::io(dest, e))?;
        let mut r = resp.into_body().into_reader().take(max + 1);
        let n = std::io::copy(&mut r, &mut f)
            .map_err(|e| problem(&at, format!("reading the response: {e}")))?;
        f.flush().map_err(|e| Problem::io(dest, e))?;
        if n > max {
            return Err(Problem::Refused(format!(
                "{} is more than the limit of {max} bytes",
                at.shown()
            )));
        }
        Ok(())
    }
}

/// Standard base64 with padding.
fn base64(data: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn header(resp: &ureq::http::Response<ureq::Body>, name: &str) -> Option<String> {
    resp.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// ureq's error, in words (it holds no headers, so no token).
fn request_error(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Timeout(t) => format!("timed out ({t:?})"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_encodes() {
        for (input, want) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("user:p@ss", "dXNlcjpwQHNz"),
        ] {
            assert_eq!(base64(input.as_bytes()), want, "{input}");
        }
    }
}
