//! The evaluated form of a direct condition: each node of the tree lowered
//! once, at load time, to an op that knows its own work.
//!
//! Walking the [`Node`] tree asks at every node what kind it is, and a
//! field chain asks at every evaluation which of its fields another chain
//! may have read already. Lowered, each op is a small struct that does
//! only its own job, `&&` and `||` run their operands in a loop, the slots a
//! chain can resume from are listed once, and the tests that take a field
//! chain (`x == null`, `x instanceof T`, `x.m(...)`) hold it by value, so
//! its walk is compiled into theirs instead of being one more call away.
//! Every op answers exactly as the tree's node did, "unknown" included.

use super::{access, call, compare, def_equals, java_equals, lookup, Access, Datum, KindSet, Literal, Method, Node, Ordering, Root, Step, MAX_SHARED};
use crate::value::Map;
use std::fmt::Debug;

/// One evaluation: the maps `ctx` and `params`, and the shared fields read so far.
pub(super) struct Evaluation<'a> {
    pub(super) ctx: &'a Map,
    pub(super) params: &'a Map,
    pub(super) shared: [Option<Datum<'a>>; MAX_SHARED],
}

/// An op whose value is used as a boolean: anything but a `Boolean` makes
/// the interpreter throw, so it is "unknown" (`None`).
pub(super) trait Test: Debug + Send + Sync {
    fn test<'a>(&'a self, e: &mut Evaluation<'a>) -> Option<bool>;
}

/// An op giving a value, or "unknown" (`None`).
pub(super) trait Operand: Debug + Send + Sync {
    fn value<'a>(&'a self, e: &mut Evaluation<'a>) -> Option<Datum<'a>>;
}

impl Test for Box<dyn Test> {
    #[inline(always)]
    fn test<'a>(&'a self, e: &mut Evaluation<'a>) -> Option<bool> {
        (**self).test(e)
    }
}

impl Operand for Box<dyn Operand> {
    #[inline(always)]
    fn value<'a>(&'a self, e: &mut Evaluation<'a>) -> Option<Datum<'a>> {
        (**self).value(e)
    }
}

/// An operand as lowered: a field chain is kept by value, so that the op
/// that takes it can hold it without a box.
enum Lowered {
    Chain(Chain),
    Other(Box<dyn Operand>),
}

/// Boxes `$make`, built with `$v` bound to the lowered operand, as a `$ty`:
/// once with the chain itself, once with any other operand.
macro_rules! on_operand {
    ($lowered:expr, $ty:ty, $v:ident => $make:expr) => {
        match $lowered {
            Lowered::Chain($v) => Box::new($make) as $ty,
            Lowered::Other($v) => Box::new($make) as $ty,
        }
    };
}

/// The op of a node whose value is used as a boolean.
pub(super) fn lower_test(node: Node) -> Box<dyn Test> {
    match node {
        Node::IsNull { value, negated } => on_operand!(lower(*value), Box<dyn Test>, v => IsNull { value: v, negated }),
        Node::InstanceOf { value, kinds } => on_operand!(lower(*value), Box<dyn Test>, v => InstanceOf { value: v, kinds }),
        Node::Equals { left, right, negated } => Box::new(Equals { left: lower_boxed(*left), right: lower_boxed(*right), negated }),
        Node::Compare { op, left, right } => Box::new(Compare { op, left: lower_boxed(*left), right: lower_boxed(*right) }),
        Node::Not(x) => Box::new(Not(lower_test(*x))),
        node @ Node::And(..) => {
            let mut tests = Vec::new();
            operands_of(node, true, &mut tests);
            Box::new(All(tests.into()))
        }
        node @ Node::Or(..) => {
            let mut tests = Vec::new();
            operands_of(node, false, &mut tests);
            Box::new(Any(tests.into()))
        }
        Node::LiteralListContains { items, arg } => Box::new(LiteralListContains { items, arg: lower_boxed(*arg) }),
        // Most calls in conditions are tests (`equals`, `contains`): their
        // boolean is taken without a `Datum` in between.
        Node::Call { receiver, method, arg, null_safe } => {
            let arg = Argument::lower(arg);
            on_operand!(lower(*receiver), Box<dyn Test>, r => Call { receiver: r, method, arg, null_safe })
        }
        other => Box::new(Boolean(lower_boxed(other))),
    }
}

/// The tests of a run of `&&` (`and`) or of `||` (`a && b && c`, which
/// parses as `(a && b) && c`), left to right.
fn operands_of(node: Node, and: bool, out: &mut Vec<Box<dyn Test>>) {
    match node {
        Node::And(a, b) if and => {
            operands_of(*a, and, out);
            operands_of(*b, and, out);
        }
        Node::Or(a, b) if !and => {
            operands_of(*a, and, out);
            operands_of(*b, and, out);
        }
        other => out.push(lower_test(other)),
    }
}

fn lower_boxed(node: Node) -> Box<dyn Operand> {
    match lower(node) {
        Lowered::Chain(chain) => Box::new(chain),
        Lowered::Other(op) => op,
    }
}

