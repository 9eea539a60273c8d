//! The `geoip` processor against MaxMind's GeoLite2 test databases, when the
//! workspace provides them (`../shared/geoip` beside the repository, or
//! `INGOT_GEOIP_DIR`). Skipped with a message otherwise, unless
//! `INGOT_REQUIRE_SHARED=1`.

use ingot::document::IngestDocument;
use ingot::pipeline::{BuildContext, Pipeline, RunContext};
use ingot::value::Value;
use std::path::PathBuf;

mod support;

fn shared_dir() -> Option<PathBuf> {
    std::env::var_os("INGOT_GEOIP_DIR").map(PathBuf::from).or_else(|| support::shared_dir().map(|d| d.join("geoip")))
}

/// Skips with a message, or fails when CI requires the shared data
/// (`INGOT_REQUIRE_SHARED=1`).
fn missing() {
    if std::env::var_os("INGOT_REQUIRE_SHARED").is_some_and(|v| v == "1") {
        panic!("the GeoLite2 test databases are missing and INGOT_REQUIRE_SHARED=1");
    }
    eprintln!("skipping: no GeoLite2 test databases (set INGOT_GEOIP_DIR or provide ../shared/geoip)");
}

fn run(dir: &PathBuf, processors: &str, doc: &str) -> Value {
    let ctx = BuildContext { geoip_dir: Some(dir.clone()), ..Default::default() };
    let pipeline = Value::from_json_str(&format!(r#"{{"processors": {processors}}}"#)).unwrap();
    let pipeline = Pipeline::from_value("geoip-test", &pipeline, &ctx).expect("pipeline builds");
    let Value::Map(source) = Value::from_json_str(doc).unwrap() else { panic!("document must be an object") };
    let mut doc = IngestDocument::new(source);
    pipeline.execute(&mut doc, &mut RunContext::default()).expect("pipeline runs");
    Value::Map(doc.source())
}

fn at<'a>(v: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(v, |v, k| v.as_map().and_then(|m| m.get(k)).unwrap_or_else(|| panic!("no [{path}] in {v}")))
}

#[test]
fn city_country_and_asn_from_the_shared_databases() {
    let Some(dir) = shared_dir() else {
        return missing();
    };
    let out = run(
        &dir,
        r#"[
            {"geoip": {"field": "a"}},
            {"geoip": {"field": "b", "target_field": "b_geo"}},
            {"geoip": {"field": "b", "target_field": "b_as", "database_file": "GeoLite2-ASN.mmdb"}},
            {"geoip": {"field": "a", "target_field": "a_country", "database_file": "GeoLite2-Country.mmdb"}}
        ]"#,
        r#"{"a": "81.2.69.144", "b": "216.160.83.56"}"#,
    );
    assert_eq!(at(&out, "geoip.city_name"), &Value::from("London"));
    assert_eq!(at(&out, "geoip.country_iso_code"), &Value::from("GB"));
    assert_eq!(at(&out, "geoip.region_iso_code"), &Value::from("GB-ENG"));
    assert_eq!(at(&out, "geoip.region_name"), &Value::from("England"));
    assert_eq!(at(&out, "geoip.location.lat"), &Value::Double(51.5142));
    assert_eq!(at(&out, "geoip.location.lon"), &Value::Double(-0.0931));
    assert_eq!(at(&out, "b_geo.city_name"), &Value::from("Milton"));
    assert_eq!(at(&out, "b_geo.region_iso_code"), &Value::from("US-WA"));
    assert_eq!(at(&out, "b_as.asn"), &Value::Long(209));
    assert_eq!(at(&out, "b_as.ip"), &Value::from("216.160.83.56"));
    assert_eq!(at(&out, "b_as.network"), &Value::from("216.160.64.0/18"));
    assert_eq!(at(&out, "a_country.country_iso_code"), &Value::from("GB"));
    assert_eq!(at(&out, "a_country").as_map().unwrap().len(), 3, "country defaults: iso code, name, continent");
}

#[test]
fn ipv6_networks_print_as_java_does() {
    let Some(dir) = shared_dir() else {
        return missing();
    };
    let out = run(&dir, r#"[{"geoip": {"field": "ip", "database_file": "GeoLite2-ASN.mmdb"}}]"#, r#"{"ip": "2001:db8::5"}"#);
    assert_eq!(at(&out, "geoip.network"), &Value::from("2001:db8:0:0:0:0:0:0/32"));
    assert_eq!(at(&out, "geoip.ip"), &Value::from("2001:db8::5"));
    assert_eq!(at(&out, "geoip.asn"), &Value::Long(65551));
}
