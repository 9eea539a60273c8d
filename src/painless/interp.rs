//! Tree-walking interpreter over the resolved AST.
//!
//! Java semantics that matter to pipelines are kept: numeric promotion with
//! 32-bit overflow, integer division, `==` as `equals` with numeric
//! comparison across box types, string concatenation with Java `toString`,
//! and the loop counter limit of 1,000,000 iterations.

use super::ast::*;
use super::lib::{self, Obj};
use super::resolve::{CTX_SLOT, PARAMS_SLOT};
use super::val::*;
use super::{Exc, ExcData};
use std::cell::RefCell;
use std::rc::Rc;

const MAX_LOOP_ITERATIONS: u32 = 1_000_000;
const MAX_CALL_DEPTH: usize = 64;
/// Frames of up to this many slots live on the Rust stack.
const SMALL_FRAME: usize = 4;
/// Larger arrays would exhaust memory here long before they would in a JVM heap.
const MAX_ARRAY_ELEMENTS: usize = Exc::MAX_ELEMENTS;

pub struct Interp<'a> {
    prog: &'a Program,
    /// Conditions may not change the document.
    pub read_only: bool,
    budget: u32,
    depth: usize,
    /// Frames of returned calls, kept for the next call so that a call
    /// allocates only when it goes deeper than any call before it.
    spare_frames: Vec<Vec<Val<'a>>>,
    /// The last field looked up by hash in a borrowed document map, which
    /// cannot change while borrowed: conditions read the same field again
    /// and again (`ctx.a?.b != null && ctx.a.b ...`).
    last_doc_field: Option<(*const crate::value::Map, &'a str, Option<&'a crate::value::Value>)>,
}

pub enum Flow<'a> {
    Normal,
    Break,
    Continue,
    Return(Val<'a>),
}

type R<T> = Result<T, Exc>;

pub fn null_access(name: &str) -> Exc {
    Exc::npe(format!("cannot access method/field [{name}] from a null def reference"))
}

/// Unboxing a `def` into `boolean`.
pub fn to_boolean(v: &Val<'_>) -> R<bool> {
    match v {
        Val::Bool(b) => Ok(*b),
        Val::Null => Err(Exc::npe("Cannot invoke \"Object.getClass()\" because \"value\" is null")),
        other => Err(Exc::class_cast(format!("cannot cast def [{}] to boolean", other.unboxed_name()))),
    }
}

impl<'a> Interp<'a> {
    pub fn new(prog: &'a Program, read_only: bool) -> Interp<'a> {
        Interp { prog, read_only, budget: MAX_LOOP_ITERATIONS, depth: 0, spare_frames: Vec::new(), last_doc_field: None }
    }

    /// Runs the main body; the value of a trailing expression statement is
    /// the script's result, as Painless returns it implicitly.
    pub fn run(&mut self, ctx: Val<'a>, params: Val<'a>) -> R<Val<'a>> {
        // Conditions rarely need more than ctx and params: keep those on the stack.
        let size = self.prog.frame_size.max(2);
        if size == 2 {
            let mut frame = [Val::Null, Val::Null];
            frame[CTX_SLOT] = ctx;
            frame[PARAMS_SLOT] = params;
            return self.run_body(&mut frame);
        }
        let mut small: [Val<'a>; 8] = std::array::from_fn(|_| Val::Null);
        let mut large = Vec::new();
        let frame: &mut [Val<'a>] = if size <= small.len() {
            &mut small[..size]
        } else {
            large.resize(size, Val::Null);
            &mut large
        };
        frame[CTX_SLOT] = ctx;
        frame[PARAMS_SLOT] = params;
        self.run_body(frame)
    }

    /// Runs the compiled main body; a trailing expression statement
    /// returns its value.
    fn run_body(&mut self, frame: &mut [Val<'a>]) -> R<Val<'a>> {
        let prog = self.prog;
        match (prog.code.main)(self, frame)? {
            Flow::Return(v) => Ok(v),
            Flow::Normal | Flow::Break | Flow::Continue => Ok(Val::Null),
        }
    }

    /// The program this interpreter runs, for its compiled code.
    #[inline(always)]
    pub fn program(&self) -> &'a Program {
        self.prog
    }

    pub(super) fn tick(&mut self, at: Span) -> R<()> {
        if self.budget == 0 {
            return Err(Exc::painless_error("The maximum number of statements that can be executed in a loop has been reached.").at(at.start));
        }
        self.budget -= 1;
        Ok(())
    }

    fn truthy(&mut self, e: &'a Expr, f: &mut [Val<'a>]) -> R<bool> {
        self.condition(e, f, e.span.start)
    }

    /// `e` as a boolean, a value that is not one failing at `unbox_at`. The
    /// operators that always give a boolean are answered here, without a
    /// `Val::Bool` built and unboxed for each node of a condition.
    fn condition(&mut self, mut e: &'a Expr, f: &mut [Val<'a>], mut unbox_at: u32) -> R<bool> {
        // The right operand of `&&` and `||` is the rest of the condition:
        // this loop goes on with it rather than calling itself for it.
        loop {
            match &e.kind {
                ExprKind::And(a, b) => {
                    if !self.operand(a, f)? {
                        return Ok(false);
                    }
                    (e, unbox_at) = (b, b.span.start);
                }
                ExprKind::Or(a, b) => {
                    if self.operand(a, f)? {
                        return Ok(true);
                    }
                    (e, unbox_at) = (b, b.span.start);
                }
                // `!x` unboxes `x` as the `!` node, where Painless fails.
                ExprKind::Unary(UnOp::Not, x) => return Ok(!self.condition(x, f, e.span.start)?),
                ExprKind::InstanceOf(x, ty) => return self.instance_of(x, ty, f),
                ExprKind::Binary(op @ (BinOp::Eq | BinOp::Ne | BinOp::RefEq | BinOp::RefNe), a, b) => return self.equality(*op, a, b, f),
                _ => {
                    // Booleans, nearly every condition's value, need neither a call nor a drop.
                    let v = self.eval(e, f)?;
                    if let Val::Bool(b) = v {
                        v.discard();
                        return Ok(b);
                    }
                    return to_boolean(&v).map_err(|x| x.at(unbox_at));
                }
            }
        }
    }