fn lower(node: Node) -> Lowered {
    Lowered::Other(match node {
        Node::Fields { root, steps } => return Lowered::Chain(Chain::new(root, steps)),
        Node::Literal(literal) => Box::new(Constant(literal)),
        Node::Choose { test, then, otherwise } => Box::new(Choose { test: lower_test(*test), then: lower_boxed(*then), otherwise: lower_boxed(*otherwise) }),
        Node::Elvis(a, b) => Box::new(Elvis(lower_boxed(*a), lower_boxed(*b))),
        Node::Call { receiver, method, arg, null_safe } => {
            let arg = Argument::lower(arg);
            return Lowered::Other(on_operand!(lower(*receiver), Box<dyn Operand>, r => Call { receiver: r, method, arg, null_safe }));
        }
        test => Box::new(BooleanValue(lower_test(test))),
    })
}

#[derive(Debug)]
struct Constant(Literal);

impl Operand for Constant {
    #[inline]
    fn value<'a>(&'a self, _: &mut Evaluation<'a>) -> Option<Datum<'a>> {
        Some(self.0.datum())
    }
}

/// `ctx.a?.b['c']`: each access in turn, as the interpreter's `field_chain`.
#[derive(Debug)]
struct Chain {
    start: Start,
    steps: Box<[Step]>,
    /// The shared fields this chain may resume from, deepest first: how
    /// many steps lead to the field, and its slot.
    resume: Box<[(usize, usize)]>,
}

#[derive(Debug)]
enum Start {
    Ctx,
    Params,
    Value(Box<dyn Operand>),
}

impl Chain {
    fn new(root: Root, steps: Box<[Step]>) -> Chain {
        let start = match root {
            Root::Ctx => Start::Ctx,
            Root::Params => Start::Params,
            Root::Value(base) => Start::Value(lower_boxed(*base)),
        };
        let resume = steps.iter().enumerate().rev().filter_map(|(i, step)| Some((i + 1, step.shared?))).collect();
        Chain { start, steps, resume }
    }
}

impl Operand for Chain {
    // Inlined into the ops that hold a chain by value: the walk is theirs.
    #[inline(always)]
    fn value<'a>(&'a self, e: &mut Evaluation<'a>) -> Option<Datum<'a>> {
        // Another chain may have read a prefix of this one: its receivers
        // were all non-null (a null one leaves the later fields unread), so
        // the chain goes on from the deepest field it found.
        let mut first = 0;
        let mut value = None;
        for &(next, slot) in self.resume.iter() {
            if let Some(found) = e.shared[slot] {
                (first, value) = (next, Some(found));
                break;
            }
        }
        let mut value = match (value, &self.start) {
            (Some(found), _) => found,
            (None, Start::Ctx) => Datum::Map(e.ctx),
            (None, Start::Params) => Datum::Map(e.params),
            (None, Start::Value(base)) => base.value(e)?,
        };
        for step in &self.steps[first..] {
            if matches!(value, Datum::Null) {
                // `?.` on null gives null; `.` throws.
                if step.null_safe {
                    continue;
                }
                return None;
            }
            value = match (&step.access, value) {
                (Access::Field { key, .. }, Datum::Map(m)) => lookup(m, key).map_or(Datum::Null, Datum::of),
                (other, _) => access(value, other)?,
            };
            if let Some(slot) = step.shared {
                e.shared[slot] = Some(value);
            }
        }
        Some(value)
    }
}

/// `x == null` (or `x != null` when `negated`): true for null only, whatever `x` is.
#[derive(Debug)]
struct IsNull<V> {
    value: V,
    negated: bool,
}

impl<V: Operand> Test for IsNull<V> {
    fn test<'a>(&'a self, e: &mut Evaluation<'a>) -> Option<bool> {
        Some(matches!(self.value.value(e)?, Datum::Null) != self.negated)
    }
}

#[derive(Debug)]
struct InstanceOf<V> {
    value: V,
    kinds: KindSet,
}

impl<V: Operand> Test for InstanceOf<V> {
    fn test<'a>(&'a self, e: &mut Evaluation<'a>) -> Option<bool> {
        Some(self.kinds.contains(self.value.value(e)?.kind()?))
    }
}

/// `==` (or `!=` when `negated`): Painless `def` equality.
#[derive(Debug)]
struct Equals {
    left: Box<dyn Operand>,
    right: Box<dyn Operand>,
    negated: bool,
}

impl Test for Equals {
    fn test<'a>(&'a self, e: &mut Evaluation<'a>) -> Option<bool> {
        let (l, r) = (self.left.value(e)?, self.right.value(e)?);
        Some(def_equals(l, r)? != self.negated)
    }
}

/// `<`, `<=`, `>`, `>=` on numbers.
#[derive(Debug)]
struct Compare {
    op: Ordering,
    left: Box<dyn Operand>,
    right: Box<dyn Operand>,
}

impl Test for Compare {
    fn test<'a>(&'a self, e: &mut Evaluation<'a>) -> Option<bool> {
        let (l, r) = (self.left.value(e)?, self.right.value(e)?);
        compare(self.op, l, r)
    }
}

