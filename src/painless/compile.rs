//! The compile pass: the resolved tree of the main body and of every script
//! function becomes a tree of closures, once per script, so that what the
//! tree walker decides at every visit of a node (its kind, its variable
//! slots, its literal values, the class an `instanceof` tests, a method
//! bound at resolve time, the offset an error is located at, whether an
//! operand is tested in place) is decided here instead.
//!
//! Closures run with the [`Interp`] as runtime state (loop budget, call
//! depth, frames) and the library behind it unchanged. They capture no
//! borrowed data: string constants, and the nodes left to the walker, are
//! kept in [`Code`] and reached through the interpreter's `&'a Program`.
//!
//! Left to the tree walker, as whole subtrees: lambdas and method
//! references (a lambda's body runs on the walker; a lambda that only
//! forwards to a script function calls the function's compiled body),
//! constructions (`new`, list, map and array initialisers, regexes),
//! static members, `[]`, assignments to fields and indices, `for`-each,
//! `throw` and `try`.

use super::ast::*;
use super::interp::{self, Flow, Interp};
use super::lib::{self, collections::BoundMethod};
use super::val::*;
use super::Exc;
use std::sync::Arc;

type R<T> = Result<T, Exc>;

/// A statement: its control flow.
pub type Exec = Box<dyn for<'a> Fn(&mut Interp<'a>, &mut [Val<'a>]) -> R<Flow<'a>> + Send + Sync>;
/// An expression: its value.
pub type Eval = Box<dyn for<'a> Fn(&mut Interp<'a>, &mut [Val<'a>]) -> R<Val<'a>> + Send + Sync>;
/// An expression used as a condition: its boolean, unboxed.
pub type Test = Box<dyn for<'a> Fn(&mut Interp<'a>, &mut [Val<'a>]) -> R<bool> + Send + Sync>;

fn exec(f: impl for<'a> Fn(&mut Interp<'a>, &mut [Val<'a>]) -> R<Flow<'a>> + Send + Sync + 'static) -> Exec {
    Box::new(f)
}
fn eval(f: impl for<'a> Fn(&mut Interp<'a>, &mut [Val<'a>]) -> R<Val<'a>> + Send + Sync + 'static) -> Eval {
    Box::new(f)
}
fn test(f: impl for<'a> Fn(&mut Interp<'a>, &mut [Val<'a>]) -> R<bool> + Send + Sync + 'static) -> Test {
    Box::new(f)
}

/// A program's compiled code, and what it reaches by index.
pub struct Code {
    /// The main body; a trailing expression statement returns its value.
    pub main: Exec,
    /// Script functions, by the index calls name them by.
    pub functions: Vec<FunctionCode>,
    /// String constants and field names, borrowed from here by the values.
    strings: Vec<Arc<str>>,
    /// Expressions and statements run by the tree walker.
    exprs: Vec<Expr>,
    stmts: Vec<Stmt>,
}

/// The code of an empty program, which a program has until it is compiled.
impl Default for Code {
    fn default() -> Code {
        Code { main: sequence(Vec::new()), functions: Vec::new(), strings: Vec::new(), exprs: Vec::new(), stmts: Vec::new() }
    }
}

impl std::fmt::Debug for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Code").field("functions", &self.functions.len()).finish_non_exhaustive()
    }
}

pub struct FunctionCode {
    pub body: Exec,
    /// Declared `void`: whatever it returns is dropped.
    pub returns_void: bool,
}

/// Compiles a resolved program.
pub fn compile(prog: &Program) -> Code {
    let mut c = Compiler::default();
    let functions = prog
        .functions
        .iter()
        .map(|f| FunctionCode { body: c.block(&f.body), returns_void: matches!(&f.ret, Type::Class(c) if c.name == "void") })
        .collect();
    let main = c.main(&prog.body);
    Code { main, functions, strings: c.strings, exprs: c.exprs, stmts: c.stmts }
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
    match args {
        [] => call(it, &mut []),
        [a] => {
            let mut values = [a(it, f)?];
            call(it, &mut values)
        }
        [a, b] => {
            let x = a(it, f)?;
            let mut values = [x, b(it, f)?];
            call(it, &mut values)
        }
        _ => {
            let mut values = Vec::with_capacity(args.len());
            for a in args {
                values.push(a(it, f)?);
            }
            call(it, &mut values)
        }
    }
}

#[derive(Default)]
struct Compiler {
    strings: Vec<Arc<str>>,
    exprs: Vec<Expr>,
    stmts: Vec<Stmt>,
}

impl Compiler {
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
                let mut code: Vec<Exec> = rest.iter().map(|s| self.stmt(s)).collect();
                let value = self.expr(e);
                code.push(exec(move |it, f| Ok(Flow::Return(value(it, f)?))));
                sequence(code)
            }
            _ => self.block(body),
        }
    }

    fn block(&mut self, stmts: &[Stmt]) -> Exec {
        let code = stmts.iter().map(|s| self.stmt(s)).collect();
        sequence(code)
    }

    fn optional(&mut self, s: &Option<Box<Stmt>>) -> Option<Exec> {
        s.as_deref().map(|s| self.stmt(s))
    }

    fn stmt(&mut self, s: &Stmt) -> Exec {
        let span = s.span;
        match &s.kind {
            StmtKind::Expr(e) => {
                let e = self.expr(e);
                exec(move |it, f| {
                    e(it, f)?.discard();
                    Ok(Flow::Normal)
                })
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
                    Ok(Flow::Normal)
                })
            }
            StmtKind::If(c, a, b) => {
                let c = self.test(c, c.span.start);
                let a = self.stmt(a);
                match self.optional(b) {
                    Some(b) => exec(move |it, f| if c(it, f)? { a(it, f) } else { b(it, f) }),
                    None => exec(move |it, f| if c(it, f)? { a(it, f) } else { Ok(Flow::Normal) }),
                }
            }
            StmtKind::While(c, body) => {
                let c = self.test(c, c.span.start);
                let body = self.optional(body);
                exec(move |it, f| {
                    loop {
                        it.tick(span)?;
                        if !c(it, f)? {
                            break;
                        }
                        if let Some(body) = &body {
                            match body(it, f)? {
                                Flow::Break => break,
                                Flow::Return(v) => return Ok(Flow::Return(v)),
                                _ => {}
                            }
                        }
                    }
                    Ok(Flow::Normal)
                })
            }
            StmtKind::DoWhile(body, c) => {
                let body = self.stmt(body);
                let c = self.test(c, c.span.start);
                exec(move |it, f| {
                    loop {
                        it.tick(span)?;
                        match body(it, f)? {
                            Flow::Break => break,
                            Flow::Return(v) => return Ok(Flow::Return(v)),
                            _ => {}
                        }
                        if !c(it, f)? {
                            break;
                        }
                    }
                    Ok(Flow::Normal)
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
                            if !c(it, f)? {
                                break;
                            }
                        }
                        if let Some(body) = &body {
                            match body(it, f)? {
                                Flow::Break => break,
                                Flow::Return(v) => return Ok(Flow::Return(v)),
                                _ => {}
                            }
                        }
                        if let Some(a) = &after {
                            a(it, f)?;
                        }
                    }
                    Ok(Flow::Normal)
                })
            }
            StmtKind::Block(b) => self.block(b),
            StmtKind::Break => exec(|_, _| Ok(Flow::Break)),
            StmtKind::Continue => exec(|_, _| Ok(Flow::Continue)),
            StmtKind::Return(None) => exec(|_, _| Ok(Flow::Return(Val::Null))),
            StmtKind::Return(Some(e)) => {
                let e = self.expr(e);
                exec(move |it, f| Ok(Flow::Return(e(it, f)?)))
            }
            StmtKind::ForEach { .. } | StmtKind::Throw(_) | StmtKind::Try(..) => {
                self.stmts.push(s.clone());
                let index = self.stmts.len() - 1;
                exec(move |it, f| {
                    let prog = it.program();
                    it.exec(&prog.code.stmts[index], f)
                })
            }
        }
    }

    /// An expression left to the tree walker.
    fn walked(&mut self, e: &Expr) -> Eval {
        self.exprs.push(e.clone());
        let index = self.exprs.len() - 1;
        eval(move |it, f| {
            let prog = it.program();
            it.eval(&prog.code.exprs[index], f)
        })
    }

    fn args(&mut self, args: &[Expr]) -> Box<[Eval]> {
        args.iter().map(|a| self.expr(a)).collect()
    }

    /// An expression; a failure is located at the innermost node that has
    /// no location yet, as the walker's `eval` locates it.
    fn expr(&mut self, e: &Expr) -> Eval {
        let at = e.span.start;
        if let Some(c) = self.constant(e) {
            return match c {
                Const::Null => eval(|_, _| Ok(Val::Null)),
                Const::Bool(b) => eval(move |_, _| Ok(Val::Bool(b))),
                c => eval(move |it, _| Ok(c.val(it))),
            };
        }
        match &e.kind {
            ExprKind::Local(v) => {
                let slot = v.slot;
                eval(move |_, f| Ok(f[slot].clone()))
            }
            ExprKind::Field { obj, name, null_safe } if !matches!(obj.kind, ExprKind::Class(_)) => {
                let obj = self.expr(obj);
                let name = self.string(name);
                let null_safe = *null_safe;
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
            ExprKind::Call { obj, name, args, null_safe, bound } if !matches!(obj.kind, ExprKind::Class(_) | ExprKind::ListInit(_)) => {
                self.method_call(at, obj, name, args, *null_safe, *bound)
            }
            ExprKind::LocalCall { index, args, .. } => {
                let index = *index;
                let args = self.args(args);
                eval(move |it, f| with_args(it, f, &args, |it, args| it.call_function(index, args)).map_err(|x| x.at(at)))
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
                eval(move |it, f| Ok(Val::Bool(t(it, f)?)))
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
                eval(move |it, f| if c(it, f)? { a(it, f) } else { b(it, f) })
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
            ExprKind::Assign { target, op, value } if matches!(target.kind, ExprKind::Local(_)) => {
                let ExprKind::Local(var) = &target.kind else { unreachable!("matched as a local") };
                let (slot, ty, op) = (var.slot, var.ty.clone(), *op);
                let value = self.expr(value);
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
            ExprKind::IncDec { target, pre, delta } if matches!(target.kind, ExprKind::Local(_)) => {
                let ExprKind::Local(var) = &target.kind else { unreachable!("matched as a local") };
                let (slot, ty, pre, delta) = (var.slot, var.ty.clone(), *pre, *delta);
                eval(move |_, f| {
                    let old = f[slot].clone();
                    let new = interp::binary(BinOp::Add, old.clone(), Val::Int(delta as i32))
                        .and_then(|v| interp::coerce(&ty, v, true))
                        .map_err(|x| x.at(at))?;
                    f[slot] = new.clone();
                    Ok(if pre { new } else { old })
                })
            }
            _ => self.walked(e),
        }
    }

    /// `obj.name(args)` on a value: a method bound at resolve time is
    /// answered by the collections first, any other by name.
    fn method_call(&mut self, at: u32, obj: &Expr, name: &str, args: &[Expr], null_safe: bool, bound: Option<BoundMethod>) -> Eval {
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

    /// `e` as a boolean; a value that is not one fails at `unbox_at`. The
    /// operators that always give a boolean answer without one built and
    /// unboxed, and a variable is tested where it is.
    fn test(&mut self, e: &Expr, unbox_at: u32) -> Test {
        match &e.kind {
            ExprKind::And(a, b) => {
                let (a, b) = (self.test(a, a.span.start), self.test(b, b.span.start));
                test(move |it, f| Ok(a(it, f)? && b(it, f)?))
            }
            ExprKind::Or(a, b) => {
                let (a, b) = (self.test(a, a.span.start), self.test(b, b.span.start));
                test(move |it, f| Ok(a(it, f)? || b(it, f)?))
            }
            // `!x` unboxes `x` as the `!` node, where Painless fails.
            ExprKind::Unary(UnOp::Not, x) => {
                let x = self.test(x, e.span.start);
                test(move |it, f| Ok(!x(it, f)?))
            }
            ExprKind::InstanceOf(x, ty) => self.instance_of(x, ty),
            ExprKind::Binary(op @ (BinOp::Eq | BinOp::Ne | BinOp::RefEq | BinOp::RefNe), a, b) => self.equality(*op, a, b),
            _ => {
                let v = self.expr(e);
                test(move |it, f| {
                    let v = v(it, f)?;
                    if let Val::Bool(b) = v {
                        return Ok(b);
                    }
                    interp::to_boolean(&v).map_err(|x| x.at(unbox_at))
                })
            }
        }
    }

    fn instance_of(&mut self, x: &Expr, ty: &Type) -> Test {
        match (&x.kind, ty) {
            (ExprKind::Local(v), Type::Class(class)) => {
                let (slot, class) = (v.slot, (**class).clone());
                test(move |_, f| Ok(lib::is_instance(&f[slot], &class)))
            }
            (ExprKind::Local(v), _) => {
                let (slot, ty) = (v.slot, ty.clone());
                test(move |_, f| Ok(interp::instance_of(&f[slot], &ty)))
            }
            _ => {
                let x = self.expr(x);
                let ty = ty.clone();
                test(move |it, f| {
                    let v = x(it, f)?;
                    let is = interp::instance_of(&v, &ty);
                    v.discard();
                    Ok(is)
                })
            }
        }
    }

    /// `a == b`, `a != b`, `a === b`, `a !== b`, which never fail; a
    /// variable compared with a variable or a constant where it is.
    fn equality(&mut self, op: BinOp, a: &Expr, b: &Expr) -> Test {
        let (ca, cb) = (self.constant(a), self.constant(b));
        match (&a.kind, &b.kind, ca, cb) {
            (ExprKind::Local(x), ExprKind::Local(y), ..) => {
                let (x, y) = (x.slot, y.slot);
                test(move |_, f| Ok(interp::equality(op, &f[x], &f[y])))
            }
            // `x == null`: null equals only null, whatever `x` is.
            (ExprKind::Local(x), _, _, Some(Const::Null)) if matches!(op, BinOp::Eq | BinOp::Ne) => {
                let (x, eq) = (x.slot, op == BinOp::Eq);
                test(move |_, f| Ok(f[x].is_null() == eq))
            }
            (ExprKind::Local(x), _, _, Some(c)) => {
                let x = x.slot;
                test(move |it, f| {
                    let c = c.val(it);
                    let result = interp::equality(op, &f[x], &c);
                    c.discard();
                    Ok(result)
                })
            }
            (_, ExprKind::Local(y), Some(c), _) => {
                let y = y.slot;
                test(move |it, f| {
                    let c = c.val(it);
                    let result = interp::equality(op, &c, &f[y]);
                    c.discard();
                    Ok(result)
                })
            }
            _ => {
                let (a, b) = (self.expr(a), self.expr(b));
                test(move |it, f| {
                    let x = a(it, f)?;
                    let y = b(it, f)?;
                    let result = interp::equality(op, &x, &y);
                    x.discard();
                    y.discard();
                    Ok(result)
                })
            }
        }
    }
}

/// Statements run one after the other until one leaves the block.
fn sequence(mut code: Vec<Exec>) -> Exec {
    if code.len() == 1 {
        if let Some(only) = code.pop() {
            return only;
        }
    }
    let code = code.into_boxed_slice();
    exec(move |it, f| {
        for s in code.iter() {
            match s(it, f)? {
                Flow::Normal => {}
                flow => return Ok(flow),
            }
        }
        Ok(Flow::Normal)
    })
}
