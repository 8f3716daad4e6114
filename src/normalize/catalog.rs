//! Data tables that drive normalisation: which attributes name a resource, which are
//! computed or identity-only, which hold an environment's address space, which names
//! mean secret, and environment-name aliases. Tables only: no logic beyond lookups.

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
    ("google_dns_managed_zone", "name"),
    ("azurerm_resource_group", "name"),
    ("azurerm_virtual_network", "name"),
    ("azurerm_network_security_group", "name"),
    ("azurerm_dns_zone", "name"),
    ("azurerm_private_dns_zone", "name"),
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
    "association_id",
    "allocation_id",
    "network_interface_id",
    "resource_guid",
    "resource_id",
    "guid",
    "dns_name",
    "hosted_zone",
    "zone_id_computed",
    "security_group_rule_id",
    "request_id",
    "timeouts",
];

/// Attributes ignored for particular types only: `(type, attribute)`.
pub const TYPE_IGNORED_ATTRS: &[(&str, &str)] = &[
    ("aws_route53_zone", "zone_id"),
    ("aws_route53_record", "fqdn"),
    ("aws_lb", "zone_id"),
    ("aws_lb", "arn_suffix"),
    ("aws_alb", "zone_id"),
    ("aws_alb", "arn_suffix"),
    ("aws_lb_target_group", "arn_suffix"),
    ("aws_nat_gateway", "private_ip"),
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

/// Fragments of attribute or map-key names whose values are secret. Matched
/// case-insensitively against the whole name.
pub const SECRET_NAME_FRAGMENTS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "secret",
    "private_key",
    "privatekey",
    "token",
    "api_key",
    "apikey",
    "access_key",
    "accesskey",
    "credential",
    "connection_string",
    "sas_url",
    "auth_key",
    "ssh_key",
    "client_key",
    "master_key",
    "shared_key",
    "encryption_key",
    "signing_key",
    "pre_shared_key",
    "psk",
    "certificate_body",
];

/// Common names for the same environment. Each environment's own name and the aliases
/// of its group are replaced by `{env}` inside values.
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
