//! CIDR functions: `cidrsubnet`, `cidrsubnets`, `cidrhost`, `cidrnetmask`, and
//! OpenTofu's `cidrcontains`, with Terraform's parsing (IPv4 octets with leading zeros
//! read as decimal, IPv6 with an embedded IPv4 tail) and printing (an IPv4-mapped IPv6
//! network prints as IPv4).
//! Addresses are `u128` bit strings of 32 or 128 bits; subnet and host numbers are
//! exact up to 2^53 (they arrive as `f64`).

use super::{fail, Args, FnError, Spec};
use crate::value::V;
use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

pub(super) const SPECS: &[Spec] = &[
    Spec::new("cidrhost", &["prefix", "hostnum"], cidrhost),
    Spec::new("cidrnetmask", &["prefix"], cidrnetmask),
    Spec::new("cidrsubnet", &["prefix", "newbits", "netnum"], cidrsubnet),
    Spec::new("cidrsubnets", &["prefix"], cidrsubnets).var("newbits"),
    // OpenTofu's.
    Spec::new(
        "cidrcontains",
        &["containing_prefix", "contained_ip_or_prefix"],
        cidrcontains,
    ),
];

/// A network: its address bits (host bits cleared), prefix length, and family width.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Net {
    addr: u128,
    len: u32,
    bits: u32,
}

impl Net {
    fn full(self) -> u128 {
        if self.bits == 128 {
            u128::MAX
        } else {
            (1u128 << self.bits) - 1
        }
    }

    /// The mask of a prefix of `len` bits in this family.
    fn mask(self, len: u32) -> u128 {
        self.full() & !(self.full().checked_shr(len).unwrap_or(0))
    }

    /// The last address of a prefix of `len` bits starting at `addr`.
    fn last(self, addr: u128, len: u32) -> u128 {
        addr | (self.full() & !self.mask(len))
    }

    fn contains(self, addr: u128) -> bool {
        addr & self.mask(self.len) == self.addr
    }

    /// Whether this IPv6 address is IPv4-mapped (`::ffff:a.b.c.d`).
    fn mapped(self, addr: u128) -> bool {
        self.bits == 128 && addr >> 32 == 0xffff
    }

    /// The network `addr/len` as Terraform prints it.
    fn show(self, addr: u128, len: u32) -> String {
        let net = if self.bits == 32 {
            Ipv4Net::new(Ipv4Addr::from(addr as u32), len as u8).map(IpNet::V4)
        } else if self.mapped(addr) && len >= 96 {
            Ipv4Net::new(Ipv4Addr::from(addr as u32), (len - 96) as u8).map(IpNet::V4)
        } else {
            Ipv6Net::new(Ipv6Addr::from(addr), len as u8).map(IpNet::V6)
        };
        net.map_or_else(|_| format!("{addr}/{len}"), |n| n.to_string())
    }

    /// The address `addr` as Terraform prints it.
    fn show_addr(self, addr: u128) -> String {
        if self.bits == 32 || self.mapped(addr) {
            IpAddr::V4(Ipv4Addr::from(addr as u32)).to_string()
        } else {
            IpAddr::V6(Ipv6Addr::from(addr)).to_string()
        }
    }
}

/// Go's `dtoi` as Terraform's `ipaddr` uses it: decimal digits, any leading zeros, and the
/// number of bytes read; `None` without digits or past 0xFFFFFF.
fn dtoi(s: &[u8]) -> Option<(u32, usize)> {
    let mut n: u32 = 0;
    let mut i = 0;
    while i < s.len() && s[i].is_ascii_digit() {
        n = n * 10 + u32::from(s[i] - b'0');
        if n >= 0xFF_FFFF {
            return None;
        }
        i += 1;
    }
    (i > 0).then_some((n, i))
}

