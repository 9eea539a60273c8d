//! `csv`: splits one line of CSV into fields, with Elasticsearch's parser
//! and its quirks (a trailing separator sets nothing, `trim` only trims
//! spaces and tabs, a quoted field ends at the first blank after it).

use super::field_values::get_string_to_process;
use super::{Example, Flow, OptionKind, OptionSpec, Options, Processor, ProcessorSpec};
use crate::document::{FieldPath, IngestDocument};
use crate::error::EsError;
use crate::pipeline::{BuildContext, RunContext};
use crate::value::Value;

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "csv",
    description: "Extracts fields from a CSV line out of a single text field within a document.",
    options: &[
        OptionSpec::required("field", OptionKind::String, "The field to extract data from."),
        OptionSpec::required("target_fields", OptionKind::StringList, "The fields to assign extracted values to."),
        OptionSpec::optional("separator", OptionKind::String, "Separator used in CSV, one character.").default(","),
        OptionSpec::optional("quote", OptionKind::String, "Quote used in CSV, one character.").default("\""),
        OptionSpec::optional("trim", OptionKind::Bool, "Trim whitespace in unquoted fields.").default("false"),
        OptionSpec::optional("ignore_missing", OptionKind::Bool, "Do nothing when the field is missing or null.")
            .default("false"),
        OptionSpec::optional("empty_value", OptionKind::Any, "Value used to fill empty fields; empty fields are skipped otherwise."),
    ],
    examples: &[
        Example {
            title: "quoted fields and an escaped quote",
            config: r#"{"field": "line", "target_fields": ["a", "b", "c"]}"#,
            input: r#"{"line": "x,\"y, \"\"z\"\"\",w"}"#,
            output: Ok(r#"{"line": "x,\"y, \"\"z\"\"\",w", "a": "x", "b": "y, \"z\"", "c": "w"}"#),
        },
        Example {
            title: "empty fields are skipped unless empty_value is set",
            config: r#"{"field": "line", "target_fields": ["a", "b", "c"], "empty_value": "-"}"#,
            input: r#"{"line": "1,,3"}"#,
            output: Ok(r#"{"line": "1,,3", "a": "1", "b": "-", "c": "3"}"#),
        },
        Example {
            title: "trim and another separator",
            config: r#"{"field": "line", "target_fields": ["a", "b"], "separator": ";", "trim": true}"#,
            input: r#"{"line": "  1 ;\t2"}"#,
            output: Ok(r#"{"line": "  1 ;\t2", "a": "1", "b": "2"}"#),
        },
        Example {
            title: "an unmatched quote fails",
            config: r#"{"field": "line", "target_fields": ["a"]}"#,
            input: r#"{"line": "\"abc"}"#,
            output: Err("Unmatched quote"),
        },
    ],
    build: Some(build),
};

#[derive(Debug)]
struct Csv {
    field: FieldPath,
    headers: Vec<std::string::String>,
    separator: u16,
    quote: u16,
    trim: bool,
    ignore_missing: bool,
    empty_value: Option<Value>,
}

/// One UTF-16 unit, as Java's `String.charAt(0)` of a one-char string.
fn single_char(o: &Options, name: &str, s: &str, message: &str) -> Result<u16, EsError> {
    let units: Vec<u16> = s.encode_utf16().collect();
    match units[..] {
        [u] => Ok(u),
        _ => Err(o.error(name, message)),
    }
}

fn build(o: &mut Options, _ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    let field = o.string("field")?;
    let quote = o.opt_string("quote")?.unwrap_or_else(|| "\"".into());
    let quote = single_char(o, "quote", &quote, "quote has to be single character like \" or '")?;
    let separator = o.opt_string("separator")?.unwrap_or_else(|| ",".into());
    let separator = single_char(o, "separator", &separator, "separator has to be single character like , or ;")?;
    let trim = o.bool_or("trim", false)?;
    let empty_value = match o.has("empty_value") {
        false => None,
        true => match o.opt_value("empty_value") {
            Some(Value::Null) | None => return Err(o.error("empty_value", "required property is missing")),
            v => v,
        },
    };
    let ignore_missing = o.bool_or("ignore_missing", false)?;
    let headers = o.opt_string_list("target_fields")?.ok_or_else(|| o.error("target_fields", "required property is missing"))?;
    if headers.is_empty() {
        return Err(o.error("target_fields", "target fields list can't be empty"));
    }
    let field = FieldPath::parse(&field).map_err(|e| o.error("field", &e))?;
    Ok(Box::new(Csv { field, headers, separator, quote, trim, ignore_missing, empty_value }))
}

impl Processor for Csv {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut RunContext) -> Result<Flow, EsError> {
        let Some(line) = get_string_to_process(doc, &self.field, self.ignore_missing)? else {
            return Ok(Flow::Continue);
        };
        let line = line.encode_utf16().collect::<Vec<u16>>();
        let mut parser = Parser { csv: self, doc, line: &line, builder: Vec::new(), start: 0, header: 0, i: 0 };
        parser.process()?;
        Ok(Flow::Continue)
    }
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    Start,
    Unquoted,
    Quoted,
    QuotedEnd,
}

const LF: u16 = b'\n' as u16;
const CR: u16 = b'\r' as u16;

fn blank(c: u16) -> bool {
    c == b' ' as u16 || c == b'\t' as u16
}

/// Elasticsearch's `CsvParser`, over UTF-16 units so positions in errors match.
struct Parser<'a> {
    csv: &'a Csv,
    doc: &'a mut IngestDocument,
    line: &'a [u16],
    /// Text of a quoted field before an escaped quote.
    builder: Vec<u16>,
    start: usize,
    header: usize,
    i: usize,
}

