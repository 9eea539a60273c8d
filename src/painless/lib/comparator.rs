//! `java.util.Comparator` and `java.lang.Comparable`, as lang-painless's
//! `java.util.txt` and `java.lang.txt` whitelist them: the comparators
//! `Comparator`'s statics and `Collections.reverseOrder` build (natural and
//! reverse order, `comparing`, `comparingInt/Long/Double`, `nullsFirst`,
//! `nullsLast`), the `reversed` and `thenComparing*` combinators on any
//! comparator (one of these or a lambda), and [`compare`], which sorting,
//! `max` and `min` call with either kind.
//!
//! Each comparator compares as the JDK's does (`java.util.Comparator`'s
//! default and static methods, `Comparators.NaturalOrderComparator` and
//! `NullComparator`, `Collections.ReverseComparator` and
//! `ReverseComparator2`), with the JDK's exceptions: a null compared by
//! natural order is a `NullPointerException`, a value that is no
//! `Comparable` a `ClassCastException`, a null comparator or key extractor
//! given to a combinator a `NullPointerException` at once.

use super::super::interp::{coerce, jvm_cast_error, Interp};
use super::super::ast::{Prim, Type};
use super::super::val::*;
use super::super::Exc;
use super::Obj;
use std::rc::Rc;

type R<T> = Result<T, Exc>;

pub const METHODS: &[&str] = &["reversed", "thenComparing", "thenComparingInt", "thenComparingLong", "thenComparingDouble"];

pub const STATICS: &[(&str, &str)] = &[
    ("Comparator", "comparing"),
    ("Comparator", "comparingInt"),
    ("Comparator", "comparingLong"),
    ("Comparator", "comparingDouble"),
    ("Comparator", "naturalOrder"),
    ("Comparator", "reverseOrder"),
    ("Comparator", "nullsFirst"),
    ("Comparator", "nullsLast"),
    ("Collections", "reverseOrder"),
];

/// Comparators built of comparators nest at most this deep; comparing
/// recurses once per level, so a script building one in a loop fails
/// clearly here rather than exhausting the stack (Java would end in a
/// `StackOverflowError` thousands of levels down).
const MAX_NESTING: u32 = 64;

/// A comparator the library built, and how deep it nests others.
#[derive(Debug)]
pub struct Comparator<'a> {
    order: Order<'a>,
    depth: u32,
}

#[derive(Debug)]
enum Order<'a> {
    /// `Comparator.naturalOrder()`: `a.compareTo(b)`.
    Natural,
    /// `Comparator.reverseOrder()`, `Collections.reverseOrder()`: `b.compareTo(a)`.
    Reverse,
    /// `c.reversed()`, `Collections.reverseOrder(c)`: `c.compare(b, a)`.
    Reversed(Val<'a>),
    /// `comparing(key)`, `comparing(key, c)`, `comparingInt(key)`, ...:
    /// the keys of both values, compared.
    Keys(Val<'a>, KeyOrder<'a>),
    /// `first.thenComparing(second)`: `second` where `first` finds a tie.
    Then(Val<'a>, Val<'a>),
    /// `nullsFirst(c)`, `nullsLast(c)`: nulls before (after) the rest,
    /// which `c` orders (all equal without one).
    Nulls { first: bool, rest: Option<Val<'a>> },
}

#[derive(Debug)]
enum KeyOrder<'a> {
    /// `comparing(key)`: the first key's `compareTo`.
    Natural,
    /// `comparing(key, c)`.
    With(Val<'a>),
    /// `comparingInt`, `comparingLong`, `comparingDouble`: the keys as
    /// that primitive, by `Integer.compare`, `Long.compare`, `Double.compare`.
    Prim(Prim),
}

impl<'a> Comparator<'a> {
    pub fn class_name(&self) -> &'static str {
        match self.order {
            Order::Natural => "java.util.Comparators$NaturalOrderComparator",
            Order::Reverse => "java.util.Collections$ReverseComparator",
            Order::Reversed(_) => "java.util.Collections$ReverseComparator2",
            Order::Nulls { .. } => "java.util.Comparators$NullComparator",
            // Java's are lambdas, whose class names carry a runtime address.
            Order::Keys(..) | Order::Then(..) => "java.util.Comparator$$Lambda",
        }
    }

    /// `equals`: the two singletons equal themselves wherever they come
    /// from; `ReverseComparator2` equals another reversing an equal
    /// comparator; the others are equal only to themselves.
    pub fn equals(&self, other: &Comparator<'a>) -> bool {
        match (&self.order, &other.order) {
            (Order::Natural, Order::Natural) | (Order::Reverse, Order::Reverse) => true,
            (Order::Reversed(a), Order::Reversed(b)) => a.java_equals(b),
            _ => std::ptr::eq(self, other),
        }
    }
}

