//! The compile pass: the resolved tree of the main body, of every script
//! function and of every lambda becomes a tree of closures, once per
//! script, so that what a tree walker would decide at every visit of a
//! node (its kind, its variable slots, its literal values, the class an
//! `instanceof` tests, a method bound at resolve time, the function a
//! lambda forwards to, the offset an error is located at, whether an
//! operand is tested in place) is decided here instead; a small function
//! also gets a body for each kind of argument its untyped parameter may
//! have, in which the tests of that kind are decided too ([`Bodies`]).
//!
//! Closures run with the [`Interp`] as runtime state (loop budget, call
//! depth, frames, the value being returned) and the library behind it
//! unchanged. They capture no borrowed data: string constants and lambdas
//! are kept in [`Code`] and reached through the interpreter's
//! `&'a Program`, so values can borrow them for the whole run.

use super::ast::*;
use super::interp::{self, Interp};
use super::lib::{self, collections::BoundMethod, Obj};
use super::val::*;
use super::{Exc, ExcData};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

type R<T> = Result<T, Exc>;

/// How a statement ends. A `return` leaves its value in the interpreter
/// (`Interp::set_returned`), so that a step is returned in registers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Next,
    Break,
    Continue,
    Return,
}

/// A statement: how it ends.
pub type Exec = Box<dyn for<'a> Fn(&mut Interp<'a>, &mut [Val<'a>]) -> R<Step> + Send + Sync>;
/// An expression: its value.
pub type Eval = Box<dyn for<'a> Fn(&mut Interp<'a>, &mut [Val<'a>]) -> R<Val<'a>> + Send + Sync>;
/// An expression used as a condition: its boolean, unboxed.
pub type Test = Box<dyn for<'a> Fn(&mut Interp<'a>, &mut [Val<'a>]) -> R<bool> + Send + Sync>;
/// A script function's call: its arguments (taken, left null) to its
/// value, converted to the declared return type and left in the interpreter
/// (`Interp::take_returned`), so that only an error is returned, in a
/// register, through the layers of a call.
pub type Call = Box<dyn for<'a> Fn(&mut Interp<'a>, &mut [Val<'a>]) -> R<()> + Send + Sync>;

fn exec(f: impl for<'a> Fn(&mut Interp<'a>, &mut [Val<'a>]) -> R<Step> + Send + Sync + 'static) -> Exec {
    Box::new(f)
}
fn eval(f: impl for<'a> Fn(&mut Interp<'a>, &mut [Val<'a>]) -> R<Val<'a>> + Send + Sync + 'static) -> Eval {
    Box::new(f)
}
fn test(f: impl for<'a> Fn(&mut Interp<'a>, &mut [Val<'a>]) -> R<bool> + Send + Sync + 'static) -> Test {
    Box::new(f)
}
fn call(f: impl for<'a> Fn(&mut Interp<'a>, &mut [Val<'a>]) -> R<()> + Send + Sync + 'static) -> Call {
    Box::new(f)
}

/// A program's compiled code, and what it reaches by index.
pub struct Code {
    /// The main body; what it returns (a `return` or, for a condition, the
    /// value of an [`StmtKind::ImplicitReturn`]) is the script's result.
    pub main: Exec,
    /// Script functions, by the index calls name them by.
    pub functions: Vec<Call>,
    /// Lambdas, which the values made from them borrow.
    lambdas: Vec<LambdaCode>,
    /// String constants, field, class and method names, borrowed from
    /// here by the values.
    strings: Vec<Arc<str>>,
}

/// The code of an empty program, which a program has until it is compiled.
impl Default for Code {
    fn default() -> Code {
        Code { main: exec(|_, _| Ok(Step::Next)), functions: Vec::new(), lambdas: Vec::new(), strings: Vec::new() }
    }
}

impl std::fmt::Debug for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Code").field("functions", &self.functions.len()).finish_non_exhaustive()
    }
}

/// A lambda: how its parameters reach its frame, and its body.
pub struct LambdaCode {
    /// Each parameter's declared type and slot.
    pub params: Box<[(Type, usize)]>,
    /// Outer slot copied into inner slot when the lambda is created.
    captures: Box<[(usize, usize)]>,
    pub frame_size: usize,
    pub body: LambdaBodyCode,
}

impl LambdaCode {
    /// The lambda's slots that captured values go to, in capture order.
    pub fn captured_slots(&self) -> impl Iterator<Item = usize> + '_ {
        self.captures.iter().map(|(_, inner)| *inner)
    }
}

pub enum LambdaBodyCode {
    /// `(a, b) -> f(a, b)`, found by the resolve pass: a call goes straight
    /// to script function `f`, without a frame of the lambda's own; an
    /// error is located at the call in the body. `convert`: some parameter
    /// is typed more narrowly than `def` or `Object`.
    Forward { function: usize, at: u32, convert: bool },
    Expr(Eval),
    Block(Exec),
}

impl std::fmt::Debug for LambdaCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LambdaCode").field("params", &self.params.len()).finish_non_exhaustive()
    }
}

/// Compiles a resolved program.
pub fn compile(prog: &Program) -> Code {
    let mut c = Compiler::default();
    let functions = prog.functions.iter().map(|f| c.function(f)).collect();
    let main = c.block(&prog.body);
    Code { main, functions, lambdas: c.lambdas, strings: c.strings }
}

/// `def` and `Object` parameters take their arguments as they are.
fn takes_any(ty: &Type) -> bool {
    match ty {
        Type::Def => true,
        Type::Class(c) => c.test == lib::ClassTest::Object,
        _ => false,
    }
}

/// How a function's value is converted to its declared return type.
enum Returns {
    /// `void`: the caller gets null, whatever a `return` left.
    Void,
    /// `def` or `Object`: the value as it is.
    AsIs,
    /// A narrower type, which the value is converted to.
    Typed(Type),
}

impl Returns {
    fn of(ret: &Type) -> Returns {
        match ret {
            Type::Class(c) if c.name == "void" => Returns::Void,
            ty if takes_any(ty) => Returns::AsIs,
            ty => Returns::Typed(ty.clone()),
        }
    }

    /// Leaves the caller's value in the interpreter from the way the body
    /// ended: what a `return` left, converted, or the type's default.
    #[inline(always)]
    fn finish(&self, it: &mut Interp<'_>, step: Step) -> R<()> {
        match (step, self) {
            (Step::Return, Returns::AsIs) => {}
            (Step::Return, Returns::Void) => it.set_returned(Val::Null),
            (Step::Return, Returns::Typed(ty)) => {
                if !interp::keeps_as_is(ty, it.returned()) {
                    let v = interp::coerce(ty, it.take_returned(), false)?;
                    it.set_returned(v);
                }
            }
            (Step::Next | Step::Break | Step::Continue, Returns::Void | Returns::AsIs) => it.set_returned(Val::Null),
            (Step::Next | Step::Break | Step::Continue, Returns::Typed(ty)) => it.set_returned(interp::default_value(ty)),
        }
        Ok(())
    }
}

/// A function with a frame of `N` slots, kept on the Rust stack: the
/// parameters are its first slots, converted to their declared types
/// (`typed`, when any is more than `def` or `Object`), then the locals'.
fn call_in_stack_frame<const N: usize>(bodies: Bodies, typed: Option<Box<[Type]>>, returns: Returns) -> Call {
    call(move |it, args| {
        let body = bodies.pick(args);
        if typed.is_none() {
            if let [Part::ReturnConst(c)] = body {
                return return_const(it, args, *c, &returns);
            }
        }
        let mut frame: [Val; N] = std::array::from_fn(|_| Val::Null);
        match &typed {
            None => {
                // Moved over by index: the zipped iterators' form of this
                // loop compiled to several times the instructions in some
                // builds of this closure.
                for i in 0..args.len().min(N) {
                    std::mem::swap(&mut frame[i], &mut args[i]);
                }
            }
            Some(types) => {
                for ((slot, a), ty) in frame.iter_mut().zip(args.iter_mut()).zip(types.iter()) {
                    *slot = interp::coerce(ty, std::mem::replace(a, Val::Null), false)?;
                }
            }
        }
        let step = it.deeper(|it| run(body, it, &mut frame));
        // Nulls and numbers, the usual slots, are dropped without drop glue,
        // and the frame, all nulls then, without its own.
        for slot in &mut frame {
            std::mem::replace(slot, Val::Null).discard();
        }
        std::mem::forget(frame);
        returns.finish(it, step?)
    })
}

/// A call whose body only returns constant `c`, its parameters taken as
/// they are: what the body would leave, without a frame to run it in
/// (it can neither fail nor call anything, so neither the frame nor the
/// call level it would run at can be seen).
#[inline(always)]
fn return_const<'a>(it: &mut Interp<'a>, args: &mut [Val<'a>], c: Const, returns: &Returns) -> R<()> {
    for a in args.iter_mut() {
        std::mem::replace(a, Val::Null).discard();
    }
    let v = c.val(it);
    it.set_returned(v);
    returns.finish(it, Step::Return)
}

/// A function with a larger frame, taken from a returned call when there is one.
fn call_in_heap_frame(bodies: Bodies, params: Box<[Type]>, frame_size: usize, returns: Returns) -> Call {
    call(move |it, args| {
        let body = bodies.pick(args);
        let mut frame = it.take_frame(frame_size.max(params.len()));
        for ((slot, a), ty) in frame.iter_mut().zip(args.iter_mut()).zip(params.iter()) {
            match interp::coerce(ty, std::mem::replace(a, Val::Null), false) {
                Ok(v) => *slot = v,
                Err(e) => {
                    it.return_frame(frame);
                    return Err(e);
                }
            }
        }
        let step = it.deeper(|it| run(body, it, &mut frame));
        it.return_frame(frame);
        returns.finish(it, step?)
    })
}

/// A function's bodies: the general one, and, when one of its parameters
/// is specialised on, one for each kind of argument ([`Kind`]) in which
/// the parameter's tests that follow from its kind are answered.
struct Bodies {
    general: Box<[Part]>,
    by_kind: Option<KindBodies>,
}

struct KindBodies {
    /// The parameter's slot (and argument's index).
    param: usize,
    /// Each kind's body in `bodies`: kinds whose tests answer alike share one.
    body_of: [u8; KINDS],
    bodies: Box<[Box<[Part]>]>,
}

impl Bodies {
    /// The body a call with `args` runs: its argument's kind's, the
    /// general one for a kind not specialised for.
    #[inline(always)]
    fn pick(&self, args: &[Val<'_>]) -> &[Part] {
        if let Some(k) = &self.by_kind {
            if let Some(kind) = args.get(k.param).and_then(Kind::of) {
                return &k.bodies[k.body_of[kind as usize] as usize];
            }
        }
        &self.general
    }
}

/// The kinds of value a function body is specialised for: those whose
/// answers to `== null`, `instanceof` and `== 'text'` (but for strings)
/// follow from their variant alone. Views, entries, functions, library
/// objects and maps other than `HashMap`s, whose class tests look further,
/// run the general body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Null,
    Bool,
    Byte,
    Short,
    Char,
    Int,
    Long,
    Float,
    Double,
    Str,
    List,
    Map,
}

const KINDS: usize = 12;
const ALL_KINDS: [Kind; KINDS] =
    [Kind::Null, Kind::Bool, Kind::Byte, Kind::Short, Kind::Char, Kind::Int, Kind::Long, Kind::Float, Kind::Double, Kind::Str, Kind::List, Kind::Map];

impl Kind {
    #[inline(always)]
    fn of(v: &Val<'_>) -> Option<Kind> {
        Some(match v {
            Val::Null => Kind::Null,
            Val::Bool(_) => Kind::Bool,
            Val::Byte(_) => Kind::Byte,
            Val::Short(_) => Kind::Short,
            Val::Char(_) => Kind::Char,
            Val::Int(_) => Kind::Int,
            Val::Long(_) => Kind::Long,
            Val::Float(_) => Kind::Float,
            Val::Double(_) => Kind::Double,
            Val::Str(_) => Kind::Str,
            // A borrowed document list or map (a condition's), a
            // `LinkedList`, a `LinkedHashMap`, a `TreeMap` or the script's
            // `ctx` answers class tests otherwise than the `ArrayList` or
            // `HashMap` the bodies were folded for.
            Val::List(ListRef::Own(l)) if l.try_borrow().is_ok_and(|l| !l.linked) => Kind::List,
            Val::Map(m @ MapRef::Own(_)) if matches!(m.kind(), MapKind::Hash | MapKind::Document) => Kind::Map,
            _ => return None,
        })
    }

    /// A value of this kind, which the tests folded for the kind are asked about.
    fn sample(self) -> Val<'static> {
        match self {
            Kind::Null => Val::Null,
            Kind::Bool => Val::Bool(false),
            Kind::Byte => Val::Byte(0),
            Kind::Short => Val::Short(0),
            Kind::Char => Val::Char(0),
            Kind::Int => Val::Int(0),
            Kind::Long => Val::Long(0),
            Kind::Float => Val::Float(0.0),
            Kind::Double => Val::Double(0.0),
            Kind::Str => Val::Str(Str::Doc("")),
            Kind::List => Val::new_list(Vec::new()),
            Kind::Map => Val::new_map(JMap::new(MapKind::Hash)),
        }
    }
}

/// Specialised bodies are compiled only for functions of at most this many
/// expressions, so that a script's code stays within a few times its size.
const SPECIALISED_UP_TO: usize = 200;

/// While a body is compiled for a kind of argument: the parameter's slot,
/// a value of the kind, and the answers of the tests folded so far (two
/// kinds with the same answers get the same body).
struct KnownArg {
    slot: usize,
    sample: Val<'static>,
    answers: Vec<bool>,
}

#[cfg(test)]
thread_local! {
    /// Set by tests that compare the specialised bodies (and the fused
    /// view calls of [`Compiler::view_remove_if_on_local`]) with the
    /// general ones.
    pub(super) static GENERAL_BODIES_ONLY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

#[cfg(test)]
fn general_bodies_only() -> bool {
    GENERAL_BODIES_ONLY.with(|g| g.get())
}

#[cfg(not(test))]
fn general_bodies_only() -> bool {
    false
}

/// A literal constant, built into a value where it is used.
#[derive(Clone, Copy)]
enum Const {
    Null,
    Bool(bool),
    Int(i32),
    Long(i64),
    Float(f32),
    Double(f64),
    /// Index into [`Code::strings`].
    Str(usize),
}

impl Const {
    #[inline(always)]
    fn val<'a>(self, it: &Interp<'a>) -> Val<'a> {
        match self {
            Const::Null => Val::Null,
            Const::Bool(b) => Val::Bool(b),
            Const::Int(i) => Val::Int(i),
            Const::Long(l) => Val::Long(l),
            Const::Float(x) => Val::Float(x),
            Const::Double(d) => Val::Double(d),
            Const::Str(i) => Val::Str(Str::Doc(string(it, i))),
        }
    }
}

/// A string constant of the running program.
#[inline(always)]
fn string<'a>(it: &Interp<'a>, index: usize) -> &'a str {
    &it.program().code.strings[index]
}

