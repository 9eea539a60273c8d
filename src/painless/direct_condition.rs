//! Conditions evaluated directly on the borrowed document.
//!
//! Most processor `if`s are a few null-safe field tests, type tests and
//! string or list checks: `ctx.event?.original == null`,
//! `ctx.a?.b instanceof String && ctx.a.b.equalsIgnoreCase('x')`. The
//! interpreter answers them through frames, [`Val`](super::val::Val)s and
//! error locations; this module answers them with a few map lookups.
//!
//! At load time [`DirectCondition::compile`] turns a resolved condition
//! whose expression lies in a fixed subset into a small tree: field chains
//! from `ctx` or `params` (`.` and `?.`, the `length`/`empty` shortcuts,
//! list shortcuts `x.0`, `[literal]`), literals, `==`/`!=`, `<`/`<=`/`>`/`>=`,
//! `instanceof`, `&&`/`||`/`!`, `c ? a : b`, `a ?: b`, the String/List/Map
//! methods [`Method`] lists, and `[literals].contains(x)`. Anything else is left to
//! the interpreter. The tree is then lowered to ops (see [`ops`]), one small
//! struct per node that does only its own work, which evaluate on
//! [`Datum`]s, copies of scalars and borrows of the document's strings,
//! lists and maps: nothing is allocated or dropped.
//!
//! A condition cannot change `ctx` (Elasticsearch makes it read-only), so
//! running the interpreter after the direct tree has looked at the document
//! changes nothing. The tree therefore answers only what it can answer
//! exactly as the interpreter would, and returns `None` ("unknown") on
//! everything else: a value of a type the operation does not take, and
//! every case where the interpreter throws (a method on null, a field of a
//! number, a comparison of a string with `<`). `Script::condition` then runs
//! the interpreter, which gives the answer or the error with its message and
//! position, exactly as before. The interpreter is the oracle: the tests in
//! `direct_condition/tests.rs` compare the two on many conditions and
//! documents.

use super::ast::{BinOp, Expr, ExprKind, Program, StmtKind, Type, UnOp};
use super::interp::instance_of;
use super::lib::string::java_len;
use super::resolve::{CTX_SLOT, PARAMS_SLOT};
use super::val::{ListRef, MapRef, Str, Val};
use crate::value::{FieldName, Map, Value};
use std::sync::Arc;

mod ops;
#[cfg(test)]
mod tests;

use ops::Evaluation;

/// A condition compiled for direct evaluation.
#[derive(Debug)]
pub struct DirectCondition {
    test: Box<dyn ops::Test>,
}

/// One node of the tree; each evaluates to a [`Datum`] or to "unknown".
#[derive(Debug)]
enum Node {
    Literal(Literal),
    /// `ctx.a?.b['c']`: the accesses one after the other (none for `ctx` itself).
    Fields { root: Root, steps: Box<[Step]> },
    /// `x == null` (or `x != null` when `negated`): true for null only, whatever `x` is.
    IsNull { value: Box<Node>, negated: bool },
    /// `==` (or `!=` when `negated`): Painless `def` equality.
    Equals { left: Box<Node>, right: Box<Node>, negated: bool },
    /// `<`, `<=`, `>`, `>=` on numbers.
    Compare { op: Ordering, left: Box<Node>, right: Box<Node> },
    InstanceOf { value: Box<Node>, kinds: KindSet },
    Not(Box<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    /// `c ? a : b`
    Choose { test: Box<Node>, then: Box<Node>, otherwise: Box<Node> },
    /// `a ?: b`
    Elvis(Box<Node>, Box<Node>),
    Call { receiver: Box<Node>, method: Method, arg: Option<Box<Node>>, null_safe: bool },
    /// `['a', 'b'].contains(x)` with literal elements, which the
    /// interpreter answers without building the list, by `Object.equals`.
    LiteralListContains { items: Box<[Literal]>, arg: Box<Node> },
}

#[derive(Debug)]
enum Access {
    /// `.empty`: the getter `isEmpty()` of a map, a list or a string, which
    /// comes before a map's own entry.
    Empty,
    /// `.length`: a list's length, or a map's entry `length`.
    Length(FieldName),
    /// `.name`: a map's entry, or a list shortcut (`x.0`).
    Field {
        key: FieldName,
        /// The name as a list shortcut, when it is a number.
        list_index: Option<i32>,
    },
    /// `['name']`: a map's entry (no getter shortcuts).
    Entry(FieldName),
    /// `[key]` with another literal key: a list's element (negative
    /// positions count from the end); a map has no such entry.
    Index(Literal),
}

impl Access {
    fn of_field(name: &str) -> Access {
        match name {
            "empty" => Access::Empty,
            "length" => Access::Length(FieldName::new(name)),
            _ => Access::Field { key: FieldName::new(name), list_index: name.parse().ok() },
        }
    }