    /// An operand of `&&` or `||`, or the condition of an `if`. A
    /// variable's `instanceof` test and its comparison with a variable or a
    /// constant, the usual ones, are answered here without a call;
    /// everything else as a condition.
    #[inline(always)]
    fn operand(&mut self, e: &'a Expr, f: &mut [Val<'a>]) -> R<bool> {
        match &e.kind {
            ExprKind::InstanceOf(x, ty) => {
                if let ExprKind::Local(v) = &x.kind {
                    return Ok(instance_of(&f[v.slot], ty));
                }
            }
            ExprKind::Binary(op @ (BinOp::Eq | BinOp::Ne | BinOp::RefEq | BinOp::RefNe), a, b) => {
                if let Some(result) = equality_in_place(*op, a, b, f) {
                    return Ok(result);
                }
            }
            _ => {}
        }
        self.truthy(e, f)
    }

    /// `x instanceof T`; a variable is tested where it is, without a copy.
    #[inline(always)]
    fn instance_of(&mut self, x: &'a Expr, ty: &Type, f: &mut [Val<'a>]) -> R<bool> {
        if let ExprKind::Local(v) = &x.kind {
            return Ok(instance_of(&f[v.slot], ty));
        }
        let v = self.eval(x, f)?;
        let is = instance_of(&v, ty);
        v.discard();
        Ok(is)
    }

    /// `a == b`, `a != b`, `a === b`, `a !== b`, which never fail.
    #[inline(always)]
    fn equality(&mut self, op: BinOp, a: &'a Expr, b: &'a Expr, f: &mut [Val<'a>]) -> R<bool> {
        if let Some(result) = equality_in_place(op, a, b, f) {
            return Ok(result);
        }
        let x = self.eval(a, f)?;
        let y = self.eval(b, f)?;
        let result = equality(op, &x, &y);
        x.discard();
        y.discard();
        Ok(result)
    }

    fn exec_body(&mut self, body: &'a Option<Box<Stmt>>, f: &mut [Val<'a>]) -> R<Flow<'a>> {
        match body {
            Some(b) => self.exec(b, f),
            None => Ok(Flow::Normal),
        }
    }

    pub fn exec_block(&mut self, stmts: &'a [Stmt], f: &mut [Val<'a>]) -> R<Flow<'a>> {
        for s in stmts {
            // `if`, `return` and expression statements, most of what a
            // function runs, without a call to `exec` for each.
            let flow = match &s.kind {
                StmtKind::If(c, a, b) => match self.branch(c, a, b, f)? {
                    Some(branch) => self.exec_branch(branch, f)?,
                    None => Flow::Normal,
                },
                StmtKind::Return(Some(e)) => return Ok(Flow::Return(self.eval(e, f)?)),
                StmtKind::Expr(e) => {
                    self.eval(e, f)?.discard();
                    Flow::Normal
                }
                _ => self.exec(s, f)?,
            };
            if !matches!(flow, Flow::Normal) {
                return Ok(flow);
            }
        }
        Ok(Flow::Normal)
    }

    /// The branch an `if` takes, if any; its condition as an operand, so
    /// that a variable's test is answered without a call.
    #[inline(always)]
    fn branch(&mut self, c: &'a Expr, a: &'a Stmt, b: &'a Option<Box<Stmt>>, f: &mut [Val<'a>]) -> R<Option<&'a Stmt>> {
        Ok(if self.operand(c, f)? { Some(a) } else { b.as_deref() })
    }

    /// Runs the branch an `if` took: a braced one, the usual one, without
    /// a call for the braces.
    fn exec_branch(&mut self, branch: &'a Stmt, f: &mut [Val<'a>]) -> R<Flow<'a>> {
        match &branch.kind {
            StmtKind::Block(stmts) => self.exec_block(stmts, f),
            _ => self.exec(branch, f),
        }
    }

    pub(super) fn exec(&mut self, s: &'a Stmt, f: &mut [Val<'a>]) -> R<Flow<'a>> {
        match &s.kind {
            StmtKind::Expr(e) => {
                self.eval(e, f)?;
            }
            StmtKind::Decl(ty, vars) => {
                for v in vars {
                    let value = match &v.init {
                        Some(init) => {
                            let x = self.eval(init, f)?;
                            coerce(ty, x, false).map_err(|e| e.at(init.span.start))?
                        }
                        None => default_value(ty),
                    };
                    f[v.var.slot] = value;
                }
            }
            StmtKind::If(c, a, b) => {
                return match self.branch(c, a, b, f)? {
                    Some(branch) => self.exec_branch(branch, f),
                    None => Ok(Flow::Normal),
                };
            }
            StmtKind::While(c, body) => loop {
                self.tick(s.span)?;
                if !self.truthy(c, f)? {
                    break;
                }
                match self.exec_body(body, f)? {
                    Flow::Break => break,
                    Flow::Return(v) => return Ok(Flow::Return(v)),
                    _ => {}
                }
            },
            StmtKind::DoWhile(body, c) => loop {
                self.tick(s.span)?;
                match self.exec(body, f)? {
                    Flow::Break => break,
                    Flow::Return(v) => return Ok(Flow::Return(v)),
                    _ => {}
                }
                if !self.truthy(c, f)? {
                    break;
                }
            },
            StmtKind::For { init, cond, after, body } => {
                if let Some(i) = init {
                    self.exec(i, f)?;
                }
                loop {
                    self.tick(s.span)?;
                    if let Some(c) = cond {
                        if !self.truthy(c, f)? {
                            break;
                        }
                    }
                    match self.exec_body(body, f)? {
                        Flow::Break => break,
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        _ => {}
                    }
                    if let Some(a) = after {
                        self.eval(a, f)?;
                    }
                }
            }
            StmtKind::ForEach { ty, var, iter, body } => {
                let coll = self.eval(iter, f)?;
                let items = match &coll {
                    Val::Null => return Err(null_access("iterator").at(iter.span.start)),
                    other => iter_items(other)
                        .ok_or_else(|| Exc::illegal_arg(format!("Cannot iterate over [{}]", other.class_name())).at(iter.span.start))?,
                };
                for item in items {
                    self.tick(s.span)?;
                    f[var.slot] = coerce(ty, item, false).map_err(|e| e.at(s.span.start))?;
                    match self.exec(body, f)? {
                        Flow::Break => break,
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        _ => {}
                    }
                }
            }
            StmtKind::Block(b) => return self.exec_block(b, f),
            StmtKind::Break => return Ok(Flow::Break),
            StmtKind::Continue => return Ok(Flow::Continue),
            StmtKind::Return(None) => return Ok(Flow::Return(Val::Null)),
            StmtKind::Return(Some(e)) => return Ok(Flow::Return(self.eval(e, f)?)),
            StmtKind::Throw(e) => {
                let v = self.eval(e, f)?;
                return Err(match &v {
                    Val::Obj(o) => match &**o {
                        Obj::Exception { class, message } => Exc::from(ExcData { class, message: message.clone(), offset: Some(s.span.start), explain: None }),
                        _ => Exc::class_cast(format!("Cannot cast from [{}] to [java.lang.Throwable].", v.class_name())).at(s.span.start),
                    },
                    Val::Null => Exc::npe("Cannot throw exception because \"value\" is null").at(s.span.start),
                    _ => Exc::class_cast(format!("Cannot cast from [{}] to [java.lang.Throwable].", v.class_name())).at(s.span.start),
                });
            }
            StmtKind::Try(body, catches) => match self.exec(body, f) {
                Ok(flow) => return Ok(flow),
                Err(exc) => {
                    if exc.class == "PainlessError" || exc.class == "StackOverflowError" {
                        return Err(exc);
                    }
                    for c in catches {
                        if lib::exception_is_a(exc.class, &c.class) {
                            f[c.var.slot] = Val::Obj(Rc::new(Obj::Exception { class: exc.class, message: exc.message.clone() }));
                            return self.exec(&c.body, f);
                        }
                    }
                    return Err(exc);
                }
            },
        }
        Ok(Flow::Normal)
    }

    #[inline]
    pub fn eval(&mut self, e: &'a Expr, f: &mut [Val<'a>]) -> R<Val<'a>> {
        // Variables and constants, most of what a script evaluates, cannot
        // fail: answered here, they skip `eval_inner`'s large frame.
        match &e.kind {
            ExprKind::Local(v) => return Ok(f[v.slot].clone()),
            ExprKind::Null => return Ok(Val::Null),
            ExprKind::Bool(b) => return Ok(Val::Bool(*b)),
            ExprKind::Str(s) => return Ok(Val::Str(Str::Doc(s))),
            _ => {}
        }
        self.eval_inner(e, f).map_err(|x| x.at(e.span.start))
    }

    fn eval_args(&mut self, args: &'a [Expr], f: &mut [Val<'a>]) -> R<Vec<Val<'a>>> {
        let mut out = Vec::with_capacity(args.len());
        for a in args {
            out.push(self.eval(a, f)?);
        }
        Ok(out)
    }

    /// Evaluates call arguments left to right and hands them to `call`;
    /// the few arguments a call usually has stay on the stack.
    fn with_args<T>(&mut self, args: &'a [Expr], f: &mut [Val<'a>], call: impl FnOnce(&mut Self, &mut [Val<'a>]) -> R<T>) -> R<T> {
        match args {
            [] => call(self, &mut []),
            [a] => {
                let mut values = [self.eval(a, f)?];
                call(self, &mut values)
            }
            [a, b] => {
                let x = self.eval(a, f)?;
                let mut values = [x, self.eval(b, f)?];
                call(self, &mut values)
            }
            _ => {
                let mut values = self.eval_args(args, f)?;
                call(self, &mut values)
            }
        }
    }

    /// A frame of `size` null slots, from a returned call when there is one.
    fn take_frame(&mut self, size: usize) -> Vec<Val<'a>> {
        let mut frame = self.spare_frames.pop().unwrap_or_default();
        // Pushed one by one: `resize` would clone its null through `Val::clone`.
        frame.reserve(size);
        for _ in 0..size {
            frame.push(Val::Null);
        }
        frame
    }

    fn return_frame(&mut self, mut frame: Vec<Val<'a>>) {
        frame.clear();
        self.spare_frames.push(frame);
    }

    fn eval_inner(&mut self, e: &'a Expr, f: &mut [Val<'a>]) -> R<Val<'a>> {
        Ok(match &e.kind {
            ExprKind::Null
            | ExprKind::Bool(_)
            | ExprKind::Int(_)
            | ExprKind::Long(_)
            | ExprKind::Float(_)
            | ExprKind::Double(_)
            | ExprKind::Str(_) => literal(e).unwrap_or(Val::Null),
            ExprKind::Local(v) => f[v.slot].clone(),
            // Built values and errors: kept out of this hot function's frame.
            ExprKind::Regex(_)
            | ExprKind::Name(_)
            | ExprKind::Class(_)
            | ExprKind::ListInit(_)
            | ExprKind::MapInit(_)
            | ExprKind::New { .. }
            | ExprKind::NewArray { .. }
            | ExprKind::NewArrayInit { .. }
            | ExprKind::Lambda(_)
            | ExprKind::FuncRef(_) => return self.eval_construct(e, f),
            ExprKind::Field { obj, name, .. } => {
                if let ExprKind::Class(c) = &obj.kind {
                    return lib::static_field(c, name);
                }
                return self.field_chain(e, f);
            }
            ExprKind::Index { obj, index } => {
                let recv = self.eval(obj, f)?;
                let idx = self.eval(index, f)?;
                self.get_index(&recv, &idx)?
            }
            ExprKind::Call { obj, name, args, null_safe, bound } => {
                if let ExprKind::Class(c) = &obj.kind {
                    return self.with_args(args, f, |it, args| lib::call_static(it, c, name, args));
                }
                if let ExprKind::ListInit(items) = &obj.kind {
                    if let Some(v) = self.literal_list_contains(items, name, args, f)? {
                        return Ok(v);
                    }
                }
                let recv = self.eval(obj, f)?;
                if recv.is_null() {
                    if *null_safe {
                        return Ok(Val::Null);
                    }
                    return Err(null_access(name));
                }
                let result = self.with_args(args, f, |it, args| match bound.and_then(|method| lib::collections::call_bound(it, &recv, method, args)) {
                    Some(result) => result,
                    None => lib::call_method(it, &recv, name, args),
                });
                recv.discard();
                result?
            }
            ExprKind::LocalCall { index, args, .. } => self.with_args(args, f, |it, args| it.call_function(*index, args))?,
            ExprKind::Unary(op, x) => {
                let v = self.eval(x, f)?;
                unary(*op, v)?
            }
            ExprKind::Binary(op @ (BinOp::Eq | BinOp::Ne | BinOp::RefEq | BinOp::RefNe), a, b) => Val::Bool(self.equality(*op, a, b, f)?),
            ExprKind::Binary(op, a, b) => {
                let l = self.eval(a, f)?;
                let r = self.eval(b, f)?;
                binary(*op, l, r)?
            }
            ExprKind::And(a, b) => Val::Bool(self.truthy(a, f)? && self.truthy(b, f)?),
            ExprKind::Or(a, b) => Val::Bool(self.truthy(a, f)? || self.truthy(b, f)?),
            ExprKind::Cond(c, a, b) => {
                if self.truthy(c, f)? {
                    self.eval(a, f)?
                } else {
                    self.eval(b, f)?
                }
            }
            ExprKind::Elvis(a, b) => {
                let v = self.eval(a, f)?;
                if v.is_null() {
                    self.eval(b, f)?
                } else {
                    v
                }
            }
            ExprKind::InstanceOf(x, ty) => Val::Bool(self.instance_of(x, ty, f)?),
            ExprKind::Cast(ty, x) => {
                let v = self.eval(x, f)?;
                coerce(ty, v, true)?
            }
            ExprKind::Assign { target, op, value } => self.assign(target, *op, value, f)?,
            ExprKind::IncDec { target, pre, delta } => self.inc_dec(target, *pre, *delta, f)?,
        })
    }

    /// The expressions that build objects (or name nothing), rare in the
    /// per-document hot path.
    #[inline(never)]
    fn eval_construct(&mut self, e: &'a Expr, f: &mut [Val<'a>]) -> R<Val<'a>> {
        Ok(match &e.kind {
            ExprKind::Regex(r) => Val::Obj(Rc::new(Obj::Pattern(r.clone()))),
            ExprKind::Name(n) | ExprKind::Class(n) => return Err(Exc::illegal_arg(format!("cannot resolve symbol [{n}]"))),
            ExprKind::ListInit(items) => Val::new_list(self.eval_args(items, f)?),
            ExprKind::MapInit(entries) => {
                let mut m = JMap::new(MapKind::Hash);
                for (k, v) in entries {
                    let k = self.eval(k, f)?;
                    let v = self.eval(v, f)?;
                    m.insert(Key(k), v);
                }
                Val::new_map(m)
            }
            ExprKind::New { class, args } => self.with_args(args, f, |it, args| lib::construct(it, class, args))?,
            ExprKind::NewArray { elem, dims } => {
                let mut sizes = Vec::new();
                for d in dims {
                    let v = self.eval(d, f)?;
                    let n = as_index(&v).map_err(|x| x.at(d.span.start))?;
                    if n < 0 {
                        return Err(Exc::new("NegativeArraySizeException", n.to_string()).at(d.span.start));
                    }
                    sizes.push(n as usize);
                }
                if sizes.iter().try_fold(1usize, |acc, n| acc.checked_mul((*n).max(1))).is_none_or(|total| total > MAX_ARRAY_ELEMENTS) {
                    return Err(Exc::new("OutOfMemoryError", "Java heap space").at(e.span.start));
                }
                new_array(elem, &sizes)
            }
            ExprKind::NewArrayInit { elem, items } => {
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    let v = self.eval(i, f)?;
                    out.push(coerce(elem, v, false).map_err(|x| x.at(i.span.start))?);
                }
                Val::Array(Rc::new(RefCell::new(JArray { elem: elem.clone(), items: out })))
            }
            ExprKind::Lambda(l) => {
                let captured = l.captures.iter().map(|(outer, _)| f[*outer].clone()).collect();
                Val::Func(Rc::new(Closure::Lambda { lambda: l, captured }))
            }
            ExprKind::FuncRef(r) => Val::Func(Rc::new(match &**r {
                FuncRef::Method { class, method } => Closure::Method { class, method },
                FuncRef::Constructor { class } => Closure::Constructor(class),
                FuncRef::Local { index, .. } => Closure::Local(*index),
                FuncRef::Bound { receiver, method } => Closure::Bound { receiver: self.eval(receiver, f)?, method },
            })),
            _ => unreachable!("eval_inner sends only constructions here"),
        })
    }

    /// `a.b?.c.d`: the accesses of a field chain one after the other, as
    /// nested evaluation would do them (a null-safe step yields null and the
    /// next step goes on from it; a failing step is located at its own
    /// node), without one recursive evaluation per field.
    #[inline(never)]
    fn field_chain(&mut self, e: &'a Expr, f: &mut [Val<'a>]) -> R<Val<'a>> {
        const MAX_CHAIN: usize = 8;
        let mut chain: [&'a Expr; MAX_CHAIN] = [e; MAX_CHAIN];
        let mut len = 0;
        let mut base = e;
        while len < MAX_CHAIN {
            match &base.kind {
                ExprKind::Field { obj, .. } if !matches!(obj.kind, ExprKind::Class(_)) => {
                    chain[len] = base;
                    len += 1;
                    base = obj;
                }
                _ => break,
            }
        }
        let mut recv = self.eval(base, f)?;
        for node in chain[..len].iter().rev() {
            let ExprKind::Field { name, null_safe, .. } = &node.kind else { unreachable!("only fields are chained") };
            if *null_safe && recv.is_null() {
                continue;
            }
            let next = self.get_field(&recv, name).map_err(|x| x.at(node.span.start))?;
            std::mem::replace(&mut recv, next).discard();
        }
        Ok(recv)
    }

    /// `['a', 'b'].contains(x)` with constant elements (`items`): the fresh
    /// list is seen by nothing but `contains`, so the answer needs no list
    /// built. `None` for every other call on a list initialiser.
    fn literal_list_contains(&mut self, items: &'a [Expr], name: &str, args: &'a [Expr], f: &mut [Val<'a>]) -> R<Option<Val<'a>>> {
        if name != "contains" || args.len() != 1 || !items.iter().all(|i| literal(i).is_some()) {
            return Ok(None);
        }
        let x = self.eval(&args[0], f)?;
        // As `ArrayList.contains` through the general path compares them.
        Ok(Some(Val::Bool(items.iter().filter_map(literal).any(|item| item.java_equals(&x)))))
    }

    pub fn get_field(&mut self, recv: &Val<'a>, name: &'a str) -> R<Val<'a>> {
        match recv {
            Val::Null => Err(null_access(name)),
            // Painless tries the class's getters before the map shortcut: `isEmpty()` is `.empty`.
            Val::Map(m) if name == "empty" => Ok(Val::Bool(map_len(m) == 0)),
            Val::Map(MapRef::Doc(m)) => Ok(self.doc_field(m, name).map_or_else(|| Val::Null, Val::from_doc)),
            Val::Map(m) => Ok(map_get_str(m, name).unwrap_or_else(|| Val::Null)),
            Val::List(l) => match name {
                "length" => Ok(Val::Int(list_len(l) as i32)),
                "empty" => Ok(Val::Bool(list_len(l) == 0)),
                _ => match name.parse::<i32>() {
                    Ok(i) => list_get(l, i as usize).ok_or_else(|| Exc::index_oob(i as i64, list_len(l))),
                    Err(_) => Err(Exc::illegal_arg(format!("Illegal list shortcut value [{name}]."))),
                },
            },
            Val::Array(a) if name == "length" => Ok(Val::Int(a.borrow().items.len() as i32)),
            Val::Entry(e) if name == "key" => Ok(e.0.clone()),
            Val::Entry(e) if name == "value" => Ok(e.1.borrow().clone()),
            Val::Set(s) if name == "empty" => Ok(Val::Bool(s.borrow().is_empty())),
            Val::Str(s) if name == "empty" => Ok(Val::Bool(s.is_empty())),
            Val::View(m, _) if name == "empty" => Ok(Val::Bool(map_len(m) == 0)),
            Val::Obj(_) => {
                let cap = capitalize(name);
                for getter in [format!("get{cap}"), format!("is{cap}")] {
                    if lib::known_method(&getter, 0) {
                        return lib::call_method(self, recv, &getter, &[]);
                    }
                }
                Err(Exc::illegal_arg(format!("dynamic getter [{}, {name}] not found", recv.class_name())))
            }
            other => Err(Exc::illegal_arg(format!("dynamic getter [{}, {name}] not found", other.class_name()))),
        }
    }

    pub fn set_field(&mut self, recv: &Val<'a>, name: &str, value: Val<'a>) -> R<()> {
        let value = value.owned();
        match recv {
            Val::Null => Err(null_access(name)),
            Val::Map(MapRef::Own(m)) => {
                let mut m = m.borrow_mut();
                match m.get_mut(&StrKey(name)) {
                    Some(slot) => *slot = value,
                    None => {
                        m.insert(Key(Val::str(name)), value);
                    }
                }
                Ok(())
            }
            Val::Map(MapRef::Doc(_)) | Val::List(ListRef::Doc(_)) => Err(self.doc_mutation()),
            Val::List(ListRef::Own(l)) => match name.parse::<i32>() {
                Ok(i) => {
                    let mut l = l.borrow_mut();
                    let len = l.len();
                    match l.get_mut(i as usize) {
                        Some(slot) => {
                            *slot = value;
                            Ok(())
                        }
                        None => Err(Exc::index_oob(i as i64, len)),
                    }
                }
                Err(_) => Err(Exc::illegal_arg(format!("Illegal list shortcut value [{name}]."))),
            },
            Val::Entry(e) if name == "value" => {
                lib::collections::entry_set_value(self, e, value)?;
                Ok(())
            }
            other => Err(Exc::illegal_arg(format!("dynamic setter [{}, {name}] not found", other.class_name()))),
        }
    }

    /// The exception a write to a borrowed (read-only) document raises.
    pub fn doc_mutation(&self) -> Exc {
        if self.read_only {
            Exc::unsupported("Mutating ingest documents in conditionals is not supported")
        } else {
            Exc::bare("UnsupportedOperationException")
        }
    }

    pub fn get_index(&mut self, recv: &Val<'a>, idx: &Val<'a>) -> R<Val<'a>> {
        match recv {
            // `x[i]` on def first normalises the index through a call site of that name.
            Val::Null => Err(null_access("normalizeIndex")),
            Val::Map(m) => Ok(map_get(m, idx).unwrap_or_else(|| Val::Null)),
            Val::List(l) => {
                let len = list_len(l);
                let i = normalize_index(as_index(idx)?, len);
                if i < 0 || i as usize >= len {
                    return Err(Exc::index_oob(i, len));
                }
                Ok(list_get(l, i as usize).unwrap_or_else(|| Val::Null))
            }
            Val::Array(a) => {
                let a = a.borrow();
                let i = normalize_index(as_index(idx)?, a.items.len());
                a.items
                    .get(usize::try_from(i).unwrap_or(usize::MAX))
                    .cloned()
                    .ok_or_else(|| Exc::new("ArrayIndexOutOfBoundsException", format!("Index {i} out of bounds for length {}", a.items.len())))
            }
            other => Err(Exc::illegal_arg(format!("Attempting to address a non-array-like type [{}] as an array.", other.class_name()))),
        }
    }

    pub fn set_index(&mut self, recv: &Val<'a>, idx: Val<'a>, value: Val<'a>) -> R<()> {
        let value = value.owned();
        match recv {
            // `x[i]` on def first normalises the index through a call site of that name.
            Val::Null => Err(null_access("normalizeIndex")),
            Val::Map(MapRef::Own(m)) => {
                m.borrow_mut().insert(Key(idx), value);
                Ok(())
            }
            Val::Map(MapRef::Doc(_)) | Val::List(ListRef::Doc(_)) => Err(self.doc_mutation()),
            Val::List(ListRef::Own(l)) => {
                let mut l = l.borrow_mut();
                let len = l.len();
                let i = normalize_index(as_index(&idx)?, len);
                if i < 0 || i as usize >= len {
                    return Err(Exc::index_oob(i, len));
                }
                l[i as usize] = value;
                Ok(())
            }
            Val::Array(a) => {
                let mut a = a.borrow_mut();
                let len = a.items.len();
                let i = normalize_index(as_index(&idx)?, len);
                if i < 0 || i as usize >= len {
                    return Err(Exc::new("ArrayIndexOutOfBoundsException", format!("Index {i} out of bounds for length {len}")));
                }
                let elem = a.elem.clone();
                a.items[i as usize] = coerce(&elem, value, false)?;
                Ok(())
            }
            other => Err(Exc::illegal_arg(format!("Attempting to address a non-array-like type [{}] as an array.", other.class_name()))),
        }
    }

    fn assign(&mut self, target: &'a Expr, op: Option<BinOp>, value: &'a Expr, f: &mut [Val<'a>]) -> R<Val<'a>> {
        match &target.kind {
            ExprKind::Local(v) => {
                let rhs = self.eval(value, f)?;
                let new = match op {
                    None => coerce(&v.ty, rhs, false)?,
                    Some(op) => coerce(&v.ty, binary(op, f[v.slot].clone(), rhs)?, true)?,
                };
                f[v.slot] = new.clone();
                Ok(new)
            }
            ExprKind::Field { obj, name, .. } => {
                let recv = self.eval(obj, f)?;
                let rhs = self.eval(value, f)?;
                let new = match op {
                    None => rhs,
                    Some(op) => {
                        let old = self.get_field(&recv, name).map_err(|x| x.at(target.span.start))?;
                        compound_result(op, old, rhs)?
                    }
                };
                self.set_field(&recv, name, new.clone()).map_err(|x| x.at(target.span.start))?;
                Ok(new)
            }
            ExprKind::Index { obj, index } => {
                let recv = self.eval(obj, f)?;
                let idx = self.eval(index, f)?;
                let rhs = self.eval(value, f)?;
                let new = match op {
                    None => rhs,
                    Some(op) => {
                        let old = self.get_index(&recv, &idx).map_err(|x| x.at(target.span.start))?;
                        compound_result(op, old, rhs)?
                    }
                };
                self.set_index(&recv, idx, new.clone()).map_err(|x| x.at(target.span.start))?;
                Ok(new)
            }
            _ => Err(Exc::illegal_arg("invalid assignment target")),
        }
    }

    fn inc_dec(&mut self, target: &'a Expr, pre: bool, delta: i8, f: &mut [Val<'a>]) -> R<Val<'a>> {
        let one = Val::Int(delta as i32);
        match &target.kind {
            ExprKind::Local(v) => {
                let old = f[v.slot].clone();
                let new = coerce(&v.ty, compound_result(BinOp::Add, old.clone(), one)?, true)?;
                f[v.slot] = new.clone();
                Ok(if pre { new } else { old })
            }
            ExprKind::Field { obj, name, .. } => {
                let recv = self.eval(obj, f)?;
                let old = self.get_field(&recv, name)?;
                let new = compound_result(BinOp::Add, old.clone(), one)?;
                self.set_field(&recv, name, new.clone())?;
                Ok(if pre { new } else { old })
            }
            ExprKind::Index { obj, index } => {
                let recv = self.eval(obj, f)?;
                let idx = self.eval(index, f)?;
                let old = self.get_index(&recv, &idx)?;
                let new = compound_result(BinOp::Add, old.clone(), one)?;
                self.set_index(&recv, idx, new.clone())?;
                Ok(if pre { new } else { old })
            }
            _ => Err(Exc::illegal_arg("invalid increment target")),
        }
    }

    /// Calls a script function; `args` are taken (left null).
    pub fn call_function(&mut self, index: usize, args: &mut [Val<'a>]) -> R<Val<'a>> {
        let func = &self.prog.functions[index];
        if args.len() != func.params.len() {
            return Err(Exc::illegal_arg(format!("function [{}] expects {} arguments", func.name, func.params.len())));
        }
        if self.depth >= MAX_CALL_DEPTH {
            return Err(Exc::bare("StackOverflowError"));
        }
        // The parameters are the frame's first slots, converted, then the
        // locals' null slots. A function with few variables, as most are
        // (`boolean isEmpty(def v)`), keeps its frame on the stack; a larger
        // one takes the frame of a returned call if there is one.
        if func.frame_size <= SMALL_FRAME {
            let mut small = [Val::Null, Val::Null, Val::Null, Val::Null];
            let frame = &mut small[..func.frame_size];
            for (slot, (a, (ty, _))) in frame.iter_mut().zip(args.iter_mut().zip(&func.params)) {
                let v = coerce(ty, std::mem::replace(a, Val::Null), false)?;
                std::mem::replace(slot, v).discard();
            }
            let result = self.run_function(index, frame);
            // Nulls and numbers, the usual slots, are dropped without drop glue.
            for slot in small {
                slot.discard();
            }
            return result;
        }
        let mut frame = self.spare_frames.pop().unwrap_or_default();
        frame.reserve(func.frame_size.max(func.params.len()));
        for (a, (ty, _)) in args.iter_mut().zip(&func.params) {
            match coerce(ty, std::mem::replace(a, Val::Null), false) {
                Ok(v) => frame.push(v),
                Err(e) => {
                    self.return_frame(frame);
                    return Err(e);
                }
            }
        }
        for _ in func.params.len()..func.frame_size {
            frame.push(Val::Null);
        }
        let result = self.run_function(index, &mut frame);
        self.return_frame(frame);
        result
    }

    /// Runs a function's body in its frame, one call level deeper, and
    /// converts what it returns to the declared type.
    #[inline(always)]
    fn run_function(&mut self, index: usize, frame: &mut [Val<'a>]) -> R<Val<'a>> {
        let prog = self.prog;
        let code = &prog.code.functions[index];
        self.depth += 1;
        let result = (code.body)(self, frame);
        self.depth -= 1;
        match result? {
            Flow::Return(_) if code.returns_void => Ok(Val::Null),
            Flow::Return(v) => coerce(&prog.functions[index].ret, v, false),
            _ => Ok(default_value(&prog.functions[index].ret)),
        }
    }

    /// Calls a lambda `(a, b) -> f(a, b)`: its parameters, converted to their
    /// types, go to `f` as the call in its body would pass them, errors
    /// located at that call, and the lambda still counts as a call level.
    #[inline(always)]
    fn call_forwarding_lambda(&mut self, lambda: &'a Lambda, index: usize, call: &'a Expr, args: &mut [Val<'a>]) -> R<Val<'a>> {
        for (a, (ty, _)) in args.iter_mut().zip(&lambda.params) {
            let v = coerce(ty, std::mem::replace(a, Val::Null), false)?;
            std::mem::replace(a, v).discard();
        }
        self.depth += 1;
        let result = self.call_function(index, args).map_err(|x| x.at(call.span.start));
        self.depth -= 1;
        result
    }

    /// Calls a lambda, method reference or function reference; `args` are
    /// taken (left null).
    pub fn call_func(&mut self, func: &Val<'a>, args: &mut [Val<'a>]) -> R<Val<'a>> {
        let Val::Func(c) = func else {
            return Err(Exc::illegal_arg(format!("Cannot convert [{}] to a function", func.class_name())));
        };
        match &**c {
            Closure::Lambda { lambda, captured } => {
                if self.depth >= MAX_CALL_DEPTH {
                    return Err(Exc::bare("StackOverflowError"));
                }
                if args.len() != lambda.params.len() {
                    return Err(Exc::illegal_arg(format!("Incorrect number of parameters for lambda: expected [{}] but found [{}]", lambda.params.len(), args.len())));
                }
                if let (Some(index), LambdaBody::Expr(call)) = (lambda.forwards_to, &lambda.body) {
                    return self.call_forwarding_lambda(lambda, index, call, args);
                }
                let mut frame = self.take_frame(lambda.frame_size.max(lambda.params.len()));
                for (a, (ty, var)) in args.iter_mut().zip(&lambda.params) {
                    match coerce(ty, std::mem::replace(a, Val::Null), false) {
                        Ok(v) => frame[var.slot] = v,
                        Err(e) => {
                            self.return_frame(frame);
                            return Err(e);
                        }
                    }
                }
                for ((_, inner), v) in lambda.captures.iter().zip(captured) {
                    frame[*inner] = v.clone();
                }
                self.depth += 1;
                let r = match &lambda.body {
                    LambdaBody::Expr(e) => self.eval(e, &mut frame),
                    LambdaBody::Block(b) => self.exec_block(b, &mut frame).map(|flow| match flow {
                        Flow::Return(v) => v,
                        _ => Val::Null,
                    }),
                };
                self.depth -= 1;
                self.return_frame(frame);
                r
            }
            Closure::Local(i) => self.call_function(*i, args),
            Closure::Method { class, method } => {
                if lib::known_static(class, method, args.len()) {
                    lib::call_static(self, class, method, args)
                } else {
                    let Some((recv, rest)) = args.split_first_mut() else {
                        return Err(Exc::illegal_arg(format!("method reference [{class}::{method}] needs a receiver")));
                    };
                    if recv.is_null() {
                        return Err(null_access(method));
                    }
                    let recv = std::mem::replace(recv, Val::Null);
                    lib::call_method(self, &recv, method, rest)
                }
            }
            Closure::Constructor(class) => lib::construct(self, class, args),
            Closure::Bound { receiver, method } => {
                if receiver.is_null() {
                    return Err(null_access(method));
                }
                lib::call_method(self, receiver, method, args)
            }
        }
    }
}

/// The value of a literal constant, which evaluates without effects or errors.
#[inline(always)]
fn literal<'a>(e: &'a Expr) -> Option<Val<'a>> {
    Some(match &e.kind {
        ExprKind::Null => Val::Null,
        ExprKind::Bool(b) => Val::Bool(*b),
        ExprKind::Int(i) => Val::Int(*i),
        ExprKind::Long(l) => Val::Long(*l),
        ExprKind::Float(x) => Val::Float(*x),
        ExprKind::Double(d) => Val::Double(*d),
        ExprKind::Str(s) => Val::Str(Str::Doc(s)),
        _ => return None,
    })
}

/// An equality operator on a variable and a variable or a constant,
/// compared where they are, without copies; `None` for other operands.
#[inline(always)]
fn equality_in_place<'a>(op: BinOp, a: &'a Expr, b: &'a Expr, f: &[Val<'a>]) -> Option<bool> {
    match (&a.kind, &b.kind) {
        (ExprKind::Local(x), ExprKind::Local(y)) => Some(equality(op, &f[x.slot], &f[y.slot])),
        (ExprKind::Local(x), _) => {
            let c = literal(b)?;
            let result = equality(op, &f[x.slot], &c);
            c.discard();
            Some(result)
        }
        (_, ExprKind::Local(y)) => {
            let c = literal(a)?;
            let result = equality(op, &c, &f[y.slot]);
            c.discard();
            Some(result)
        }
        _ => None,
    }
}

