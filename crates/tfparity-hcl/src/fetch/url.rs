//! The small part of URLs that module sources need: parse `scheme://[user@]host[:port]/path?query`,
//! print it back (with or without user information), resolve a relative reference, read
//! and write query parameters. Strict about hosts; knows no scheme-specific rules beyond
//! which hosts count as loopback.

use std::fmt;

/// An absolute URL with an authority. The fragment is dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    /// Lower case.
    pub scheme: String,
    /// User information as written (`user` or `user:password`), percent-encoded.
    pub userinfo: Option<String>,
    /// Lower case; an IPv6 literal keeps its brackets.
    pub host: String,
    pub port: Option<u16>,
    /// Starts with `/` or is empty.
    pub path: String,
    /// Without the `?`.
    pub query: Option<String>,
}

impl Url {
    /// Parses an absolute URL with a host.
    pub fn parse(s: &str) -> Result<Url, String> {
        if s.len() > 4096 {
            return Err("URL is longer than 4096 characters".into());
        }
        if s.chars().any(|c| c.is_control() || c == ' ') {
            return Err("URL contains spaces or control characters".into());
        }
        let (scheme, rest) = s
            .split_once("://")
            .ok_or_else(|| format!("{s:?} is not an absolute URL"))?;
        if scheme.is_empty()
            || !scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            || !scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        {
            return Err(format!("invalid URL scheme {scheme:?}"));
        }
        let rest = rest.split('#').next().unwrap_or_default();
        let end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(end);
        let (path, query) = match tail.split_once('?') {
            Some((p, q)) => (p.to_string(), Some(q.to_string())),
            None => (tail.to_string(), None),
        };
        let (userinfo, hostport) = match authority.rsplit_once('@') {
            Some((u, h)) => (Some(u.to_string()), h),
            None => (None, authority),
        };
        // A user name that reads as an option (`-oProxyCommand=…@host`) is refused,
        // whatever ssh or git would make of it.
        if let Some(u) = &userinfo {
            if u.is_empty() || u.starts_with('-') || u.contains(['/', '\\', '@']) {
                return Err("invalid user information in URL".into());
            }
        }
        let (host, port) = split_host_port(hostport)?;
        Ok(Url {
            scheme: scheme.to_ascii_lowercase(),
            userinfo,
            host,
            port,
            path,
            query,
        })
    }

    /// `host` or `host:port`.
    pub fn authority_host(&self) -> String {
        match self.port {
            Some(p) => format!("{}:{p}", self.host),
            None => self.host.clone(),
        }
    }

    /// The host without IPv6 brackets, as a name to match credentials on.
    pub fn bare_host(&self) -> &str {
        self.host.trim_start_matches('[').trim_end_matches(']')
    }

    /// 127.0.0.0/8, `localhost` or `[::1]`: the only hosts reached over plain http.
    pub fn is_loopback(&self) -> bool {
        is_loopback_host(&self.host)
    }

    /// The URL with no user information at all: for messages, cache keys and
    /// `resolved`.
    pub fn redacted(&self) -> String {
        self.render(false)
    }

    /// The URL as a message shows it: no user information, and no value of a
    /// secret-named query parameter (`?token=`, `?sig=`): see [`crate::scrub::url`].
    pub fn shown(&self) -> String {
        crate::scrub::url(&self.redacted())
    }

    /// The URL with the user name kept but any password removed.
    pub fn without_password(&self) -> String {
        let mut u = self.clone();
        u.userinfo = u
            .userinfo
            .as_deref()
            .map(|ui| ui.split(':').next().unwrap_or_default().to_string());
        u.render(true)
    }

    /// The URL with user information as written, for the one consumer that needs it
    /// (git, for a private repository); never for messages.
    pub fn with_userinfo(&self) -> String {
        self.render(true)
    }

    fn render(&self, with_user: bool) -> String {
        let mut s = format!("{}://", self.scheme);
        if with_user {
            if let Some(u) = &self.userinfo {
                s.push_str(u);
                s.push('@');
            }
        }
        s.push_str(&self.authority_host());
        s.push_str(&self.path);
        if let Some(q) = &self.query {
            s.push('?');
            s.push_str(q);
        }
        s
    }

    /// Resolves `reference` (absolute, `//host…`, `/path`, `?query` or a relative path)
    /// against this URL, as a browser would.
    pub fn join(&self, reference: &str) -> Result<Url, String> {
        if let Some((scheme, _)) = reference.split_once("://") {
            if !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
            {
                return Url::parse(reference);
            }
        }
        if let Some(rest) = reference.strip_prefix("//") {
            return Url::parse(&format!("{}://{rest}", self.scheme));
        }
        let reference = reference.split('#').next().unwrap_or_default();
        let (rpath, rquery) = match reference.split_once('?') {
            Some((p, q)) => (p, Some(q.to_string())),
            None => (reference, None),
        };
        let mut out = self.clone();
        if rpath.is_empty() {
            if rquery.is_some() {
                out.query = rquery;
            }
            return Ok(out);
        }
        let merged = if rpath.starts_with('/') {
            rpath.to_string()
        } else {
            let dir = match self.path.rfind('/') {
                Some(i) => &self.path[..=i],
                None => "/",
            };
            format!("{dir}{rpath}")
        };
        out.path = remove_dot_segments(&merged);
        out.query = rquery;
        Ok(out)
    }

