//! `ip_location`: the `geoip` processor under its newer name.
//!
//! Elasticsearch 8.16+ registers `GeoIpProcessor.Factory` a second time as
//! `ip_location` (`IngestGeoIpPlugin.getProcessors`): same options, lookups
//! and error texts (a null field still "cannot extract geoip information"),
//! but the default `target_field` is `ip_location`, a missing database tags
//! `_ip_location_database_unavailable_<file>`, and IPinfo databases are
//! accepted, which ingot does not read yet (see `geoip::build_as`).

use super::geoip::{build_as, options};
use super::{Example, Options, Processor, ProcessorSpec};
use crate::error::EsError;
use crate::pipeline::BuildContext;

const OPTIONS: [super::OptionSpec; 7] = options("ip_location");

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "ip_location",
    description: "Adds information about the geographical location of an IPv4 or IPv6 address, from a MaxMind \
                  database found in the GeoIP directory (--geoip-dir or INGOT_GEOIP_DIR); IPinfo databases are \
                  not supported yet.",
    options: &OPTIONS,
    examples: &[
        Example {
            title: "city database, default properties, default target field",
            config: r#"{"field": "ip"}"#,
            input: r#"{"ip": "192.0.2.10"}"#,
            output: Ok(r#"{"ip": "192.0.2.10", "ip_location": {"continent_name": "North America", "region_iso_code": "US-IL",
                "city_name": "Springfield", "country_iso_code": "US", "country_name": "United States",
                "region_name": "Illinois", "location": {"lon": -89.6501, "lat": 39.7817}}}"#),
        },
        Example {
            title: "ASN database",
            config: r#"{"field": "source.ip", "target_field": "source.as", "database_file": "GeoLite2-ASN.mmdb",
                "properties": ["asn", "organization_name"]}"#,
            input: r#"{"source": {"ip": "203.0.113.9"}}"#,
            output: Ok(r#"{"source": {"ip": "203.0.113.9", "as": {"organization_name": "Example Networks", "asn": 64500}}}"#),
        },
        Example {
            title: "a missing database tags the document with the processor's name",
            config: r#"{"field": "ip", "database_file": "GeoIP2-City.mmdb"}"#,
            input: r#"{"ip": "192.0.2.10"}"#,
            output: Ok(r#"{"ip": "192.0.2.10", "tags": ["_ip_location_database_unavailable_GeoIP2-City.mmdb"]}"#),
        },
        Example {
            title: "a null field fails with the geoip processor's text",
            config: r#"{"field": "ip"}"#,
            input: r#"{"ip": null}"#,
            output: Err("field [ip] is null, cannot extract geoip information."),
        },
    ],
    build: Some(build),
};

fn build(o: &mut Options, ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    build_as("ip_location", o, ctx)
}

#[cfg(test)]
mod tests {
    use crate::document::IngestDocument;
    use crate::error::EsError;
    use crate::pipeline::{BuildContext, Pipeline, RunContext};
    use crate::processors::lookup;
    use crate::value::Value;

