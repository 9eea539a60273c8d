//! `sort`: sorts a list, comparing elements as Java's `Comparable`s do.

use super::support::{cannot_cast, set_field};
use super::{Example, Flow, OptionKind::*, OptionSpec, Options, Processor, ProcessorSpec};
use crate::document::{FieldPath, IngestDocument};
use crate::error::EsError;
use crate::pipeline::{BuildContext, RunContext};
use crate::value::Value;
use std::cmp::Ordering;

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "sort",
    description: "Sorts the elements of an array ascending or descending.",
    options: &[
        OptionSpec::required("field", String, "The field to be sorted."),
        OptionSpec::optional("order", String, "The sort order to use. Accepts \"asc\" or \"desc\".").default("asc"),
        OptionSpec::optional("target_field", String, "The field to assign the sorted value to, by default field is updated in-place."),
    ],
    examples: &[
        Example {
            title: "numbers ascending",
            config: r#"{"field": "l"}"#,
            input: r#"{"l": [3, 1, 2]}"#,
            output: Ok(r#"{"l": [1, 2, 3]}"#),
        },
        Example {
            title: "strings descending, by UTF-16 code unit",
            config: r#"{"field": "l", "order": "desc", "target_field": "s"}"#,
            input: r#"{"l": ["a", "C", "b"]}"#,
            output: Ok(r#"{"l": ["a", "C", "b"], "s": ["b", "a", "C"]}"#),
        },
        Example {
            title: "mixed types cannot be compared",
            config: r#"{"field": "l"}"#,
            input: r#"{"l": [1, "a"]}"#,
            output: Err("class java.lang.Integer cannot be cast to class java.lang.String (java.lang.Integer and java.lang.String are in module java.base of loader 'bootstrap')"),
        },
        Example {
            title: "an integer and a long are different types to Java",
            config: r#"{"field": "l"}"#,
            input: r#"{"l": [1, 12345678901]}"#,
            output: Err("class java.lang.Integer cannot be cast to class java.lang.Long (java.lang.Integer and java.lang.Long are in module java.base of loader 'bootstrap')"),
        },
        Example {
            title: "integers beyond a long (BigInteger) sort by value, written with all their digits",
            config: r#"{"field": "l", "order": "desc"}"#,
            input: r#"{"l": [-99999999999999999999, 12345678901234567890, 9223372036854775808]}"#,
            output: Ok(r#"{"l": [12345678901234567890, 9223372036854775808, -99999999999999999999]}"#),
        },
        Example {
            title: "a BigInteger and a Long are different types to Java",
            config: r#"{"field": "l"}"#,
            input: r#"{"l": [12345678901, 99999999999999999999]}"#,
            output: Err("class java.lang.Long cannot be cast to class java.math.BigInteger (java.lang.Long and java.math.BigInteger are in module java.base of loader 'bootstrap')"),
        },
        Example {
            title: "a string is not a list",
            config: r#"{"field": "l"}"#,
            input: r#"{"l": "a"}"#,
            output: Err("field [l] of type [java.lang.String] cannot be cast to [java.util.List]"),
        },
    ],
    build: Some(build),
};

#[derive(Debug)]
struct Sort {
    field: std::string::String,
    path: FieldPath,
    descending: bool,
    target: FieldPath,
}

fn build(o: &mut Options, _ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    let field = o.string("field")?;
    let target = o
        .opt_string("target_field")?
        .unwrap_or_else(|| field.clone());
    let order = o.opt_string("order")?.unwrap_or_else(|| "asc".into());
    let descending = match order.as_str() {
        "asc" => false,
        "desc" => true,
        _ => {
            return Err(o.error(
                "order",
                &format!("Sort direction [{order}] not recognized. Valid values are: [asc, desc]"),
            ))
        }
    };
    Ok(Box::new(Sort {
        path: FieldPath::parse(&field).map_err(|e| o.error("field", &e))?,
        target: FieldPath::parse(&target).map_err(|e| o.error("target_field", &e))?,
        field,
        descending,
    }))
}

impl Processor for Sort {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut RunContext) -> Result<Flow, EsError> {
        let mut list = match doc.get(&self.path).map_err(EsError::illegal_argument)? {
            Value::Null => {
                return Err(EsError::illegal_argument(format!(
                    "field [{}] is null, cannot sort.",
                    self.field
                )))
            }
            Value::List(l) => l.clone(),
            other => return Err(cannot_cast(&self.field, other, "java.util.List")),
        };
        let descending = self.descending;
        java_sort(&mut list, |a, b| {
            if descending {
                compare(b, a)
            } else {
                compare(a, b)
            }
        })?;
        set_field(doc, &self.target, Value::List(list))?;
        Ok(Flow::Continue)
    }
}

fn bootstrap_cast(from: &str, to: &str) -> EsError {
    EsError::new(
        "class_cast_exception",
        format!("class {from} cannot be cast to class {to} ({from} and {to} are in module java.base of loader 'bootstrap')"),
    )
}

/// `receiver.compareTo(other)` for the boxed types Elasticsearch documents hold.
fn compare(receiver: &Value, other: &Value) -> Result<Ordering, EsError> {
    use Value::*;
    match (receiver, other) {
        (Null, _) => Err(EsError::new(
            "null_pointer_exception",
            "Cannot invoke \"java.lang.Comparable.compareTo(Object)\" because \"a[runHi]\" is null",
        )),
        (List(_) | Map(_), _) => Err(bootstrap_cast(
            receiver.java_class(),
            "java.lang.Comparable",
        )),
        // `BigInteger.compareTo` reads `val.signum` first.
        (BigInteger(_), Null) => Err(EsError::new(
            "null_pointer_exception",
            "Cannot read field \"signum\" because \"val\" is null",
        )),
        (_, Null) => Err(EsError::new(
            "null_pointer_exception",
            "Cannot read field \"value\" because \"anotherValue\" is null",
        )),
        (String(a), String(b)) => Ok(a.encode_utf16().cmp(b.encode_utf16())),
        (Int(a), Int(b)) => Ok(a.cmp(b)),
        (Long(a), Long(b)) => Ok(a.cmp(b)),
        (Bool(a), Bool(b)) => Ok(a.cmp(b)),
        (Double(a), Double(b)) => Ok(java_double_compare(*a, *b)),
        (Float(a), Float(b)) => Ok(java_double_compare(*a as f64, *b as f64)),
        (BigInteger(a), BigInteger(b)) => Ok(a.cmp(b)),
        _ => Err(bootstrap_cast(other.java_class(), receiver.java_class())),
    }
}

/// `Double.compare`: -0.0 before 0.0, NaN (any NaN) after everything.
fn java_double_compare(a: f64, b: f64) -> Ordering {
    match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => a.total_cmp(&b),
    }
}

/// Java's `ComparableTimSort` for short arrays: a leading run, then binary
/// insertion. The comparisons happen in Java's order, so a list that cannot
/// be sorted fails with the same pair Java would report. (Longer lists are
/// merged in Java; a stable sort gives the same order either way.)
fn java_sort(
    a: &mut [Value],
    mut cmp: impl FnMut(&Value, &Value) -> Result<Ordering, EsError>,
) -> Result<(), EsError> {
    let n = a.len();
    if n < 2 {
        return Ok(());
    }
    let mut run = 2;
    if cmp(&a[1], &a[0])? == Ordering::Less {
        while run < n && cmp(&a[run], &a[run - 1])? == Ordering::Less {
            run += 1;
        }
        a[..run].reverse();
    } else {
        while run < n && cmp(&a[run], &a[run - 1])? != Ordering::Less {
            run += 1;
        }
    }
    for start in run..n {
        let (mut left, mut right) = (0, start);
        while left < right {
            let mid = (left + right) / 2;
            if cmp(&a[start], &a[mid])? == Ordering::Less {
                right = mid;
            } else {
                left = mid + 1;
            }
        }
        a[left..=start].rotate_right(1);
    }
    Ok(())
}
