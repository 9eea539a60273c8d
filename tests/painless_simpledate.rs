//! A pipeline in the shape of the postgresql and cisco_ios log pipelines
//! (elastic/integrations): a script reads a zone abbreviation with
//! `new SimpleDateFormat("z")`, takes the id of the zone it found through
//! `ZoneId.of(..., ZoneId.SHORT_IDS)`, and a date processor parses the
//! timestamp in that zone. Our own script, with the same calls. Expected
//! zones and instants are JDK 25's (`-Djava.locale.providers=CLDR`, as
//! Elasticsearch 9 runs): `z` reads CEST as Europe/Paris there, and the date
//! processor then parses the timestamp (its abbreviation stripped) in that
//! zone.

use ingot::document::IngestDocument;
use ingot::pipeline::{BuildContext, Outcome, Pipeline, RunContext};
use ingot::value::{Map, Value};

const PIPELINE: &str = r#"{
  "processors": [
    {"grok": {"field": "message", "patterns": ["^%{TIMESTAMP_ISO8601:_temp_.timestamp} %{WORD:event.timezone} %{GREEDYDATA:message}"]}},
    {"script": {"lang": "painless", "source": "String tz = ctx.event.timezone.toUpperCase(); if (tz.length() <= 4) { SimpleDateFormat sdf = new SimpleDateFormat('z'); sdf.parse(tz); ctx._temp_.date_timezone = ZoneId.of(sdf.getTimeZone().getID(), ZoneId.SHORT_IDS).getId(); } else { ctx._temp_.date_timezone = tz; }"}},
    {"date": {"field": "_temp_.timestamp", "target_field": "@timestamp", "timezone": "{{{_temp_.date_timezone}}}", "formats": ["yyyy-MM-dd HH:mm:ss.SSS"]}},
    {"remove": {"field": "_temp_"}}
  ],
  "on_failure": [
    {"set": {"field": "error.message", "value": "{{ _ingest.on_failure_message }}"}}
  ]
}"#;

fn run(message: &str) -> Map {
    let definition = Value::from_json_str(PIPELINE).unwrap();
    let pipeline = Pipeline::from_value("postgresql-like", &definition, &BuildContext::default()).unwrap();
    let mut source = Map::default();
    source.insert("message".into(), Value::from(message));
    let mut doc = IngestDocument::new(source);
    let outcome = pipeline.execute(&mut doc, &mut RunContext::default());
    assert!(matches!(outcome, Ok(Outcome::Kept)), "{message}: {outcome:?}");
    doc.source()
}

fn field(doc: &Map, path: &str) -> Option<String> {
    let mut value = Value::Map(doc.clone());
    for key in path.split('.') {
        value = value.as_map()?.get(key)?.clone();
    }
    value.as_str().map(str::to_string)
}

#[test]
fn zone_abbreviations_resolve_as_elasticsearch_resolves_them() {
    let cases = [
        ("2021-07-01 10:00:00.000 CEST checkpoint", "2021-07-01T10:00:00.000+02:00"),
        ("2021-01-15 10:00:00.000 EST checkpoint", "2021-01-15T10:00:00.000-05:00"),
        // America/New_York, whose summer offset the date processor applies.
        ("2021-07-01 10:00:00.000 EST checkpoint", "2021-07-01T10:00:00.000-04:00"),
        ("2021-07-01 10:00:00.000 utc checkpoint", "2021-07-01T10:00:00.000Z"),
        // AEST is found under the old id AET, which SHORT_IDS maps.
        ("2021-07-01 10:00:00.000 AEST checkpoint", "2021-07-01T10:00:00.000+10:00"),
    ];
    for (message, timestamp) in cases {
        let doc = run(message);
        assert_eq!(field(&doc, "@timestamp").as_deref(), Some(timestamp), "{message}");
        assert_eq!(field(&doc, "error.message"), None, "{message}");
    }
}

#[test]
fn an_unknown_abbreviation_fails_with_the_parse_exception() {
    let doc = run("2021-07-01 10:00:00.000 XYZ checkpoint");
    // `{{ }}` escapes the quotes as Elasticsearch's JSON-escaping Mustache does.
    assert_eq!(field(&doc, "error.message").as_deref(), Some(r#"Unparseable date: \"XYZ\""#));
    assert_eq!(field(&doc, "@timestamp"), None);
}