/// Go's `xtoi`: up to 0xFFFF worth of hex digits and the number of bytes read.
fn xtoi(s: &[u8]) -> Option<(u32, usize)> {
    let mut n: u32 = 0;
    let mut i = 0;
    while i < s.len() && s[i].is_ascii_hexdigit() {
        n = n * 16 + char::from(s[i]).to_digit(16).unwrap_or(0);
        if n >= 0xFF_FFFF {
            return None;
        }
        i += 1;
    }
    (i > 0).then_some((n, i))
}

/// Dotted IPv4, each part decimal 0-255 (leading zeros allowed: `010` is ten).
fn parse_v4(s: &[u8]) -> Option<u32> {
    let mut rest = s;
    let mut out = 0u32;
    for i in 0..4 {
        if i > 0 {
            rest = rest.strip_prefix(b".")?;
        }
        let (n, used) = dtoi(rest)?;
        if n > 0xFF {
            return None;
        }
        out = out << 8 | n;
        rest = &rest[used..];
    }
    rest.is_empty().then_some(out)
}

/// IPv6 as Go's `net` parses it: hex groups, one `::`, an optional IPv4 tail.
fn parse_v6(mut s: &[u8]) -> Option<u128> {
    let mut ip = [0u8; 16];
    let mut ellipsis: Option<usize> = None;
    if s.starts_with(b"::") {
        ellipsis = Some(0);
        s = &s[2..];
        if s.is_empty() {
            return Some(0);
        }
    }
    let mut i = 0;
    while i < 16 {
        let (n, c) = xtoi(s)?;
        if n > 0xFFFF {
            return None;
        }
        if s.get(c) == Some(&b'.') {
            if (ellipsis.is_none() && i != 12) || i + 4 > 16 {
                return None;
            }
            let v4 = parse_v4(s)?;
            ip[i..i + 4].copy_from_slice(&v4.to_be_bytes());
            s = &[];
            i += 4;
            break;
        }
        ip[i] = (n >> 8) as u8;
        ip[i + 1] = n as u8;
        i += 2;
        s = &s[c..];
        if s.is_empty() {
            break;
        }
        if s[0] != b':' || s.len() == 1 {
            return None;
        }
        s = &s[1..];
        if s[0] == b':' {
            if ellipsis.is_some() {
                return None;
            }
            ellipsis = Some(i);
            s = &s[1..];
            if s.is_empty() {
                break;
            }
        }
    }
    if !s.is_empty() {
        return None;
    }
    if i < 16 {
        let e = ellipsis?;
        let n = 16 - i;
        ip.copy_within(e..i, e + n);
        ip[e..e + n].fill(0);
    } else if ellipsis.is_some() {
        return None;
    }
    Some(u128::from_be_bytes(ip))
}

/// Terraform's `ipaddr.ParseCIDR`: the network with host bits cleared.
fn parse_cidr(s: &str) -> Result<Net, String> {
    let bad = || {
        format!(
            "invalid CIDR expression: invalid CIDR address: {}",
            crate::scrub::value(s)
        )
    };
    let (addr, len) = s.split_once('/').ok_or_else(bad)?;
    let (addr, bits) = match parse_v4(addr.as_bytes()) {
        Some(a) => (u128::from(a), 32),
        None => (parse_v6(addr.as_bytes()).ok_or_else(bad)?, 128),
    };
    let len = match dtoi(len.as_bytes()) {
        Some((n, used)) if used == len.len() && n <= bits => n,
        _ => return Err(bad()),
    };
    let mut net = Net { addr, len, bits };
    net.addr &= net.mask(len);
    Ok(net)
}

/// Argument `i` as a non-negative whole number (subnet and host numbers).
fn whole(a: &Args, i: usize) -> Result<f64, FnError> {
    let n = a.num(i)?;
    if n.fract() != 0.0 || !n.is_finite() {
        return Err(a.bad(i, "value must be a whole number"));
    }
    Ok(n)
}

