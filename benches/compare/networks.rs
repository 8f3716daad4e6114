//! The "networks" layouts of the compare benchmark: many networks (VPCs) per state, each
//! in a `module.network["net-NNNN"]` instance with its own subnets, route tables, private
//! zone, security groups, EC2 instances and DNS records, plus records in zones that are
//! not in the state.
//!
//! What each network holds (network `n` of `K`, about `N / K` instances):
//!
//! - `aws_vpc.this` (its own range: prod's networks in 10.0.0.0/9, staging's in
//!   10.128.0.0/9, the same offset in both), `aws_internet_gateway.this`,
//!   `aws_subnet.public` / `.private`, `aws_route_table.public` / `.private` (routes to
//!   the gateway, an external transit gateway, an on-premises range and the next
//!   network's range over a peering connection), two `aws_route_table_association`s and
//!   a private `aws_route53_zone.this`;
//! - `aws_security_group.this["gNNN"]`: 1 to 100 groups (as many as the network's
//!   share of instances allows), whose ingress rules name another group, the network's
//!   own range and private subnet (inside), the next network's range (another network),
//!   an on-premises range (outside every network), `10.0.0.0/8` (across every network)
//!   and, for every tenth group, `0.0.0.0/0`;
//! - `aws_instance.this[i]` in the private subnet, each in one of the groups;
//! - `aws_route53_record.this[i]` (A records in the network's zone) and
//!   `aws_route53_record.public[i]` (CNAMEs in a zone of the network's that the state
//!   does not manage).
//!
//! The root module holds `aws_route53_record.only["…"]`: five records in an unmanaged
//! zone that only one environment has (different keys in each).
//!
//! Planted differences (staging only, each one finding): an instance's `instance_type`,
//! a record's `ttl`, a group's rule from its own network widened by one port, and the
//! five records on each side.

use super::{
    arn, aws_id, drifted, egress_all, fail, hash, mix, sg_rule, tags, upper_id, Block, EnvSpec,
    Generated, StateWriter,
};
use serde_json::{json, Value};
use std::fs::{self, File};
use std::path::Path;

/// Per network: VPC, gateway, two subnets, two route tables, two associations, a zone.
pub const FIXED_PER_NETWORK: usize = 9;
/// Root records that exist in one environment only.
pub const ONLY_IN_ONE: usize = 5;
/// At most this many security groups per network.
pub const MAX_GROUPS: usize = 100;

/// The networks of `K` networks are spread over a /9 per environment: each network is
/// the largest power-of-two block that fits, at most a /16.
fn prefix_len(networks: usize) -> u8 {
    let bits = usize::BITS - networks.saturating_sub(1).leading_zeros();
    (9 + bits as u8).max(16)
}

/// The first address of network `n` (as a u32) and its prefix length.
fn net_base(env: &EnvSpec, networks: usize, n: usize) -> (u32, u8) {
    let p = prefix_len(networks);
    let size = 1u32 << (32 - p);
    let env_base: u32 = (10 << 24) | if env.staging { 128 << 16 } else { 0 };
    (env_base + size * n as u32, p)
}

fn ip(a: u32) -> String {
    std::net::Ipv4Addr::from(a).to_string()
}

fn net_cidr(env: &EnvSpec, k: usize, n: usize) -> String {
    let (base, p) = net_base(env, k, n);
    format!("{}/{p}", ip(base))
}

/// The public subnet: the network's first quarter.
fn public_cidr(env: &EnvSpec, k: usize, n: usize) -> String {
    let (base, p) = net_base(env, k, n);
    format!("{}/{}", ip(base), p + 2)
}

/// The private subnet: the network's upper half.
fn private_cidr(env: &EnvSpec, k: usize, n: usize) -> (u32, u8) {
    let (base, p) = net_base(env, k, n);
    (base + (1u32 << (32 - p - 1)), p + 1)
}

fn host_ip(env: &EnvSpec, k: usize, n: usize, i: usize) -> String {
    let (base, p) = private_cidr(env, k, n);
    let room = (1usize << (32 - p)) - 20;
    ip(base + 10 + (i % room) as u32)
}

