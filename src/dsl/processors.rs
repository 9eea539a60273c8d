//! Typed constructors, one per processor, named after the processor.
//! Each sets options by their registry names and records what it reads and
//! writes; common options (`when`, `tag`, `ignore_missing`, `on_failure`,
//! ...) are methods of [`Processor`].

use crate::dsl::field::{Field, FieldType};
use crate::dsl::processor::{template_reads, PainlessUse, Processor, Written};
use crate::value::Value;

/// Processors with a typed constructor here. Every processor of the registry
/// that the package spec allows must be in this list (a test checks it); add
/// the constructor with it.
pub const TYPED: &[&str] = &[
    "append",
    "attachment",
    "bytes",
    "circle",
    "community_id",
    "convert",
    "csv",
    "date",
    "date_index_name",
    "dissect",
    "dot_expander",
    "drop",
    "fail",
    "fingerprint",
    "foreach",
    "geoip",
    "grok",
    "gsub",
    "html_strip",
    "inference",
    "join",
    "json",
    "kv",
    "lowercase",
    "network_direction",
    "pipeline",
    "redact",
    "registered_domain",
    "remove",
    "rename",
    "script",
    "set",
    "sort",
    "split",
    "terminate",
    "trim",
    "uppercase",
    "uri_parts",
    "urldecode",
    "user_agent",
];

fn written(value: &Value) -> Written {
    match value {
        Value::String(s) if s.contains("{{") => Written::Unknown,
        other => Written::Literal(other.clone()),
    }
}

fn with_template_reads(mut p: Processor, value: &Value) -> Processor {
    if let Value::String(s) = value {
        let fields: Vec<Field> = template_reads(s)
            .into_iter()
            .map(Field::temp_or_any)
            .collect();
        p = p.reads(fields);
    }
    p
}

/// `set`: the field gets a value (a literal, or a Mustache template).
pub fn set(field: impl Into<Field>, value: impl Into<Value>) -> Processor {
    let value = value.into();
    let p = Processor::new("set").write_opt("field", field, written(&value));
    with_template_reads(p, &value).opt("value", value)
}

/// `set` with `copy_from`: the field gets a copy of another field.
pub fn copy(from: impl Into<Field>, to: impl Into<Field>) -> Processor {
    let from = from.into();
    Processor::new("set")
        .write_opt("field", to, Written::CopyOf(from.clone()))
        .read_opt("copy_from", from)
}

/// `append`: adds a value (or each value of a list) to an array field.
pub fn append(field: impl Into<Field>, value: impl Into<Value>) -> Processor {
    let value = value.into();
    let p = Processor::new("append").write_opt("field", field, written(&value));
    with_template_reads(p, &value).opt("value", value)
}

pub fn rename(from: impl Into<Field>, to: impl Into<Field>) -> Processor {
    let from = from.into();
    let to = to.into();
    let value = Written::CopyOf(from.clone());
    Processor::new("rename")
        .read_opt("field", from)
        .write_opt("target_field", to, value)
}

/// `remove`: deletes fields (typically scratch fields at the end).
pub fn remove(fields: impl IntoIterator<Item = impl Into<Field>>) -> Processor {
    let names: Vec<Field> = fields.into_iter().map(Into::into).collect();
    let mut p = Processor::new("remove");
    p.tag_subject = names.first().map(|f| f.name().to_string());
    let value = match names.as_slice() {
        [one] => Value::from(one.name()),
        many => Value::List(many.iter().map(|f| Value::from(f.name())).collect()),
    };
    p.opt("field", value)
}

/// `convert` to `integer`, `long`, `float`, `double`, `boolean`, `ip`, `string` or `auto`.
pub fn convert(field: impl Into<Field>, to_type: &str) -> Processor {
    let field = field.into();
    let ty = match to_type {
        "integer" => Written::Typed(FieldType::Integer),
        "long" => Written::Typed(FieldType::Long),
        "float" => Written::Typed(FieldType::Float),
        "double" => Written::Typed(FieldType::Double),
        "boolean" => Written::Typed(FieldType::Boolean),
        "ip" => Written::Typed(FieldType::Ip),
        "string" => Written::Typed(FieldType::Keyword),
        _ => Written::Unknown,
    };
    Processor::new("convert")
        .read_opt("field", field.clone())
        .write_opt("field", field, ty)
        .opt("type", to_type)
}

