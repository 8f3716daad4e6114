//! String normalisation: what inside a text differs between environments by design
//! (regions and zones, account and project ids, UUIDs, environment names) is replaced
//! by a placeholder, and values shaped like provider identifiers are recognised.

use super::catalog::{
    AWS_ID_PREFIXES, AWS_REGION_GEOS, AZURE_LOCATIONS, ENV_ALIASES, GCP_REGION_GEOS,
    REGION_DIRECTIONS, REGION_SHORT_CODES,
};
use std::borrow::Cow;

/// The lower-cased tokens that name environment `name`: the name itself, and for the
/// name and each of its `-`/`_`/`.`-separated parts that is a known environment word,
/// that word's aliases; longest first, each at least two characters long.
pub fn env_tokens(name: &str) -> Vec<String> {
    let lower = name.to_ascii_lowercase();
    let mut tokens = vec![lower.clone()];
    let parts = std::iter::once(lower.as_str()).chain(lower.split(['-', '_', '.']));
    for part in parts {
        for group in ENV_ALIASES {
            if group.contains(&part) {
                tokens.extend(group.iter().map(|s| s.to_string()));
            }
        }
    }
    tokens.retain(|t| t.len() >= 2);
    sort_tokens(&mut tokens);
    tokens
}

/// Longest first (so `production` wins over `prod`), then alphabetical; no duplicates.
pub fn sort_tokens(tokens: &mut Vec<String>) {
    tokens.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    tokens.dedup();
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// Replaces every occurrence of any of `tokens` (lower-case) that stands as a whole
/// word (not inside a longer alphanumeric run), case-insensitively, by `with`.
pub fn replace_words<'a>(s: Cow<'a, str>, tokens: &[String], with: &str) -> Cow<'a, str> {
    if tokens.is_empty() || s.is_empty() {
        return s;
    }
    let hits = word_hits(s.as_bytes(), tokens);
    if hits.is_empty() {
        return s;
    }
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for (a, z) in hits {
        out.push_str(&s[last..a]);
        out.push_str(with);
        last = z;
    }
    out.push_str(&s[last..]);
    Cow::Owned(out)
}

/// Where each of `tokens` occurs in `b` as a whole word (case-insensitive), in order.
fn word_hits(b: &[u8], tokens: &[String]) -> Vec<(usize, usize)> {
    let mut hits: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if (i > 0 && is_word_byte(b[i - 1])) || !is_word_byte(b[i]) {
            i += 1;
            continue;
        }
        let matched = tokens.iter().map(String::as_bytes).find(|t| {
            b.len() - i >= t.len()
                && b[i..i + t.len()].eq_ignore_ascii_case(t)
                && b.get(i + t.len()).is_none_or(|&c| !is_word_byte(c))
        });
        match matched {
            Some(t) => {
                hits.push((i, i + t.len()));
                i += t.len();
            }
            None => i += 1,
        }
    }
    hits
}

/// [`replace_words`] that removes each word instead, with the separator (`-`, `_`,
/// `.`) before it (`logs-prod` → `logs`, `api.prod.acme.io` → `api.acme.io`), or at the
/// start of the text or of a path segment the one after it (`prod-web` → `web`,
/// `role/prod-x` → `role/x`). A word with no separator
/// beside it (`mode=prod`, the whole value) becomes `with`: removing it would make
/// unlike texts alike.
pub fn remove_words<'a>(s: Cow<'a, str>, tokens: &[String], with: &str) -> Cow<'a, str> {
    if tokens.is_empty() || s.is_empty() {
        return s;
    }
    let b = s.as_bytes();
    let sep = |c: Option<&u8>| matches!(c, Some(b'-' | b'_' | b'.'));
    // (start, end, what replaces it)
    let mut cuts: Vec<(usize, usize, &str)> = Vec::new();
    for (a, z) in word_hits(b, tokens) {
        let last = cuts.last().map_or(0, |c| c.1);
        let cut = if a > last && sep(b.get(a - 1)) {
            (a - 1, z, "")
        } else if (a == 0 || matches!(b[a - 1], b'/' | b':' | b'@' | b' ')) && sep(b.get(z)) {
            (a, z + 1, "")
        } else {
            (a, z, with)
        };
        cuts.push(cut);
    }
    if cuts.is_empty() {
        return s;
    }
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for (a, z, put) in cuts {
        out.push_str(&s[last..a]);
        out.push_str(put);
        last = z;
    }
    out.push_str(&s[last..]);
    Cow::Owned(out)
}

