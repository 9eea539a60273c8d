//! `community_id`: the Community ID flow hash (version 1) of a network flow.

use super::field_values::{get_string, get_value};
use super::{Example, Flow, OptionKind, OptionSpec, Options, Processor, ProcessorSpec};
use crate::document::{FieldPath, IngestDocument};
use crate::error::EsError;
use crate::inet::parse_ip;
use crate::pipeline::{BuildContext, RunContext};
use crate::value::Value;
use base64::Engine as _;
use sha1::Digest as _;
use std::net::IpAddr;

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "community_id",
    description: "Computes the Community ID for network flow data as defined in the Community ID Specification.",
    options: &[
        OptionSpec::optional("source_ip", OptionKind::String, "Field containing the source IP address.")
            .default("source.ip"),
        OptionSpec::optional("source_port", OptionKind::String, "Field containing the source port.")
            .default("source.port"),
        OptionSpec::optional("destination_ip", OptionKind::String, "Field containing the destination IP address.")
            .default("destination.ip"),
        OptionSpec::optional("destination_port", OptionKind::String, "Field containing the destination port.")
            .default("destination.port"),
        OptionSpec::optional("iana_number", OptionKind::String, "Field containing the IANA protocol number.")
            .default("network.iana_number"),
        OptionSpec::optional("icmp_type", OptionKind::String, "Field containing the ICMP type.").default("icmp.type"),
        OptionSpec::optional("icmp_code", OptionKind::String, "Field containing the ICMP code.").default("icmp.code"),
        OptionSpec::optional(
            "transport",
            OptionKind::String,
            "Field containing the transport protocol name or number, used when iana_number is absent.",
        )
        .default("network.transport"),
        OptionSpec::optional("target_field", OptionKind::String, "Output field for the community ID.")
            .default("network.community_id"),
        OptionSpec::optional("seed", OptionKind::Int, "Seed for the community ID hash, 0 to 65535.").default("0"),
        OptionSpec::optional("ignore_missing", OptionKind::Bool, "Do nothing when a needed field is missing.")
            .default("true"),
    ],
    examples: &[
        Example {
            title: "a TCP flow",
            config: r#"{}"#,
            input: r#"{"source": {"ip": "66.35.250.204", "port": 80},
                "destination": {"ip": "128.232.110.120", "port": 34855}, "network": {"transport": "TCP"}}"#,
            output: Ok(r#"{"source": {"ip": "66.35.250.204", "port": 80},
                "destination": {"ip": "128.232.110.120", "port": 34855},
                "network": {"transport": "TCP", "community_id": "1:LQU9qZlK+B5F3KDmev6m5PMibrg="}}"#),
        },
        Example {
            title: "an ICMP echo request, protocol by number",
            config: r#"{"target_field": "id"}"#,
            input: r#"{"source": {"ip": "192.168.0.89"}, "destination": {"ip": "192.168.0.1"},
                "network": {"iana_number": 1}, "icmp": {"type": 8, "code": 0}}"#,
            output: Ok(r#"{"source": {"ip": "192.168.0.89"}, "destination": {"ip": "192.168.0.1"},
                "network": {"iana_number": 1}, "icmp": {"type": 8, "code": 0}, "id": "1:X0snYXpgwiv9TZtqg64sgzUn6Dk="}"#),
        },
        Example {
            title: "without ignore_missing, a missing address fails",
            config: r#"{"ignore_missing": false}"#,
            input: r#"{"destination": {"ip": "192.168.0.1"}}"#,
            output: Err("field [source] not present as part of path [source.ip]"),
        },
    ],
    build: Some(build),
};

#[derive(Debug)]
struct CommunityId {
    source_ip: FieldPath,
    source_port: FieldPath,
    destination_ip: FieldPath,
    destination_port: FieldPath,
    iana_number: FieldPath,
    transport: FieldPath,
    icmp_type: FieldPath,
    icmp_code: FieldPath,
    target_field: FieldPath,
    seed: [u8; 2],
    ignore_missing: bool,
}