/// Whether a value is a `java.lang.Comparable`: strings, the boxes,
/// `BigInteger`, and the java.time values and enums that implement it.
pub fn is_comparable(v: &Val<'_>) -> bool {
    match v {
        Val::Str(_) | Val::Bool(_) | Val::Byte(_) | Val::Short(_) | Val::Char(_) | Val::Int(_) | Val::Long(_) | Val::Float(_) | Val::Double(_) => true,
        Val::Obj(o) => match &**o {
            Obj::BigInteger(_) => true,
            Obj::Time(t) => !matches!(t.class_name(), "java.time.ZoneRegion" | "java.time.format.DateTimeFormatter"),
            _ => false,
        },
        _ => false,
    }
}

pub fn is_comparator(v: &Val<'_>) -> bool {
    match v {
        Val::Func(_) => true,
        Val::Obj(o) => matches!(&**o, Obj::Comparator(_)),
        _ => false,
    }
}

fn depth(v: &Val<'_>) -> u32 {
    match v {
        Val::Obj(o) => match &**o {
            Obj::Comparator(c) => c.depth,
            _ => 0,
        },
        _ => 0,
    }
}

fn comparator<'a>(order: Order<'a>) -> R<Val<'a>> {
    let depth = 1 + match &order {
        Order::Natural | Order::Reverse => 0,
        Order::Reversed(c) => depth(c),
        Order::Keys(_, KeyOrder::With(c)) => depth(c),
        Order::Keys(..) => 0,
        Order::Then(a, b) => depth(a).max(depth(b)),
        Order::Nulls { rest, .. } => rest.as_ref().map_or(0, depth),
    };
    if depth > MAX_NESTING {
        return Err(Exc::painless_error(format!("comparators nested more than {MAX_NESTING} deep are not supported by this engine")));
    }
    Ok(Val::Obj(Rc::new(Obj::Comparator(Comparator { order, depth }))))
}

fn order_of<'v, 'a>(v: &'v Val<'a>) -> Option<&'v Order<'a>> {
    match v {
        Val::Obj(o) => match &**o {
            Obj::Comparator(c) => Some(&c.order),
            _ => None,
        },
        _ => None,
    }
}

/// `Objects.requireNonNull(x)`, as the JDK's combinators call it on their
/// arguments: a `NullPointerException` without a message.
fn required<'a>(v: &Val<'a>) -> R<Val<'a>> {
    if v.is_null() {
        Err(Exc::bare("NullPointerException"))
    } else {
        Ok(v.clone())
    }
}

/// A comparator argument: a comparator, or a value Painless could not
/// have passed as one.
fn comparator_arg<'a>(v: &Val<'a>) -> R<Val<'a>> {
    let v = required(v)?;
    if is_comparator(&v) {
        Ok(v)
    } else {
        Err(jvm_cast_error(&v.class_name(), "java.util.Comparator"))
    }
}

