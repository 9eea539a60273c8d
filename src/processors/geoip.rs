//! `geoip`: adds where an IP address is, from a MaxMind database.
//!
//! Elasticsearch registers one factory (`GeoIpProcessor.Factory`) under two
//! names, `geoip` and `ip_location` (`IngestGeoIpPlugin`); they differ only
//! in the name, which is also the default `target_field` and the prefix of
//! the tags they add, and in `geoip` refusing IPinfo databases. This file
//! holds that processor for both; `ip_location.rs` declares the other name.

use super::{Example, Flow, OptionKind::*, OptionSpec, Options, Processor, ProcessorSpec};
use crate::document::{FieldPath, IngestDocument};
use crate::error::EsError;
use crate::geoip::{Database, IpinfoKind, Kind, Property};
use crate::pipeline::{BuildContext, RunContext};
use crate::value::Value;
use std::sync::Arc;

/// The options of the factory under the name `processor`, which is also the
/// default target field.
pub(super) const fn options(processor: &'static str) -> [OptionSpec; 7] {
    [
        OptionSpec::required("field", String, "The field to get the IP address from."),
        OptionSpec::optional("target_field", String, "The field that will hold the geographical information.")
            .default(processor),
        OptionSpec::optional("database_file", String, "The database file name in the GeoIP directory.")
            .default("GeoLite2-City.mmdb"),
        OptionSpec::optional(
            "properties",
            StringList,
            "Which properties to add; the default depends on the database type.",
        ),
        OptionSpec::optional("ignore_missing", Bool, "Do nothing when the field is missing or null.").default("false"),
        OptionSpec::optional("first_only", Bool, "For a list of addresses, keep only the first found.")
            .default("true"),
        OptionSpec::optional(
            "download_database_on_pipeline_creation",
            Bool,
            "Validated and otherwise ignored: no database is downloaded.",
        )
        .default("true"),
    ]
}

