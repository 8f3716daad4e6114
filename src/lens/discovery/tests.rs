//! Discovery lens tests: zones, and registrations per provider form.
use crate::lens::testing::compare;
use crate::model::{Category, Kind};

#[test]
fn zone_visibility() -> crate::TestResult {
    let private = r#"{"id":"Z0AAA","name":"prod.internal","vpc":[{"vpc_id":"vpc-0aaa0001","vpc_region":"us-east-1"}]}"#;
    let public = r#"{"id":"Z0BBB","name":"staging.internal","vpc":[]}"#;
    let got: Vec<String> = compare(
        &[("aws_route53_zone.internal", private)],
        &[("aws_route53_zone.internal", public)],
    )?
    .iter()
    .filter(|f| f.kind == Kind::ZoneVisibility)
    .map(|f| format!("{} {}", f.severity, f.message))
    .collect();
    assert_eq!(
        got,
        ["high aws_route53_zone.internal is private in prod but public in staging."]
    );
    // GCP and Azure forms
    for (t, private, public) in [
        (
            "google_dns_managed_zone.z",
            r#"{"name":"internal","dns_name":"prod.internal.","visibility":"private","private_visibility_config":[{"networks":[{"network_url":"n"}]}]}"#,
            r#"{"name":"internal","dns_name":"staging.internal.","visibility":"public","private_visibility_config":[]}"#,
        ),
        (
            "azurerm_dns_zone.z",
            r#"{"name":"prod.example.com","zone_type":"Private"}"#,
            r#"{"name":"staging.example.com","zone_type":"Public"}"#,
        ),
    ] {
        let got: Vec<String> = compare(&[(t, private)], &[(t, public)])?
            .iter()
            .filter(|f| f.category == Category::Discovery)
            .map(|f| format!("{} {}", f.kind.as_str(), f.severity))
            .collect();
        assert_eq!(
            got,
            ["zone-visibility high"],
            "{t}: the visibility attributes are not repeated by the generic lens"
        );
    }
    let same = compare(
        &[("aws_route53_zone.internal", private)],
        &[("aws_route53_zone.internal", private)],
    )?;
    assert!(same.iter().all(|f| f.kind != Kind::ZoneVisibility));
    Ok(())
}

/// Every discovery finding, one line each.
fn discovery(prod: &[(&str, &str)], staging: &[(&str, &str)]) -> crate::TestResult<Vec<String>> {
    Ok(compare(prod, staging)?
        .iter()
        .filter(|f| f.category == Category::Discovery)
        .map(crate::lens::testing::line)
        .collect())
}