impl<'a> Interp<'a> {
    /// A field of a document map. Document maps hash their keys with
    /// SipHash, which costs more than comparing the few keys a small map
    /// has (a scan finds the same entry, keys being unique) or than
    /// remembering the last field found in a large one.
    fn doc_field(&mut self, m: &'a crate::value::Map, name: &'a str) -> Option<&'a crate::value::Value> {
        const SCAN_UP_TO: usize = 12;
        if m.len() <= SCAN_UP_TO {
            return m.iter().find(|(k, _)| k.as_str() == name).map(|(_, v)| v);
        }
        if let Some((map, field, found)) = self.last_doc_field {
            if std::ptr::eq(map, m) && field == name {
                return found;
            }
        }
        let found = m.get(name);
        self.last_doc_field = Some((m, name, found));
        found
    }
}

fn capitalize(name: &str) -> String {
    let mut c = name.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn normalize_index(i: i64, len: usize) -> i64 {
    if i < 0 {
        i + len as i64
    } else {
        i
    }
}

pub fn as_index(v: &Val<'_>) -> R<i64> {
    match v {
        Val::Int(i) => Ok(*i as i64),
        Val::Short(i) => Ok(*i as i64),
        Val::Byte(i) => Ok(*i as i64),
        Val::Char(i) => Ok(*i as i64),
        Val::Long(l) => Ok(*l),
        Val::Null => Err(Exc::npe("Cannot invoke \"java.lang.Number.intValue()\" because \"index\" is null")),
        other => Err(Exc::class_cast(format!("Cannot cast [{}] to an index", other.class_name()))),
    }
}

pub fn default_value<'a>(ty: &Type) -> Val<'a> {
    match ty {
        Type::Prim(Prim::Boolean) => Val::Bool(false),
        Type::Prim(Prim::Byte) => Val::Byte(0),
        Type::Prim(Prim::Short) => Val::Short(0),
        Type::Prim(Prim::Char) => Val::Char(0),
        Type::Prim(Prim::Int) => Val::Int(0),
        Type::Prim(Prim::Long) => Val::Long(0),
        Type::Prim(Prim::Float) => Val::Float(0.0),
        Type::Prim(Prim::Double) => Val::Double(0.0),
        _ => Val::Null,
    }
}

fn new_array<'a>(elem: &Type, sizes: &[usize]) -> Val<'a> {
    let items = if sizes.len() > 1 {
        let inner = match elem {
            Type::Array(t) => (**t).clone(),
            other => other.clone(),
        };
        (0..sizes[0]).map(|_| new_array(&inner, &sizes[1..])).collect()
    } else {
        vec![default_value(elem); sizes[0]]
    };
    Val::Array(Rc::new(RefCell::new(JArray { elem: elem.clone(), items })))
}

fn jvm_cast_error(from: &str, to: &str) -> Exc {
    Exc::class_cast(format!("class {from} cannot be cast to class {to} ({from} and {to} are in module java.base of loader 'bootstrap')"))
}

/// Converts a value for a declared type: implicit (assignment) or explicit (cast).
#[inline]
pub fn coerce<'a>(ty: &Type, v: Val<'a>, explicit: bool) -> R<Val<'a>> {
    // `def` and `Object`, the types of most parameters and variables, keep
    // the value as it is, and so does a primitive type for a value already
    // of that type (a `boolean` function returning `true`).
    match (ty, &v) {
        (Type::Def, _)
        | (Type::Prim(Prim::Boolean), Val::Bool(_))
        | (Type::Prim(Prim::Int), Val::Int(_))
        | (Type::Prim(Prim::Long), Val::Long(_))
        | (Type::Prim(Prim::Double), Val::Double(_)) => Ok(v),
        (Type::Class(c), _) if c.test == lib::ClassTest::Object => Ok(v),
        _ => coerce_typed(ty, v, explicit),
    }
}