/// `Collections.reverseOrder(c)` (which `reversed()` calls): the
/// singletons swap, a reversing comparator gives back what it reverses,
/// anything else is wrapped.
fn reverse_of<'a>(c: &Val<'a>) -> R<Val<'a>> {
    match order_of(c) {
        Some(Order::Natural) => comparator(Order::Reverse),
        Some(Order::Reverse) => comparator(Order::Natural),
        Some(Order::Reversed(inner)) => Ok(inner.clone()),
        // `NullComparator.reversed()`: nulls move to the other end, the rest reversed.
        Some(Order::Nulls { first, rest }) => {
            let rest = rest.as_ref().map(reverse_of).transpose()?;
            comparator(Order::Nulls { first: !first, rest })
        }
        _ => comparator(Order::Reversed(c.clone())),
    }
}

/// `c.thenComparing(other)`; a `NullComparator` keeps nulls where they
/// were and chains `other` after what it orders the rest by.
fn then<'a>(c: &Val<'a>, other: Val<'a>) -> R<Val<'a>> {
    if let Some(Order::Nulls { first, rest }) = order_of(c) {
        let rest = match rest {
            Some(r) => then(r, other)?,
            None => other,
        };
        return comparator(Order::Nulls { first: *first, rest: Some(rest) });
    }
    comparator(Order::Then(c.clone(), other))
}

/// The primitive `comparingInt`, `comparingLong`, `comparingDouble` (and
/// their `thenComparing` forms) take the keys as.
fn key_prim(name: &str) -> Prim {
    if name.ends_with("Int") {
        Prim::Int
    } else if name.ends_with("Long") {
        Prim::Long
    } else {
        Prim::Double
    }
}

/// The statics of `Comparator` and `Collections.reverseOrder`.
pub fn call_static<'a>(class: &str, name: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    Some(match (class, name, args) {
        ("Comparator", "naturalOrder", []) => comparator(Order::Natural),
        ("Comparator" | "Collections", "reverseOrder", []) => comparator(Order::Reverse),
        ("Collections", "reverseOrder", [c]) if c.is_null() => comparator(Order::Reverse),
        ("Collections", "reverseOrder", [c]) => comparator_arg(c).and_then(|c| reverse_of(&c)),
        ("Comparator", "comparing", [key]) => required(key).and_then(|key| comparator(Order::Keys(key, KeyOrder::Natural))),
        ("Comparator", "comparing", [key, c]) => {
            required(key).and_then(|key| Ok((key, comparator_arg(c)?))).and_then(|(key, c)| comparator(Order::Keys(key, KeyOrder::With(c))))
        }
        ("Comparator", "comparingInt" | "comparingLong" | "comparingDouble", [key]) => {
            required(key).and_then(|key| comparator(Order::Keys(key, KeyOrder::Prim(key_prim(name)))))
        }
        ("Comparator", "nullsFirst" | "nullsLast", [c]) => {
            let rest = if c.is_null() { Ok(None) } else { comparator_arg(c).map(Some) };
            rest.and_then(|rest| comparator(Order::Nulls { first: name == "nullsFirst", rest }))
        }
        _ => return None,
    })
}

/// A method of a comparator (`recv` is one of these or a lambda):
/// `compare`, `reversed`, `thenComparing*`; `equals`, `hashCode` and
/// `toString` are Object's.
pub fn call<'a>(it: &mut Interp<'a>, recv: &Val<'a>, name: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    Some(match (name, args) {
        ("compare", [a, b]) => compare(it, recv, a, b).map(Val::Int),
        ("reversed", []) => reverse_of(recv),
        ("thenComparing", [other]) => comparator_arg(other).and_then(|other| then(recv, other)),
        ("thenComparing", [key, c]) => required(key)
            .and_then(|key| Ok((key, comparator_arg(c)?)))
            .and_then(|(key, c)| comparator(Order::Keys(key, KeyOrder::With(c))))
            .and_then(|keys| then(recv, keys)),
        ("thenComparingInt" | "thenComparingLong" | "thenComparingDouble", [key]) => {
            required(key).and_then(|key| comparator(Order::Keys(key, KeyOrder::Prim(key_prim(name))))).and_then(|keys| then(recv, keys))
        }
        _ => return None,
    })
}