fn cidrsubnet(a: &mut Args) -> Result<V, FnError> {
    let newbits = a.int(1)?;
    let netnum = whole(a, 2)?;
    let net = parse_cidr(&a.str(0)?).map_err(fail)?;
    if newbits < 0 {
        return Err(a.bad(1, "must not be negative"));
    }
    if netnum < 0.0 {
        return Err(a.bad(2, "must not be negative"));
    }
    let new_len = i64::from(net.len) + newbits;
    if new_len > i64::from(net.bits) {
        return Err(fail(format!(
            "insufficient address space to extend prefix of {} by {newbits}",
            net.len
        )));
    }
    let new_len = new_len as u32;
    let num = netnum as u128;
    if newbits < 128 && num >> newbits != 0 {
        return Err(fail(format!(
            "prefix extension of {newbits} does not accommodate a subnet numbered {netnum}"
        )));
    }
    let shift = net.bits - new_len;
    let addr = net.addr | num.checked_shl(shift).unwrap_or(0);
    Ok(V::Str(net.show(addr, new_len)))
}

fn cidrsubnets(a: &mut Args) -> Result<V, FnError> {
    let net = parse_cidr(&a.str(0)?).map_err(|e| a.bad(0, e))?;
    if a.len() == 1 {
        return Ok(V::list(Vec::new()));
    }
    let first = a.int(1)?;
    let first_len = (i64::from(net.len) + first).clamp(0, i64::from(net.bits)) as u32;
    // The block of the first size just before the prefix, so that the first "next" block
    // is the prefix's own first block.
    let mask = net.mask(first_len);
    let mut current = (net.addr.wrapping_sub(1) & net.full() & mask, first_len);
    let mut out = Vec::with_capacity(a.len() - 1);
    for i in 1..a.len() {
        let n = a.int(i)?;
        if n < 1 {
            return Err(a.bad(i, "must extend prefix by at least one bit"));
        }
        if n > 32 {
            return Err(a.bad(i, "may not extend prefix by more than 32 bits"));
        }
        let len = net.len + n as u32;
        if len > net.bits {
            let family = if net.bits == 32 { "IPv4" } else { "IPv6" };
            return Err(a.bad(
                i,
                format!(
                    "would extend prefix to {len} bits, which is too long for an {family} address"
                ),
            ));
        }
        let (cur_addr, cur_len) = current;
        let cur_last = net.last(cur_addr, cur_len) & net.mask(len);
        let after = net.last(cur_last, len).wrapping_add(1) & net.full();
        let next = after & net.mask(len);
        if after == 0 || !net.contains(next) {
            return Err(a.bad(
                i,
                format!(
                    "not enough remaining address space for a subnet with a prefix of {len} bits after {}",
                    net.show(cur_addr, cur_len)
                ),
            ));
        }
        current = (next, len);
        out.push(V::Str(net.show(next, len)));
    }
    Ok(V::list(out))
}

fn cidrhost(a: &mut Args) -> Result<V, FnError> {
    let hostnum = whole(a, 1)?;
    let net = parse_cidr(&a.str(0)?).map_err(fail)?;
    let max = net.full().checked_shr(net.len).unwrap_or(0);
    let magnitude = hostnum.abs() as u128;
    let num = if hostnum < 0.0 {
        // -1 is the last address, -(max+1) the first.
        (magnitude - 1 <= max).then(|| max - (magnitude - 1))
    } else {
        (magnitude <= max).then_some(magnitude)
    };
    let num = num.ok_or_else(|| {
        fail(format!(
            "prefix of {} does not accommodate a host numbered {hostnum}",
            net.len
        ))
    })?;
    Ok(V::Str(net.show_addr(net.addr | num)))
}

