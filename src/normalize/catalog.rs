//! Data tables that drive normalisation: which attributes name a resource, which are
//! computed or identity-only, which hold an environment's address space, which
//! attributes of a type hold secrets, and environment-name aliases. Tables only: no
//! logic beyond lookups. (Which names mean secret: `tfparity_hcl::secret`.)

/// Attributes whose value identifies the resource itself, anywhere a provider may use
/// them as a reference (`vpc_id = aws_vpc.main.id`). Applies to every type.
pub const IDENTITY_ATTRS: &[&str] = &["id", "arn", "self_link", "self_link_with_id"];

/// More identity attributes for particular types: `(type, attribute)`.
pub const TYPE_IDENTITY_ATTRS: &[(&str, &str)] = &[
    ("aws_route53_zone", "zone_id"),
    ("aws_lb", "dns_name"),
    ("aws_alb", "dns_name"),
    ("aws_elb", "dns_name"),
    ("aws_cloudfront_distribution", "domain_name"),
    ("aws_service_discovery_private_dns_namespace", "hosted_zone"),
    ("aws_service_discovery_public_dns_namespace", "hosted_zone"),
    ("google_compute_network", "name"),
    ("google_compute_router", "name"),
    ("google_dns_managed_zone", "name"),
    ("azurerm_resource_group", "name"),
    ("azurerm_virtual_network", "name"),
    ("azurerm_network_security_group", "name"),
    ("azurerm_dns_zone", "name"),
    ("google_compute_global_address", "address"),
    ("google_compute_address", "address"),
    ("azurerm_private_dns_zone", "name"),
    ("google_storage_bucket", "name"),
];

/// Other forms an identity is written in: `(type, attribute, prefix)`. A Cloud Storage
/// bucket is also `b/<name>` (the google provider's bucket IAM resources take it, and
/// import tools write it).
pub const IDENTITY_FORMS: &[(&str, &str, &str)] = &[("google_storage_bucket", "name", "b/")];

/// Attributes that hold names and prose, never references: an SG's `name` that equals
/// an IAM role's id is a coincidence, not an edge.
pub const PLAIN_ATTRS: &[&str] = &[
    "name",
    "name_prefix",
    "identifier",
    "identifier_prefix",
    "description",
    "display_name",
    "title",
    "comment",
    "tags",
    "labels",
];

/// Attributes that are identity or computed by the provider and never compared:
/// they differ between environments by design.
pub const IGNORED_ATTRS: &[&str] = &[
    "id",
    "arn",
    "self_link",
    "self_link_with_id",
    "owner_id",
    "owner",
    "unique_id",
    "tags_all",
    "account_id",
    "project",
    "project_id",
    "project_number",
    "subscription_id",
    "tenant_id",
    "creation_timestamp",
    "creation_time",
    "create_timestamp",
    "managed_zone_id",
    "creation_date",
    "created_at",
    "created_date",
    "created_time",
    "create_time",
    "create_date",
    "update_time",
    "updated_at",
    "last_modified",
    "last_modified_time",
    "last_updated",
    "modified_date",
    "fingerprint",
    "label_fingerprint",
    "etag",
    "generation",
    "name_servers",
    "primary_name_server",
    "availability_zone_id",
    "zone_ids",
    "nameservers",
    "public_ip",
    "public_dns",
    "private_dns",
    "public_ipv4_pool",
    "carrier_ip",
    "customer_owned_ip",
    "ipv6_association_id",
    "resource_guid",
    "resource_id",
    "guid",
    "hosted_zone",
    "zone_id_computed",
    "security_group_rule_id",
    "request_id",
    "timeouts",
    // GCP's numeric ids, assigned on creation
    "numeric_id",
];

/// Fields of nested blocks that are assigned per environment and never compared: a GCP
/// instance's ephemeral external address (`network_interface[].access_config[].nat_ip`).
pub const NESTED_IGNORED_ATTRS: &[&str] = &["nat_ip"];