/// `cmp.compare(a, b)` for any comparator: a lambda (its result cast to
/// `int` as Painless casts a lambda's returned value to its interface
/// method's return type) or one the library built.
pub fn compare<'a>(it: &mut Interp<'a>, cmp: &Val<'a>, a: &Val<'a>, b: &Val<'a>) -> R<i32> {
    let Some(order) = order_of(cmp) else {
        let result = it.call_func(cmp, &mut [a.clone(), b.clone()])?;
        return as_int(coerce(&Type::Prim(Prim::Int), result, false)?);
    };
    match order {
        // Both comparators' bridge methods cast `c1`, then `c2`, to Comparable.
        Order::Natural | Order::Reverse => {
            comparable(a)?;
            comparable(b)?;
            match order {
                Order::Natural => compare_to(it, a, b, "\"c1\""),
                _ => compare_to(it, b, a, "\"c2\""),
            }
        }
        Order::Reversed(c) => it.nested(|it| compare(it, c, b, a)),
        Order::Then(first, second) => match it.nested(|it| compare(it, first, a, b))? {
            0 => it.nested(|it| compare(it, second, a, b)),
            res => Ok(res),
        },
        Order::Nulls { first, rest } => Ok(match (a.is_null(), b.is_null(), rest) {
            (true, true, _) => 0,
            (true, false, _) => if *first { -1 } else { 1 },
            (false, true, _) => if *first { 1 } else { -1 },
            (false, false, None) => 0,
            (false, false, Some(c)) => return it.nested(|it| compare(it, c, a, b)),
        }),
        Order::Keys(key, by) => {
            let x = it.call_func(key, &mut [a.clone()])?;
            match by {
                KeyOrder::Natural => {
                    // `keyExtractor.apply(c1).compareTo(keyExtractor.apply(c2))`:
                    // the first key is cast to Comparable before the second is taken.
                    comparable(&x)?;
                    let y = it.call_func(key, &mut [b.clone()])?;
                    compare_to(it, &x, &y, "the return value of \"java.util.function.Function.apply(Object)\"")
                }
                KeyOrder::With(c) => {
                    let y = it.call_func(key, &mut [b.clone()])?;
                    it.nested(|it| compare(it, c, &x, &y))
                }
                KeyOrder::Prim(p) => {
                    let ty = Type::Prim(*p);
                    let x = coerce(&ty, x, false)?;
                    let y = coerce(&ty, it.call_func(key, &mut [b.clone()])?, false)?;
                    Ok(match (x, y) {
                        (Val::Int(x), Val::Int(y)) => x.cmp(&y) as i32,
                        (Val::Long(x), Val::Long(y)) => x.cmp(&y) as i32,
                        (Val::Double(x), Val::Double(y)) => double_compare(x, y),
                        _ => 0,
                    })
                }
            }
        }
    }
}

fn as_int(v: Val<'_>) -> R<i32> {
    match v {
        Val::Int(i) => Ok(i),
        other => Err(Exc::class_cast(format!("cannot cast def [{}] to int", other.unboxed_name()))),
    }
}

/// `Double.compare`: -0.0 below 0.0, NaN above everything and equal to itself.
fn double_compare(x: f64, y: f64) -> i32 {
    if x < y {
        -1
    } else if x > y {
        1
    } else {
        let bits = |d: f64| if d.is_nan() { 0x7ff8000000000000u64 as i64 } else { d.to_bits() as i64 };
        bits(x).cmp(&bits(y)) as i32
    }
}

/// The cast to `Comparable` that Java's generic comparators make of what
/// they compare.
fn comparable(v: &Val<'_>) -> R<()> {
    if v.is_null() || is_comparable(v) {
        Ok(())
    } else {
        Err(jvm_cast_error(&v.class_name(), "java.lang.Comparable"))
    }
}

