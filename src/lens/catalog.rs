//! Which lens a resource type belongs to: a table of type patterns (exact names, or
//! prefixes ending in `*`), longest pattern winning. Types nobody claims are `resource`.

use crate::model::Category;

/// `(pattern, category)`. A pattern ending in `*` matches every type with that prefix.
pub const TYPE_CATEGORIES: &[(&str, Category)] = &[
    // ---- AWS networking
    ("aws_vpc", Category::Network),
    ("aws_vpc_*", Category::Network),
    ("aws_default_vpc", Category::Network),
    ("aws_subnet", Category::Network),
    ("aws_default_subnet", Category::Network),
    ("aws_route", Category::Network),
    ("aws_route_table", Category::Network),
    ("aws_route_table_association", Category::Network),
    ("aws_main_route_table_association", Category::Network),
    ("aws_default_route_table", Category::Network),
    ("aws_internet_gateway*", Category::Network),
    ("aws_egress_only_internet_gateway", Category::Network),
    ("aws_nat_gateway", Category::Network),
    ("aws_eip", Category::Network),
    ("aws_eip_association", Category::Network),
    ("aws_network_interface*", Category::Network),
    ("aws_ec2_transit_gateway*", Category::Network),
    ("aws_vpn_*", Category::Network),
    ("aws_customer_gateway", Category::Network),
    ("aws_dx_*", Category::Network),
    ("aws_lb", Category::Network),
    ("aws_alb", Category::Network),
    ("aws_elb", Category::Network),
    ("aws_lb_*", Category::Network),
    ("aws_alb_*", Category::Network),
    ("aws_elb_*", Category::Network),
    ("aws_globalaccelerator_*", Category::Network),
    ("aws_ec2_managed_prefix_list*", Category::Network),
    ("aws_flow_log", Category::Network),
    // ---- AWS firewall (more specific than aws_vpc_*)
    ("aws_security_group", Category::Firewall),
    ("aws_security_group_rule", Category::Firewall),
    ("aws_default_security_group", Category::Firewall),
    ("aws_vpc_security_group_*", Category::Firewall),
    ("aws_network_acl*", Category::Firewall),
    ("aws_default_network_acl", Category::Firewall),
    ("aws_wafv2_*", Category::Firewall),
    ("aws_waf_*", Category::Firewall),
    ("aws_wafregional_*", Category::Firewall),
    ("aws_networkfirewall_*", Category::Firewall),
    ("aws_shield_*", Category::Firewall),
    // ---- AWS discovery
    ("aws_route53_*", Category::Discovery),
    ("aws_service_discovery_*", Category::Discovery),
    ("aws_vpc_dhcp_options*", Category::Discovery),
    // ---- GCP
    ("google_compute_network", Category::Network),
    ("google_compute_network_peering*", Category::Network),
    ("google_compute_shared_vpc_*", Category::Network),
    ("google_compute_subnetwork", Category::Network),
    ("google_compute_route", Category::Network),
    ("google_compute_router*", Category::Network),
    ("google_compute_address", Category::Network),
    ("google_compute_global_address", Category::Network),
    ("google_compute_vpn_*", Category::Network),
    ("google_compute_ha_vpn_gateway", Category::Network),
    ("google_compute_external_vpn_gateway", Category::Network),
    ("google_compute_forwarding_rule", Category::Network),
    ("google_compute_global_forwarding_rule", Category::Network),
    ("google_compute_backend_service", Category::Network),
    ("google_compute_region_backend_service", Category::Network),
    ("google_compute_backend_bucket", Category::Network),
    ("google_compute_url_map", Category::Network),
    ("google_compute_region_url_map", Category::Network),
    ("google_compute_target_*", Category::Network),
    ("google_compute_region_target_*", Category::Network),
    ("google_compute_ssl_policy", Category::Network),
    ("google_compute_interconnect_*", Category::Network),
    ("google_service_networking_connection", Category::Network),
    ("google_network_connectivity_*", Category::Network),
    ("google_vpc_access_connector", Category::Network),
    ("google_compute_firewall", Category::Firewall),
    ("google_compute_firewall_policy*", Category::Firewall),
    (
        "google_compute_network_firewall_policy*",
        Category::Firewall,
    ),
    (
        "google_compute_region_network_firewall_policy*",
        Category::Firewall,
    ),
    ("google_compute_security_policy", Category::Firewall),
    ("google_compute_security_policy_rule", Category::Firewall),
    ("google_compute_region_security_policy*", Category::Firewall),
    ("google_dns_*", Category::Discovery),
    ("google_service_directory_*", Category::Discovery),
    // ---- Azure
    ("azurerm_virtual_network", Category::Network),
    ("azurerm_virtual_network_*", Category::Network),
    ("azurerm_subnet", Category::Network),
    ("azurerm_subnet_route_table_association", Category::Network),
    ("azurerm_subnet_nat_gateway_association", Category::Network),
    ("azurerm_route_table", Category::Network),
    ("azurerm_route", Category::Network),
    ("azurerm_nat_gateway*", Category::Network),
    ("azurerm_public_ip*", Category::Network),
    ("azurerm_virtual_wan", Category::Network),
    ("azurerm_virtual_hub*", Category::Network),
    ("azurerm_local_network_gateway", Category::Network),
    ("azurerm_express_route_*", Category::Network),
    ("azurerm_lb", Category::Network),
    ("azurerm_lb_*", Category::Network),
    ("azurerm_application_gateway", Category::Network),
    ("azurerm_private_endpoint", Category::Network),
    ("azurerm_private_link_service", Category::Network),
    ("azurerm_network_interface", Category::Network),
    ("azurerm_network_interface_*", Category::Network),
    ("azurerm_frontdoor*", Category::Network),
    ("azurerm_cdn_frontdoor_*", Category::Network),
    ("azurerm_network_security_group", Category::Firewall),
    ("azurerm_network_security_rule", Category::Firewall),
    (
        "azurerm_subnet_network_security_group_association",
        Category::Firewall,
    ),
    (
        "azurerm_network_interface_security_group_association",
        Category::Firewall,
    ),
    ("azurerm_application_security_group", Category::Firewall),
    ("azurerm_firewall*", Category::Firewall),
    (
        "azurerm_web_application_firewall_policy",
        Category::Firewall,
    ),
    // Front Door's WAF policies, and what attaches one to a Front Door's domains,
    // outrank the network prefixes above.
    ("azurerm_frontdoor_firewall_policy", Category::Firewall),
    ("azurerm_cdn_frontdoor_firewall_policy", Category::Firewall),
    ("azurerm_cdn_frontdoor_security_policy", Category::Firewall),
    ("azurerm_dns_*", Category::Discovery),
    ("azurerm_private_dns_*", Category::Discovery),
    // ---- Consul, Kubernetes
    ("consul_service", Category::Discovery),
    ("consul_node", Category::Discovery),
    ("consul_catalog_entry", Category::Discovery),
    ("consul_config_entry", Category::Discovery),
    ("kubernetes_service", Category::Discovery),
    ("kubernetes_service_v1", Category::Discovery),
    ("kubernetes_endpoints*", Category::Discovery),
    ("kubernetes_ingress*", Category::Network),
    ("kubernetes_network_policy", Category::Firewall),
    ("kubernetes_network_policy_v1", Category::Firewall),
];

