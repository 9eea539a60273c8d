//! `date_index_name`: points `_index` at a date-math index name built from a
//! date field.

use super::date::value_text;
use super::{Example, Flow, OptionKind as K, OptionSpec, Options, Processor, ProcessorSpec};
use crate::date::ingest::CompiledFormat;
use crate::date::{self, DateFormatter, Locale, ZoneId};
use crate::document::{FieldPath, IngestDocument};
use crate::error::EsError;
use crate::pipeline::{BuildContext, RunContext};
use crate::template::Template;
use crate::value::Value;

const DEFAULT_DATE_FORMAT: &str = "yyyy-MM-dd'T'HH:mm:ss.SSSXX";

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "date_index_name",
    description: "Points documents to the right time-based index by rounding a date field in a date math index name.",
    options: &[
        OptionSpec::required("field", K::String, "The field to get the date or timestamp from."),
        OptionSpec::optional(
            "index_name_prefix",
            K::String,
            "A prefix of the index name to be prepended before the printed date.",
        )
        .default("")
        .templated(),
        OptionSpec::required(
            "date_rounding",
            K::String,
            "How to round the date when formatting the date into the index name: y, M, w, d, h, m or s.",
        )
        .templated(),
        OptionSpec::optional(
            "date_formats",
            K::StringList,
            "Formats to parse the date with: Java patterns or ISO8601, UNIX, UNIX_MS, TAI64N.",
        )
        .default(DEFAULT_DATE_FORMAT),
        OptionSpec::optional("timezone", K::String, "The timezone to use when parsing the date and rounding.")
            .default("UTC"),
        OptionSpec::optional("locale", K::String, "The locale to use when parsing month and day names.")
            .default("ENGLISH"),
        OptionSpec::optional(
            "index_name_format",
            K::String,
            "The format for printing the parsed date into the index name.",
        )
        .default("yyyy-MM-dd")
        .templated(),
    ],
    examples: &[
        Example {
            title: "the source is unchanged; _index becomes <my-index-{2016-04-25||/M{yyyy-MM-dd|UTC}}>",
            config: r#"{"field": "date1", "index_name_prefix": "my-index-", "date_rounding": "M"}"#,
            input: r#"{"date1": "2016-04-25T12:02:01.789Z"}"#,
            output: Ok(r#"{"date1": "2016-04-25T12:02:01.789Z"}"#),
        },
        Example {
            title: "a date no format parses",
            config: r#"{"field": "date1", "date_rounding": "M"}"#,
            input: r#"{"date1": "2016-04-25"}"#,
            output: Err("Text '2016-04-25' could not be parsed at index 10"),
        },
    ],
    build: Some(build),
};

#[derive(Debug)]
struct DateIndexName {
    field: String,
    formats: Vec<CompiledFormat>,
    zone: ZoneId,
    locale: Locale,
    prefix: Template,
    rounding: Template,
    index_name_format: Template,
}

/// `new Locale.Builder().setLanguageTag(tag)`, limited to the locales ingot has.
fn language_tag(tag: &str) -> Result<Locale, EsError> {
    if tag.is_empty() {
        return Ok(Locale::root());
    }
    let well_formed = tag.split('-').enumerate().all(|(i, part)| {
        !part.is_empty()
            && part.len() <= 8
            && part.chars().all(|c| c.is_ascii_alphanumeric())
            && (i > 0 || (part.len() >= 2 && part.chars().all(|c| c.is_ascii_alphabetic())))
    });
    if !well_formed {
        return Err(EsError::illegal_argument(format!("Invalid language tag specified: {tag}")));
    }
    Locale::parse(tag)
}

fn template(o: &mut Options, name: &str, value: String) -> Result<Template, EsError> {
    Template::compile(&value).map_err(|e| o.error(name, &e.reason))
}