/// `a.compareTo(b)` with `a` cast to `Comparable` first, as a
/// natural-order `TreeMap` compares keys; `receiver` names `a` in the
/// `NullPointerException` when it is null.
pub fn natural_compare<'a>(it: &mut Interp<'a>, a: &Val<'a>, b: &Val<'a>, receiver: &str) -> R<i32> {
    comparable(a)?;
    compare_to(it, a, b, receiver)
}

/// `a.compareTo(b)` on an `a` already cast to `Comparable`; `receiver`
/// names `a` in the `NullPointerException` when it is null.
fn compare_to<'a>(it: &mut Interp<'a>, a: &Val<'a>, b: &Val<'a>, receiver: &str) -> R<i32> {
    if a.is_null() {
        return Err(Exc::npe(format!("Cannot invoke \"java.lang.Comparable.compareTo(Object)\" because {receiver} is null")));
    }
    as_int(super::call_method(it, a, "compareTo", std::slice::from_ref(b))?)
}

#[cfg(test)]
mod tests {
    use super::super::super::script_result_of;
    use crate::value::Value;

    fn run(source: &str) -> Result<Value, (String, String)> {
        script_result_of(source)
    }

    fn text(source: &str) -> String {
        match run(source) {
            Ok(Value::String(s)) => s,
            other => panic!("{source}: {other:?}"),
        }
    }

    /// `List.sort(Comparator)` with the comparators java.util.txt
    /// whitelists, ordering as the JDK's do.
    #[test]
    fn comparators_order_as_the_jdk_does() {
        let people = "def l = [['n': 'bo', 'a': 30], ['n': 'al', 'a': 25], ['n': 'cy', 'a': 30], ['n': 'di', 'a': 20]]";
        let names = "l.stream().map(p -> p.n).collect(Collectors.joining(','))";
        let cases = [
            ("Comparator.naturalOrder()", "['b', 'c', 'a']", "a,b,c"),
            ("Comparator.reverseOrder()", "['b', 'c', 'a']", "c,b,a"),
            ("Collections.reverseOrder()", "['b', 'c', 'a']", "c,b,a"),
            ("Comparator.naturalOrder().reversed()", "['b', 'c', 'a']", "c,b,a"),
            ("Comparator.reverseOrder().reversed()", "['b', 'c', 'a']", "a,b,c"),
            ("Collections.reverseOrder(Comparator.reverseOrder())", "['b', 'c', 'a']", "a,b,c"),
            ("null", "['b', 'c', 'a']", "a,b,c"),
            ("(x, y) -> y.length() - x.length()", "['bb', 'c', 'aaa']", "aaa,bb,c"),
            ("Comparator.nullsFirst(Comparator.naturalOrder())", "['b', null, 'a']", "null,a,b"),
            ("Comparator.nullsLast(Comparator.naturalOrder())", "['b', null, 'a']", "a,b,null"),
            ("Comparator.nullsFirst(Comparator.naturalOrder()).reversed()", "['b', null, 'a']", "b,a,null"),
            ("Comparator.nullsLast(null)", "['b', null, 'a']", "b,a,null"),
        ];
        for (cmp, list, want) in cases {
            let got = text(&format!("def l = {list}; l.sort({cmp}); l.stream().map(x -> String.valueOf(x)).collect(Collectors.joining(','))"));
            assert_eq!(got, want, "{cmp}");
        }
        let keyed = [
            ("Comparator.comparing(p -> p.n)", "al,bo,cy,di"),
            ("Comparator.comparing(p -> p.a)", "di,al,bo,cy"),
            ("Comparator.comparing(p -> p.a).reversed()", "bo,cy,al,di"),
            ("Comparator.comparing(p -> p.a, Comparator.reverseOrder())", "bo,cy,al,di"),
            ("Comparator.comparing(p -> p.a).thenComparing(Comparator.comparing(p -> p.n).reversed())", "di,al,cy,bo"),
            ("Comparator.comparing(p -> p.a).thenComparing(p -> p.n, Comparator.reverseOrder())", "di,al,cy,bo"),
            ("Comparator.comparingInt(p -> p.a).thenComparing((x, y) -> y.n.compareTo(x.n))", "di,al,cy,bo"),
            ("Comparator.comparingLong(p -> p.a).reversed().thenComparing(Comparator.comparing(p -> p.n))", "bo,cy,al,di"),
            ("Comparator.comparingDouble(p -> p.a).thenComparingInt(p -> -p.n.charAt(0))", "di,al,cy,bo"),
        ];
        for (cmp, want) in keyed {
            assert_eq!(text(&format!("{people}; l.sort({cmp}); {names}")), want, "{cmp}");
        }
        // A lambda typed as a Comparator gets the default methods.
        assert_eq!(text("Comparator c = (x, y) -> x.compareTo(y); def l = ['b', 'a', 'c']; l.sort(c.reversed()); String.join(',', l)"), "c,b,a");
        // Collections.sort, max, min and the stream's sorted, max and min take them too.
        assert_eq!(text("def l = ['b', 'a', 'c']; Collections.sort(l, Comparator.reverseOrder()); String.join(',', l)"), "c,b,a");
        assert_eq!(run("Collections.max(['bb', 'a', 'ccc'], Comparator.comparing(s -> s.length()))"), Ok(Value::String("ccc".into())));
        assert_eq!(run("Collections.min([3, 1, 2], Comparator.reverseOrder())"), Ok(Value::Int(3)));
        assert_eq!(run("[3, 1, 2].stream().max(Comparator.reverseOrder()).get()"), Ok(Value::Int(1)));
        assert_eq!(text("['b', 'a', 'c'].stream().sorted(Comparator.reverseOrder()).collect(Collectors.joining(','))"), "c,b,a");
    }

