//! Per-environment normalisation context: the identifier index (which string names
//! which resource), the environment's own tokens (its names, projects) and its address
//! space roots; and `leaf`, which turns one scalar into the form that is compared.

use super::catalog::{ADDRESS_SPACE_ATTRS, IDENTITY_ATTRS};
use super::text::{
    drop_wildcard, env_tokens, generated_bucket, is_provider_id, normalize_arn, remove_words,
    replace_by_design, replace_domains, replace_within, replace_words, sort_tokens, OWN_ACCOUNT,
};
use super::trail::{object_step, to_path, Step};
use crate::model::environment::{Facts, IdIndex, RootIndex};
use crate::model::{Address, Environment, Key, Mode, Value};
use ipnet::IpNet;
use std::borrow::Cow;
use std::collections::HashMap;
use std::net::IpAddr;

/// What an identifier string resolves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// Exactly one resource (the index), managed resources winning over data sources.
    One(u32, Mode),
    /// Several resources: not a usable reference.
    Many,
}

/// A scalar as compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Leaf<'a> {
    /// null, "", or absent.
    Empty,
    /// Normalised text.
    Text(Cow<'a, str>),
    /// The identifier of another resource in the same environment, by its logical
    /// (key-normalised) address.
    Ref(Cow<'a, Address>),
    /// Shaped like a provider identifier but naming nothing in this environment.
    External,
    /// Known only after apply.
    Unknown,
}

impl Leaf<'_> {
    /// Equality across environments; unknown values equal anything.
    pub fn same(&self, other: &Leaf<'_>) -> bool {
        match (self, other) {
            (Leaf::Unknown, _) | (_, Leaf::Unknown) => true,
            (Leaf::Empty, Leaf::Empty) | (Leaf::External, Leaf::External) => true,
            (Leaf::Text(a), Leaf::Text(b)) => a == b,
            (Leaf::Ref(a), Leaf::Ref(b)) => a == b,
            _ => false,
        }
    }

    /// What of its environment's own the value names, as a reader is told: its account,
    /// an address in its network (relative to a root), a resource, or nothing.
    pub fn names_own(&self) -> &'static str {
        match self {
            Leaf::Ref(_) => "a resource of its own",
            Leaf::Text(t) if t.contains(OWN_ACCOUNT) => "its own account",
            Leaf::Text(t) if t.contains(RELATIVE) => "an address in its own network",
            _ => "nothing of its own",
        }
    }

    pub fn is_reference(&self) -> bool {
        matches!(self, Leaf::Ref(_) | Leaf::External)
    }

    /// A canonical text for set comparison of collections.
    pub fn canonical(&self) -> String {
        match self {
            Leaf::Empty => "∅".into(),
            Leaf::Text(t) => format!("\"{t}\""),
            Leaf::Ref(a) => format!("@{a}"),
            Leaf::External => "#external".into(),
            Leaf::Unknown => "?".into(),
        }
    }
}

/// The labels of an address, each passed through `f`: its module names, mode, type and
/// name, without keys.
fn labels_of<'a>(a: &'a Address, f: impl Fn(&'a str) -> Cow<'a, str>) -> String {
    let mut out = String::new();
    for m in &a.module {
        out.push_str(&f(&m.name));
        out.push('\u{0}');
    }
    out.push_str(match a.mode {
        Mode::Managed => "",
        Mode::Data => "data.",
        Mode::Ephemeral => "ephemeral.",
    });
    out.push_str(&a.rtype);
    out.push('\u{0}');
    out.push_str(&f(&a.name));
    out
}

/// Between the resource and the offset of an address relative to its network root
/// (`{aws_vpc.main}+0.0.1.0/24`).
const RELATIVE: &str = "}+";

/// Naming conventions the user declares (`--alias ENV=TOKEN,…`, `--domain ENV=DOMAIN`):
/// tokens that also mean an environment, and each environment's DNS suffixes. Both are
/// by design on every side, like environment names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conventions {
    /// Environment name → its declared tokens (lower-case).
    pub aliases: std::collections::BTreeMap<String, Vec<String>>,
    /// Environment name → its DNS suffixes (lower-case, no trailing dot).
    pub domains: std::collections::BTreeMap<String, Vec<String>>,
    /// Words learned from the aligned instances (lower-case): applied to names only,
    /// never to settings (see [`settings_only`]).
    pub learned: Vec<String>,
    /// Those of `learned` seen so widely that they are applied to settings too
    /// ([`super::learn::applies_to_settings`]): `p` ↔ `u` in 78 names also reads
    /// `cstar-p-evh-ns.servicebus.windows.net` in an application setting.
    pub learned_everywhere: Vec<String>,
    /// DNS suffixes learned from the aligned instances, environment name → its own:
    /// applied to names only, like learned words (a host in a setting, `datadoghq.com`
    /// against `datadoghq.eu`, may be a real difference).
    pub learned_domains: std::collections::BTreeMap<String, Vec<String>>,
    /// Address spaces learned from the aligned instances, whose roots are outside the
    /// configuration (a VPC of another stack): environment name → its networks, each
    /// with the label it shares with the corresponding network of every other
    /// environment (the baseline's network).
    pub spaces: std::collections::BTreeMap<String, Vec<(IpNet, String)>>,
}