/// Attributes ignored for particular types only: `(type, attribute)`.
pub const TYPE_IGNORED_ATTRS: &[(&str, &str)] = &[
    ("aws_route53_zone", "zone_id"),
    ("aws_route53_record", "fqdn"),
    ("aws_lb", "zone_id"),
    ("aws_lb", "dns_name"),
    ("aws_alb", "dns_name"),
    ("aws_elb", "dns_name"),
    ("aws_elb", "zone_id"),
    ("aws_vpc_endpoint", "dns_entry"),
    ("aws_db_instance", "address"),
    ("aws_db_instance", "endpoint"),
    ("aws_db_instance", "hosted_zone_id"),
    ("aws_rds_cluster", "endpoint"),
    ("aws_rds_cluster", "reader_endpoint"),
    ("aws_rds_cluster", "hosted_zone_id"),
    ("aws_lb", "arn_suffix"),
    ("aws_alb", "zone_id"),
    ("aws_alb", "arn_suffix"),
    ("aws_lb_target_group", "arn_suffix"),
    ("aws_nat_gateway", "private_ip"),
    ("aws_caller_identity", "user_id"),
    ("aws_eip", "private_ip"),
    ("aws_iam_policy", "policy_id"),
    ("aws_iam_role", "unique_id"),
    ("azurerm_dns_zone", "soa_record"),
    ("azurerm_public_ip", "ip_address"),
    // GCP's numeric ids of load-balancing parts, assigned on creation (elsewhere an
    // attribute of these names may be a reference, and is compared).
    ("google_compute_target_http_proxy", "proxy_id"),
    ("google_compute_target_https_proxy", "proxy_id"),
    ("google_compute_target_ssl_proxy", "proxy_id"),
    ("google_compute_target_tcp_proxy", "proxy_id"),
    ("google_compute_region_target_http_proxy", "proxy_id"),
    ("google_compute_region_target_https_proxy", "proxy_id"),
    ("google_compute_url_map", "map_id"),
    ("google_compute_region_url_map", "map_id"),
    ("google_compute_backend_service", "generated_id"),
    ("google_compute_region_backend_service", "generated_id"),
    ("google_compute_health_check", "health_check_id"),
    ("google_compute_ssl_certificate", "certificate_id"),
    ("google_compute_region_ssl_certificate", "certificate_id"),
    ("google_compute_managed_ssl_certificate", "certificate_id"),
    ("google_compute_forwarding_rule", "forwarding_rule_id"),
    (
        "google_compute_global_forwarding_rule",
        "forwarding_rule_id",
    ),
    // Back-references computed from the listeners and rules that use them: the
    // balancers lens reports those listeners themselves.
    ("aws_lb_target_group", "load_balancer_arns"),
    ("aws_alb_target_group", "load_balancer_arns"),
    ("azurerm_lb_backend_address_pool", "load_balancing_rules"),
    ("azurerm_lb_backend_address_pool", "inbound_nat_rules"),
    ("azurerm_lb_backend_address_pool", "outbound_rules"),
    ("azurerm_lb_probe", "load_balancer_rules"),
    ("google_sql_database_instance", "first_ip_address"),
    ("google_sql_database_instance", "private_ip_address"),
    ("google_sql_database_instance", "public_ip_address"),
    ("google_sql_database_instance", "ip_address"),
    (
        "google_sql_database_instance",
        "service_account_email_address",
    ),
    ("google_sql_database_instance", "connection_name"),
    ("google_compute_global_address", "address"),
    ("google_compute_address", "address"),
    // Assigned by the cloud from the subnet unless pinned: the subnet is the topology.
    ("aws_instance", "private_ip"),
    ("aws_instance", "ipv6_addresses"),
    ("aws_network_interface", "private_ip"),
    ("aws_network_interface", "private_ips"),
    ("google_compute_subnetwork", "gateway_address"),
    ("google_compute_network", "gateway_ipv4"),
    ("google_compute_network", "numeric_id"),
];