/// Replaces each declared DNS suffix (lower-case, longest first) where it ends a host
/// name, case-insensitively, by `{domain}`: `www.example.com` → `www.{domain}`,
/// `a@example.com` → `a@{domain}`; not inside a longer name (`myexample.com`,
/// `example.com.au`).
pub fn replace_domains<'a>(s: Cow<'a, str>, domains: &[String]) -> Cow<'a, str> {
    if domains.is_empty() || s.len() < 3 {
        return s;
    }
    let host = |c: u8| c.is_ascii_alphanumeric() || c == b'-';
    let b = s.as_bytes();
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let before_ok = i == 0 || !host(b[i - 1]);
        let hit = before_ok
            .then(|| {
                domains.iter().map(String::as_bytes).find(|d| {
                    let z = i + d.len();
                    z <= b.len()
                        && b[i..z].eq_ignore_ascii_case(d)
                        // Ends the name: nothing of a host name after it, or a final dot.
                        && match b.get(z) {
                            None => true,
                            Some(b'.') => b.get(z + 1).is_none_or(|&c| !host(c)),
                            Some(&c) => !host(c),
                        }
                })
            })
            .flatten();
        match hit {
            Some(d) => {
                cuts.push((i, i + d.len()));
                i += d.len();
            }
            None => i += 1,
        }
    }
    if cuts.is_empty() {
        return s;
    }
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for (a, z) in cuts {
        out.push_str(&s[last..a]);
        out.push_str("{domain}");
        last = z;
    }
    out.push_str(&s[last..]);
    Cow::Owned(out)
}

/// Replaces the declared `tokens` (lower-case, longest first) where they stand at
/// either end of a run of letters inside a longer word, case-insensitively, by `with`:
/// `shopprodPremium` → `shop{env}Premium`, `coreuat` → `core{env}`, `app01p` →
/// `app01{env}` (a run of letters ends at a digit, a separator or a change to upper
/// case). A one-letter token only as a whole run (`app01p`, not the `p` of `apple`).
/// A whole word that is a token is [`remove_words`]'s.
pub fn replace_within<'a>(s: Cow<'a, str>, tokens: &[String], with: &str) -> Cow<'a, str> {
    if tokens.is_empty() || s.is_empty() {
        return s;
    }
    let b = s.as_bytes();
    // Runs of letters: [start, end).
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        while i < b.len()
            && b[i].is_ascii_alphabetic()
            && !(b[i].is_ascii_uppercase() && b[i - 1].is_ascii_lowercase())
        {
            i += 1;
        }
        runs.push((start, i));
    }
    let word_byte = |k: usize| b.get(k).is_some_and(|c| c.is_ascii_alphanumeric());
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    for (a, z) in runs {
        let run = &b[a..z];
        // A whole word that is a token is `remove_words`'s.
        let whole = (a == 0 || !word_byte(a - 1)) && !word_byte(z);
        if whole
            && tokens
                .iter()
                .any(|t| run.eq_ignore_ascii_case(t.as_bytes()))
        {
            continue;
        }
        let fits = |t: &[u8]| t.len() <= run.len();
        let found = tokens.iter().map(String::as_bytes).find_map(|t| {
            if !fits(t) {
                return None;
            }
            if t.len() == 1 {
                return (run.len() == 1 && run.eq_ignore_ascii_case(t)).then_some((a, z));
            }
            if run[run.len() - t.len()..].eq_ignore_ascii_case(t) {
                return Some((z - t.len(), z));
            }
            if run[..t.len()].eq_ignore_ascii_case(t) {
                return Some((a, a + t.len()));
            }
            None
        });
        if let Some(c) = found {
            cuts.push(c);
        }
    }
    if cuts.is_empty() {
        return s;
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut last = 0;
    for (a, z) in cuts {
        out.push_str(&s[last..a]);
        out.push_str(with);
        last = z;
    }
    out.push_str(&s[last..]);
    Cow::Owned(out)
}