    fn of_index(key: Literal) -> Access {
        match key {
            Literal::Str(name) => Access::Entry(FieldName::new(&name)),
            key => Access::Index(key),
        }
    }

    /// What the access reads, the same for two accesses that always read
    /// the same field of the same value.
    fn identity(&self) -> String {
        match self {
            Access::Empty => ".empty".to_string(),
            Access::Length(_) => ".length".to_string(),
            Access::Field { key, .. } => format!(".{}", key.name()),
            Access::Entry(key) => format!("[{:?}]", key.name()),
            Access::Index(key) => format!("[{key:?}]"),
        }
    }
}

/// Where a field chain starts.
#[derive(Debug)]
enum Root {
    Ctx,
    Params,
    /// Any other value: `(ctx.a ?: ctx.b).c`.
    Value(Box<Node>),
}

/// A literal constant of the source.
#[derive(Debug)]
enum Literal {
    Null,
    Bool(bool),
    Int(i32),
    Long(i64),
    Float(f32),
    Double(f64),
    Str(Arc<str>),
}

/// One access of a chain.
#[derive(Debug)]
struct Step {
    access: Access,
    /// `?.`: null stays null instead of throwing.
    null_safe: bool,
    /// Where an evaluation keeps this field once looked up, when other
    /// chains of the condition read it too.
    shared: Option<usize>,
}

#[derive(Debug, Clone, Copy)]
enum Ordering {
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

/// The methods the tree calls, each on the receivers the interpreter's
/// library gives it (see [`call`]); other receivers are "unknown".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Equals,
    EqualsIgnoreCase,
    Contains,
    StartsWith,
    EndsWith,
    IsEmpty,
    Size,
    Length,
    Get,
    ContainsKey,
}

impl Method {
    fn of(name: &str, arity: usize) -> Option<Method> {
        Some(match (name, arity) {
            ("equals", 1) => Method::Equals,
            ("equalsIgnoreCase", 1) => Method::EqualsIgnoreCase,
            ("contains", 1) => Method::Contains,
            ("startsWith", 1) => Method::StartsWith,
            ("endsWith", 1) => Method::EndsWith,
            ("isEmpty", 0) => Method::IsEmpty,
            ("size", 0) => Method::Size,
            ("length", 0) => Method::Length,
            ("get", 1) => Method::Get,
            ("containsKey", 1) => Method::ContainsKey,
            _ => return None,
        })
    }
}

/// A value during evaluation: what a document value or a literal is to
/// Painless, borrowed.
#[derive(Debug, Clone, Copy)]
enum Datum<'a> {
    Null,
    Bool(bool),
    Int(i32),
    Long(i64),
    Float(f32),
    Double(f64),
    Str(&'a str),
    List(&'a [Value]),
    Map(&'a Map),
    /// A value this tree does not model (a `BigInteger`): every test of
    /// it is left to the interpreter.
    Other,
}

impl<'a> Datum<'a> {
    fn of(v: &'a Value) -> Datum<'a> {
        match v {
            Value::Null => Datum::Null,
            Value::Bool(b) => Datum::Bool(*b),
            Value::Int(i) => Datum::Int(*i),
            Value::Long(l) => Datum::Long(*l),
            Value::Float(f) => Datum::Float(*f),
            Value::Double(d) => Datum::Double(*d),
            Value::String(s) => Datum::Str(s),
            Value::List(l) => Datum::List(l),
            Value::Map(m) => Datum::Map(m),
            Value::BigInteger(_) => Datum::Other,
        }
    }

    fn kind(self) -> Option<Kind> {
        Some(match self {
            Datum::Null => Kind::Null,
            Datum::Bool(_) => Kind::Bool,
            Datum::Int(_) => Kind::Int,
            Datum::Long(_) => Kind::Long,
            Datum::Float(_) => Kind::Float,
            Datum::Double(_) => Kind::Double,
            Datum::Str(_) => Kind::Str,
            Datum::List(_) => Kind::List,
            Datum::Map(_) => Kind::Map,
            Datum::Other => return None,
        })
    }
}

impl Literal {
    fn of(e: &Expr) -> Option<Literal> {
        Some(match &e.kind {
            ExprKind::Null => Literal::Null,
            ExprKind::Bool(b) => Literal::Bool(*b),
            ExprKind::Int(i) => Literal::Int(*i),
            ExprKind::Long(l) => Literal::Long(*l),
            ExprKind::Float(f) => Literal::Float(*f),
            ExprKind::Double(d) => Literal::Double(*d),
            ExprKind::Str(s) => Literal::Str(s.clone()),
            _ => return None,
        })
    }

    fn datum(&self) -> Datum<'_> {
        match self {
            Literal::Null => Datum::Null,
            Literal::Bool(b) => Datum::Bool(*b),
            Literal::Int(i) => Datum::Int(*i),
            Literal::Long(l) => Datum::Long(*l),
            Literal::Float(f) => Datum::Float(*f),
            Literal::Double(d) => Datum::Double(*d),
            Literal::Str(s) => Datum::Str(s),
        }
    }
}

/// The kinds of value a document (or a literal) holds.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Null,
    Bool,
    Int,
    Long,
    Float,
    Double,
    Str,
    List,
    Map,
}

const KINDS: [Kind; 9] = [Kind::Null, Kind::Bool, Kind::Int, Kind::Long, Kind::Float, Kind::Double, Kind::Str, Kind::List, Kind::Map];

/// The kinds an `instanceof` type admits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct KindSet(u16);

impl KindSet {
    /// Asks the interpreter's own `instanceof` about a value of each kind,
    /// so the two agree by construction: the answer depends on the kind
    /// alone, never on the value.
    fn of(ty: &Type) -> KindSet {
        let (list, map) = (Vec::new(), Map::default());
        let mut set = 0;
        for kind in KINDS {
            let sample = match kind {
                Kind::Null => Val::Null,
                Kind::Bool => Val::Bool(false),
                Kind::Int => Val::Int(0),
                Kind::Long => Val::Long(0),
                Kind::Float => Val::Float(0.0),
                Kind::Double => Val::Double(0.0),
                Kind::Str => Val::Str(Str::Doc("")),
                Kind::List => Val::List(ListRef::Doc(&list)),
                Kind::Map => Val::Map(MapRef::Doc(&map)),
            };
            if instance_of(&sample, ty) {
                set |= 1 << kind as u16;
            }
        }
        KindSet(set)
    }

    fn contains(self, kind: Kind) -> bool {
        self.0 & (1 << kind as u16) != 0
    }
}

impl DirectCondition {
    /// The direct form of a condition, when its expression lies in the subset.
    pub fn compile(program: &Program) -> Option<DirectCondition> {
        Some(DirectCondition { test: ops::lower_test(tree(program)?) })
    }

    /// The condition's answer on `ctx`, or `None` when the interpreter must
    /// decide (it may throw).
    pub fn evaluate(&self, ctx: &Map, params: &Map) -> Option<bool> {
        let mut evaluation = Evaluation { ctx, params, shared: [None; MAX_SHARED] };
        self.test.test(&mut evaluation)
    }
}

/// The tree of a condition whose expression lies in the subset, its
/// shared lookups assigned.
fn tree(program: &Program) -> Option<Node> {
    let [statement] = &program.body[..] else { return None };
    let expr = match &statement.kind {
        StmtKind::ImplicitReturn(e) | StmtKind::Return(Some(e)) => e,
        _ => return None,
    };
    let mut root = node(expr)?;
    share_lookups(&mut root);
    Some(root)
}

fn boxed(e: &Expr) -> Option<Box<Node>> {
    node(e).map(Box::new)
}

fn node(e: &Expr) -> Option<Node> {
    if let Some(literal) = Literal::of(e) {
        return Some(Node::Literal(literal));
    }
    Some(match &e.kind {
        ExprKind::Local(v) if v.slot == CTX_SLOT => Node::Fields { root: Root::Ctx, steps: Box::new([]) },
        ExprKind::Local(v) if v.slot == PARAMS_SLOT => Node::Fields { root: Root::Params, steps: Box::new([]) },
        ExprKind::Field { obj, .. } | ExprKind::Index { obj, .. } => {
            let access = match &e.kind {
                ExprKind::Field { name, .. } if !matches!(obj.kind, ExprKind::Class(_)) => Access::of_field(name),
                ExprKind::Index { index, .. } => Access::of_index(Literal::of(index)?),
                _ => return None,
            };
            let step = Step { access, null_safe: matches!(e.kind, ExprKind::Field { null_safe: true, .. }), shared: None };
            match node(obj)? {
                Node::Fields { root, steps } => {
                    let mut steps = steps.into_vec();
                    steps.push(step);
                    Node::Fields { root, steps: steps.into() }
                }
                value => Node::Fields { root: Root::Value(Box::new(value)), steps: Box::new([step]) },
            }
        }
        ExprKind::Call { obj, name, args, null_safe, .. } => match &obj.kind {
            ExprKind::Class(_) => return None,
            ExprKind::ListInit(items) => {
                if name != "contains" || args.len() != 1 {
                    return None;
                }
                let items = items.iter().map(Literal::of).collect::<Option<Box<[Literal]>>>()?;
                Node::LiteralListContains { items, arg: boxed(&args[0])? }
            }
            _ => {
                let method = Method::of(name, args.len())?;
                let arg = match args.first() {
                    Some(a) => Some(boxed(a)?),
                    None => None,
                };
                Node::Call { receiver: boxed(obj)?, method, arg, null_safe: *null_safe }
            }
        },
        ExprKind::Unary(UnOp::Not, x) => Node::Not(boxed(x)?),
        ExprKind::Binary(op, a, b) => {
            let (left, right) = (boxed(a)?, boxed(b)?);
            let ordering = match op {
                BinOp::Eq | BinOp::Ne => {
                    let negated = *op == BinOp::Ne;
                    return Some(match (*left, *right) {
                        (Node::Literal(Literal::Null), value) | (value, Node::Literal(Literal::Null)) => Node::IsNull { value: Box::new(value), negated },
                        (left, right) => Node::Equals { left: Box::new(left), right: Box::new(right), negated },
                    });
                }
                BinOp::Lt => Ordering::Less,
                BinOp::Le => Ordering::LessOrEqual,
                BinOp::Gt => Ordering::Greater,
                BinOp::Ge => Ordering::GreaterOrEqual,
                _ => return None,
            };
            Node::Compare { op: ordering, left, right }
        }
        ExprKind::And(a, b) => Node::And(boxed(a)?, boxed(b)?),
        ExprKind::Or(a, b) => Node::Or(boxed(a)?, boxed(b)?),
        ExprKind::Cond(c, a, b) => Node::Choose { test: boxed(c)?, then: boxed(a)?, otherwise: boxed(b)? },
        ExprKind::Elvis(a, b) => Node::Elvis(boxed(a)?, boxed(b)?),
        ExprKind::InstanceOf(x, ty) => Node::InstanceOf { value: boxed(x)?, kinds: KindSet::of(ty) },
        _ => return None,
    })
}

/// How many fields one evaluation remembers.
const MAX_SHARED: usize = 8;

/// Conditions test a field and then use it (`ctx.a?.b instanceof String &&
/// ctx.a.b.contains('@')`): the chains from `ctx` (or `params`) that share
/// a prefix of field names read each field of that prefix once. Whatever
/// the `.`/`?.` of a chain, a non-null receiver at a given prefix is the
/// same value (a null-safe step skipped on null leaves the value null for
/// good), so what one chain found there is what another would find.
fn share_lookups(root: &mut Node) {
    // Accesses as a trie from the two roots (0: ctx, 1: params), each
    // identified by what it reads (`.a`, `["a"]`).
    let mut trie: std::collections::HashMap<(usize, String), usize> = std::collections::HashMap::new();
    let mut readers: Vec<usize> = vec![0, 0];
    let mut trie_node = |parent: usize, access: &Access| {
        let next = readers.len();
        let id = *trie.entry((parent, access.identity())).or_insert(next);
        if id == next {
            readers.push(0);
        }
        id
    };
    let mut chains = Vec::new();
    for_each_chain(root, &mut |root_id, steps| {
        let mut parent = root_id;
        let ids: Vec<usize> = steps.iter().map(|step| { parent = trie_node(parent, &step.access); parent }).collect();
        chains.push(ids);
    });
    for id in chains.iter().flatten() {
        readers[*id] += 1;
    }
    let mut slots = vec![None; readers.len()];
    let mut next_slot = 0;
    for id in chains.iter().flatten() {
        if readers[*id] > 1 && slots[*id].is_none() && next_slot < MAX_SHARED {
            slots[*id] = Some(next_slot);
            next_slot += 1;
        }
    }
    let mut chain = chains.into_iter();
    for_each_chain(root, &mut |_, steps| {
        let ids = chain.next().expect("the same chains in the same order");
        for (step, id) in steps.iter_mut().zip(ids) {
            step.shared = slots[id];
        }
    });
}

/// Calls `f` with the root (0: ctx, 1: params) and the steps of every field
/// chain from `ctx` or `params`, in a fixed order.
fn for_each_chain(node: &mut Node, f: &mut dyn FnMut(usize, &mut [Step])) {
    match node {
        Node::Literal(_) => {}
        Node::Fields { root, steps } => match root {
            Root::Ctx => f(0, steps),
            Root::Params => f(1, steps),
            Root::Value(base) => for_each_chain(base, f),
        },
        Node::Equals { left, right, .. } | Node::Compare { left, right, .. } | Node::And(left, right) | Node::Or(left, right) | Node::Elvis(left, right) => {
            for_each_chain(left, f);
            for_each_chain(right, f);
        }
        Node::IsNull { value: x, .. } | Node::InstanceOf { value: x, .. } | Node::Not(x) | Node::LiteralListContains { arg: x, .. } => for_each_chain(x, f),
        Node::Choose { test, then, otherwise } => {
            for_each_chain(test, f);
            for_each_chain(then, f);
            for_each_chain(otherwise, f);
        }
        Node::Call { receiver, arg, .. } => {
            for_each_chain(receiver, f);
            if let Some(arg) = arg {
                for_each_chain(arg, f);
            }
        }
    }
}

/// An access on a non-null value, as the interpreter's `get_field` and
/// `get_index` read it.
fn access<'a>(recv: Datum<'a>, access: &Access) -> Option<Datum<'a>> {
    Some(match (access, recv) {
        (Access::Field { key, .. } | Access::Length(key) | Access::Entry(key), Datum::Map(m)) => lookup(m, key).map_or(Datum::Null, Datum::of),
        (Access::Empty, Datum::Map(m)) => Datum::Bool(m.is_empty()),
        (Access::Empty, Datum::List(l)) => Datum::Bool(l.is_empty()),
        (Access::Empty, Datum::Str(s)) => Datum::Bool(s.is_empty()),
        (Access::Length(_), Datum::List(l)) => Datum::Int(l.len() as i32),
        (Access::Field { list_index, .. }, Datum::List(l)) => Datum::of(l.get(usize::try_from((*list_index)?).ok()?)?),
        // Document maps have string keys: any other key finds nothing.
        (Access::Index(_), Datum::Map(_)) => Datum::Null,
        (Access::Index(key @ (Literal::Int(_) | Literal::Long(_))), Datum::List(l)) => {
            let i = match key {
                Literal::Int(i) => *i as i64,
                Literal::Long(i) => *i,
                _ => return None,
            };
            let i = if i < 0 { i + l.len() as i64 } else { i };
            Datum::of(l.get(usize::try_from(i).ok()?)?)
        }
        _ => return None,
    })
}

