//! A minimal MaxMind DB writer: builds small databases from JSON, so tests
//! and fixtures need no binary database files (see [`from_source_json`]).
//!
//! Format (MaxMind DB spec v2.0): a binary search tree over the address bits
//! (an IPv6 tree here, IPv4 networks living under `::/96`), 16 zero bytes,
//! the data section, then `\xAB\xCD\xEFMaxMind.com` and the metadata map.
//! Records are 24 bits; a record equal to the node count means "no data",
//! larger values point into the data section.

use serde_json::Value as Json;
use std::net::IpAddr;

const METADATA_MARKER: &[u8] = b"\xAB\xCD\xEFMaxMind.com";

#[derive(Clone, Copy)]
enum Child {
    Empty,
    Node(usize),
    Data(usize),
}

/// Builds a database of `database_type` from `(cidr, record)` pairs.
/// Networks must not overlap.
pub fn build(database_type: &str, networks: &[(&str, Json)]) -> Result<Vec<u8>, String> {
    let mut nodes: Vec<[Child; 2]> = vec![[Child::Empty, Child::Empty]];
    let mut data = Vec::new();
    let mut offsets = Vec::new();
    for (i, (cidr, record)) in networks.iter().enumerate() {
        offsets.push(data.len());
        encode(record, "", &mut data)?;
        let bits = network_bits(cidr)?;
        let mut node = 0;
        for (depth, &bit) in bits.iter().enumerate() {
            let side = bit as usize;
            if depth + 1 == bits.len() {
                nodes[node][side] = Child::Data(i);
            } else {
                node = match nodes[node][side] {
                    Child::Node(n) => n,
                    Child::Empty => {
                        nodes.push([Child::Empty, Child::Empty]);
                        let n = nodes.len() - 1;
                        nodes[node][side] = Child::Node(n);
                        n
                    }
                    Child::Data(_) => return Err(format!("network [{cidr}] overlaps an earlier one")),
                };
            }
        }
    }
    let node_count = nodes.len();
    let mut out = Vec::new();
    for node in &nodes {
        for child in node {
            let value = match *child {
                Child::Empty => node_count,
                Child::Node(n) => n,
                Child::Data(i) => node_count + 16 + offsets[i],
            };
            if value >= 1 << 24 {
                return Err("database too large for 24-bit records".into());
            }
            out.extend_from_slice(&(value as u32).to_be_bytes()[1..]);
        }
    }
    out.extend_from_slice(&[0u8; 16]);
    out.extend_from_slice(&data);
    out.extend_from_slice(METADATA_MARKER);
    let metadata = serde_json::json!({
        "binary_format_major_version": 2,
        "binary_format_minor_version": 0,
        "build_epoch": 1_700_000_000u64,
        "database_type": database_type,
        "description": {"en": "ingot test database"},
        "ip_version": 6,
        "languages": ["en"],
        "node_count": node_count,
        "record_size": 24,
    });
    encode(&metadata, "", &mut out)?;
    Ok(out)
}

/// The address bits of a CIDR; IPv4 networks sit under `::/96`.
fn network_bits(cidr: &str) -> Result<Vec<bool>, String> {
    let bad = || format!("[{cidr}] is not a network in CIDR notation");
    let (ip, prefix) = cidr.split_once('/').ok_or_else(bad)?;
    let prefix: usize = prefix.parse().map_err(|_| bad())?;
    let max = if ip.contains(':') { 128 } else { 32 };
    if prefix == 0 || prefix > max {
        return Err(bad());
    }
    let (bytes, prefix) = match ip.parse::<IpAddr>().map_err(|_| bad())? {
        IpAddr::V4(v4) => {
            let mut b = [0u8; 16];
            b[12..].copy_from_slice(&v4.octets());
            (b, prefix + 96)
        }
        IpAddr::V6(v6) => (v6.octets(), prefix),
    };
    Ok((0..prefix).map(|i| bytes[i / 8] & (0x80 >> (i % 8)) != 0).collect())
}

fn control(out: &mut Vec<u8>, type_num: u8, size: usize) -> Result<(), String> {
    if size >= 285 + 65536 {
        return Err(format!("value of {size} bytes or entries is too large"));
    }
    let (size_bits, extra): (u8, Vec<u8>) = if size < 29 {
        (size as u8, vec![])
    } else if size < 285 {
        (29, vec![(size - 29) as u8])
    } else {
        let s = size - 285;
        (30, vec![(s >> 8) as u8, s as u8])
    };
    if type_num <= 7 {
        out.push((type_num << 5) | size_bits);
    } else {
        out.push(size_bits);
        out.push(type_num - 7);
    }
    out.extend_from_slice(&extra);
    Ok(())
}

/// MaxMind's unsigned types differ by field; readers check them strictly.
fn unsigned_type(key: &str, v: u64) -> u8 {
    match key {
        "accuracy_radius" | "metro_code" | "record_size" | "ip_version" | "binary_format_major_version"
        | "binary_format_minor_version" | "confidence" => 5,
        "build_epoch" => 9,
        _ if v > u32::MAX as u64 => 9,
        _ => 6,
    }
}

fn encode(value: &Json, key: &str, out: &mut Vec<u8>) -> Result<(), String> {
    match value {
        Json::String(s) => {
            control(out, 2, s.len())?;
            out.extend_from_slice(s.as_bytes());
        }
        Json::Bool(b) => control(out, 14, *b as usize)?,
        Json::Number(n) => match n.as_u64() {
            Some(v) => {
                let bytes = v.to_be_bytes();
                let skip = bytes.iter().take_while(|&&b| b == 0).count();
                control(out, unsigned_type(key, v), 8 - skip)?;
                out.extend_from_slice(&bytes[skip..]);
            }
            None => {
                control(out, 3, 8)?;
                out.extend_from_slice(&n.as_f64().unwrap_or(f64::NAN).to_be_bytes());
            }
        },
        Json::Array(items) => {
            control(out, 11, items.len())?;
            for v in items {
                encode(v, key, out)?;
            }
        }
        Json::Object(map) => {
            control(out, 7, map.len())?;
            for (k, v) in map {
                encode(&Json::String(k.clone()), "", out)?;
                encode(v, k, out)?;
            }
        }
        Json::Null => return Err(format!("[{key}] is null; a MaxMind database has no null")),
    }
    Ok(())
}

/// Builds a database from MaxMind's test-data source format: a JSON list of
/// single-entry objects `{"<cidr>": <record>}` (or one object of them).
pub fn from_source_json(database_type: &str, text: &str) -> Result<Vec<u8>, String> {
    let json: Json = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
    let entries: Vec<(String, Json)> = match json {
        Json::Array(items) => items
            .into_iter()
            .flat_map(|item| match item {
                Json::Object(m) => m.into_iter().map(Ok).collect::<Vec<_>>(),
                _ => vec![Err("each list entry must be an object {\"<cidr>\": record}".to_string())],
            })
            .collect::<Result<_, _>>()?,
        Json::Object(m) => m.into_iter().collect(),
        _ => return Err("expected a list of {\"<cidr>\": record} objects".into()),
    };
    let networks: Vec<(&str, Json)> = entries.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    build(database_type, &networks)
}