const OPTIONS: [OptionSpec; 7] = options("geoip");

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "geoip",
    description: "Adds information about the geographical location of an IPv4 or IPv6 address, from a MaxMind \
                  database found in the GeoIP directory (--geoip-dir or INGOT_GEOIP_DIR).",
    options: &OPTIONS,
    examples: &[
        Example {
            title: "city database, default properties",
            config: r#"{"field": "ip"}"#,
            input: r#"{"ip": "192.0.2.10"}"#,
            output: Ok(r#"{"ip": "192.0.2.10", "geoip": {"continent_name": "North America", "region_iso_code": "US-IL",
                "city_name": "Springfield", "country_iso_code": "US", "country_name": "United States",
                "region_name": "Illinois", "location": {"lon": -89.6501, "lat": 39.7817}}}"#),
        },
        Example {
            title: "ASN database",
            config: r#"{"field": "ip", "target_field": "as", "database_file": "GeoLite2-ASN.mmdb"}"#,
            input: r#"{"ip": "203.0.113.9"}"#,
            output: Ok(r#"{"ip": "203.0.113.9", "as": {"ip": "203.0.113.9", "organization_name": "Example Networks",
                "asn": 64500, "network": "203.0.113.0/26"}}"#),
        },
        Example {
            title: "an address the database does not know adds nothing",
            config: r#"{"field": "ip"}"#,
            input: r#"{"ip": "10.1.2.3"}"#,
            output: Ok(r#"{"ip": "10.1.2.3"}"#),
        },
        Example {
            title: "first_only false keeps one entry per address",
            config: r#"{"field": "ips", "first_only": false, "properties": ["country_iso_code"]}"#,
            input: r#"{"ips": ["10.1.2.3", "198.51.100.1"]}"#,
            output: Ok(r#"{"ips": ["10.1.2.3", "198.51.100.1"], "geoip": [null, {"country_iso_code": "FR"}]}"#),
        },
        Example {
            title: "a missing database tags the document",
            config: r#"{"field": "ip", "database_file": "GeoIP2-City.mmdb"}"#,
            input: r#"{"ip": "192.0.2.10"}"#,
            output: Ok(r#"{"ip": "192.0.2.10", "tags": ["_geoip_database_unavailable_GeoIP2-City.mmdb"]}"#),
        },
        Example {
            title: "a missing field fails",
            config: r#"{"field": "ip"}"#,
            input: r#"{}"#,
            output: Err("field [ip] not present as part of path [ip]"),
        },
    ],
    build: Some(build),
};

#[derive(Debug)]
struct GeoIp {
    field: FieldPath,
    target_field: FieldPath,
    database: Arc<Database>,
    kind: Kind,
    properties: Vec<Property>,
    ignore_missing: bool,
    first_only: bool,
}

/// Elasticsearch's `DatabaseUnavailableProcessor`: with no such database
/// file, every document is tagged, whatever its fields.
#[derive(Debug)]
struct DatabaseUnavailable {
    processor: &'static str,
    database_file: std::string::String,
}

fn build(o: &mut Options, ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    build_as("geoip", o, ctx)
}

/// `GeoIpProcessor.Factory.create` for the factory registered as `processor`.
pub(super) fn build_as(
    processor: &'static str,
    o: &mut Options,
    ctx: &BuildContext,
) -> Result<Box<dyn Processor>, EsError> {
    let field = o.string("field")?;
    let target_field = o.opt_string("target_field")?.unwrap_or_else(|| processor.into());
    let database_file = o.opt_string("database_file")?.unwrap_or_else(|| "GeoLite2-City.mmdb".into());
    let properties = o.opt_string_list("properties")?;
    let ignore_missing = o.bool_or("ignore_missing", false)?;
    let first_only = o.bool_or("first_only", true)?;
    o.bool_or("download_database_on_pipeline_creation", true)?;

    let database = match &ctx.geoip_dir {
        None => None,
        Some(dir) => Database::open_shared(dir, &database_file).map_err(|e| o.error("database_file", &e))?,
    };
    let Some(database) = database else {
        return Ok(Box::new(DatabaseUnavailable { processor, database_file }));
    };
    let database_type = database.database_type.as_str();
    let unsupported = || {
        o.error("database_file", &format!("Unsupported database type [{database_type}] for file [{database_file}]"))
    };
    // IpDataLookupFactories.get takes an IPinfo type by its prefix, whatever
    // its suffix; the `geoip` name then refuses every IPinfo database.
    if IpinfoKind::is_ipinfo(database_type) {
        if processor == "geoip" || IpinfoKind::from_database_type(database_type).is_none() {
            return Err(unsupported());
        }
        return Err(o.error(
            "database_file",
            &format!("IPinfo database type [{database_type}] of file [{database_file}] is not supported yet"),
        ));
    }
    let kind = Kind::from_database_type(database_type).ok_or_else(unsupported)?;
    let properties = kind.parse_properties(properties.as_deref()).map_err(|e| o.error("properties", &e))?;
    let field = FieldPath::parse(&field).map_err(|e| o.error("field", &e))?;
    let target_field = FieldPath::parse(&target_field).map_err(|e| o.error("target_field", &e))?;
    Ok(Box::new(GeoIp { field, target_field, database, kind, properties, ignore_missing, first_only }))
}

impl Processor for DatabaseUnavailable {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut RunContext) -> Result<Flow, EsError> {
        let tags = FieldPath::parse("tags").expect("static path");
        let tag = Value::String(format!("_{}_database_unavailable_{}", self.processor, self.database_file));
        doc.append(&tags, tag, true).map_err(EsError::illegal_argument)?;
        Ok(Flow::Continue)
    }
}