/// Whether an address, or every address of a prefix, is inside a prefix (OpenTofu).
fn cidrcontains(a: &mut Args) -> Result<V, FnError> {
    let prefix = a.str(0)?;
    let inner = a.str(1)?;
    let net = parse_cidr(&prefix).map_err(fail)?;
    let ip = match parse_v4(inner.as_bytes()) {
        Some(v4) => Some((u128::from(v4), 32)),
        None => parse_v6(inner.as_bytes()).map(|v6| (v6, 128)),
    };
    let (first, last, bits) = match ip {
        Some((addr, bits)) => (addr, addr, bits),
        None => {
            let n = parse_cidr(&inner).map_err(|_| {
                fail(format!(
                    "invalid IP address or prefix: {}",
                    crate::scrub::value(&inner)
                ))
            })?;
            (n.addr, n.last(n.addr, n.len), n.bits)
        }
    };
    // IPv4, or IPv4-mapped IPv6, on both sides, or neither.
    let v4 = |addr: u128, bits: u32| bits == 32 || addr >> 32 == 0xffff;
    if v4(first, bits) != v4(net.addr, net.bits) {
        return Err(fail(format!(
            "address family mismatch: {} vs. {}",
            crate::scrub::value(&prefix),
            crate::scrub::value(&inner)
        )));
    }
    let fit = |addr: u128| match (bits, net.bits) {
        (128, 32) => addr & 0xffff_ffff,
        (32, 128) => addr | 0xffff << 32,
        _ => addr,
    };
    Ok(V::Bool(net.contains(fit(first)) && net.contains(fit(last))))
}