/// The category of a resource type (looked up once per type and thread).
pub fn category_of(rtype: &str) -> Category {
    thread_local! {
        static CACHE: std::cell::RefCell<std::collections::HashMap<String, Category>> = std::cell::RefCell::new(std::collections::HashMap::new());
    }
    CACHE.with(|c| {
        if let Some(cat) = c.borrow().get(rtype) {
            return *cat;
        }
        let cat = lookup(rtype);
        c.borrow_mut().insert(rtype.to_string(), cat);
        cat
    })
}

fn lookup(rtype: &str) -> Category {
    let mut best: Option<(usize, Category)> = None;
    for (pattern, cat) in TYPE_CATEGORIES {
        let (matched, len) = match pattern.strip_suffix('*') {
            Some(prefix) => (rtype.starts_with(prefix), prefix.len()),
            // An exact name outranks any prefix.
            None => (rtype == *pattern, usize::MAX),
        };
        if matched && best.is_none_or(|(l, _)| len > l) {
            best = Some((len, *cat));
        }
    }
    best.map(|(_, c)| c).unwrap_or(Category::Resource)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories() {
        for (t, want) in [
            ("aws_vpc", Category::Network),
            ("aws_vpc_endpoint", Category::Network),
            ("aws_vpc_security_group_ingress_rule", Category::Firewall),
            ("aws_vpc_dhcp_options", Category::Discovery),
            ("aws_route", Category::Network),
            ("aws_route53_record", Category::Discovery),
            ("aws_security_group", Category::Firewall),
            ("aws_network_acl_rule", Category::Firewall),
            ("aws_lb_listener", Category::Network),
            ("aws_service_discovery_service", Category::Discovery),
            ("aws_s3_bucket", Category::Resource),
            ("google_compute_firewall", Category::Firewall),
            ("google_compute_router_nat", Category::Network),
            ("google_dns_record_set", Category::Discovery),
            ("google_compute_instance", Category::Resource),
            ("azurerm_network_security_rule", Category::Firewall),
            ("azurerm_subnet", Category::Network),
            ("azurerm_frontdoor_firewall_policy", Category::Firewall),
            ("azurerm_cdn_frontdoor_firewall_policy", Category::Firewall),
            ("azurerm_cdn_frontdoor_endpoint", Category::Network),
            ("aws_wafv2_web_acl", Category::Firewall),
            (
                "google_compute_region_security_policy_rule",
                Category::Firewall,
            ),
            ("azurerm_private_dns_a_record", Category::Discovery),
            ("kubernetes_service_v1", Category::Discovery),
            ("consul_service", Category::Discovery),
            ("null_resource", Category::Resource),
        ] {
            assert_eq!(category_of(t), want, "{t}");
        }
    }
}