    /// Runs one processor of type `kind` over `input`, with or without the
    /// test databases.
    fn run(kind: &str, config: &str, input: &str, with_databases: bool) -> Result<String, EsError> {
        let ctx = BuildContext {
            geoip_dir: with_databases.then(crate::geoip::testdata::dir),
            ..Default::default()
        };
        let pipeline = Value::from_json_str(&format!(r#"{{"processors": [{{"{kind}": {config}}}]}}"#)).unwrap();
        let pipeline = Pipeline::from_value("t", &pipeline, &ctx)?;
        let Value::Map(source) = Value::from_json_str(input).unwrap() else { panic!("input must be an object") };
        let mut doc = IngestDocument::new(source);
        pipeline.execute(&mut doc, &mut RunContext::default()).map_err(|e| e.root().clone())?;
        Ok(Value::Map(doc.source()).to_json())
    }

    /// One factory under two names: the same options, only the default
    /// target field differs.
    #[test]
    fn options_are_those_of_geoip_but_the_default_target() {
        let (geoip, ip_location) = (lookup("geoip").unwrap(), lookup("ip_location").unwrap());
        assert_eq!(geoip.options.len(), ip_location.options.len());
        for (g, i) in geoip.options.iter().zip(ip_location.options) {
            assert_eq!((g.name, g.required), (i.name, i.required));
            let (g_default, i_default) = (g.default, i.default);
            if g.name == "target_field" {
                assert_eq!((g_default, i_default), (Some("geoip"), Some("ip_location")));
            } else {
                assert_eq!(g_default, i_default, "{}", g.name);
            }
        }
    }

    #[test]
    fn lookups_match_geoip_but_for_the_target() {
        for (config, input) in [
            (r#"{"field": "ips", "first_only": false, "properties": ["country_iso_code", "ip"]}"#, r#"{"ips": ["10.1.2.3", "198.51.100.1"]}"#),
            (r#"{"field": "ip", "database_file": "GeoIP2-Anonymous-IP.mmdb"}"#, r#"{"ip": "192.0.2.200"}"#),
            (r#"{"field": "ip", "target_field": "a.b", "database_file": "GeoLite2-Country.mmdb"}"#, r#"{"ip": "198.51.100.3"}"#),
        ] {
            let geoip = run("geoip", config, input, true).unwrap();
            let ip_location = run("ip_location", config, input, true).unwrap();
            assert_eq!(geoip.replace(r#""geoip":"#, r#""ip_location":"#), ip_location, "{config}");
        }
    }

    /// `DatabaseUnavailableProcessor` tags with `"_" + type + ...`.
    #[test]
    fn an_unavailable_database_is_tagged_with_the_processor_name() {
        let got = run("ip_location", r#"{"field": "missing"}"#, r#"{"tags": "x"}"#, false).unwrap();
        assert_eq!(got, r#"{"tags":["x","_ip_location_database_unavailable_GeoLite2-City.mmdb"]}"#);
    }

    /// Errors are the factory's, named by the processor they occur in.
    #[test]
    fn configuration_and_lookup_errors() {
        let e = run("ip_location", r#"{"field": "ip", "tag": "t", "properties": ["asn"]}"#, "{}", true).unwrap_err();
        assert!(e.reason.starts_with("[properties] illegal property value [asn]. valid values are [IP, "), "{}", e.reason);
        assert_eq!(e.extra.get("processor_type"), Some(&Value::from("ip_location")));
        let e = run("ip_location", r#"{"field": "ip", "database_file": "Custom-Thing.mmdb"}"#, "{}", true).unwrap_err();
        assert_eq!(e.reason, "[database_file] Unsupported database type [Custom-Thing] for file [Custom-Thing.mmdb]");
        let e = run("ip_location", r#"{"field": "ip"}"#, r#"{"ip": 5}"#, true).unwrap_err();
        assert_eq!(e.reason, "field [ip] should contain only string or array of strings");
        let e = run("ip_location", r#"{"field": "ip"}"#, r#"{}"#, true).unwrap_err();
        assert_eq!(e.reason, "field [ip] not present as part of path [ip]");
        assert_eq!(run("ip_location", r#"{"field": "ip", "ignore_missing": true}"#, r#"{}"#, true).unwrap(), "{}");
    }

    /// IPinfo databases Elasticsearch reads are refused as not supported;
    /// those it refuses itself (`country_asn`, `extended`) keep its message.
    #[test]
    fn ipinfo_databases_are_not_supported_yet() {
        let e = run("ip_location", r#"{"field": "ip", "database_file": "ip_asn_sample.mmdb"}"#, "{}", true).unwrap_err();
        assert_eq!(
            e.reason,
            "[database_file] IPinfo database type [ipinfo ip_asn_sample.mmdb] of file [ip_asn_sample.mmdb] is not supported yet"
        );
        let e = run("ip_location", r#"{"field": "ip", "database_file": "ip_country_asn_sample.mmdb"}"#, "{}", true).unwrap_err();
        assert_eq!(
            e.reason,
            "[database_file] Unsupported database type [ipinfo ip_country_asn_sample.mmdb] for file [ip_country_asn_sample.mmdb]"
        );
    }
}