/// Where an environment's own address space is declared: `(type, attribute)`. The
/// value (a CIDR or a list of CIDRs) is a root; other addresses inside it compare by
/// their position relative to it, the root itself by its size.
pub const ADDRESS_SPACE_ATTRS: &[(&str, &str)] = &[
    ("aws_vpc", "cidr_block"),
    ("aws_vpc", "ipv6_cidr_block"),
    ("aws_vpc_ipv4_cidr_block_association", "cidr_block"),
    ("aws_vpc_ipv6_cidr_block_association", "ipv6_cidr_block"),
    ("azurerm_virtual_network", "address_space"),
    ("google_compute_subnetwork", "ip_cidr_range"),
    ("google_compute_subnetwork", "secondary_ip_range"),
];

/// Attributes naming the zone a resource was placed in.
pub const ZONE_ATTRS: &[&str] = &["availability_zone", "zone"];

/// Types whose zone is part of the network layout (a subnet's AZ). Everything else is
/// placed in a zone by the cloud or follows its subnet, so only the region is compared
/// there, not the zone letter.
pub const ZONE_LAYOUT_TYPES: &[&str] = &[
    "aws_subnet",
    "aws_default_subnet",
    "aws_ec2_subnet_cidr_reservation",
];

/// Attributes that hold secrets whatever their name says, by type.
pub const SECRET_ATTRS: &[(&str, &str)] = &[
    ("random_password", "result"),
    ("random_password", "bcrypt_hash"),
    ("kubernetes_secret", "data"),
    ("kubernetes_secret", "binary_data"),
    ("kubernetes_secret_v1", "data"),
    ("kubernetes_secret_v1", "binary_data"),
    ("azurerm_key_vault_secret", "value"),
    ("tls_private_key", "private_key_openssh"),
    ("aws_iam_access_key", "ses_smtp_password_v4"),
    // States written before Terraform 0.15 mark nothing sensitive.
    ("aws_ssm_parameter", "value"),
    ("tfe_variable", "value"),
    ("vault_generic_secret", "data_json"),
    ("vault_generic_secret", "data"),
];

/// Attributes whose lists are ordered, compared element by element. Every other list
/// compares as a multiset, because Terraform writes sets in identifier order.
pub const ORDERED_LIST_ATTRS: &[&str] = &[
    "ordered_cache_behavior",
    "args",
    "command",
    "entrypoint",
    "entry_point",
    "dns_servers",
    "dns_server",
    "domain_name_servers",
    "ntp_servers",
    "search_domains",
    "default_action",
    "action",
];

/// Common names for the same environment. Each environment's own name and the aliases
/// of its group are taken out of values (with a separator next to them).
pub const ENV_ALIASES: &[&[&str]] = &[
    &["prod", "production", "prd"],
    &["staging", "stage", "stg"],
    &["dev", "development", "develop"],
    &["test", "testing", "tst"],
    &["qa", "qual", "quality"],
    &["uat"],
    &["preprod", "pre-prod", "preproduction", "pre-production"],
    &["sandbox", "sbx"],
    &["local"],
    &["demo"],
    &["perf", "performance"],
    &["dr", "disaster-recovery"],
];

/// Geography parts of AWS region names (`us-east-1`, `ap-southeast-2`, `us-gov-west-1`).
pub const AWS_REGION_GEOS: &[&str] = &["us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx", "cn"];

/// Direction parts of AWS and GCP region names.
pub const REGION_DIRECTIONS: &[&str] = &[
    "north",
    "south",
    "east",
    "west",
    "central",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
];

/// Geography parts of GCP region names (`us-central1`, `europe-west3`).
pub const GCP_REGION_GEOS: &[&str] = &[
    "us",
    "europe",
    "asia",
    "australia",
    "northamerica",
    "southamerica",
    "me",
    "africa",
];

/// Short region codes that naming conventions put into names (`kv-acme-prod-weu`,
/// `app-use1`): a whole word equal to one of these is a region.
pub const REGION_SHORT_CODES: &[&str] = &[
    // AWS
    "use1", "use2", "usw1", "usw2", "euw1", "euw2", "euw3", "euc1", "euc2", "eun1", "eus1", "eus2",
    "aps1", "aps2", "apse1", "apse2", "apse3", "apne1", "apne2", "apne3", "cac1", "sae1", "mec1",
    "afs1", // Azure
    "weu", "neu", "eus", "wus", "wus2", "wus3", "scus", "ncus", "wcus", "uks", "ukw", "jpe", "jpw",
    "aue", "ase", "frc", "gwc", "swn", "sdc", "cae", "cin", "sin", "krc", "brs",
];