fn build(o: &mut Options, _ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    let locale_string = o.opt_string("locale")?;
    let timezone_string = o.opt_string("timezone")?;
    let zone = match timezone_string {
        None => ZoneId::Offset(0),
        Some(tz) => ZoneId::of(&tz).map_err(date::factory_error)?,
    };
    let locale = match locale_string {
        None => Locale::english(),
        Some(l) => language_tag(&l).map_err(date::factory_error)?,
    };
    let formats = o.opt_string_list("date_formats")?.unwrap_or_else(|| vec![DEFAULT_DATE_FORMAT.to_string()]);
    let formats: Vec<CompiledFormat> = formats.iter().map(|f| CompiledFormat::new(f)).collect();
    // Java patterns are compiled when the processor is created
    if let Some(e) = formats.iter().find_map(|f| f.error()) {
        return Err(date::factory_error(e.clone()));
    }
    let field = o.string("field")?;
    let prefix = o.opt_string("index_name_prefix")?.unwrap_or_default();
    let prefix = template(o, "index_name_prefix", prefix)?;
    let rounding = o.string("date_rounding")?;
    let rounding = template(o, "date_rounding", rounding)?;
    let index_name_format = o.opt_string("index_name_format")?.unwrap_or_else(|| "yyyy-MM-dd".into());
    let index_name_format = template(o, "index_name_format", index_name_format)?;
    Ok(Box::new(DateIndexName { field, formats, zone, locale, prefix, rounding, index_name_format }))
}

impl Processor for DateIndexName {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut RunContext) -> Result<Flow, EsError> {
        let path = FieldPath::parse(&self.field).map_err(EsError::illegal_argument)?;
        let text = value_text(doc.get(&path).map_err(EsError::illegal_argument)?);
        let mut failure = None;
        let mut parsed = None;
        // every format is tried; the last one that parses wins
        for format in &self.formats {
            match format.parse(text.as_deref(), &self.zone, &self.locale) {
                Ok(zdt) => parsed = Some(zdt),
                Err(e) => failure = Some(date::use_or_suppress(failure, e)),
            }
        }
        let Some(zdt) = parsed else {
            let e = EsError::illegal_argument(format!("unable to parse date [{}]", text.as_deref().unwrap_or("null")));
            return Err(match failure {
                Some(cause) => e.caused_by(cause),
                None => e,
            });
        };
        let prefix = self.prefix.render(doc);
        let index_name_format = self.index_name_format.render(doc);
        let rounding = self.rounding.render(doc);
        let formatter = DateFormatter::for_pattern(&index_name_format)?;
        let zone = if self.zone.is_utc_offset() { "UTC".to_string() } else { self.zone.id() };
        let name = format!("<{prefix}{{{}||/{rounding}{{{index_name_format}|{zone}}}}}>", formatter.format(&zdt)?);
        doc.set(&FieldPath::parse("_index").unwrap(), Value::String(name)).map_err(EsError::illegal_argument)?;
        Ok(Flow::Continue)
    }
}

#[cfg(test)]
mod tests {
    use crate::document::IngestDocument;
    use crate::pipeline::{BuildContext, Pipeline, RunContext};
    use crate::value::Value;