/// Evaluates call arguments left to right and hands them to `call`; the
/// few arguments a call usually has stay on the stack.
#[inline(always)]
fn with_args<'a, T>(it: &mut Interp<'a>, f: &mut [Val<'a>], args: &[Eval], call: impl FnOnce(&mut Interp<'a>, &mut [Val<'a>]) -> R<T>) -> R<T> {
    with_args_in_frame(it, f, args, |it, _, args| call(it, args))
}

/// [`with_args`] for a call that also reads the frame.
#[inline(always)]
fn with_args_in_frame<'a, T>(
    it: &mut Interp<'a>,
    f: &mut [Val<'a>],
    args: &[Eval],
    call: impl FnOnce(&mut Interp<'a>, &[Val<'a>], &mut [Val<'a>]) -> R<T>,
) -> R<T> {
    match args {
        [] => call(it, f, &mut []),
        [a] => {
            let mut values = [a(it, f)?];
            call(it, f, &mut values)
        }
        [a, b] => {
            let x = a(it, f)?;
            let mut values = [x, b(it, f)?];
            call(it, f, &mut values)
        }
        _ => {
            let mut values = Vec::with_capacity(args.len());
            for a in args {
                values.push(a(it, f)?);
            }
            call(it, f, &mut values)
        }
    }
}

/// Whether `e` compiles as a condition ([`Compiler::cond_tree`]) where a
/// value is wanted.
fn is_condition(e: &Expr) -> bool {
    matches!(
        e.kind,
        ExprKind::Binary(BinOp::Eq | BinOp::Ne | BinOp::RefEq | BinOp::RefNe, ..) | ExprKind::And(..) | ExprKind::Or(..) | ExprKind::InstanceOf(..)
    )
}

/// Whether anything in `body` may assign variable `slot`: an assignment or
/// `++`/`--` of a variable of that slot, counting lambdas' (slots of their
/// own frames) too. Declarations, loop and catch variables take slots of
/// their own, never reused, so nothing else writes a parameter's.
fn assigned(body: &[Stmt], slot: usize) -> bool {
    let mut found = false;
    visit_exprs(body, &mut |e| {
        if let ExprKind::Assign { target, .. } | ExprKind::IncDec { target, .. } = &e.kind {
            found |= matches!(&target.kind, ExprKind::Local(v) if v.slot == slot);
        }
    });
    found
}

/// Whether `body` tests variable `slot` in a way its kind can answer.
fn tested(body: &[Stmt], slot: usize) -> bool {
    let is_it = |x: &Expr| matches!(&x.kind, ExprKind::Local(v) if v.slot == slot);
    let mut found = false;
    visit_exprs(body, &mut |e| match &e.kind {
        ExprKind::InstanceOf(x, Type::Class(_)) => found |= is_it(x),
        ExprKind::Binary(BinOp::Eq | BinOp::Ne | BinOp::RefEq | BinOp::RefNe, x, c) => {
            found |= is_it(x) && matches!(c.kind, ExprKind::Null | ExprKind::Str(_));
        }
        _ => {}
    });
    found
}

/// Whether evaluating `e` can change no variable of the frame it runs in
/// (nor fail): constants, variables, lambdas (which copy what they
/// capture) and references to functions.
fn leaves_frame_unchanged(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Null | ExprKind::Bool(_) | ExprKind::Int(_) | ExprKind::Long(_) | ExprKind::Float(_) | ExprKind::Double(_) | ExprKind::Str(_) => true,
        ExprKind::Local(_) | ExprKind::Lambda(_) => true,
        ExprKind::FuncRef(r) => !matches!(**r, FuncRef::Bound { .. }),
        _ => false,
    }
}

#[derive(Default)]
struct Compiler {
    strings: Vec<Arc<str>>,
    lambdas: Vec<LambdaCode>,
    /// Each lambda's index in `lambdas` by its node's address: a lambda is
    /// compiled once however many bodies hold it, so it stays one lambda
    /// (a capture-free one keeps one value).
    lambda_index: std::collections::HashMap<usize, usize>,
    /// Set while a function body is compiled for a kind of argument.
    known: Option<KnownArg>,
}

impl Compiler {
    fn function(&mut self, func: &Function) -> Call {
        let general = self.parts(&func.body).into_boxed_slice();
        let params: Box<[Type]> = func.params.iter().map(|(ty, _)| ty.clone()).collect();
        let typed = if params.iter().all(takes_any) { None } else { Some(params.clone()) };
        let bodies = Bodies { general, by_kind: self.kind_bodies(func) };
        let returns = Returns::of(&func.ret);
        match func.frame_size.max(params.len()) {
            0 => call_in_stack_frame::<0>(bodies, typed, returns),
            1 => call_in_stack_frame::<1>(bodies, typed, returns),
            2 => call_in_stack_frame::<2>(bodies, typed, returns),
            3 => call_in_stack_frame::<3>(bodies, typed, returns),
            4 => call_in_stack_frame::<4>(bodies, typed, returns),
            size => call_in_heap_frame(bodies, params, size, returns),
        }
    }

    /// The bodies of a small function for each kind of argument of its
    /// first parameter that is `def` or `Object`, never assigned, and
    /// tested by kind somewhere in the body (`== null`, `instanceof`,
    /// `== 'text'`): in them those tests are constants, folded through
    /// `&&`, `||`, `!` and `if`. Since the parameter keeps its argument,
    /// each test answers throughout the body as it would at the call.
    fn kind_bodies(&mut self, func: &Function) -> Option<KindBodies> {
        if general_bodies_only() {
            return None;
        }
        let mut size = 0;
        visit_exprs(&func.body, &mut |_| size += 1);
        if size > SPECIALISED_UP_TO {
            return None;
        }
        let param = (0..func.params.len()).find(|&p| takes_any(&func.params[p].0) && !assigned(&func.body, p) && tested(&func.body, p))?;
        let mut answers: Vec<Vec<bool>> = Vec::new();
        let mut bodies = Vec::new();
        let mut body_of = [0; KINDS];
        for kind in ALL_KINDS {
            self.known = Some(KnownArg { slot: param, sample: kind.sample(), answers: Vec::new() });
            let body = self.parts(&func.body);
            let known = self.known.take().expect("set above");
            body_of[kind as usize] = match answers.iter().position(|a| *a == known.answers) {
                Some(same) => same as u8,
                None => {
                    answers.push(known.answers);
                    bodies.push(body.into_boxed_slice());
                    (bodies.len() - 1) as u8
                }
            };
        }
        // The first test of the parameter a body reaches is the same for
        // every kind: when none reached one, no test was folded.
        if answers == [Vec::<bool>::new()] {
            return None;
        }
        Some(KindBodies { param, body_of, bodies: bodies.into_boxed_slice() })
    }

    /// The answer of a test of variable `slot` when it is the parameter a
    /// body is being compiled for: `answer` of a value of the kind, if the
    /// kind decides it.
    fn known_answer(&mut self, slot: usize, answer: impl FnOnce(&Val<'static>) -> Option<bool>) -> Option<bool> {
        let known = self.known.as_mut().filter(|k| k.slot == slot)?;
        let b = answer(&known.sample)?;
        known.answers.push(b);
        Some(b)
    }

    fn lambda(&mut self, l: &Arc<Lambda>) -> usize {
        let address = Arc::as_ptr(l) as usize;
        if let Some(&index) = self.lambda_index.get(&address) {
            return index;
        }
        // A lambda's slots are its own frame's, not the function's.
        let known = self.known.take();
        let body = match (&l.body, l.forwards_to) {
            (LambdaBody::Expr(call), Some(function)) => {
                LambdaBodyCode::Forward { function, at: call.span.start, convert: !l.params.iter().all(|(ty, _)| takes_any(ty)) }
            }
            (LambdaBody::Expr(e), None) => LambdaBodyCode::Expr(self.expr(e)),
            (LambdaBody::Block(b), _) => LambdaBodyCode::Block(self.block(b)),
        };
        self.lambdas.push(LambdaCode {
            params: l.params.iter().map(|(ty, var)| (ty.clone(), var.slot)).collect(),
            captures: l.captures.iter().copied().collect(),
            frame_size: l.frame_size,
            body,
        });
        self.known = known;
        self.lambda_index.insert(address, self.lambdas.len() - 1);
        self.lambdas.len() - 1
    }

    fn string(&mut self, s: &str) -> usize {
        match self.strings.iter().position(|x| **x == *s) {
            Some(i) => i,
            None => {
                self.strings.push(Arc::from(s));
                self.strings.len() - 1
            }
        }
    }

    fn constant(&mut self, e: &Expr) -> Option<Const> {
        Some(match &e.kind {
            ExprKind::Null => Const::Null,
            ExprKind::Bool(b) => Const::Bool(*b),
            ExprKind::Int(i) => Const::Int(*i),
            ExprKind::Long(l) => Const::Long(*l),
            ExprKind::Float(x) => Const::Float(*x),
            ExprKind::Double(d) => Const::Double(*d),
            ExprKind::Str(s) => Const::Str(self.string(s)),
            _ => return None,
        })
    }

    fn block(&mut self, stmts: &[Stmt]) -> Exec {
        block(self.parts(stmts))
    }

    /// Statements as the parts of a block; a nested block's statements
    /// become parts of the enclosing one, and those after a `return`,
    /// which never run, are left out.
    fn parts(&mut self, stmts: &[Stmt]) -> Vec<Part> {
        let mut parts = Vec::with_capacity(stmts.len());
        self.add_parts(stmts, &mut parts);
        parts
    }

    fn add_parts(&mut self, stmts: &[Stmt], parts: &mut Vec<Part>) {
        for s in stmts {
            if matches!(parts.last(), Some(Part::Return(_) | Part::ReturnConst(_))) {
                return;
            }
            self.add_part(s, parts);
        }
    }

    fn add_part(&mut self, s: &Stmt, parts: &mut Vec<Part>) {
        match &s.kind {
            StmtKind::Block(b) => self.add_parts(b, parts),
            // An `if` whose condition is a constant is the branch it takes.
            StmtKind::If(c, a, b) => match self.cond_tree(c, c.span.start).folded() {
                CondTree::Const(true) => self.add_parts(std::slice::from_ref(&**a), parts),
                CondTree::Const(false) => self.add_parts(b.as_deref().map(std::slice::from_ref).unwrap_or_default(), parts),
                c => {
                    let then = self.parts(std::slice::from_ref(&**a)).into_boxed_slice();
                    let otherwise = b.as_deref().map(|b| self.parts(std::slice::from_ref(b)).into_boxed_slice());
                    parts.push(Part::If(c.into_cond(), then, otherwise));
                }
            },
            StmtKind::Return(None) => parts.push(Part::ReturnConst(Const::Null)),
            StmtKind::Return(Some(e)) | StmtKind::ImplicitReturn(e) => parts.push(match self.value(e) {
                Ok(c) => Part::ReturnConst(c),
                Err(e) => Part::Return(e),
            }),
            StmtKind::Expr(e) => parts.push(Part::Expr(self.expr(e))),
            _ => parts.push(Part::Other(self.stmt(s))),
        }
    }

    /// `e` as a constant when it is one, a literal or a condition folded
    /// to one, else as its code.
    fn value(&mut self, e: &Expr) -> Result<Const, Eval> {
        if let Some(c) = self.constant(e) {
            return Ok(c);
        }
        if !is_condition(e) {
            return Err(self.expr(e));
        }
        match self.cond_tree(e, e.span.start).folded() {
            CondTree::Const(b) => Ok(Const::Bool(b)),
            tree => {
                let t = tree.into_cond();
                Err(eval(move |it, f| Ok(Val::Bool(t.holds(it, f)?))))
            }
        }
    }

    fn optional(&mut self, s: &Option<Box<Stmt>>) -> Option<Exec> {
        s.as_deref().map(|s| self.stmt(s))
    }

    fn stmt(&mut self, s: &Stmt) -> Exec {
        let span = s.span;
        match &s.kind {
            StmtKind::Expr(_) | StmtKind::If(..) | StmtKind::Block(_) | StmtKind::Return(_) | StmtKind::ImplicitReturn(_) => {
                let mut parts = Vec::with_capacity(1);
                self.add_part(s, &mut parts);
                block(parts)
            }
            StmtKind::Decl(ty, vars) => {
                let ty = ty.clone();
                let vars: Vec<(usize, Option<(Eval, u32)>)> =
                    vars.iter().map(|v| (v.var.slot, v.init.as_ref().map(|init| (self.expr(init), init.span.start)))).collect();
                exec(move |it, f| {
                    for (slot, init) in &vars {
                        let value = match init {
                            Some((init, at)) => {
                                let x = init(it, f)?;
                                interp::coerce(&ty, x, false).map_err(|e| e.at(*at))?
                            }
                            None => interp::default_value(&ty),
                        };
                        f[*slot] = value;
                    }
                    Ok(Step::Next)
                })
            }
            StmtKind::While(c, body) => {
                let c = self.test(c, c.span.start);
                let body = self.optional(body);
                exec(move |it, f| {
                    loop {
                        it.tick(span)?;
                        if !c.holds(it, f)? {
                            break;
                        }
                        if let Some(body) = &body {
                            match body(it, f)? {
                                Step::Break => break,
                                Step::Return => return Ok(Step::Return),
                                Step::Next | Step::Continue => {}
                            }
                        }
                    }
                    Ok(Step::Next)
                })
            }
            StmtKind::DoWhile(body, c) => {
                let body = self.stmt(body);
                let c = self.test(c, c.span.start);
                exec(move |it, f| {
                    loop {
                        it.tick(span)?;
                        match body(it, f)? {
                            Step::Break => break,
                            Step::Return => return Ok(Step::Return),
                            Step::Next | Step::Continue => {}
                        }
                        if !c.holds(it, f)? {
                            break;
                        }
                    }
                    Ok(Step::Next)
                })
            }
            StmtKind::For { init, cond, after, body } => {
                let init = self.optional(init);
                let cond = cond.as_ref().map(|c| self.test(c, c.span.start));
                let after = after.as_ref().map(|a| self.expr(a));
                let body = self.optional(body);
                exec(move |it, f| {
                    if let Some(init) = &init {
                        init(it, f)?;
                    }
                    loop {
                        it.tick(span)?;
                        if let Some(c) = &cond {
                            if !c.holds(it, f)? {
                                break;
                            }
                        }
                        if let Some(body) = &body {
                            match body(it, f)? {
                                Step::Break => break,
                                Step::Return => return Ok(Step::Return),
                                Step::Next | Step::Continue => {}
                            }
                        }
                        if let Some(a) = &after {
                            a(it, f)?;
                        }
                    }
                    Ok(Step::Next)
                })
            }
            StmtKind::Break => exec(|_, _| Ok(Step::Break)),
            StmtKind::Continue => exec(|_, _| Ok(Step::Continue)),
            StmtKind::ForEach { ty, var, iter, body } => {
                let (ty, slot, iter_at) = (ty.clone(), var.slot, iter.span.start);
                let iter = self.expr(iter);
                let body = self.stmt(body);
                exec(move |it, f| {
                    let coll = iter(it, f)?;
                    let items = match &coll {
                        Val::Null => return Err(interp::null_access("iterator").at(iter_at)),
                        other => iter_items(other)
                            .ok_or_else(|| Exc::illegal_arg(format!("Cannot iterate over [{}]", other.class_name())).at(iter_at))?,
                    };
                    for item in items {
                        it.tick(span)?;
                        f[slot] = interp::coerce(&ty, item, false).map_err(|e| e.at(span.start))?;
                        match body(it, f)? {
                            Step::Break => break,
                            Step::Return => return Ok(Step::Return),
                            Step::Next | Step::Continue => {}
                        }
                    }
                    Ok(Step::Next)
                })
            }
            StmtKind::Throw(e) => {
                let e = self.expr(e);
                let at = span.start;
                exec(move |it, f| {
                    let v = e(it, f)?;
                    Err(match &v {
                        Val::Obj(o) => match &**o {
                            Obj::Exception { class, message } => Exc::from(ExcData { class, message: message.clone(), offset: Some(at), explain: None }),
                            _ => Exc::class_cast(format!("Cannot cast from [{}] to [java.lang.Throwable].", v.class_name())).at(at),
                        },
                        Val::Null => Exc::npe("Cannot throw exception because \"value\" is null").at(at),
                        _ => Exc::class_cast(format!("Cannot cast from [{}] to [java.lang.Throwable].", v.class_name())).at(at),
                    })
                })
            }
            StmtKind::Try(body, catches) => {
                let body = self.stmt(body);
                let catches: Box<[(String, usize, Exec)]> = catches.iter().map(|c| (c.class.clone(), c.var.slot, self.stmt(&c.body))).collect();
                exec(move |it, f| match body(it, f) {
                    Ok(step) => Ok(step),
                    // Errors of the engine's limits are not catchable.
                    Err(exc) if exc.class == "PainlessError" || exc.class == "StackOverflowError" => Err(exc),
                    Err(exc) => {
                        for (class, slot, handler) in catches.iter() {
                            if lib::exception_is_a(exc.class, class) {
                                f[*slot] = Val::Obj(Rc::new(Obj::Exception { class: exc.class, message: exc.message.clone() }));
                                return handler(it, f);
                            }
                        }
                        Err(exc)
                    }
                })
            }
        }
    }

    fn args(&mut self, args: &[Expr]) -> Box<[Eval]> {
        args.iter().map(|a| self.expr(a)).collect()
    }

    /// An expression; a failure is located at the innermost node that has
    /// no location yet, the offset Painless's `script_stack` points at.
    fn expr(&mut self, e: &Expr) -> Eval {
        let at = e.span.start;
        match &e.kind {
            ExprKind::Null
            | ExprKind::Bool(_)
            | ExprKind::Int(_)
            | ExprKind::Long(_)
            | ExprKind::Float(_)
            | ExprKind::Double(_)
            | ExprKind::Str(_) => {
                let c = self.constant(e).expect("a literal is a constant");
                eval(move |it, _| Ok(c.val(it)))
            }
            ExprKind::Local(v) => {
                let slot = v.slot;
                eval(move |_, f| Ok(f[slot].clone()))
            }
            ExprKind::Field { obj, name, null_safe } => match &obj.kind {
                ExprKind::Class(class) => {
                    let (class, name) = (class.clone(), name.clone());
                    eval(move |_, _| lib::static_field(&class, &name).map_err(|x| x.at(at)))
                }
                _ => self.field(at, obj, name, *null_safe),
            },
            ExprKind::Call { obj, name, args, null_safe, bound } => match &obj.kind {
                ExprKind::Class(class) => {
                    let (class, name) = (class.clone(), name.clone());
                    let args = self.args(args);
                    eval(move |it, f| with_args(it, f, &args, |it, args| lib::call_static(it, &class, &name, args)).map_err(|x| x.at(at)))
                }
                ExprKind::ListInit(items) => self.list_init_call(at, obj, items, name, args, *bound),
                _ => self.method_call(at, obj, name, args, *null_safe, *bound),
            },
            ExprKind::LocalCall { index, args, .. } => {
                let index = *index;
                let args = self.args(args);
                eval(move |it, f| with_args(it, f, &args, |it, args| it.call_resolved_function(index, args)).map_err(|x| x.at(at)))
            }
            ExprKind::Unary(op, x) => {
                let op = *op;
                let x = self.expr(x);
                eval(move |it, f| {
                    let v = x(it, f)?;
                    interp::unary(op, v).map_err(|x| x.at(at))
                })
            }
            ExprKind::Binary(BinOp::Eq | BinOp::Ne | BinOp::RefEq | BinOp::RefNe, ..)
            | ExprKind::And(..)
            | ExprKind::Or(..)
            | ExprKind::InstanceOf(..) => match self.value(e) {
                Ok(c) => eval(move |it, _| Ok(c.val(it))),
                Err(e) => e,
            },
            ExprKind::Binary(op, a, b) => {
                let op = *op;
                let (a, b) = (self.expr(a), self.expr(b));
                eval(move |it, f| {
                    let l = a(it, f)?;
                    let r = b(it, f)?;
                    interp::binary(op, l, r).map_err(|x| x.at(at))
                })
            }
            ExprKind::Cond(c, a, b) => {
                let c = self.test(c, c.span.start);
                let (a, b) = (self.expr(a), self.expr(b));
                eval(move |it, f| if c.holds(it, f)? { a(it, f) } else { b(it, f) })
            }
            ExprKind::Elvis(a, b) => {
                let (a, b) = (self.expr(a), self.expr(b));
                eval(move |it, f| {
                    let v = a(it, f)?;
                    if v.is_null() {
                        b(it, f)
                    } else {
                        Ok(v)
                    }
                })
            }
            ExprKind::Cast(ty, x) => {
                let ty = ty.clone();
                let x = self.expr(x);
                eval(move |it, f| {
                    let v = x(it, f)?;
                    interp::coerce(&ty, v, true).map_err(|x| x.at(at))
                })
            }
            ExprKind::Assign { target, op, value } => self.assign(at, target, *op, value),
            ExprKind::IncDec { target, pre, delta } => self.inc_dec(at, target, *pre, *delta),
            ExprKind::Index { obj, index } => {
                let (obj, index) = (self.expr(obj), self.expr(index));
                eval(move |it, f| {
                    let recv = obj(it, f)?;
                    let idx = index(it, f)?;
                    it.get_index(&recv, &idx).map_err(|x| x.at(at))
                })
            }
            ExprKind::Regex(r) => {
                let r = r.clone();
                eval(move |_, _| Ok(Val::Obj(Rc::new(Obj::Pattern(r.clone())))))
            }
            ExprKind::Name(n) | ExprKind::Class(n) => {
                let message = format!("cannot resolve symbol [{n}]");
                eval(move |_, _| Err(Exc::illegal_arg(message.clone()).at(at)))
            }
            ExprKind::ListInit(items) => {
                let items = self.args(items);
                eval(move |it, f| {
                    let mut values = Vec::with_capacity(items.len());
                    for i in items.iter() {
                        values.push(i(it, f)?);
                    }
                    Ok(Val::new_list(values))
                })
            }
            ExprKind::MapInit(entries) => {
                let entries: Box<[(Eval, Eval)]> = entries.iter().map(|(k, v)| (self.expr(k), self.expr(v))).collect();
                eval(move |it, f| {
                    let mut m = JMap::new(MapKind::Hash);
                    for (k, v) in entries.iter() {
                        let k = k(it, f)?;
                        let v = v(it, f)?;
                        m.insert(Key(k), v);
                    }
                    Ok(Val::new_map(m))
                })
            }
            ExprKind::New { class, args } => {
                let class = class.clone();
                let args = self.args(args);
                eval(move |it, f| with_args(it, f, &args, |it, args| lib::construct(it, &class, args)).map_err(|x| x.at(at)))
            }
            ExprKind::NewArray { elem, dims } => {
                let elem = elem.clone();
                let dims: Box<[(Eval, u32)]> = dims.iter().map(|d| (self.expr(d), d.span.start)).collect();
                eval(move |it, f| {
                    let mut sizes = Vec::with_capacity(dims.len());
                    for (d, d_at) in dims.iter() {
                        let v = d(it, f)?;
                        let n = interp::as_index(&v).map_err(|x| x.at(*d_at))?;
                        if n < 0 {
                            return Err(Exc::new("NegativeArraySizeException", n.to_string()).at(*d_at));
                        }
                        sizes.push(n as usize);
                    }
                    if sizes.iter().try_fold(1usize, |acc, n| acc.checked_mul((*n).max(1))).is_none_or(|total| total > Exc::MAX_ELEMENTS) {
                        return Err(Exc::new("OutOfMemoryError", "Java heap space").at(at));
                    }
                    Ok(interp::new_array(&elem, &sizes))
                })
            }
            ExprKind::NewArrayInit { elem, items } => {
                let elem = elem.clone();
                let items: Box<[(Eval, u32)]> = items.iter().map(|i| (self.expr(i), i.span.start)).collect();
                eval(move |it, f| {
                    let mut out = Vec::with_capacity(items.len());
                    for (i, i_at) in items.iter() {
                        let v = i(it, f)?;
                        out.push(interp::coerce(&elem, v, false).map_err(|x| x.at(*i_at))?);
                    }
                    Ok(Val::Array(Rc::new(RefCell::new(JArray { elem: elem.clone(), items: out }))))
                })
            }
            ExprKind::Lambda(l) if l.captures.is_empty() => {
                let index = self.lambda(l);
                eval(move |it, _| {
                    let prog = it.program();
                    Ok(it.capture_free_lambda(index, || Closure::Lambda { lambda: &prog.code.lambdas[index], captured: Vec::new() }))
                })
            }
            ExprKind::Lambda(l) => {
                let index = self.lambda(l);
                let captures: Box<[usize]> = l.captures.iter().map(|(outer, _)| *outer).collect();
                eval(move |it, f| {
                    let captured = captures.iter().map(|outer| f[*outer].clone()).collect();
                    Ok(Val::Func(Rc::new(Closure::Lambda { lambda: &it.program().code.lambdas[index], captured })))
                })
            }
            ExprKind::FuncRef(r) => self.func_ref(r),
        }
    }

    /// `obj.name` or `obj?.name` on a value: a failing access is located at
    /// its own node, so the steps of a chain `a.b?.c.d` at theirs.
    fn field(&mut self, at: u32, obj: &Expr, name: &str, null_safe: bool) -> Eval {
        let obj = self.expr(obj);
        let name = self.string(name);
        eval(move |it, f| {
            let recv = obj(it, f)?;
            if null_safe && recv.is_null() {
                return Ok(recv);
            }
            let value = it.get_field(&recv, string(it, name)).map_err(|x| x.at(at));
            recv.discard();
            value
        })
    }

    fn func_ref(&mut self, r: &FuncRef) -> Eval {
        match r {
            FuncRef::Method { class, method } => {
                let (class, method) = (self.string(class), self.string(method));
                eval(move |it, _| Ok(Val::Func(Rc::new(Closure::Method { class: string(it, class), method: string(it, method) }))))
            }
            FuncRef::Constructor { class } => {
                let class = self.string(class);
                eval(move |it, _| Ok(Val::Func(Rc::new(Closure::Constructor(string(it, class))))))
            }
            FuncRef::Local { index, .. } => {
                let index = *index;
                eval(move |_, _| Ok(Val::Func(Rc::new(Closure::Local(index)))))
            }
            FuncRef::Bound { receiver, method } => {
                let receiver = self.expr(receiver);
                let method = self.string(method);
                eval(move |it, f| Ok(Val::Func(Rc::new(Closure::Bound { receiver: receiver(it, f)?, method: string(it, method) }))))
            }
        }
    }

    /// A call on a list initialiser. `['a', 'b'].contains(x)` with constant
    /// elements: the fresh list is seen by nothing but `contains`, so the
    /// answer needs no list built (compared as `ArrayList.contains` does).
    fn list_init_call(&mut self, at: u32, obj: &Expr, items: &[Expr], name: &str, args: &[Expr], bound: Option<BoundMethod>) -> Eval {
        let constants: Option<Box<[Const]>> = items.iter().map(|i| self.constant(i)).collect();
        match (constants, name, args) {
            (Some(constants), "contains", [x]) => {
                let x = self.expr(x);
                eval(move |it, f| {
                    let x = x(it, f)?;
                    let found = constants.iter().any(|c| {
                        let item = c.val(it);
                        let equal = item.java_equals(&x);
                        item.discard();
                        equal
                    });
                    x.discard();
                    Ok(Val::Bool(found))
                })
            }
            _ => self.method_call(at, obj, name, args, false, bound),
        }
    }

    /// `x = v`, `x op= v` on a variable, a field or an index.
    fn assign(&mut self, at: u32, target: &Expr, op: Option<BinOp>, value: &Expr) -> Eval {
        let target_at = target.span.start;
        let value = self.expr(value);
        match &target.kind {
            ExprKind::Local(var) => {
                let (slot, ty) = (var.slot, var.ty.clone());
                eval(move |it, f| {
                    let rhs = value(it, f)?;
                    let new = match op {
                        None => interp::coerce(&ty, rhs, false),
                        Some(op) => interp::compound(op, f[slot].clone(), rhs).and_then(|v| interp::coerce(&ty, v, true)),
                    }
                    .map_err(|x| x.at(at))?;
                    f[slot] = new.clone();
                    Ok(new)
                })
            }
            ExprKind::Field { obj, name, .. } => {
                let obj = self.expr(obj);
                let name = self.string(name);
                eval(move |it, f| {
                    let recv = obj(it, f)?;
                    let rhs = value(it, f)?;
                    let name = string(it, name);
                    let new = match op {
                        None => rhs,
                        Some(op) => {
                            let old = it.get_field(&recv, name).map_err(|x| x.at(target_at))?;
                            interp::compound(op, old, rhs).map_err(|x| x.at(at))?
                        }
                    };
                    it.set_field(&recv, name, new.clone()).map_err(|x| x.at(target_at))?;
                    Ok(new)
                })
            }
            ExprKind::Index { obj, index } => {
                let (obj, index) = (self.expr(obj), self.expr(index));
                eval(move |it, f| {
                    let recv = obj(it, f)?;
                    let idx = index(it, f)?;
                    let rhs = value(it, f)?;
                    let new = match op {
                        None => rhs,
                        Some(op) => {
                            let old = it.get_index(&recv, &idx).map_err(|x| x.at(target_at))?;
                            interp::compound(op, old, rhs).map_err(|x| x.at(at))?
                        }
                    };
                    it.set_index(&recv, idx, new.clone()).map_err(|x| x.at(target_at))?;
                    Ok(new)
                })
            }
            _ => eval(move |_, _| Err(Exc::illegal_arg("invalid assignment target").at(at))),
        }
    }

    /// `++x`, `x--`, ... on a variable, a field or an index.
    fn inc_dec(&mut self, at: u32, target: &Expr, pre: bool, delta: i8) -> Eval {
        let one = delta as i32;
        match &target.kind {
            ExprKind::Local(var) => {
                let (slot, ty) = (var.slot, var.ty.clone());
                eval(move |_, f| {
                    let old = f[slot].clone();
                    let new = interp::compound(BinOp::Add, old.clone(), Val::Int(one)).and_then(|v| interp::coerce(&ty, v, true)).map_err(|x| x.at(at))?;
                    f[slot] = new.clone();
                    Ok(if pre { new } else { old })
                })
            }
            ExprKind::Field { obj, name, .. } => {
                let obj = self.expr(obj);
                let name = self.string(name);
                eval(move |it, f| {
                    let recv = obj(it, f)?;
                    let name = string(it, name);
                    let old = it.get_field(&recv, name).map_err(|x| x.at(at))?;
                    let new = interp::compound(BinOp::Add, old.clone(), Val::Int(one)).map_err(|x| x.at(at))?;
                    it.set_field(&recv, name, new.clone()).map_err(|x| x.at(at))?;
                    Ok(if pre { new } else { old })
                })
            }
            ExprKind::Index { obj, index } => {
                let (obj, index) = (self.expr(obj), self.expr(index));
                eval(move |it, f| {
                    let recv = obj(it, f)?;
                    let idx = index(it, f)?;
                    let old = it.get_index(&recv, &idx).map_err(|x| x.at(at))?;
                    let new = interp::compound(BinOp::Add, old.clone(), Val::Int(one)).map_err(|x| x.at(at))?;
                    it.set_index(&recv, idx, new.clone()).map_err(|x| x.at(at))?;
                    Ok(if pre { new } else { old })
                })
            }
            _ => eval(move |_, _| Err(Exc::illegal_arg("invalid increment target").at(at))),
        }
    }

    /// `obj.name(args)` on a value: a method bound at resolve time is
    /// answered by the collections first, any other by name.
    fn method_call(&mut self, at: u32, obj: &Expr, name: &str, args: &[Expr], null_safe: bool, bound: Option<BoundMethod>) -> Eval {
        if let Some(fused) = self.view_remove_if_on_local(at, obj, name, args, null_safe, bound) {
            return fused;
        }
        if let Some(fused) = self.list_remove_if_on_local(at, obj, name, args, null_safe, bound) {
            return fused;
        }
        self.method_call_unfused(at, obj, name, args, null_safe, bound)
    }

    /// `m.values().removeIf(p)` (or `keySet()`, `entrySet()`) where `m` is
    /// a variable and `p` cannot change the frame: on a Map, the view's
    /// `removeIf` runs on the map without the view made as a value, one
    /// call rather than two; any other value of `m` takes the general path,
    /// compiled alongside. A Map's view method cannot fail, so errors come
    /// from the predicate or `removeIf`, at the same position either way.
    /// A predicate that captures nothing and only forwards its parameter
    /// to a script function (`x -> f(x)`) is called as that function,
    /// without the lambda's value made (made once per run, and unseen here).
    fn view_remove_if_on_local(&mut self, at: u32, obj: &Expr, name: &str, args: &[Expr], null_safe: bool, bound: Option<BoundMethod>) -> Option<Eval> {
        let ExprKind::Call { obj: map, args: view_args, bound: Some(view), .. } = &obj.kind else { return None };
        let kind = match view {
            BoundMethod::Values => ViewKind::Values,
            BoundMethod::KeySet => ViewKind::Keys,
            BoundMethod::EntrySet => ViewKind::Entries,
            _ => return None,
        };
        let (ExprKind::Local(map), [], Some(BoundMethod::RemoveIf), [pred]) = (&map.kind, view_args.as_slice(), bound, args) else { return None };
        if !leaves_frame_unchanged(pred) || general_bodies_only() {
            return None;
        }
        let slot = map.slot;
        let general = self.method_call_unfused(at, obj, name, args, null_safe, bound);
        let forward = self.forwarding_lambda(pred);
        let pred = self.expr(pred);
        Some(eval(move |it, f| {
            let Val::Map(map) = &f[slot] else { return general(it, f) };
            // Held as the view would hold it while the call runs.
            let map = map.clone();
            if let Some(callee) = forward.and_then(|index| interp::Callee::forwarding(&it.program().code.lambdas[index])) {
                return lib::collections::view_remove_if_with(it, &map, kind, &callee).map_err(|x| x.at(at));
            }
            let pred = pred(it, f).map_err(|x| x.at(at))?;
            lib::collections::view_remove_if(it, &map, kind, &pred).map_err(|x| x.at(at))
        }))
    }

    /// `l.removeIf(x -> f(x))` where `l` is a variable and the lambda
    /// captures nothing and only forwards its parameter to a script
    /// function: on a List, the predicate is called as that function,
    /// without the lambda's value made; any other value of `l` takes the
    /// general path, compiled alongside. Evaluating the lambda cannot fail,
    /// so errors come from `removeIf` or the function, at the same position
    /// either way.
    fn list_remove_if_on_local(&mut self, at: u32, obj: &Expr, name: &str, args: &[Expr], null_safe: bool, bound: Option<BoundMethod>) -> Option<Eval> {
        let (ExprKind::Local(list), Some(BoundMethod::RemoveIf), [pred]) = (&obj.kind, bound, args) else { return None };
        if general_bodies_only() {
            return None;
        }
        let forward = self.forwarding_lambda(pred)?;
        let slot = list.slot;
        let general = self.method_call_unfused(at, obj, name, args, null_safe, bound);
        Some(eval(move |it, f| {
            let Val::List(list) = &f[slot] else { return general(it, f) };
            let Some(callee) = interp::Callee::forwarding(&it.program().code.lambdas[forward]) else { return general(it, f) };
            lib::collections::list_remove_if_with(it, list, &callee).map_err(|x| x.at(at))
        }))
    }

    /// The index of lambda `e` when it captures nothing and only forwards
    /// its parameters to a script function.
    fn forwarding_lambda(&mut self, e: &Expr) -> Option<usize> {
        match &e.kind {
            ExprKind::Lambda(l) if l.captures.is_empty() && l.forwards_to.is_some() => Some(self.lambda(l)),
            _ => None,
        }
    }

    fn method_call_unfused(&mut self, at: u32, obj: &Expr, name: &str, args: &[Expr], null_safe: bool, bound: Option<BoundMethod>) -> Eval {
        if let ExprKind::Local(v) = &obj.kind {
            if args.iter().all(leaves_frame_unchanged) {
                return self.method_call_on_local(at, v.slot, name, args, null_safe, bound);
            }
        }
        let obj = self.expr(obj);
        let args = self.args(args);
        let name: Box<str> = name.into();
        eval(move |it, f| {
            let recv = obj(it, f)?;
            if recv.is_null() {
                if null_safe {
                    return Ok(Val::Null);
                }
                return Err(interp::null_access(&name).at(at));
            }
            let result = with_args(it, f, &args, |it, args| match bound.and_then(|method| lib::collections::call_bound(it, &recv, method, args)) {
                Some(result) => result,
                None => lib::call_method(it, &recv, &name, args),
            });
            recv.discard();
            result.map_err(|x| x.at(at))
        })
    }

    /// [`Compiler::method_call`] on a variable whose value no argument can
    /// change: the method gets the value where it is, not a copy.
    fn method_call_on_local(&mut self, at: u32, slot: usize, name: &str, args: &[Expr], null_safe: bool, bound: Option<BoundMethod>) -> Eval {
        let args = self.args(args);
        let name: Box<str> = name.into();
        eval(move |it, f| {
            if f[slot].is_null() {
                if null_safe {
                    return Ok(Val::Null);
                }
                return Err(interp::null_access(&name).at(at));
            }
            with_args_in_frame(it, f, &args, |it, f, args| {
                let recv = &f[slot];
                match bound.and_then(|method| lib::collections::call_bound(it, recv, method, args)) {
                    Some(result) => result,
                    None => lib::call_method(it, recv, &name, args),
                }
            })
            .map_err(|x| x.at(at))
        })
    }

    /// `e` as a boolean; a value that is not one fails at `unbox_at`. The
    /// operators that always give a boolean answer without one built and
    /// unboxed, and a variable is tested where it is.
    fn test(&mut self, e: &Expr, unbox_at: u32) -> Cond {
        self.cond_tree(e, unbox_at).folded().into_cond()
    }

    /// [`Compiler::test`] before the operators become branches.
    fn cond_tree(&mut self, e: &Expr, unbox_at: u32) -> CondTree {
        match &e.kind {
            ExprKind::And(a, b) => CondTree::And(Box::new(self.cond_tree(a, a.span.start)), Box::new(self.cond_tree(b, b.span.start))),
            ExprKind::Or(a, b) => CondTree::Or(Box::new(self.cond_tree(a, a.span.start)), Box::new(self.cond_tree(b, b.span.start))),
            // `!x` unboxes `x` as the `!` node, where Painless fails.
            ExprKind::Unary(UnOp::Not, x) => CondTree::Not(Box::new(self.cond_tree(x, e.span.start))),
            ExprKind::InstanceOf(x, ty) => self.instance_of(x, ty),
            ExprKind::Binary(op @ (BinOp::Eq | BinOp::Ne | BinOp::RefEq | BinOp::RefNe), a, b) => self.equality(*op, a, b),
            _ => {
                let v = self.expr(e);
                CondTree::other(test(move |it, f| {
                    let v = v(it, f)?;
                    if let Val::Bool(b) = v {
                        return Ok(b);
                    }
                    interp::to_boolean(&v).map_err(|x| x.at(unbox_at))
                }))
            }
        }
    }

    fn instance_of(&mut self, x: &Expr, ty: &Type) -> CondTree {
        match (&x.kind, ty) {
            (ExprKind::Local(v), Type::Class(class)) => match self.known_answer(v.slot, |x| Some(lib::is_instance(x, class))) {
                Some(b) => CondTree::Const(b),
                None => CondTree::Leaf(Leaf::Instance { slot: v.slot, class: class.clone() }),
            },
            (ExprKind::Local(v), _) => {
                let (slot, ty) = (v.slot, ty.clone());
                CondTree::other(test(move |_, f| Ok(interp::instance_of(&f[slot], &ty))))
            }
            _ => {
                let x = self.expr(x);
                let ty = ty.clone();
                CondTree::other(test(move |it, f| {
                    let v = x(it, f)?;
                    let is = interp::instance_of(&v, &ty);
                    v.discard();
                    Ok(is)
                }))
            }
        }
    }

    /// `a == b`, `a != b`, `a === b`, `a !== b`, which never fail; a
    /// variable compared with a variable or a constant where it is.
    fn equality(&mut self, op: BinOp, a: &Expr, b: &Expr) -> CondTree {
        let (ca, cb) = (self.constant(a), self.constant(b));
        match (&a.kind, &b.kind, ca, cb) {
            (ExprKind::Local(x), ExprKind::Local(y), ..) => {
                let (x, y) = (x.slot, y.slot);
                CondTree::other(test(move |_, f| Ok(interp::equality(op, &f[x], &f[y]))))
            }
            // `x == null`: null equals only null, whatever `x` is.
            (ExprKind::Local(x), _, _, Some(Const::Null)) if matches!(op, BinOp::Eq | BinOp::Ne) => {
                let is_null = op == BinOp::Eq;
                match self.known_answer(x.slot, |v| Some(v.is_null() == is_null)) {
                    Some(b) => CondTree::Const(b),
                    None => CondTree::Leaf(Leaf::Null { slot: x.slot, is_null }),
                }
            }
            // `x == 'text'`: whatever the operator, only a string of that text is equal.
            (ExprKind::Local(x), _, _, Some(Const::Str(text))) => {
                let equal = matches!(op, BinOp::Eq | BinOp::RefEq);
                match self.known_answer(x.slot, |v| (!matches!(v, Val::Str(_))).then_some(!equal)) {
                    Some(b) => CondTree::Const(b),
                    None => CondTree::Leaf(Leaf::EqualsText { slot: x.slot, text, equal }),
                }
            }
            (ExprKind::Local(x), _, _, Some(c)) => CondTree::Leaf(Leaf::EqualsConst { slot: x.slot, op, c }),
            (_, ExprKind::Local(y), Some(c), _) => {
                let y = y.slot;
                CondTree::other(test(move |it, f| {
                    let c = c.val(it);
                    let result = interp::equality(op, &c, &f[y]);
                    c.discard();
                    Ok(result)
                }))
            }
            _ => {
                let (a, b) = (self.expr(a), self.expr(b));
                CondTree::other(test(move |it, f| {
                    let x = a(it, f)?;
                    let y = b(it, f)?;
                    let result = interp::equality(op, &x, &y);
                    x.discard();
                    y.discard();
                    Ok(result)
                }))
            }
        }
    }
}

/// A condition. The tests of a variable that cannot fail (`x == null`,
/// `x instanceof C`, `x == 'text'`) are answered by [`Cond::holds`]
/// itself, without a boxed call; the boolean operators over tests are
/// compiled to branches ([`Branch`]), which one loop runs.
enum Cond {
    Test(Leaf),
    /// `&&`, `||` and `!` over tests, in evaluation order.
    Branches(Box<[Branch]>),
}

/// A test a condition is made of.
enum Leaf {
    /// `x == null` (`is_null`) or `x != null`.
    Null { slot: usize, is_null: bool },
    /// `x instanceof C` for a class `C`.
    Instance { slot: usize, class: Box<ClassType> },
    /// `x op c`, an equality operator with a constant on the right.
    EqualsConst { slot: usize, op: BinOp, c: Const },
    /// `x == 'text'` or `x === 'text'` (`equal`), or `!=`/`!==`: a string
    /// constant ([`Code::strings`]) equals a string of its text and nothing else.
    EqualsText { slot: usize, text: usize, equal: bool },
    /// Any other condition.
    Other(Test),
}

/// A test of a condition and where each answer leads: the next test to
/// run (always a later one) or the condition's answer. Short-circuit
/// operators are only such jumps: `a || b` goes to `b` when `a` fails,
/// `!a` swaps the targets of `a`, so a condition runs as a loop over its
/// tests rather than as calls nested by operator.
struct Branch {
    leaf: Leaf,
    if_true: u32,
    if_false: u32,
}

/// [`Branch`] targets that are the condition's answer.
const ANSWER_TRUE: u32 = u32::MAX;
const ANSWER_FALSE: u32 = u32::MAX - 1;

/// A condition before its operators are compiled to branches.
enum CondTree {
    /// A test answered at compile time (see [`Compiler::known_answer`]).
    Const(bool),
    Leaf(Leaf),
    And(Box<CondTree>, Box<CondTree>),
    Or(Box<CondTree>, Box<CondTree>),
    Not(Box<CondTree>),
}

impl CondTree {
    fn other(t: Test) -> CondTree {
        CondTree::Leaf(Leaf::Other(t))
    }

    /// The condition with its constant tests folded into the operators
    /// over them: a constant, or a tree without one.
    fn folded(self) -> CondTree {
        match self {
            CondTree::And(a, b) => match (a.folded(), b.folded()) {
                (CondTree::Const(false), _) => CondTree::Const(false),
                (CondTree::Const(true), b) | (b, CondTree::Const(true)) => b,
                (a, CondTree::Const(false)) => a.then_answer(false),
                (a, b) => CondTree::And(Box::new(a), Box::new(b)),
            },
            CondTree::Or(a, b) => match (a.folded(), b.folded()) {
                (CondTree::Const(true), _) => CondTree::Const(true),
                (CondTree::Const(false), b) | (b, CondTree::Const(false)) => b,
                (a, CondTree::Const(true)) => a.then_answer(true),
                (a, b) => CondTree::Or(Box::new(a), Box::new(b)),
            },
            CondTree::Not(x) => match x.folded() {
                CondTree::Const(b) => CondTree::Const(!b),
                x => CondTree::Not(Box::new(x)),
            },
            leaf => leaf,
        }
    }

    /// `self && false` or `self || true`: this condition runs, for what it
    /// may do or throw, and then `answer` is the answer.
    fn then_answer(self, answer: bool) -> CondTree {
        let c = self.into_cond();
        CondTree::other(test(move |it, f| c.holds(it, f).map(|_| answer)))
    }

    fn into_cond(self) -> Cond {
        match self {
            CondTree::Const(b) => Cond::Test(Leaf::Other(test(move |_, _| Ok(b)))),
            CondTree::Leaf(leaf) => Cond::Test(leaf),
            tree => {
                let mut branches = Vec::with_capacity(tree.leaves());
                tree.emit(ANSWER_TRUE, ANSWER_FALSE, &mut branches);
                Cond::Branches(branches.into_boxed_slice())
            }
        }
    }

    fn leaves(&self) -> usize {
        match self {
            CondTree::Const(_) | CondTree::Leaf(_) => 1,
            CondTree::And(a, b) | CondTree::Or(a, b) => a.leaves() + b.leaves(),
            CondTree::Not(x) => x.leaves(),
        }
    }

    /// Appends the branches of this condition, whose answers lead to
    /// `if_true` and `if_false`; its tests run in source order.
    fn emit(self, if_true: u32, if_false: u32, out: &mut Vec<Branch>) {
        match self {
            CondTree::Const(b) => out.push(Branch { leaf: Leaf::Other(test(move |_, _| Ok(b))), if_true, if_false }),
            CondTree::Leaf(leaf) => out.push(Branch { leaf, if_true, if_false }),
            CondTree::And(a, b) => {
                let b_starts = (out.len() + a.leaves()) as u32;
                a.emit(b_starts, if_false, out);
                b.emit(if_true, if_false, out);
            }
            CondTree::Or(a, b) => {
                let b_starts = (out.len() + a.leaves()) as u32;
                a.emit(if_true, b_starts, out);
                b.emit(if_true, if_false, out);
            }
            CondTree::Not(x) => x.emit(if_false, if_true, out),
        }
    }
}

impl Leaf {
    #[inline(always)]
    fn holds<'a>(&self, it: &mut Interp<'a>, f: &mut [Val<'a>]) -> R<bool> {
        match self {
            Leaf::Null { slot, is_null } => Ok(f[*slot].is_null() == *is_null),
            Leaf::Instance { slot, class } => Ok(lib::is_instance(&f[*slot], class)),
            Leaf::EqualsConst { slot, op, c } => {
                let c = c.val(it);
                let result = interp::equality(*op, &f[*slot], &c);
                c.discard();
                Ok(result)
            }
            Leaf::EqualsText { slot, text, equal } => Ok(matches!(&f[*slot], Val::Str(s) if **s == *string(it, *text)) == *equal),
            Leaf::Other(t) => t(it, f),
        }
    }
}

impl Cond {
    /// Whether the condition holds. A single test is answered in the
    /// caller's code, branches out of line.
    #[inline(always)]
    fn holds<'a>(&self, it: &mut Interp<'a>, f: &mut [Val<'a>]) -> R<bool> {
        match self {
            Cond::Test(leaf) => leaf.holds(it, f),
            Cond::Branches(branches) => branches_hold(branches, it, f),
        }
    }
}

/// Runs a condition's branches from the first to an answer. Every jump
/// goes forward, so the loop ends.
#[inline(never)]
fn branches_hold<'a>(branches: &[Branch], it: &mut Interp<'a>, f: &mut [Val<'a>]) -> R<bool> {
    let mut at = 0;
    loop {
        let branch = &branches[at];
        let next = if branch.leaf.holds(it, f)? { branch.if_true } else { branch.if_false };
        match next {
            ANSWER_TRUE => return Ok(true),
            ANSWER_FALSE => return Ok(false),
            next => at = next as usize,
        }
    }
}

/// A block's statements as its code: one that is not an `if`, `return` or
/// expression statement is its own code.
fn block(mut parts: Vec<Part>) -> Exec {
    if let [Part::Other(_)] = parts.as_slice() {
        if let Some(Part::Other(only)) = parts.pop() {
            return only;
        }
    }
    let parts = parts.into_boxed_slice();
    exec(move |it, f| run(&parts, it, f))
}

/// A statement of a block. `if`, `return` and expression statements, most
/// of what functions hold, are run by the block's own loop ([`run`]), and
/// the blocks of an `if` by the same loop, without a boxed call each.
/// (`repr(u8)`: a tag of its own, not one packed into the condition's,
/// which would take more to tell the parts apart.)
#[repr(u8)]
enum Part {
    /// `if (c) then else otherwise`.
    If(Cond, Box<[Part]>, Option<Box<[Part]>>),
    /// `return` of a constant; `return;` leaves null.
    ReturnConst(Const),
    Return(Eval),
    /// An expression statement, its value dropped.
    Expr(Eval),
    /// Any other statement.
    Other(Exec),
}

/// Runs statements one after the other until one leaves the block.
fn run<'a>(parts: &[Part], it: &mut Interp<'a>, f: &mut [Val<'a>]) -> R<Step> {
    for part in parts {
        let step = match part {
            Part::If(c, then, otherwise) => {
                if c.holds(it, f)? {
                    run(then, it, f)?
                } else if let Some(otherwise) = otherwise {
                    run(otherwise, it, f)?
                } else {
                    Step::Next
                }
            }
            Part::ReturnConst(c) => {
                let v = c.val(it);
                it.set_returned(v);
                Step::Return
            }
            Part::Return(e) => {
                let v = e(it, f)?;
                it.set_returned(v);
                Step::Return
            }
            Part::Expr(e) => {
                e(it, f)?.discard();
                Step::Next
            }
            Part::Other(s) => s(it, f)?,
        };
        if step != Step::Next {
            return Ok(step);
        }
    }
    Ok(Step::Next)
}

#[cfg(test)]
mod specialised_body_tests {
    use super::GENERAL_BODIES_ONLY;
    use crate::painless::{compile, ScriptContext};
    use crate::value::{Map, Value};

    /// Arguments of every kind: each specialised one, values from the
    /// document (borrowed until used), and kinds that run the general body.
    const ARGS: &[&str] = &[
        "null", "true", "(byte) 1", "(short) 2", "(char) 99", "0", "1", "2L", "1.5f", "2.5", "''", "'x'", "[]", "['a', null]", "[:]", "['k': '']",
        "new HashSet()", "ctx.m", "ctx.l", "ctx.s", "ctx.e", "ctx.n", "ctx.missing", "[:].keySet()", "['a': 1].values()", "new StringBuilder()",
        "['a': 1].entrySet().iterator().next()", "ctx.m.entrySet()",
    ];

    /// Tests of the parameter its kind answers.
    const KIND_TESTS: &[&str] = &[
        "p == null", "p != null", "p instanceof String", "p instanceof Map", "p instanceof List", "p instanceof Number", "p instanceof Integer",
        "p instanceof Long", "p instanceof Double", "p instanceof Object", "p instanceof Boolean", "p instanceof Collection", "p instanceof Character",
        "p instanceof Set", "p instanceof Map.Entry", "p instanceof CharSequence", "p instanceof HashMap", "p instanceof TreeMap", "p instanceof Short",
        "p instanceof Byte", "p instanceof Float", "p instanceof StringBuilder", "p == ''", "p != 'x'", "p === 'x'", "p !== ''",
    ];

    /// Tests it does not: with effects, calls and errors, some only for some kinds.
    const OTHER_TESTS: &[&str] = &[
        "n > 0", "log.add(1)", "p.isEmpty()", "p == 1", "p.length() == 1", "10 / n > 1", "g(p)", "p.size() > 0", "null == p", "p == q", "q instanceof Map",
    ];

    struct Gen(u64);

    impl Gen {
        fn next(&mut self, bound: usize) -> usize {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % bound
        }

        fn pick<'s>(&mut self, from: &[&'s str]) -> &'s str {
            from[self.next(from.len())]
        }

        fn cond(&mut self, depth: usize) -> String {
            match if depth == 0 { 0 } else { self.next(6) } {
                0 | 1 => match self.next(3) {
                    0 => self.pick(OTHER_TESTS).to_string(),
                    _ => self.pick(KIND_TESTS).to_string(),
                },
                2 => format!("({} && {})", self.cond(depth - 1), self.cond(depth - 1)),
                3 => format!("({} || {})", self.cond(depth - 1), self.cond(depth - 1)),
                4 => format!("!({})", self.cond(depth - 1)),
                _ => format!("({} ? {} : {})", self.cond(depth - 1), self.cond(depth - 1), self.cond(depth - 1)),
            }
        }

        fn value(&mut self) -> String {
            match self.next(9) {
                0 => "true".into(),
                1 => "false".into(),
                2 => "null".into(),
                3 => "1".into(),
                4 => "'s'".into(),
                5 => "p".into(),
                6 => "log.size()".into(),
                _ => self.cond(2),
            }
        }

        fn block(&mut self, depth: usize) -> String {
            (0..1 + self.next(3)).map(|_| self.stmt(depth)).collect::<Vec<_>>().join(" ")
        }

        fn stmt(&mut self, depth: usize) -> String {
            let k = self.next(100);
            match if depth == 0 { self.next(4) } else { self.next(12) } {
                // No statement leaves every path, so that none is
                // unreachable and the body's last `return` is always reached.
                0 => format!("if ({}) {{ return {}; }}", self.cond(1), self.value()),
                1 => format!("log.add({k});"),
                2 => format!("log.add({});", self.cond(2)),
                3 => format!("if ({}) {{ throw new IllegalArgumentException('t{k}'); }}", self.cond(1)),
                4 => format!("if ({}) {{ {} }}", self.cond(3), self.block(depth - 1)),
                5 | 6 => format!("if ({}) {{ {} }} else {{ {} }}", self.cond(3), self.block(depth - 1), self.block(depth - 1)),
                7 => format!("for (int i = 0; i < n; i++) {{ log.add(i); {} }}", self.block(depth - 1)),
                8 => format!("while ({}) {{ log.add({k}); if (log.size() > 2) {{ break; }} }}", self.cond(2)),
                9 => "if (n > 0) { log.add(f(p, q, log, n - 1)); }".to_string(),
                10 => format!("if ({}) {{ p = q; }}", self.cond(1)),
                _ => format!("{{ {} }} log.add({k});", self.block(depth - 1)),
            }
        }
    }

    fn outcome(source: &str, doc: &Map, general: bool) -> Option<String> {
        GENERAL_BODIES_ONLY.with(|g| g.set(general));
        let script = compile(source, ScriptContext::Ingest);
        GENERAL_BODIES_ONLY.with(|g| g.set(false));
        let mut doc = doc.clone();
        let result = match script.ok()?.execute(&mut doc, &Map::default()) {
            Ok(()) => "ok".to_string(),
            Err(e) => e.to_value().to_json(),
        };
        Some(format!("{result} {}", Value::Map(doc).to_json()))
    }

    /// `m.values().removeIf(p)`, `m.keySet()...`, `m.entrySet()...` and
    /// `m.removeIf(p)` on a variable give what the view made and called
    /// (and the lambda made) gives, for receivers of every kind and
    /// predicates that pick, fail, change the map, are no function or only
    /// forward to a script function: results, errors and positions, the
    /// document after.
    #[test]
    fn fused_view_remove_if_agrees_with_the_view_called() {
        let doc = match Value::from_json_str(r#"{"m": {"a": "", "b": [null, "x", {}], "c": 1, "d": null}, "l": ["", 1], "s": "z"}"#).unwrap() {
            Value::Map(m) => m,
            _ => unreachable!(),
        };
        let receivers = ["ctx.m", "[:]", "['a': '', 'b': 1, 'c': null]", "new HashMap(ctx.m)", "null", "ctx.l", "ctx.s", "ctx.m.values()", "ctx.missing", "1", "[1, '']"];
        let views = [".values()", ".keySet()", ".entrySet()", ""];
        let functions = "boolean f(def x) { return x == null || x == '' || (x instanceof List && x.isEmpty()) } \
                         def g(def x) { if (x == 1) { throw new IllegalArgumentException('g') } return x instanceof Map } \
                         int k(def x) { return 1 } ";
        let preds = [
            "x -> x == ''",
            "x -> x == null",
            "x -> { log.add(x); return true }",
            "x -> { log.add(x); return false }",
            "x -> x.isEmpty()",
            "x -> x.getValue() == 1",
            "x -> { x.setValue(2); return false }",
            "x -> { m.put('z', 1); return true }",
            "x -> { m.remove('a'); return x == 1 }",
            "x -> { if (log.size() > 1) { throw new IllegalArgumentException('t') } log.add(x); return true }",
            "x -> 1",
            "null",
            "m",
            "log",
            "x -> f(x)",
            "x -> g(x)",
            "x -> k(x)",
            "(String x) -> f(x)",
            "(def x) -> g(x)",
        ];
        for receiver in receivers {
            for view in views {
                for pred in preds {
                    let source = format!("{functions}def log = []; def m = {receiver}; ctx.r = m{view}.removeIf({pred}); ctx.after = m; ctx.log = log;");
                    let general = outcome(&source, &doc, true);
                    assert!(general.is_some(), "{source}");
                    assert_eq!(general, outcome(&source, &doc, false), "{source}");
                }
            }
        }
    }

    /// Generated functions testing their parameter (with `&&`, `||`, `!`,
    /// `?:`, `if`/`else`, returns, calls, recursion, loops, throws, effects)
    /// give, for arguments of every kind, called directly or as a
    /// `removeIf` predicate through a forwarding lambda, what the general
    /// body gives: values, errors and their positions, the document after.
    #[test]
    fn specialised_bodies_agree_with_the_general_body() {
        let doc = match Value::from_json_str(r#"{"m": {"a": "", "b": [null, "x", {}], "c": 1}, "l": ["", "y", null, 2, []], "s": "z", "e": "", "n": 3}"#).unwrap() {
            Value::Map(m) => m,
            _ => unreachable!(),
        };
        let mut gen = Gen(7);
        let (mut compared, mut compiled) = (0, 0);
        for round in 0..400 {
            let ret = ["def", "boolean", "Object", "int"][gen.next(4)];
            let body = gen.block(3);
            // Painless refuses a function with a path that returns nothing.
            let tail = format!(" return {};", gen.value());
            let functions = format!(
                "boolean g(def p) {{ return p instanceof List || p == null }} \
                 {ret} f(def p, def q, def log, int n) {{ {body}{tail} }} \
                 def h(def p) {{ def log = []; int n = 1; def q = null; {body}{tail} }} "
            );
            let args: Vec<&str> = (0..6).map(|_| gen.pick(ARGS)).collect();
            let mains = [
                format!("def log = []; ctx.r = f({}, {}, log, {}); ctx.log = log;", args[0], args[1], gen.next(3)),
                format!("ctx.l.removeIf(x -> h(x)); ctx.m.values().removeIf(x -> h(x)); def l = [{}]; l.removeIf(x -> h(x)); ctx.out = l;", args.join(", ")),
            ];
            for main in mains {
                let source = format!("{functions}{main}");
                let general = outcome(&source, &doc, true);
                let specialised = outcome(&source, &doc, false);
                assert_eq!(general, specialised, "round {round}: {source}");
                compared += 1;
                compiled += general.is_some() as usize;
            }
        }
        assert!(compiled * 2 > compared, "only {compiled} of {compared} generated scripts compiled");
    }
}