/// Azure location names (compared without spaces, case-insensitively).
pub const AZURE_LOCATIONS: &[&str] = &[
    "eastus",
    "eastus2",
    "westus",
    "westus2",
    "westus3",
    "centralus",
    "northcentralus",
    "southcentralus",
    "westcentralus",
    "canadacentral",
    "canadaeast",
    "brazilsouth",
    "northeurope",
    "westeurope",
    "uksouth",
    "ukwest",
    "francecentral",
    "francesouth",
    "germanywestcentral",
    "germanynorth",
    "norwayeast",
    "norwaywest",
    "switzerlandnorth",
    "switzerlandwest",
    "swedencentral",
    "polandcentral",
    "italynorth",
    "spaincentral",
    "eastasia",
    "southeastasia",
    "japaneast",
    "japanwest",
    "koreacentral",
    "koreasouth",
    "centralindia",
    "southindia",
    "westindia",
    "australiaeast",
    "australiasoutheast",
    "australiacentral",
    "uaenorth",
    "uaecentral",
    "southafricanorth",
    "southafricawest",
    "qatarcentral",
    "israelcentral",
    "mexicocentral",
];

/// Prefixes of AWS resource ids (`sg-0a1b2c3d`): such a value that points outside the
/// state is an identifier, not something to compare.
pub const AWS_ID_PREFIXES: &[&str] = &[
    "fs",
    "fsap",
    "fsmt",
    "rslvr-rr",
    "rslvr-out",
    "rslvr-in",
    "rslvr-rrassoc",
    "ipv6pool-ec2",
    "vpc",
    "subnet",
    "sg",
    "sgr",
    "igw",
    "eigw",
    "nat",
    "eipalloc",
    "eipassoc",
    "rtb",
    "rtbassoc",
    "acl",
    "aclassoc",
    "eni",
    "eni-attach",
    "i",
    "ami",
    "snap",
    "vol",
    "pcx",
    "tgw",
    "tgw-attach",
    "tgw-rtb",
    "vpce",
    "vpce-svc",
    "vgw",
    "cgw",
    "vpn",
    "dopt",
    "pl",
    "lt",
    "fl",
    "key",
    "r",
    "sir",
    "cvpn-endpoint",
    "lgw",
    "ipam",
    "ipam-pool",
];

/// A `(type, value)` table as a map from type to its values, built once.
pub fn by_type(
    table: &'static [(&'static str, &'static str)],
) -> std::collections::HashMap<&'static str, Vec<&'static str>> {
    let mut m: std::collections::HashMap<&'static str, Vec<&'static str>> =
        std::collections::HashMap::new();
    for (t, a) in table {
        m.entry(*t).or_default().push(*a);
    }
    m
}

