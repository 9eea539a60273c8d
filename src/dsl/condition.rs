//! Conditions: a small typed expression language compiled to Painless for
//! a processor's `if`.
//!
//! Every field access is null-safe (`ctx.a?.b?.c`), every string or numeric
//! test first checks the value's class, so a condition never throws on a
//! document that lacks the field or whose field holds another type (a
//! parent that is not an object still throws, as `?.` does). Compound conditions
//! are parenthesised explicitly rather than relying on precedence.

use crate::dsl::field::Field;
use crate::value::Value;

#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    Exists(Field),
    IsNull(Field),
    Equals(Field, Value),
    EqualsIgnoreCase(Field, String),
    In(Field, Vec<Value>),
    /// A string containing a substring, or a list containing a value.
    Contains(Field, Value),
    StartsWith(Field, String),
    EndsWith(Field, String),
    Matches(Field, String),
    Compare(Field, CmpOp, f64),
    And(Vec<Cond>),
    Or(Vec<Cond>),
    Not(Box<Cond>),
    /// Painless source, used as written (and parsed at build time).
    Painless(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    fn symbol(self) -> &'static str {
        match self {
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

/// Raw Painless as a condition.
pub fn painless(source: &str) -> Cond {
    Cond::Painless(source.to_string())
}

const PAINLESS_KEYWORDS: &[&str] = &[
    "if",
    "else",
    "while",
    "do",
    "for",
    "in",
    "continue",
    "break",
    "return",
    "new",
    "try",
    "catch",
    "throw",
    "this",
    "instanceof",
    "boolean",
    "byte",
    "short",
    "char",
    "int",
    "long",
    "float",
    "double",
    "def",
    "true",
    "false",
    "null",
];

fn is_identifier(segment: &str) -> bool {
    let mut chars = segment.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !PAINLESS_KEYWORDS.contains(&segment)
}

/// A Painless string literal in single quotes.
pub fn string_literal(s: &str) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            _ => out.push(c),
        }
    }
    out.push('\'');
    out
}

fn value_literal(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::String(s) => string_literal(s),
        Value::Long(l) => format!("{l}L"),
        Value::List(items) => format!(
            "[{}]",
            items
                .iter()
                .map(value_literal)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_java_string(),
    }
}

/// `ctx.a?.b?.c`: the null-safe path. Segments that are not identifiers are
/// read with `get`, which is null-safe after `?.` too.
pub fn null_safe_path(field: &Field) -> String {
    access(field, true)
}

/// `ctx.a.b.c`: the plain path, for use after a null-safe check proved the
/// value is there.
fn plain_path(field: &Field) -> String {
    access(field, false)
}

fn access(field: &Field, null_safe: bool) -> String {
    let mut out = String::from("ctx");
    for (i, segment) in field.name().split('.').enumerate() {
        let dot = if i == 0 || !null_safe { "." } else { "?." };
        if is_identifier(segment) {
            out.push_str(dot);
            out.push_str(segment);
        } else if i == 0 {
            out.push_str(&format!("[{}]", string_literal(segment)));
        } else {
            out.push_str(&format!("{dot}get({})", string_literal(segment)));
        }
    }
    out
}

/// `/pattern/` with slashes escaped, as a Painless regex literal.
fn regex_literal(pattern: &str) -> String {
    format!("/{}/", pattern.replace('/', "\\/"))
}

impl Cond {
    /// The Painless source of this condition.
    pub fn to_painless(&self) -> String {
        match self {
            Cond::Exists(f) => format!("{} != null", null_safe_path(f)),
            Cond::IsNull(f) => format!("{} == null", null_safe_path(f)),
            Cond::Equals(f, Value::String(s)) => {
                format!(
                    "{} instanceof String && {}.equals({})",
                    null_safe_path(f),
                    plain_path(f),
                    string_literal(s)
                )
            }
            Cond::Equals(f, v) => format!("{} == {}", null_safe_path(f), value_literal(v)),
            Cond::EqualsIgnoreCase(f, s) => format!(
                "{} instanceof String && {}.equalsIgnoreCase({})",
                null_safe_path(f),
                plain_path(f),
                string_literal(s)
            ),
            Cond::In(f, values) => format!(
                "{}.contains({})",
                value_literal(&Value::List(values.clone())),
                null_safe_path(f)
            ),
            Cond::Contains(f, v) => format!(
                "({p} instanceof String || {p} instanceof List) && {}.contains({})",
                plain_path(f),
                value_literal(v),
                p = null_safe_path(f)
            ),
            Cond::StartsWith(f, s) => {
                format!(
                    "{} instanceof String && {}.startsWith({})",
                    null_safe_path(f),
                    plain_path(f),
                    string_literal(s)
                )
            }
            Cond::EndsWith(f, s) => {
                format!(
                    "{} instanceof String && {}.endsWith({})",
                    null_safe_path(f),
                    plain_path(f),
                    string_literal(s)
                )
            }
            Cond::Matches(f, pattern) => {
                format!(
                    "{} instanceof String && {} =~ {}",
                    null_safe_path(f),
                    plain_path(f),
                    regex_literal(pattern)
                )
            }
            Cond::Compare(f, op, n) => format!(
                "{} instanceof Number && {} {} {}",
                null_safe_path(f),
                plain_path(f),
                op.symbol(),
                value_literal(&number_value(*n))
            ),
            Cond::And(parts) => join(parts, " && "),
            Cond::Or(parts) => join(parts, " || "),
            Cond::Not(inner) => format!("!({})", inner.to_painless()),
            Cond::Painless(src) => src.clone(),
        }
    }