#[inline(never)]
fn coerce_typed<'a>(ty: &Type, v: Val<'a>, explicit: bool) -> R<Val<'a>> {
    match ty {
        Type::Def => Ok(v),
        Type::Prim(p) => coerce_prim(*p, v, explicit),
        Type::Class(c) => {
            if v.is_null() || instance_of(&v, ty) {
                return Ok(v);
            }
            // Boxing conversions: `Long x = 1` is a compile error in Java, but a
            // cast between a primitive and its box is allowed.
            if let Some(p) = lib::boxed_prim(&c.name) {
                if explicit && v.is_numeric() {
                    return coerce_prim(p, v, true);
                }
            }
            if c.test == lib::ClassTest::String && explicit {
                if let Val::Char(ch) = v {
                    return Ok(Val::string(char_to_string(ch)));
                }
            }
            Err(jvm_cast_error(&v.class_name(), &lib::qualified_class(&c.name)))
        }
        Type::Array(_) => {
            if v.is_null() || instance_of(&v, ty) {
                Ok(v)
            } else {
                Err(jvm_cast_error(&v.class_name(), &class_of_type(ty)))
            }
        }
    }
}

fn coerce_prim<'a>(p: Prim, v: Val<'a>, explicit: bool) -> R<Val<'a>> {
    let fail = |v: &Val<'a>| {
        if v.is_null() {
            Exc::npe("Cannot invoke \"Object.getClass()\" because \"value\" is null")
        } else {
            Exc::class_cast(format!("cannot cast def [{}] to {}", v.unboxed_name(), p.name()))
        }
    };
    // Widening rank: byte < short < int < long < float < double; char < int.
    let rank = |v: &Val<'a>| match v {
        Val::Byte(_) => 1,
        Val::Short(_) => 2,
        Val::Char(_) => 2,
        Val::Int(_) => 3,
        Val::Long(_) => 4,
        Val::Float(_) => 5,
        Val::Double(_) => 6,
        _ => 0,
    };
    let target = match p {
        Prim::Boolean => {
            return match v {
                Val::Bool(_) => Ok(v),
                _ => Err(fail(&v)),
            }
        }
        Prim::Byte => 1,
        Prim::Short => 2,
        Prim::Char => 2,
        Prim::Int => 3,
        Prim::Long => 4,
        Prim::Float => 5,
        Prim::Double => 6,
    };
    if explicit && p == Prim::Char {
        if let Val::Str(s) = &v {
            let units: Vec<u16> = s.encode_utf16().collect();
            if units.len() == 1 {
                return Ok(Val::Char(units[0]));
            }
            return Err(Exc::class_cast("cannot cast java.lang.String with length not equal to one to char"));
        }
    }
    let r = rank(&v);
    if r == 0 {
        return Err(fail(&v));
    }
    let same_kind = matches!((p, &v), (Prim::Char, Val::Char(_))) || (p != Prim::Char && !matches!(v, Val::Char(_)));
    if !explicit && (r > target || (r == target && !same_kind) || (p == Prim::Char && r != 2) || (p == Prim::Short && matches!(v, Val::Char(_)))) {
        return Err(fail(&v));
    }
    let (i, d) = match v {
        Val::Byte(x) => (x as i64, x as f64),
        Val::Short(x) => (x as i64, x as f64),
        Val::Char(x) => (x as i64, x as f64),
        Val::Int(x) => (x as i64, x as f64),
        Val::Long(x) => (x, x as f64),
        Val::Float(x) => (java_f2l(x as f64), x as f64),
        Val::Double(x) => (java_f2l(x), x),
        _ => unreachable!(),
    };
    let from_float = matches!(r, 5 | 6);
    Ok(match p {
        Prim::Byte => Val::Byte(if from_float { java_f2i(d) as i8 } else { i as i8 }),
        Prim::Short => Val::Short(if from_float { java_f2i(d) as i16 } else { i as i16 }),
        Prim::Char => Val::Char(if from_float { java_f2i(d) as u16 } else { i as u16 }),
        Prim::Int => Val::Int(if from_float { java_f2i(d) } else { i as i32 }),
        Prim::Long => Val::Long(i),
        Prim::Float => Val::Float(if from_float { d as f32 } else { i as f32 }),
        Prim::Double => Val::Double(if from_float { d } else { i as f64 }),
        Prim::Boolean => unreachable!(),
    })
}