impl Parser<'_> {
    fn process(&mut self) -> Result<(), EsError> {
        let mut state = State::Start;
        let n = self.line.len();
        while self.i < n {
            let done = match state {
                State::Start => self.start_state(&mut state)?,
                State::Unquoted => self.unquoted(&mut state)?,
                State::Quoted => {
                    self.quoted(&mut state);
                    false
                }
                State::QuotedEnd => self.quoted_end(&mut state)?,
            };
            if done {
                return Ok(());
            }
            self.i += 1;
        }
        match state {
            State::Unquoted => {
                self.set_field(n)?;
            }
            State::QuotedEnd => {
                self.set_field(n - 1)?;
            }
            State::Quoted => return Err(EsError::illegal_argument("Unmatched quote")),
            State::Start => {}
        }
        Ok(())
    }

    fn start_state(&mut self, state: &mut State) -> Result<bool, EsError> {
        while self.i < self.line.len() {
            let c = self.line[self.i];
            if c == self.csv.quote {
                *state = State::Quoted;
                self.builder.clear();
                self.start = self.i + 1;
                return Ok(false);
            } else if c == self.csv.separator {
                self.start += 1;
                self.builder.clear();
                if self.set_field(self.start)? {
                    return Ok(true);
                }
            } else if blank(c) {
                if self.csv.trim {
                    self.start += 1;
                }
            } else {
                *state = State::Unquoted;
                self.builder.clear();
                return Ok(false);
            }
            self.i += 1;
        }
        // Ran off the end in the start state: the last (empty) field is not set.
        Ok(true)
    }

    fn unquoted(&mut self, state: &mut State) -> Result<bool, EsError> {
        let mut spaces = 0;
        while self.i < self.line.len() {
            let c = self.line[self.i];
            if c == LF || c == CR || c == self.csv.quote {
                return Err(EsError::illegal_argument(format!(
                    "Illegal character inside unquoted field at {}",
                    self.i
                )));
            } else if c == self.csv.separator {
                *state = State::Start;
                if self.set_field(self.i - spaces)? {
                    return Ok(true);
                }
                self.start = self.i + 1;
                return Ok(false);
            } else if self.csv.trim && blank(c) {
                spaces += 1;
            } else {
                spaces = 0;
            }
            self.i += 1;
        }
        Ok(false)
    }

    fn quoted(&mut self, state: &mut State) {
        while self.i < self.line.len() {
            if self.line[self.i] == self.csv.quote {
                *state = State::QuotedEnd;
                break;
            }
            self.i += 1;
        }
    }

    fn quoted_end(&mut self, state: &mut State) -> Result<bool, EsError> {
        let c = self.line[self.i];
        if c == self.csv.quote {
            // A doubled quote: keep one and go on inside the quotes.
            self.builder.extend_from_slice(&self.line[self.start..self.i - 1]);
            self.builder.push(self.csv.quote);
            self.start = self.i + 1;
            *state = State::Quoted;
            return Ok(false);
        }
        let mut should_set = true;
        while self.i < self.line.len() {
            let c = self.line[self.i];
            if c == self.csv.separator {
                if should_set && self.set_field(self.i - 1)? {
                    return Ok(true);
                }
                self.start = self.i + 1;
                *state = State::Start;
                return Ok(false);
            } else if blank(c) {
                if should_set {
                    if self.set_field(self.i - 1)? {
                        return Ok(true);
                    }
                    should_set = false;
                }
            } else {
                return Err(EsError::illegal_argument(format!(
                    "character '{}' after quoted field at {}",
                    String::from_utf16_lossy(&[c]),
                    self.i
                )));
            }
            self.i += 1;
        }
        Ok(true)
    }

    /// Sets the current header to `line[start..end]` (after any builder
    /// text); true when every header has a value.
    fn set_field(&mut self, end: usize) -> Result<bool, EsError> {
        let end = end.max(self.start);
        self.builder.extend_from_slice(&self.line[self.start..end]);
        let value = String::from_utf16_lossy(&self.builder);
        self.builder.clear();
        let header = &self.csv.headers[self.header];
        let path = FieldPath::parse(header).map_err(EsError::illegal_argument)?;
        if !value.is_empty() {
            self.doc.set(&path, Value::String(value)).map_err(EsError::illegal_argument)?;
        } else if let Some(empty) = &self.csv.empty_value {
            self.doc.set(&path, empty.clone()).map_err(EsError::illegal_argument)?;
        }
        self.header += 1;
        Ok(self.header == self.csv.headers.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::processors::examples::run_example;
    use crate::processors::lookup;

    fn csv(config: &str, input: &str) -> Result<std::string::String, std::string::String> {
        let example = Example { title: "", config: Box::leak(config.into()), input: Box::leak(input.into()), output: Ok("") };
        run_example(lookup("csv").unwrap(), &example)
    }

    #[test]
    fn parser_quirks() {
        let cfg = r#"{"field": "l", "target_fields": ["a", "b", "c"], "empty_value": "E"}"#;
        // A trailing separator leaves the last field unset, even with empty_value.
        assert_eq!(csv(cfg, r#"{"l": "1,"}"#).unwrap(), r#"{"l":"1,","a":"1"}"#);
        // Fewer values than headers: the rest are untouched; more: the rest ignored.
        assert_eq!(csv(cfg, r#"{"l": "1,2,3,4"}"#).unwrap(), r#"{"l":"1,2,3,4","a":"1","b":"2","c":"3"}"#);
        // A quoted field followed by blanks, then the separator.
        assert_eq!(csv(cfg, r#"{"l": "\"q\"  ,2"}"#).unwrap(), r#"{"l":"\"q\"  ,2","a":"q","b":"2"}"#);
        assert_eq!(csv(cfg, r#"{"l": "\"q\"x"}"#).unwrap_err(), "character 'x' after quoted field at 3");
        assert_eq!(csv(cfg, r#"{"l": "ab\"c"}"#).unwrap_err(), "Illegal character inside unquoted field at 2");
    }

    #[test]
    fn trim_keeps_trailing_blanks_of_the_last_field_and_tabs_can_separate() {
        let cfg = r#"{"field": "l", "target_fields": ["a", "b"], "trim": true}"#;
        assert_eq!(csv(cfg, r#"{"l": " 1 , 2 "}"#).unwrap(), r#"{"l":" 1 , 2 ","a":"1","b":"2 "}"#);
        let cfg = r#"{"field": "l", "target_fields": ["a", "b"], "separator": "\t", "trim": true}"#;
        assert_eq!(csv(cfg, r#"{"l": "x\ty"}"#).unwrap(), r#"{"l":"x\ty","a":"x","b":"y"}"#);
    }

    #[test]
    fn elasticsearch_whitespace_cases() {
        // CsvProcessorTests.testQuotedWhitespaces, with trim.
        let cfg = r#"{"field": "l", "target_fields": ["a", "b", "c", "d"], "trim": true}"#;
        let out = csv(cfg, r#"{"l": "  abc   , def,ghi  , \"  ooo  \""}"#).unwrap();
        assert_eq!(out, r#"{"l":"  abc   , def,ghi  , \"  ooo  \"","a":"abc","b":"def","c":"ghi","d":"  ooo  "}"#);
        // CsvProcessorTests.testUntrimmed: blanks stay, quoted fields end at the first blank after them.
        let cfg = r#"{"field": "l", "target_fields": ["a", "b", "c", "d", "e", "f"]}"#;
        let out = csv(cfg, r#"{"l": "  abc   , def,ghi  ,   \"ooo\"    ,  \"jjj\"   "}"#).unwrap();
        assert_eq!(
            out,
            r#"{"l":"  abc   , def,ghi  ,   \"ooo\"    ,  \"jjj\"   ","a":"  abc   ","b":" def","c":"ghi  ","d":"ooo","e":"jjj"}"#
        );
        // CsvProcessorTests.testEmptyFields: empty fields set nothing.
        let cfg = r#"{"field": "l", "target_fields": ["a", "b", "c", "d", "e", "f"]}"#;
        assert_eq!(csv(cfg, r#"{"l": ",,,x,,abc"}"#).unwrap(), r#"{"l":",,,x,,abc","d":"x","f":"abc"}"#);
    }

    #[test]
    fn configuration() {
        assert_eq!(
            csv(r#"{"field": "l", "target_fields": ["a"], "quote": "''"}"#, "{}").unwrap_err(),
            "load: [quote] quote has to be single character like \" or '"
        );
        assert_eq!(
            csv(r#"{"field": "l", "target_fields": []}"#, "{}").unwrap_err(),
            "load: [target_fields] target fields list can't be empty"
        );
        assert_eq!(
            csv(r#"{"field": "l", "target_fields": ["a"], "empty_value": null}"#, "{}").unwrap_err(),
            "load: [empty_value] required property is missing"
        );
        assert_eq!(csv(r#"{"field": "l", "target_fields": ["a"], "ignore_missing": true}"#, r#"{"x":1}"#).unwrap(), r#"{"x":1}"#);
        assert_eq!(csv(r#"{"field": "l", "target_fields": ["a"]}"#, r#"{"l":null}"#).unwrap_err(), "field [l] is null, cannot process it.");
    }

    #[test]
    fn non_string_empty_value_and_nested_targets() {
        let cfg = r#"{"field": "l", "target_fields": ["x.a", "x.b"], "empty_value": 0}"#;
        assert_eq!(csv(cfg, r#"{"l": ",5"}"#).unwrap(), r#"{"l":",5","x":{"a":0,"b":"5"}}"#);
    }

    #[test]
    fn no_input_panics() {
        let alphabet = [",", "\"", " ", "\t", "\n", "a", "é"];
        let mut inputs = vec![String::new()];
        for trim in [false, true] {
            let cfg = format!(r#"{{"field": "l", "target_fields": ["a", "b", "c"], "trim": {trim}, "empty_value": ""}}"#);
            for _ in 0..5 {
                let longer: Vec<String> =
                    inputs.iter().flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}"))).collect();
                inputs = longer;
                for line in &inputs {
                    let doc = Value::Map([("l".to_string(), Value::from(line.as_str()))].into_iter().collect()).to_json();
                    let _ = csv(&cfg, &doc);
                }
            }
            inputs = vec![String::new()];
        }
    }
}