    /// The query parameters, percent-decoded, in order.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        let Some(q) = &self.query else {
            return Vec::new();
        };
        q.split('&')
            .filter(|p| !p.is_empty())
            .map(|p| match p.split_once('=') {
                Some((k, v)) => (decode(k), decode(v)),
                None => (decode(p), String::new()),
            })
            .collect()
    }

    /// Replaces the query with `pairs` (none: no query).
    pub fn set_query_pairs(&mut self, pairs: &[(String, String)]) {
        if pairs.is_empty() {
            self.query = None;
            return;
        }
        let q: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        self.query = Some(q.join("&"));
    }
}

impl fmt::Display for Url {
    /// Without any password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.without_password())
    }
}

/// `host` is 127.0.0.0/8, `localhost` or `[::1]`.
pub fn is_loopback_host(host: &str) -> bool {
    let h = host.to_ascii_lowercase();
    if h == "localhost" || h == "[::1]" || h == "::1" {
        return true;
    }
    let parts: Vec<&str> = h.split('.').collect();
    parts.len() == 4
        && parts[0] == "127"
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.parse::<u8>().is_ok())
}

fn split_host_port(hp: &str) -> Result<(String, Option<u16>), String> {
    let (host, port) = if let Some(rest) = hp.strip_prefix('[') {
        let (inner, after) = rest
            .split_once(']')
            .ok_or_else(|| format!("invalid IPv6 host in {hp:?}"))?;
        if inner.is_empty()
            || !inner
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        {
            return Err(format!("invalid IPv6 host in {hp:?}"));
        }
        let port = match after {
            "" => None,
            p => Some(
                p.strip_prefix(':')
                    .ok_or_else(|| format!("invalid host {hp:?}"))?,
            ),
        };
        (format!("[{inner}]"), port)
    } else {
        match hp.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), Some(p)),
            None => (hp.to_string(), None),
        }
    };
    if host.is_empty() {
        return Err("URL has no host".into());
    }
    if !host.starts_with('[')
        && (host.starts_with(['-', '.'])
            || !host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_')))
    {
        return Err(format!("invalid host {host:?}"));
    }
    let port = match port {
        None | Some("") => None,
        Some(p) => Some(p.parse::<u16>().map_err(|_| "invalid port".to_string())?),
    };
    Ok((host.to_ascii_lowercase(), port))
}

/// RFC 3986 section 5.2.4, on a path that starts with `/`.
fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segs: Vec<&str> = path.split('/').skip(1).collect();
    let n = segs.len();
    for (i, seg) in segs.into_iter().enumerate() {
        let last = i + 1 == n;
        match seg {
            "." => {
                if last {
                    out.push("");
                }
            }
            ".." => {
                out.pop();
                if last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    format!("/{}", out.join("/"))
}

/// Percent-decodes (and `+` as space, as in form queries); invalid escapes stay.
pub fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(v) => {
                        out.push(v);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes everything but unreserved characters.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/' | b':') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_print() {
        for (input, want) in [
            ("https://example.com/a/b?x=1", "https://example.com/a/b?x=1"),
            ("HTTPS://Example.COM:8443", "https://example.com:8443"),
            ("ssh://git@host.org/x.git", "ssh://git@host.org/x.git"),
            ("https://u:secret@host.org/x", "https://u@host.org/x"),
            ("http://[::1]:80/p#frag", "http://[::1]:80/p"),
        ] {
            let u = Url::parse(input).expect(input);
            assert_eq!(u.to_string(), want, "{input}");
        }
        let u = Url::parse("https://u:secret@host.org/x").expect("url");
        assert_eq!(u.redacted(), "https://host.org/x");
        for bad in [
            "example.com/x",
            "https://",
            "https://-oProxyCommand=x/y",
            "ssh://-oProxyCommand=touch%20x@host/y",
            "ssh://@host/y",
            "https://a b/",
            "https://h:99999/",
            "1http://h/",
            "https://h%2f/",
        ] {
            assert!(Url::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn join() {
        let base = Url::parse("https://r.example/v1/modules/a/b/c/1.0.0/download").expect("base");
        for (reference, want) in [
            ("https://other.example/x.tgz", "https://other.example/x.tgz"),
            ("//cdn.example/x.tgz", "https://cdn.example/x.tgz"),
            ("/archive/x.tgz", "https://r.example/archive/x.tgz"),
            ("./x.tgz", "https://r.example/v1/modules/a/b/c/1.0.0/x.tgz"),
            (
                "../x.tgz?archive=zip",
                "https://r.example/v1/modules/a/b/c/x.tgz?archive=zip",
            ),
            ("../../../../../../../x", "https://r.example/x"),
            (
                "?q=1",
                "https://r.example/v1/modules/a/b/c/1.0.0/download?q=1",
            ),
            (
                "x.tgz?from=https://a.example/",
                "https://r.example/v1/modules/a/b/c/1.0.0/x.tgz?from=https://a.example/",
            ),
        ] {
            assert_eq!(
                base.join(reference).expect(reference).to_string(),
                want,
                "{reference}"
            );
        }
    }

    #[test]
    fn query_and_loopback() {
        let mut u = Url::parse("https://h/p?ref=v1.0&depth=1&x=a%20b").expect("url");
        let pairs = u.query_pairs();
        assert_eq!(pairs[2], ("x".to_string(), "a b".to_string()));
        u.set_query_pairs(&pairs[..1]);
        assert_eq!(u.to_string(), "https://h/p?ref=v1.0");
        for (h, want) in [
            ("127.0.0.1", true),
            ("127.1.2.3", true),
            ("localhost", true),
            ("[::1]", true),
            ("128.0.0.1", false),
            ("127.0.0.1.evil.com", false),
            ("localhost.evil.com", false),
        ] {
            assert_eq!(is_loopback_host(h), want, "{h}");
        }
    }
}