/// A document map's field: at the position it was last found, or else
/// looked up in full.
#[inline(always)]
fn lookup<'a>(m: &'a Map, key: &FieldName) -> Option<&'a Value> {
    key.value_in(m)
}

/// A method of the library on a non-null receiver; `None` for the
/// receivers and arguments left to the interpreter.
fn call<'a>(recv: Datum<'a>, method: Method, arg: Option<Datum<'a>>) -> Option<Datum<'a>> {
    use Datum::{Bool, Int, List, Map, Str};
    Some(match (recv, method, arg) {
        (Str(s), Method::Equals, Some(other)) => Bool(matches!(other, Str(o) if o == s)),
        (Str(s), Method::EqualsIgnoreCase, Some(other)) => match other {
            // Outside ASCII, case folding has rules this module leaves to the library.
            Str(o) if s.is_ascii() && o.is_ascii() => Bool(s.eq_ignore_ascii_case(o)),
            Str(_) => return None,
            _ => Bool(false),
        },
        (Str(s), Method::Contains, Some(Str(needle))) => Bool(match needle.as_bytes() {
            // A one-byte needle is ASCII, which in UTF-8 stands only for itself.
            [byte] => s.as_bytes().contains(byte),
            _ => s.contains(needle),
        }),
        (Str(s), Method::StartsWith, Some(Str(prefix))) => Bool(s.starts_with(prefix)),
        (Str(s), Method::EndsWith, Some(Str(suffix))) => Bool(s.ends_with(suffix)),
        (Str(s), Method::IsEmpty, None) => Bool(s.is_empty()),
        (Str(s), Method::Length, None) => Int(java_len(s) as i32),
        (List(l), Method::Size, None) => Int(l.len() as i32),
        (List(l), Method::IsEmpty, None) => Bool(l.is_empty()),
        (List(l), Method::Contains, Some(x)) => {
            for item in l {
                if java_equals(Datum::of(item), x)? {
                    return Some(Bool(true));
                }
            }
            Bool(false)
        }
        (List(l), Method::Get, Some(index)) => {
            let i = match index {
                Int(i) => i as i64,
                Datum::Long(i) => i,
                _ => return None,
            };
            Datum::of(l.get(usize::try_from(i).ok()?)?)
        }
        (Map(m), Method::Size, None) => Int(m.len() as i32),
        (Map(m), Method::IsEmpty, None) => Bool(m.is_empty()),
        // Document maps have string keys: any other key finds nothing.
        (Map(m), Method::Get, Some(key)) => match key {
            Str(k) => m.get(k).map_or(Datum::Null, Datum::of),
            _ => Datum::Null,
        },
        (Map(m), Method::ContainsKey, Some(key)) => Bool(matches!(key, Str(k) if m.contains_key(k))),
        _ => return None,
    })
}