fn key(n: usize) -> String {
    format!("net-{n:04}")
}

fn module(n: usize) -> String {
    format!("module.network[\"{}\"]", key(n))
}

/// A network-unique index for ids: network `n`, item `i`.
fn idx(n: usize, i: usize) -> usize {
    (n << 20) | i
}

fn vpc_id(env: &EnvSpec, n: usize) -> String {
    aws_id(env, "vpc", Block::Vpc, idx(n, 0))
}

fn igw_id(env: &EnvSpec, n: usize) -> String {
    aws_id(env, "igw", Block::Igw, idx(n, 0))
}

fn subnet_id(env: &EnvSpec, n: usize, public: bool) -> String {
    let b = if public {
        Block::SubnetPublic
    } else {
        Block::SubnetPrivate
    };
    aws_id(env, "subnet", b, idx(n, 0))
}

fn rt_id(env: &EnvSpec, n: usize, public: bool) -> String {
    let b = if public {
        Block::RouteTablePublic
    } else {
        Block::RouteTablePrivate
    };
    aws_id(env, "rtb", b, idx(n, 0))
}

fn sg_id(env: &EnvSpec, n: usize, g: usize) -> String {
    aws_id(env, "sg", Block::ServiceSg, idx(n, g))
}

fn zone_id(env: &EnvSpec, n: usize) -> String {
    upper_id(env, "Z0", Block::Zone, idx(n, 0), 19)
}

/// A zone of the network's that the state does not manage (delegated elsewhere).
fn external_zone_id(env: &EnvSpec, n: usize) -> String {
    upper_id(env, "Z0", Block::Zone, idx(n, 1), 19)
}

fn net_tags(env: &EnvSpec, n: usize, name: &str) -> Value {
    tags(env, &format!("{}-{name}", key(n)), "network", Some(&key(n)))
}

/// How network `n`'s share of instances is spent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Share {
    pub groups: usize,
    pub instances: usize,
    pub records: usize,
    pub public_records: usize,
}

/// What network `n` of `k` holds when the state has `total` instances.
pub fn share(total: usize, k: usize, n: usize) -> Share {
    let spread = total - ONLY_IN_ONE;
    let budget = spread / k + usize::from(n < spread % k);
    let rest = budget - FIXED_PER_NETWORK;
    // 1 to 100 groups, varying from network to network, as the share allows.
    let wanted = 1 + (mix(n as u64 ^ 0x6e65_7477) % MAX_GROUPS as u64) as usize;
    let groups = wanted.min((rest / 4).max(1)).min(rest);
    let rest = rest - groups;
    let instances = rest / 2;
    let records = rest - instances;
    let public_records = records / 2;
    Share {
        groups,
        instances,
        records: records - public_records,
        public_records,
    }
}

/// The fewest instances a state of `k` networks can hold.
pub fn min_instances(k: usize) -> usize {
    ONLY_IN_ONE + k * (FIXED_PER_NETWORK + 1)
}

pub fn vpc(env: &EnvSpec, k: usize, n: usize) -> Value {
    let id = vpc_id(env, n);
    json!({
        "arn": arn(env, "ec2", &format!("vpc/{id}")),
        "assign_generated_ipv6_cidr_block": false,
        "cidr_block": net_cidr(env, k, n),
        "default_network_acl_id": aws_id(env, "acl", Block::Acl, idx(n, 0)),
        "default_route_table_id": aws_id(env, "rtb", Block::DefaultRt, idx(n, 0)),
        "default_security_group_id": aws_id(env, "sg", Block::DefaultSg, idx(n, 0)),
        "dhcp_options_id": aws_id(env, "dopt", Block::Dopt, 0),
        "enable_dns_hostnames": true,
        "enable_dns_support": true,
        "enable_network_address_usage_metrics": false,
        "id": id,
        "instance_tenancy": "default",
        "ipv4_ipam_pool_id": null,
        "ipv4_netmask_length": null,
        "ipv6_association_id": "",
        "ipv6_cidr_block": "",
        "ipv6_cidr_block_network_border_group": "",
        "ipv6_ipam_pool_id": "",
        "ipv6_netmask_length": 0,
        "main_route_table_id": aws_id(env, "rtb", Block::DefaultRt, idx(n, 0)),
        "owner_id": env.account,
        "tags": net_tags(env, n, "vpc"),
        "tags_all": net_tags(env, n, "vpc"),
    })
}