/// Java's `(int) double`: saturating, NaN to 0 (Rust's `as` does the same).
fn java_f2i(d: f64) -> i32 {
    d as i32
}
fn java_f2l(d: f64) -> i64 {
    d as i64
}

/// `v instanceof ty`. Classes and `def`, what scripts test, are answered
/// inline; primitives and arrays by `instance_of_other`.
#[inline(always)]
pub fn instance_of(v: &Val<'_>, ty: &Type) -> bool {
    match ty {
        Type::Class(c) => lib::is_instance(v, c),
        Type::Def => !v.is_null(),
        _ => instance_of_other(v, ty),
    }
}

#[inline(never)]
fn instance_of_other(v: &Val<'_>, ty: &Type) -> bool {
    match ty {
        Type::Def => !v.is_null(),
        Type::Prim(p) => matches!(
            (p, v),
            (Prim::Boolean, Val::Bool(_))
                | (Prim::Byte, Val::Byte(_))
                | (Prim::Short, Val::Short(_))
                | (Prim::Char, Val::Char(_))
                | (Prim::Int, Val::Int(_))
                | (Prim::Long, Val::Long(_))
                | (Prim::Float, Val::Float(_))
                | (Prim::Double, Val::Double(_))
        ),
        Type::Array(inner) => match v {
            Val::Array(a) => a.borrow().elem == **inner || (**inner == Type::Def || matches!(&**inner, Type::Class(c) if c.test == lib::ClassTest::Object)) && !matches!(a.borrow().elem, Type::Prim(_)),
            _ => false,
        },
        Type::Class(c) => lib::is_instance(v, c),
    }
}

