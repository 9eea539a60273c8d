//! The check pass: binds names to frame slots, script functions and classes,
//! computes lambda captures, and refuses at compile time every construct
//! the library does not implement (`unsupported Painless feature ...`), so
//! that nothing unsupported is discovered halfway through a document. It
//! ends with the control-flow pass (`flow`), which finds the values bodies
//! return and refuses what Painless refuses of how statements end, and the
//! type pass (`types`), which refuses what Painless's static types refuse.

use super::ast::*;
use super::flow;
use super::lib;
use super::types;
use super::{CompileError, ScriptContext};
use std::collections::HashMap;
use std::sync::Arc;

struct Frame {
    scopes: Vec<HashMap<String, usize>>,
    types: Vec<Type>,
    next: usize,
    max: usize,
    lambda: bool,
    captures: Vec<(usize, usize)>,
}

impl Frame {
    fn new(lambda: bool) -> Frame {
        Frame { scopes: vec![HashMap::new()], types: Vec::new(), next: 0, max: 0, lambda, captures: Vec::new() }
    }
    fn find(&self, name: &str) -> Option<usize> {
        self.scopes.iter().rev().find_map(|s| s.get(name).copied())
    }
}

struct Resolver<'s> {
    source: &'s str,
    context: ScriptContext,
    frames: Vec<Frame>,
    functions: Vec<(String, usize)>,
}

type R<T> = Result<T, CompileError>;

pub fn resolve(program: &mut Program, source: &str, context: ScriptContext) -> R<()> {
    let functions: Vec<(String, usize)> = program.functions.iter().map(|f| (f.name.clone(), f.params.len())).collect();
    for (i, f) in functions.iter().enumerate() {
        if functions[..i].contains(f) {
            return Err(CompileError {
                offset: program.functions[i].span.start as usize,
                kind: "illegal_argument_exception",
                message: format!("Illegal duplicate functions [{}/{}].", f.0, f.1),
            });
        }
    }
    let mut r = Resolver { source, context, frames: Vec::new(), functions };
    for f in &mut program.functions {
        r.frames.push(Frame::new(false));
        r.check_type(&f.ret, f.span)?;
        for (ty, name) in &f.params {
            r.check_type(ty, f.span)?;
            r.declare(name, ty, f.span)?;
        }
        r.stmts(&mut f.body)?;
        f.frame_size = r.frames.pop().unwrap().max;
    }
    r.frames.push(Frame::new(false));
    r.declare("params", &Type::class("Map"), Span::default())?;
    r.declare("ctx", &Type::class("Map"), Span::default())?;
    r.stmts(&mut program.body)?;
    program.frame_size = r.frames.pop().unwrap().max;
    // A condition's `execute` returns a boolean, an ingest script's nothing.
    flow::check(program, context == ScriptContext::Condition)?;
    // Returned values excepted, expression statements must have an effect,
    // lambdas' bodies included.
    check_statements(&program.body)?;
    check_lambda_statements(&program.body)?;
    for f in &program.functions {
        check_statements(&f.body)?;
        check_lambda_statements(&f.body)?;
    }
    types::check(program, source, context)
}