    /// The fields the condition reads.
    pub fn reads(&self) -> Vec<Field> {
        match self {
            Cond::Exists(f)
            | Cond::IsNull(f)
            | Cond::Equals(f, _)
            | Cond::EqualsIgnoreCase(f, _)
            | Cond::In(f, _)
            | Cond::Contains(f, _)
            | Cond::StartsWith(f, _)
            | Cond::EndsWith(f, _)
            | Cond::Matches(f, _)
            | Cond::Compare(f, _, _) => vec![f.clone()],
            Cond::And(parts) | Cond::Or(parts) => parts.iter().flat_map(Cond::reads).collect(),
            Cond::Not(inner) => inner.reads(),
            Cond::Painless(_) => Vec::new(),
        }
    }

    pub fn and(self, other: Cond) -> Cond {
        match self {
            Cond::And(mut parts) => {
                parts.push(other);
                Cond::And(parts)
            }
            first => Cond::And(vec![first, other]),
        }
    }

    pub fn or(self, other: Cond) -> Cond {
        match self {
            Cond::Or(mut parts) => {
                parts.push(other);
                Cond::Or(parts)
            }
            first => Cond::Or(vec![first, other]),
        }
    }
}

/// Whole numbers print without a fraction so `> 5` compares as Painless
/// programmers write it.
fn number_value(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 2f64.powi(31) {
        Value::Int(n as i32)
    } else {
        Value::Double(n)
    }
}

fn join(parts: &[Cond], op: &str) -> String {
    parts
        .iter()
        .map(|p| format!("({})", p.to_painless()))
        .collect::<Vec<_>>()
        .join(op)
}

impl std::ops::Not for Cond {
    type Output = Cond;
    fn not(self) -> Cond {
        Cond::Not(Box::new(self))
    }
}

impl std::ops::BitAnd for Cond {
    type Output = Cond;
    fn bitand(self, rhs: Cond) -> Cond {
        self.and(rhs)
    }
}

impl std::ops::BitOr for Cond {
    type Output = Cond;
    fn bitor(self, rhs: Cond) -> Cond {
        self.or(rhs)
    }
}