    /// `compare` answers what the JDK's comparators return: natural order
    /// is `compareTo`'s own value (String's is a difference of chars),
    /// `comparingInt` is `Integer.compare`'s -1, 0 or 1, `Double.compare`
    /// puts -0.0 before 0.0 and NaN after everything.
    #[test]
    fn compare_returns_the_jdk_values() {
        let cases = [
            ("Comparator.naturalOrder().compare('a', 'd')", -3),
            ("Comparator.reverseOrder().compare('a', 'd')", 3),
            ("Comparator.comparingInt(s -> s.length()).compare('aaaa', 'b')", 1),
            ("Comparator.comparingDouble(x -> x).compare(-0.0, 0.0)", -1),
            ("Comparator.comparingDouble(x -> x).compare(Double.NaN, 1.0)", 1),
            ("Comparator.comparingDouble(x -> x).compare(Double.NaN, Double.NaN)", 0),
            ("Comparator.nullsFirst(null).compare(null, 'a')", -1),
            ("Comparator.nullsLast(null).compare(null, 'a')", 1),
            ("Comparator.nullsLast(null).compare('b', 'a')", 0),
        ];
        for (expr, want) in cases {
            assert_eq!(run(expr), Ok(Value::Int(want)), "{expr}");
        }
        assert_eq!(run("Comparator.naturalOrder() == Comparator.naturalOrder()"), Ok(Value::Bool(true)));
        assert_eq!(run("Comparator.naturalOrder().equals(Comparator.reverseOrder())"), Ok(Value::Bool(false)));
        assert_eq!(run("Comparator.naturalOrder() instanceof Comparator"), Ok(Value::Bool(true)));
        assert_eq!(run("Comparator c = (a, b) -> 0; c instanceof Comparator"), Ok(Value::Bool(true)));
    }