#[derive(Debug)]
struct Not(Box<dyn Test>);

impl Test for Not {
    fn test<'a>(&'a self, e: &mut Evaluation<'a>) -> Option<bool> {
        Some(!self.0.test(e)?)
    }
}

/// `a && b && ...`: the first false ends it; an unknown before it makes
/// the whole unknown, as a throw would end the interpreter's.
#[derive(Debug)]
struct All(Box<[Box<dyn Test>]>);

impl Test for All {
    fn test<'a>(&'a self, e: &mut Evaluation<'a>) -> Option<bool> {
        for t in self.0.iter() {
            if !t.test(e)? {
                return Some(false);
            }
        }
        Some(true)
    }
}

/// `a || b || ...`: the first true ends it.
#[derive(Debug)]
struct Any(Box<[Box<dyn Test>]>);

impl Test for Any {
    fn test<'a>(&'a self, e: &mut Evaluation<'a>) -> Option<bool> {
        for t in self.0.iter() {
            if t.test(e)? {
                return Some(true);
            }
        }
        Some(false)
    }
}

/// `['a', 'b'].contains(x)` with literal elements, which the interpreter
/// answers without building the list, by `Object.equals`.
#[derive(Debug)]
struct LiteralListContains {
    items: Box<[Literal]>,
    arg: Box<dyn Operand>,
}

impl Test for LiteralListContains {
    fn test<'a>(&'a self, e: &mut Evaluation<'a>) -> Option<bool> {
        let x = self.arg.value(e)?;
        for item in self.items.iter() {
            if java_equals(item.datum(), x)? {
                return Some(true);
            }
        }
        Some(false)
    }
}

/// A method call: the receiver, then the argument, then the method.
#[derive(Debug)]
struct Call<R> {
    receiver: R,
    method: Method,
    arg: Argument,
    null_safe: bool,
}

/// A call's argument. Most are literals (`equals('')`, `contains('@')`),
/// read in place rather than through an op.
#[derive(Debug)]
enum Argument {
    None,
    Literal(Literal),
    Operand(Box<dyn Operand>),
}

impl Argument {
    fn lower(arg: Option<Box<Node>>) -> Argument {
        match arg.map(|a| *a) {
            None => Argument::None,
            Some(Node::Literal(literal)) => Argument::Literal(literal),
            Some(node) => Argument::Operand(lower_boxed(node)),
        }
    }
}

impl<R: Operand> Call<R> {
    #[inline(always)]
    fn result<'a>(&'a self, e: &mut Evaluation<'a>) -> Option<Datum<'a>> {
        let recv = self.receiver.value(e)?;
        if matches!(recv, Datum::Null) {
            // The arguments of a call on null are not evaluated.
            return self.null_safe.then_some(Datum::Null);
        }
        let arg = match &self.arg {
            Argument::None => None,
            Argument::Literal(literal) => Some(literal.datum()),
            Argument::Operand(a) => Some(a.value(e)?),
        };
        call(recv, self.method, arg)
    }
}

impl<R: Operand> Test for Call<R> {
    fn test<'a>(&'a self, e: &mut Evaluation<'a>) -> Option<bool> {
        match self.result(e)? {
            Datum::Bool(b) => Some(b),
            _ => None,
        }
    }
}

impl<R: Operand> Operand for Call<R> {
    fn value<'a>(&'a self, e: &mut Evaluation<'a>) -> Option<Datum<'a>> {
        self.result(e)
    }
}

/// `c ? a : b`
#[derive(Debug)]
struct Choose {
    test: Box<dyn Test>,
    then: Box<dyn Operand>,
    otherwise: Box<dyn Operand>,
}

impl Operand for Choose {
    fn value<'a>(&'a self, e: &mut Evaluation<'a>) -> Option<Datum<'a>> {
        if self.test.test(e)? {
            self.then.value(e)
        } else {
            self.otherwise.value(e)
        }
    }
}

/// `a ?: b`
#[derive(Debug)]
struct Elvis(Box<dyn Operand>, Box<dyn Operand>);

impl Operand for Elvis {
    fn value<'a>(&'a self, e: &mut Evaluation<'a>) -> Option<Datum<'a>> {
        match self.0.value(e)? {
            Datum::Null => self.1.value(e),
            v => Some(v),
        }
    }
}

/// Any other value used as a boolean.
#[derive(Debug)]
struct Boolean(Box<dyn Operand>);

impl Test for Boolean {
    fn test<'a>(&'a self, e: &mut Evaluation<'a>) -> Option<bool> {
        match self.0.value(e)? {
            Datum::Bool(b) => Some(b),
            _ => None,
        }
    }
}

/// A test used as a value.
#[derive(Debug)]
struct BooleanValue(Box<dyn Test>);

impl Operand for BooleanValue {
    fn value<'a>(&'a self, e: &mut Evaluation<'a>) -> Option<Datum<'a>> {
        Some(Datum::Bool(self.0.test(e)?))
    }
}