/// Condition constructors on fields: `ecs::EVENT_ORIGINAL.is_null()`.
impl Field {
    pub fn exists(&self) -> Cond {
        Cond::Exists(self.clone())
    }
    pub fn is_null(&self) -> Cond {
        Cond::IsNull(self.clone())
    }
    pub fn eq(&self, value: impl Into<Value>) -> Cond {
        Cond::Equals(self.clone(), value.into())
    }
    pub fn eq_ignore_case(&self, value: &str) -> Cond {
        Cond::EqualsIgnoreCase(self.clone(), value.to_string())
    }
    pub fn is_in<V: Into<Value>>(&self, values: impl IntoIterator<Item = V>) -> Cond {
        Cond::In(self.clone(), values.into_iter().map(Into::into).collect())
    }
    pub fn contains(&self, value: impl Into<Value>) -> Cond {
        Cond::Contains(self.clone(), value.into())
    }
    pub fn starts_with(&self, prefix: &str) -> Cond {
        Cond::StartsWith(self.clone(), prefix.to_string())
    }
    pub fn ends_with(&self, suffix: &str) -> Cond {
        Cond::EndsWith(self.clone(), suffix.to_string())
    }
    /// A Java regular expression found anywhere in the string (Painless
    /// `=~`); anchor it with `^` and `$` to match the whole value.
    pub fn matches(&self, pattern: &str) -> Cond {
        Cond::Matches(self.clone(), pattern.to_string())
    }
    pub fn lt(&self, n: f64) -> Cond {
        Cond::Compare(self.clone(), CmpOp::Lt, n)
    }
    pub fn le(&self, n: f64) -> Cond {
        Cond::Compare(self.clone(), CmpOp::Le, n)
    }
    pub fn gt(&self, n: f64) -> Cond {
        Cond::Compare(self.clone(), CmpOp::Gt, n)
    }
    pub fn ge(&self, n: f64) -> Cond {
        Cond::Compare(self.clone(), CmpOp::Ge, n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsl::field::FieldType;

    fn f(name: &'static str) -> Field {
        Field::ecs(name, FieldType::Keyword, false)
    }

    #[test]
    fn paths_are_null_safe_and_quote_odd_segments() {
        assert_eq!(
            f("event.original").is_null().to_painless(),
            "ctx.event?.original == null"
        );
        assert_eq!(
            f("@timestamp").exists().to_painless(),
            "ctx['@timestamp'] != null"
        );
        assert_eq!(
            f("a.b-c.new").exists().to_painless(),
            "ctx.a?.get('b-c')?.get('new') != null"
        );
    }

    #[test]
    fn string_tests_guard_the_class() {
        assert_eq!(
            f("m.Status").eq_ignore_case("delivered").to_painless(),
            "ctx.m?.Status instanceof String && ctx.m.Status.equalsIgnoreCase('delivered')"
        );
        assert_eq!(
            f("a").eq("it's").to_painless(),
            "ctx.a instanceof String && ctx.a.equals('it\\'s')"
        );
        assert_eq!(
            f("a.b").matches("^x/y$").to_painless(),
            "ctx.a?.b instanceof String && ctx.a.b =~ /^x\\/y$/"
        );
        assert_eq!(
            f("a").starts_with("x").to_painless(),
            "ctx.a instanceof String && ctx.a.startsWith('x')"
        );
    }

    #[test]
    fn numbers_lists_and_combinators() {
        assert_eq!(
            f("a.n").gt(5.0).to_painless(),
            "ctx.a?.n instanceof Number && ctx.a.n > 5"
        );
        assert_eq!(
            f("a.n").le(0.5).to_painless(),
            "ctx.a?.n instanceof Number && ctx.a.n <= 0.5"
        );
        assert_eq!(f("a.n").eq(3i64).to_painless(), "ctx.a?.n == 3");
        assert_eq!(
            f("a.n").eq(Value::Long(1 << 40)).to_painless(),
            "ctx.a?.n == 1099511627776L"
        );
        assert_eq!(
            f("a").is_in(["x", "y"]).to_painless(),
            "['x', 'y'].contains(ctx.a)"
        );
        let c = (f("a").exists() & f("b").is_null() & f("c").exists()) | !f("d").exists();
        assert_eq!(
            c.to_painless(),
            "((ctx.a != null) && (ctx.b == null) && (ctx.c != null)) || (!(ctx.d != null))"
        );
        assert_eq!(c.reads().len(), 4);
        assert_eq!(painless("ctx.x == 1").reads(), vec![]);
    }

    /// Every form compiles as an `if` and evaluates as intended, never
    /// throwing on documents that lack the field (or a parent of it) or
    /// whose field holds another type. A parent that is not an object still
    /// throws, as `?.` does in Elasticsearch.
    #[test]
    fn conditions_run_null_safely_in_painless() {
        use crate::painless::{compile, ScriptContext};
        let doc = |json: &str| Value::from_json_str(json).unwrap().as_map().cloned().unwrap();
        let a_b = f("a.b");
        let cases: Vec<(Cond, &str, bool)> = vec![
            (a_b.exists(), r#"{"a":{"b":1}}"#, true),
            (a_b.exists(), r#"{}"#, false),
            (a_b.is_null(), r#"{"a":null}"#, true),
            (a_b.eq("x"), r#"{"a":{"b":"x"}}"#, true),
            (a_b.eq("x"), r#"{"a":{"b":1}}"#, false),
            (a_b.eq(3i64), r#"{"a":{"b":3}}"#, true),
            (a_b.eq_ignore_case("DELIVERED"), r#"{"a":{"b":"Delivered"}}"#, true),
            (a_b.eq_ignore_case("x"), r#"{"a":{"b":["x"]}}"#, false),
            (a_b.is_in(["x", "y"]), r#"{"a":{"b":"y"}}"#, true),
            (a_b.is_in(["x", "y"]), r#"{}"#, false),
            (a_b.contains("ell"), r#"{"a":{"b":"hello"}}"#, true),
            (a_b.contains("x"), r#"{"a":{"b":["x","z"]}}"#, true),
            (a_b.contains("x"), r#"{"a":{"b":5}}"#, false),
            (a_b.starts_with("he"), r#"{"a":{"b":"hello"}}"#, true),
            (a_b.ends_with("lo"), r#"{"a":{"b":"hello"}}"#, true),
            (a_b.matches("^h.*o$"), r#"{"a":{"b":"hello"}}"#, true),
            (a_b.matches("^x"), r#"{"a":{"b":"hello"}}"#, false),
            (a_b.gt(5.0), r#"{"a":{"b":6}}"#, true),
            (a_b.gt(5.0), r#"{"a":{"b":"6"}}"#, false),
            (a_b.le(0.5), r#"{"a":{"b":0.25}}"#, true),
            (f("@timestamp").exists(), r#"{"@timestamp":"x"}"#, true),
            (f("a.b-c").exists(), r#"{"a":{"b-c":1}}"#, true),
            (f("a.b-c").exists(), r#"{}"#, false),
            (a_b.exists() & !f("c").exists(), r#"{"a":{"b":1}}"#, true),
            (f("c").exists() | a_b.eq("x"), r#"{"a":{"b":"x"}}"#, true),
        ];
        for (cond, json, want) in cases {
            let source = cond.to_painless();
            let script = compile(&source, ScriptContext::Condition).unwrap_or_else(|e| panic!("{source}: {e:?}"));
            let got = script.condition(&doc(json), &Default::default()).unwrap_or_else(|e| panic!("{source} on {json}: {e:?}"));
            assert_eq!(got, want, "{source} on {json}");
        }
    }
}