fn build(o: &mut Options, _ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    let path = |o: &mut Options, name: &str, default: &str| -> Result<FieldPath, EsError> {
        let text = o.opt_string(name)?.unwrap_or_else(|| default.to_string());
        FieldPath::parse(&text).map_err(|e| o.error(name, &e))
    };
    let source_ip = path(o, "source_ip", "source.ip")?;
    let source_port = path(o, "source_port", "source.port")?;
    let destination_ip = path(o, "destination_ip", "destination.ip")?;
    let destination_port = path(o, "destination_port", "destination.port")?;
    let iana_number = path(o, "iana_number", "network.iana_number")?;
    let transport = path(o, "transport", "network.transport")?;
    let icmp_type = path(o, "icmp_type", "icmp.type")?;
    let icmp_code = path(o, "icmp_code", "icmp.code")?;
    let target_field = path(o, "target_field", "network.community_id")?;
    let seed = o.opt_int("seed")?.unwrap_or(0);
    if !(0..=65535).contains(&seed) {
        return Err(o.error("seed", "must be a value between 0 and 65535"));
    }
    let ignore_missing = o.bool_or("ignore_missing", true)?;
    Ok(Box::new(CommunityId {
        source_ip,
        source_port,
        destination_ip,
        destination_port,
        iana_number,
        transport,
        icmp_type,
        icmp_code,
        target_field,
        seed: (seed as u16).to_be_bytes(),
        ignore_missing,
    }))
}

/// IANA protocol numbers with a meaning in the Community ID spec.
const ICMP: i32 = 1;
const TCP: i32 = 6;
const UDP: i32 = 17;
const ICMP_V6: i32 = 58;
const SCTP: i32 = 132;

impl Processor for CommunityId {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut RunContext) -> Result<Flow, EsError> {
        // Read in Elasticsearch's order, so the same failure wins.
        let source_ip = get_string(doc, &self.source_ip, self.ignore_missing)?;
        let destination_ip = get_string(doc, &self.destination_ip, self.ignore_missing)?;
        let iana_number = get_value(doc, &self.iana_number, true)?;
        let icmp_type = get_value(doc, &self.icmp_type, true)?;
        let icmp_code = get_value(doc, &self.icmp_code, true)?;
        let id = match (source_ip, destination_ip) {
            (Some(src), Some(dst)) => {
                let source = parse_ip(src)?;
                let destination = parse_ip(dst)?;
                let protocol = match iana_number {
                    Some(p) => Some(p),
                    None => get_value(doc, &self.transport, self.ignore_missing)?,
                };
                match protocol {
                    None => None,
                    Some(protocol) => {
                        let protocol = transport_number(protocol)?;
                        let (source_port, destination_port) = match protocol {
                            TCP | UDP | SCTP => {
                                let sp = get_value(doc, &self.source_port, self.ignore_missing)?;
                                let dp = get_value(doc, &self.destination_port, self.ignore_missing)?;
                                (port(sp, "source")?, port(dp, "destination")?)
                            }
                            ICMP | ICMP_V6 => (parse_int(icmp_type, "icmp type")?, parse_int(icmp_code, "icmp code")?),
                            _ => (0, 0),
                        };
                        Some(community_id(&self.seed, source, destination, protocol, source_port, destination_port)?)
                    }
                }
            }
            _ => None,
        };
        match id {
            Some(id) => doc.set(&self.target_field, Value::String(id)).map_err(EsError::illegal_argument)?,
            None if self.ignore_missing => {}
            None => return Err(EsError::illegal_argument("unable to construct flow from document")),
        }
        Ok(Flow::Continue)
    }
}

