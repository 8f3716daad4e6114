//! One canonical firewall rule, whatever wrote it: direction, action, protocol range,
//! port range, peer, priority, and the target it applies to. Parsing of the provider
//! spellings of protocols and ports lives here too. No judgement of differences.

use ipnet::IpNet;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Direction {
    Ingress,
    Egress,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ingress => "ingress",
            Direction::Egress => "egress",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    Allow,
    Deny,
}

/// An inclusive range of IP protocol numbers: `0..=255` is every protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Protocols {
    pub lo: u16,
    pub hi: u16,
}

impl Protocols {
    pub const ALL: Protocols = Protocols { lo: 0, hi: 255 };

    pub fn one(n: u16) -> Protocols {
        Protocols { lo: n, hi: n }
    }

    pub fn is_all(self) -> bool {
        self == Protocols::ALL
    }

    /// Whether rules for these protocols carry ports (TCP, UDP, SCTP).
    pub fn has_ports(self) -> bool {
        self.lo == self.hi && matches!(self.lo, 6 | 17 | 132)
    }
}

/// Parses a protocol as providers write it: names (`tcp`, `Tcp`), IANA numbers
/// (`6`), and every spelling of "all" (`-1`, `all`, `*`).
pub fn parse_protocol(s: &str) -> Option<Protocols> {
    let lower = s.trim().to_ascii_lowercase();
    let n = match lower.as_str() {
        "-1" | "all" | "*" | "any" => return Some(Protocols::ALL),
        "tcp" => 6,
        "udp" => 17,
        "icmp" => 1,
        "icmpv6" | "ipv6-icmp" | "icmp6" => 58,
        "esp" => 50,
        "ah" => 51,
        "sctp" => 132,
        "ipip" => 4,
        "gre" => 47,
        other => other.parse::<u16>().ok().filter(|n| *n <= 255)?,
    };
    Some(Protocols::one(n))
}

/// The name of a protocol number, for messages.
pub fn protocol_name(n: u16) -> String {
    match n {
        6 => "tcp".into(),
        17 => "udp".into(),
        1 => "icmp".into(),
        58 => "icmpv6".into(),
        50 => "esp".into(),
        51 => "ah".into(),
        132 => "sctp".into(),
        4 => "ipip".into(),
        47 => "gre".into(),
        n => format!("protocol {n}"),
    }
}

/// An inclusive port range. For ICMP, the ICMP type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ports {
    pub lo: u32,
    pub hi: u32,
}

impl Ports {
    pub const ALL: Ports = Ports { lo: 0, hi: 65535 };

    /// `from..=to` as AWS writes it; a reversed or out-of-range pair is every port.
    pub fn range(from: i64, to: i64) -> Ports {
        if from < 0 || to < 0 || from > to || to > 65535 {
            return Ports::ALL;
        }
        Ports {
            lo: from as u32,
            hi: to as u32,
        }
    }

    /// `"22"`, `"1000-2000"`, `"*"` (GCP and Azure spellings).
    pub fn parse(s: &str) -> Option<Ports> {
        let s = s.trim();
        if s == "*" || s.is_empty() {
            return Some(Ports::ALL);
        }
        match s.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (a.trim().parse::<u32>().ok()?, b.trim().parse::<u32>().ok()?);
                (a <= b && b <= 65535).then_some(Ports { lo: a, hi: b })
            }
            None => {
                let p = s.parse::<u32>().ok().filter(|p| *p <= 65535)?;
                Some(Ports { lo: p, hi: p })
            }
        }
    }
}

/// Who is on the other side of a rule.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Peer {
    /// An address range outside the environment's own networks.
    Net(IpNet),
    /// A range inside one of the environment's own networks (a VPC), as offsets from
    /// the network's first address: `root` is the network's normalised logical address.
    Rooted {
        root: String,
        v6: bool,
        lo: u128,
        hi: u128,
    },
    /// Anything that is not an address range: another security group by logical
    /// address, a prefix list, a network tag, a service account, an Azure service tag.
    Named(String),
}

impl fmt::Display for Peer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Peer::Net(n) => write!(f, "{n}"),
            Peer::Rooted { root, lo, hi, .. } => write!(f, "{root}+{lo}-{hi}"),
            Peer::Named(s) => f.write_str(s),
        }
    }
}

/// One canonical rule.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Rule {
    pub direction: Direction,
    /// What the rule applies to inside the group (GCP target tags, an Azure destination
    /// prefix); empty when it applies to the whole group.
    pub target: String,
    /// Lower is evaluated first; equal priorities evaluate denies first.
    pub priority: i64,
    pub action: Action,
    pub protocols: Protocols,
    pub ports: Ports,
    pub peer: Peer,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocols() {
        for (input, want) in [
            ("-1", Some(Protocols::ALL)),
            ("all", Some(Protocols::ALL)),
            ("*", Some(Protocols::ALL)),
            ("tcp", Some(Protocols::one(6))),
            ("Tcp", Some(Protocols::one(6))),
            ("6", Some(Protocols::one(6))),
            ("udp", Some(Protocols::one(17))),
            ("17", Some(Protocols::one(17))),
            ("icmp", Some(Protocols::one(1))),
            ("58", Some(Protocols::one(58))),
            ("Esp", Some(Protocols::one(50))),
            ("256", None),
            ("bogus", None),
        ] {
            assert_eq!(parse_protocol(input), want, "{input}");
        }
    }

    #[test]
    fn ports() {
        for (input, want) in [
            ("22", Some(Ports { lo: 22, hi: 22 })),
            ("1000-2000", Some(Ports { lo: 1000, hi: 2000 })),
            ("*", Some(Ports::ALL)),
            ("2000-1000", None),
            ("70000", None),
            ("x", None),
        ] {
            assert_eq!(Ports::parse(input), want, "{input}");
        }
        assert_eq!(Ports::range(0, 0), Ports { lo: 0, hi: 0 });
        assert_eq!(Ports::range(-1, -1), Ports::ALL);
        assert_eq!(Ports::range(443, 80), Ports::ALL);
    }
}