/// `date`: parses the field into `@timestamp` (or `.target(...)`).
pub fn date<S: Into<String>>(
    field: impl Into<Field>,
    formats: impl IntoIterator<Item = S>,
) -> Processor {
    let formats: Vec<Value> = formats
        .into_iter()
        .map(|s| Value::String(s.into()))
        .collect();
    let mut p = Processor::new("date")
        .read_opt("field", field)
        .opt("formats", Value::List(formats));
    p.writes.push(crate::dsl::processor::Write {
        field: crate::dsl::ecs::TIMESTAMP,
        value: Written::Typed(FieldType::Date),
    });
    p.tag_subject = Some("@timestamp".into());
    p.default_target = Some("@timestamp".into());
    p
}

/// `date_index_name`: points `_index` at a date-math name built from the
/// field's date, rounded by `date_rounding` (`y`, `M`, `w`, `d`, `h`, `m`, `s`).
pub fn date_index_name(field: impl Into<Field>, date_rounding: &str) -> Processor {
    Processor::new("date_index_name")
        .read_opt("field", field)
        .opt("date_rounding", date_rounding)
}

/// `json`: parses the field's JSON in place (or into `.target(...)`).
pub fn json(field: impl Into<Field>) -> Processor {
    let field = field.into();
    Processor::new("json")
        .read_opt("field", field.clone())
        .write_opt("field", field, Written::Unknown)
}

pub fn drop() -> Processor {
    Processor::new("drop")
}

pub fn fail(message: &str) -> Processor {
    Processor::new("fail").opt("message", message)
}

/// `script` in Painless; declare its effects with `.reads([..])`/`.writes([..])`.
pub fn script(source: &str) -> Processor {
    let mut p = Processor::new("script")
        .opt("lang", "painless")
        .opt("source", source);
    p.painless.push(PainlessUse::Script(source.to_string()));
    p
}

/// Field names a grok pattern captures: `%{IP:source.ip}`, `%{NUMBER:n:int}`.
pub fn grok_captures(pattern: &str) -> Vec<String> {
    let re = regex::Regex::new(r"%\{[A-Za-z0-9_]+:([^:}]+)(?::[a-z]+)?\}").expect("valid regex");
    re.captures_iter(pattern)
        .map(|c| c[1].to_string())
        .collect()
}

/// Keys a dissect pattern extracts, without modifiers; `%{}`, `%{?x}` and
/// `%{*x}`/`%{&x}` reference keys are not plain writes.
pub fn dissect_keys(pattern: &str) -> Vec<String> {
    let re = regex::Regex::new(r"%\{([^}]*)\}").expect("valid regex");
    re.captures_iter(pattern)
        .filter_map(|c| {
            let key = c[1].trim_start_matches('+').trim_end_matches("->");
            let key = key.split("/").next().unwrap_or_default();
            (!key.is_empty() && !key.starts_with(['?', '*', '&'])).then(|| key.to_string())
        })
        .collect()
}

/// `grok`: the fields the patterns capture are recorded as writes.
pub fn grok<S: Into<String>>(
    field: impl Into<Field>,
    patterns: impl IntoIterator<Item = S>,
) -> Processor {
    let patterns: Vec<String> = patterns.into_iter().map(Into::into).collect();
    let captured: Vec<Field> = patterns
        .iter()
        .flat_map(|p| grok_captures(p))
        .map(Field::temp_or_any)
        .collect();
    Processor::new("grok")
        .read_opt("field", field)
        .opt(
            "patterns",
            Value::List(patterns.into_iter().map(Value::String).collect()),
        )
        .writes(captured)
}

pub fn dissect(field: impl Into<Field>, pattern: &str) -> Processor {
    let keys: Vec<Field> = dissect_keys(pattern)
        .into_iter()
        .map(Field::temp_or_any)
        .collect();
    Processor::new("dissect")
        .read_opt("field", field)
        .opt("pattern", pattern)
        .writes(keys)
}

/// `geoip`: looks the IP up and writes the target object.
pub fn geoip(field: impl Into<Field>, target: impl Into<Field>) -> Processor {
    Processor::new("geoip").read_opt("field", field).write_opt(
        "target_field",
        target,
        Written::Unknown,
    )
}

