//! Which names mean secret: the one catalog of secret words and the rule that reads a
//! name with it (`password`, `DB_PASSWORD`, `clientSecret`, but not
//! `minimum_password_length`). The evaluator's messages and every report use it; no
//! other copy exists. Tables and the rule only: no values are looked at here.

/// Words that make an attribute or map-key name secret (`password`, `DB_PASSWORD`,
/// `auth_token`, `clientSecret`). Names are split into lower-case words at `_`, `-`,
/// `.` and camel-case boundaries.
pub const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "credential",
    "credentials",
    "psk",
    "apikey",
    "accesskey",
    "privatekey",
    "secretkey",
    "connectionstring",
    "sastoken",
    "dsn",
    "pwd",
    "pw",
    "htpasswd",
    "jwt",
];

/// Last words that make an environment-variable style name (`STRIPE_KEY`, `DB_PASS`)
/// secret. (A password inside a URL is hidden wherever the URL appears.)
pub const SECRET_ENV_SUFFIXES: &[&str] = &["key", "pass", "pwd", "dsn"];

/// Two adjacent words that make a name secret (`private_key`, `connection_string`).
pub const SECRET_WORD_PAIRS: &[(&str, &str)] = &[
    ("private", "key"),
    ("api", "key"),
    ("access", "key"),
    ("auth", "key"),
    ("client", "key"),
    ("master", "key"),
    ("shared", "key"),
    ("signing", "key"),
    ("encryption", "key"),
    ("primary", "key"),
    ("secondary", "key"),
    ("ssh", "key"),
    ("connection", "string"),
    ("tls", "key"),
    ("ssl", "key"),
    ("sas", "url"),
];

/// Words that make a name describe a secret rather than hold one
/// (`minimum_password_length`, `secret_arn`, `password_reuse_prevention`, `kms_key_id`).
pub const SECRET_QUALIFIERS: &[&str] = &[
    "length",
    "reuse",
    "prevention",
    "policy",
    "policies",
    "required",
    "enabled",
    "enable",
    "expiration",
    "expiry",
    "expires",
    "rotation",
    "rotate",
    "arn",
    "id",
    "ids",
    "name",
    "names",
    "version",
    "ttl",
    "type",
    "count",
    "age",
    "min",
    "max",
    "minimum",
    "maximum",
    "status",
    "kms",
    "reset",
    "lifetime",
    "validity",
    "wo",
    "path",
    "location",
    "manager",
    "source",
    "sources",
    "hint",
];

/// Lower-case words of a name: split at non-alphanumerics and camel-case boundaries.
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        cur.push(c.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// True when an attribute or key name says its value is secret: it has a secret word
/// (`password`, `token`, `private_key`, …) and no word saying it only describes one
/// (`minimum_password_length`, `secret_arn`).
pub fn is_secret_name(name: &str) -> bool {
    let ws = words(name);
    // `STRIPE_KEY`, `DATABASE_URL`: environment variables carry their secrets this way.
    let env_style = name.len() > 3
        && name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        && name.contains('_');
    if env_style
        && ws
            .last()
            .is_some_and(|w| SECRET_ENV_SUFFIXES.contains(&w.as_str()))
    {
        return true;
    }
    // The last secret word (or pair) decides; a describing word after it
    // (`password_length`, `secret_arn`) makes the name describe a secret, not hold one.
    let mut last: Option<usize> = None;
    for (i, w) in ws.iter().enumerate() {
        if SECRET_WORDS.contains(&w.as_str()) {
            last = Some(i);
        }
        if i > 0 && SECRET_WORD_PAIRS.contains(&(ws[i - 1].as_str(), w.as_str())) {
            last = Some(i);
        }
    }
    match last {
        Some(i) => !ws[i + 1..]
            .iter()
            .any(|w| SECRET_QUALIFIERS.contains(&w.as_str())),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        for (name, want) in [
            ("password", true),
            ("master_password", true),
            ("DB_PASSWORD", true),
            ("auth_token", true),
            ("clientSecret", true),
            ("private_key_pem", true),
            ("api_key", true),
            ("connection_string", true),
            ("master_user_secret", true),
            ("minimum_password_length", false),
            ("password_reuse_prevention", false),
            ("http_tokens", false),
            ("secret_arn", false),
            ("kms_key_id", false),
            ("public_key", false),
            ("key_name", false),
            ("tokenizer", false),
            ("Password", true),
            ("STRIPE_KEY", true),
            ("DATABASE_URL", false),
            ("DB_PASS", true),
            ("LOG_LEVEL", false),
            ("key", false),
            ("SOURCE_DB_PASSWORD", true),
            ("STATUS_PAGE_TOKEN", true),
            ("PASSWORD_MANAGER_TOKEN", true),
            ("id_token", true),
            ("db_pw", true),
            ("htpasswd", true),
            ("tls_key", true),
            ("jwt", true),
            ("token_ttl", false),
        ] {
            assert_eq!(is_secret_name(name), want, "{name}");
        }
    }
}
