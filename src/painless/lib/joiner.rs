//! `java.util.StringJoiner`, which lang-painless's `java.util.txt`
//! whitelists: the constructors `(CharSequence)` and
//! `(CharSequence,CharSequence,CharSequence)`, `add`, `length`, `merge`,
//! `setEmptyValue`, and Object's `toString`.
//!
//! The state follows OpenJDK's `java/util/StringJoiner.java`: the prefix,
//! delimiter and suffix copied at construction (each refused when null,
//! with the JDK's message, prefix first), the elements added so far (here
//! kept joined, as the JDK's `compactElts` would join them), and an
//! optional empty value that stands for the whole while nothing has been
//! added. `add(null)` adds "null"; `merge` adds the other joiner's
//! elements, joined with its own delimiter and without its prefix and
//! suffix, as one element, and does nothing when the other is empty.

use super::super::val::*;
use super::super::Exc;
use super::Obj;
use std::cell::RefCell;
use std::rc::Rc;

type R<T> = Result<T, Exc>;

pub const METHODS: &[&str] = &["add", "length", "merge", "setEmptyValue"];

#[derive(Debug)]
pub struct Joiner {
    prefix: String,
    delimiter: String,
    suffix: String,
    /// The elements added so far, joined by the delimiter; `None` until
    /// the first `add` (an empty string is an element).
    joined: Option<String>,
    empty_value: Option<String>,
}

impl Joiner {
    /// Java `StringJoiner.toString()`.
    pub fn to_java_string(&self) -> String {
        match (&self.joined, &self.empty_value) {
            (None, Some(empty)) => empty.clone(),
            (joined, _) => format!("{}{}{}", self.prefix, joined.as_deref().unwrap_or(""), self.suffix),
        }
    }

    fn add(&mut self, element: &str) -> R<()> {
        match &mut self.joined {
            None => self.joined = Some(element.to_string()),
            Some(joined) => {
                Exc::check_size(joined.len() + self.delimiter.len() + element.len())?;
                joined.push_str(&self.delimiter);
                joined.push_str(element);
            }
        }
        Ok(())
    }
}

/// A `CharSequence` argument (a String or a StringBuilder), `None` for null.
fn char_sequence(arg: &Val<'_>) -> R<Option<String>> {
    match arg {
        Val::Null => Ok(None),
        Val::Str(s) => Ok(Some(s.to_string())),
        Val::Obj(o) if matches!(&**o, Obj::StringBuilder(_) | Obj::StringJoiner(_)) => Ok(Some(o.to_java_string())),
        other => Err(super::super::interp::jvm_cast_error(&other.class_name(), "java.lang.CharSequence")),
    }
}

/// A `CharSequence` the JDK refuses when null (`Objects.requireNonNull`
/// with `message`).
fn required(arg: &Val<'_>, message: &str) -> R<String> {
    char_sequence(arg)?.ok_or_else(|| Exc::npe(message))
}

pub fn construct<'a>(args: &[Val<'a>]) -> R<Val<'a>> {
    let (delimiter, prefix, suffix) = match args {
        [delimiter] => (required(delimiter, "The delimiter must not be null")?, String::new(), String::new()),
        [delimiter, prefix, suffix] => {
            let prefix = required(prefix, "The prefix must not be null")?;
            let delimiter = required(delimiter, "The delimiter must not be null")?;
            (delimiter, prefix, required(suffix, "The suffix must not be null")?)
        }
        _ => return Err(Exc::illegal_arg(format!("constructor [StringJoiner/{}] not found", args.len()))),
    };
    Ok(Val::Obj(Rc::new(Obj::StringJoiner(Box::new(RefCell::new(Joiner { prefix, delimiter, suffix, joined: None, empty_value: None }))))))
}

/// A method of the joiner `recv` holds (`add`, `merge` and
/// `setEmptyValue` return `recv` itself, for chaining).
pub fn call<'a>(recv: &Val<'a>, joiner: &RefCell<Joiner>, name: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    let r = match (name, args) {
        ("add", [element]) => char_sequence(element).and_then(|e| joiner.borrow_mut().add(e.as_deref().unwrap_or("null"))).map(|()| recv.clone()),
        ("setEmptyValue", [value]) => required(value, "The empty value must not be null").map(|v| {
            joiner.borrow_mut().empty_value = Some(v);
            recv.clone()
        }),
        ("length", []) => {
            let j = joiner.borrow();
            let length = match (&j.joined, &j.empty_value) {
                (None, Some(empty)) => super::string::java_len(empty),
                (joined, _) => super::string::java_len(&j.prefix) + joined.as_deref().map_or(0, super::string::java_len) + super::string::java_len(&j.suffix),
            };
            Ok(Val::Int(length as i32))
        }
        ("merge", [other]) => match other {
            Val::Null => Err(Exc::bare("NullPointerException")),
            Val::Obj(o) => match &**o {
                // The other's elements are read before this joiner is
                // written, so a joiner merged into itself adds its own.
                Obj::StringJoiner(other) => {
                    let elements = other.borrow().joined.clone();
                    match elements {
                        Some(e) => joiner.borrow_mut().add(&e).map(|()| recv.clone()),
                        None => Ok(recv.clone()),
                    }
                }
                _ => Err(super::super::interp::jvm_cast_error(o.class_name(), "java.util.StringJoiner")),
            },
            other => Err(super::super::interp::jvm_cast_error(&other.class_name(), "java.util.StringJoiner")),
        },
        _ => return None,
    };
    Some(r)
}