/// `Object.equals`: boxed numbers equal only in the same box. `None` for
/// two lists or two maps, whose deep comparison is left to the interpreter.
fn java_equals(a: Datum<'_>, b: Datum<'_>) -> Option<bool> {
    use Datum::*;
    Some(match (a, b) {
        (Other, _) | (_, Other) => return None,
        (Null, Null) => true,
        (Bool(x), Bool(y)) => x == y,
        (Int(x), Int(y)) => x == y,
        (Long(x), Long(y)) => x == y,
        // `Float.equals` compares bits: NaN equals NaN, 0.0 differs from -0.0.
        (Float(x), Float(y)) => x.to_bits() == y.to_bits() || (x == y && x != 0.0),
        (Double(x), Double(y)) => x.to_bits() == y.to_bits() || (x == y && x != 0.0),
        (Str(x), Str(y)) => x == y,
        (List(_), List(_)) | (Map(_), Map(_)) => return None,
        _ => false,
    })
}

/// Painless `==` on `def`: null equals only null, numbers compare by value
/// after promotion, everything else by `equals`.
fn def_equals(a: Datum<'_>, b: Datum<'_>) -> Option<bool> {
    match (a, b) {
        (Datum::Null, _) | (_, Datum::Null) => Some(matches!((a, b), (Datum::Null, Datum::Null))),
        _ => match promote(a, b) {
            Some(Promoted::Int(x, y)) => Some(x == y),
            Some(Promoted::Long(x, y)) => Some(x == y),
            Some(Promoted::Float(x, y)) => Some(x == y),
            Some(Promoted::Double(x, y)) => Some(x == y),
            None => java_equals(a, b),
        },
    }
}