fn cidrnetmask(a: &mut Args) -> Result<V, FnError> {
    let prefix = a.str(0)?;
    let net = parse_cidr(&prefix).map_err(fail)?;
    if net.bits == 32 {
        return Ok(V::Str(Ipv4Addr::from(net.mask(net.len) as u32).to_string()));
    }
    if net.mapped(net.addr) {
        return Ok(V::Str(Ipv6Addr::from(net.mask(net.len)).to_string()));
    }
    // Terraform quotes the prefix (and redacts it when sensitive).
    Err(fail(format!(
        "IPv6 addresses cannot have a netmask: {}",
        crate::scrub::value(&prefix)
    )))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{call_ok, call_vals, err, j};
    use super::*;

    #[test]
    fn parsing_follows_terraform() {
        for (input, want) in [
            ("010.001.0.0/24", Some((0x0a01_0000, 24, 32))),
            ("192.168.2.0/20", Some((0xc0a8_0000, 20, 32))),
            ("0.0.0.0/0", Some((0, 0, 32))),
            ("fe80::/48", Some((0xfe80 << 112, 48, 128))),
            ("::ffff:192.168.0.0/112", Some((0xffff_c0a8_0000, 112, 128))),
            ("::/0", Some((0, 0, 128))),
            (
                "1:2:3:4:5:6:7:8/128",
                Some((0x0001_0002_0003_0004_0005_0006_0007_0008, 128, 128)),
            ),
            ("10.256.0.0/8", None),
            ("10.0.0.0/33", None),
            ("10.0.0.0", None),
            ("10.0.0.0/8 ", None),
            ("10.0.0/8", None),
            ("1::2::3/64", None),
            ("not-a-cidr", None),
        ] {
            let got = parse_cidr(input).ok().map(|n| (n.addr, n.len, n.bits));
            assert_eq!(got, want, "{input}");
        }
    }

    #[test]
    fn results() {
        for (name, args, want) in [
            (
                "cidrsubnet",
                r#"["192.168.2.0/20", 4, 6]"#,
                r#""192.168.6.0/24""#,
            ),
            ("cidrsubnet", r#"["10.1.2.3/16", 8, 2]"#, r#""10.1.2.0/24""#),
            (
                "cidrsubnet",
                r#"["010.001.0.0/24", 4, 1]"#,
                r#""10.1.0.16/28""#,
            ),
            (
                "cidrsubnet",
                r#"["fe80::/48", 16, 6]"#,
                r#""fe80:0:0:6::/64""#,
            ),
            (
                "cidrsubnet",
                r#"["fe80::/48", 33, 6]"#,
                r#""fe80::3:0:0:0/81""#,
            ),
            (
                "cidrsubnet",
                r#"["::ffff:192.168.0.0/112", 8, 6]"#,
                r#""192.168.6.0/24""#,
            ),
            ("cidrsubnet", r#"["::/80", 16, 65535]"#, r#""0.0.0.0/0""#),
            ("cidrsubnet", r#"["::/64", 64, 5]"#, r#""::5/128""#),
            ("cidrsubnet", r#"["1.2.3.4/32", 0, 0]"#, r#""1.2.3.4/32""#),
            (
                "cidrsubnet",
                r#"["2001:db8::/32", 8, 1]"#,
                r#""2001:db8:100::/40""#,
            ),
            (
                "cidrsubnet",
                r#"["::1.2.3.4/120", 4, 1]"#,
                r#""::102:310/124""#,
            ),
            (
                "cidrsubnet",
                r#"["10.0.0.0/8", "8", "3"]"#,
                r#""10.3.0.0/16""#,
            ),
            (
                "cidrsubnets",
                r#"["10.1.0.0/16", 4, 4, 8, 4]"#,
                r#"["10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24", "10.1.48.0/20"]"#,
            ),
            (
                "cidrsubnets",
                r#"["10.0.0.0/21", 3, 3, 3, 4, 4, 4, 7, 7, 7]"#,
                r#"["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/25", "10.0.3.128/25", "10.0.4.0/25", "10.0.4.128/28", "10.0.4.144/28", "10.0.4.160/28"]"#,
            ),
            (
                "cidrsubnets",
                r#"["010.0.0.0/21", 3]"#,
                r#"["10.0.0.0/24"]"#,
            ),
            (
                "cidrsubnets",
                r#"["fd00::/56", 8, 8, 16]"#,
                r#"["fd00::/64", "fd00:0:0:1::/64", "fd00:0:0:2::/72"]"#,
            ),
            ("cidrsubnets", r#"["10.0.0.0/8"]"#, "[]"),
            ("cidrhost", r#"["192.168.1.0/24", 5]"#, r#""192.168.1.5""#),
            (
                "cidrhost",
                r#"["192.168.1.0/24", -5]"#,
                r#""192.168.1.251""#,
            ),
            (
                "cidrhost",
                r#"["192.168.1.0/24", -1]"#,
                r#""192.168.1.255""#,
            ),
            (
                "cidrhost",
                r#"["192.168.1.0/24", -256]"#,
                r#""192.168.1.0""#,
            ),
            ("cidrhost", r#"["192.168.1.0/24", 0]"#, r#""192.168.1.0""#),
            (
                "cidrhost",
                r#"["192.168.1.0/24", 255]"#,
                r#""192.168.1.255""#,
            ),
            ("cidrhost", r#"["010.001.0.0/24", 6]"#, r#""10.1.0.6""#),
            ("cidrhost", r#"["10.0.0.0/32", 0]"#, r#""10.0.0.0""#),
            (
                "cidrhost",
                r#"["10.0.0.0/8", 16777215]"#,
                r#""10.255.255.255""#,
            ),
            ("cidrhost", r#"["fd00::/64", 5]"#, r#""fd00::5""#),
            (
                "cidrhost",
                r#"["fd00::/64", -1]"#,
                r#""fd00::ffff:ffff:ffff:ffff""#,
            ),
            (
                "cidrhost",
                r#"["2001:db8::/32", 4294967296]"#,
                r#""2001:db8::1:0:0""#,
            ),
            (
                "cidrhost",
                r#"["::ffff:192.168.0.0/112", 5]"#,
                r#""192.168.0.5""#,
            ),
            ("cidrnetmask", r#"["172.16.0.0/12"]"#, r#""255.240.0.0""#),
            (
                "cidrnetmask",
                r#"["192.168.1.0/32"]"#,
                r#""255.255.255.255""#,
            ),
            ("cidrnetmask", r#"["0.0.0.0/0"]"#, r#""0.0.0.0""#),
            ("cidrnetmask", r#"["010.001.0.0/24"]"#, r#""255.255.255.0""#),
            (
                "cidrnetmask",
                r#"["::ffff:10.0.0.0/104"]"#,
                r#""ffff:ffff:ffff:ffff:ffff:ffff:ff00:0""#,
            ),
        ] {
            assert_eq!(call_ok(name, args), j(want), "{name}{args}");
        }
    }

    #[test]
    fn errors() {
        for (name, args, want) in [
            (
                "cidrsubnet",
                r#"["192.168.0.0/30", 4, 6]"#,
                "insufficient address space to extend prefix of 30 by 4",
            ),
            (
                "cidrsubnet",
                r#"["10.0.0.0/24", 9, 1]"#,
                "insufficient address space to extend prefix of 24 by 9",
            ),
            (
                "cidrsubnet",
                r#"["10.0.0.0/8", 40, 0]"#,
                "insufficient address space to extend prefix of 8 by 40",
            ),
            (
                "cidrsubnet",
                r#"["10.0.0.0/16", 8, 256]"#,
                "prefix extension of 8 does not accommodate a subnet numbered 256",
            ),
            (
                "cidrsubnet",
                r#"["fe80::/48", 16, 65536]"#,
                "prefix extension of 16 does not accommodate a subnet numbered 65536",
            ),
            (
                "cidrsubnet",
                r#"["not-a-cidr", 4, 6]"#,
                "invalid CIDR expression: invalid CIDR address: not-a-cidr",
            ),
            (
                "cidrsubnet",
                r#"["10.256.0.0/8", 4, 6]"#,
                "invalid CIDR expression: invalid CIDR address: 10.256.0.0/8",
            ),
            (
                "cidrsubnet",
                r#"["10.0.0.0/8", 1.5, 1]"#,
                r#"Invalid value for "newbits" parameter: value must be a whole number, between -9223372036854775808 and 9223372036854775807"#,
            ),
            (
                "cidrsubnet",
                r#"["10.0.0.0/8", 1, 0.75]"#,
                r#"Invalid value for "netnum" parameter: value must be a whole number"#,
            ),
            (
                "cidrsubnet",
                r#"["10.0.0.0/8", "x", 1]"#,
                r#"Invalid value for "newbits" parameter: a number is required"#,
            ),
            (
                "cidrsubnet",
                r#"["10.0.0.0/8", 1, -1]"#,
                r#"Invalid value for "netnum" parameter: must not be negative"#,
            ),
            (
                "cidrsubnet",
                r#"["10.0.0.0/16", -8, 0]"#,
                r#"Invalid value for "newbits" parameter: must not be negative"#,
            ),
            (
                "cidrsubnets",
                r#"["10.0.0.0/30", 1, 3]"#,
                r#"Invalid value for "newbits" parameter: would extend prefix to 33 bits, which is too long for an IPv4 address"#,
            ),
            (
                "cidrsubnets",
                r#"["10.0.0.0/8", 1, 1, 1]"#,
                r#"Invalid value for "newbits" parameter: not enough remaining address space for a subnet with a prefix of 9 bits after 10.128.0.0/9"#,
            ),
            (
                "cidrsubnets",
                r#"["10.0.0.0/24", 2, 2, 2, 2, 2]"#,
                r#"Invalid value for "newbits" parameter: not enough remaining address space for a subnet with a prefix of 26 bits after 10.0.0.192/26"#,
            ),
            (
                "cidrsubnets",
                r#"["10.0.0.0/8", 1, 0]"#,
                r#"Invalid value for "newbits" parameter: must extend prefix by at least one bit"#,
            ),
            (
                "cidrsubnets",
                r#"["10.0.0.0/8", 1, -1]"#,
                r#"Invalid value for "newbits" parameter: must extend prefix by at least one bit"#,
            ),
            (
                "cidrsubnets",
                r#"["fe80::/48", 1, 33]"#,
                r#"Invalid value for "newbits" parameter: may not extend prefix by more than 32 bits"#,
            ),
            (
                "cidrsubnets",
                r#"["fe80::/120", 9]"#,
                r#"Invalid value for "newbits" parameter: would extend prefix to 129 bits, which is too long for an IPv6 address"#,
            ),
            // Terraform starts from the block before the prefix, which wraps around when
            // the prefix starts at address zero: it cannot split such a prefix.
            (
                "cidrsubnets",
                r#"["0.0.0.0/0", 1, 1]"#,
                r#"Invalid value for "newbits" parameter: not enough remaining address space for a subnet with a prefix of 1 bits after 128.0.0.0/1"#,
            ),
            (
                "cidrsubnets",
                r#"["0.0.0.0/1", 2]"#,
                r#"Invalid value for "newbits" parameter: not enough remaining address space for a subnet with a prefix of 3 bits after 224.0.0.0/3"#,
            ),
            (
                "cidrsubnets",
                r#"["::/64", 2]"#,
                r#"Invalid value for "newbits" parameter: not enough remaining address space for a subnet with a prefix of 66 bits after ffff:ffff:ffff:ffff:c000::/66"#,
            ),
            (
                "cidrsubnets",
                r#"["x", 1]"#,
                r#"Invalid value for "prefix" parameter: invalid CIDR expression: invalid CIDR address: x"#,
            ),
            (
                "cidrsubnets",
                r#"["10.0.0.0/8", 1.5]"#,
                r#"Invalid value for "newbits" parameter: value must be a whole number, between -9223372036854775808 and 9223372036854775807"#,
            ),
            (
                "cidrhost",
                r#"["192.168.1.0/30", 255]"#,
                "prefix of 30 does not accommodate a host numbered 255",
            ),
            (
                "cidrhost",
                r#"["192.168.1.0/30", -255]"#,
                "prefix of 30 does not accommodate a host numbered -255",
            ),
            (
                "cidrhost",
                r#"["10.0.0.0/24", 256]"#,
                "prefix of 24 does not accommodate a host numbered 256",
            ),
            (
                "cidrhost",
                r#"["10.0.0.0/24", -257]"#,
                "prefix of 24 does not accommodate a host numbered -257",
            ),
            (
                "cidrhost",
                r#"["10.0.0.0/32", 1]"#,
                "prefix of 32 does not accommodate a host numbered 1",
            ),
            (
                "cidrhost",
                r#"["10.256.0.0/8", 6]"#,
                "invalid CIDR expression: invalid CIDR address: 10.256.0.0/8",
            ),
            (
                "cidrhost",
                r#"["10.0.0.0/8", 0.75]"#,
                r#"Invalid value for "hostnum" parameter: value must be a whole number"#,
            ),
            (
                "cidrhost",
                r#"["10.0.0.0/8", "x"]"#,
                r#"Invalid value for "hostnum" parameter: a number is required"#,
            ),
            (
                "cidrnetmask",
                r#"["1::/64"]"#,
                "IPv6 addresses cannot have a netmask: 1::/64",
            ),
            (
                "cidrnetmask",
                r#"["not-a-cidr"]"#,
                "invalid CIDR expression: invalid CIDR address: not-a-cidr",
            ),
            (
                "cidrnetmask",
                r#"["110.256.0.0/8"]"#,
                "invalid CIDR expression: invalid CIDR address: 110.256.0.0/8",
            ),
        ] {
            assert_eq!(err(name, args), want, "{name}{args}");
        }
    }

    #[test]
    fn unknowns() {
        let u = V::unknown;
        assert_eq!(
            call_vals("cidrsubnet", vec![u(), V::Num(8.0), V::Num(1.0)]),
            Ok(u())
        );
        assert_eq!(
            call_vals("cidrhost", vec![V::str("10.0.0.0/8"), u()]),
            Ok(u())
        );
        assert_eq!(
            call_vals("cidrsubnets", vec![V::str("10.0.0.0/8"), V::Num(8.0), u()]),
            Ok(u())
        );
        assert_eq!(
            call_vals("cidrnetmask", vec![V::id_of("aws_vpc.main")]),
            Ok(u())
        );
    }
}