/// What declares an address-space root: a resource of the environment (a VPC), or a
/// learned correspondence (its label).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Root<'a> {
    Resource(&'a Address),
    Learned(&'a str),
}

impl Conventions {
    /// Takes a learned correspondence between the baseline (named `base`) and
    /// environment `env` as by design: a word, a domain of each, or an address space
    /// of each under one label.
    pub fn adopt(&mut self, base: &str, env: &str, c: &super::learn::Correspondence) {
        use super::learn::CorrKind;
        match c.kind {
            CorrKind::Identifier => {}
            CorrKind::Token | CorrKind::Account => {
                let everywhere = super::learn::applies_to_settings(c);
                for word in [&c.from, &c.to] {
                    if !self.learned.contains(word) {
                        self.learned.push(word.clone());
                    }
                    if everywhere && !self.learned_everywhere.contains(word) {
                        self.learned_everywhere.push(word.clone());
                    }
                }
            }
            CorrKind::Domain => {
                for (e, d) in [(base, &c.from), (env, &c.to)] {
                    let ds = self.learned_domains.entry(e.to_string()).or_default();
                    if !ds.contains(d) {
                        ds.push(d.clone());
                    }
                }
            }
            CorrKind::AddressSpace => {
                let (Ok(from), Ok(to)) = (c.from.parse::<IpNet>(), c.to.parse::<IpNet>()) else {
                    return;
                };
                // Named by the baseline's network, the same in every environment.
                let label = format!("address space {from}");
                for (e, net) in [(base, from), (env, to)] {
                    let ss = self.spaces.entry(e.to_string()).or_default();
                    if !ss.iter().any(|(n, _)| *n == net) {
                        ss.push((net, label.clone()));
                    }
                }
            }
        }
    }

    /// Whether adopting `c` would change these conventions.
    pub fn adds(&self, base: &str, env: &str, c: &super::learn::Correspondence) -> bool {
        let mut after = self.clone();
        after.adopt(base, env, c);
        after != *self
    }

    /// Every declared token, longest first.
    fn tokens(&self) -> Vec<String> {
        let mut t: Vec<String> = self.aliases.values().flatten().cloned().collect();
        sort_tokens(&mut t);
        t
    }

    /// Every declared domain, longest first.
    fn domains(&self) -> Vec<String> {
        let mut d: Vec<String> = self.domains.values().flatten().cloned().collect();
        sort_tokens(&mut d);
        d
    }
}

thread_local! {
    /// Set while a setting (not a name) is compared on this thread: learned words are
    /// not applied to it, so that a word learned from names (`jobs-xlarge-q1` and
    /// `jobs-large-q1`) never hides a setting (`db.m5.xlarge` and `db.m5.large`).
    static SETTINGS_ONLY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with learned words applied (`names`) or not; restores what was before.
pub fn settings_only<R>(setting: bool, f: impl FnOnce() -> R) -> R {
    let before = SETTINGS_ONLY.with(|s| s.replace(setting));
    let r = f();
    SETTINGS_ONLY.with(|s| s.set(before));
    r
}

/// Normalisation context of one environment.
pub struct Context<'e> {
    pub env: &'e Environment,
    tokens: Vec<String>,
    /// Tokens the user declared, and the environments' names: matched as words, and
    /// also at either end of a run of letters (`shopprodPremium`, `coreuat`, `app01p`).
    declared: Vec<String>,
    /// DNS suffixes the user declared for the environments, longest first.
    domains: Vec<String>,
    /// Words learned from the aligned instances, longest first.
    learned: Vec<String>,
    /// Domains learned from the aligned instances, longest first: applied to names.
    learned_domains: Vec<String>,
    /// Those applied to settings too, longest first.
    learned_everywhere: Vec<String>,
    /// The address spaces learned for this environment, most specific first.
    spaces: Vec<(IpNet, String)>,
    /// This environment's own names: its name's tokens and its declared aliases.
    own_names: Vec<String>,
    facts: &'e Facts,
    /// Normalised texts that hold a by-design placeholder (`gke-{region}-web`), each with
    /// the text this environment wrote: made on first use, for display only.
    shown: std::sync::OnceLock<std::collections::BTreeMap<String, String>>,
    /// Addresses whose labels read alike once by-design parts are out
    /// (`aws_x.logs` and `aws_x.logs-staging` in one environment): these align by
    /// their labels as written (see [`Context::notes`]).
    ambiguous: std::collections::HashSet<String>,
    /// Why addresses were kept apart, one sentence each, sorted.
    pub notes: Vec<String>,
    /// Logical addresses of instances paired with the baseline's at another address →
    /// the baseline's: what a reference to one of them reads as.
    aliases: HashMap<Address, Address>,
    /// Whether this is the baseline's context.
    baseline: bool,
    /// Whether a data source here and one of another environment's (that context, and
    /// the two positions) read the same thing: see `diff::same_reading`.
    pub(crate) readings: std::sync::Mutex<HashMap<(usize, usize, usize, usize), bool>>,
}

impl<'e> Context<'e> {
    /// The context of `env` when compared with environments named `peers` (its own
    /// name among them). Every compared environment's name is an environment token on
    /// both sides, so that identical text never differs by where it was read. What is
    /// read from the resources themselves is gathered once per environment.
    pub fn new(env: &'e Environment, peers: &[&str]) -> Context<'e> {
        Context::with(env, peers, &Conventions::default())
    }

    /// [`Context::new`] with the naming conventions the user declared.
    pub fn with(env: &'e Environment, peers: &[&str], conventions: &Conventions) -> Context<'e> {
        let facts = env.facts.get_or_init(|| gather(env));
        let mut tokens: Vec<String> = peers
            .iter()
            .chain(std::iter::once(&env.name.as_str()))
            .flat_map(|n| env_tokens(n))
            .collect();
        // Declared tokens of any length: `p` in `selc-p-nat` is a word the user named.
        tokens.extend(conventions.tokens());
        sort_tokens(&mut tokens);
        // The names given on the command line count as declared (`coreprod` and
        // `corestaging`), with the tokens declared for them.
        let mut declared: Vec<String> = peers
            .iter()
            .chain(std::iter::once(&env.name.as_str()))
            .map(|n| n.to_ascii_lowercase())
            .filter(|n| n.bytes().all(|b| b.is_ascii_alphanumeric()))
            .chain(conventions.tokens())
            .collect();
        sort_tokens(&mut declared);
        let mut c = Context {
            env,
            tokens,
            declared,
            domains: conventions.domains(),
            learned: {
                let mut l = conventions.learned.clone();
                sort_tokens(&mut l);
                l
            },
            learned_domains: {
                let mut d: Vec<String> = conventions
                    .learned_domains
                    .values()
                    .flatten()
                    .cloned()
                    .collect();
                sort_tokens(&mut d);
                d
            },
            learned_everywhere: {
                let mut l = conventions.learned_everywhere.clone();
                sort_tokens(&mut l);
                l
            },
            spaces: Vec::new(),
            own_names: env_tokens(&env.name)
                .into_iter()
                .chain(
                    conventions
                        .aliases
                        .get(&env.name)
                        .into_iter()
                        .flatten()
                        .cloned(),
                )
                .collect(),
            facts,
            shown: std::sync::OnceLock::new(),
            ambiguous: Default::default(),
            notes: Vec::new(),
            aliases: HashMap::new(),
            baseline: false,
            readings: Default::default(),
        };
        // Only the environment's own spaces are its roots: an address in another
        // environment's space is not its own network (staging admitting prod's network
        // must not read as admitting its own).
        let mut own: Vec<(IpNet, String)> = conventions
            .spaces
            .get(&env.name)
            .cloned()
            .unwrap_or_default();
        own.sort_by(|a, b| b.0.prefix_len().cmp(&a.0.prefix_len()).then(a.cmp(b)));
        own.dedup();
        c.spaces = own;
        c.find_ambiguous();
        c
    }

    /// Finds the resource blocks whose labels (module and resource names) read alike
    /// once by-design parts are out, where one of them was changed to read so
    /// (`aws_x.logs` and `aws_x.logs-staging` in one environment): aligning them by the
    /// normalised labels would pair one with the wrong block, so they keep their labels
    /// as written, and a note says why. Worked out per block, not per instance.
    fn find_ambiguous(&mut self) {
        let mut seen: std::collections::HashSet<String> = Default::default();
        let mut by_label: HashMap<String, Vec<(&'e Address, bool)>> = HashMap::new();
        // Every block written, also those with no instance known (a `for_each` known
        // only after apply), so that such a block is never merged into another.
        let env = self.env;
        let written = env
            .resources
            .iter()
            .map(|r| &r.address)
            .chain(env.origins.keys())
            .chain(env.unexpanded.iter().map(|(a, _)| a));
        for a in written {
            let written = labels_of(a, Cow::Borrowed);
            if !seen.insert(written.clone()) {
                continue;
            }
            let normal = labels_of(a, |n| self.label(n));
            let relabelled = normal != written;
            by_label.entry(normal).or_default().push((a, relabelled));
        }
        let mut notes = Vec::new();
        for members in by_label.into_values() {
            if members.len() < 2 || !members.iter().any(|(_, re)| *re) {
                continue;
            }
            let mut written: Vec<String> = Vec::new();
            for (a, relabelled) in members {
                let mut block = a.block();
                for m in &mut block.module {
                    m.key = None;
                }
                written.push(block.to_string());
                if relabelled {
                    self.ambiguous.insert(labels_of(a, Cow::Borrowed));
                }
            }
            written.sort();
            written.dedup();
            let n = written.len();
            let named = if n > 4 {
                format!("{} and {} more", written[..3].join(", "), n - 3)
            } else {
                written.join(" and ")
            };
            notes.push(format!(
                "{named} read alike once environment names and other by-design parts are taken out of their names; each is aligned by its name as written"
            ));
        }
        notes.sort();
        self.notes = notes;
    }

    /// Makes the labels kept apart in any environment kept apart in all: an address is
    /// sometimes read in another environment's context (is that block left unexpanded
    /// there?), and must read the same there as in its own.
    pub fn share_ambiguity(contexts: &mut [Context<'_>]) {
        let all: std::collections::HashSet<String> = contexts
            .iter()
            .flat_map(|c| c.ambiguous.iter().cloned())
            .collect();
        for c in contexts {
            c.ambiguous.clone_from(&all);
        }
    }

    /// Whether `w` names this environment itself (its name, a token of it, an alias
    /// declared for it), not another one.
    pub fn is_own_name(&self, w: &str) -> bool {
        self.own_names.iter().any(|t| t.eq_ignore_ascii_case(w))
    }

    /// Whether `d` (lower-case) is one of the domains declared for the environments.
    pub fn has_domain(&self, d: &str) -> bool {
        self.domains.iter().any(|x| x == d)
    }

    /// Whether `w` (lower-case) is one of the words that name environments here: a
    /// compared environment's name or alias, a declared token or a learned word.
    pub fn is_env_token(&self, w: &str) -> bool {
        self.tokens.iter().any(|t| t == w)
            || self.declared.iter().any(|t| t == w)
            || self.learned.iter().any(|t| t == w)
    }

    /// The address with its labels (resource and module names, when `labels`) and its
    /// string instance and module keys normalised, or `None` when nothing changes.
    fn normalise(&self, a: &Address, labels: bool) -> Option<Address> {
        let norm = |k: &Option<Key>| match k {
            Some(Key::Str(s)) => match self.text(s) {
                Cow::Owned(t) => Some(Some(Key::Str(t))),
                Cow::Borrowed(_) => None,
            },
            _ => None,
        };
        let label = |n: &str| -> Option<String> {
            if !labels || n.is_empty() {
                return None;
            }
            match self.label(n) {
                Cow::Owned(t) if !t.is_empty() => Some(t),
                _ => None,
            }
        };
        let key = norm(&a.key);
        let name = label(&a.name);
        let modules: Vec<(Option<String>, Option<Option<Key>>)> = a
            .module
            .iter()
            .map(|m| (label(&m.name), norm(&m.key)))
            .collect();
        if key.is_none()
            && name.is_none()
            && modules.iter().all(|(n, k)| n.is_none() && k.is_none())
        {
            return None;
        }
        let mut out = a.clone();
        if let Some(k) = key {
            out.key = k;
        }
        if let Some(n) = name {
            out.name = n;
        }
        for (m, (n, k)) in out.module.iter_mut().zip(modules) {
            if let Some(n) = n {
                m.name = n;
            }
            if let Some(k) = k {
                m.key = k;
            }
        }
        Some(out)
    }

    /// The address with its labels and string keys normalised, or `None` when nothing
    /// changes: `module.app["prod"]` and `module.app["staging"]` are one, and so are
    /// `google_pubsub_topic.archiver` and `google_pubsub_topic.archiver-staging`
    /// (unless the labels are ambiguous in this environment: see
    /// [`Context::notes`]).
    pub fn logical_changed(&self, a: &Address) -> Option<Address> {
        let labels =
            self.ambiguous.is_empty() || !self.ambiguous.contains(&labels_of(a, Cow::Borrowed));
        self.normalise(a, labels)
    }

    /// The logical address an instance aligns by.
    pub fn logical<'a>(&self, a: &'a Address) -> Cow<'a, Address> {
        match self.logical_changed(a) {
            Some(n) => Cow::Owned(n),
            None => Cow::Borrowed(a),
        }
    }

    /// The address of the resource identifier `s` names, as written (its logical
    /// address `logical` takes by-design parts out of keys: `["{region}a"]`).
    pub fn named_address(&self, s: &str, logical: &Address) -> String {
        self.resolve(s).map_or_else(
            || logical.to_string(),
            |i| self.env.resources[i].address.to_string(),
        )
    }

    /// The resource a value names: an identifier (a state's) or a reference (a
    /// configuration's or a plan's).
    pub fn resource_of(&self, v: &Value) -> Option<usize> {
        match v {
            Value::Str(s) => self.resolve(s),
            Value::Ref(a) => self.env.position(a),
            _ => None,
        }
    }

    /// The resource an identifier names, if exactly one does.
    pub fn resolve(&self, s: &str) -> Option<usize> {
        if !self.facts.ids.may_hold(id_len(s)) {
            return None;
        }
        match self.facts.ids.map.get(&id_hash(s)) {
            Some(&i) if i != MANY => Some(i as usize),
            _ => None,
        }
    }

    /// Whether the resource at `a` does not know its identity yet (a plan creates it):
    /// then any identifier may turn out to be its.
    pub fn identity_unknown(&self, a: &Address) -> bool {
        let pos = self.env.position(a);
        match pos {
            Some(i) => matches!(
                self.env.resources[i].attributes.get("id"),
                None | Some(Value::Unknown(_)) | Some(Value::Null)
            ),
            None => false,
        }
    }

    /// True when `s` is an identifier of something in this environment.
    pub fn is_identifier(&self, s: &str) -> bool {
        self.facts.ids.may_hold(id_len(s)) && self.facts.ids.map.contains_key(&id_hash(s))
    }

    /// Normalises one scalar.
    pub fn leaf<'a>(&'a self, v: &'a Value) -> Leaf<'a> {
        match v {
            Value::Null => Leaf::Empty,
            Value::Unknown(_) => Leaf::Unknown,
            Value::Ref(a) => match self.env.position(a) {
                Some(i) => self.reference(i),
                None => Leaf::Unknown,
            },
            Value::Bool(b) => Leaf::Text(Cow::Borrowed(if *b { "true" } else { "false" })),
            Value::Num(n) => Leaf::Text(Cow::Owned(n.to_string())),
            Value::Str(s) => self.leaf_str(s),
            Value::List(l) if l.is_empty() => Leaf::Empty,
            Value::Object(o) if o.is_empty() => Leaf::Empty,
            Value::List(_) | Value::Object(_) => Leaf::Text(Cow::Owned(v.to_json())),
        }
    }

    /// A reference to instance `i`: its logical address, or the baseline's address of
    /// the instance it is paired with at another address.
    fn reference(&self, i: usize) -> Leaf<'_> {
        let logical = self.logical(&self.env.resources[i].address);
        match self.aliases.get(logical.as_ref()) {
            Some(a) => Leaf::Ref(Cow::Borrowed(a)),
            None => Leaf::Ref(logical),
        }
    }

    /// Takes these (logical address → the baseline's) as what references read as.
    pub fn alias(&mut self, aliases: Vec<(Address, Address)>) {
        self.aliases.extend(aliases);
    }

    pub fn leaf_str<'a>(&'a self, s: &'a str) -> Leaf<'a> {
        if s.is_empty() {
            return Leaf::Empty;
        }
        if let Some(i) = self.resolve(s) {
            return self.reference(i);
        }
        if self.is_identifier(s) {
            // Names several resources (two data sources reading the same network):
            // an identifier all the same, not text to compare.
            return Leaf::External;
        }
        self.leaf_unresolved(s)
    }

    /// A string as compared when it is not taken as a reference: an identifier shape is
    /// external, an address relative, anything else normalised text.
    pub fn leaf_unresolved<'a>(&'a self, s: &'a str) -> Leaf<'a> {
        if s.is_empty() {
            return Leaf::Empty;
        }
        if is_provider_id(s) {
            return Leaf::External;
        }
        if let Some(rel) = self.relative_address(s) {
            return Leaf::Text(Cow::Owned(rel));
        }
        if s.starts_with("arn:") {
            if let Some(a) = normalize_arn(s, &self.facts.accounts) {
                return Leaf::Text(Cow::Owned(self.text(&a).into_owned()));
            }
        }
        if s.contains(".amazonaws.com") {
            return Leaf::Text(Cow::Owned(self.text(&cloud_hostname(s)).into_owned()));
        }
        if (s.starts_with('{') || s.starts_with('[')) && s.len() > 1 {
            if let Ok(doc) = serde_json::from_str::<serde_json::Value>(s) {
                return Leaf::Text(Cow::Owned(self.canonical_json(&doc)));
            }
        }
        Leaf::Text(self.value_text(s))
    }

    /// A compared value's text: [`Context::text`], and in names outside the baseline a
    /// wildcard host as the name it stands for (`*.admin.example.gov`: a certificate
    /// covering every environment under the name the baseline uses alone). The
    /// baseline's wildcard stays: an environment whose certificate covers less than
    /// prod's is a difference.
    pub fn value_text<'a>(&self, s: &'a str) -> Cow<'a, str> {
        let names = !SETTINGS_ONLY.with(std::cell::Cell::get);
        match (names && !self.baseline).then(|| drop_wildcard(Cow::Borrowed(s))) {
            Some(Cow::Owned(o)) => Cow::Owned(self.text(&o).into_owned()),
            _ => self.text(s),
        }
    }

    /// Marks this context as the baseline's (see [`Context::value_text`]).
    pub fn set_baseline(&mut self) {
        self.baseline = true;
    }

    /// Whether this is the baseline's context.
    pub fn is_baseline(&self) -> bool {
        self.baseline
    }

    /// Text with by-design differences replaced.
    pub fn text<'a>(&self, s: &'a str) -> Cow<'a, str> {
        let out = replace_words(Cow::Borrowed(s), &self.facts.projects, "{project}");
        self.text_but_projects(out, false)
    }

    /// A resource or module name as it aligns: [`Context::text`] but for project ids,
    /// which it replaces only where they are the environment's own. A name that holds
    /// prod's project id would read otherwise in prod than in staging, where the same
    /// name holds another environment's project.
    pub fn label<'a>(&self, s: &'a str) -> Cow<'a, str> {
        self.text_but_projects(Cow::Borrowed(s), true)
    }

    /// [`Context::text`] but for project ids; for a label (`label`), generated bucket
    /// names read as one ([`generated_bucket`]).
    fn text_but_projects<'a>(&self, s: Cow<'a, str>, label: bool) -> Cow<'a, str> {
        let mut out: Cow<'a, str> = replace_domains(s, &self.domains);
        if !self.learned_domains.is_empty() && !SETTINGS_ONLY.with(std::cell::Cell::get) {
            out = replace_domains(out, &self.learned_domains);
        }
        out = match out {
            Cow::Borrowed(b) => replace_by_design(b, &self.facts.accounts),
            Cow::Owned(o) => Cow::Owned(replace_by_design(&o, &self.facts.accounts).into_owned()),
        };
        if label {
            out = generated_bucket(out);
        }
        // Environment names are dropped, each with one separator next to it
        // (`staging-web` → `web`, `api.staging.acme.io` → `api.acme.io`): production
        // often carries no name where the others do (`acme.io` and `staging.acme.io`,
        // `logs` and `logs-staging`), and that is as much by design as `prod-web` and
        // `staging-web`.
        out = remove_words(out, &self.tokens, "{env}");
        let learned = if SETTINGS_ONLY.with(std::cell::Cell::get) {
            &self.learned_everywhere
        } else {
            &self.learned
        };
        // Learned words before declared ones inside runs of letters: a word learned
        // whole (`cmcprodpremium` ↔ `cmcaatpremium`) reads alike on both sides only if
        // no declared name (`prod`) was taken out of one side's first.
        if !learned.is_empty() {
            out = remove_words(out, learned, "{env}");
            out = replace_within(out, learned, "{env}");
        }
        replace_within(out, &self.declared, "{env}")
    }

    /// A normalised text as this environment writes it: the placeholders normalisation
    /// put in (`{region}`, `{account}`, `{project}`) never reach a report. Texts are
    /// looked up among the environment's own strings (what the text was made from).
    pub fn shown<'a>(&self, t: &'a str) -> Cow<'a, str> {
        if !t.contains('{') {
            return Cow::Borrowed(t);
        }
        let shown = self.shown.get_or_init(|| {
            let mut m = std::collections::BTreeMap::new();
            for r in &self.env.resources {
                strings_of(&r.attributes, &mut |s| {
                    let n = self.text(s);
                    if n.contains('{') && n != s {
                        m.entry(n.into_owned()).or_insert_with(|| s.to_string());
                    }
                });
            }
            m
        });
        if let Some(o) = shown.get(t) {
            return Cow::Owned(o.clone());
        }
        // A text made of several (`tag gke-{region}-web, tag api`): each part, longest
        // first.
        let mut out = t.to_string();
        let mut keys: Vec<&String> = shown.keys().filter(|k| t.contains(k.as_str())).collect();
        keys.sort_by_key(|k| std::cmp::Reverse(k.len()));
        for k in keys {
            out = out.replace(k.as_str(), &shown[k]);
        }
        Cow::Owned(out)
    }

    /// A JSON document inside a string (a policy), with each string normalised.
    fn canonical_json(&self, doc: &serde_json::Value) -> String {
        // In an IAM-style policy (a document with `Statement`), lists are sets and a
        // one-element list is its element: `"Resource": "*"` is `["*"]`.
        self.canonical_json_as(doc, doc.get("Statement").is_some())
    }

    /// [`Context::canonical_json`] of a part of a document, read as a part of a policy
    /// or not.
    pub fn canonical_json_as(&self, doc: &serde_json::Value, policy: bool) -> String {
        use serde_json::Value as J;
        fn walk(ctx: &Context<'_>, v: &J, policy: bool) -> J {
            match v {
                J::String(s) => J::String(ctx.leaf_str(s).canonical()),
                J::Array(a) => {
                    let mut items: Vec<J> = a.iter().map(|x| walk(ctx, x, policy)).collect();
                    if policy {
                        if items.len() == 1 {
                            return items.remove(0);
                        }
                        items.sort_by_key(|x| x.to_string());
                    }
                    J::Array(items)
                }
                J::Object(o) => J::Object(
                    o.iter()
                        .map(|(k, x)| (k.clone(), walk(ctx, x, policy)))
                        .collect(),
                ),
                other => other.clone(),
            }
        }
        walk(self, doc, policy).to_string()
    }

    /// The most specific address-space root (a VPC's CIDR) containing `net`, with what
    /// declares it: one of the environment's resources, else a space learned for it.
    pub fn root_of(&self, net: &IpNet) -> Option<(Root<'_>, IpNet)> {
        let inside = |root: &IpNet| root.contains(net) && root.prefix_len() <= net.prefix_len();
        self.facts
            .root_index
            .find(net)
            .and_then(|i| self.facts.roots.get(i))
            .map(|(root, owner)| {
                (
                    Root::Resource(&self.env.resources[*owner as usize].address),
                    *root,
                )
            })
            .or_else(|| {
                self.spaces
                    .iter()
                    .find(|(root, _)| inside(root))
                    .map(|(root, label)| (Root::Learned(label), *root))
            })
    }

    /// The environment's own address-space roots with what declares them: its
    /// resources' networks, then the spaces learned for it.
    pub fn roots(&self) -> impl Iterator<Item = (Root<'_>, IpNet)> + '_ {
        self.facts
            .roots
            .iter()
            .map(|(root, owner)| {
                (
                    Root::Resource(&self.env.resources[*owner as usize].address),
                    *root,
                )
            })
            .chain(
                self.spaces
                    .iter()
                    .map(|(root, label)| (Root::Learned(label), *root)),
            )
    }

    /// The key a root compares by across environments: its resource's logical
    /// address, or the learned space's label.
    pub fn root_key(&self, root: Root<'_>) -> String {
        match root {
            Root::Resource(a) => self.logical(a).to_string(),
            Root::Learned(label) => label.to_string(),
        }
    }

    /// An IP address or CIDR inside one of the environment's roots, written relative to
    /// the root: `{aws_vpc.main}+0.0.1.0/24`. A root itself is `{aws_vpc.main}+0/16`.
    fn relative_address(&self, s: &str) -> Option<String> {
        let first = s.as_bytes()[0];
        if !(first.is_ascii_hexdigit() || first == b':')
            || !s
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b"./:".contains(&b))
        {
            return None;
        }
        let net: IpNet = match s.parse::<IpNet>() {
            Ok(n) => n,
            Err(_) => IpNet::from(s.parse::<IpAddr>().ok()?),
        };
        let is_cidr = s.contains('/');
        let (owner, root) = self.root_of(&net)?;
        let owner = self.root_key(owner);
        let offset = match (net.addr(), root.network()) {
            (IpAddr::V4(a), IpAddr::V4(b)) => {
                let d = u32::from(a) - u32::from(b);
                if d == 0 {
                    "0".to_string()
                } else {
                    std::net::Ipv4Addr::from(d).to_string()
                }
            }
            (IpAddr::V6(a), IpAddr::V6(b)) => format!("{:x}", u128::from(a) - u128::from(b)),
            _ => return None,
        };
        Some(if is_cidr {
            format!("{{{owner}{RELATIVE}{offset}/{}", net.prefix_len())
        } else {
            format!("{{{owner}{RELATIVE}{offset}")
        })
    }

    /// Every (resource, attribute path, target) where an attribute holds the identifier
    /// of another resource. Identity attributes themselves are skipped.
    pub fn reference_edges(&self) -> Vec<(usize, usize, crate::model::AttrPath)> {
        let mut out = Vec::new();
        let mut trail: Vec<Step<'_>> = Vec::with_capacity(8);
        for (i, r) in self.env.resources.iter().enumerate() {
            for (k, v) in r.attributes.entries() {
                if IDENTITY_ATTRS.contains(&k.as_ref())
                    || k.as_ref() == "tags_all"
                    || super::catalog::PLAIN_ATTRS.contains(&k.as_ref())
                {
                    continue;
                }
                trail.clear();
                trail.push(Step::Attr(k));
                self.collect_refs(i, v, &mut trail, &mut out);
            }
        }
        out
    }

    fn collect_refs<'v>(
        &self,
        from: usize,
        v: &'v Value,
        trail: &mut Vec<Step<'v>>,
        out: &mut Vec<(usize, usize, crate::model::AttrPath)>,
    ) {
        let target = match v {
            Value::Str(s) if s.len() >= 3 => self.resolve(s),
            Value::Ref(a) => self.env.position(a),
            Value::List(l) => {
                for (n, x) in l.iter().enumerate() {
                    trail.push(Step::Index(n));
                    self.collect_refs(from, x, trail, out);
                    trail.pop();
                }
                None
            }
            Value::Object(o) => {
                for (k, x) in o.iter() {
                    let step = object_step(trail, k);
                    trail.push(step);
                    self.collect_refs(from, x, trail, out);
                    trail.pop();
                }
                None
            }
            _ => None,
        };
        if let Some(t) = target {
            if t != from {
                out.push((from, t, to_path(trail)));
            }
        }
    }
}