fn compare(op: Ordering, a: Datum<'_>, b: Datum<'_>) -> Option<bool> {
    fn ordered<T: PartialOrd>(op: Ordering, x: T, y: T) -> bool {
        match op {
            Ordering::Less => x < y,
            Ordering::LessOrEqual => x <= y,
            Ordering::Greater => x > y,
            Ordering::GreaterOrEqual => x >= y,
        }
    }
    Some(match promote(a, b)? {
        Promoted::Int(x, y) => ordered(op, x, y),
        Promoted::Long(x, y) => ordered(op, x, y),
        Promoted::Float(x, y) => ordered(op, x, y),
        Promoted::Double(x, y) => ordered(op, x, y),
    })
}

/// Two numbers after Java's binary numeric promotion.
enum Promoted {
    Int(i32, i32),
    Long(i64, i64),
    Float(f32, f32),
    Double(f64, f64),
}

fn promote(a: Datum<'_>, b: Datum<'_>) -> Option<Promoted> {
    fn as_f64(v: Datum<'_>) -> Option<f64> {
        match v {
            Datum::Int(i) => Some(i as f64),
            Datum::Long(l) => Some(l as f64),
            Datum::Float(f) => Some(f as f64),
            Datum::Double(d) => Some(d),
            _ => None,
        }
    }
    fn as_i64(v: Datum<'_>) -> Option<i64> {
        match v {
            Datum::Int(i) => Some(i as i64),
            Datum::Long(l) => Some(l),
            _ => None,
        }
    }
    use Datum::{Double, Float, Int, Long};
    Some(match (a, b) {
        (Int(x), Int(y)) => Promoted::Int(x, y),
        (Double(_), _) | (_, Double(_)) => Promoted::Double(as_f64(a)?, as_f64(b)?),
        // Through double, as the interpreter converts (a long may round twice).
        (Float(_), _) | (_, Float(_)) => Promoted::Float(as_f64(a)? as f32, as_f64(b)? as f32),
        (Long(_), _) | (_, Long(_)) => Promoted::Long(as_i64(a)?, as_i64(b)?),
        _ => return None,
    })
}