impl Processor for GeoIp {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut RunContext) -> Result<Flow, EsError> {
        let name = self.field.as_str();
        let ip = match doc.resolve(&self.field) {
            Ok(v) => v,
            Err(_) if self.ignore_missing => &Value::Null,
            Err(miss) => return Err(EsError::illegal_argument(miss.message(name))),
        };
        let result = match ip {
            Value::Null if self.ignore_missing => return Ok(Flow::Continue),
            Value::Null => {
                return Err(EsError::illegal_argument(format!(
                    "field [{name}] is null, cannot extract geoip information."
                )))
            }
            Value::String(ip) => {
                let data = self.database.lookup(self.kind, &self.properties, ip)?;
                (!data.is_empty()).then_some(Value::Map(data))
            }
            Value::List(ips) => {
                let mut found = Vec::with_capacity(ips.len());
                let mut any = false;
                let mut first = None;
                for ip in ips {
                    let Value::String(ip) = ip else {
                        return Err(EsError::illegal_argument(format!(
                            "array in field [{name}] should only contain strings"
                        )));
                    };
                    let data = self.database.lookup(self.kind, &self.properties, ip)?;
                    if data.is_empty() {
                        found.push(Value::Null);
                    } else if self.first_only {
                        first = Some(Value::Map(data));
                        break;
                    } else {
                        any = true;
                        found.push(Value::Map(data));
                    }
                }
                first.or_else(|| any.then_some(Value::List(found)))
            }
            _ => {
                return Err(EsError::illegal_argument(format!(
                    "field [{name}] should contain only string or array of strings"
                )))
            }
        };
        if let Some(result) = result {
            doc.set(&self.target_field, result).map_err(EsError::illegal_argument)?;
        }
        Ok(Flow::Continue)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{Outcome, Pipeline};
    use crate::value::Map;

