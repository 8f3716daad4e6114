//! Network lens tests.

use crate::model::Environment;

fn run(prod: &[(&str, &str)], staging: &[(&str, &str)]) -> Vec<String> {
    let mut envs = vec![
        Environment::for_tests("prod", prod),
        Environment::for_tests("staging", staging),
    ];
    for e in envs.iter_mut() {
        crate::normalize::add_reference_edges(e);
    }
    crate::compare_loaded(&envs, 0)
        .findings
        .iter()
        .filter(|f| {
            matches!(
                f.kind.as_str(),
                "subnet-layout" | "nat-layout" | "subnet-tier"
            )
        })
        .map(|f| {
            format!(
                "{} {} {}: {}",
                f.kind.as_str(),
                f.severity,
                f.address,
                f.message
            )
        })
        .collect()
}

/// A VPC with `n` subnets in zones a, b, c…; the first `public` are associated with a
/// route table that routes 0.0.0.0/0 to the internet gateway; NAT gateways in the
/// first `nats` subnets.
fn vpc(env: char, region: &str, n: usize, public: usize, nats: usize) -> Vec<(String, String)> {
    let mut out = vec![
        (
            "aws_vpc.main".to_string(),
            format!(r#"{{"id":"vpc-0{env}{env}{env}0001","cidr_block":"10.0.0.0/16"}}"#),
        ),
        (
            "aws_internet_gateway.main".to_string(),
            format!(r#"{{"id":"igw-0{env}{env}{env}0001","vpc_id":"vpc-0{env}{env}{env}0001"}}"#),
        ),
        (
            "aws_route_table.public".to_string(),
            format!(
                r#"{{"id":"rtb-0{env}{env}{env}0001","route":[{{"cidr_block":"0.0.0.0/0","gateway_id":"igw-0{env}{env}{env}0001"}}]}}"#
            ),
        ),
        (
            "aws_route_table.private".to_string(),
            format!(r#"{{"id":"rtb-0{env}{env}{env}0002","route":[]}}"#),
        ),
    ];
    for i in 0..n {
        let zone = (b'a' + i as u8) as char;
        out.push((
            format!("aws_subnet.s[{i}]"),
            format!(r#"{{"id":"subnet-0{env}{env}{env}000{i}","vpc_id":"vpc-0{env}{env}{env}0001","availability_zone":"{region}{zone}"}}"#),
        ));
        let table = if i < public { "0001" } else { "0002" };
        out.push((
            format!("aws_route_table_association.s[{i}]"),
            format!(r#"{{"id":"rtbassoc-0{env}{env}{env}000{i}","subnet_id":"subnet-0{env}{env}{env}000{i}","route_table_id":"rtb-0{env}{env}{env}{table}"}}"#),
        ));
        if i < nats {
            out.push((format!("aws_nat_gateway.n[{i}]"), format!(r#"{{"id":"nat-0{env}{env}{env}000{i}","subnet_id":"subnet-0{env}{env}{env}000{i}"}}"#)));
        }
    }
    out
}

fn refs(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
}

#[test]
fn the_same_layout_in_another_region_is_equal() {
    let (p, s) = (
        vpc('a', "us-east-1", 4, 2, 2),
        vpc('b', "eu-west-1", 4, 2, 2),
    );
    assert_eq!(run(&refs(&p), &refs(&s)), Vec::<String>::new());
}

#[test]
fn tiers_nat_zones_and_counts() {
    let p = vpc('a', "us-east-1", 4, 2, 2);
    // staging: subnet 2 is public, one NAT gateway
    let s = vpc('b', "eu-west-1", 4, 3, 1);
    assert_eq!(
        run(&refs(&p), &refs(&s)),
        [
            "subnet-tier high aws_subnet.s[2]: aws_subnet.s[2] is private in prod but public in staging (its route table routes 0.0.0.0/0 to the internet gateway).",
            "subnet-layout medium aws_vpc.main: aws_vpc.main differs in subnets: prod has 2 public, 2 private, staging has 3 public, 1 private.",
            "nat-layout medium aws_vpc.main: aws_vpc.main differs in zones with a NAT gateway: prod has 2 (a, b), staging has 1 (a).",
        ]
    );
}