    fn index_name(config: &str, source: &str) -> Result<String, String> {
        let def = Value::from_json_str(&format!(r#"{{"processors": [{{"date_index_name": {config}}}]}}"#)).unwrap();
        let pipeline = Pipeline::from_value("p", &def, &BuildContext::default()).map_err(|e| e.reason)?;
        let Value::Map(src) = Value::from_json_str(source).unwrap() else { panic!() };
        let mut doc = IngestDocument::new(src);
        pipeline.execute(&mut doc, &mut RunContext::default()).map_err(|e| e.reason)?;
        Ok(doc.ctx.get("_index").and_then(|v| v.as_str()).unwrap_or_default().to_string())
    }

    #[test]
    fn date_index_name_docs_examples() {
        assert_eq!(
            index_name(
                r#"{"field": "date1", "index_name_prefix": "my-index-", "date_rounding": "M"}"#,
                r#"{"date1": "2016-04-25T12:02:01.789Z"}"#
            ),
            Ok("<my-index-{2016-04-25||/M{yyyy-MM-dd|UTC}}>".into())
        );
        assert_eq!(
            index_name(
                r#"{"field": "date1", "index_name_prefix": "events-", "date_rounding": "d", "timezone": "Europe/Amsterdam", "date_formats": ["UNIX"], "index_name_format": "yyyy.MM.dd"}"#,
                r#"{"date1": 1461585721.789}"#
            ),
            Ok("<events-{2016.04.25||/d{yyyy.MM.dd|Europe/Amsterdam}}>".into())
        );
        assert_eq!(
            index_name(
                r#"{"field": "d", "date_rounding": "{{{r}}}", "index_name_prefix": "{{{p}}}-", "timezone": "+00:00", "date_formats": ["ISO8601"]}"#,
                r#"{"d": "2016-04-25", "r": "y", "p": "logs"}"#
            ),
            Ok("<logs-{2016-04-25||/y{yyyy-MM-dd|UTC}}>".into())
        );
        // the last format that parses wins
        assert_eq!(
            index_name(
                r#"{"field": "d", "date_rounding": "d", "date_formats": ["yyyy-MM-dd", "UNIX_MS", "yyyy-dd-MM"]}"#,
                r#"{"d": "2016-04-05"}"#
            ),
            Ok("<{2016-05-04||/d{yyyy-MM-dd|UTC}}>".into())
        );
    }

    #[test]
    fn date_index_name_elasticsearch_unit_cases() {
        let cfg = |formats: &str| {
            format!(
                r#"{{"field": "_field", "date_formats": {formats}, "index_name_prefix": "events-", "date_rounding": "m", "index_name_format": "yyyyMMdd"}}"#
            )
        };
        assert_eq!(
            index_name(&cfg(r#"["yyyy-MM-dd'T'HH:mm:ss.SSSZ"]"#), r#"{"_field": "2016-04-25T12:24:20.101+0000"}"#),
            Ok("<events-{20160425||/m{yyyyMMdd|UTC}}>".into())
        );
        assert_eq!(
            index_name(&cfg(r#"["TAI64N"]"#), r#"{"_field": "@4000000050d506482dbdf024"}"#),
            Ok("<events-{20121222||/m{yyyyMMdd|UTC}}>".into())
        );
        assert_eq!(
            index_name(&cfg(r#"["UNIX_MS"]"#), r#"{"_field": 1000500}"#),
            Ok("<events-{19700101||/m{yyyyMMdd|UTC}}>".into())
        );
        assert_eq!(
            index_name(&cfg(r#"["UNIX"]"#), r#"{"_field": "1000.5"}"#),
            Ok("<events-{19700101||/m{yyyyMMdd|UTC}}>".into())
        );
    }

    #[test]
    fn date_index_name_errors() {
        assert_eq!(
            index_name(r#"{"field": "d", "date_rounding": "d", "locale": "en_US"}"#, "{}"),
            Err("java.lang.IllegalArgumentException: Invalid language tag specified: en_US".into())
        );
        assert_eq!(
            index_name(r#"{"field": "d", "date_rounding": "d", "timezone": "Nowhere/City"}"#, "{}"),
            Err("java.time.zone.ZoneRulesException: Unknown time-zone ID: Nowhere/City".into())
        );
        assert_eq!(
            index_name(r#"{"field": "d", "date_rounding": "d", "date_formats": ["yyyy-bb"]}"#, "{}"),
            Err("java.lang.IllegalArgumentException: Invalid format: [yyyy-bb]: Unknown pattern letter: b".into())
        );
        assert_eq!(
            index_name(r#"{"field": "d", "date_rounding": "d"}"#, r#"{"d": "x"}"#),
            Err("unable to parse date [x]".into())
        );
    }
}