/// Numeric operands after binary numeric promotion.
enum Num {
    I(i32, i32),
    L(i64, i64),
    F(f32, f32),
    D(f64, f64),
}

fn int_of(v: &Val<'_>) -> Option<i32> {
    match v {
        Val::Byte(x) => Some(*x as i32),
        Val::Short(x) => Some(*x as i32),
        Val::Char(x) => Some(*x as i32),
        Val::Int(x) => Some(*x),
        _ => None,
    }
}

fn promote(a: &Val<'_>, b: &Val<'_>) -> Option<Num> {
    let long_of = |v: &Val<'_>| match v {
        Val::Long(l) => Some(*l),
        other => int_of(other).map(|i| i as i64),
    };
    let double_of = |v: &Val<'_>| match v {
        Val::Float(x) => Some(*x as f64),
        Val::Double(x) => Some(*x),
        other => long_of(other).map(|l| l as f64),
    };
    if !a.is_numeric() || !b.is_numeric() {
        return None;
    }
    Some(match (a, b) {
        (Val::Double(_), _) | (_, Val::Double(_)) => Num::D(double_of(a)?, double_of(b)?),
        (Val::Float(_), _) | (_, Val::Float(_)) => Num::F(double_of(a)? as f32, double_of(b)? as f32),
        (Val::Long(_), _) | (_, Val::Long(_)) => Num::L(long_of(a)?, long_of(b)?),
        _ => Num::I(int_of(a)?, int_of(b)?),
    })
}

