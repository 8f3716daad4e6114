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

/// Last words that make a name of two words or more secret, whatever its case
/// (`db_pass`, `admin_pass`); alone they are ordinary (`pass`), and inside a word too
/// (`bypass`, `compass`, `passthrough`).
pub const SECRET_LAST_WORDS: &[&str] = &["pass"];

/// Endings that make one word secret when a name runs its words together
/// (`PGPASSWORD`, `adminpassword`, `GITHUBTOKEN`, `stripeapikey`): the unambiguous
/// secret words only. A word that merely starts with one is not secret
/// (`tokenizer`, `passwordless`, `secretsmanager`), and short ones (`pw`, `pwd`, `key`,
/// `pass`) are not endings (`monkey`, `bypass`).
pub const SECRET_ENDINGS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "apikey",
    "accesskey",
    "privatekey",
    "secretkey",
    "credential",
    "credentials",
];

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
    // Where a secret is obtained (`token_endpoint`, `token_url`); a password inside
    // a URL is hidden wherever the URL appears.
    "endpoint",
    "url",
    "uri",
    // A file holding a secret is named by its path (`password_file`, `--password-file`).
    "file",
    "files",
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
        let ends = || {
            SECRET_ENDINGS
                .iter()
                .any(|e| w.len() > e.len() && w.ends_with(e))
        };
        if SECRET_WORDS.contains(&w.as_str()) || ends() {
            last = Some(i);
        }
        if i > 0 && i + 1 == ws.len() && SECRET_LAST_WORDS.contains(&w.as_str()) {
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

/// Query parameters of a URL that carry a credential whatever the name rule says:
/// signatures of presigned and SAS URLs, API keys (`?key=`), OAuth codes. Lower case.
pub const SECRET_URL_PARAMS: &[&str] = &[
    "sig",
    "signature",
    "key",
    "code",
    "auth",
    "x-amz-signature",
    "x-amz-credential",
    "x-goog-signature",
    "x-goog-credential",
];

/// Whether a URL's query parameter `name` carries a credential (`token`,
/// `access_token`, `sig`, `X-Amz-Signature`).
pub fn is_secret_param(name: &str) -> bool {
    is_secret_name(name) || SECRET_URL_PARAMS.contains(&name.to_ascii_lowercase().as_str())
}

/// Whether a value bound for `name` and computed by `expr` is to be kept out of
/// messages: the name says secret, or the expression reads or writes a secret-named
/// place (`tonumber(var.db_password)`, `{ password = … }`).
pub fn is_secret_place(name: &str, expr: &crate::expr::Expr) -> bool {
    is_secret_name(name) || expr.names_any(&is_secret_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_hold_a_secret() {
        let missed: Vec<&str> = [
            "password",
            "Password",
            "master_password",
            "DB_PASSWORD",
            "SOURCE_DB_PASSWORD",
            "auth_token",
            "id_token",
            "STATUS_PAGE_TOKEN",
            "PASSWORD_MANAGER_TOKEN",
            "clientSecret",
            "master_user_secret",
            "private_key_pem",
            "api_key",
            "tls_key",
            "STRIPE_KEY",
            "connection_string",
            "DB_PASS",
            "db_pw",
            "htpasswd",
            "jwt",
            // One word, or abbreviated.
            "PGPASSWORD",
            "adminpassword",
            "adminPassword",
            "rootpassword",
            "GITHUBTOKEN",
            "githubToken",
            "csrftoken",
            "clientsecret",
            "apikey",
            "APIKEY",
            "stripeapikey",
            "db_pass",
            "admin_pass",
            "MYSQL_PWD",
            "mysql_pwd",
            "AZURE_CLIENT_SECRET",
            "refresh_token",
            "webhook_secret",
            "passphrase",
        ]
        .into_iter()
        .filter(|n| !is_secret_name(n))
        .collect();
        assert!(missed.is_empty(), "not taken for secret: {missed:?}");
    }

    #[test]
    fn names_that_only_describe_a_secret_or_are_ordinary_words() {
        let hidden: Vec<&str> = [
            // Words that merely contain a secret word.
            "passenger",
            "passenger_count",
            "bypass",
            "bypass_mode",
            "compass",
            "encompass",
            "passthrough",
            "ssl_passthrough",
            "pass_through",
            "passwordless",
            "keyspace",
            "keyspace_name",
            "monkey",
            "hockey",
            "tokenizer",
            "tokenizer_mode",
            "key",
            "LOG_LEVEL",
            "DATABASE_URL",
            // Settings and names of a secret, not the secret.
            "key_name",
            "kms_key_id",
            "public_key",
            "password_length",
            "password_policy",
            "minimum_password_length",
            "password_reuse_prevention",
            "http_tokens",
            "token_ttl",
            "token_expiry",
            "token_endpoint",
            "token_url",
            "secret_arn",
            "secret_name",
            "secretsmanager_arn",
            "secrets_manager_secret_id",
            "api_key_required",
            "access_key_id",
            "primary_key_name",
            "password_file",
            "private_key_file",
        ]
        .into_iter()
        .filter(|n| is_secret_name(n))
        .collect();
        assert!(hidden.is_empty(), "taken for secret: {hidden:?}");
    }
}