fn igw(env: &EnvSpec, n: usize) -> Value {
    let id = igw_id(env, n);
    json!({
        "arn": arn(env, "ec2", &format!("internet-gateway/{id}")),
        "id": id,
        "owner_id": env.account,
        "tags": net_tags(env, n, "igw"),
        "tags_all": net_tags(env, n, "igw"),
        "timeouts": null,
        "vpc_id": vpc_id(env, n),
    })
}

fn subnet(env: &EnvSpec, k: usize, n: usize, public: bool) -> Value {
    let id = subnet_id(env, n, public);
    let (cidr, name) = if public {
        (public_cidr(env, k, n), "public")
    } else {
        let (base, p) = private_cidr(env, k, n);
        (format!("{}/{p}", ip(base)), "private")
    };
    json!({
        "arn": arn(env, "ec2", &format!("subnet/{id}")),
        "assign_ipv6_address_on_creation": false,
        "availability_zone": format!("{}a", env.region),
        "availability_zone_id": env.az_ids[0],
        "cidr_block": cidr,
        "customer_owned_ipv4_pool": "",
        "enable_dns64": false,
        "enable_lni_at_device_index": 0,
        "enable_resource_name_dns_a_record_on_launch": false,
        "enable_resource_name_dns_aaaa_record_on_launch": false,
        "id": id,
        "ipv6_cidr_block": "",
        "ipv6_cidr_block_association_id": "",
        "ipv6_native": false,
        "map_customer_owned_ip_on_launch": false,
        "map_public_ip_on_launch": public,
        "outpost_arn": "",
        "owner_id": env.account,
        "private_dns_hostname_type_on_launch": "ip-name",
        "tags": net_tags(env, n, name),
        "tags_all": net_tags(env, n, name),
        "timeouts": null,
        "vpc_id": vpc_id(env, n),
    })
}

fn route_table(env: &EnvSpec, k: usize, n: usize, public: bool) -> Value {
    let id = rt_id(env, n, public);
    let next = (n + 1) % k;
    let routes = if public {
        vec![
            super::route(&[
                ("cidr_block", "0.0.0.0/0".into()),
                ("gateway_id", igw_id(env, n)),
            ]),
            super::route(&[
                ("ipv6_cidr_block", "::/0".into()),
                ("gateway_id", igw_id(env, n)),
            ]),
        ]
    } else {
        vec![
            super::route(&[
                ("cidr_block", "0.0.0.0/0".into()),
                ("transit_gateway_id", aws_id(env, "tgw", Block::Tgw, 0)),
            ]),
            super::route(&[
                ("cidr_block", "192.168.0.0/16".into()),
                ("transit_gateway_id", aws_id(env, "tgw", Block::Tgw, 0)),
            ]),
            super::route(&[
                ("cidr_block", net_cidr(env, k, next)),
                (
                    "vpc_peering_connection_id",
                    aws_id(env, "pcx", Block::Pcx, idx(n, 0)),
                ),
            ]),
        ]
    };
    let name = if public { "public" } else { "private" };
    json!({
        "arn": arn(env, "ec2", &format!("route-table/{id}")),
        "id": id,
        "owner_id": env.account,
        "propagating_vgws": [],
        "route": routes,
        "tags": net_tags(env, n, name),
        "tags_all": net_tags(env, n, name),
        "timeouts": null,
        "vpc_id": vpc_id(env, n),
    })
}

fn rta(env: &EnvSpec, n: usize, public: bool) -> Value {
    let b = if public {
        Block::RtaPublic
    } else {
        Block::RtaPrivate
    };
    json!({
        "gateway_id": "",
        "id": aws_id(env, "rtbassoc", b, idx(n, 0)),
        "route_table_id": rt_id(env, n, public),
        "subnet_id": subnet_id(env, n, public),
        "timeouts": null,
    })
}

