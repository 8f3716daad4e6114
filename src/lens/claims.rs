//! Which lens takes what: the one place the generic lens asks whether another lens
//! reports a type's presence, a whole instance, or one attribute of a pair of
//! instances. Each lens says what it claims; this registry asks them all.

use crate::model::{AttrPath, Resource};

/// Whether another lens says whether instances of `rtype` exist (the generic lens then
/// reports none missing): firewalls, routes, registrations, listeners.
pub fn presence(rtype: &str) -> bool {
    super::firewall::claims(rtype, None)
        || super::network::routes::claims(rtype, None)
        || super::discovery::registry::claims_type(rtype)
        || super::network::balancers::claims(rtype, None)
}

/// Whether another lens compares instances of `rtype` whole (the generic lens says
/// nothing about them): firewall rules and routes.
pub fn whole(rtype: &str) -> bool {
    super::firewall::claims(rtype, None) || super::network::routes::claims(rtype, None)
}

/// What other lenses claim of one pair of aligned instances (the baseline's and
/// another's).
pub struct Pair<'r> {
    a: &'r Resource,
    b: &'r Resource,
    /// Read once per pair, and only when the pair differs at all.
    exposure: std::cell::OnceCell<Option<super::exposure::Claim>>,
}

impl<'r> Pair<'r> {
    pub fn new(a: &'r Resource, b: &'r Resource) -> Pair<'r> {
        Pair {
            a,
            b,
            exposure: std::cell::OnceCell::new(),
        }
    }

    /// Whether another lens reports a difference at `path` of this pair.
    pub fn attribute(&self, path: &AttrPath) -> bool {
        let rtype = self.a.address.rtype.as_str();
        super::firewall::claims(rtype, path.top())
            || super::network::routes::claims(rtype, path.top())
            || super::network::balancers::claims(rtype, path.top())
            || super::discovery::claims(self.a, self.b, path.top())
            || super::discovery::registry::claims_path(rtype, path)
            || self
                .exposure
                .get_or_init(|| super::exposure::claims(self.a, self.b))
                .as_ref()
                .is_some_and(|c| c.covers(path))
    }
}
