//! `network_direction`: whether a flow is inbound, outbound, internal or
//! external, given which networks count as internal.

use super::field_values::{cast_error, get_string, get_value};
use super::{Example, Flow, OptionKind, OptionSpec, Options, Processor, ProcessorSpec};
use crate::document::{FieldPath, IngestDocument};
use crate::error::EsError;
use crate::inet::{cidr_bounds, in_bounds, ip_bytes, parse_ip};
use crate::pipeline::{BuildContext, RunContext};
use crate::template::Template;
use crate::value::Value;
use std::net::IpAddr;

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "network_direction",
    description: "Calculates the network direction given a source IP address, destination IP address, and a list of \
                  internal networks.",
    options: &[
        OptionSpec::optional("source_ip", OptionKind::String, "Field containing the source IP address.")
            .default("source.ip"),
        OptionSpec::optional("destination_ip", OptionKind::String, "Field containing the destination IP address.")
            .default("destination.ip"),
        OptionSpec::optional("target_field", OptionKind::String, "Output field for the network direction.")
            .default("network.direction"),
        OptionSpec::optional(
            "internal_networks",
            OptionKind::StringList,
            "CIDR ranges, addresses or named ranges (loopback, unicast, global_unicast, link_local_unicast, \
             interface_local_multicast, link_local_multicast, multicast, unspecified, private, public) that are \
             internal. Required unless internal_networks_field is set.",
        )
        .templated(),
        OptionSpec::optional(
            "internal_networks_field",
            OptionKind::String,
            "A field holding the internal networks, instead of internal_networks.",
        ),
        OptionSpec::optional("ignore_missing", OptionKind::Bool, "Do nothing when a needed field is missing.")
            .default("true"),
    ],
    examples: &[
        Example {
            title: "private networks are internal",
            config: r#"{"internal_networks": ["private"]}"#,
            input: r#"{"source": {"ip": "128.232.110.120"}, "destination": {"ip": "192.168.1.1"}}"#,
            output: Ok(r#"{"source": {"ip": "128.232.110.120"}, "destination": {"ip": "192.168.1.1"},
                "network": {"direction": "inbound"}}"#),
        },
        Example {
            title: "networks from a field, CIDR ranges",
            config: r#"{"internal_networks_field": "nets", "target_field": "dir"}"#,
            input: r#"{"nets": ["10.0.0.0/8", "2001:db8::/32"], "source": {"ip": "2001:db8::1"},
                "destination": {"ip": "10.1.2.3"}}"#,
            output: Ok(r#"{"nets": ["10.0.0.0/8", "2001:db8::/32"], "source": {"ip": "2001:db8::1"},
                "destination": {"ip": "10.1.2.3"}, "dir": "internal"}"#),
        },
        Example {
            title: "without ignore_missing, a flow without addresses fails",
            config: r#"{"internal_networks": ["private"], "ignore_missing": false}"#,
            input: r#"{"source": {"ip": null}}"#,
            output: Err("unable to calculate network direction from document"),
        },
    ],
    build: Some(build),
};

#[derive(Debug)]
enum Networks {
    Listed(Vec<Template>),
    FromField(FieldPath),
}

#[derive(Debug)]
struct NetworkDirection {
    source_ip: FieldPath,
    destination_ip: FieldPath,
    target_field: FieldPath,
    networks: Networks,
    ignore_missing: bool,
}

fn build(o: &mut Options, _ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    let path = |o: &mut Options, name: &str, default: &str| -> Result<FieldPath, EsError> {
        let text = o.opt_string(name)?.unwrap_or_else(|| default.to_string());
        FieldPath::parse(&text).map_err(|e| o.error(name, &e))
    };
    let source_ip = path(o, "source_ip", "source.ip")?;
    let destination_ip = path(o, "destination_ip", "destination.ip")?;
    let target_field = path(o, "target_field", "network.direction")?;
    let ignore_missing = o.bool_or("ignore_missing", true)?;
    let listed = o.opt_string_list("internal_networks")?;
    let field = o.opt_string("internal_networks_field")?;
    let networks = match (listed, field) {
        (None, None) => {
            return Err(o.error("internal_networks", "or [internal_networks_field] must be specified"));
        }
        (Some(_), Some(_)) => {
            return Err(o.error(
                "internal_networks",
                "and [internal_networks_field] cannot both be used in the same processor",
            ));
        }
        (Some(list), None) => Networks::Listed(list.iter().map(|n| Template::compile(n)).collect::<Result<_, _>>()?),
        (None, Some(field)) => {
            Networks::FromField(FieldPath::parse(&field).map_err(|e| o.error("internal_networks_field", &e))?)
        }
    };
    Ok(Box::new(NetworkDirection { source_ip, destination_ip, target_field, networks, ignore_missing }))
}