fn op_error(op: BinOp, a: &Val<'_>, b: &Val<'_>) -> Exc {
    if a.is_null() || b.is_null() {
        let which = if a.is_null() { "leftObject" } else { "rightObject" };
        return Exc::npe(format!("Cannot invoke \"Object.getClass()\" because \"{which}\" is null"));
    }
    Exc::class_cast(format!("Cannot apply [{}] operation to types [{}] and [{}].", op.symbol(), a.class_name(), b.class_name()))
}

/// Compound assignment through a field or index: the result keeps the
/// promoted type, as `def` does.
fn compound_result<'a>(op: BinOp, old: Val<'a>, rhs: Val<'a>) -> R<Val<'a>> {
    binary(op, old, rhs)
}

pub fn unary<'a>(op: UnOp, v: Val<'a>) -> R<Val<'a>> {
    let err = |v: &Val<'a>, sym: &str| {
        if v.is_null() {
            Exc::npe("Cannot invoke \"Object.getClass()\" because \"unary\" is null")
        } else {
            Exc::class_cast(format!("Cannot apply [{sym}] operation to type [{}].", v.class_name()))
        }
    };
    Ok(match op {
        // `!` casts its operand to boolean first, as conditions do.
        UnOp::Not => Val::Bool(!to_boolean(&v)?),
        UnOp::BitNot => match v {
            Val::Long(l) => Val::Long(!l),
            ref other => match int_of(other) {
                Some(i) => Val::Int(!i),
                None => return Err(err(other, "~")),
            },
        },
        UnOp::Neg => match v {
            Val::Long(l) => Val::Long(l.wrapping_neg()),
            Val::Float(x) => Val::Float(-x),
            Val::Double(x) => Val::Double(-x),
            ref other => match int_of(other) {
                Some(i) => Val::Int(i.wrapping_neg()),
                None => return Err(err(other, "-")),
            },
        },
        UnOp::Plus => match v {
            Val::Long(_) | Val::Float(_) | Val::Double(_) | Val::Int(_) => v,
            ref other => match int_of(other) {
                Some(i) => Val::Int(i),
                None => return Err(err(other, "+")),
            },
        },
    })
}