/// [`TYPE_IDENTITY_ATTRS`] of one type.
pub fn type_identity_attrs(rtype: &str) -> &'static [&'static str] {
    static MAP: std::sync::OnceLock<std::collections::HashMap<&'static str, Vec<&'static str>>> =
        std::sync::OnceLock::new();
    MAP.get_or_init(|| by_type(TYPE_IDENTITY_ATTRS))
        .get(rtype)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// [`TYPE_IGNORED_ATTRS`] of one type.
pub fn type_ignored_attrs(rtype: &str) -> &'static [&'static str] {
    static MAP: std::sync::OnceLock<std::collections::HashMap<&'static str, Vec<&'static str>>> =
        std::sync::OnceLock::new();
    MAP.get_or_init(|| by_type(TYPE_IGNORED_ATTRS))
        .get(rtype)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// A provider's documented default for an optional attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderDefault {
    Bool(bool),
    Int(i64),
    Text(&'static str),
}

/// What a provider documents for an optional attribute left unset: `(type, path,
/// default)`. The path is attribute names from the resource down through nested blocks,
/// dot-separated, without list positions (`policy_settings.mode`). Only defaults the
/// provider's documentation states ("Defaults to", "Default value is") are here; a
/// default that depends on another setting (an AWS listener's protocol, HTTP only on an
/// application load balancer) or that changed between provider versions (a GCP global
/// forwarding rule's scheme) is not. `docs/normalisation.md` lists this table.
pub const PROVIDER_DEFAULTS: &[(&str, &str, ProviderDefault)] = {
    use ProviderDefault::{Bool, Int, Text};
    &[
        // ---- AWS load balancers (`aws_alb` is another name for `aws_lb`)
        ("aws_lb", "enable_deletion_protection", Bool(false)),
        ("aws_lb", "load_balancer_type", Text("application")),
        ("aws_lb", "idle_timeout", Int(60)),
        ("aws_lb", "enable_http2", Bool(true)),
        ("aws_lb", "drop_invalid_header_fields", Bool(false)),
        ("aws_lb", "access_logs.enabled", Bool(false)),
        ("aws_alb", "enable_deletion_protection", Bool(false)),
        ("aws_alb", "load_balancer_type", Text("application")),
        ("aws_alb", "idle_timeout", Int(60)),
        ("aws_alb", "enable_http2", Bool(true)),
        ("aws_alb", "drop_invalid_header_fields", Bool(false)),
        ("aws_alb", "access_logs.enabled", Bool(false)),
        // A redirect keeps each part of the request it does not name.
        (
            "aws_lb_listener",
            "default_action.redirect.host",
            Text("#{host}"),
        ),
        (
            "aws_lb_listener",
            "default_action.redirect.path",
            Text("/#{path}"),
        ),
        (
            "aws_lb_listener",
            "default_action.redirect.port",
            Text("#{port}"),
        ),
        (
            "aws_lb_listener",
            "default_action.redirect.protocol",
            Text("#{protocol}"),
        ),
        (
            "aws_lb_listener",
            "default_action.redirect.query",
            Text("#{query}"),
        ),
        (
            "aws_lb_listener",
            "default_action.forward.stickiness.enabled",
            Bool(false),
        ),
        (
            "aws_alb_listener",
            "default_action.redirect.host",
            Text("#{host}"),
        ),
        (
            "aws_alb_listener",
            "default_action.redirect.path",
            Text("/#{path}"),
        ),
        (
            "aws_alb_listener",
            "default_action.redirect.port",
            Text("#{port}"),
        ),
        (
            "aws_alb_listener",
            "default_action.redirect.protocol",
            Text("#{protocol}"),
        ),
        (
            "aws_alb_listener",
            "default_action.redirect.query",
            Text("#{query}"),
        ),
        (
            "aws_alb_listener",
            "default_action.forward.stickiness.enabled",
            Bool(false),
        ),
        // ---- AWS VPC and firewall
        ("aws_security_group", "revoke_rules_on_delete", Bool(false)),
        ("aws_subnet", "map_public_ip_on_launch", Bool(false)),
        ("aws_subnet", "assign_ipv6_address_on_creation", Bool(false)),
        ("aws_subnet", "map_customer_owned_ip_on_launch", Bool(false)),
        ("aws_vpc", "enable_dns_support", Bool(true)),
        ("aws_vpc", "enable_dns_hostnames", Bool(false)),
        (
            "aws_wafv2_web_acl_rule_group_association",
            "override_action",
            Text("none"),
        ),
        // ---- GCP
        ("google_compute_firewall", "priority", Int(1000)),
        ("google_compute_firewall", "direction", Text("INGRESS")),
        ("google_compute_firewall", "disabled", Bool(false)),
        ("google_compute_route", "priority", Int(1000)),
        (
            "google_compute_network",
            "delete_default_routes_on_create",
            Bool(false),
        ),
        (
            "google_compute_forwarding_rule",
            "load_balancing_scheme",
            Text("EXTERNAL"),
        ),
        ("google_compute_ssl_policy", "profile", Text("COMPATIBLE")),
        (
            "google_compute_ssl_policy",
            "min_tls_version",
            Text("TLS_1_0"),
        ),
        (
            "google_compute_region_ssl_policy",
            "profile",
            Text("COMPATIBLE"),
        ),
        (
            "google_compute_region_ssl_policy",
            "min_tls_version",
            Text("TLS_1_0"),
        ),
        (
            "google_compute_security_policy",
            "advanced_options_config.json_parsing",
            Text("DISABLED"),
        ),
        (
            "google_compute_security_policy",
            "advanced_options_config.log_level",
            Text("NORMAL"),
        ),
        // ---- Azure WAF policies
        (
            "azurerm_web_application_firewall_policy",
            "policy_settings.enabled",
            Bool(true),
        ),
        (
            "azurerm_web_application_firewall_policy",
            "policy_settings.mode",
            Text("Prevention"),
        ),
        (
            "azurerm_web_application_firewall_policy",
            "policy_settings.request_body_check",
            Bool(true),
        ),
        (
            "azurerm_web_application_firewall_policy",
            "policy_settings.file_upload_limit_in_mb",
            Int(100),
        ),
        (
            "azurerm_web_application_firewall_policy",
            "policy_settings.max_request_body_size_in_kb",
            Int(128),
        ),
        (
            "azurerm_web_application_firewall_policy",
            "policy_settings.request_body_inspect_limit_in_kb",
            Int(128),
        ),
        (
            "azurerm_web_application_firewall_policy",
            "policy_settings.request_body_enforcement",
            Bool(true),
        ),
        (
            "azurerm_web_application_firewall_policy",
            "policy_settings.file_upload_enforcement",
            Bool(true),
        ),
        (
            "azurerm_web_application_firewall_policy",
            "custom_rules.enabled",
            Bool(true),
        ),
        (
            "azurerm_web_application_firewall_policy",
            "managed_rules.managed_rule_set.type",
            Text("OWASP"),
        ),
        // A managed rule named in an override is switched off unless it says otherwise.
        (
            "azurerm_web_application_firewall_policy",
            "managed_rules.managed_rule_set.rule_group_override.rule.enabled",
            Bool(false),
        ),
        ("azurerm_frontdoor_firewall_policy", "enabled", Bool(true)),
        (
            "azurerm_frontdoor_firewall_policy",
            "mode",
            Text("Prevention"),
        ),
        (
            "azurerm_frontdoor_firewall_policy",
            "custom_rule.enabled",
            Bool(true),
        ),
        (
            "azurerm_frontdoor_firewall_policy",
            "custom_rule.priority",
            Int(1),
        ),
        (
            "azurerm_frontdoor_firewall_policy",
            "custom_rule.rate_limit_duration_in_minutes",
            Int(1),
        ),
        (
            "azurerm_frontdoor_firewall_policy",
            "custom_rule.rate_limit_threshold",
            Int(10),
        ),
        (
            "azurerm_frontdoor_firewall_policy",
            "managed_rule.override.rule.enabled",
            Bool(false),
        ),
        (
            "azurerm_cdn_frontdoor_firewall_policy",
            "enabled",
            Bool(true),
        ),
        (
            "azurerm_cdn_frontdoor_firewall_policy",
            "request_body_check_enabled",
            Bool(true),
        ),
        (
            "azurerm_cdn_frontdoor_firewall_policy",
            "custom_rule.enabled",
            Bool(true),
        ),
        (
            "azurerm_cdn_frontdoor_firewall_policy",
            "custom_rule.priority",
            Int(1),
        ),
        (
            "azurerm_cdn_frontdoor_firewall_policy",
            "custom_rule.rate_limit_duration_in_minutes",
            Int(1),
        ),
        (
            "azurerm_cdn_frontdoor_firewall_policy",
            "custom_rule.rate_limit_threshold",
            Int(10),
        ),
        (
            "azurerm_cdn_frontdoor_firewall_policy",
            "managed_rule.override.rule.enabled",
            Bool(false),
        ),
    ]
};