impl Processor for NetworkDirection {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut RunContext) -> Result<Flow, EsError> {
        match self.direction(doc)? {
            Some(direction) => {
                doc.set(&self.target_field, Value::from(direction)).map_err(EsError::illegal_argument)?;
                Ok(Flow::Continue)
            }
            None if self.ignore_missing => Ok(Flow::Continue),
            None => Err(EsError::illegal_argument("unable to calculate network direction from document")),
        }
    }
}

impl NetworkDirection {
    fn direction(&self, doc: &IngestDocument) -> Result<Option<&'static str>, EsError> {
        let networks: Vec<String> = match &self.networks {
            Networks::Listed(templates) => templates.iter().map(|t| t.render(doc)).collect(),
            Networks::FromField(path) => match get_value(doc, path, self.ignore_missing)? {
                None => return Ok(None),
                Some(Value::List(items)) => items
                    .iter()
                    .map(|v| match v {
                        Value::String(s) => Ok(s.clone()),
                        other => Err(EsError::new(
                            "class_cast_exception",
                            format!("class {} cannot be cast to class java.lang.String", other.java_class()),
                        )),
                    })
                    .collect::<Result<_, _>>()?,
                Some(other) => return Err(cast_error(path, other, "java.util.ArrayList")),
            },
        };
        let Some(source) = get_string(doc, &self.source_ip, self.ignore_missing)? else { return Ok(None) };
        let Some(destination) = get_string(doc, &self.destination_ip, self.ignore_missing)? else { return Ok(None) };
        let source_internal = is_internal(&networks, source)?;
        let destination_internal = is_internal(&networks, destination)?;
        Ok(Some(match (source_internal, destination_internal) {
            (true, true) => "internal",
            (true, false) => "outbound",
            (false, true) => "inbound",
            (false, false) => "external",
        }))
    }
}

fn is_internal(networks: &[String], ip: &str) -> Result<bool, EsError> {
    for network in networks {
        if in_network(ip, network)? {
            return Ok(true);
        }
    }
    Ok(false)
}

fn in_network(ip_text: &str, network: &str) -> Result<bool, EsError> {
    let ip = parse_ip(ip_text)?;
    Ok(match network {
        "loopback" => is_loopback(ip),
        "global_unicast" | "unicast" => is_unicast(ip),
        "link_local_unicast" => is_link_local(ip),
        "interface_local_multicast" => is_interface_local_multicast(ip),
        "link_local_multicast" => is_link_local_multicast(ip),
        "multicast" => is_multicast(ip),
        "unspecified" => ip_bytes(ip).iter().all(|&b| b == 0),
        "private" => is_private(ip)?,
        "public" => !is_local_or_private(ip)?,
        cidr => in_range(ip, cidr)?,
    })
}

// Java's `InetAddress` predicates, which the named networks use.

fn is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.octets()[0] == 127,
        IpAddr::V6(v6) => v6.is_loopback(),
    }
}

fn is_link_local(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.octets()[..2] == [169, 254],
        IpAddr::V6(v6) => v6.octets()[0] == 0xfe && v6.octets()[1] & 0xc0 == 0x80,
    }
}

fn is_multicast(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.octets()[0] & 0xf0 == 0xe0,
        IpAddr::V6(v6) => v6.octets()[0] == 0xff,
    }
}

fn is_interface_local_multicast(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(_) => false,
        IpAddr::V6(v6) => v6.octets()[0] == 0xff && v6.octets()[1] & 0x0f == 0x01,
    }
}

fn is_link_local_multicast(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.octets()[..3] == [224, 0, 0],
        IpAddr::V6(v6) => v6.octets()[0] == 0xff && v6.octets()[1] & 0x0f == 0x02,
    }
}

fn is_broadcast(ip: IpAddr) -> bool {
    matches!(ip, IpAddr::V4(v4) if v4.octets() == [255; 4])
}

fn is_unicast(ip: IpAddr) -> bool {
    !is_broadcast(ip)
        && !ip_bytes(ip).iter().all(|&b| b == 0)
        && !is_loopback(ip)
        && !is_multicast(ip)
        && !is_link_local(ip)
}

fn is_private(ip: IpAddr) -> Result<bool, EsError> {
    for cidr in ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fd00::/8"] {
        if in_range(ip, cidr)? {
            return Ok(true);
        }
    }
    Ok(false)
}

fn is_local_or_private(ip: IpAddr) -> Result<bool, EsError> {
    Ok(is_private(ip)?
        || is_loopback(ip)
        || ip_bytes(ip).iter().all(|&b| b == 0)
        || is_link_local(ip)
        || is_link_local_multicast(ip)
        || is_interface_local_multicast(ip)
        || is_broadcast(ip))
}