/// A Route 53 zone and what goes into it, for environment `env` in `region`.
fn route53(env: &str, id: &str, records: &[(&str, String)]) -> Vec<(String, String)> {
    let mut v = vec![
        (
            "aws_route53_zone.main".to_string(),
            format!(r#"{{"id":"Z0{id}","zone_id":"Z0{id}","name":"{env}.example.com"}}"#),
        ),
        (
            "aws_lb.web".to_string(),
            format!(
                r#"{{"id":"arn:aws:elasticloadbalancing:us-east-1:11111111111{id}:loadbalancer/app/web-{env}/50dc6c495c0c9188","arn":"arn:aws:elasticloadbalancing:us-east-1:11111111111{id}:loadbalancer/app/web-{env}/50dc6c495c0c9188","dns_name":"web-{env}-1234{id}.us-east-1.elb.amazonaws.com","internal":false}}"#
            ),
        ),
        (
            "aws_lb.internal".to_string(),
            format!(
                r#"{{"id":"arn:aws:elasticloadbalancing:us-east-1:11111111111{id}:loadbalancer/app/int-{env}/60dc6c495c0c9188","arn":"arn:aws:elasticloadbalancing:us-east-1:11111111111{id}:loadbalancer/app/int-{env}/60dc6c495c0c9188","dns_name":"internal-int-{env}-5678{id}.us-east-1.elb.amazonaws.com","internal":true}}"#
            ),
        ),
    ];
    for (address, attrs) in records {
        v.push((
            address.to_string(),
            attrs.replace("ZONE", &format!("Z0{id}")),
        ));
    }
    v
}

fn refs(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
}

fn record(name: &str, kind: &str, ttl: u32, records: &str) -> String {
    format!(
        r#"{{"id":"ZONE_{name}_{kind}","zone_id":"ZONE","name":"{name}","type":"{kind}","ttl":{ttl},"records":[{records}]}}"#
    )
}

fn alias(name: &str, target: &str) -> String {
    format!(
        r#"{{"id":"ZONE_{name}_A","zone_id":"ZONE","name":"{name}","type":"A","alias":[{{"name":"dualstack.{target}.","zone_id":"Z35SXDOTRQ7X7K","evaluate_target_health":true}}]}}"#
    )
}

#[test]
fn route53_records_by_name_type_ttl_and_target() -> crate::TestResult {
    let web_prod = "web-prod-12341.us-east-1.elb.amazonaws.com";
    let web_staging = "web-staging-12342.us-east-1.elb.amazonaws.com";
    let int_staging = "internal-int-staging-56782.us-east-1.elb.amazonaws.com";
    let prod = route53(
        "prod",
        "1",
        &[
            (
                "aws_route53_record.www",
                alias("www.prod.example.com", web_prod),
            ),
            (
                "aws_route53_record.api",
                record(
                    "api.prod.example.com",
                    "CNAME",
                    300,
                    r#""www.prod.example.com""#,
                ),
            ),
            (
                "aws_route53_record.mx",
                record(
                    "prod.example.com",
                    "MX",
                    3600,
                    r#""10 mx1.example.net","20 mx2.example.net""#,
                ),
            ),
        ],
    );
    // Planted non-differences: each environment's own domain, zone id, balancer ARN and
    // DNS name; the records written under other addresses, in another order, with the
    // alias in another case and without the final dot.
    let same = route53(
        "staging",
        "2",
        &[
            (
                r#"aws_route53_record.this["www"]"#,
                alias("WWW.staging.example.com.", &web_staging.to_uppercase()),
            ),
            (
                r#"aws_route53_record.this["api"]"#,
                record(
                    "api.staging.example.com",
                    "CNAME",
                    300,
                    r#""www.staging.example.com""#,
                ),
            ),
            (
                "aws_route53_record.mx",
                record(
                    "staging.example.com",
                    "MX",
                    3600,
                    r#""20 mx2.example.net","10 mx1.example.net""#,
                ),
            ),
        ],
    );
    assert_eq!(discovery(&refs(&prod), &refs(&same))?, Vec::<String>::new());
    // Planted differences: the alias goes to the internal balancer; the CNAME's TTL; the
    // MX record is gone and a TXT record is new.
    let other = route53(
        "staging",
        "2",
        &[
            (
                "aws_route53_record.www",
                alias("www.staging.example.com", int_staging),
            ),
            (
                "aws_route53_record.api",
                record(
                    "api.staging.example.com",
                    "CNAME",
                    60,
                    r#""www.staging.example.com""#,
                ),
            ),
            (
                "aws_route53_record.txt",
                record("staging.example.com", "TXT", 300, r#""v=spf1 -all""#),
            ),
        ],
    );
    assert_eq!(
        discovery(&refs(&prod), &refs(&other))?,
        [
            "record low aws_route53_record.api: DNS record api.prod.example.com CNAME (aws_route53_record.api): ttl 300 in prod but 60 in staging.",
            "missing medium aws_route53_record.mx: DNS record prod.example.com MX (aws_route53_record.mx) exists in prod but not in staging.",
            "missing medium aws_route53_record.txt: DNS record staging.example.com TXT (aws_route53_record.txt) exists in staging but not in prod.",
            "record medium aws_route53_record.www: DNS record www.prod.example.com A (aws_route53_record.www): targets alias aws_lb.web in prod but alias aws_lb.internal in staging.",
        ]
    );
    Ok(())
}

#[test]
fn weighted_records_align_by_set_identifier() -> crate::TestResult {
    let weighted = |env: &str, set: &str, weight: u32| {
        format!(
            r#"{{"id":"Z1_api_{set}","zone_id":"Z1","name":"api.{env}.example.com","type":"CNAME","ttl":60,"records":["{set}.{env}.example.com"],"set_identifier":"{set}","weighted_routing_policy":[{{"weight":{weight}}}]}}"#
        )
    };
    let prod = [
        ("aws_route53_record.blue", weighted("prod", "blue", 90)),
        ("aws_route53_record.green", weighted("prod", "green", 10)),
    ];
    let staging = [
        ("aws_route53_record.blue", weighted("staging", "blue", 50)),
        ("aws_route53_record.green", weighted("staging", "green", 50)),
    ];
    let r = |v: &[(&'static str, String)]| -> Vec<(String, String)> {
        v.iter().map(|(a, b)| (a.to_string(), b.clone())).collect()
    };
    let (p, s) = (r(&prod), r(&staging));
    let got = discovery(&refs(&p), &refs(&s))?;
    assert_eq!(
        got,
        [
            "record low aws_route53_record.blue: DNS record api.prod.example.com CNAME (aws_route53_record.blue): routing weighted weight=90 in prod but weighted weight=50 in staging.",
            "record low aws_route53_record.green: DNS record api.prod.example.com CNAME (aws_route53_record.green): routing weighted weight=10 in prod but weighted weight=50 in staging.",
        ]
    );
    Ok(())
}

#[test]
fn cloud_dns_and_azure_records_relative_to_their_zone() -> crate::TestResult {
    let gcp = |env: &str, project: &str, ip: &str, ttl: u32| {
        vec![
            (
                "google_compute_network.main".to_string(),
                format!(r#"{{"id":"projects/{project}/global/networks/main","name":"main"}}"#),
            ),
            (
                "google_compute_subnetwork.app".to_string(),
                format!(
                    r#"{{"id":"projects/{project}/regions/r/subnetworks/app","network":"projects/{project}/global/networks/main","ip_cidr_range":"{}"}}"#,
                    if env == "prod" {
                        "10.10.0.0/20"
                    } else {
                        "10.20.0.0/20"
                    }
                ),
            ),
            (
                "google_dns_managed_zone.internal".to_string(),
                format!(
                    r#"{{"id":"projects/{project}/managedZones/internal","name":"internal-{env}","dns_name":"{env}.internal.","visibility":"private"}}"#
                ),
            ),
            (
                "google_dns_record_set.db".to_string(),
                format!(
                    r#"{{"id":"projects/{project}/managedZones/internal/rrsets/db.{env}.internal./A","managed_zone":"internal-{env}","name":"db.{env}.internal.","type":"A","ttl":{ttl},"rrdatas":["{ip}"]}}"#
                ),
            ),
        ]
    };
    // The database at the same place in each environment's own address space.
    let prod = gcp("prod", "acme-prod", "10.10.0.5", 300);
    let same = gcp("staging", "acme-staging", "10.20.0.5", 300);
    assert_eq!(discovery(&refs(&prod), &refs(&same))?, Vec::<String>::new());
    let moved = gcp("staging", "acme-staging", "10.20.0.9", 300);
    assert_eq!(
        discovery(&refs(&prod), &refs(&moved))?,
        ["record medium google_dns_record_set.db: DNS record db.prod.internal A (google_dns_record_set.db): targets 10.10.0.5 in prod but 10.20.0.9 in staging."]
    );

    let azure = |env: &str, sub: &str, name: &str, cname: &str| {
        vec![
            (
                "azurerm_private_dns_zone.main".to_string(),
                format!(
                    r#"{{"id":"/subscriptions/{sub}/resourceGroups/rg-{env}/providers/Microsoft.Network/privateDnsZones/{env}.internal","name":"{env}.internal"}}"#
                ),
            ),
            (
                "azurerm_private_dns_cname_record.api".to_string(),
                format!(
                    r#"{{"id":"/subscriptions/{sub}/resourceGroups/rg-{env}/providers/Microsoft.Network/privateDnsZones/{env}.internal/CNAME/{name}","name":"{name}","zone_name":"{env}.internal","ttl":300,"record":"{cname}"}}"#
                ),
            ),
        ]
    };
    let prod = azure(
        "prod",
        "00000000-0000-0000-0000-000000000001",
        "api",
        "web.prod.internal",
    );
    let same = azure(
        "staging",
        "00000000-0000-0000-0000-000000000002",
        "api",
        "web.staging.internal",
    );
    assert_eq!(discovery(&refs(&prod), &refs(&same))?, Vec::<String>::new());
    let renamed = azure(
        "staging",
        "00000000-0000-0000-0000-000000000002",
        "api-v2",
        "web.staging.internal",
    );
    assert_eq!(
        discovery(&refs(&prod), &refs(&renamed))?,
        // One address, one row: the record is renamed, not missing both ways.
        ["record medium azurerm_private_dns_cname_record.api: DNS record api.prod.internal CNAME (azurerm_private_dns_cname_record.api): name api.prod.internal CNAME in prod but api-v2.staging.internal CNAME in staging."]
    );
    Ok(())
}

#[test]
fn services_in_registries() -> crate::TestResult {
    let cloud_map = |env: &str, id: &str, routing: &str, kind: &str| {
        vec![
            (
                "aws_vpc.main".to_string(),
                format!(r#"{{"id":"vpc-0{id}","cidr_block":"10.0.0.0/16"}}"#),
            ),
            (
                "aws_service_discovery_private_dns_namespace.main".to_string(),
                format!(r#"{{"id":"ns-{id}","name":"{env}.local","vpc":"vpc-0{id}"}}"#),
            ),
            (
                "aws_service_discovery_service.billing".to_string(),
                format!(
                    r#"{{"id":"srv-{id}","arn":"arn:aws:servicediscovery:us-east-1:1111:service/srv-{id}","name":"billing","dns_config":[{{"namespace_id":"ns-{id}","routing_policy":"{routing}","dns_records":[{{"ttl":10,"type":"{kind}"}}]}}],"health_check_custom_config":[{{"failure_threshold":1}}]}}"#
                ),
            ),
        ]
    };
    let prod = cloud_map("prod", "aaaa1111", "MULTIVALUE", "A");
    assert_eq!(
        discovery(
            &refs(&prod),
            &refs(&cloud_map("staging", "bbbb2222", "MULTIVALUE", "A"))
        )?,
        Vec::<String>::new()
    );
    assert_eq!(
        discovery(&refs(&prod), &refs(&cloud_map("staging", "bbbb2222", "WEIGHTED", "SRV")))?,
        ["service medium aws_service_discovery_service.billing: Cloud Map service billing (aws_service_discovery_service.billing): records ttl=10 type=A in prod but ttl=10 type=SRV in staging; routing MULTIVALUE in prod but WEIGHTED in staging."]
    );
    // Registered in prod only.
    let bare = &prod[..2];
    assert_eq!(
        discovery(&refs(&prod), &refs(bare))?,
        ["missing medium aws_service_discovery_service.billing: Cloud Map service billing (aws_service_discovery_service.billing) exists in prod but not in staging."]
    );

    let directory = |project: &str, port: u32| {
        vec![
            (
                "google_service_directory_namespace.main".to_string(),
                format!(
                    r#"{{"id":"projects/{project}/locations/us-central1/namespaces/apps","namespace_id":"apps","name":"projects/{project}/locations/us-central1/namespaces/apps"}}"#
                ),
            ),
            (
                "google_service_directory_service.api".to_string(),
                format!(
                    r#"{{"id":"projects/{project}/locations/us-central1/namespaces/apps/services/api","name":"projects/{project}/locations/us-central1/namespaces/apps/services/api","service_id":"api","namespace":"projects/{project}/locations/us-central1/namespaces/apps","metadata":{{"team":"core"}}}}"#
                ),
            ),
            (
                "google_service_directory_endpoint.api".to_string(),
                format!(
                    r#"{{"id":"projects/{project}/locations/us-central1/namespaces/apps/services/api/endpoints/primary","endpoint_id":"primary","service":"projects/{project}/locations/us-central1/namespaces/apps/services/api","address":"10.0.0.10","port":{port}}}"#
                ),
            ),
        ]
    };
    let prod = directory("acme-prod", 443);
    assert_eq!(
        discovery(&refs(&prod), &refs(&directory("acme-staging", 443)))?,
        Vec::<String>::new()
    );
    assert_eq!(
        discovery(&refs(&prod), &refs(&directory("acme-staging", 8443)))?,
        ["service medium google_service_directory_endpoint.api: Service Directory endpoint primary (google_service_directory_endpoint.api): port 443 in prod but 8443 in staging."]
    );
    Ok(())
}

#[test]
fn consul_and_kubernetes_services() -> crate::TestResult {
    let consul = |env: &str, port: u32, tags: &str| {
        format!(
            r#"{{"id":"web-{env}","name":"web","node":"node-{env}","port":{port},"tags":[{tags}],"meta":{{"team":"core","api_token":"s3cr3t-{env}-{port}"}},"check":[{{"check_id":"service:web","http":"http://web.{env}.internal:8080/health","interval":"10s","timeout":"2s","status":"passing"}}]}}"#
        )
    };
    let prod = consul("prod", 8080, r#""v1","blue""#);
    let same = consul("staging", 8080, r#""blue","v1""#);
    assert_eq!(
        discovery(
            &[("consul_service.web", &prod)],
            &[("consul_service.web", &same)]
        )?,
        Vec::<String>::new(),
        "a secret in meta differs by design and is never shown"
    );
    let other = consul("staging", 9090, r#""v1""#);
    let got = discovery(
        &[("consul_service.web", &prod)],
        &[("consul_service.web", &other)],
    )?;
    assert_eq!(
        got,
        ["service medium consul_service.web: Consul service web (consul_service.web): port 8080 in prod but 9090 in staging; tags blue, v1 in prod but v1 in staging."]
    );
    let found = compare(
        &[("consul_service.web", &prod)],
        &[("consul_service.web", &other)],
    )?;
    assert!(
        !format!("{found:?}").contains("s3cr3t"),
        "no secret in any finding"
    );

    let k8s = |ns: &str, kind: &str, selector: &str, target: u32| {
        format!(
            r#"{{"id":"{ns}/api","metadata":[{{"name":"api","namespace":"{ns}","uid":"u-{ns}"}}],"spec":[{{"type":"{kind}","cluster_ip":"172.20.0.{target}","selector":{{{selector}}},"port":[{{"name":"http","port":80,"target_port":"{target}","protocol":"TCP","node_port":0}}]}}]}}"#
        )
    };
    let prod = k8s("prod", "ClusterIP", r#""app":"api""#, 8080);
    let same = k8s("staging", "ClusterIP", r#""app":"api""#, 8080);
    let t = "kubernetes_service_v1.api";
    assert_eq!(
        discovery(&[(t, &prod)], &[(t, &same)])?,
        Vec::<String>::new()
    );
    let other = k8s(
        "staging",
        "ClusterIP",
        r#""app":"api","track":"canary""#,
        9090,
    );
    assert_eq!(
        discovery(&[(t, &prod)], &[(t, &other)])?,
        ["service medium kubernetes_service_v1.api: Kubernetes service prod/api (kubernetes_service_v1.api): ports http 80→8080/TCP in prod but http 80→9090/TCP in staging; selector app=api in prod but app=api track=canary in staging."]
    );
    // A type that exposes the service is the exposure lens's finding, said once.
    let exposed = k8s("staging", "LoadBalancer", r#""app":"api""#, 8080);
    let got: Vec<String> = compare(&[(t, &prod)], &[(t, &exposed)])?
        .iter()
        .map(|f| format!("{} {}", f.kind.as_str(), f.severity))
        .collect();
    assert_eq!(got, ["exposure high"]);
    Ok(())
}

#[test]
fn review_cases_secrets_misses_and_duplicates() -> crate::TestResult {
    // Secrets inside URLs and key=value pairs are neither shown nor compared.
    let consul = |pw: &str| {
        format!(
            r#"{{"id":"pay","name":"payments","node":"n1","port":8443,"meta":{{"upstream":"postgres://app:{pw}@db/pay"}},"check":[{{"http":"https://ops:{pw}@pay.internal/health?access_token={pw}","interval":"10s"}}]}}"#
        )
    };
    let (a, b) = (consul("PW-one"), consul("PW-two"));
    let found = compare(&[("consul_service.pay", &a)], &[("consul_service.pay", &b)])?;
    assert!(found.is_empty(), "{found:?}");
    let c = consul("PW-one").replace("10s", "30s");
    let found = compare(&[("consul_service.pay", &a)], &[("consul_service.pay", &c)])?;
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(!format!("{found:?}").contains("PW-one"), "{found:?}");

    // Attributes the registry does not compare stay with the generic lens.
    let k8s = |scheme: &str, ranges: &str| {
        format!(
            r#"{{"metadata":[{{"name":"web","namespace":"default","annotations":{{"service.beta.kubernetes.io/aws-load-balancer-scheme":"{scheme}"}}}}],"spec":[{{"type":"LoadBalancer","cluster_ip":"172.20.1.1","session_affinity":"None","load_balancer_source_ranges":[{ranges}],"port":[{{"port":443,"target_port":"8443","protocol":"TCP"}}]}}]}}"#
        )
    };
    let t = "kubernetes_service_v1.web";
    let got = discovery(
        &[(t, &k8s("internal", r#""10.0.0.0/8""#))],
        &[(t, &k8s("internet-facing", r#""0.0.0.0/0""#))],
    )?;
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(
        got[0].starts_with("attribute") && got[0].contains("aws-load-balancer-scheme"),
        "{got:?}"
    );
    assert!(
        got[1].starts_with("service medium") && got[1].contains("source ranges"),
        "{got:?}"
    );

    // Two registrations of one name in one environment (two clusters) are both compared.
    let svc = |port: u32| {
        format!(
            r#"{{"metadata":[{{"name":"api","namespace":"default"}}],"spec":[{{"type":"ClusterIP","port":[{{"port":{port}}}]}}]}}"#
        )
    };
    let (p80, p81) = (svc(80), svc(81));
    let got = discovery(
        &[
            ("kubernetes_service_v1.east", &p80),
            ("kubernetes_service_v1.west", &p80),
        ],
        &[
            ("kubernetes_service_v1.east", &p80),
            ("kubernetes_service_v1.west", &p81),
        ],
    )?;
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].contains("kubernetes_service_v1.west")
            && got[0].contains("80→80/TCP in prod but 81→81/TCP"),
        "{got:?}"
    );
    Ok(())
}

#[test]
fn routing_policies_compare_whole() -> crate::TestResult {
    let gcp = |w: &str| {
        format!(
            r#"{{"name":"api.prod.internal.","type":"A","ttl":60,"managed_zone":"z","rrdatas":[],"routing_policy":[{{"wrr":[{{"weight":{w},"rrdatas":["10.0.0.5"]}},{{"weight":0.2,"rrdatas":["10.0.0.6"]}}],"geo":[]}}]}}"#
        )
    };
    let (a, b) = (gcp("0.8"), gcp("0.5"));
    let got = discovery(
        &[("google_dns_record_set.api", &a)],
        &[("google_dns_record_set.api", &b)],
    )?;
    assert!(
        got.len() == 1 && got[0].contains("weight=0.8") && got[0].contains("weight=0.5"),
        "{got:?}"
    );
    let r53 = |loc: &str| {
        format!(
            r#"{{"zone_id":"Z1","name":"api.example.com","type":"A","ttl":60,"records":["192.0.2.1"],"set_identifier":"office","cidr_routing_policy":[{{"collection_id":"c-1","location_name":"{loc}"}}]}}"#
        )
    };
    let (a, b) = (r53("office"), r53("branch"));
    let got = discovery(
        &[("aws_route53_record.api", &a)],
        &[("aws_route53_record.api", &b)],
    )?;
    assert!(
        got.len() == 1 && got[0].contains("location_name=branch"),
        "{got:?}"
    );
    Ok(())
}

#[test]
fn a_service_directory_network_named_by_project_number_is_the_network() -> crate::TestResult {
    let env = |name: &str, number: &str| {
        vec![
            (
                "google_compute_network.main".to_string(),
                format!(
                    r#"{{"id":"projects/acme-{name}/global/networks/{name}-net","name":"{name}-net"}}"#
                ),
            ),
            (
                "google_service_directory_endpoint.api".to_string(),
                format!(
                    r#"{{"endpoint_id":"primary","service":"s","port":443,"network":"projects/{number}/locations/global/networks/{name}-net"}}"#
                ),
            ),
        ]
    };
    let (p, s) = (env("prod", "1111"), env("staging", "2222"));
    assert_eq!(discovery(&refs(&p), &refs(&s))?, Vec::<String>::new());
    Ok(())
}

#[test]
fn a_record_at_one_address_is_one_row_whatever_its_name() -> crate::TestResult {
    // The zone is not in either state (another stack owns it), so names cannot be made
    // relative to it; each environment has its own domain, undeclared.
    let at = |name: &str, zone: &str| {
        format!(
            r#"{{"id":"{zone}_{name}_CNAME","zone_id":"{zone}","name":"{name}","type":"CNAME","ttl":300,"records":["lb.{name}"]}}"#
        )
    };
    let prod = at("www.example.com", "Z0PRODZONE1111");
    let staging = at("www.example-sandbox.net", "Z0STAGZONE2222");
    let found = discovery(
        &[("aws_route53_record.www", &prod)],
        &[("aws_route53_record.www", &staging)],
    )?;
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].contains("record") && !found[0].contains("missing"),
        "{found:#?}"
    );
    assert!(found[0].contains("name"), "{found:#?}");
    // Two records at two addresses are still two registrations.
    let found = discovery(
        &[("aws_route53_record.www", &prod)],
        &[("aws_route53_record.api", &staging)],
    )?;
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found.iter().all(|f| f.contains("missing")), "{found:#?}");
    Ok(())
}

#[test]
fn two_records_at_one_logical_address_are_each_reported() -> crate::TestResult {
    // Staging's keys `staging` and `stg` both read as the environment: neither takes
    // prod's record's place, so neither is lost.
    let at = |name: &str| {
        format!(
            r#"{{"id":"Z0ZONE_{name}_CNAME","zone_id":"Z0ZONE11111111","name":"{name}","type":"CNAME","ttl":300,"records":["x.{name}"]}}"#
        )
    };
    let (a, b, c) = (
        at("alpha.example.com"),
        at("beta.example.org"),
        at("gamma.example.org"),
    );
    let found = discovery(
        &[(r#"aws_route53_record.r["prod"]"#, &a)],
        &[
            (r#"aws_route53_record.r["staging"]"#, &b),
            (r#"aws_route53_record.r["stg"]"#, &c),
        ],
    )?;
    let all = found.join("\n");
    assert!(
        all.contains("beta.example.org") && all.contains("gamma.example.org"),
        "{all}"
    );
    Ok(())
}

#[test]
fn a_name_that_is_only_the_environment_is_its_apex() -> crate::TestResult {
    // One zone for all environments: prod at its apex, staging at `staging.`.
    let zone = r#"{"id":"Z0SHARED","zone_id":"Z0SHARED","name":"example.gov"}"#;
    let rec = |name: &str| {
        format!(
            r#"{{"id":"Z0SHARED_{name}_TXT","zone_id":"Z0SHARED","name":"{name}","type":"TXT","ttl":300,"records":["v=spf1 -all"]}}"#
        )
    };
    let found = discovery(
        &[
            ("aws_route53_zone.z", zone),
            ("aws_route53_record.spf", &rec("example.gov")),
        ],
        &[
            ("aws_route53_zone.z", zone),
            ("aws_route53_record.spf", &rec("staging.example.gov")),
        ],
    )?;
    assert!(found.is_empty(), "{found:#?}");
    // A record named for another environment is not the apex (prod's zone holding a
    // `staging` record beside its own apex).
    let found = discovery(
        &[
            ("aws_route53_zone.z", zone),
            ("aws_route53_record.spf", &rec("example.gov")),
            ("aws_route53_record.other", &rec("staging.example.gov")),
        ],
        &[
            ("aws_route53_zone.z", zone),
            ("aws_route53_record.spf", &rec("staging.example.gov")),
        ],
    )?;
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].contains("aws_route53_record.other"), "{found:#?}");
    // Another label is another name.
    let found = discovery(
        &[
            ("aws_route53_zone.z", zone),
            ("aws_route53_record.spf", &rec("example.gov")),
        ],
        &[
            ("aws_route53_zone.z", zone),
            ("aws_route53_record.spf", &rec("mail.example.gov")),
        ],
    )?;
    assert_eq!(found.len(), 1, "{found:#?}");
    Ok(())
}