pub fn binary<'a>(op: BinOp, a: Val<'a>, b: Val<'a>) -> R<Val<'a>> {
    use BinOp::*;
    match op {
        Eq | Ne | RefEq | RefNe => {
            let result = equality(op, &a, &b);
            a.discard();
            b.discard();
            return Ok(Val::Bool(result));
        }
        Find | Match => return lib::regex::find_or_match(op == Match, &a, &b),
        Add if matches!(a, Val::Str(_)) || matches!(b, Val::Str(_)) => {
            let (x, y) = (a.to_java_string(), b.to_java_string());
            Exc::check_size(x.len() + y.len())?;
            return Ok(Val::string(x + &y));
        }
        BitAnd | BitOr | Xor => {
            if let (Val::Bool(x), Val::Bool(y)) = (&a, &b) {
                return Ok(Val::Bool(match op {
                    BitAnd => x & y,
                    BitOr => x | y,
                    _ => x ^ y,
                }));
            }
        }
        Shl | Shr | Ushr => {
            let dist = match (&b, int_of(&b)) {
                (Val::Long(l), _) => *l,
                (_, Some(i)) => i as i64,
                _ => return Err(op_error(op, &a, &b)),
            };
            return Ok(match (&a, int_of(&a)) {
                (Val::Long(l), _) => {
                    let d = (dist & 63) as u32;
                    Val::Long(match op {
                        Shl => l.wrapping_shl(d),
                        Shr => l.wrapping_shr(d),
                        _ => ((*l as u64) >> d) as i64,
                    })
                }
                (_, Some(i)) => {
                    let d = (dist & 31) as u32;
                    Val::Int(match op {
                        Shl => i.wrapping_shl(d),
                        Shr => i.wrapping_shr(d),
                        _ => ((i as u32) >> d) as i32,
                    })
                }
                _ => return Err(op_error(op, &a, &b)),
            });
        }
        _ => {}
    }
    let Some(n) = promote(&a, &b) else {
        return Err(op_error(op, &a, &b));
    };
    let div_zero = || Exc::new("ArithmeticException", "/ by zero");
    Ok(match n {
        Num::I(x, y) => match op {
            Mul => Val::Int(x.wrapping_mul(y)),
            Div => Val::Int(if y == 0 { return Err(div_zero()) } else { x.wrapping_div(y) }),
            Rem => Val::Int(if y == 0 { return Err(div_zero()) } else { x.wrapping_rem(y) }),
            Add => Val::Int(x.wrapping_add(y)),
            Sub => Val::Int(x.wrapping_sub(y)),
            Lt => Val::Bool(x < y),
            Le => Val::Bool(x <= y),
            Gt => Val::Bool(x > y),
            Ge => Val::Bool(x >= y),
            BitAnd => Val::Int(x & y),
            BitOr => Val::Int(x | y),
            Xor => Val::Int(x ^ y),
            _ => unreachable!(),
        },
        Num::L(x, y) => match op {
            Mul => Val::Long(x.wrapping_mul(y)),
            Div => Val::Long(if y == 0 { return Err(div_zero()) } else { x.wrapping_div(y) }),
            Rem => Val::Long(if y == 0 { return Err(div_zero()) } else { x.wrapping_rem(y) }),
            Add => Val::Long(x.wrapping_add(y)),
            Sub => Val::Long(x.wrapping_sub(y)),
            Lt => Val::Bool(x < y),
            Le => Val::Bool(x <= y),
            Gt => Val::Bool(x > y),
            Ge => Val::Bool(x >= y),
            BitAnd => Val::Long(x & y),
            BitOr => Val::Long(x | y),
            Xor => Val::Long(x ^ y),
            _ => unreachable!(),
        },
        Num::F(x, y) => match op {
            Mul => Val::Float(x * y),
            Div => Val::Float(x / y),
            Rem => Val::Float(x % y),
            Add => Val::Float(x + y),
            Sub => Val::Float(x - y),
            Lt => Val::Bool(x < y),
            Le => Val::Bool(x <= y),
            Gt => Val::Bool(x > y),
            Ge => Val::Bool(x >= y),
            _ => return Err(op_error(op, &a, &b)),
        },
        Num::D(x, y) => match op {
            Mul => Val::Double(x * y),
            Div => Val::Double(x / y),
            Rem => Val::Double(x % y),
            Add => Val::Double(x + y),
            Sub => Val::Double(x - y),
            Lt => Val::Bool(x < y),
            Le => Val::Bool(x <= y),
            Gt => Val::Bool(x > y),
            Ge => Val::Bool(x >= y),
            _ => return Err(op_error(op, &a, &b)),
        },
    })
}

/// The equality operators (`op` is one of `==`, `!=`, `===`, `!==`).
#[inline(always)]
pub fn equality<'a>(op: BinOp, a: &Val<'a>, b: &Val<'a>) -> bool {
    match op {
        // `x == null`: null equals only null, whatever `x` is.
        BinOp::Eq | BinOp::Ne if a.is_null() || b.is_null() => (a.is_null() && b.is_null()) == (op == BinOp::Eq),
        BinOp::Eq => def_equals(a, b),
        BinOp::Ne => !def_equals(a, b),
        BinOp::RefEq => a.identical(b),
        _ => !a.identical(b),
    }
}

/// Painless `==` on `def`: numbers compare by value across box types,
/// everything else by `equals`.
pub fn def_equals<'a>(a: &Val<'a>, b: &Val<'a>) -> bool {
    // Strings, the usual operands, as `equals` compares them.
    if let (Val::Str(x), Val::Str(y)) = (a, b) {
        return **x == **y;
    }
    if a.is_numeric() && b.is_numeric() {
        return match promote(a, b) {
            Some(Num::I(x, y)) => x == y,
            Some(Num::L(x, y)) => x == y,
            Some(Num::F(x, y)) => x == y,
            Some(Num::D(x, y)) => x == y,
            None => false,
        };
    }
    a.java_equals(b)
}
