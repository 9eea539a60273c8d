//! Native versions of scripts that many integrations share word for word.
//!
//! The `script` processor copies `ctx` into script objects and back, and
//! the interpreter walks the tree; for a few ubiquitous scripts that is most
//! of a pipeline's cost. A script whose tokens are exactly those of a known
//! one runs natively instead, with the same result. Anything the native
//! version would not do exactly as the interpreter (a document nested deep
//! enough to overflow Painless's call stack, or big enough to hit the loop
//! budget) falls back to the interpreter.

use super::lexer;
use crate::value::{Map, Value};

/// A script recognised as one with a native implementation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intrinsic {
    /// "Drops null/empty values recursively": removes `null` and `""`
    /// values, then maps and lists left empty, from every map and list.
    DropEmptyFields,
}

/// The Elastic integrations' `dropEmptyFields` script (whitespace aside).
pub const DROP_EMPTY_FIELDS: &str = r#"
boolean dropEmptyFields(Object object) {
  if (object == null || object == "") {
    return true;
  } else if (object instanceof Map) {
    ((Map) object).values().removeIf(value -> dropEmptyFields(value));
    return (((Map) object).size() == 0);
  } else if (object instanceof List) {
    ((List) object).removeIf(value -> dropEmptyFields(value));
    return (((List) object).length == 0);
  }
  return false;
}
dropEmptyFields(ctx);
"#;

/// The same, as ingot's own Message Trace pipeline writes it.
pub const IS_EMPTY: &str = r#"
boolean isEmpty(def v) {
  if (v == null || (v instanceof String && v == '')) {
    return true;
  }
  if (v instanceof Map) {
    v.values().removeIf(x -> isEmpty(x));
    return v.isEmpty();
  }
  if (v instanceof List) {
    v.removeIf(x -> isEmpty(x));
    return v.isEmpty();
  }
  return false;
}
isEmpty(ctx);
"#;

/// Nesting the native version handles: each level is two Painless calls
/// (the function and the lambda), and the interpreter stops at 64.
const MAX_DEPTH: usize = 24;
/// Values the native version handles: far below the interpreter's loop budget.
const MAX_NODES: usize = 100_000;

/// The intrinsic `source` is, if any: same tokens as a known script.
pub fn recognise(source: &str) -> Option<Intrinsic> {
    let tokens = lexer::lex(source).ok()?;
    [DROP_EMPTY_FIELDS, IS_EMPTY].into_iter().find_map(|text| {
        let known = lexer::lex(text).expect("the known scripts lex");
        let same =
            tokens.len() == known.len() && tokens.iter().zip(&known).all(|(a, b)| a.tok == b.tok);
        same.then_some(Intrinsic::DropEmptyFields)
    })
}

impl Intrinsic {
    /// Runs natively; `false` (with `ctx` untouched) when the document is
    /// outside what the native version handles and the interpreter must run.
    pub fn run(self, ctx: &mut Map) -> bool {
        match self {
            Intrinsic::DropEmptyFields => {
                let mut nodes = 0;
                if !within_limits(ctx, 1, &mut nodes) {
                    return false;
                }
                drop_empty_map(ctx);
                true
            }
        }
    }
}

fn within_limits(map: &Map, depth: usize, nodes: &mut usize) -> bool {
    map.values().all(|v| value_within_limits(v, depth, nodes))
}

fn value_within_limits(v: &Value, depth: usize, nodes: &mut usize) -> bool {
    *nodes += 1;
    if *nodes > MAX_NODES || depth > MAX_DEPTH {
        return false;
    }
    match v {
        Value::Map(m) => within_limits(m, depth + 1, nodes),
        Value::List(l) => l.iter().all(|v| value_within_limits(v, depth + 1, nodes)),
        _ => true,
    }
}

/// `dropEmptyFields(object)`: whether the value is to be removed, after
/// emptying it when it is a map or a list.
fn drop_empty(v: &mut Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Map(m) => drop_empty_map(m),
        Value::List(l) => {
            l.retain_mut(|v| !drop_empty(v));
            l.is_empty()
        }
        _ => false,
    }
}

fn drop_empty_map(m: &mut Map) -> bool {
    m.retain(|_, v| !drop_empty(v));
    m.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::painless::{compile, ScriptContext};

    #[test]
    fn recognises_the_script_whatever_the_whitespace() {
        assert_eq!(
            recognise(DROP_EMPTY_FIELDS),
            Some(Intrinsic::DropEmptyFields)
        );
        assert_eq!(recognise(IS_EMPTY), Some(Intrinsic::DropEmptyFields));
        let squeezed = DROP_EMPTY_FIELDS
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(recognise(&squeezed), Some(Intrinsic::DropEmptyFields));
        assert_eq!(
            recognise(&DROP_EMPTY_FIELDS.replace("size() == 0", "size() == 1")),
            None
        );
        assert_eq!(
            recognise(
                &DROP_EMPTY_FIELDS.replace("dropEmptyFields(ctx);", "dropEmptyFields(ctx.a);")
            ),
            None
        );
        assert_eq!(recognise("ctx.a = 1"), None);
    }

    /// The native run and the interpreter's agree.
    #[test]
    fn agrees_with_the_interpreter() {
        let docs = [
            r#"{"a": null, "b": "", "c": " ", "d": 0, "e": false, "f": [], "g": {}, "h": [null, "", 1, [""], {"x": null}],
                "i": {"j": {"k": ""}, "l": [[], {}], "m": "x"}, "n": 1.5, "o": [{"p": ""}, {"q": "r"}], "_index": "i"}"#,
            r#"{"a": {"b": {"c": {"d": {"e": ""}}}}, "z": "kept"}"#,
            r#"{"only": null}"#,
            r#"{}"#,
        ];
        for text in [DROP_EMPTY_FIELDS, IS_EMPTY] {
            let interpreted = compile(text, ScriptContext::Ingest).unwrap();
            for doc in docs {
                let Value::Map(original) = Value::from_json_str(doc).unwrap() else {
                    panic!()
                };
                let mut native = original.clone();
                assert!(Intrinsic::DropEmptyFields.run(&mut native));
                let mut by_interpreter = original.clone();
                interpreted
                    .interpret(&mut by_interpreter, &Map::new())
                    .unwrap();
                assert_eq!(
                    Value::Map(native).to_json(),
                    Value::Map(by_interpreter).to_json(),
                    "{doc}"
                );
            }
        }
    }

    #[test]
    fn deep_documents_are_left_to_the_interpreter() {
        let mut v = Value::from("");
        for _ in 0..40 {
            let mut m = Map::new();
            m.insert("a".into(), v);
            v = Value::Map(m);
        }
        let Value::Map(mut deep) = v else { panic!() };
        let before = deep.clone();
        assert!(!Intrinsic::DropEmptyFields.run(&mut deep));
        assert_eq!(deep, before);
        // And the script still fails there as Painless does (the
        // interpreter recurses deeply: give it room in a debug build).
        let handle = std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn(move || {
                let script = compile(DROP_EMPTY_FIELDS, ScriptContext::Ingest).unwrap();
                let native = script.execute(&mut deep.clone(), &Map::new());
                let interpreted = script.interpret(&mut deep, &Map::new());
                assert!(interpreted.is_err(), "deeper than Painless's call stack");
                assert_eq!(native.map_err(|e| e.to_string()), interpreted.map_err(|e| e.to_string()));
            })
            .unwrap();
        handle.join().unwrap();
    }
}