    /// Runs one geoip processor over `input`, with or without the test databases.
    fn run(config: &str, input: &str, with_databases: bool) -> Result<std::string::String, EsError> {
        let ctx = BuildContext {
            geoip_dir: with_databases.then(crate::geoip::testdata::dir),
            ..Default::default()
        };
        let pipeline = Value::from_json_str(&format!(r#"{{"processors": [{{"geoip": {config}}}]}}"#)).unwrap();
        let pipeline = Pipeline::from_value("t", &pipeline, &ctx)?;
        let Value::Map(source) = Value::from_json_str(input).unwrap() else { panic!("input must be an object") };
        let mut doc = IngestDocument::new(source);
        match pipeline.execute(&mut doc, &mut RunContext::default()) {
            Ok(Outcome::Kept) => Ok(Value::Map(doc.source()).to_json()),
            Ok(Outcome::Dropped) => Ok("dropped".into()),
            Err(e) => Err(e.root().clone()),
        }
    }

    fn json(s: &str) -> std::string::String {
        Value::from_json_str(s).unwrap().to_json()
    }

    #[test]
    fn no_geoip_directory_means_every_database_is_unavailable() {
        let got = run(r#"{"field": "ip"}"#, r#"{"ip": "192.0.2.10", "tags": "x"}"#, false).unwrap();
        assert_eq!(got, json(r#"{"ip": "192.0.2.10", "tags": ["x", "_geoip_database_unavailable_GeoLite2-City.mmdb"]}"#));
        // The unavailable processor does not even look at the field.
        let got = run(r#"{"field": "missing"}"#, r#"{}"#, false).unwrap();
        assert_eq!(got, json(r#"{"tags": ["_geoip_database_unavailable_GeoLite2-City.mmdb"]}"#));
    }

    #[test]
    fn ignore_missing_skips_missing_and_null() {
        let cfg = r#"{"field": "ip", "ignore_missing": true}"#;
        assert_eq!(run(cfg, r#"{}"#, true).unwrap(), "{}");
        assert_eq!(run(cfg, r#"{"ip": null}"#, true).unwrap(), r#"{"ip":null}"#);
        let e = run(r#"{"field": "ip"}"#, r#"{"ip": null}"#, true).unwrap_err();
        assert_eq!(e.reason, "field [ip] is null, cannot extract geoip information.");
    }

    #[test]
    fn wrong_types_fail_as_in_elasticsearch() {
        let e = run(r#"{"field": "ip"}"#, r#"{"ip": 5}"#, true).unwrap_err();
        assert_eq!(e.reason, "field [ip] should contain only string or array of strings");
        // As in Elasticsearch, elements after the first match are never checked.
        assert!(run(r#"{"field": "ip"}"#, r#"{"ip": ["192.0.2.1", 5]}"#, true).is_ok());
        let e = run(r#"{"field": "ip"}"#, r#"{"ip": ["10.0.0.1", 5]}"#, true).unwrap_err();
        assert_eq!(e.reason, "array in field [ip] should only contain strings");
        let e = run(r#"{"field": "ip"}"#, r#"{"ip": "nope"}"#, true).unwrap_err();
        assert_eq!(e.reason, "'nope' is not an IP string literal.");
    }

    #[test]
    fn first_only_takes_the_first_address_found() {
        let got = run(r#"{"field": "ips", "properties": ["ip"]}"#, r#"{"ips": ["10.0.0.1", "192.0.2.3", "198.51.100.2"]}"#, true);
        assert_eq!(got.unwrap(), json(r#"{"ips": ["10.0.0.1", "192.0.2.3", "198.51.100.2"], "geoip": {"ip": "192.0.2.3"}}"#));
        let got = run(r#"{"field": "ips"}"#, r#"{"ips": ["10.0.0.1"]}"#, true).unwrap();
        assert_eq!(got, json(r#"{"ips": ["10.0.0.1"]}"#), "no match writes nothing");
    }

    #[test]
    fn ipv6_lookups() {
        let got = run(r#"{"field": "ip", "properties": ["city_name", "location", "ip"]}"#, r#"{"ip": "2001:db8::1"}"#, true);
        let Value::Map(out) = Value::from_json_str(&got.unwrap()).unwrap() else { panic!() };
        let geo = out["geoip"].as_map().unwrap();
        assert_eq!(geo["city_name"], Value::from("Sixton"));
        assert_eq!(geo["ip"], Value::from("2001:db8::1"));
        assert_eq!(geo["location"].as_map().unwrap()["lat"], Value::Double(-41.5));
    }

    #[test]
    fn configuration_errors() {
        let e = run(r#"{"field": "ip", "properties": ["asn"]}"#, "{}", true).unwrap_err();
        assert!(e.reason.starts_with("[properties] illegal property value [asn]. valid values are [IP, "), "{}", e.reason);
        let e = run(r#"{"field": "ip", "database_file": "Custom-Thing.mmdb"}"#, "{}", true).unwrap_err();
        assert_eq!(e.reason, "[database_file] Unsupported database type [Custom-Thing] for file [Custom-Thing.mmdb]");
        // GeoIpProcessor.Factory: the `geoip` name refuses IPinfo databases
        // that `ip_location` reads.
        let e = run(r#"{"field": "ip", "database_file": "ip_asn_sample.mmdb"}"#, "{}", true).unwrap_err();
        assert_eq!(
            e.reason,
            "[database_file] Unsupported database type [ipinfo ip_asn_sample.mmdb] for file [ip_asn_sample.mmdb]"
        );
        let e = run(r#"{"field": "ip", "first_only": "yes"}"#, "{}", true).unwrap_err();
        assert_eq!(e.kind, "parse_exception");
        let e = run(r#"{"field": "ip", "nope": 1}"#, "{}", true).unwrap_err();
        assert!(e.reason.contains("[nope]"), "{}", e.reason);
        assert!(run(r#"{"field": "ip", "download_database_on_pipeline_creation": false}"#, r#"{"ip":"10.0.0.1"}"#, true).is_ok());
    }

    #[test]
    fn target_field_is_replaced_whole() {
        let got = run(
            r#"{"field": "ip", "target_field": "a.b", "database_file": "GeoLite2-Country.mmdb"}"#,
            r#"{"ip": "198.51.100.3", "a": {"b": {"old": 1}, "c": 2}}"#,
            true,
        )
        .unwrap();
        let Value::Map(out) = Value::from_json_str(&got).unwrap() else { panic!() };
        let a: &Map = out["a"].as_map().unwrap();
        assert_eq!(a["c"], Value::Int(2));
        assert_eq!(
            Value::Map(a["b"].as_map().unwrap().clone()).to_json(),
            r#"{"continent_name":"Europe","country_iso_code":"FR","country_name":"France"}"#
        );
    }
}