/// `Transport.fromObject`: a number, a protocol name, or a number as text.
fn transport_number(v: &Value) -> Result<i32, EsError> {
    let number = match v {
        Value::String(s) => {
            let named = match s.to_lowercase().as_str() {
                "icmp" => Some(ICMP),
                "igmp" => Some(2),
                "tcp" => Some(TCP),
                "udp" => Some(UDP),
                "gre" => Some(47),
                "ipv6-icmp" | "icmpv6" => Some(ICMP_V6),
                "eigrp" => Some(88),
                "ospf" => Some(89),
                "pim" => Some(103),
                "sctp" => Some(SCTP),
                _ => None,
            };
            match named {
                Some(n) => return Ok(n),
                None => s.parse::<i32>().map_err(|_| {
                    EsError::illegal_argument(format!("could not convert string [{s}] to transport protocol"))
                })?,
            }
        }
        v if v.is_number() => int_value(v),
        other => {
            return Err(EsError::illegal_argument(format!(
                "could not convert value of type [{}] to transport protocol",
                other.java_class()
            )))
        }
    };
    if !(0..255).contains(&number) {
        return Err(EsError::illegal_argument(format!("invalid transport protocol number [{number}]")));
    }
    Ok(number)
}

/// Java's `Number.intValue()`: longs wrap, floating point truncates and saturates.
fn int_value(v: &Value) -> i32 {
    match v {
        Value::Int(i) => *i,
        Value::Long(l) => *l as i32,
        Value::Float(f) => *f as i32,
        Value::Double(d) => *d as i32,
        Value::BigInteger(n) => n.int_value(),
        _ => 0,
    }
}

/// `parseIntFromObjectOrString`: absent is 0.
fn parse_int(v: Option<&Value>, what: &str) -> Result<i32, EsError> {
    match v {
        None => Ok(0),
        Some(v) if v.is_number() => Ok(int_value(v)),
        Some(Value::String(s)) => s
            .parse::<i32>()
            .map_err(|_| EsError::illegal_argument(format!("unable to parse {what} [{s}]"))),
        Some(other) => Err(EsError::illegal_argument(format!("unable to parse {what} [{}]", other.to_java_string()))),
    }
}

fn port(v: Option<&Value>, which: &str) -> Result<i32, EsError> {
    let p = parse_int(v, &format!("{which} port"))?;
    if !(0..=65535).contains(&p) {
        let shown = v.map(Value::to_java_string).unwrap_or_else(|| "null".into());
        return Err(EsError::illegal_argument(format!("invalid {which} port [{shown}]")));
    }
    Ok(p)
}

/// The ICMP type that answers `icmp_type`, for the ones that come in pairs.
fn icmp_counterpart(icmp_type: i32, v6: bool) -> Option<i32> {
    let pairs: &[(i32, i32)] = if v6 {
        &[(128, 129), (129, 128), (133, 134), (134, 133), (135, 136), (136, 135), (130, 131), (139, 140), (140, 139), (144, 145), (145, 144)]
    } else {
        &[(8, 0), (0, 8), (13, 14), (14, 13), (15, 16), (10, 9), (9, 10), (17, 18), (18, 17)]
    };
    pairs.iter().find(|(t, _)| *t == icmp_type).map(|&(_, c)| c)
}

fn uint16(n: i32) -> Result<[u8; 2], EsError> {
    if !(0..=65535).contains(&n) {
        return Err(EsError::illegal_state(format!("number [{n}] must be a value between 0 and 65535")));
    }
    Ok((n as u16).to_be_bytes())
}

fn octets(ip: IpAddr) -> Vec<u8> {
    match ip {
        IpAddr::V4(v4) => v4.octets().to_vec(),
        IpAddr::V6(v6) => v6.octets().to_vec(),
    }
}