/// A hostname the cloud assigned (`prod-db.cb9a59c1f128.us-east-1.rds.amazonaws.com`,
/// `master.x.2c816f.use1.cache.amazonaws.com`): labels that look generated (mixing
/// digits into a short code or a hex run) become `{id}`.
fn cloud_hostname(s: &str) -> String {
    let (host, port) = match s.rsplit_once(':') {
        Some((h, p)) if p.bytes().all(|b| b.is_ascii_digit()) => (h, Some(p)),
        _ => (s, None),
    };
    let labels: Vec<String> = host
        .split('.')
        .map(|l| {
            let digits = l.bytes().filter(u8::is_ascii_digit).count();
            let alnum = l.bytes().all(|b| b.is_ascii_alphanumeric());
            let generated = alnum
                && digits > 0
                && (l.len() >= 6 && l.bytes().all(|b| b.is_ascii_hexdigit())
                    || (l.len() <= 5 && l.len() >= 3 && digits < l.len()));
            if generated {
                "{id}".to_string()
            } else {
                l.to_string()
            }
        })
        .collect();
    let mut out = labels.join(".");
    if let Some(p) = port {
        out.push(':');
        out.push_str(p);
    }
    out
}

/// Tag and label keys that name the environment a resource belongs to.
const ENV_TAG_KEYS: &[&str] = &[
    "environment",
    "env",
    "stage",
    "environment_name",
    "env_name",
];