fn zone(env: &EnvSpec, n: usize) -> Value {
    let id = zone_id(env, n);
    json!({
        "arn": format!("arn:aws:route53:::hostedzone/{id}"),
        "comment": "Managed by Terraform",
        "delegation_set_id": "",
        "force_destroy": false,
        "id": id,
        "name": format!("{}.{}.internal", key(n), env.name),
        "name_servers": [
            format!("ns-0.awsdns-{:02}.com.", hash(env, Block::Zone, idx(n, 2)) % 64),
            format!("ns-512.awsdns-{:02}.net.", hash(env, Block::Zone, idx(n, 3)) % 64),
        ],
        "primary_name_server": format!("ns-0.awsdns-{:02}.com.", hash(env, Block::Zone, idx(n, 2)) % 64),
        "tags": net_tags(env, n, "zone"),
        "tags_all": net_tags(env, n, "zone"),
        "timeouts": null,
        "vpc": [{"vpc_id": vpc_id(env, n), "vpc_region": env.region}],
        "zone_id": id,
    })
}

/// Global index of group `g` of network `n`, for planted differences.
fn group_index(n: usize, g: usize) -> usize {
    n * MAX_GROUPS + g
}

pub fn security_group(env: &EnvSpec, k: usize, n: usize, g: usize, groups: usize) -> Value {
    let id = sg_id(env, n, g);
    let port = 8000 + (g % 50) as u16;
    // A planted change widens the rule from the own network by one port: one finding.
    let port_to = if drifted(env, Block::ServiceSg, group_index(n, g)) {
        port + 1
    } else {
        port
    };
    let (private, p) = private_cidr(env, k, n);
    let peer_group = if groups > 1 {
        vec![sg_id(env, n, (g + 1) % groups)]
    } else {
        Vec::new()
    };
    let mut ingress = vec![
        sg_rule(
            &[],
            &[],
            "HTTPS from the next group",
            443,
            443,
            "tcp",
            &peer_group,
            groups == 1,
        ),
        sg_rule(
            &[net_cidr(env, k, n)],
            &[],
            "app from the network",
            port,
            port_to,
            "tcp",
            &[],
            false,
        ),
        sg_rule(
            &[format!("{}/{p}", ip(private))],
            &[],
            "ssh from the private subnet",
            22,
            22,
            "tcp",
            &[],
            false,
        ),
        sg_rule(
            &[net_cidr(env, k, (n + 1) % k)],
            &[],
            "postgres from the next network",
            5432,
            5432,
            "tcp",
            &[],
            false,
        ),
        sg_rule(
            &[format!("192.168.{}.0/24", n % 256)],
            &[],
            "from on-premises",
            9000,
            9100,
            "tcp",
            &[],
            false,
        ),
        sg_rule(
            &["10.0.0.0/8".to_string()],
            &[],
            "DNS from every network",
            53,
            53,
            "udp",
            &[],
            false,
        ),
    ];
    if g % 10 == 0 {
        ingress.push(sg_rule(
            &["0.0.0.0/0".to_string()],
            &[],
            "HTTPS from the internet",
            443,
            443,
            "tcp",
            &[],
            false,
        ));
    }
    let name = format!("{}-{}-g{g:03}", env.name, key(n));
    json!({
        "arn": arn(env, "ec2", &format!("security-group/{id}")),
        "description": format!("Group {g} of {}", key(n)),
        "egress": [egress_all()],
        "id": id,
        "ingress": ingress,
        "name": name,
        "name_prefix": "",
        "owner_id": env.account,
        "revoke_rules_on_delete": false,
        "tags": net_tags(env, n, &format!("g{g:03}")),
        "tags_all": net_tags(env, n, &format!("g{g:03}")),
        "timeouts": null,
        "vpc_id": vpc_id(env, n),
    })
}