#[cfg(test)]
mod tests {
    use super::super::super::{script_result, ScriptContext};
    use crate::value::Value;

    fn run(setup: &str, expr: &str) -> Result<Value, (String, String)> {
        script_result(setup, expr)
    }

    /// StringJoiner as OpenJDK's class joins: the prefix and suffix around
    /// the elements, prefix + suffix (or the empty value) while nothing is
    /// added, "null" for a null element, `merge` adding the other's
    /// elements as one, and `length` that of `toString`.
    #[test]
    fn joins_as_the_jdk_joins() {
        let cases: &[(&str, &str, Value)] = &[
            ("StringJoiner j = new StringJoiner(', '); j.add('a').add('b');", "j.toString()", Value::from("a, b")),
            ("def j = new StringJoiner(',', '[', ']');", "j.toString()", Value::from("[]")),
            ("def j = new StringJoiner(',', '[', ']');", "j.length()", Value::Int(2)),
            ("def j = new StringJoiner(',', '[', ']'); j.setEmptyValue('EMPTY');", "j.toString()", Value::from("EMPTY")),
            ("def j = new StringJoiner(',', '[', ']'); j.setEmptyValue('EMPTY');", "j.length()", Value::Int(5)),
            ("def j = new StringJoiner(',', '[', ']'); j.setEmptyValue('EMPTY'); j.add('');", "j.toString()", Value::from("[]")),
            ("def j = new StringJoiner(',', '{', '}'); j.add('x'); j.add(null);", "j.toString()", Value::from("{x,null}")),
            ("def j = new StringJoiner('-', '<', '>'); j.add('\u{1f600}');", "j.length()", Value::Int(4)),
            (
                "def a = new StringJoiner(',', '[', ']'); a.add('1'); def b = new StringJoiner(':', '(', ')'); b.add('x').add('y'); a.merge(b);",
                "a.toString()",
                Value::from("[1,x:y]"),
            ),
            ("def a = new StringJoiner(','); a.add('1'); a.merge(new StringJoiner('-'));", "a.toString()", Value::from("1")),
            ("def a = new StringJoiner(',', '[', ']'); a.add('1').add('2'); a.merge(a);", "a.toString()", Value::from("[1,2,1,2]")),
            ("def j = new StringJoiner(new StringBuilder('+')); j.add('a'); j.add(new StringBuilder('b'));", "j.toString()", Value::from("a+b")),
            ("def j = new StringJoiner('|');", "j instanceof StringJoiner", Value::Bool(true)),
            ("def j = new StringJoiner(','); j.add('a');", "'' + j", Value::from("a")),
        ];
        for (setup, expr, want) in cases {
            assert_eq!(run(setup, expr).as_ref(), Ok(want), "{setup} {expr}");
        }
        let npe = |m: &str| Err(("null_pointer_exception".to_string(), m.to_string()));
        assert_eq!(run("", "new StringJoiner(null)"), npe("The delimiter must not be null"));
        assert_eq!(run("", "new StringJoiner(null, null, '')"), npe("The prefix must not be null"));
        assert_eq!(run("", "new StringJoiner(',', '', null)"), npe("The suffix must not be null"));
        assert_eq!(run("def j = new StringJoiner(',');", "j.setEmptyValue(null)"), npe("The empty value must not be null"));
        assert_eq!(run("def j = new StringJoiner(',');", "j.merge(null)").unwrap_err().0, "null_pointer_exception");
    }

    /// java.util.txt gives StringJoiner two constructors and no
    /// `(CharSequence,CharSequence)` one: it is refused at load.
    #[test]
    fn unlisted_constructor_is_refused() {
        let (kind, reason, _) = super::super::super::compile_refusal("ctx.r = new StringJoiner(',', '[')", ScriptContext::Ingest);
        assert_eq!(kind, "illegal_argument_exception");
        assert!(reason.starts_with("unsupported Painless feature constructor [StringJoiner/2]"), "{reason}");
    }
}