/// A run of alphanumeric bytes or a single separator byte.
/// A host name that is a wildcard (`*.admin.example.gov`) as the name it stands for
/// (`admin.example.gov`): outside production a certificate often covers every
/// environment under the name production uses alone.
pub fn drop_wildcard(s: Cow<'_, str>) -> Cow<'_, str> {
    match s.strip_prefix("*.") {
        Some(rest)
            if rest.contains('.')
                && rest.bytes().all(|c| {
                    c.is_ascii_alphanumeric() || c == b'-' || c == b'.' || c == b'{' || c == b'}'
                }) =>
        {
            Cow::Owned(rest.to_string())
        }
        _ => s,
    }
}

fn words(s: &str) -> Vec<&str> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        if is_word_byte(b[i]) {
            while i < b.len() && is_word_byte(b[i]) {
                i += 1;
            }
        } else {
            // keep multi-byte characters whole
            i += 1;
            while i < b.len() && !s.is_char_boundary(i) {
                i += 1;
            }
        }
        out.push(&s[start..i]);
    }
    out
}

fn is_hex(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Digits followed by at most one lower-case letter: `1`, `2a`.
fn digits_letter(w: &str) -> Option<Option<char>> {
    let digits = w.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    match &w[digits..] {
        "" => Some(None),
        rest if rest.len() == 1 && rest.as_bytes()[0].is_ascii_lowercase() => {
            rest.chars().next().map(Some)
        }
        _ => None,
    }
}

/// Matches a region at `words[i..]`: returns (words consumed, zone suffix as written:
/// `a` for AWS `us-east-1a`, `-a` for GCP `us-central1-a`).
fn region_at(ws: &[&str], i: usize) -> Option<(usize, Option<String>)> {
    // Regions are matched case-insensitively (`EUROPE-WEST3` is a GCS location).
    let first = ws[i];
    if !AWS_REGION_GEOS
        .iter()
        .chain(GCP_REGION_GEOS.iter())
        .any(|g| g.eq_ignore_ascii_case(first))
    {
        return None;
    }
    let lower: Vec<String> = ws[i..ws.len().min(i + 8)]
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect();
    let w = |k: usize| lower.get(k).map(String::as_str).unwrap_or("");
    // AWS: geo - [gov|iso..-] dir - N[a]
    if AWS_REGION_GEOS.contains(&w(0)) && w(1) == "-" {
        let mut k = 2;
        if matches!(w(2), "gov" | "iso" | "isob" | "isoe" | "isof") && w(3) == "-" {
            k = 4;
        }
        if REGION_DIRECTIONS.contains(&w(k)) && w(k + 1) == "-" {
            if let Some(letter) = digits_letter(w(k + 2)) {
                return Some((k + 3, letter.map(String::from)));
            }
        }
    }
    // GCP: geo - dirN [- z]
    if GCP_REGION_GEOS.contains(&w(0)) && w(1) == "-" {
        let dir = w(2);
        let alpha = dir.bytes().take_while(u8::is_ascii_lowercase).count();
        if alpha > 0
            && alpha < dir.len()
            && REGION_DIRECTIONS.contains(&&dir[..alpha])
            && dir[alpha..].bytes().all(|b| b.is_ascii_digit())
        {
            let z = w(4);
            if w(3) == "-" && z.len() == 1 && z.as_bytes()[0].is_ascii_lowercase() {
                return Some((5, Some(format!("-{z}"))));
            }
            return Some((3, None));
        }
    }
    None
}

/// UUID at `words[i..]`: 8-4-4-4-12 hex groups.
fn uuid_at(ws: &[&str], i: usize) -> bool {
    let lens = [8, 4, 4, 4, 12];
    for (n, len) in lens.iter().enumerate() {
        let Some(w) = ws.get(i + 2 * n) else {
            return false;
        };
        if w.len() != *len || !is_hex(w) {
            return false;
        }
        if n < 4 && ws.get(i + 2 * n + 1) != Some(&"-") {
            return false;
        }
    }
    true
}

/// What an environment's own AWS account id becomes in compared text.
pub const OWN_ACCOUNT: &str = "{account}";

/// Replaces regions and zones (`{region}`, keeping a zone's letter: `{region}a`),
/// the environment's own 12-digit account ids (`{account}`; other accounts stay) and
/// UUIDs (`{uuid}`).
pub fn replace_by_design<'a>(s: &'a str, accounts: &[String]) -> Cow<'a, str> {
    // Fast exit: nothing here can match without a digit or a dash.
    if !s.bytes().any(|b| b.is_ascii_digit() || b == b'-') {
        return azure_location(s);
    }
    if let Some(v) = validation_record(s) {
        return Cow::Owned(v);
    }
    let ws = words(s);
    let mut out = String::new();
    let mut changed = false;
    let mut i = 0;
    while i < ws.len() {
        if let Some((n, letter)) = region_at(&ws, i) {
            out.push_str("{region}");
            if let Some(zone) = letter {
                out.push_str(&zone);
            }
            i += n;
            changed = true;
            continue;
        }
        if uuid_at(&ws, i) {
            out.push_str("{uuid}");
            i += 9;
            changed = true;
            continue;
        }
        let w = ws[i];
        if w.len() == 12 && accounts.iter().any(|a| a == w) {
            out.push_str(OWN_ACCOUNT);
            changed = true;
        } else if (3..=5).contains(&w.len())
            && REGION_SHORT_CODES.iter().any(|c| c.eq_ignore_ascii_case(w))
        {
            out.push_str("{region}");
            changed = true;
        } else if w.len() >= 20 && w.bytes().all(|b| b.is_ascii_digit()) {
            // Terraform's unique suffix of name_prefix: a timestamp and a counter.
            out.push_str("{id}");
            changed = true;
        } else {
            out.push_str(w);
        }
        i += 1;
    }
    if changed {
        Cow::Owned(out)
    } else {
        azure_location(s)
    }
}