fn in_place(kind: &str, field: impl Into<Field>) -> Processor {
    let field = field.into();
    Processor::new(kind)
        .read_opt("field", field.clone())
        .write_opt("field", field, Written::Unknown)
}

pub fn lowercase(field: impl Into<Field>) -> Processor {
    in_place("lowercase", field)
}
pub fn uppercase(field: impl Into<Field>) -> Processor {
    in_place("uppercase", field)
}
pub fn trim(field: impl Into<Field>) -> Processor {
    in_place("trim", field)
}
pub fn urldecode(field: impl Into<Field>) -> Processor {
    in_place("urldecode", field)
}
pub fn html_strip(field: impl Into<Field>) -> Processor {
    in_place("html_strip", field)
}
pub fn bytes(field: impl Into<Field>) -> Processor {
    in_place("bytes", field)
}
pub fn sort(field: impl Into<Field>) -> Processor {
    in_place("sort", field)
}
pub fn split(field: impl Into<Field>, separator: &str) -> Processor {
    in_place("split", field).opt("separator", separator)
}
pub fn join(field: impl Into<Field>, separator: &str) -> Processor {
    in_place("join", field).opt("separator", separator)
}
pub fn gsub(field: impl Into<Field>, pattern: &str, replacement: &str) -> Processor {
    in_place("gsub", field)
        .opt("pattern", pattern)
        .opt("replacement", replacement)
}

/// `dot_expander`: `a.b` keys become objects; `"*"` expands every key.
pub fn dot_expander(field: &str) -> Processor {
    let mut p = Processor::new("dot_expander").opt("field", field);
    p.tag_subject = Some(field.to_string());
    p
}

pub fn user_agent(field: impl Into<Field>) -> Processor {
    let mut p = Processor::new("user_agent").read_opt("field", field);
    p.writes.push(crate::dsl::processor::Write {
        field: Field::temp_or_any("user_agent".into()),
        value: Written::Unknown,
    });
    p.default_target = Some("user_agent".into());
    p
}

pub fn uri_parts(field: impl Into<Field>) -> Processor {
    let mut p = Processor::new("uri_parts").read_opt("field", field);
    p.writes.push(crate::dsl::processor::Write {
        field: Field::temp_or_any("url".into()),
        value: Written::Unknown,
    });
    p.default_target = Some("url".into());
    p
}

pub fn fingerprint(
    fields: impl IntoIterator<Item = impl Into<Field>>,
    target: impl Into<Field>,
) -> Processor {
    let fields: Vec<Field> = fields.into_iter().map(Into::into).collect();
    let names = Value::List(fields.iter().map(|f| Value::from(f.name())).collect());
    Processor::new("fingerprint")
        .reads(fields)
        .opt("fields", names)
        .write_opt("target_field", target, Written::Unknown)
}

pub fn registered_domain(field: impl Into<Field>, target: impl Into<Field>) -> Processor {
    Processor::new("registered_domain")
        .read_opt("field", field)
        .write_opt("target_field", target, Written::Unknown)
}

/// `pipeline`: runs another pipeline of the data stream.
pub fn pipeline(name: &str) -> Processor {
    let mut p =
        Processor::new("pipeline").opt("name", format!("{{{{ IngestPipeline \"{name}\" }}}}"));
    p.tag_subject = Some(name.to_string());
    p
}

/// `foreach`: runs `processor` on each element (`_ingest._value`).
pub fn foreach(field: impl Into<Field>, processor: Processor) -> Processor {
    let body = processor.def.to_value();
    Processor::new("foreach")
        .read_opt("field", field)
        .opt("processor", body)
}

pub fn kv(field: impl Into<Field>, field_split: &str, value_split: &str) -> Processor {
    Processor::new("kv")
        .read_opt("field", field)
        .opt("field_split", field_split)
        .opt("value_split", value_split)
}

pub fn csv<S: Into<String>>(
    field: impl Into<Field>,
    targets: impl IntoIterator<Item = S>,
) -> Processor {
    let targets: Vec<String> = targets.into_iter().map(Into::into).collect();
    let writes: Vec<Field> = targets.iter().cloned().map(Field::temp_or_any).collect();
    Processor::new("csv")
        .read_opt("field", field)
        .opt(
            "target_fields",
            Value::List(targets.into_iter().map(Value::String).collect()),
        )
        .writes(writes)
}

