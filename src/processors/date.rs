//! `date`: parses a date from a field and stores it, formatted, in another.

use super::{Example, Flow, OptionKind as K, OptionSpec, Options, Processor, ProcessorSpec};
use crate::date::engine;
use crate::date::ingest::CompiledFormat;
use crate::date::{self, DateFormatter, Locale, ZoneId, ZonedDateTime};
use crate::document::{FieldPath, IngestDocument};
use crate::error::EsError;
use crate::pipeline::{BuildContext, RunContext};
use crate::template::Template;
use crate::value::Value;

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "date",
    description: "Parses dates from fields, and then uses the date or timestamp as the timestamp for the document.",
    options: &[
        OptionSpec::required("field", K::String, "The field to get the date from."),
        OptionSpec::optional("target_field", K::String, "The field that will hold the parsed date.")
            .default("@timestamp"),
        OptionSpec::required(
            "formats",
            K::StringList,
            "The expected date formats: Java time patterns or ISO8601, UNIX, UNIX_MS, TAI64N.",
        ),
        OptionSpec::optional("timezone", K::String, "The timezone to use when parsing the date.")
            .default("UTC")
            .templated(),
        OptionSpec::optional("locale", K::String, "The locale to use when parsing the date (month and day names).")
            .default("ENGLISH")
            .templated(),
        OptionSpec::optional("output_format", K::String, "The format to use when writing the date to target_field.")
            .default(date::DEFAULT_OUTPUT_FORMAT),
    ],
    examples: &[
        Example {
            title: "a 7-digit fraction without zone: the first format fails, ISO8601 parses",
            config: r#"{"field": "t", "formats": ["yyyy-MM-dd'T'HH:mm:ss.SSSSSSSZ", "ISO8601"]}"#,
            input: r#"{"t": "2022-09-05T18:10:13.4907658"}"#,
            output: Ok(r#"{"t": "2022-09-05T18:10:13.4907658", "@timestamp": "2022-09-05T18:10:13.490Z"}"#),
        },
        Example {
            title: "the Z pattern letter does not accept a literal Z",
            config: r#"{"field": "t", "formats": ["yyyy-MM-dd'T'HH:mm:ss.SSSSSSSZ", "ISO8601"]}"#,
            input: r#"{"t": "2022-09-05T21:46:46.4206759Z"}"#,
            output: Ok(r#"{"t": "2022-09-05T21:46:46.4206759Z", "@timestamp": "2022-09-05T21:46:46.420Z"}"#),
        },
        Example {
            title: "no fraction prints .000",
            config: r#"{"field": "t", "formats": ["yyyy-MM-dd'T'HH:mm:ss.SSSSSSSZ", "ISO8601"]}"#,
            input: r#"{"t": "2022-10-21T09:40:10Z"}"#,
            output: Ok(r#"{"t": "2022-10-21T09:40:10Z", "@timestamp": "2022-10-21T09:40:10.000Z"}"#),
        },
        Example {
            title: "templated timezone",
            config: r#"{"field": "d", "target_field": "out", "formats": ["dd/MM/yyyy"], "timezone": "{{{tz}}}"}"#,
            input: r#"{"d": "12/06/2010", "tz": "Europe/Amsterdam"}"#,
            output: Ok(r#"{"d": "12/06/2010", "tz": "Europe/Amsterdam", "out": "2010-06-12T00:00:00.000+02:00"}"#),
        },
        Example {
            title: "numbers are parsed from their text; output_format",
            config: r#"{"field": "ts", "formats": ["UNIX_MS"], "output_format": "yyyy.MM.dd HH:mm"}"#,
            input: r#"{"ts": 1500000000000}"#,
            output: Ok(r#"{"ts": 1500000000000, "@timestamp": "2017.07.14 02:40"}"#),
        },
        Example {
            title: "English month names",
            config: r#"{"field": "d", "formats": ["dd/MMM/yyyy:HH:mm:ss Z"], "locale": "en"}"#,
            input: r#"{"d": "10/Aug/2018:09:45:56 +0200"}"#,
            output: Ok(r#"{"d": "10/Aug/2018:09:45:56 +0200", "@timestamp": "2018-08-10T07:45:56.000Z"}"#),
        },
        Example {
            title: "a date no format parses",
            config: r#"{"field": "d", "formats": ["yyyy-MM-dd"]}"#,
            input: r#"{"d": "not a date"}"#,
            output: Err("Text 'not a date' could not be parsed at index 0"),
        },
    ],
    build: Some(build),
};

#[derive(Debug)]
struct DateProcessor {
    /// Parsed once; an invalid path fails each document, as in Elasticsearch.
    field: Result<FieldPath, String>,
    target_field: Result<FieldPath, String>,
    formats: Vec<CompiledFormat>,
    timezone: Option<Template>,
    locale: Option<Template>,
    output: DateFormatter,
    /// `output` prints as the default output format does, which
    /// [`engine::print_iso_millis_offset`] writes without walking elements.
    output_is_default: bool,
}

fn template(o: &mut Options, name: &str) -> Result<Option<Template>, EsError> {
    match o.opt_string(name)? {
        None => Ok(None),
        Some(s) => Template::compile(&s).map(Some).map_err(|e| o.error(name, &e.reason)),
    }
}

fn build(o: &mut Options, _ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    let field = o.string("field")?;
    let target_field = o.opt_string("target_field")?.unwrap_or_else(|| "@timestamp".into());
    let timezone = template(o, "timezone")?;
    let locale = template(o, "locale")?;
    let formats = o.opt_string_list("formats")?.ok_or_else(|| o.error("formats", "required property is missing"))?;
    let output_format = o.opt_string("output_format")?.unwrap_or_else(|| date::DEFAULT_OUTPUT_FORMAT.into());
    let output = DateFormatter::for_pattern(&output_format).map_err(|e| {
        date::factory_error(EsError::illegal_argument(format!("invalid output format [{output_format}]")).caused_by(e))
    })?;
    let formats = formats.iter().map(|f| CompiledFormat::new(f)).collect();
    let (field, target_field) = (FieldPath::parse(&field), FieldPath::parse(&target_field));
    let output_is_default = output.printer == default_output().printer;
    Ok(Box::new(DateProcessor { field, target_field, formats, timezone, locale, output, output_is_default }))
}

fn default_output() -> &'static DateFormatter {
    static DEFAULT: std::sync::OnceLock<DateFormatter> = std::sync::OnceLock::new();
    DEFAULT.get_or_init(|| DateFormatter::for_pattern(date::DEFAULT_OUTPUT_FORMAT).expect("the default output format"))
}

/// The value as Java's `Object.toString()` gives it; `None` for null.
pub(crate) fn value_text(v: &Value) -> Option<std::borrow::Cow<'_, str>> {
    match v {
        Value::Null => None,
        other => Some(other.java_text()),
    }
}

impl Processor for DateProcessor {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut RunContext) -> Result<Flow, EsError> {
        let path = self.field.as_ref().map_err(|e| EsError::illegal_argument(e.clone()))?;
        let text = value_text(doc.get(path).map_err(EsError::illegal_argument)?);
        let tz = self.timezone.as_ref().map(|t| t.render(doc));
        let locale = self.locale.as_ref().map(|t| t.render(doc));
        // A format that fails is passed over without its exception, which
        // costs more than the parse; only when every format fails are they
        // tried again to build the chain Elasticsearch reports (the first
        // failure, the others suppressed in it).
        let attempt = |format: &CompiledFormat, explain: bool| -> Result<ZonedDateTime, Option<EsError>> {
            let zone = match &tz {
                None => ZoneId::Offset(0),
                Some(id) => ZoneId::of(id).map_err(Some)?,
            };
            let locale = match &locale {
                None => Locale::root(),
                Some(l) => Locale::parse(l).map_err(Some)?,
            };
            if explain {
                format.parse(text.as_deref(), &zone, &locale).map_err(Some)
            } else {
                format.try_parse(text.as_deref(), &zone, &locale).ok_or(None)
            }
        };
        let mut parsed = self.formats.iter().find_map(|format| attempt(format, false).ok());
        let mut failure = None;
        if parsed.is_none() {
            for format in &self.formats {
                match attempt(format, true) {
                    Ok(zdt) => {
                        parsed = Some(zdt);
                        break;
                    }
                    Err(e) => {
                        let e = e.expect("a failure explained");
                        failure = Some(date::use_or_suppress(failure, e));
                    }
                }
            }
        }
        let Some(zdt) = parsed else {
            let e = EsError::illegal_argument(format!("unable to parse date [{}]", text.as_deref().unwrap_or("null")));
            return Err(match failure {
                Some(cause) => e.caused_by(cause),
                None => e,
            });
        };
        let mut out = String::new();
        if !(self.output_is_default && engine::print_iso_millis_offset(&zdt, &mut out)) {
            out = self.output.format(&zdt)?;
        }
        let target = self.target_field.as_ref().map_err(|e| EsError::illegal_argument(e.clone()))?;
        doc.set(target, Value::String(out)).map_err(EsError::illegal_argument)?;
        Ok(Flow::Continue)
    }
}

#[cfg(test)]
mod tests {
    use crate::date::ingest::with_current_year;
    use crate::document::IngestDocument;
    use crate::error::EsError;
    use crate::pipeline::{BuildContext, Pipeline, RunContext};
    use crate::value::Value;

    fn run(config: &str, source: &str) -> Result<Value, EsError> {
        let def = Value::from_json_str(&format!(r#"{{"processors": [{{"date": {config}}}]}}"#)).unwrap();
        let pipeline = Pipeline::from_value("p", &def, &BuildContext::default())?;
        let Value::Map(src) = Value::from_json_str(source).unwrap() else { panic!() };
        let mut doc = IngestDocument::new(src);
        pipeline.execute(&mut doc, &mut RunContext::default())?;
        Ok(Value::Map(doc.source()))
    }

    #[test]
    fn date_processor_failure_chain() {
        let e =
            run(r#"{"field": "d", "formats": ["yyyy-MM-dd", "UNIX_MS", "ISO8601"]}"#, r#"{"d": "foo"}"#).unwrap_err();
        assert_eq!((e.kind.as_str(), e.reason.as_str()), ("illegal_argument_exception", "unable to parse date [foo]"));
        let cause = e.caused_by.as_deref().unwrap();
        assert_eq!(cause.reason, "failed to parse date field [foo] with format [yyyy-MM-dd]");
        assert_eq!(cause.caused_by.as_deref().unwrap().kind, "date_time_parse_exception");
        assert_eq!(cause.caused_by.as_deref().unwrap().reason, "Text 'foo' could not be parsed at index 0");
        let suppressed = cause.extra.get("suppressed").and_then(Value::as_list).unwrap();
        assert_eq!(suppressed.len(), 2);
        assert_eq!(
            suppressed[0].to_json(),
            r#"{"type":"number_format_exception","reason":"For input string: \"foo\""}"#
        );
        assert_eq!(
            suppressed[1].to_json(),
            r#"{"type":"illegal_argument_exception","reason":"failed to parse date field [foo] with format [iso8601]","caused_by":{"type":"date_time_parse_exception","reason":"Failed to parse with all enclosed parsers"}}"#
        );
    }

    #[test]
    fn date_processor_options() {
        // null values
        let e = run(r#"{"field": "d", "formats": ["yyyy"]}"#, r#"{"d": null}"#).unwrap_err();
        assert_eq!(e.reason, "unable to parse date [null]");
        assert_eq!(e.caused_by.unwrap().reason, "cannot parse empty datetime");
        // a missing field
        let e = run(r#"{"field": "d", "formats": ["yyyy"]}"#, r#"{}"#).unwrap_err();
        assert_eq!(e.reason, "field [d] not present as part of path [d]");
        // an invalid timezone fails each format at run time
        let e = run(
            r#"{"field": "d", "formats": ["yyyy"], "timezone": "{{{tz}}}"}"#,
            r#"{"d": "2020", "tz": "Moon/Base"}"#,
        )
        .unwrap_err();
        assert_eq!(e.reason, "unable to parse date [2020]");
        assert_eq!(e.caused_by.unwrap().reason, "Unknown time-zone ID: Moon/Base");
        let e =
            run(r#"{"field": "d", "formats": ["yyyy"], "locale": "invalid_locale"}"#, r#"{"d": "2020"}"#).unwrap_err();
        assert_eq!(e.caused_by.unwrap().reason, "Unknown language: invalid");
        // an invalid output format fails at load time
        let e =
            run(r#"{"field": "d", "formats": ["yyyy"], "output_format": "yyyy-bb"}"#, r#"{"d": "2020"}"#).unwrap_err();
        assert_eq!(e.reason, "java.lang.IllegalArgumentException: invalid output format [yyyy-bb]");
        // formats is required
        let e = run(r#"{"field": "d"}"#, r#"{"d": "2020"}"#).unwrap_err();
        assert_eq!(e.reason, "[formats] required property is missing");
        // the year comes from the clock when the format has none
        let out = with_current_year(2031, || {
            run(r#"{"field": "d", "formats": ["dd/MM"], "timezone": "Europe/Amsterdam"}"#, r#"{"d": "12/06"}"#)
        })
        .unwrap();
        assert_eq!(out.to_json(), r#"{"d":"12/06","@timestamp":"2031-06-12T00:00:00.000+02:00"}"#);
        // ES's unit tests
        let out = run(
            r#"{"field": "d", "target_field": "t", "formats": ["yyyy dd MM", "dd/MM/yyyy", "dd-MM-yyyy"], "timezone": "Europe/Amsterdam"}"#,
            r#"{"d": "12-06-2010"}"#,
        )
        .unwrap();
        assert_eq!(out.to_json(), r#"{"d":"12-06-2010","t":"2010-06-12T00:00:00.000+02:00"}"#);
        let out = run(
            r#"{"field": "d", "formats": ["TAI64N"], "timezone": "+02:00"}"#,
            r#"{"d": "@4000000050d506482dbdf024"}"#,
        )
        .unwrap();
        assert_eq!(out.to_json(), r#"{"d":"@4000000050d506482dbdf024","@timestamp":"2012-12-22T03:00:46.767+02:00"}"#);
        let out = run(r#"{"field": "d", "formats": ["UNIX"]}"#, r#"{"d": "1000.5"}"#).unwrap();
        assert_eq!(out.to_json(), r#"{"d":"1000.5","@timestamp":"1970-01-01T00:16:40.500Z"}"#);
        let out = run(r#"{"field": "d", "formats": ["UNIX_MS"]}"#, r#"{"d": 1000500}"#).unwrap();
        assert_eq!(out.to_json(), r#"{"d":1000500,"@timestamp":"1970-01-01T00:16:40.500Z"}"#);
    }

    #[test]
    fn epoch_millis_far_from_1970() {
        // DateFormat.UnixMs is Instant.ofEpochMilli(Long.parseLong(text)).atZone(zone): any long is a
        // date. Outputs observed on JDK 17 with the processor's default output format.
        let out = run(r#"{"field": "d", "formats": ["UNIX_MS"]}"#, r#"{"d": "253402300800000"}"#).unwrap();
        assert_eq!(out.to_json(), r#"{"d":"253402300800000","@timestamp":"+10000-01-01T00:00:00.000Z"}"#);
        let out = run(r#"{"field": "d", "formats": ["UNIX_MS"]}"#, r#"{"d": "8210266876799999"}"#).unwrap();
        assert_eq!(out.to_json(), r#"{"d":"8210266876799999","@timestamp":"+262142-12-31T23:59:59.999Z"}"#);
        // Java gives +262143-01-01T00:00:00.000Z and, for nanosecond epochs read as milliseconds,
        // +52401106-06-17T05:20:00.000Z; ingot names the limit instead of Java's out-of-range message
        for d in ["8210266876800000", "1653557034000000000"] {
            let e = run(r#"{"field": "d", "formats": ["UNIX_MS"]}"#, &format!(r#"{{"d": "{d}"}}"#)).unwrap_err();
            let cause = e.root();
            assert_eq!(cause.reason, "dates beyond year 262142 or before year -262143 are not supported yet", "{d}");
        }
    }
}

#[cfg(test)]
mod rendering {
    use crate::document::IngestDocument;
    use crate::pipeline::{BuildContext, Pipeline, RunContext};
    use crate::value::Value;

    #[test]
    fn date_failure_renders_suppressed_after_the_cause() {
        let def = Value::from_json_str(r#"{"processors": [{"date": {"field": "d", "formats": ["yyyy", "UNIX_MS"]}}]}"#)
            .unwrap();
        let pipeline = Pipeline::from_value("p", &def, &BuildContext::default()).unwrap();
        let Value::Map(src) = Value::from_json_str(r#"{"d": "x"}"#).unwrap() else { panic!() };
        let e = pipeline.execute(&mut IngestDocument::new(src), &mut RunContext::default()).unwrap_err();
        let json = crate::simulate::error_value(&e).to_json();
        assert!(
            json.contains(r#""caused_by":{"type":"illegal_argument_exception","reason":"failed to parse date field [x] with format [yyyy]","caused_by":{"type":"date_time_parse_exception","reason":"Text 'x' could not be parsed at index 0"},"suppressed":[{"type":"number_format_exception","reason":"For input string: \"x\""}]}"#),
            "{json}"
        );
    }
}
