//! The compile pass: the resolved tree of the main body, of every script
//! function and of every lambda becomes a tree of closures, once per
//! script, so that what a tree walker would decide at every visit of a
//! node (its kind, its variable slots, its literal values, the class an
//! `instanceof` tests, a method bound at resolve time, the function a
//! lambda forwards to, the offset an error is located at, whether an
//! operand is tested in place) is decided here instead.
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
    /// The main body; a trailing expression statement returns its value.
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
    let main = c.main(&prog.body);
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
fn call_in_stack_frame<const N: usize>(body: Box<[Part]>, typed: Option<Box<[Type]>>, returns: Returns) -> Call {
    call(move |it, args| {
        let mut frame: [Val; N] = std::array::from_fn(|_| Val::Null);
        match &typed {
            None => {
                for (slot, a) in frame.iter_mut().zip(args.iter_mut()) {
                    std::mem::swap(slot, a);
                }
            }
            Some(types) => {
                for ((slot, a), ty) in frame.iter_mut().zip(args.iter_mut()).zip(types.iter()) {
                    *slot = interp::coerce(ty, std::mem::replace(a, Val::Null), false)?;
                }
            }
        }
        let step = it.deeper(|it| run(&body, it, &mut frame));
        // Nulls and numbers, the usual slots, are dropped without drop glue,
        // and the frame, all nulls then, without its own.
        for slot in &mut frame {
            std::mem::replace(slot, Val::Null).discard();
        }
        std::mem::forget(frame);
        returns.finish(it, step?)
    })
}

/// A function with a larger frame, taken from a returned call when there is one.
fn call_in_heap_frame(body: Box<[Part]>, params: Box<[Type]>, frame_size: usize, returns: Returns) -> Call {
    call(move |it, args| {
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
        let step = it.deeper(|it| run(&body, it, &mut frame));
        it.return_frame(frame);
        returns.finish(it, step?)
    })
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
}

impl Compiler {
    fn function(&mut self, func: &Function) -> Call {
        let body = self.parts(&func.body).into_boxed_slice();
        let params: Box<[Type]> = func.params.iter().map(|(ty, _)| ty.clone()).collect();
        let typed = if params.iter().all(takes_any) { None } else { Some(params.clone()) };
        let returns = Returns::of(&func.ret);
        match func.frame_size.max(params.len()) {
            0 => call_in_stack_frame::<0>(body, typed, returns),
            1 => call_in_stack_frame::<1>(body, typed, returns),
            2 => call_in_stack_frame::<2>(body, typed, returns),
            3 => call_in_stack_frame::<3>(body, typed, returns),
            4 => call_in_stack_frame::<4>(body, typed, returns),
            size => call_in_heap_frame(body, params, size, returns),
        }
    }

    fn lambda(&mut self, l: &Lambda) -> usize {
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

    /// The main body: a trailing expression statement is the script's result.
    fn main(&mut self, body: &[Stmt]) -> Exec {
        match body.split_last() {
            Some((Stmt { kind: StmtKind::Expr(e), .. }, rest)) => {
                let mut parts = self.parts(rest);
                parts.push(Part::Return(self.expr(e)));
                block(parts)
            }
            _ => self.block(body),
        }
    }

    fn block(&mut self, stmts: &[Stmt]) -> Exec {
        block(self.parts(stmts))
    }

    /// Statements as the parts of a block; a nested block's statements
    /// become parts of the enclosing one.
    fn parts(&mut self, stmts: &[Stmt]) -> Vec<Part> {
        let mut parts = Vec::with_capacity(stmts.len());
        for s in stmts {
            self.add_part(s, &mut parts);
        }
        parts
    }

    fn add_part(&mut self, s: &Stmt, parts: &mut Vec<Part>) {
        match &s.kind {
            StmtKind::Block(b) => {
                for s in b {
                    self.add_part(s, parts);
                }
            }
            StmtKind::If(c, a, b) => {
                let c = self.test(c, c.span.start);
                let then = self.parts(std::slice::from_ref(&**a)).into_boxed_slice();
                let otherwise = b.as_deref().map(|b| self.parts(std::slice::from_ref(b)).into_boxed_slice());
                parts.push(Part::If(c, then, otherwise));
            }
            StmtKind::Return(None) => parts.push(Part::ReturnConst(Const::Null)),
            StmtKind::Return(Some(e)) => parts.push(match self.constant(e) {
                Some(c) => Part::ReturnConst(c),
                None => Part::Return(self.expr(e)),
            }),
            StmtKind::Expr(e) => parts.push(Part::Expr(self.expr(e))),
            _ => parts.push(Part::Other(self.stmt(s))),
        }
    }

    fn optional(&mut self, s: &Option<Box<Stmt>>) -> Option<Exec> {
        s.as_deref().map(|s| self.stmt(s))
    }

    fn stmt(&mut self, s: &Stmt) -> Exec {
        let span = s.span;
        match &s.kind {
            StmtKind::Expr(_) | StmtKind::If(..) | StmtKind::Block(_) | StmtKind::Return(_) => {
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
            | ExprKind::InstanceOf(..) => {
                let t = self.test(e, at);
                eval(move |it, f| Ok(Val::Bool(t.holds(it, f)?)))
            }
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
                        Some(op) => interp::binary(op, f[slot].clone(), rhs).and_then(|v| interp::coerce(&ty, v, true)),
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
                            interp::binary(op, old, rhs).map_err(|x| x.at(at))?
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
                            interp::binary(op, old, rhs).map_err(|x| x.at(at))?
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
                    let new = interp::binary(BinOp::Add, old.clone(), Val::Int(one)).and_then(|v| interp::coerce(&ty, v, true)).map_err(|x| x.at(at))?;
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
                    let new = interp::binary(BinOp::Add, old.clone(), Val::Int(one)).map_err(|x| x.at(at))?;
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
                    let new = interp::binary(BinOp::Add, old.clone(), Val::Int(one)).map_err(|x| x.at(at))?;
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
        self.cond_tree(e, unbox_at).into_cond()
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
            (ExprKind::Local(v), Type::Class(class)) => CondTree::Leaf(Leaf::Instance { slot: v.slot, class: class.clone() }),
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
            (ExprKind::Local(x), _, _, Some(Const::Null)) if matches!(op, BinOp::Eq | BinOp::Ne) => CondTree::Leaf(Leaf::Null { slot: x.slot, is_null: op == BinOp::Eq }),
            // `x == 'text'`: whatever the operator, only a string of that text is equal.
            (ExprKind::Local(x), _, _, Some(Const::Str(text))) => {
                CondTree::Leaf(Leaf::EqualsText { slot: x.slot, text, equal: matches!(op, BinOp::Eq | BinOp::RefEq) })
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
    Leaf(Leaf),
    And(Box<CondTree>, Box<CondTree>),
    Or(Box<CondTree>, Box<CondTree>),
    Not(Box<CondTree>),
}

impl CondTree {
    fn other(t: Test) -> CondTree {
        CondTree::Leaf(Leaf::Other(t))
    }

    fn into_cond(self) -> Cond {
        match self {
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
            CondTree::Leaf(_) => 1,
            CondTree::And(a, b) | CondTree::Or(a, b) => a.leaves() + b.leaves(),
            CondTree::Not(x) => x.leaves(),
        }
    }

    /// Appends the branches of this condition, whose answers lead to
    /// `if_true` and `if_false`; its tests run in source order.
    fn emit(self, if_true: u32, if_false: u32, out: &mut Vec<Branch>) {
        match self {
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