/// The buckets Dataproc makes for a project, named
/// `dataproc-{staging,temp}-<region>-<project number>-<8 random characters>`, as a label
/// aligns them (`tfer--dataproc-temp-{region}-1005246706141-x9mtxbwg` →
/// `tfer--dataproc-temp-{region}-{project-number}-{id}`): one bucket in every
/// environment. Only labels: a value naming another project's bucket (staging's
/// cluster using prod's) stays what it is. Read after the region is out; one pass.
pub fn generated_bucket(s: Cow<'_, str>) -> Cow<'_, str> {
    if !s.contains("dataproc-") {
        return s;
    }
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for (at, _) in s.match_indices("dataproc-") {
        if at < last {
            continue;
        }
        let after = &s[at + "dataproc-".len()..];
        let Some(tail) = ["staging-{region}-", "temp-{region}-"]
            .iter()
            .find_map(|p| after.strip_prefix(p))
        else {
            continue;
        };
        let digits = tail.bytes().take_while(u8::is_ascii_digit).count();
        let id = tail.get(digits + 1..digits + 9);
        let ends = tail
            .as_bytes()
            .get(digits + 9)
            .is_none_or(|c| !c.is_ascii_alphanumeric());
        if (6..=20).contains(&digits)
            && tail.as_bytes().get(digits) == Some(&b'-')
            && ends
            && id.is_some_and(|w| {
                w.bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            })
        {
            let start = s.len() - tail.len();
            out.push_str(&s[last..start]);
            out.push_str("{project-number}-{id}");
            last = start + digits + 9;
        }
    }
    if last == 0 {
        return s;
    }
    out.push_str(&s[last..]);
    Cow::Owned(out)
}

/// A DNS validation record's name or target, whose tokens a certificate authority
/// draws for each certificate (and so each environment): ACM's
/// `_c304f7f5….api.example.com` and `_a2c38fdc….jfrzftwwjs.acm-validations.aws.`. The
/// first label's token becomes `_{validation}`, a target under `acm-validations.aws`
/// becomes `{acm-validation}`; `None` for anything else.
fn validation_record(s: &str) -> Option<String> {
    let host = s.strip_suffix('.').unwrap_or(s);
    if host.ends_with(".acm-validations.aws") && !host.contains(char::is_whitespace) {
        return Some("{acm-validation}".to_string());
    }
    let rest = host.strip_prefix('_')?;
    let (token, after) = rest.split_once('.')?;
    (token.len() == 32
        && token
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
    .then(|| format!("_{{validation}}.{after}"))
}

fn azure_location(s: &str) -> Cow<'_, str> {
    if s.len() <= 24 && s.len() >= 6 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b' ') {
        let squashed = s
            .bytes()
            .filter(|b| *b != b' ')
            .map(|b| b.to_ascii_lowercase());
        if AZURE_LOCATIONS
            .iter()
            .any(|loc| squashed.clone().eq(loc.bytes()))
        {
            return Cow::Borrowed("{region}");
        }
    }
    Cow::Borrowed(s)
}