/// The environment name the resources themselves carry most often in an `Environment`
/// (or `env`, `stage`) tag or label, if any: `stdin` or `a` given on the command line
/// says nothing, `Environment = "production"` does.
pub fn inferred_name(env: &Environment) -> Option<String> {
    let mut counts: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for r in &env.resources {
        for attr in ["tags", "labels"] {
            for (k, v) in r.attributes.get(attr).map(Value::entries).unwrap_or(&[]) {
                if ENV_TAG_KEYS.iter().any(|e| e.eq_ignore_ascii_case(k)) {
                    if let Some(s) = v.as_str().filter(|s| s.len() >= 2 && s.len() <= 40) {
                        *counts.entry(s.to_ascii_lowercase()).or_default() += 1;
                    }
                }
            }
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(n, _)| n)
}

/// How many GCP projects count as an environment's own.
const MAX_PROJECTS: usize = 16;

/// In an [`IdIndex`]: the identifier names several resources.
const MANY: u32 = u32::MAX;

/// The key of an identifier in the index: FNV-1a of the identifier, with Route 53's
/// `/hostedzone/` prefix dropped. 64 bits make a collision among a state's identifiers
/// vanishingly unlikely.
fn id_len(s: &str) -> usize {
    s.strip_prefix("/hostedzone/").unwrap_or(s).len()
}

fn id_hash(s: &str) -> u64 {
    let key = s.strip_prefix("/hostedzone/").unwrap_or(s);
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// What normalisation reads from an environment's resources: identifiers, address
/// space roots, GCP projects and AWS accounts.
fn gather(env: &Environment) -> Facts {
    let mut roots: Vec<(IpNet, u32)> = Vec::new();
    let mut project_counts: HashMap<String, usize> = HashMap::new();
    let mut accounts: Vec<String> = Vec::new();
    let mut note_account = |a: &str| {
        if a.len() == 12
            && a.bytes().all(|b| b.is_ascii_digit())
            && !accounts.iter().any(|x| x == a)
        {
            accounts.push(a.to_string());
        }
    };
    for (i, r) in env.resources.iter().enumerate() {
        let i = i as u32;
        let space_attrs = ADDRESS_SPACE_ATTRS
            .iter()
            .filter(|(t, _)| *t == r.address.rtype);
        for (_, attr) in space_attrs {
            let mut push = |s: &str| {
                if let Ok(net) = s.parse::<IpNet>() {
                    roots.push((net, i));
                }
            };
            match r.attributes.get(attr) {
                Some(Value::Str(s)) => push(s),
                Some(Value::List(l)) => {
                    for x in l.iter() {
                        // GCP's secondary ranges are blocks: `{range_name, ip_cidr_range}`.
                        if let Some(s) = x
                            .as_str()
                            .or_else(|| x.get("ip_cidr_range").and_then(Value::as_str))
                        {
                            push(s);
                        }
                    }
                }
                _ => {}
            }
        }
        // One pass over the attributes for projects and the environment's own AWS
        // accounts (those its resources live in).
        for (k, v) in r.attributes.entries() {
            let Value::Str(s) = v else { continue };
            match k.as_ref() {
                "project" if s.len() >= 3 => {
                    *project_counts
                        .entry(s.to_ascii_lowercase())
                        .or_insert(0usize) += 1;
                }
                "arn" => {
                    if let Some(a) = s.split(':').nth(4) {
                        note_account(a);
                    }
                }
                "owner_id" | "account_id" => note_account(s),
                _ => {}
            }
        }
    }
    for a in &env.declared_accounts {
        note_account(a);
    }
    // Most specific root first, then declaration order.
    roots.sort_by(|a, b| b.0.prefix_len().cmp(&a.0.prefix_len()).then(a.1.cmp(&b.1)));
    // The environment's own projects: the most used ones (every text is scanned for
    // them, so a state naming thousands of projects must not make that quadratic).
    let mut by_use: Vec<(String, usize)> = project_counts.into_iter().collect();
    by_use.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut projects: Vec<String> = by_use.into_iter().take(MAX_PROJECTS).map(|p| p.0).collect();
    sort_tokens(&mut projects);
    accounts.sort();
    Facts {
        ids: identifier_index(env),
        root_index: RootIndex::new(&roots),
        roots,
        projects,
        accounts,
    }
}

/// Every identity value of every resource (`id`, `arn`, `self_link`, per-type ones),
/// managed resources winning over data sources reading the same thing.
fn identifier_index(env: &Environment) -> IdIndex {
    let mut index = IdIndex::default();
    let mut targets: HashMap<
        u64,
        Target,
        std::hash::BuildHasherDefault<crate::model::environment::PrehashedKey>,
    > = HashMap::with_capacity_and_hasher(env.resources.len() * 2, Default::default());
    for (i, r) in env.resources.iter().enumerate() {
        // An association's id is the id of what it associates (Azure's subnet
        // associations): it names the subnet, not itself.
        if r.address.rtype.ends_with("_association") {
            continue;
        }
        let typed = super::catalog::type_identity_attrs(&r.address.rtype);
        for (k, v) in r.attributes.entries() {
            if !(IDENTITY_ATTRS.contains(&k.as_ref()) || typed.contains(&k.as_ref())) {
                continue;
            }
            if let Value::Str(s) = v {
                if s.len() < 3 {
                    continue;
                }
                let new = Target::One(i as u32, r.address.mode);
                targets
                    .entry(id_hash(s))
                    .and_modify(|t| *t = merge(*t, new))
                    .or_insert(new);
                index.note_length(id_len(s));
                for (_, _, prefix) in super::catalog::IDENTITY_FORMS
                    .iter()
                    .filter(|(t, a, _)| *t == r.address.rtype && *a == k.as_ref())
                {
                    let other = format!("{prefix}{s}");
                    targets
                        .entry(id_hash(&other))
                        .and_modify(|t| *t = merge(*t, new))
                        .or_insert(new);
                    index.note_length(id_len(&other));
                }
            }
        }
    }
    index.map = targets
        .into_iter()
        .map(|(k, t)| {
            (
                k,
                match t {
                    Target::One(i, _) => i,
                    Target::Many => MANY,
                },
            )
        })
        .collect();
    index
}

fn merge(old: Target, new: Target) -> Target {
    match (old, new) {
        (Target::One(a, _), Target::One(b, _)) if a == b => old,
        (Target::One(_, Mode::Managed), Target::One(_, Mode::Data)) => old,
        (Target::One(_, Mode::Data), Target::One(_, Mode::Managed)) => new,
        _ => Target::Many,
    }
}

/// Calls `f` with every string inside `v`.
fn strings_of(v: &Value, f: &mut impl FnMut(&str)) {
    match v {
        Value::Str(s) => f(s),
        Value::List(l) => l.iter().for_each(|x| strings_of(x, f)),
        Value::Object(o) => o.iter().for_each(|(_, x)| strings_of(x, f)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str, resources: &[(&str, &str)]) -> crate::TestResult<Environment> {
        Environment::for_tests(name, resources)
    }

    #[test]
    fn leaves_normalise() -> crate::TestResult {
        let e = env(
            "prod",
            &[
                (
                    "aws_vpc.main",
                    r#"{"id":"vpc-0aaa1111","cidr_block":"10.0.0.0/16","ipv6_cidr_block":"2600:1f18:1::/56"}"#,
                ),
                (
                    "aws_subnet.a",
                    r#"{"id":"subnet-0aaa1111","vpc_id":"vpc-0aaa1111","project":"acme-prod"}"#,
                ),
                ("data.aws_vpc.main", r#"{"id":"vpc-0aaa1111"}"#),
                ("aws_x.dup1", r#"{"id":"same"}"#),
                ("aws_x.dup2", r#"{"id":"same"}"#),
            ],
        )?;
        let c = Context::new(&e, &["prod", "staging"]);
        let vpc = Address::parse("aws_vpc.main")?;
        for (input, want) in [
            ("vpc-0aaa1111", Leaf::Ref(Cow::Borrowed(&vpc))),
            ("vpc-0bbb2222", Leaf::External),
            ("", Leaf::Empty),
            (
                "10.0.1.0/24",
                Leaf::Text("{aws_vpc.main}+0.0.1.0/24".into()),
            ),
            ("10.0.0.0/16", Leaf::Text("{aws_vpc.main}+0/16".into())),
            ("10.0.3.7", Leaf::Text("{aws_vpc.main}+0.0.3.7".into())),
            ("10.9.0.0/16", Leaf::Text("10.9.0.0/16".into())),
            ("0.0.0.0/0", Leaf::Text("0.0.0.0/0".into())),
            (
                "2600:1f18:1:2::/64",
                Leaf::Text("{aws_vpc.main}+20000000000000000/64".into()),
            ),
            ("prod-web", Leaf::Text("web".into())),
            ("web", Leaf::Text("web".into())),
            ("logs-prod", Leaf::Text("logs".into())),
            ("api.prod.example.com", Leaf::Text("api.example.com".into())),
            ("prod", Leaf::Text("{env}".into())),
            ("mode=prod", Leaf::Text("mode={env}".into())),
            ("orders-prod.fifo", Leaf::Text("orders.fifo".into())),
            ("staging.acme.io", Leaf::Text("acme.io".into())),
            ("acme-prod-logs", Leaf::Text("{project}-logs".into())),
            ("same", Leaf::External),
            ("staging-web", Leaf::Text("web".into())),
            (
                "prod-app-db.cb9a59c1f128.us-east-1.rds.amazonaws.com:5432",
                Leaf::Text("app-db.{id}.{region}.rds.amazonaws.com:5432".into()),
            ),
            (
                "master.prod-sessions.2c816f.use1.cache.amazonaws.com",
                Leaf::Text("master-sessions.{id}.{id}.cache.amazonaws.com".into()),
            ),
            ("s3.amazonaws.com", Leaf::Text("s3.amazonaws.com".into())),
            (
                "arn:aws:iam::111111111111:role/prod-x",
                Leaf::Text("arn:aws:iam::111111111111:role/x".into()),
            ),
            (
                r#"{"b": "prod", "a": 1}"#,
                Leaf::Text(r#"{"a":1,"b":"\"{env}\""}"#.into()),
            ),
        ] {
            assert_eq!(c.leaf_str(input), want, "{input}");
        }
        assert!(Leaf::Unknown.same(&Leaf::Ref(Cow::Borrowed(&vpc))));
        assert!(!Leaf::External.same(&Leaf::Ref(Cow::Borrowed(&vpc))));
        Ok(())
    }

    #[test]
    fn environment_names_from_tags() -> crate::TestResult {
        let e = env(
            "a",
            &[
                ("aws_x.a", r#"{"tags":{"Environment":"Production"}}"#),
                ("aws_x.b", r#"{"tags":{"environment":"production"}}"#),
                ("google_x.c", r#"{"labels":{"env":"prd"}}"#),
                ("aws_x.d", r#"{"tags":{"Team":"web"}}"#),
            ],
        )?;
        assert_eq!(inferred_name(&e).as_deref(), Some("production"));
        assert_eq!(inferred_name(&env("b", &[("aws_x.a", "{}")])?), None);
        Ok(())
    }

    #[test]
    fn reference_edges_carry_paths() -> crate::TestResult {
        let e = env(
            "e",
            &[
                ("aws_vpc.main", r#"{"id":"vpc-1aaa"}"#),
                (
                    "aws_route_table.r",
                    r#"{"id":"rtb-1","vpc_id":"vpc-1aaa","route":[{"gateway_id":"igw-1aaa"}]}"#,
                ),
                (
                    "aws_internet_gateway.g",
                    r#"{"id":"igw-1aaa","vpc_id":"vpc-1aaa"}"#,
                ),
            ],
        )?;
        let c = Context::new(&e, &["e"]);
        let edges: Vec<String> = c
            .reference_edges()
            .iter()
            .map(|(a, b, p)| {
                format!(
                    "{} -{}-> {}",
                    e.resources[*a].address, p, e.resources[*b].address
                )
            })
            .collect();
        assert_eq!(
            edges,
            [
                "aws_internet_gateway.g -vpc_id-> aws_vpc.main",
                "aws_route_table.r -route[0].gateway_id-> aws_internet_gateway.g",
                "aws_route_table.r -vpc_id-> aws_vpc.main",
            ]
        );
        Ok(())
    }
}