/// `CIDRUtils.isInRange`: a CIDR range or a single address.
fn in_range(ip: IpAddr, cidr: &str) -> Result<bool, EsError> {
    let (lower, upper) = cidr_bounds(cidr)?;
    Ok(in_bounds(&ip_bytes(ip), &lower, &upper))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn within(ip: &str, network: &str) -> bool {
        in_network(ip, network).unwrap()
    }

    #[test]
    fn named_networks() {
        assert!(within("127.1.2.3", "loopback"));
        assert!(within("::1", "loopback"));
        assert!(within("8.8.8.8", "unicast") && within("8.8.8.8", "global_unicast"));
        assert!(!within("255.255.255.255", "unicast"));
        assert!(!within("169.254.1.1", "unicast") && within("169.254.1.1", "link_local_unicast"));
        assert!(within("fe80::1", "link_local_unicast"));
        assert!(within("ff01::1", "interface_local_multicast") && !within("224.0.0.1", "interface_local_multicast"));
        assert!(within("224.0.0.251", "link_local_multicast") && within("ff02::fb", "link_local_multicast"));
        assert!(within("239.1.1.1", "multicast") && !within("239.1.1.1", "link_local_multicast"));
        assert!(within("0.0.0.0", "unspecified") && within("::", "unspecified"));
        assert!(within("172.31.255.255", "private") && within("fd12::1", "private") && !within("172.32.0.0", "private"));
        assert!(within("8.8.8.8", "public") && !within("10.0.0.1", "public") && !within("255.255.255.255", "public"));
    }

    #[test]
    fn cidr_ranges_and_addresses() {
        assert!(within("10.1.2.3", "10.0.0.0/8"));
        assert!(!within("11.1.2.3", "10.0.0.0/8"));
        assert!(within("10.1.2.3", "10.1.2.3"));
        assert!(within("10.1.2.3", "::/0"), "IPv4 compares as IPv4-mapped IPv6");
        assert!(!within("10.1.2.3", "2001:db8::/32"));
        assert!(in_network("10.1.2.3", "::ffff:0:0/96").unwrap_err().reason.starts_with("CIDR notation is not allowed"));
        assert!(within("2001:db8::5", "2001:db8::/32"));
        let e = in_network("10.1.2.3", "10.0.0.0/33").unwrap_err();
        assert_eq!(e.reason, "illegal prefixLength '33'. Must be 0-32 for IPv4 ranges, 0-128 for IPv6 ranges");
        let e = in_network("10.1.2.3", "intranet").unwrap_err();
        assert_eq!(e.reason, "'intranet' is not an IP string literal.");
        let e = in_network("nope", "private").unwrap_err();
        assert_eq!(e.reason, "'nope' is not an IP string literal.");
    }

    fn direction(source: &str, destination: &str, networks: &str) -> Result<std::string::String, std::string::String> {
        use crate::processors::examples::run_example;
        let config = format!(r#"{{"internal_networks": {networks}, "ignore_missing": false, "target_field": "d"}}"#);
        let input = format!(r#"{{"source": {{"ip": {source}}}, "destination": {{"ip": {destination}}}}}"#);
        let example = Example { title: "", config: Box::leak(config.into_boxed_str()), input: Box::leak(input.into_boxed_str()), output: Ok("") };
        let out = run_example(crate::processors::lookup("network_direction").unwrap(), &example)?;
        let Value::Map(m) = Value::from_json_str(&out).unwrap() else { panic!() };
        Ok(m["d"].as_str().unwrap().to_string())
    }

    #[test]
    fn elasticsearch_unit_test_cases() {
        // NetworkDirectionProcessorTests
        assert_eq!(direction(r#""10.0.1.1""#, r#""192.168.1.2""#, r#"["10.0.0.0/8"]"#).unwrap(), "outbound");
        assert_eq!(direction(r#""192.168.1.2""#, r#""10.0.1.1""#, r#"["10.0.0.0/8"]"#).unwrap(), "inbound");
        assert_eq!(direction(r#""0.0.0.0""#, r#""0.0.0.0""#, r#"["unspecified"]"#).unwrap(), "internal");
        assert_eq!(direction(r#""::""#, r#""::""#, r#"["unspecified"]"#).unwrap(), "internal");
        for (src, dst) in [("192.168.1.1", "192.168.1.2"), ("10.0.1.1", "192.168.1.2"), ("192.168.1.1", "172.16.0.1"), ("192.168.1.1", "fd12:3456:789a:1::1")] {
            let (src, dst) = (format!("\"{src}\""), format!("\"{dst}\""));
            assert_eq!(direction(&src, &dst, r#"["private"]"#).unwrap(), "internal");
            assert_eq!(direction(&src, &dst, r#"["public"]"#).unwrap(), "external");
        }
        let e = direction("null", r#""10.0.0.1""#, r#"["10.0.0.0/8"]"#).unwrap_err();
        assert_eq!(e, "unable to calculate network direction from document");
        let e = direction(r#""192.168.1.1""#, r#""invalid""#, r#"["10.0.0.0/8"]"#).unwrap_err();
        assert_eq!(e, "'invalid' is not an IP string literal.");
        let e = direction(r#""192.168.1.1""#, r#""192.168.1.1""#, r#"["10.0.0.0/8", "invalid"]"#).unwrap_err();
        assert_eq!(e, "'invalid' is not an IP string literal.");
    }
}