pub fn instance(env: &EnvSpec, k: usize, n: usize, i: usize, groups: usize) -> Value {
    let gi = idx(n, i);
    let id = aws_id(env, "i", Block::ServiceInstance, gi);
    let address = host_ip(env, k, n, i);
    let planted = drifted(env, Block::ServiceInstance, gi);
    let instance_type = match (i % 3, planted) {
        (0, false) => "m5.large",
        (0, true) => "m5.xlarge",
        (1, false) => "c6i.xlarge",
        (1, true) => "c6i.2xlarge",
        (_, false) => "r6g.large",
        (_, true) => "r6g.xlarge",
    };
    let name = format!("host-{i:05}");
    json!({
        "ami": aws_id(env, "ami", Block::Ami, i % 7),
        "arn": arn(env, "ec2", &format!("instance/{id}")),
        "associate_public_ip_address": false,
        "availability_zone": format!("{}a", env.region),
        "cpu_options": [{"amd_sev_snp": "", "core_count": 1, "threads_per_core": 2}],
        "disable_api_stop": false,
        "disable_api_termination": false,
        "ebs_optimized": true,
        "iam_instance_profile": format!("{}-{}", env.name, key(n)),
        "id": id,
        "instance_state": "running",
        "instance_type": instance_type,
        "key_name": format!("{}-ops", env.name),
        "metadata_options": [{"http_endpoint": "enabled", "http_tokens": "required"}],
        "monitoring": true,
        "primary_network_interface_id": aws_id(env, "eni", Block::Eni, gi),
        "private_dns": format!("ip-{}.{}.compute.internal", address.replace('.', "-"), env.region),
        "private_ip": address,
        "public_ip": "",
        "root_block_device": [{
            "delete_on_termination": true,
            "encrypted": true,
            "volume_id": aws_id(env, "vol", Block::Volume, gi),
            "volume_size": 20 + 10 * (i % 3),
            "volume_type": "gp3",
        }],
        "source_dest_check": true,
        "subnet_id": subnet_id(env, n, false),
        "tags": net_tags(env, n, &name),
        "tags_all": net_tags(env, n, &name),
        "tenancy": "default",
        "timeouts": null,
        "vpc_security_group_ids": [sg_id(env, n, i % groups.max(1))],
    })
}

/// An `aws_route53_record` as the hashicorp/aws provider writes it in a state.
pub fn dns_record(
    zone: String,
    fqdn: String,
    rtype: &str,
    records: Vec<String>,
    ttl: u32,
) -> Value {
    json!({
        "alias": [],
        "allow_overwrite": null,
        "cidr_routing_policy": [],
        "failover_routing_policy": [],
        "fqdn": fqdn,
        "geolocation_routing_policy": [],
        "geoproximity_routing_policy": [],
        "health_check_id": "",
        "id": format!("{zone}_{fqdn}_{rtype}"),
        "latency_routing_policy": [],
        "multivalue_answer_routing_policy": false,
        "name": fqdn,
        "records": records,
        "set_identifier": "",
        "timeouts": null,
        "ttl": ttl,
        "type": rtype,
        "weighted_routing_policy": [],
        "zone_id": zone,
    })
}

/// An A record of an instance in the network's own zone.
pub fn record(env: &EnvSpec, k: usize, n: usize, i: usize, instances: usize) -> Value {
    let ttl = if drifted(env, Block::ServiceRecord, idx(n, i)) {
        60
    } else {
        300
    };
    let target = if instances == 0 {
        host_ip(env, k, n, 0)
    } else {
        host_ip(env, k, n, i % instances)
    };
    dns_record(
        zone_id(env, n),
        format!("host-{i:05}.{}.{}.internal", key(n), env.name),
        "A",
        vec![target],
        ttl,
    )
}

/// A CNAME in a zone of the network's that the state does not manage.
pub fn public_record(env: &EnvSpec, n: usize, i: usize) -> Value {
    dns_record(
        external_zone_id(env, n),
        format!("www-{i:05}.{}.{}.example.com", key(n), env.name),
        "CNAME",
        vec![format!("edge-{}.{}.example.com", i % 4, env.name)],
        300,
    )
}

fn only_record(env: &EnvSpec, name: &str) -> Value {
    dns_record(
        upper_id(env, "Z0", Block::Zone, 1 << 40, 19),
        format!("{name}.{}.example.com", env.name),
        "CNAME",
        vec![format!("edge-0.{}.example.com", env.name)],
        300,
    )
}