/// Painless refuses expression statements whose result is unused
/// ("not a statement: result not used from addition operation [+]").
fn check_statements(stmts: &[Stmt]) -> R<()> {
    for s in stmts {
        match &s.kind {
            StmtKind::Expr(e) => {
                if let Some(what) = unused_result(e) {
                    return Err(CompileError { offset: e.span.start as usize, kind: "illegal_argument_exception", message: format!("not a statement: result not used from {what}") });
                }
            }
            StmtKind::If(_, a, b) => {
                check_statements(std::slice::from_ref(a))?;
                if let Some(b) = b {
                    check_statements(std::slice::from_ref(b))?;
                }
            }
            StmtKind::While(_, Some(b)) | StmtKind::DoWhile(b, _) | StmtKind::For { body: Some(b), .. } | StmtKind::ForEach { body: b, .. } => {
                check_statements(std::slice::from_ref(b))?
            }
            StmtKind::Block(b) => check_statements(b)?,
            StmtKind::Try(b, catches) => {
                check_statements(std::slice::from_ref(b))?;
                for c in catches {
                    check_statements(std::slice::from_ref(&c.body))?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// [`check_statements`] for the block bodies of the lambdas in `stmts`,
/// at every depth.
fn check_lambda_statements(stmts: &[Stmt]) -> R<()> {
    let mut result = Ok(());
    visit_exprs(stmts, &mut |e| {
        if let (Ok(()), ExprKind::Lambda(l)) = (&result, &e.kind) {
            if let LambdaBody::Block(body) = &l.body {
                result = check_statements(body);
            }
        }
    });
    result
}

fn operation_name(op: BinOp) -> &'static str {
    match op {
        BinOp::Mul => "multiplication",
        BinOp::Div => "division",
        BinOp::Rem => "remainder",
        BinOp::Add => "addition",
        BinOp::Sub => "subtraction",
        BinOp::Find => "find",
        BinOp::Match => "match",
        BinOp::Shl => "left shift",
        BinOp::Shr => "right shift",
        BinOp::Ushr => "unsigned shift",
        BinOp::Lt => "less than",
        BinOp::Le => "less than or equals",
        BinOp::Gt => "greater than",
        BinOp::Ge => "greater than or equals",
        BinOp::Eq => "equals",
        BinOp::Ne => "not equals",
        BinOp::RefEq => "reference equals",
        BinOp::RefNe => "reference not equals",
        BinOp::BitAnd => "bitwise and",
        BinOp::Xor => "bitwise xor",
        BinOp::BitOr => "bitwise or",
    }
}

/// What Painless calls an expression whose value a statement drops; `None`
/// for expressions that are statements (assignments, calls, `new`, ++/--).
fn unused_result(e: &Expr) -> Option<String> {
    Some(match &e.kind {
        ExprKind::Binary(op, ..) => format!("{} operation [{}]", operation_name(*op), op.symbol()),
        ExprKind::And(..) => "boolean and operation [&&]".into(),
        ExprKind::Or(..) => "boolean or operation [||]".into(),
        ExprKind::Unary(UnOp::Not, _) => "boolean not operation [!]".into(),
        ExprKind::Unary(UnOp::BitNot, _) => "bitwise not operation [~]".into(),
        ExprKind::Unary(UnOp::Neg, _) => "subtraction operation [-]".into(),
        ExprKind::Unary(UnOp::Plus, _) => "addition operation [+]".into(),
        ExprKind::InstanceOf(_, ty) => format!("instanceof with target type [{}]", ty.name()),
        ExprKind::ListInit(_) => "list initializer".into(),
        ExprKind::MapInit(_) => "map initializer".into(),
        ExprKind::NewArray { .. } | ExprKind::NewArrayInit { .. } => "new array".into(),
        _ => return None,
    })
}

/// The script function a lambda's body calls with exactly the lambda's
/// parameters, in order (`(a, b) -> f(a, b)`).
fn forwarded_function(l: &Lambda) -> Option<usize> {
    let LambdaBody::Expr(Expr { kind: ExprKind::LocalCall { index, args, .. }, .. }) = &l.body else { return None };
    let passes_parameters = args.len() == l.params.len() && args.iter().zip(&l.params).all(|(a, (_, p))| matches!(&a.kind, ExprKind::Local(v) if v.slot == p.slot));
    passes_parameters.then_some(*index)
}

/// Slot numbers of the script's own variables in the main frame.
pub const PARAMS_SLOT: usize = 0;
pub const CTX_SLOT: usize = 1;

impl Resolver<'_> {
    fn frame(&mut self) -> &mut Frame {
        self.frames.last_mut().unwrap()
    }

    fn error(&self, span: Span, message: String) -> CompileError {
        CompileError { offset: span.start as usize, kind: "illegal_argument_exception", message }
    }

    fn unsupported(&self, span: Span, what: String) -> CompileError {
        let before = &self.source[..(span.start as usize).min(self.source.len())];
        let line = before.matches('\n').count() + 1;
        let col = before.rfind('\n').map(|i| before.len() - i).unwrap_or(before.len() + 1);
        self.error(span, format!("unsupported Painless feature {what} at {line}:{col}"))
    }

    fn declare(&mut self, name: &str, ty: &Type, span: Span) -> R<usize> {
        if self.frame().find(name).is_some() {
            return Err(self.error(span, format!("variable [{name}] is already defined")));
        }
        let f = self.frame();
        let slot = f.next;
        f.next += 1;
        f.max = f.max.max(f.next);
        f.types.push(ty.clone());
        f.scopes.last_mut().unwrap().insert(name.to_string(), slot);
        Ok(slot)
    }

    fn push_scope(&mut self) {
        self.frame().scopes.push(HashMap::new());
    }

    /// Slots are never reused, so a lambda capture allocated inside a
    /// nested scope cannot collide with a later declaration.
    fn pop_scope(&mut self) {
        self.frame().scopes.pop();
    }

    /// Finds a variable, capturing it into enclosing lambdas as needed.
    fn lookup(&mut self, name: &str, depth: usize) -> Option<(usize, Type)> {
        if let Some(slot) = self.frames[depth].find(name) {
            return Some((slot, self.frames[depth].types[slot].clone()));
        }
        if !self.frames[depth].lambda || depth == 0 {
            return None;
        }
        let (outer, ty) = self.lookup(name, depth - 1)?;
        let f = &mut self.frames[depth];
        let slot = f.next;
        f.next += 1;
        f.max = f.max.max(f.next);
        f.types.push(ty.clone());
        f.scopes[0].insert(name.to_string(), slot);
        f.captures.push((outer, slot));
        Some((slot, ty))
    }

    fn check_type(&self, ty: &Type, span: Span) -> R<()> {
        match ty {
            Type::Class(c) if !lib::is_type(&c.name) => Err(self.unsupported(span, format!("type [{}]", c.name))),
            Type::Array(inner) => self.check_type(inner, span),
            _ => Ok(()),
        }
    }

    fn stmts(&mut self, stmts: &mut [Stmt]) -> R<()> {
        for s in stmts {
            self.stmt(s)?;
        }
        Ok(())
    }

    fn scoped(&mut self, s: &mut Stmt) -> R<()> {
        self.push_scope();
        let r = self.stmt(s);
        self.pop_scope();
        r
    }

    fn stmt(&mut self, s: &mut Stmt) -> R<()> {
        let span = s.span;
        match &mut s.kind {
            StmtKind::Expr(e) => self.expr(e),
            StmtKind::Decl(ty, vars) => {
                self.check_type(ty, span)?;
                for v in vars {
                    if let Some(init) = &mut v.init {
                        self.expr(init)?;
                    }
                    v.var.slot = self.declare(&v.var.name, ty, v.span)?;
                    v.var.ty = ty.clone();
                }
                Ok(())
            }
            StmtKind::If(c, a, b) => {
                self.expr(c)?;
                self.scoped(a)?;
                if let Some(b) = b {
                    self.scoped(b)?;
                }
                Ok(())
            }
            StmtKind::While(c, body) => {
                self.expr(c)?;
                if let Some(b) = body {
                    self.scoped(b)?;
                }
                Ok(())
            }
            StmtKind::DoWhile(body, c) => {
                self.scoped(body)?;
                self.expr(c)
            }
            StmtKind::For { init, cond, after, body } => {
                self.push_scope();
                let r = (|| {
                    if let Some(i) = init {
                        self.stmt(i)?;
                    }
                    if let Some(c) = cond {
                        self.expr(c)?;
                    }
                    if let Some(a) = after {
                        self.expr(a)?;
                    }
                    if let Some(b) = body {
                        self.scoped(b)?;
                    }
                    Ok(())
                })();
                self.pop_scope();
                r
            }
            StmtKind::ForEach { ty, var, iter, body } => {
                self.check_type(ty, span)?;
                self.expr(iter)?;
                self.push_scope();
                let r = (|| {
                    var.slot = self.declare(&var.name, ty, span)?;
                    var.ty = ty.clone();
                    self.scoped(body)
                })();
                self.pop_scope();
                r
            }
            StmtKind::Block(b) => {
                self.push_scope();
                let r = self.stmts(b);
                self.pop_scope();
                r
            }
            StmtKind::Break | StmtKind::Continue | StmtKind::Return(None) => Ok(()),
            StmtKind::Return(Some(e)) | StmtKind::Throw(e) | StmtKind::ImplicitReturn(e) => self.expr(e),
            StmtKind::Try(body, catches) => {
                self.scoped(body)?;
                for c in catches {
                    if !lib::is_exception_class(&c.class) {
                        return Err(self.unsupported(span, format!("exception type [{}]", c.class)));
                    }
                    self.push_scope();
                    let r = (|| {
                        c.var.slot = self.declare(&c.var.name, &Type::Def, span)?;
                        self.scoped(&mut c.body)
                    })();
                    self.pop_scope();
                    r?;
                }
                Ok(())
            }
        }
    }

    fn exprs(&mut self, es: &mut [Expr]) -> R<()> {
        for e in es {
            self.expr(e)?;
        }
        Ok(())
    }

    fn expr(&mut self, e: &mut Expr) -> R<()> {
        let span = e.span;
        match &mut e.kind {
            ExprKind::Null | ExprKind::Bool(_) | ExprKind::Int(_) | ExprKind::Long(_) | ExprKind::Float(_) | ExprKind::Double(_) | ExprKind::Str(_) | ExprKind::Regex(_) => Ok(()),
            ExprKind::Local(_) | ExprKind::Class(_) => Ok(()),
            ExprKind::Name(name) => {
                let depth = self.frames.len() - 1;
                if let Some((slot, ty)) = self.lookup(name, depth) {
                    e.kind = ExprKind::Local(Var { name: std::mem::take(name), slot, ty });
                } else if lib::is_class(name) {
                    e.kind = ExprKind::Class(std::mem::take(name));
                } else if name.starts_with(|c: char| c.is_ascii_uppercase()) {
                    return Err(self.unsupported(span, format!("class [{name}]")));
                } else {
                    return Err(self.error(span, format!("cannot resolve symbol [{name}]")));
                }
                Ok(())
            }
            ExprKind::ListInit(items) => self.exprs(items),
            ExprKind::MapInit(entries) => {
                for (k, v) in entries {
                    self.expr(k)?;
                    self.expr(v)?;
                }
                Ok(())
            }
            ExprKind::New { class, args } => {
                if !lib::known_constructor(class, args.len()) {
                    return Err(self.unsupported(span, format!("constructor [{class}/{}]", args.len())));
                }
                self.exprs(args)
            }
            ExprKind::NewArray { elem, dims } => {
                self.check_type(elem, span)?;
                self.exprs(dims)
            }
            ExprKind::NewArrayInit { elem, items } => {
                self.check_type(elem, span)?;
                self.exprs(items)
            }
            ExprKind::Field { obj, name, .. } => {
                self.expr(obj)?;
                if let ExprKind::Class(c) = &obj.kind {
                    if !lib::known_static_field(c, name) {
                        return Err(self.unsupported(span, format!("static field [{c}.{name}]")));
                    }
                }
                Ok(())
            }
            ExprKind::Index { obj, index } => {
                self.expr(obj)?;
                self.expr(index)
            }
            ExprKind::Call { obj, name, args, bound, .. } => {
                self.expr(obj)?;
                if let ExprKind::Class(c) = &obj.kind {
                    if !lib::known_static(c, name, args.len()) {
                        return Err(self.unsupported(span, format!("static method [{c}.{name}/{}]", args.len())));
                    }
                } else if let Some(missing) = types::missing_member(obj, name, args.len(), span, self.context) {
                    return Err(missing);
                } else if !lib::known_method(name, args.len())
                    && !(self.context == ScriptContext::Ingest && lib::string::INGEST_METHODS.contains(&name.as_str()))
                {
                    return Err(self.unsupported(span, format!("method [{name}/{}]", args.len())));
                } else {
                    *bound = lib::collections::BoundMethod::of(name, args.len());
                }
                self.exprs(args)
            }
            ExprKind::LocalCall { name, index, args } => {
                match self.functions.iter().position(|(n, a)| n == name && *a == args.len()) {
                    Some(i) => *index = i,
                    None => return Err(self.error(span, format!("Unknown call [{name}] with [{}] arguments.", args.len()))),
                }
                self.exprs(args)
            }
            ExprKind::Unary(_, x) => self.expr(x),
            ExprKind::Binary(_, a, b) | ExprKind::And(a, b) | ExprKind::Or(a, b) | ExprKind::Elvis(a, b) => {
                self.expr(a)?;
                self.expr(b)
            }
            ExprKind::Cond(c, a, b) => {
                self.expr(c)?;
                self.expr(a)?;
                self.expr(b)
            }
            ExprKind::InstanceOf(x, ty) => {
                self.check_type(ty, span)?;
                self.expr(x)
            }
            ExprKind::Cast(ty, x) => {
                self.check_type(ty, span)?;
                self.expr(x)
            }
            ExprKind::Assign { target, value, .. } => {
                self.expr(value)?;
                self.expr(target)?;
                if let ExprKind::Field { obj, .. } = &target.kind {
                    if let ExprKind::Class(c) = &obj.kind {
                        return Err(self.error(span, format!("invalid assignment: cannot assign a value to a static field of [{c}]")));
                    }
                }
                Ok(())
            }
            ExprKind::IncDec { target, .. } => self.expr(target),
            ExprKind::Lambda(lambda) => {
                let mut l = (**lambda).clone();
                self.frames.push(Frame::new(true));
                let r = (|| {
                    for (ty, var) in &mut l.params {
                        self.check_type(ty, span)?;
                        var.slot = self.declare(&var.name, ty, span)?;
                        var.ty = ty.clone();
                    }
                    match &mut l.body {
                        LambdaBody::Expr(x) => self.expr(x),
                        LambdaBody::Block(b) => self.stmts(b),
                    }
                })();
                let frame = self.frames.pop().unwrap();
                r?;
                l.captures = frame.captures;
                l.frame_size = frame.max;
                l.forwards_to = forwarded_function(&l);
                *lambda = Arc::new(l);
                Ok(())
            }
            ExprKind::FuncRef(f) => {
                let mut fr = (**f).clone();
                match &mut fr {
                    FuncRef::Method { class, method } => {
                        // `Map.Entry` names a type (`Map.Entry::getValue`) but
                        // no static receiver: `Map.Entry.x` reads a field of `Map`.
                        let class_known = lib::is_class(class) || class == "Map.Entry";
                        if !class_known || !(lib::known_static_any(class, method) || lib::known_method_any(method)) {
                            return Err(self.unsupported(span, format!("method reference [{class}::{method}]")));
                        }
                    }
                    FuncRef::Constructor { class } => {
                        if !lib::known_constructor(class, 0) && !lib::known_constructor(class, 1) {
                            return Err(self.unsupported(span, format!("constructor reference [{class}::new]")));
                        }
                    }
                    FuncRef::Local { name, index } => match self.functions.iter().position(|(n, _)| n == name) {
                        Some(i) => *index = i,
                        None => return Err(self.error(span, format!("function reference [this::{name}] not found"))),
                    },
                    FuncRef::Bound { receiver, method } => {
                        self.expr(receiver)?;
                        if !lib::known_method_any(method) {
                            return Err(self.unsupported(span, format!("method reference [{method}]")));
                        }
                    }
                }
                *f = Arc::new(fr);
                Ok(())
            }
        }
    }
}
