//! Network lens tests.

use crate::lens::testing::{compare, line};
use crate::model::Environment;

/// The subnet-layout, NAT-layout and subnet-tier findings, one [`line`] each.
fn run(prod: &[(&str, &str)], staging: &[(&str, &str)]) -> crate::TestResult<Vec<String>> {
    Ok(compare(prod, staging)?
        .iter()
        .filter(|f| {
            matches!(
                f.kind.as_str(),
                "subnet-layout" | "nat-layout" | "subnet-tier"
            )
        })
        .map(line)
        .collect())
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
fn the_same_layout_in_another_region_is_equal() -> crate::TestResult {
    let (p, s) = (
        vpc('a', "us-east-1", 4, 2, 2),
        vpc('b', "eu-west-1", 4, 2, 2),
    );
    assert_eq!(run(&refs(&p), &refs(&s))?, Vec::<String>::new());
    Ok(())
}

#[test]
fn tiers_nat_zones_and_counts() -> crate::TestResult {
    let p = vpc('a', "us-east-1", 4, 2, 2);
    // staging: subnet 2 is public, one NAT gateway
    let s = vpc('b', "eu-west-1", 4, 3, 1);
    assert_eq!(
        run(&refs(&p), &refs(&s))?,
        [
            "subnet-tier high aws_subnet.s[2]: aws_subnet.s[2] is private in prod but public in staging (its route table routes 0.0.0.0/0 to the internet gateway).",
            "subnet-layout medium aws_vpc.main: aws_vpc.main differs in subnets: prod has 2 public, 2 private, staging has 3 public, 1 private.",
            "nat-layout medium aws_vpc.main: aws_vpc.main differs in where NAT stands (zones, regions or subnets): prod has 2 (a, b), staging has 1 (a).",
        ]
    );
    Ok(())
}

#[test]
fn gcp_cloud_nat_per_region_and_azure_nat_per_subnet() -> crate::TestResult {
    let gcp = |env: &str, regions: &[&str]| -> Vec<(String, String)> {
        let mut v = vec![(
            "google_compute_network.main".to_string(),
            format!(
                r#"{{"id":"projects/acme-{env}/global/networks/main","name":"main","self_link":"https://www.googleapis.com/compute/v1/projects/acme-{env}/global/networks/main"}}"#
            ),
        )];
        for (i, r) in regions.iter().enumerate() {
            v.push((
                format!("google_compute_router.r[{i}]"),
                format!(r#"{{"id":"projects/acme-{env}/regions/{r}/routers/rt{i}","name":"rt{i}","region":"{r}","network":"https://www.googleapis.com/compute/v1/projects/acme-{env}/global/networks/main"}}"#),
            ));
            v.push((
                format!("google_compute_router_nat.n[{i}]"),
                format!(r#"{{"id":"{r}/rt{i}/nat","name":"nat","router":"rt{i}","region":"{r}"}}"#),
            ));
        }
        v
    };
    let (p, s) = (
        gcp("prod", &["us-central1", "europe-west1"]),
        gcp("staging", &["us-east1"]),
    );
    let got = run(&refs(&p), &refs(&s))?;
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].starts_with("nat-layout medium google_compute_network.main")
            && got[0].contains("prod has 2 (europe-west1, us-central1), staging has 1 (us-east1)"),
        "{got:?}"
    );
    let (p, s) = (
        gcp("prod", &["us-central1"]),
        gcp("staging", &["europe-west1"]),
    );
    assert_eq!(run(&refs(&p), &refs(&s))?, Vec::<String>::new());

    let azure = |env: &str, nat: &[usize]| -> Vec<(String, String)> {
        let sub = |i: usize| {
            format!("/subscriptions/x/resourceGroups/rg-{env}/providers/Microsoft.Network/virtualNetworks/vnet-{env}/subnets/s{i}")
        };
        let mut v = vec![(
            "azurerm_virtual_network.main".to_string(),
            format!(
                r#"{{"id":"/subscriptions/x/resourceGroups/rg-{env}/providers/Microsoft.Network/virtualNetworks/vnet-{env}","name":"vnet-{env}","address_space":["10.0.0.0/16"]}}"#
            ),
        )];
        for i in 0..2 {
            v.push((format!("azurerm_subnet.s[{i}]"), format!(r#"{{"id":"{}","name":"s{i}","virtual_network_name":"vnet-{env}","address_prefixes":["10.0.{i}.0/24"]}}"#, sub(i))));
        }
        for &i in nat {
            v.push((
                format!("azurerm_subnet_nat_gateway_association.a[{i}]"),
                format!(r#"{{"id":"{}","subnet_id":"{}"}}"#, sub(i), sub(i)),
            ));
        }
        v
    };
    let (p, s) = (azure("prod", &[0, 1]), azure("staging", &[0]));
    let got: Vec<String> = run(&refs(&p), &refs(&s))?
        .into_iter()
        .filter(|f| f.starts_with("nat-layout"))
        .collect();
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].contains("prod has 2 (subnet azurerm_subnet.s[0], subnet azurerm_subnet.s[1]), staging has 1 (subnet azurerm_subnet.s[0])"), "{got:?}");
    Ok(())
}

#[test]
fn routes_by_destination_whatever_wrote_them() -> crate::TestResult {
    let base = |env: char| -> Vec<(String, String)> {
        vec![
            (
                "aws_vpc.main".into(),
                format!(r#"{{"id":"vpc-0{env}{env}{env}0001","cidr_block":"10.0.0.0/16"}}"#),
            ),
            (
                "aws_nat_gateway.a".into(),
                format!(r#"{{"id":"nat-0{env}{env}{env}0001"}}"#),
            ),
            (
                "aws_nat_gateway.b".into(),
                format!(r#"{{"id":"nat-0{env}{env}{env}0002"}}"#),
            ),
        ]
    };
    // prod: inline route to NAT a; staging: the same route as an aws_route resource
    let mut p = base('a');
    p.push(("aws_route_table.private".into(), r#"{"id":"rtb-0aaa0001","route":[{"cidr_block":"0.0.0.0/0","nat_gateway_id":"nat-0aaa0001"},{"cidr_block":"10.0.5.0/24","gateway_id":"local"}]}"#.into()));
    let mut s = base('b');
    s.push((
        "aws_route_table.private".into(),
        r#"{"id":"rtb-0bbb0001","route":[{"cidr_block":"10.0.5.0/24","gateway_id":"local"}]}"#
            .into(),
    ));
    s.push(("aws_route.default".into(), r#"{"id":"r-1","route_table_id":"rtb-0bbb0001","destination_cidr_block":"0.0.0.0/0","nat_gateway_id":"nat-0bbb0001"}"#.into()));
    let all = |p: &[(String, String)], s: &[(String, String)]| -> crate::TestResult<Vec<String>> {
        Ok(compare(&refs(p), &refs(s))?
            .iter()
            .map(|f| format!("{} {} {}", f.kind.as_str(), f.severity, f.message))
            .collect())
    };
    assert_eq!(all(&p, &s)?, Vec::<String>::new());
    // staging's route goes to the other NAT gateway
    s.pop();
    s.push(("aws_route.default".into(), r#"{"id":"r-1","route_table_id":"rtb-0bbb0001","destination_cidr_block":"0.0.0.0/0","nat_gateway_id":"nat-0bbb0002"}"#.into()));
    assert_eq!(
        all(&p, &s)?,
        ["route medium Route 0.0.0.0/0 in aws_route_table.private goes to NAT gateway aws_nat_gateway.a in prod but to NAT gateway aws_nat_gateway.b in staging."]
    );
    // Reported on the table, it names what writes the route in each environment: the
    // table's inline block in prod, the `aws_route` in staging.
    let got = compare(&refs(&p), &refs(&s))?;
    let writers: Vec<String> = got
        .iter()
        .flat_map(|f| &f.resources)
        .map(|(e, rs)| {
            format!(
                "{e}: {}",
                rs.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
        .collect();
    assert_eq!(
        writers,
        [
            "prod: aws_route_table.private",
            "staging: aws_route.default"
        ]
    );
    // Inline in both: the table alone writes it, nothing more to name.
    let mut s2 = base('b');
    s2.push(("aws_route_table.private".into(), r#"{"id":"rtb-0bbb0001","route":[{"cidr_block":"0.0.0.0/0","nat_gateway_id":"nat-0bbb0002"},{"cidr_block":"10.0.5.0/24","gateway_id":"local"}]}"#.into()));
    let got = compare(&refs(&p), &refs(&s2))?;
    assert!(got.len() == 1 && got[0].resources.is_empty(), "{got:?}");
    Ok(())
}

#[test]
fn azure_routes_by_next_hop() -> crate::TestResult {
    let rt = |hop: &str, ip: &str| {
        format!(
            r#"{{"id":"/subscriptions/x/rt","name":"rt","route":[{{"name":"default","address_prefix":"0.0.0.0/0","next_hop_type":"{hop}","next_hop_in_ip_address":"{ip}"}}]}}"#
        )
    };
    let envs = [
        Environment::for_tests(
            "prod",
            &[(
                "azurerm_route_table.app",
                &rt("VirtualAppliance", "10.50.255.4"),
            )],
        )?,
        Environment::for_tests(
            "staging",
            &[("azurerm_route_table.app", &rt("Internet", ""))],
        )?,
    ];
    let got: Vec<String> = crate::compare_loaded(&envs, 0)
        .findings
        .iter()
        .map(|f| format!("{} {} {}", f.kind.as_str(), f.severity, f.message))
        .collect();
    assert_eq!(got, ["route high Route 0.0.0.0/0 in azurerm_route_table.app goes to VirtualAppliance 10.50.255.4 in prod but to Internet in staging."]);
    Ok(())
}

#[test]
fn endpoints_and_peerings_per_network() -> crate::TestResult {
    let net = |env: char, region: &str, services: &[&str], peer: bool| -> Vec<(String, String)> {
        let mut v = vec![(
            "aws_vpc.main".to_string(),
            format!(r#"{{"id":"vpc-0{env}{env}{env}0001","cidr_block":"10.0.0.0/16"}}"#),
        )];
        for (i, s) in services.iter().enumerate() {
            v.push((
                format!("aws_vpc_endpoint.e[{i}]"),
                format!(r#"{{"id":"vpce-0{env}{env}{env}000{i}","vpc_id":"vpc-0{env}{env}{env}0001","service_name":"com.amazonaws.{region}.{s}"}}"#),
            ));
        }
        if peer {
            v.push((
                "aws_vpc_peering_connection.shared".to_string(),
                format!(r#"{{"id":"pcx-0{env}{env}{env}0001","vpc_id":"vpc-0{env}{env}{env}0001","peer_vpc_id":"vpc-0fff0001"}}"#),
            ));
        }
        v
    };
    let p = net('a', "us-east-1", &["s3", "dynamodb"], true);
    let same = net('b', "eu-west-1", &["s3", "dynamodb"], true);
    assert_eq!(
        run_kind(&refs(&p), &refs(&same), "network-links")?,
        Vec::<String>::new()
    );
    let less = net('b', "eu-west-1", &["s3"], false);
    let got = run_kind(&refs(&p), &refs(&less), "network-links")?;
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].starts_with("network-links medium aws_vpc.main")
            && got[0].contains("staging has endpoint com.amazonaws.{region}.s3."),
        "{got:?}"
    );
    Ok(())
}

/// The findings of one kind, one [`line`] each.
fn run_kind(
    prod: &[(&str, &str)],
    staging: &[(&str, &str)],
    kind: &str,
) -> crate::TestResult<Vec<String>> {
    Ok(compare(prod, staging)?
        .iter()
        .filter(|f| f.kind.as_str() == kind)
        .map(line)
        .collect())
}

#[test]
fn aws_default_route_moved_to_the_internet_gateway_is_high() -> crate::TestResult {
    let table = |target: &str| {
        format!(r#"{{"id":"rtb-1","route":[{{"cidr_block":"0.0.0.0/0",{target}}}]}}"#)
    };
    let nat = table(r#""nat_gateway_id":"nat-0aaa0001""#);
    let igw = table(r#""gateway_id":"igw-0aaa0001""#);
    let got = run_kind(
        &[("aws_route_table.private", &nat)],
        &[("aws_route_table.private", &igw)],
        "route",
    )?;
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].starts_with("route high "), "{got:?}");
    assert!(got[0].contains("internet gateway"), "{got:?}");
    // The other way round nothing is newly exposed.
    let back = run_kind(
        &[("aws_route_table.private", &igw)],
        &[("aws_route_table.private", &nat)],
        "route",
    )?;
    assert_eq!(back.len(), 1, "{back:?}");
    assert!(back[0].starts_with("route medium "), "{back:?}");
    Ok(())
}

#[test]
fn gcp_route_to_the_default_internet_gateway_is_high() -> crate::TestResult {
    let route = |project: &str, hop: &str| {
        format!(
            r#"{{"id":"projects/{project}/global/routes/egress","name":"egress","network":"https://www.googleapis.com/compute/v1/projects/{project}/global/networks/main","dest_range":"0.0.0.0/0","priority":1000,{hop}}}"#
        )
    };
    let gateway = |project: &str| {
        format!(
            r#""next_hop_gateway":"https://www.googleapis.com/compute/v1/projects/{project}/global/gateways/default-internet-gateway""#
        )
    };
    let network = |project: &str| {
        format!(
            r#"{{"id":"projects/{project}/global/networks/main","name":"main","self_link":"https://www.googleapis.com/compute/v1/projects/{project}/global/networks/main"}}"#
        )
    };
    let env = |project: &str, hop: &str| {
        vec![
            ("google_compute_network.main".to_string(), network(project)),
            (
                "google_compute_route.egress".to_string(),
                route(project, hop),
            ),
        ]
    };
    let appliance = r#""next_hop_ip":"10.0.0.5""#;
    let prod = env("acme-prod", &gateway("acme-prod"));
    // Each project's own gateway URL is the same way out.
    let same = env("acme-staging", &gateway("acme-staging"));
    assert_eq!(
        run_kind(&refs(&prod), &refs(&same), "route")?,
        Vec::<String>::new()
    );
    let inside = env("acme-prod", appliance);
    let got = run_kind(&refs(&inside), &refs(&prod), "route")?;
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].starts_with("route high google_compute_network.main")
            && got[0].contains("to internet gateway default-internet-gateway in staging"),
        "{got:?}"
    );
    let back = run_kind(&refs(&prod), &refs(&inside), "route")?;
    assert!(
        back.len() == 1 && back[0].starts_with("route medium "),
        "{back:?}"
    );
    Ok(())
}

#[test]
fn gcp_and_azure_peerings_and_gateways_per_network() -> crate::TestResult {
    let gcp = |project: &str, peer: bool, vpn: bool| {
        let net = format!("projects/{project}/global/networks/main");
        let mut v = vec![(
            "google_compute_network.main".to_string(),
            format!(
                r#"{{"id":"{net}","name":"main","self_link":"https://www.googleapis.com/compute/v1/{net}"}}"#
            ),
        )];
        if peer {
            v.push((
                "google_compute_network_peering.hub".to_string(),
                format!(r#"{{"id":"main/hub","name":"to-hub","network":"https://www.googleapis.com/compute/v1/{net}","peer_network":"https://www.googleapis.com/compute/v1/projects/acme-hub/global/networks/hub"}}"#),
            ));
        }
        if vpn {
            v.push((
                "google_compute_ha_vpn_gateway.onprem".to_string(),
                format!(r#"{{"id":"projects/{project}/regions/r/vpnGateways/onprem","name":"onprem","network":"https://www.googleapis.com/compute/v1/{net}"}}"#),
            ));
        }
        v
    };
    let prod = gcp("acme-prod", true, true);
    assert_eq!(
        run_kind(
            &refs(&prod),
            &refs(&gcp("acme-staging", true, true)),
            "network-links"
        )?,
        Vec::<String>::new()
    );
    let got = run_kind(
        &refs(&prod),
        &refs(&gcp("acme-staging", false, false)),
        "network-links",
    )?;
    assert!(
        got.len() == 1
            && got[0].starts_with("network-links medium google_compute_network.main")
            && got[0].contains("VPN gateway")
            && got[0].contains("peering to"),
        "{got:?}"
    );

    let azure = |sub: &str, env: &str, gateway: Option<&str>| {
        let rg =
            format!("/subscriptions/{sub}/resourceGroups/rg-{env}/providers/Microsoft.Network");
        let mut v = vec![
            (
                "azurerm_virtual_network.main".to_string(),
                format!(
                    r#"{{"id":"{rg}/virtualNetworks/vnet-{env}","name":"vnet-{env}","address_space":["10.0.0.0/16"]}}"#
                ),
            ),
            (
                "azurerm_subnet.gateway".to_string(),
                format!(
                    r#"{{"id":"{rg}/virtualNetworks/vnet-{env}/subnets/GatewaySubnet","name":"GatewaySubnet","virtual_network_name":"vnet-{env}","address_prefixes":["10.0.255.0/27"]}}"#
                ),
            ),
            (
                "azurerm_virtual_network_peering.hub".to_string(),
                format!(
                    r#"{{"id":"{rg}/virtualNetworks/vnet-{env}/virtualNetworkPeerings/to-hub","name":"to-hub","virtual_network_name":"vnet-{env}","remote_virtual_network_id":"/subscriptions/99999999-0000-0000-0000-000000000000/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub"}}"#
                ),
            ),
        ];
        if let Some(kind) = gateway {
            v.push((
                "azurerm_virtual_network_gateway.onprem".to_string(),
                format!(r#"{{"id":"{rg}/virtualNetworkGateways/gw-{env}","name":"gw-{env}","type":"{kind}","ip_configuration":[{{"name":"default","subnet_id":"{rg}/virtualNetworks/vnet-{env}/subnets/GatewaySubnet"}}]}}"#),
            ));
        }
        v
    };
    let prod = azure("00000000-0000-0000-0000-000000000001", "prod", Some("Vpn"));
    let same = azure(
        "00000000-0000-0000-0000-000000000002",
        "staging",
        Some("Vpn"),
    );
    assert_eq!(
        run_kind(&refs(&prod), &refs(&same), "network-links")?,
        Vec::<String>::new()
    );
    let other = azure(
        "00000000-0000-0000-0000-000000000002",
        "staging",
        Some("ExpressRoute"),
    );
    let got = run_kind(&refs(&prod), &refs(&other), "network-links")?;
    assert!(
        got.len() == 1
            && got[0].starts_with("network-links medium azurerm_virtual_network.main")
            && got[0].contains("ExpressRoute gateway"),
        "{got:?}"
    );
    Ok(())
}
