//! Network address functions: hosts, netmasks, subnets and subnet layouts, IPv4 and IPv6.

use super::{c, Case};

pub(super) const CASES: &[Case] = &[
    // cidrhost: a negative host number counts back from the end of the range.
    c(r#"cidrhost("10.12.112.0/20", 16)"#, r#""10.12.112.16""#),
    c(r#"cidrhost("10.12.112.0/20", 268)"#, r#""10.12.113.12""#),
    c(r#"cidrhost("fd00:fd12:3456:7890:00a2::/72", 34)"#, r#""fd00:fd12:3456:7890::22""#),
    c(r#"cidrhost("10.1.2.240/28", 1)"#, r#""10.1.2.241""#),
    c(r#"cidrhost("10.1.2.240/28", 14)"#, r#""10.1.2.254""#),
    c(r#"cidrhost("192.168.1.0/24", 5)"#, r#""192.168.1.5""#),
    c(r#"cidrhost("192.168.1.0/24", -5)"#, r#""192.168.1.251""#),
    c(r#"cidrhost("192.168.1.0/24", -256)"#, r#""192.168.1.0""#),
    c(r#"cidrhost("192.168.1.0/24", "5")"#, r#""192.168.1.5""#),
    c(r#"cidrhost("010.001.0.0/24", 6)"#, r#""10.1.0.6""#),
    c(r#"cidrhost("192.168.1.0/30", 255)"#, "error: prefix of 30 does not accommodate a host numbered 255"),
    c(r#"cidrhost("192.168.1.0/30", -255)"#, "error: does not accommodate a host numbered -255"),
    c(r#"cidrhost("not-a-cidr", 6)"#, "error: invalid CIDR expression"),
    c(r#"cidrhost("10.256.0.0/8", 6)"#, "error: invalid CIDR expression"),
    c(r#"cidrhost("10.0.0.0/8", u)"#, "u"),
    // cidrnetmask: IPv4 only.
    c(r#"cidrnetmask("172.16.0.0/12")"#, r#""255.240.0.0""#),
    c(r#"cidrnetmask("192.168.1.0/24")"#, r#""255.255.255.0""#),
    c(r#"cidrnetmask("192.168.1.0/32")"#, r#""255.255.255.255""#),
    c(r#"cidrnetmask("0.0.0.0/0")"#, r#""0.0.0.0""#),
    c(r#"cidrnetmask("010.001.0.0/24")"#, r#""255.255.255.0""#),
    c(r#"cidrnetmask("not-a-cidr")"#, "error: invalid CIDR expression"),
    c(r#"cidrnetmask("110.256.0.0/8")"#, "error: invalid CIDR expression"),
    c(r#"cidrnetmask("1::/64")"#, "error: IPv6 addresses cannot have a netmask: 1::/64"),
    // cidrsubnet
    c(r#"cidrsubnet("172.16.0.0/12", 4, 2)"#, r#""172.18.0.0/16""#),
    c(r#"cidrsubnet("10.1.2.0/24", 4, 15)"#, r#""10.1.2.240/28""#),
    c(r#"cidrsubnet("fd00:fd12:3456:7890::/56", 16, 162)"#, r#""fd00:fd12:3456:7800:a200::/72""#),
    c(r#"cidrsubnet("192.168.2.0/20", 4, 6)"#, r#""192.168.6.0/24""#),
    c(r#"cidrsubnet("fe80::/48", 16, 6)"#, r#""fe80:0:0:6::/64""#),
    c(r#"cidrsubnet("::ffff:192.168.0.0/112", 8, 6)"#, r#""192.168.6.0/24""#),
    c(r#"cidrsubnet("fe80::/48", 33, 6)"#, r#""fe80::3:0:0:0/81""#),
    c(r#"cidrsubnet("010.001.0.0/24", 4, 1)"#, r#""10.1.0.16/28""#),
    c(r#"cidrsubnet("10.0.0.0/16", 0, 0)"#, r#""10.0.0.0/16""#),
    c(r#"cidrsubnet("10.0.0.0/16", 8, 256)"#, "error: prefix extension of 8 does not accommodate a subnet numbered 256"),
    c(r#"cidrsubnet("192.168.0.0/30", 4, 6)"#, "error: insufficient address space to extend prefix of 30 by 4"),
    c(r#"cidrsubnet("192.168.0.0/168", 2, 16)"#, "error: invalid CIDR expression"),
    c(r#"cidrsubnet("not-a-cidr", 4, 6)"#, "error: invalid CIDR expression"),
    // cidrsubnets: consecutive subnets, each aligned to its own size.
    c(
        r#"cidrsubnets("10.1.0.0/16", 4, 4, 8, 4)"#,
        r#"["10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24", "10.1.48.0/20"]"#,
    ),
    c(
        r#"cidrsubnets("fd00:fd12:3456:7890::/56", 16, 16, 16, 32)"#,
        r#"["fd00:fd12:3456:7800::/72", "fd00:fd12:3456:7800:100::/72", "fd00:fd12:3456:7800:200::/72", "fd00:fd12:3456:7800:300::/88"]"#,
    ),
    c(
        r#"[for b in cidrsubnets("10.0.0.0/8", 8, 8) : cidrsubnets(b, 4, 4)]"#,
        r#"[["10.0.0.0/20", "10.0.16.0/20"], ["10.1.0.0/20", "10.1.16.0/20"]]"#,
    ),
    c(
        r#"cidrsubnets("10.0.0.0/21", 3, 3, 3, 4, 4, 4, 7, 7, 7)"#,
        r#"["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/25", "10.0.3.128/25", "10.0.4.0/25", "10.0.4.128/28", "10.0.4.144/28", "10.0.4.160/28"]"#,
    ),
    c(r#"cidrsubnets("010.0.0.0/21", 3)"#, r#"["10.0.0.0/24"]"#),
    c(r#"cidrsubnets("10.0.0.0/8")"#, "[]"),
    c(
        r#"cidrsubnets("10.0.0.0/30", 1, 3)"#,
        "error: would extend prefix to 33 bits, which is too long for an IPv4 address",
    ),
    c(
        r#"cidrsubnets("10.0.0.0/8", 1, 1, 1)"#,
        "error: not enough remaining address space for a subnet with a prefix of 9 bits after 10.128.0.0/9",
    ),
    c(r#"cidrsubnets("10.0.0.0/8", 1, 0)"#, "error: must extend prefix by at least one bit"),
    c(r#"cidrsubnets("10.0.0.0/8", 1, -1)"#, "error: must extend prefix by at least one bit"),
    c(r#"cidrsubnets("fe80::/48", 1, 33)"#, "error: may not extend prefix by more than 32 bits"),
    c(r#"cidrsubnets("not-a-cidr", 1)"#, "error: invalid CIDR expression"),
    c(r#"cidrsubnets("10.0.0.0/8", 4, u)"#, "u"),
    // cidrcontains (OpenTofu): an address or a whole prefix inside a prefix.
    c(r#"cidrcontains("192.168.2.0/20", "192.168.2.1")"#, "true"),
    c(r#"cidrcontains("192.168.2.0/20", "192.168.2.0/22")"#, "true"),
    c(r#"cidrcontains("192.168.2.0/20", "192.126.2.1")"#, "false"),
    c(r#"cidrcontains("192.168.2.0/20", "192.126.2.0/18")"#, "false"),
    c(r#"cidrcontains("fe80::/48", "fe80::1")"#, "true"),
    c(r#"cidrcontains("fe80::/48", "fe81::1")"#, "false"),
    c(r#"cidrcontains("10.0.0.0/8", "10.0.0.0/8")"#, "true"),
    c(r#"cidrcontains("10.0.0.0/16", "10.0.0.0/8")"#, "false"),
    c(r#"cidrcontains("10.0.0.0/8", "fe80::1")"#, "error: address family mismatch: 10.0.0.0/8 vs. fe80::1"),
    c(r#"cidrcontains("10.0.0.0/8", "nope")"#, "error: invalid IP address or prefix: nope"),
    c(r#"cidrcontains("nope", "10.0.0.1")"#, "error: invalid CIDR expression"),
];