pub fn community_id() -> Processor {
    let mut p = Processor::new("community_id");
    p.tag_subject = Some("network.community_id".into());
    p.writes.push(crate::dsl::processor::Write {
        field: crate::dsl::ecs::NETWORK_COMMUNITY_ID,
        value: Written::Unknown,
    });
    p
}

pub fn network_direction() -> Processor {
    let mut p = Processor::new("network_direction");
    p.tag_subject = Some("network.direction".into());
    p.writes.push(crate::dsl::processor::Write {
        field: crate::dsl::ecs::NETWORK_DIRECTION,
        value: Written::Unknown,
    });
    p
}

/// `terminate`: stops the pipeline, keeping the document.
pub fn terminate() -> Processor {
    Processor::new("terminate")
}

/// `redact`: masks what the grok patterns match in the field.
pub fn redact<S: Into<String>>(
    field: impl Into<Field>,
    patterns: impl IntoIterator<Item = S>,
) -> Processor {
    let patterns = Value::List(
        patterns
            .into_iter()
            .map(|p| Value::String(p.into()))
            .collect(),
    );
    in_place("redact", field).opt("patterns", patterns)
}

/// `attachment`: extracts text and metadata from a base64 field.
pub fn attachment(field: impl Into<Field>, target: impl Into<Field>) -> Processor {
    Processor::new("attachment")
        .read_opt("field", field)
        .write_opt("target_field", target, Written::Unknown)
}

/// `circle`: turns a circle into a polygon of the given precision.
pub fn circle(field: impl Into<Field>, error_distance: f64, shape_type: &str) -> Processor {
    in_place("circle", field)
        .opt("error_distance", Value::Double(error_distance))
        .opt("shape_type", shape_type)
}

/// `inference`: runs a trained model; ingot cannot run it offline.
pub fn inference(model_id: &str) -> Processor {
    let mut p = Processor::new("inference").opt("model_id", model_id);
    p.tag_subject = Some(model_id.to_string());
    p
}

impl Processor {
    /// `geoip`'s `database_file`.
    pub fn database_file(self, file: &str) -> Processor {
        self.opt("database_file", file)
    }
    /// `geoip`'s `properties`.
    pub fn properties<S: Into<String>>(self, props: impl IntoIterator<Item = S>) -> Processor {
        self.opt(
            "properties",
            Value::List(props.into_iter().map(|s| Value::String(s.into())).collect()),
        )
    }
    /// `date`'s `timezone`.
    pub fn timezone(self, tz: &str) -> Processor {
        self.opt("timezone", tz)
    }
    /// `append`'s `allow_duplicates: false`.
    pub fn no_duplicates(self) -> Processor {
        self.opt("allow_duplicates", false)
    }
    /// A script parameter (`params.name`).
    pub fn param(mut self, name: &str, value: impl Into<Value>) -> Processor {
        let mut params = self
            .def
            .options
            .get("params")
            .and_then(Value::as_map)
            .cloned()
            .unwrap_or_default();
        params.insert(name.to_string(), value.into());
        self.def.options.shift_remove("params");
        self = self.opt("params", Value::Map(params));
        self
    }
}