/// Writes one environment of `k` networks, `total` instances.
pub fn generate(env: &EnvSpec, k: usize, total: usize, path: &Path) -> Generated {
    let tmp = path.with_extension("tfstate.partial");
    let file = File::create(&tmp).unwrap_or_else(|e| fail(&format!("{}: {e}", tmp.display())));
    let mut w = StateWriter::new(file, env);
    let mut drift = 0usize;

    // Root: records only one environment has, in a zone the state does not manage.
    let prefix = if env.staging { "canary" } else { "legacy" };
    w.begin_resource(None, "aws_route53_record", "only");
    for i in 0..ONLY_IN_ONE {
        let name = format!("{prefix}-{i:02}");
        w.instance(
            Some(Value::from(name.as_str())),
            &only_record(env, &name),
            &[],
        );
    }
    w.end_resource();

    let vpc_dep = ["module.network.aws_vpc.this"];
    for n in 0..k {
        let s = share(total, k, n);
        let m = module(n);
        let m = Some(m.as_str());
        w.single(m, "aws_vpc", "this", &vpc(env, k, n), &[]);
        w.single(m, "aws_internet_gateway", "this", &igw(env, n), &vpc_dep);
        for public in [true, false] {
            let name = if public { "public" } else { "private" };
            w.single(m, "aws_subnet", name, &subnet(env, k, n, public), &vpc_dep);
        }
        for public in [true, false] {
            let name = if public { "public" } else { "private" };
            w.single(
                m,
                "aws_route_table",
                name,
                &route_table(env, k, n, public),
                &[
                    "module.network.aws_internet_gateway.this",
                    "module.network.aws_vpc.this",
                ],
            );
        }
        for public in [true, false] {
            let name = if public { "public" } else { "private" };
            w.single(
                m,
                "aws_route_table_association",
                name,
                &rta(env, n, public),
                &[
                    "module.network.aws_route_table.private",
                    "module.network.aws_route_table.public",
                    "module.network.aws_subnet.private",
                    "module.network.aws_subnet.public",
                ],
            );
        }
        w.single(m, "aws_route53_zone", "this", &zone(env, n), &vpc_dep);

        w.begin_resource(m, "aws_security_group", "this");
        for g in 0..s.groups {
            if drifted(env, Block::ServiceSg, group_index(n, g)) {
                drift += 1;
            }
            w.instance(
                Some(Value::from(format!("g{g:03}"))),
                &security_group(env, k, n, g, s.groups),
                &vpc_dep,
            );
        }
        w.end_resource();

        if s.instances > 0 {
            w.begin_resource(m, "aws_instance", "this");
            for i in 0..s.instances {
                if drifted(env, Block::ServiceInstance, idx(n, i)) {
                    drift += 1;
                }
                w.instance(
                    Some(Value::from(i)),
                    &instance(env, k, n, i, s.groups),
                    &[
                        "module.network.aws_security_group.this",
                        "module.network.aws_subnet.private",
                        "module.network.aws_vpc.this",
                    ],
                );
            }
            w.end_resource();
        }
        if s.records > 0 {
            w.begin_resource(m, "aws_route53_record", "this");
            for i in 0..s.records {
                if drifted(env, Block::ServiceRecord, idx(n, i)) {
                    drift += 1;
                }
                w.instance(
                    Some(Value::from(i)),
                    &record(env, k, n, i, s.instances),
                    &[
                        "module.network.aws_instance.this",
                        "module.network.aws_route53_zone.this",
                    ],
                );
            }
            w.end_resource();
        }
        if s.public_records > 0 {
            w.begin_resource(m, "aws_route53_record", "public");
            for i in 0..s.public_records {
                w.instance(Some(Value::from(i)), &public_record(env, n, i), &[]);
            }
            w.end_resource();
        }
    }

    let instances = w.finish();
    fs::rename(&tmp, path).unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
    Generated {
        instances,
        drifted: drift,
        only_here: ONLY_IN_ONE,
    }
}