/// True for values shaped like a provider-assigned identifier: AWS ids (`sg-0a1b2c3d`),
/// Route 53 zone ids, Cloud Map ids, bare UUIDs, long numeric ids.
pub fn is_provider_id(s: &str) -> bool {
    let s = s.strip_prefix("/hostedzone/").unwrap_or(s);
    if let Some((prefix, suffix)) = s.rsplit_once('-') {
        if AWS_ID_PREFIXES.contains(&prefix)
            && (suffix.len() == 8 || suffix.len() == 17)
            && suffix
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return true;
        }
        if matches!(prefix, "ns" | "srv")
            && suffix.len() >= 16
            && suffix
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        {
            return true;
        }
    }
    if s.len() >= 10
        && s.len() <= 32
        && s.starts_with('Z')
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && s.bytes().any(|b| b.is_ascii_digit())
    {
        return true;
    }
    if s.len() == 36 && uuid_at(&words(s), 0) {
        return true;
    }
    s.len() >= 15 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Normalises an ARN that points outside the state: partition and service are kept,
/// the region dropped, the account replaced when it is the environment's own, and the
/// resource part normalised like any text with identifier-shaped segments replaced by
/// `{id}`.
pub fn normalize_arn(s: &str, accounts: &[String]) -> Option<String> {
    let rest = s.strip_prefix("arn:")?;
    let mut parts = rest.splitn(5, ':');
    let partition = parts.next()?;
    let service = parts.next()?;
    let region = parts.next()?;
    let account = parts.next()?;
    let resource = parts.next()?;
    let region = if region.is_empty() { "" } else { "{region}" };
    let account = if accounts.iter().any(|a| a == account) {
        OWN_ACCOUNT
    } else {
        account
    };
    let mut res = String::with_capacity(resource.len());
    let mut seg_start = 0;
    for (i, c) in resource
        .char_indices()
        .chain(std::iter::once((resource.len(), '/')))
    {
        if c != '/' && c != ':' {
            continue;
        }
        let seg = &resource[seg_start..i];
        if id_segment(seg) {
            res.push_str("{id}");
        } else {
            res.push_str(seg);
        }
        if i < resource.len() {
            res.push(c);
        }
        seg_start = i + 1;
    }
    Some(format!(
        "arn:{partition}:{service}:{region}:{account}:{}",
        replace_by_design(&res, accounts)
    ))
}