fn community_id(
    seed: &[u8; 2],
    source: IpAddr,
    destination: IpAddr,
    protocol: i32,
    source_port: i32,
    mut destination_port: i32,
) -> Result<std::string::String, EsError> {
    let (src, dst) = (octets(source), octets(destination));
    let is_icmp = protocol == ICMP || protocol == ICMP_V6;
    let has_ports = matches!(protocol, TCP | UDP | SCTP | ICMP | ICMP_V6);
    let mut one_way = false;
    if is_icmp {
        // ICMP flows use type and (the counterpart type, or the code) as ports.
        let counterpart = icmp_counterpart(source_port, protocol == ICMP_V6);
        one_way = counterpart.is_none();
        destination_port = counterpart.unwrap_or(destination_port);
    }
    // Addresses compare as unsigned big integers, whatever their length.
    let address_order = {
        let strip = |b: &[u8]| b.iter().skip_while(|&&x| x == 0).copied().collect::<Vec<u8>>();
        let (a, b) = (strip(&src), strip(&dst));
        a.len().cmp(&b.len()).then(a.cmp(&b))
    };
    let ordered = address_order.is_lt() || (address_order.is_eq() && source_port < destination_port);
    let keep = ordered || (is_icmp && one_way);
    let mut bytes = Vec::with_capacity(40);
    bytes.extend_from_slice(seed);
    if keep {
        bytes.extend_from_slice(&src);
        bytes.extend_from_slice(&dst);
    } else {
        bytes.extend_from_slice(&dst);
        bytes.extend_from_slice(&src);
    }
    bytes.extend_from_slice(&uint16(protocol << 8)?);
    if has_ports {
        let (first, second) = if keep { (source_port, destination_port) } else { (destination_port, source_port) };
        bytes.extend_from_slice(&uint16(first)?);
        bytes.extend_from_slice(&uint16(second)?);
    }
    let digest = sha1::Sha1::digest(&bytes);
    Ok(format!("1:{}", base64::engine::general_purpose::STANDARD.encode(digest)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(src: &str, dst: &str, proto: i32, sp: i32, dp: i32) -> std::string::String {
        community_id(&[0, 0], parse_ip(src).unwrap(), parse_ip(dst).unwrap(), proto, sp, dp).unwrap()
    }

    #[test]
    fn elasticsearch_test_vectors() {
        // CommunityIdProcessorTests.CommunityIdHashInstance
        assert_eq!(id("66.35.250.204", "128.232.110.120", 6, 80, 34855), "1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
        assert_eq!(id("8.8.8.8", "192.168.1.52", 17, 53, 54585), "1:d/FP5EW3wiY1vCndhwleRRKHowQ=");
        assert_eq!(id("192.168.170.8", "192.168.170.56", 132, 7, 7), "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs=");
        assert_eq!(id("192.168.0.89", "192.168.0.1", 1, 8, 0), "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=");
        assert_eq!(id("fe80::260:97ff:fe07:69ea", "ff02::1", 58, 134, 0), "1:pkvHqCL88/tg1k4cPigmZXUtL00=");
    }

    #[test]
    fn direction_does_not_matter() {
        assert_eq!(id("128.232.110.120", "66.35.250.204", 6, 34855, 80), "1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
        assert_eq!(
            id("2001:470:e5bf:dead:4957:2174:e82c:4887", "2607:f8b0:400c:c03::1a", 6, 63943, 25),
            "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4="
        );
    }

    #[test]
    fn protocol_and_port_parsing() {
        assert_eq!(transport_number(&Value::from("IPv6-ICMP")).unwrap(), 58);
        assert_eq!(transport_number(&Value::from("47")).unwrap(), 47);
        assert_eq!(transport_number(&Value::Int(255)).unwrap_err().reason, "invalid transport protocol number [255]");
        assert_eq!(transport_number(&Value::from("x")).unwrap_err().reason, "could not convert string [x] to transport protocol");
        assert_eq!(
            transport_number(&Value::Bool(true)).unwrap_err().reason,
            "could not convert value of type [java.lang.Boolean] to transport protocol"
        );
        assert_eq!(port(Some(&Value::Int(65536)), "source").unwrap_err().reason, "invalid source port [65536]");
        assert_eq!(port(Some(&Value::from("http")), "source").unwrap_err().reason, "unable to parse source port [http]");
        assert_eq!(port(None, "destination").unwrap(), 0);
        assert_eq!(port(Some(&Value::from("443")), "destination").unwrap(), 443);
    }

    #[test]
    fn seed_changes_the_hash() {
        let seeded = community_id(&[0, 1], parse_ip("1.2.3.4").unwrap(), parse_ip("5.6.7.8").unwrap(), 6, 1, 2).unwrap();
        assert_ne!(seeded, id("1.2.3.4", "5.6.7.8", 6, 1, 2));
    }
}