impl Field {
    /// A field named by a pattern or list of names: classified later by
    /// the checker against declarations and ECS.
    pub(crate) fn temp_or_any(name: String) -> Field {
        match crate::dsl::ecs::lookup(&name) {
            Some(f) => f.clone(),
            None => Field::named(name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsl::ecs;
    use crate::processors::registry;

    #[test]
    fn every_registry_processor_has_a_typed_constructor() {
        for spec in registry() {
            if crate::processors::pending::OUTSIDE_PACKAGE_SPEC.contains(&spec.name) {
                assert!(!TYPED.contains(&spec.name), "processor [{}] cannot be in a package", spec.name);
                continue;
            }
            assert!(
                TYPED.contains(&spec.name),
                "processor [{}] has no typed constructor in src/dsl/processors.rs",
                spec.name
            );
        }
    }

    #[test]
    fn typed_constructors_use_the_spec_option_names() {
        let built = [
            set(ecs::EVENT_KIND, "event"),
            copy(ecs::MESSAGE, ecs::EVENT_ORIGINAL),
            append(ecs::TAGS, "x"),
        ];
        for p in built {
            assert!(p.option_errors().is_empty(), "{:?}", p.option_errors());
        }
    }

    /// Each typed constructor, with the options it sets, is valid for its
    /// processor's spec; together they cover the registry.
    #[test]
    fn typed_constructors_satisfy_their_specs() {
        let f = ecs::MESSAGE;
        let built = [
            set(ecs::EVENT_KIND, "event"),
            copy(ecs::MESSAGE, ecs::EVENT_ORIGINAL),
            append(ecs::TAGS, "x"),
            attachment(f.clone(), Field::named("attachment")),
            bytes(f.clone()),
            circle(f.clone(), 10.0, "geo_shape"),
            community_id(),
            convert(ecs::SOURCE_PORT, "long"),
            csv(f.clone(), ["a", "b"]),
            date(f.clone(), ["ISO8601"]).timezone("UTC"),
            date_index_name(ecs::TIMESTAMP, "M"),
            dissect(f.clone(), "%{a} %{b}"),
            dot_expander("*"),
            drop(),
            fail("no"),
            fingerprint([ecs::SOURCE_IP], ecs::EVENT_HASH),
            foreach(ecs::TAGS, lowercase(Field::named("_ingest._value"))),
            geoip(ecs::SOURCE_IP, Field::named("source.geo"))
                .database_file("GeoLite2-City.mmdb")
                .properties(["location"]),
            grok(f.clone(), ["%{IP:source.ip}"]),
            gsub(f.clone(), "a", "b"),
            html_strip(f.clone()),
            inference("model"),
            join(ecs::TAGS, ","),
            json(f.clone()).target(Field::named("x")),
            kv(f.clone(), " ", "="),
            lowercase(f.clone()),
            network_direction(),
            pipeline("other"),
            redact(f.clone(), ["%{IP:ip}"]),
            registered_domain(ecs::URL_DOMAIN, Field::named("url")),
            remove([ecs::EVENT_ORIGINAL]).ignore_missing(),
            rename(ecs::MESSAGE, ecs::EVENT_ORIGINAL).ignore_missing(),
            script("ctx.a = 1").param("x", 1i64),
            sort(ecs::TAGS),
            split(f.clone(), ","),
            terminate(),
            trim(f.clone()),
            uppercase(f.clone()),
            uri_parts(ecs::URL_ORIGINAL),
            urldecode(f.clone()),
            user_agent(ecs::USER_AGENT_ORIGINAL),
        ];
        let mut kinds: Vec<&str> = built.iter().map(|p| p.kind()).collect();
        kinds.sort();
        kinds.dedup();
        assert_eq!(kinds, TYPED);
        for p in &built {
            assert!(
                p.option_errors().is_empty(),
                "{}: {:?}",
                p.kind(),
                p.option_errors()
            );
        }
    }

    #[test]
    fn set_records_literal_and_template_values() {
        let p = set(ecs::EVENT_KIND, "event");
        assert_eq!(p.writes[0].value, Written::Literal(Value::from("event")));
        let p = append(ecs::RELATED_USER, "{{{_temp_.user}}}");
        assert_eq!(
            p.reads.iter().map(|f| f.name()).collect::<Vec<_>>(),
            ["_temp_.user"]
        );
    }

    #[test]
    fn captures_and_keys_become_writes() {
        assert_eq!(
            grok_captures("%{IP:source.ip} %{NUMBER:x.n:int} %{WORD}"),
            ["source.ip", "x.n"]
        );
        assert_eq!(
            dissect_keys("%{a} %{?skip} %{+a} %{b.c->} %{}"),
            ["a", "a", "b.c"]
        );
    }

    #[test]
    fn target_moves_the_write() {
        let p = date(ecs::MESSAGE, ["ISO8601"]).target(ecs::EVENT_START);
        assert_eq!(p.writes.iter().map(|w| w.field.name()).collect::<Vec<_>>(), ["event.start"]);
        let p = user_agent(ecs::USER_AGENT_ORIGINAL).target(Field::named("ua"));
        assert_eq!(p.writes.iter().map(|w| w.field.name()).collect::<Vec<_>>(), ["ua"]);
        let p = json(ecs::EVENT_ORIGINAL).target(ecs::MESSAGE);
        assert_eq!(
            p.writes.iter().map(|w| w.field.name()).collect::<Vec<_>>(),
            ["message"]
        );
    }
}