/// A path segment that is a generated identifier: a long hex run, a provider id, or a
/// long alphanumeric code with several digits (`AmazonS3ReadOnlyAccess` is not one).
fn id_segment(seg: &str) -> bool {
    let digits = seg.bytes().filter(u8::is_ascii_digit).count();
    (seg.len() >= 8 && is_hex(seg) && digits > 0)
        || is_provider_id(seg)
        || (seg.len() >= 16 && seg.bytes().all(|b| b.is_ascii_alphanumeric()) && digits >= 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_domains_end_host_names_only() {
        let d = vec![
            "example.aat.platform.example.net".to_string(),
            "example.com".to_string(),
        ];
        let r = |s: &str| replace_domains(Cow::Borrowed(s), &d).into_owned();
        assert_eq!(r("www.example.com"), "www.{domain}");
        assert_eq!(r("www.example.aat.platform.example.net"), "www.{domain}");
        assert_eq!(r("WWW.Example.COM."), "WWW.{domain}.");
        assert_eq!(r("ops@example.com"), "ops@{domain}");
        assert_eq!(r("https://api.example.com/v1"), "https://api.{domain}/v1");
        // Not part of another name.
        assert_eq!(r("myexample.com"), "myexample.com");
        assert_eq!(r("example.com.au"), "example.com.au");
        assert_eq!(r("example.community"), "example.community");
    }

    #[test]
    fn declared_tokens_match_inside_words_at_the_ends_of_letter_runs_only() {
        let t = vec![
            "prod".to_string(),
            "aat".to_string(),
            "pd".to_string(),
            "p".to_string(),
        ];
        let r = |s: &str| replace_within(Cow::Borrowed(s), &t, "{env}").into_owned();
        assert_eq!(r("shopprodPremium"), "shop{env}Premium");
        assert_eq!(r("shopaatPremium"), "shop{env}Premium");
        assert_eq!(r("coreprod"), "core{env}");
        assert_eq!(r("app01p"), "app01{env}");
        assert_eq!(r("pdapp1"), "{env}app1");
        // Ordinary words stay: not at an end of a run, or a one-letter token in a word.
        for s in [
            "updated",
            "apple",
            "reproduce",
            "p3.large",
            "products",
            "product-api",
        ] {
            let expected = match s {
                // `p` alone is a whole run of letters: a declared one-letter code.
                "p3.large" => "{env}3.large",
                // `prod` starts the run `products`: a declared token at its start.
                "products" => "{env}ucts",
                "product-api" => "{env}uct-api",
                _ => s,
            };
            assert_eq!(r(s), expected, "{s}");
        }
        // Whole words are left to remove_words.
        assert_eq!(r("prod"), "prod");
        assert_eq!(r("web-prod"), "web-prod");
    }

    #[test]
    fn dataproc_buckets_are_named_by_their_project() {
        let r = |s: &str| generated_bucket(replace_by_design(s, &[])).into_owned();
        assert_eq!(
            r("dataproc-temp-us-west2-1005246706141-x9mtxbwg"),
            "dataproc-temp-{region}-{project-number}-{id}"
        );
        assert_eq!(
            r("tfer--dataproc-staging-us-west2-473674835135-t87wkokr"),
            "tfer--dataproc-staging-{region}-{project-number}-{id}"
        );
        // Not the shape: kept.
        assert_eq!(
            r("dataproc-temp-us-west2-1005246706141-backups"),
            "dataproc-temp-{region}-1005246706141-backups"
        );
        assert_eq!(
            r("dataproc-temp-us-west2-12-x9mtxbwg"),
            "dataproc-temp-{region}-12-x9mtxbwg"
        );
        // Values are not labels: the number stays.
        assert_eq!(
            replace_by_design("dataproc-temp-us-west2-1005246706141-x9mtxbwg", &[]),
            "dataproc-temp-{region}-1005246706141-x9mtxbwg"
        );
        // A long text of prefixes and no bucket is left as it is.
        let long = "dataproc-temp-{region}-".repeat(1_000);
        assert_eq!(generated_bucket(Cow::Borrowed(&long)), long.as_str());
    }

    #[test]
    fn wildcards_come_off_hosts_only() {
        let d = |s: &str| drop_wildcard(Cow::Borrowed(s)).into_owned();
        assert_eq!(d("*.admin.example.gov"), "admin.example.gov");
        assert_eq!(d("*.com"), "*.com");
        assert_eq!(d("*.a b.c"), "*.a b.c");
        assert_eq!(d("admin.example.gov"), "admin.example.gov");
    }

    #[test]
    fn env_tokens_include_aliases() {
        assert_eq!(env_tokens("prod"), ["production", "prod", "prd"]);
        assert_eq!(env_tokens("Staging"), ["staging", "stage", "stg"]);
        assert_eq!(env_tokens("eu1"), ["eu1"]);
        assert_eq!(
            env_tokens("prod-eu"),
            ["production", "prod-eu", "prod", "prd"]
        );
        assert_eq!(
            env_tokens("staging-100000-abc"),
            ["staging-100000-abc", "staging", "stage", "stg"]
        );
        assert!(env_tokens("x").is_empty());
    }

    #[test]
    fn replaces_env_words_only_as_whole_words() {
        let t = env_tokens("prod");
        for (input, want) in [
            ("prod-web", "{env}-web"),
            ("api.prod.example.com", "api.{env}.example.com"),
            ("PROD_db", "{env}_db"),
            ("myapp-production", "myapp-{env}"),
            ("product-catalog", "product-catalog"),
            ("reproduce", "reproduce"),
            ("prd", "{env}"),
            ("prod", "{env}"),
        ] {
            assert_eq!(
                replace_words(Cow::Borrowed(input), &t, "{env}"),
                want,
                "{input}"
            );
        }
    }

    #[test]
    fn replaces_by_design_values() {
        for (input, want) in [
            ("us-east-1", "{region}"),
            ("EUROPE-WEST3", "{region}"),
            ("us-east-1a", "{region}a"),
            ("us-west-2a", "{region}a"),
            ("us-gov-west-1", "{region}"),
            ("ap-southeast-2c", "{region}c"),
            ("com.amazonaws.us-east-1.s3", "com.amazonaws.{region}.s3"),
            (
                "prod-web-1.us-east-1.elb.amazonaws.com",
                "prod-web-1.{region}.elb.amazonaws.com",
            ),
            ("us-central1", "{region}"),
            ("europe-west3-b", "{region}-b"),
            (
                "https://x/projects/p/regions/asia-south1/subnetworks/s",
                "https://x/projects/p/regions/{region}/subnetworks/s",
            ),
            ("eastus", "{region}"),
            ("West Europe", "{region}"),
            ("123456789012", "{account}"),
            ("role-123456789012-x", "role-{account}-x"),
            ("1234567890123", "1234567890123"),
            ("role-999999999999-x", "role-999999999999-x"),
            ("demodb-20210923145422496400000001", "demodb-{id}"),
            ("kv-acme-prod-weu", "kv-acme-prod-{region}"),
            ("app-use1-web", "app-{region}-web"),
            ("museum", "museum"),
            ("3f2504e0-4f89-11d3-9a0c-0305e82c3301", "{uuid}"),
            (
                "/subscriptions/3f2504e0-4f89-11d3-9a0c-0305e82c3301/rg",
                "/subscriptions/{uuid}/rg",
            ),
            ("web-east-1", "web-east-1"),
            ("plain", "plain"),
            ("10.0.1.0/24", "10.0.1.0/24"),
        ] {
            assert_eq!(
                replace_by_design(input, &["123456789012".to_string()]),
                want,
                "{input}"
            );
        }
    }

    #[test]
    fn provider_ids() {
        for (input, want) in [
            ("sg-0a1b2c3d4e5f67890", true),
            ("vpc-12345678", true),
            ("eipalloc-0123456789abcdef0", true),
            ("rtbassoc-0123456789abcdef0", true),
            ("Z0123456789ABCDEFGHIJ", true),
            ("/hostedzone/Z35SXDOTRQ7X7K", true),
            ("ns-abcdefgh12345678", true),
            ("3f2504e0-4f89-11d3-9a0c-0305e82c3301", true),
            ("1234567890123456789", true),
            ("sg-web", false),
            ("prod-web", false),
            ("ZONE", false),
            ("ELBSecurityPolicy-2016-08", false),
            ("10.0.0.0/16", false),
        ] {
            assert_eq!(is_provider_id(input), want, "{input}");
        }
    }

    #[test]
    fn arns() {
        let own = ["111111111111".to_string()];
        for (input, want) in [
            ("arn:aws:acm:us-east-1:111111111111:certificate/3f2504e0-4f89-11d3-9a0c-0305e82c3301", "arn:aws:acm:{region}:{account}:certificate/{id}"),
            ("arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess"),
            ("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"),
            ("arn:aws:iam::999999999999:root", "arn:aws:iam::999999999999:root"),
            ("arn:aws:iam::111111111111:root", "arn:aws:iam::{account}:root"),
            ("arn:aws:elasticloadbalancing:us-west-2:2:loadbalancer/app/prod-web/50dc6c495c0c9188", "arn:aws:elasticloadbalancing:{region}:2:loadbalancer/app/prod-web/{id}"),
            ("arn:aws:s3:::bucket-us-east-1", "arn:aws:s3:::bucket-{region}"),
            ("arn:aws:s3:::a/b:c", "arn:aws:s3:::a/b:c"),
        ] {
            assert_eq!(normalize_arn(input, &own).as_deref(), Some(want), "{input}");
        }
        assert_eq!(normalize_arn("not-an-arn", &own), None);
        // Linear in the number of segments.
        let long = format!("arn:aws:s3:::{}", "a/".repeat(50_000));
        assert!(normalize_arn(&long, &own).is_some());
    }
    #[test]
    fn validation_records_are_by_design() {
        assert_eq!(
            replace_by_design("_c304f7f525b21772de85e239fc32df96.api.example.com.", &[]),
            "_{validation}.api.example.com"
        );
        assert_eq!(
            replace_by_design(
                "_a2c38fdc747637add5b6ff0958fe5141.jfrzftwwjs.acm-validations.aws.",
                &[]
            ),
            "{acm-validation}"
        );
        // Not a validation token: too short, not hex, not first.
        assert_eq!(
            replace_by_design("_c304f7f5.api.example.com", &[]),
            "_c304f7f5.api.example.com"
        );
        assert_eq!(
            replace_by_design("_dmarc.example.com", &[]),
            "_dmarc.example.com"
        );
        assert_eq!(
            replace_by_design("api._c304f7f525b21772de85e239fc32df96.example.com", &[]),
            "api._c304f7f525b21772de85e239fc32df96.example.com"
        );
    }
}