    /// The JDK's exceptions: nulls and values that are no Comparable in a
    /// natural order, null arguments to the factories and combinators.
    #[test]
    fn comparators_fail_as_the_jdk_does() {
        let npe = |m: &str| Err(("null_pointer_exception".to_string(), m.to_string()));
        let cce = |m: &str| Err(("class_cast_exception".to_string(), m.to_string()));
        assert_eq!(
            run("def l = ['a', null]; l.sort(Comparator.naturalOrder()); l"),
            npe("Cannot invoke \"java.lang.Comparable.compareTo(Object)\" because \"c1\" is null")
        );
        assert_eq!(
            run("Comparator.reverseOrder().compare('a', null)"),
            npe("Cannot invoke \"java.lang.Comparable.compareTo(Object)\" because \"c2\" is null")
        );
        assert_eq!(
            run("Comparator.comparing(x -> x.k).compare(['k': null], ['k': 1])"),
            npe("Cannot invoke \"java.lang.Comparable.compareTo(Object)\" because the return value of \"java.util.function.Function.apply(Object)\" is null")
        );
        assert_eq!(
            run("Comparator.naturalOrder().compare([1], [2])"),
            cce("class java.util.ArrayList cannot be cast to class java.lang.Comparable (java.util.ArrayList and java.lang.Comparable are in module java.base of loader 'bootstrap')")
        );
        assert_eq!(run("Comparator.comparing(null)").unwrap_err().0, "null_pointer_exception");
        assert_eq!(run("Comparator.naturalOrder().thenComparing(null)").unwrap_err().0, "null_pointer_exception");
        // TreeMap and TreeSet take a comparator, not a map or collection to copy.
        assert_eq!(run("new TreeMap(null).size()"), Ok(Value::Int(0)));
        assert_eq!(
            run("new TreeMap(['a': 1])"),
            Err((
                "class_cast_exception".into(),
                "class java.util.HashMap cannot be cast to class java.util.Comparator (java.util.HashMap and java.util.Comparator are in module java.base of loader 'bootstrap')".into()
            ))
        );
        // A TreeMap's comparator fails as the comparator does, at the put.
        assert_eq!(run("def m = new TreeMap(Comparator.reverseOrder()); m.put([], 1); m").unwrap_err().0, "class_cast_exception");
        // Nesting is bounded, with a clear error rather than a deep recursion.
        let deep = run("def c = Comparator.naturalOrder(); for (int i = 0; i < 100; i++) { c = c.thenComparing(Comparator.naturalOrder()) } c.compare('a', 'b')");
        assert_eq!(deep, Err(("painless_error".into(), "comparators nested more than 64 deep are not supported by this engine".into())));
    }

    /// `Comparable` is a type (java.lang.txt): strings, boxes and the
    /// java.time values are instances, collections are not.
    #[test]
    fn comparable_is_a_type() {
        assert_eq!(run("Comparable c = 'b'; c.compareTo('a')"), Ok(Value::Int(1)));
        assert_eq!(run("'a' instanceof Comparable && 1 instanceof Comparable && 2.0 instanceof Comparable"), Ok(Value::Bool(true)));
        assert_eq!(run("def l = []; l instanceof Comparable"), Ok(Value::Bool(false)));
        assert_eq!(run("ZonedDateTime.parse('2024-01-01T00:00:00Z') instanceof Comparable"), Ok(Value::Bool(true)));
        // Enums compare by ordinal (`Enum.compareTo`: their difference).
        let days = "def fri = ZonedDateTime.parse('2024-01-05T00:00:00Z').getDayOfWeek(); def mon = ZonedDateTime.parse('2024-01-01T00:00:00Z').getDayOfWeek()";
        assert_eq!(run(&format!("{days}; Comparator.naturalOrder().compare(fri, mon)")), Ok(Value::Int(4)));
        assert_eq!(run(&format!("{days}; def l = [fri, mon]; l.sort(null); l[0].toString()")), Ok(Value::String("MONDAY".into())));
    }
}
