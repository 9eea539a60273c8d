//! The type pass: the static type of each expression where it is certain,
//! and the compile errors Elasticsearch's Painless raises from those types
//! (its semantic analysis, `phase/DefaultSemanticAnalysisPhase.java`, with
//! the cast table of `AnalyzerCaster.getLegalCast`).
//!
//! An expression's type is `None` when this pass cannot be sure of it:
//! `ctx` and `params` (whose classes differ between Elasticsearch versions),
//! anything read through a `def` receiver (Painless gives it the type the
//! context expects), method results it has no table for, lambdas. Nothing is
//! refused from an uncertain type: a valid script refused at load would be
//! worse than an invalid one failing when it runs, as it did before.

use super::ast::*;
use super::lib;
use super::{CompileError, ScriptContext};
use std::sync::Arc;

type R<T> = Result<T, CompileError>;

/// Checks the types of a resolved program.
///
/// An int constant Painless types as a byte, short or char (its target's
/// type, when it fits: `visitNumeric`) becomes the explicit cast giving
/// that value, which the interpreter would otherwise refuse as an int.
pub fn check(program: &mut Program, source: &str, context: ScriptContext) -> R<()> {
    let signatures: Vec<Signature> = program.functions.iter().map(|f| Signature { ret: f.ret.clone(), params: f.params.iter().map(|(t, _)| t.clone()).collect() }).collect();
    let checker = Checker { functions: &signatures, source, context };
    for Function { body, ret, .. } in &mut program.functions {
        checker.body(body, ret)?;
    }
    // The script's own method: `IngestScript.execute` returns void,
    // `IngestConditionalScript.execute` a boolean.
    let main: &Type = match context {
        ScriptContext::Ingest => &VOID,
        ScriptContext::Condition => &BOOLEAN,
    };
    checker.body(&mut program.body, main)
}

/// The error Elasticsearch gives for a method a `String` does not have,
/// when `obj` is certainly a `String` (`visitCall`: "member method [...] not found").
pub fn missing_member(obj: &Expr, name: &str, arity: usize, at: Span, context: ScriptContext) -> Option<CompileError> {
    if !is_string(obj, context) || string_method(name, arity, context).is_some() {
        return None;
    }
    Some(CompileError { offset: at.start as usize, kind: "illegal_argument_exception", message: format!("member method [java.lang.String, {name}/{arity}] not found") })
}

/// Whether `e` is certainly a `String`, told from the node alone (the
/// resolve pass asks before the rest of the program is typed).
fn is_string(e: &Expr, context: ScriptContext) -> bool {
    match &e.kind {
        ExprKind::Str(_) => true,
        ExprKind::Local(v) => !is_script_variable(v) && is_class(&v.ty, "String"),
        ExprKind::Cast(ty, _) => is_class(ty, "String"),
        ExprKind::Call { obj, name, args, .. } => {
            is_string(obj, context) && matches!(string_method(name, args.len(), context), Some(Some(ty)) if is_class(&ty, "String"))
        }
        _ => false,
    }
}

fn is_class(ty: &Type, name: &str) -> bool {
    matches!(ty, Type::Class(c) if c.name == name)
}

/// `ctx` and `params`: `Map`s whose exact class Elasticsearch's script
/// classes decide (an `IngestCtxMap` in recent versions), left untyped here.
fn is_script_variable(v: &Var) -> bool {
    v.name == "ctx" || v.name == "params"
}

static VOID: std::sync::LazyLock<Type> = std::sync::LazyLock::new(|| Type::class("void"));
static BOOLEAN: Type = Type::Prim(Prim::Boolean);
static INT: Type = Type::Prim(Prim::Int);
static DEF: Type = Type::Def;

/// The type a `return` casts its value to.
#[derive(Clone, Copy)]
enum Returns<'t> {
    To(&'t Type),
    /// Inside a lambda, whose return type depends on the interface it
    /// implements: not checked.
    Unchecked,
}

/// A cast the context requires of an expression's value: its target type
/// and the two flags of `getLegalCast`.
#[derive(Clone, Copy)]
struct Want<'t> {
    ty: &'t Type,
    explicit: bool,
    /// Set where Painless allows boxing and unboxing: arguments, returned
    /// values, list and map initialisers.
    internal: bool,
}

impl Want<'_> {
    fn implicit(ty: &Type) -> Want<'_> {
        Want { ty, explicit: false, internal: false }
    }
    fn internal(ty: &Type) -> Want<'_> {
        Want { ty, explicit: false, internal: true }
    }
}

/// What a call of a script function needs to know of it.
struct Signature {
    ret: Type,
    params: Vec<Type>,
}

struct Checker<'p> {
    functions: &'p [Signature],
    source: &'p str,
    context: ScriptContext,
}

impl Checker<'_> {
    /// A function's body (the script's own included).
    fn body(&self, stmts: &mut [Stmt], ret: &Type) -> R<()> {
        self.stmts(stmts, Returns::To(ret))
    }

    fn stmts(&self, stmts: &mut [Stmt], ret: Returns) -> R<()> {
        stmts.iter_mut().try_for_each(|s| self.stmt(s, ret))
    }

    fn stmt(&self, s: &mut Stmt, ret: Returns) -> R<()> {
        let at = s.span.start as usize;
        match &mut s.kind {
            StmtKind::Expr(e) | StmtKind::Throw(e) => self.expr(e).map(drop),
            StmtKind::Decl(ty, vars) => {
                for v in vars {
                    if let Some(init) = &mut v.init {
                        self.expr_to(init, Want::implicit(ty))?;
                    }
                }
                Ok(())
            }
            StmtKind::If(c, a, b) => {
                self.condition(c)?;
                self.stmt(a, ret)?;
                b.as_mut().map_or(Ok(()), |b| self.stmt(b, ret))
            }
            StmtKind::While(c, body) => {
                self.condition(c)?;
                body.as_mut().map_or(Ok(()), |b| self.stmt(b, ret))
            }
            StmtKind::DoWhile(body, c) => {
                self.stmt(body, ret)?;
                self.condition(c)
            }
            StmtKind::For { init, cond, after, body } => {
                if let Some(i) = init {
                    self.stmt(i, ret)?;
                }
                if let Some(c) = cond {
                    self.condition(c)?;
                }
                if let Some(a) = after {
                    self.expr(a)?;
                }
                body.as_mut().map_or(Ok(()), |b| self.stmt(b, ret))
            }
            StmtKind::ForEach { ty, iter, body, .. } => {
                // An array's elements are cast to the variable's type
                // explicitly (`visitEach`); an Iterable's come as `def`.
                if let Some(Type::Array(elem)) = self.expr(iter)? {
                    self.cast(&elem, Want { ty, explicit: true, internal: true }, at)?;
                }
                self.stmt(body, ret)
            }
            StmtKind::Block(b) => self.stmts(b, ret),
            StmtKind::Break | StmtKind::Continue => Ok(()),
            StmtKind::Return(value) => match (ret, value) {
                (Returns::To(ty), Some(e)) => self.expr_to(e, Want::internal(ty)).map(drop),
                (Returns::To(ty), None) if *ty != *VOID => Err(CompileError {
                    offset: at,
                    kind: "class_cast_exception",
                    message: format!("cannot cast from [{}] to [void]", canonical(ty)),
                }),
                (_, Some(e)) => self.expr(e).map(drop),
                (_, None) => Ok(()),
            },
            // The value of an expression statement a function returns
            // (`visitExpression` under `LastSource`) is typed without a
            // target, then cast as a returned value (`int get() {5L}` is refused).
            StmtKind::ImplicitReturn(e) => match (self.expr(e)?, ret) {
                (Some(ty), Returns::To(ret)) => self.cast(&ty, Want::internal(ret), self.location(e)),
                _ => Ok(()),
            },
            StmtKind::Try(body, catches) => {
                self.stmt(body, ret)?;
                catches.iter_mut().try_for_each(|c| self.stmt(&mut c.body, ret))
            }
        }
    }

    /// The condition of `if`, `while`, `do` and `for`: cast to boolean.
    fn condition(&self, c: &mut Expr) -> R<()> {
        self.expr_to(c, Want::implicit(&BOOLEAN)).map(drop)
    }

    /// Types `e` where the context wants `want`, and checks the cast, at
    /// `e` as Painless reports it. Returns the type after the cast.
    fn expr_to(&self, e: &mut Expr, want: Want) -> R<Option<Type>> {
        let ty = match &mut e.kind {
            // The target reaches the literal itself (`visitNumeric`): an
            // int constant that fits is a byte, short or char constant.
            ExprKind::Int(i) => {
                // (Under an explicit cast the cast converts it already.)
                let fits = !want.explicit
                    && match want.ty {
                        Type::Prim(Prim::Byte) => i8::try_from(*i).is_ok(),
                        Type::Prim(Prim::Short) => i16::try_from(*i).is_ok(),
                        Type::Prim(Prim::Char) => u16::try_from(*i).is_ok(),
                        _ => false,
                    };
                if fits {
                    let literal = Expr { kind: ExprKind::Int(*i), span: e.span };
                    e.kind = ExprKind::Cast(want.ty.clone(), Box::new(literal));
                    return Ok(Some(want.ty.clone()));
                }
                Some(INT.clone())
            }
            // `visitNull`: null takes the target type, unless primitive.
            ExprKind::Null => {
                if let Type::Prim(p) = want.ty {
                    return Err(CompileError {
                        offset: e.span.start as usize,
                        kind: "illegal_argument_exception",
                        message: format!("Cannot cast null to a primitive type [{}].", p.name()),
                    });
                }
                return Ok(Some(want.ty.clone()));
            }
            // `visitElvis`: a primitive target is refused before anything
            // else; otherwise each side is cast to the target.
            ExprKind::Elvis(a, b) => {
                if let Type::Prim(_) = want.ty {
                    return Err(CompileError { offset: e.span.start as usize, kind: "illegal_argument_exception", message: "Elvis operator cannot return primitives".into() });
                }
                let (ta, tb) = (self.expr(a)?, self.expr(b)?);
                self.elvis_operands(e.span, a, ta.as_ref(), b)?;
                for (side, ty) in [(&**a, ta), (&**b, tb)] {
                    if let (Some(ty), false) = (ty, matches!(side.kind, ExprKind::Null)) {
                        self.cast(&ty, want, self.location(side))?;
                    }
                }
                return Ok(Some(want.ty.clone()));
            }
            // `visitConditional`: with a target, each branch is cast to it.
            ExprKind::Cond(c, a, b) => {
                self.condition(c)?;
                self.expr_to(a, want)?;
                self.expr_to(b, want)?;
                return Ok(Some(want.ty.clone()));
            }
            _ => self.expr(e)?,
        };
        if let Some(ty) = &ty {
            self.cast(ty, want, self.location(e))?;
        }
        Ok(Some(want.ty.clone()))
    }

    /// `visitElvis`'s refusals of operands that make `?:` pointless.
    fn elvis_operands(&self, at: Span, a: &Expr, ta: Option<&Type>, b: &Expr) -> R<()> {
        let negative = matches!(a.kind, ExprKind::Int(_) | ExprKind::Long(_) | ExprKind::Float(_) | ExprKind::Double(_)) && self.location(a) != a.span.start as usize;
        let refusal = match &a.kind {
            ExprKind::Null => Some("Extraneous elvis operator. LHS is null."),
            // A negative number is a minus applied to a constant: a primitive, not a constant.
            ExprKind::Bool(_) | ExprKind::Int(_) | ExprKind::Long(_) | ExprKind::Float(_) | ExprKind::Double(_) | ExprKind::Str(_) if !negative => {
                Some("Extraneous elvis operator. LHS is a constant.")
            }
            _ if matches!(ta, Some(Type::Prim(_))) => Some("Extraneous elvis operator. LHS is a primitive."),
            _ if matches!(b.kind, ExprKind::Null) => Some("Extraneous elvis operator. RHS is null."),
            _ => None,
        };
        match refusal {
            Some(message) => Err(CompileError { offset: at.start as usize, kind: "illegal_argument_exception", message: message.into() }),
            None => Ok(()),
        }
    }

    /// Where Painless locates an error about `e`: its span's start, but a
    /// negative number literal (one node here) is a minus applied to the
    /// number, which the cast error names.
    fn location(&self, e: &Expr) -> usize {
        let start = e.span.start as usize;
        let literal = matches!(e.kind, ExprKind::Int(_) | ExprKind::Long(_) | ExprKind::Float(_) | ExprKind::Double(_));
        match self.source.get(start..) {
            Some(rest) if literal && rest.starts_with('-') => {
                let after = &rest[1..];
                start + 1 + (after.len() - after.trim_start().len())
            }
            _ => start,
        }
    }

    fn cast(&self, from: &Type, want: Want, offset: usize) -> R<()> {
        match legal_cast(from, want.ty, want.explicit, want.internal) {
            Some(false) => Err(CompileError {
                offset,
                kind: "class_cast_exception",
                message: format!("Cannot cast from [{}] to [{}].", canonical(from), canonical(want.ty)),
            }),
            _ => Ok(()),
        }
    }

    /// The static type of `e` with no target (`None`: not certain), after
    /// checking what is inside it.
    fn expr(&self, e: &mut Expr) -> R<Option<Type>> {
        Ok(match &mut e.kind {
            ExprKind::Null | ExprKind::Name(_) | ExprKind::Class(_) => None,
            ExprKind::Bool(_) => Some(BOOLEAN.clone()),
            ExprKind::Int(_) => Some(INT.clone()),
            ExprKind::Long(_) => Some(Type::Prim(Prim::Long)),
            ExprKind::Float(_) => Some(Type::Prim(Prim::Float)),
            ExprKind::Double(_) => Some(Type::Prim(Prim::Double)),
            ExprKind::Str(_) => Some(Type::class("String")),
            ExprKind::Regex(_) => Some(Type::class("Pattern")),
            ExprKind::Local(v) => (!is_script_variable(v)).then(|| v.ty.clone()),
            ExprKind::ListInit(items) => {
                for item in items {
                    self.expr_to(item, Want::internal(&DEF))?;
                }
                Some(Type::class("ArrayList"))
            }
            ExprKind::MapInit(entries) => {
                for (k, v) in entries {
                    self.expr_to(k, Want::internal(&DEF))?;
                    self.expr_to(v, Want::internal(&DEF))?;
                }
                Some(Type::class("HashMap"))
            }
            ExprKind::New { class, args } => {
                for a in args {
                    self.expr(a)?;
                }
                Some(Type::class(class.as_str()))
            }
            ExprKind::NewArray { elem, dims } => {
                for d in dims {
                    self.expr_to(d, Want::internal(&INT))?;
                }
                Some(Type::Array(Box::new(elem.clone())))
            }
            ExprKind::NewArrayInit { elem, items } => {
                for item in items {
                    self.expr_to(item, Want::internal(elem))?;
                }
                Some(Type::Array(Box::new(elem.clone())))
            }
            ExprKind::Field { obj, name, .. } => match self.expr(obj)? {
                Some(Type::Array(_)) if name == "length" => Some(INT.clone()),
                _ => None,
            },
            ExprKind::Index { obj, index } => match self.expr(obj)? {
                Some(Type::Array(elem)) => {
                    self.expr_to(index, Want::implicit(&INT))?;
                    Some(*elem)
                }
                _ => {
                    self.expr(index)?;
                    None
                }
            },
            ExprKind::Call { obj, name, args, .. } => {
                let receiver = self.expr(obj)?;
                let params = match &receiver {
                    Some(ty) if is_class(ty, "String") => string_method_params(name, args.len()),
                    _ => None,
                };
                let box_param = match (&obj.kind, args.len()) {
                    (ExprKind::Class(class), 1) => box_static_param(class, name).map(Type::Prim),
                    _ => None,
                };
                for (i, a) in args.iter_mut().enumerate() {
                    match (params.and_then(|p| p.get(i)), &box_param) {
                        (Some(param), _) => self.expr_to(a, Want::internal(&param.ty()))?,
                        (None, Some(param)) => self.expr_to(a, Want::internal(param))?,
                        (None, None) => self.expr(a)?,
                    };
                }
                match (&obj.kind, receiver) {
                    (ExprKind::Class(class), _) => static_method(class, name, args.len()),
                    (_, Some(ty)) if is_class(&ty, "String") => string_method(name, args.len(), self.context).flatten(),
                    _ => None,
                }
            }
            ExprKind::LocalCall { index, args, .. } => {
                let f = self.functions.get(*index);
                for (i, a) in args.iter_mut().enumerate() {
                    match f.and_then(|f| f.params.get(i)) {
                        Some(ty) => self.expr_to(a, Want::internal(ty))?,
                        None => self.expr(a)?,
                    };
                }
                f.map(|f| f.ret.clone())
            }
            ExprKind::Unary(UnOp::Not, x) => {
                self.expr_to(x, Want::implicit(&BOOLEAN))?;
                Some(BOOLEAN.clone())
            }
            ExprKind::Unary(op, x) => match self.expr(x)? {
                Some(Type::Prim(p)) => promote_numeric(p, *op != UnOp::BitNot).map(Type::Prim),
                _ => None,
            },
            ExprKind::Binary(op, a, b) => {
                let (ta, tb) = (self.expr(a)?, self.expr(b)?);
                binary_type(*op, ta.as_ref(), tb.as_ref())
            }
            ExprKind::And(a, b) | ExprKind::Or(a, b) => {
                self.expr_to(a, Want::implicit(&BOOLEAN))?;
                self.expr_to(b, Want::implicit(&BOOLEAN))?;
                Some(BOOLEAN.clone())
            }
            ExprKind::Cond(c, a, b) => {
                self.condition(c)?;
                let (ta, tb) = (self.expr(a)?, self.expr(b)?);
                match (ta, tb) {
                    (Some(Type::Prim(x)), Some(Type::Prim(y))) => promote_conditional(x, y).map(Type::Prim),
                    (Some(x), Some(y)) if x == y => Some(x),
                    _ => None,
                }
            }
            ExprKind::Elvis(a, b) => {
                let (ta, tb) = (self.expr(a)?, self.expr(b)?);
                self.elvis_operands(e.span, a, ta.as_ref(), b)?;
                ta.filter(|ta| Some(ta) == tb.as_ref())
            }
            ExprKind::InstanceOf(x, _) => {
                self.expr(x)?;
                Some(BOOLEAN.clone())
            }
            // `visitExplicit`: the child is cast explicitly, not internally.
            ExprKind::Cast(ty, x) => {
                self.expr_to(x, Want { ty, explicit: true, internal: false })?;
                Some(ty.clone())
            }
            // `visitAssignment`: the value is cast to the type of what it
            // is stored in, when known (a typed local, an array's element).
            ExprKind::Assign { target, op: None, value } => {
                let slot = match &target.kind {
                    ExprKind::Local(v) => (!is_script_variable(v)).then(|| v.ty.clone()),
                    ExprKind::Index { .. } => self.expr(target)?,
                    _ => {
                        self.expr(target)?;
                        None
                    }
                };
                match slot {
                    Some(ty) => self.expr_to(value, Want::implicit(&ty))?,
                    None => {
                        self.expr(value)?;
                        None
                    }
                }
            }
            ExprKind::Assign { target, value, .. } => {
                self.expr(target)?;
                self.expr(value)?;
                None
            }
            ExprKind::IncDec { target, .. } => {
                self.expr(target)?;
                None
            }
            ExprKind::Lambda(l) => {
                match &mut Arc::make_mut(l).body {
                    LambdaBody::Expr(x) => {
                        self.expr(x)?;
                    }
                    LambdaBody::Block(b) => self.stmts(b, Returns::Unchecked)?,
                }
                None
            }
            ExprKind::FuncRef(f) => {
                if let FuncRef::Bound { receiver, .. } = Arc::make_mut(f) {
                    self.expr(receiver)?;
                }
                None
            }
        })
    }
}

/// Java's canonical name of a type, as Painless names it in messages
/// (`PainlessLookupUtility.typeToCanonicalTypeName`).
fn canonical(ty: &Type) -> String {
    match ty {
        Type::Def => "def".into(),
        Type::Prim(p) => p.name().into(),
        Type::Class(c) if c.name == "void" => "void".into(),
        Type::Class(c) => lib::qualified_class(&c.name).replace('$', "."),
        Type::Array(t) => format!("{}[]", canonical(t)),
    }
}

/// Numeric widening, Java's: byte → short → int → long → float → double, char → int.
fn widens(from: Prim, to: Prim) -> bool {
    use Prim::*;
    matches!(
        (from, to),
        (Byte, Short | Int | Long | Float | Double) | (Short | Char, Int | Long | Float | Double) | (Int, Long | Float | Double) | (Long, Float | Double) | (Float, Double)
    )
}

/// The primitive a box class holds.
fn unboxed(ty: &Type) -> Option<Prim> {
    match ty {
        Type::Class(c) => lib::boxed_prim(&c.name),
        _ => None,
    }
}

/// The classes of the final classes this pass knows the whole ancestry
/// of, with their whitelisted supertypes: a cast to or from them is
/// decided without a class hierarchy.
fn final_class_supertypes(name: &str) -> Option<&'static [&'static str]> {
    Some(match name {
        "String" => &["Object", "CharSequence", "Comparable"],
        "Integer" | "Long" | "Short" | "Byte" | "Float" | "Double" => &["Object", "Number", "Comparable"],
        "Boolean" | "Character" => &["Object", "Comparable"],
        _ => return None,
    })
}

/// `AnalyzerCaster.getLegalCast`: whether a value of type `from` may be
/// cast to `to`; `None` when this pass cannot tell (two classes whose
/// hierarchy it does not hold).
pub fn legal_cast(from: &Type, to: &Type, explicit: bool, internal: bool) -> Option<bool> {
    if from == to {
        return Some(true);
    }
    let void = |t: &Type| matches!(t, Type::Class(c) if c.name == "void");
    match (from, to) {
        // def converts to anything but void, anything but void to def.
        (Type::Def, _) => Some(!void(to)),
        (_, Type::Def) => Some(!void(from)),
        (Type::Prim(p), Type::Prim(q)) => Some(*p != Prim::Boolean && *q != Prim::Boolean && (widens(*p, *q) || explicit)),
        // Boxing, only where Painless boxes (`internal`): to Object, to
        // Number (not a boolean), to the box of the primitive or of a type
        // it widens to (a char to Character only).
        (Type::Prim(p), Type::Class(c)) => Some(
            internal
                && match c.name.as_str() {
                    "Object" => true,
                    "Number" => *p != Prim::Boolean,
                    _ => unboxed(to).is_some_and(|q| q == *p || widens(*p, q)),
                }
                || (*p == Prim::Char && explicit && c.name == "String"),
        ),
        // A String of one character converts to char explicitly; a box
        // unboxes (internally) to its primitive or one it widens to, and to
        // the boxes of those.
        (Type::Class(c), Type::Prim(q)) => {
            Some((c.name == "String" && *q == Prim::Char && explicit) || (internal && unboxed(from).is_some_and(|p| p == *q || widens(p, *q))))
        }
        (Type::Class(a), Type::Class(b)) => {
            if void(from) || void(to) {
                return Some(false);
            }
            if let (Some(p), Some(q)) = (unboxed(from), unboxed(to)) {
                if internal && widens(p, q) {
                    return Some(true);
                }
            }
            // What remains is `isAssignableFrom` either way.
            let (a, b) = (a.name.as_str(), b.name.as_str());
            if b == "Object" || (explicit && a == "Object") {
                return Some(true);
            }
            match (final_class_supertypes(a), final_class_supertypes(b)) {
                (Some(supers), _) => Some(supers.contains(&b) || (explicit && a == b)),
                (None, Some(supers)) => Some(explicit && supers.contains(&a)),
                (None, None) => None,
            }
        }
        // An array is an Object; arrays of different types are left alone.
        (Type::Array(_), Type::Class(c)) => Some(c.name == "Object"),
        (Type::Class(c), Type::Array(_)) => Some(c.name == "Object" && explicit),
        (Type::Array(_), Type::Array(_)) => None,
        (Type::Prim(_), Type::Array(_)) | (Type::Array(_), Type::Prim(_)) => Some(false),
    }
}

/// `AnalyzerCaster.promoteNumeric` of one primitive.
fn promote_numeric(p: Prim, decimal: bool) -> Option<Prim> {
    match p {
        Prim::Double | Prim::Float if decimal => Some(p),
        Prim::Long => Some(p),
        Prim::Int | Prim::Char | Prim::Short | Prim::Byte => Some(Prim::Int),
        _ => None,
    }
}

/// `AnalyzerCaster.promoteNumeric` of two primitives.
fn promote_numeric2(a: Prim, b: Prim, decimal: bool) -> Option<Prim> {
    let either = |p: Prim| a == p || b == p;
    if a == Prim::Boolean || b == Prim::Boolean {
        return None;
    }
    if decimal && either(Prim::Double) {
        Some(Prim::Double)
    } else if decimal && either(Prim::Float) {
        Some(Prim::Float)
    } else if either(Prim::Long) {
        Some(Prim::Long)
    } else if either(Prim::Float) || either(Prim::Double) {
        None
    } else {
        Some(Prim::Int)
    }
}

/// `AnalyzerCaster.promoteConditional` of two primitives.
fn promote_conditional(a: Prim, b: Prim) -> Option<Prim> {
    use Prim::*;
    if a == b {
        return Some(a);
    }
    if a == Boolean || b == Boolean {
        return None;
    }
    let either = |p: Prim| a == p || b == p;
    if either(Double) {
        Some(Double)
    } else if either(Float) {
        Some(Float)
    } else if either(Long) {
        Some(Long)
    } else if either(Int) {
        Some(Int)
    } else if either(Char) {
        // char with byte or short: int; byte with short has no promotion.
        Some(Int)
    } else {
        None
    }
}

/// The type of a binary operation (`visitBinary`), when both operands are
/// primitives (or a String for `+`): then Painless's operand casts are
/// widenings and cannot fail. `None` for `def` (the result takes the
/// target's type) and for what Painless refuses with another error.
fn binary_type(op: BinOp, a: Option<&Type>, b: Option<&Type>) -> Option<Type> {
    use BinOp::*;
    match op {
        Lt | Le | Gt | Ge | Eq | Ne | RefEq | RefNe | Find | Match => return Some(BOOLEAN.clone()),
        _ => {}
    }
    let string = |t: Option<&Type>| t.is_some_and(|t| is_class(t, "String"));
    if op == Add && (string(a) || string(b)) {
        return Some(Type::class("String"));
    }
    let (Some(Type::Prim(x)), Some(Type::Prim(y))) = (a, b) else { return None };
    let (x, y) = (*x, *y);
    match op {
        Mul | Div | Rem | Add | Sub => promote_numeric2(x, y, true),
        Shl | Shr | Ushr => promote_numeric(y, false).and(promote_numeric(x, false)),
        BitAnd | BitOr => promote_numeric2(x, y, false),
        Xor if x == Prim::Boolean || y == Prim::Boolean => Some(Prim::Boolean),
        Xor => promote_numeric2(x, y, false),
        _ => None,
    }
    .map(Type::Prim)
}

/// The whitelisted instance methods of `java.lang.String` (its own, those
/// of CharSequence, Comparable and Object, and the augmentations; the
/// ingest context adds `sha1`, `sha256`, `sha512`), from lang-painless's
/// `java.lang.txt` and `org.elasticsearch.script.ingest.txt`: `None` when
/// absent, else the result type when this pass knows it.
fn string_method(name: &str, arity: usize, context: ScriptContext) -> Option<Option<Type>> {
    let string = || Some(Type::class("String"));
    let prim = |p: Prim| Some(Type::Prim(p));
    Some(match (name, arity) {
        ("charAt", 1) => prim(Prim::Char),
        ("length" | "hashCode", 0) => prim(Prim::Int),
        ("codePointAt" | "codePointBefore" | "compareTo" | "compareToIgnoreCase" | "indexOf" | "lastIndexOf", 1) => prim(Prim::Int),
        ("codePointCount" | "offsetByCodePoints" | "indexOf" | "lastIndexOf", 2) => prim(Prim::Int),
        ("isEmpty", 0) => prim(Prim::Boolean),
        ("contains" | "contentEquals" | "endsWith" | "equalsIgnoreCase" | "startsWith" | "equals", 1) => prim(Prim::Boolean),
        ("startsWith", 2) | ("regionMatches", 4 | 5) => prim(Prim::Boolean),
        ("concat" | "substring" | "toLowerCase" | "toUpperCase", 1) => string(),
        ("substring" | "replace" | "replaceAll" | "replaceFirst", 2) => string(),
        ("toLowerCase" | "toUpperCase" | "trim" | "toString" | "encodeBase64" | "decodeBase64", 0) => string(),
        ("sha1" | "sha256" | "sha512", 0) if context == ScriptContext::Ingest => string(),
        ("splitOnToken", 1 | 2) => Some(Type::Array(Box::new(Type::class("String")))),
        ("toCharArray", 0) => Some(Type::Array(Box::new(Type::Prim(Prim::Char)))),
        ("getChars", 4) => Some(VOID.clone()),
        ("subSequence", 2) | ("chars" | "codePoints", 0) => None,
        _ => return None,
    })
}

/// A parameter type of a `String` method.
#[derive(Clone, Copy)]
enum Param {
    Int,
    String,
    CharSequence,
}

impl Param {
    fn ty(self) -> Type {
        match self {
            Param::Int => INT.clone(),
            Param::String => Type::class("String"),
            Param::CharSequence => Type::class("CharSequence"),
        }
    }
}

/// The parameter types of the `String` methods that take only ints,
/// Strings and CharSequences (`java.lang.txt`; `compareTo` is String's own
/// `compareTo(String)`, which hides Comparable's); their arguments are cast
/// to them as returned values are (`visitCall`, internal casts).
fn string_method_params(name: &str, arity: usize) -> Option<&'static [Param]> {
    use Param::*;
    Some(match (name, arity) {
        ("charAt" | "codePointAt" | "codePointBefore" | "substring", 1) => &[Int],
        ("codePointCount" | "offsetByCodePoints" | "substring" | "subSequence", 2) => &[Int, Int],
        ("indexOf" | "lastIndexOf" | "startsWith" | "endsWith" | "equalsIgnoreCase" | "concat" | "compareTo" | "compareToIgnoreCase" | "splitOnToken", 1) => &[String],
        ("indexOf" | "lastIndexOf" | "startsWith" | "splitOnToken", 2) => &[String, Int],
        ("contains" | "contentEquals", 1) => &[CharSequence],
        ("replace", 2) => &[CharSequence, CharSequence],
        _ => return None,
    })
}

/// The parameter of a box's one-argument `valueOf` and `hashCode`
/// (java.lang.txt: `Integer valueOf(int)`, `int hashCode(int)`, ...;
/// there is no `valueOf(String)`, so a String argument is refused as a
/// cast to the primitive).
fn box_static_param(class: &str, name: &str) -> Option<Prim> {
    match name {
        "valueOf" | "hashCode" => lib::boxed_prim(class),
        _ => None,
    }
}

/// Result types of common static methods, from lang-painless's `java.lang.txt`.
fn static_method(class: &str, name: &str, arity: usize) -> Option<Type> {
    let prim = |p: Prim| Some(Type::Prim(p));
    match (class, name, arity) {
        ("Math" | "StrictMath", "round", 1) => prim(Prim::Long),
        ("Math" | "StrictMath", "random", 0) => prim(Prim::Double),
        ("Math" | "StrictMath", "abs" | "ceil" | "floor" | "sqrt" | "cbrt" | "exp" | "log" | "log10" | "signum" | "rint", 1) => prim(Prim::Double),
        ("Math" | "StrictMath", "max" | "min" | "pow" | "atan2" | "hypot", 2) => prim(Prim::Double),
        ("Integer", "parseInt" | "parseUnsignedInt", 1 | 2) => prim(Prim::Int),
        ("Integer", "compareUnsigned" | "divideUnsigned" | "remainderUnsigned", 2) => prim(Prim::Int),
        ("Integer", "toUnsignedLong", 1) => prim(Prim::Long),
        ("Integer", "toUnsignedString", 1 | 2) => Some(Type::class("String")),
        ("Long", "parseLong" | "parseUnsignedLong", 1 | 2) => prim(Prim::Long),
        ("Long", "compareUnsigned", 2) => prim(Prim::Int),
        ("Long", "divideUnsigned" | "remainderUnsigned", 2) => prim(Prim::Long),
        ("Long", "toUnsignedString", 1 | 2) => Some(Type::class("String")),
        ("Integer", "reverse" | "reverseBytes" | "highestOneBit" | "lowestOneBit", 1) | ("Integer", "rotateLeft" | "rotateRight", 2) => prim(Prim::Int),
        ("Long", "reverse" | "reverseBytes" | "highestOneBit" | "lowestOneBit", 1) | ("Long", "rotateLeft" | "rotateRight", 2) => prim(Prim::Long),
        ("Integer" | "Long", "numberOfLeadingZeros" | "numberOfTrailingZeros", 1) => prim(Prim::Int),
        ("Short", "reverseBytes", 1) => prim(Prim::Short),
        ("Short" | "Byte", "toUnsignedInt", 1) => prim(Prim::Int),
        ("Short" | "Byte", "toUnsignedLong", 1) => prim(Prim::Long),
        ("Double", "parseDouble", 1) => prim(Prim::Double),
        ("Float", "parseFloat", 1) => prim(Prim::Float),
        ("Boolean", "parseBoolean", 1) => prim(Prim::Boolean),
        ("String", "valueOf", 1) | ("String", "join", 2) => Some(Type::class("String")),
        ("Integer" | "Long", "toString" | "toHexString" | "toOctalString" | "toBinaryString", 1) => Some(Type::class("String")),
        ("Integer" | "Long" | "Double" | "Float" | "Short" | "Byte" | "Boolean" | "Character", "hashCode", 1) => prim(Prim::Int),
        ("Integer" | "Long", "bitCount" | "signum", 1) => prim(Prim::Int),
        ("Boolean", "logicalAnd" | "logicalOr" | "logicalXor", 2) => prim(Prim::Boolean),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{compile, Script};
    use super::ScriptContext;
    use crate::error::EsError;
    use crate::value::Map;

    use super::super::compile_refusal as refused;

    fn cast_error(src: &str, context: ScriptContext) -> (String, i64) {
        let (kind, reason, offset) = refused(src, context);
        assert_eq!(kind, "class_cast_exception", "{src}: {reason}");
        (reason, offset)
    }

    fn ingest(src: &str) -> Script {
        compile(src, ScriptContext::Ingest).unwrap_or_else(|e| panic!("{src}: {}", e.to_value().to_json()))
    }

    fn run(src: &str) -> Result<Map, EsError> {
        let mut ctx = Map::default();
        ingest(src).execute(&mut ctx, &Map::default()).map(|_| ctx)
    }

    // java.lang.txt's boxes have `valueOf(prim)` and `valueOf(String,int)`,
    // no `valueOf(String)`: a String argument is cast to the primitive
    // (visitCall's internal casts) and refused.
    #[test]
    fn box_value_of_takes_its_primitive() {
        let cases: &[(&str, &str, i64)] = &[
            ("ctx.a = Integer.valueOf('12')", "Cannot cast from [java.lang.String] to [int].", 24),
            ("ctx.a = Long.valueOf('12')", "Cannot cast from [java.lang.String] to [long].", 21),
            ("ctx.a = Double.valueOf('1.5')", "Cannot cast from [java.lang.String] to [double].", 23),
            ("ctx.a = Boolean.valueOf('true')", "Cannot cast from [java.lang.String] to [boolean].", 24),
            ("ctx.a = Integer.valueOf(1L)", "Cannot cast from [long] to [int].", 24),
            ("ctx.a = Integer.hashCode('x')", "Cannot cast from [java.lang.String] to [int].", 25),
        ];
        for (src, message, offset) in cases {
            assert_eq!(cast_error(src, ScriptContext::Ingest), (message.to_string(), *offset), "{src}");
        }
        // The one- and two-argument forms that exist.
        let ctx = run("ctx.a = Integer.valueOf(12); ctx.b = Integer.valueOf('ff', 16); ctx.c = Long.valueOf(3); ctx.d = Boolean.valueOf(true)").unwrap();
        assert_eq!(crate::value::Value::Map(ctx).to_json(), r#"{"a":12,"b":255,"c":3,"d":true}"#);
        // A `def` holding a String fails when the call runs, as the cast from def does.
        let e = run("def s = '12'; ctx.a = Integer.valueOf(s)").unwrap_err();
        assert_eq!(e.caused_by.unwrap().reason, "cannot cast def [java.lang.String] to int");
    }

    // AnalyzerCaster.getLegalCast: implicit numeric casts only widen; the
    // error is at the value (DefaultSemanticAnalysisPhase.visitDeclaration).
    #[test]
    fn declarations_refuse_what_the_caster_refuses() {
        let cases: &[(&str, &str, i64)] = &[
            ("int x = 1L;", "Cannot cast from [long] to [int].", 8),
            ("long l = 1; int i = l;", "Cannot cast from [long] to [int].", 20),
            ("float f = 1.5;", "Cannot cast from [double] to [float].", 10),
            ("int i = 'a';", "Cannot cast from [java.lang.String] to [int].", 8),
            ("String s = 5;", "Cannot cast from [int] to [java.lang.String].", 11),
            ("boolean b = 1;", "Cannot cast from [int] to [boolean].", 12),
            ("int b = true;", "Cannot cast from [boolean] to [int].", 8),
            // A String converts to char only by an explicit cast, char to String too.
            ("char c = 'a';", "Cannot cast from [java.lang.String] to [char].", 9),
            ("char c = 65; String s = c;", "Cannot cast from [char] to [java.lang.String].", 24),
            // Boxing happens only for arguments, returned values and initialisers.
            ("Integer x = 1;", "Cannot cast from [int] to [java.lang.Integer].", 12),
            ("Object o = 1;", "Cannot cast from [int] to [java.lang.Object].", 11),
            // An int constant is a byte only when it fits.
            ("byte b = 200;", "Cannot cast from [int] to [byte].", 9),
            // Math's whitelisted overloads take and return double.
            ("int m = Math.max(1, 2);", "Cannot cast from [double] to [int].", 12),
            ("int r = Math.round(2.5);", "Cannot cast from [long] to [int].", 12),
            ("int x = 1 + 2L;", "Cannot cast from [long] to [int].", 8),
            ("String s = 'a'; int n = s.length() + s;", "Cannot cast from [java.lang.String] to [int].", 24),
            // A conditional's branches are each cast to the target.
            ("int x = true ? 1 : 2L;", "Cannot cast from [long] to [int].", 19),
            // A negative constant is a minus applied to the number, which the error names.
            ("int x = -1L;", "Cannot cast from [long] to [int].", 9),
            ("int x; x = 2.0;", "Cannot cast from [double] to [int].", 11),
            ("int[] a = new int[1]; a[0] = 1L;", "Cannot cast from [long] to [int].", 29),
            ("String[] a = new String[] {1};", "Cannot cast from [int] to [java.lang.String].", 27),
            // String is final: no other class converts to it, even explicitly.
            ("def m = (Map) 'x';", "Cannot cast from [java.lang.String] to [java.util.Map].", 14),
            ("def s = (String) new ArrayList();", "Cannot cast from [java.util.ArrayList] to [java.lang.String].", 17),
            ("def l = (long) 'x';", "Cannot cast from [java.lang.String] to [long].", 15),
        ];
        for (src, reason, offset) in cases {
            assert_eq!(cast_error(src, ScriptContext::Ingest), (reason.to_string(), *offset), "{src}");
        }
        let (kind, reason, offset) = refused("int x = null;", ScriptContext::Ingest);
        assert_eq!((kind.as_str(), reason.as_str(), offset), ("illegal_argument_exception", "Cannot cast null to a primitive type [int].", 8));
    }

    #[test]
    fn legal_casts_compile_and_keep_their_values() {
        let src = "
            long l = 1; double d = l; float f = 2L; int c = 'a'.charAt(0); double w = 'b'.charAt(0);
            int n = (int) 3.9; char k = (char) 'x'; String s = (String) (char) 65; Object o = 'str';
            String back = (String) o; CharSequence cs = 'q'; byte b = 1; short sh = -300; char ch = 66;
            def x = 5L; List list = [1, 2]; Map map = ['a': 1]; int[] arr = new int[] {1, 2}; int len = arr.length;
            ctx.r = [l, d, f, c, w, n, k, s, back, cs, b, sh, ch, x, list, map, arr[1], len, 1 + 'a'];
        ";
        let out = run(src).unwrap();
        assert_eq!(out["r"].to_json(), r#"[1,1.0,2.0,97,98.0,3,"x","A","str","q",1,-300,"B",5,[1,2],{"a":1},2,2,"1a"]"#);
    }

    // visitNumeric: an int constant with a byte, short or char target is of
    // that type, wherever the target comes from.
    #[test]
    fn int_constants_take_a_narrow_target_type() {
        let src = "
            byte f() { return 1 } def g(short x) { return x } byte b = true ? 2 : 3; char[] cs = new char[] {65};
            short s; s = -300; byte[] bs = new byte[1]; bs[0] = 7; ctx.r = [f(), g(4), b, cs[0], s, (byte) 5, bs[0]];
        ";
        assert_eq!(run(src).unwrap()["r"].to_json(), r#"[1,4,2,"A",-300,5,7]"#);
    }

    // visitElvis: `?:` takes no primitive target and no pointless operand.
    #[test]
    fn elvis_refusals() {
        let cases: &[(&str, &str, i64)] = &[
            ("int n = ctx.count ?: 0;", "Elvis operator cannot return primitives", 8),
            ("if (ctx.flag ?: false) { ctx.a = 1 }", "Elvis operator cannot return primitives", 4),
            ("def x = null ?: 1;", "Extraneous elvis operator. LHS is null.", 8),
            ("def x = 'a' ?: 'b';", "Extraneous elvis operator. LHS is a constant.", 8),
            ("def x = -1 ?: 2;", "Extraneous elvis operator. LHS is a primitive.", 8),
            ("int i = 1; def x = i ?: 2;", "Extraneous elvis operator. LHS is a primitive.", 19),
            ("def x = ctx.a ?: null;", "Extraneous elvis operator. RHS is null.", 8),
        ];
        for (src, reason, offset) in cases {
            let (kind, got, at) = refused(src, ScriptContext::Ingest);
            assert_eq!((kind.as_str(), got.as_str(), at), ("illegal_argument_exception", *reason, *offset), "{src}");
        }
        assert_eq!(cast_error("String s = ctx.a ?: 1;", ScriptContext::Ingest), ("Cannot cast from [int] to [java.lang.String].".to_string(), 20));
        assert_eq!(run("String s = ctx.a ?: 'none'; def d = ctx.b ?: 2; ctx.r = [s, d]").unwrap()["r"].to_json(), r#"["none",2]"#);
    }

    // visitIf, visitWhile, visitDo, visitFor, visitUnary (`!`), visitBooleanComp.
    #[test]
    fn conditions_must_be_boolean() {
        let cases: &[(&str, &str, i64)] = &[
            ("if (1) { ctx.a = 1 }", "Cannot cast from [int] to [boolean].", 4),
            ("while ('x') { ctx.a = 1 }", "Cannot cast from [java.lang.String] to [boolean].", 7),
            ("do { ctx.a = 1 } while (2L)", "Cannot cast from [long] to [boolean].", 24),
            ("for (int i = 0; i; i++) { ctx.a = 1 }", "Cannot cast from [int] to [boolean].", 16),
            ("ctx.a = !1", "Cannot cast from [int] to [boolean].", 9),
            ("ctx.a = true && 'x'", "Cannot cast from [java.lang.String] to [boolean].", 16),
            ("ctx.a = 1 ? 2 : 3", "Cannot cast from [int] to [boolean].", 8),
        ];
        for (src, reason, offset) in cases {
            assert_eq!(cast_error(src, ScriptContext::Ingest), (reason.to_string(), *offset), "{src}");
        }
        // A `def` condition stays a run-time check.
        let e = run("def x = 1; if (x) { ctx.a = 1 }").unwrap_err();
        assert_eq!(e.reason, "runtime error");
        assert_eq!(e.caused_by.unwrap().reason, "cannot cast def [int] to boolean");
    }

    // visitReturn (internal casts) and visitExpression's returned last statement.
    #[test]
    fn returned_values_are_cast_to_the_return_type() {
        let cases: &[(&str, ScriptContext, &str, i64)] = &[
            ("int get() { return 5L } ctx.a = get()", ScriptContext::Ingest, "Cannot cast from [long] to [int].", 19),
            // UserFunctionTests.testBadCastFromMethod: the last expression is returned.
            ("int get() {5L} ctx.a = get()", ScriptContext::Ingest, "Cannot cast from [long] to [int].", 11),
            ("String f(int x) { return x } ctx.a = f(1)", ScriptContext::Ingest, "Cannot cast from [int] to [java.lang.String].", 25),
            // An ingest script returns void (elastic/elasticsearch#35888).
            ("return true", ScriptContext::Ingest, "Cannot cast from [boolean] to [void].", 7),
            ("def x = 1; return x", ScriptContext::Ingest, "Cannot cast from [def] to [void].", 18),
            // A condition returns a boolean.
            ("return 'yes'", ScriptContext::Condition, "Cannot cast from [java.lang.String] to [boolean].", 7),
            ("1", ScriptContext::Condition, "Cannot cast from [int] to [boolean].", 0),
            // Typed before it is cast: an int constant stays an int.
            ("byte get() {1} ctx.a = get()", ScriptContext::Ingest, "Cannot cast from [int] to [byte].", 12),
            // Arguments of script functions are cast to the parameters' types.
            ("int f(int x) { return x } ctx.a = f(1L)", ScriptContext::Ingest, "Cannot cast from [long] to [int].", 36),
        ];
        for (src, context, reason, offset) in cases {
            assert_eq!(cast_error(src, *context), (reason.to_string(), *offset), "{src}");
        }
        let (reason, offset) = cast_error("int f() { return; } ctx.a = f()", ScriptContext::Ingest);
        assert_eq!((reason.as_str(), offset), ("cannot cast from [int] to [void]", 10));
        // Returned values box; `return;` is a void script's; `def` converts.
        let out = run("Integer boxed() { return 1 } long wide() { return 1 } def any() { return 'x' } ctx.r = [boxed(), wide(), any()]; return;").unwrap();
        assert_eq!(out["r"].to_json(), r#"[1,1,"x"]"#);
        assert!(compile("return ctx.a == 1", ScriptContext::Condition).is_ok());
        // The last expression is typed without the boolean target: no elvis refusal.
        assert!(compile("ctx.a?.enabled ?: false", ScriptContext::Condition).is_ok());
    }

    // visitCall: a statically typed receiver's method is looked up when compiling.
    #[test]
    fn string_receivers_have_only_the_whitelisted_methods() {
        let (kind, reason, offset) = refused("String s = 'a'; s.foo();", ScriptContext::Ingest);
        assert_eq!((kind.as_str(), reason.as_str(), offset), ("illegal_argument_exception", "member method [java.lang.String, foo/0] not found", 17));
        // A method of another class (a List's) on a String.
        let (_, reason, _) = refused("ctx.a = 'abc'.add(1)", ScriptContext::Ingest);
        assert_eq!(reason, "member method [java.lang.String, add/1] not found");
        let (_, reason, _) = refused("String s = 'a'; ctx.a = s.trim().substring(1, 2, 3)", ScriptContext::Ingest);
        assert_eq!(reason, "member method [java.lang.String, substring/3] not found");
        // Arguments are cast to the parameters' types (lang-painless's
        // unit test testIllegalCastInMethodArgument).
        assert_eq!(cast_error("ctx.a = 'a'.charAt(0L)", ScriptContext::Ingest), ("Cannot cast from [long] to [int].".to_string(), 19));
        assert_eq!(cast_error("ctx.a = 'a'.charAt(0.0f)", ScriptContext::Ingest).0, "Cannot cast from [float] to [int].");
        let (reason, _) = cast_error("char c = 65; ctx.a = 'abc'.indexOf(c)", ScriptContext::Ingest);
        assert_eq!(reason, "Cannot cast from [char] to [java.lang.String].");
        let (reason, _) = cast_error("ctx.a = 'abc'.contains(1)", ScriptContext::Ingest);
        assert_eq!(reason, "Cannot cast from [int] to [java.lang.CharSequence].");
        assert!(compile("ctx.a = 'abc'.substring((byte) 1, 'abc'.length()) + 'abc'.contains('b') + 'x'.equals(1)", ScriptContext::Ingest).is_ok());
        // The ingest context whitelists sha1/sha256/sha512; conditions do not.
        let (_, reason, _) = refused("'a'.sha256() == 'x'", ScriptContext::Condition);
        assert_eq!(reason, "member method [java.lang.String, sha256/0] not found");
        // A `def` receiver still finds its method at run time.
        let e = run("def s = 'a'; ctx.a = s.put(1, 2)").unwrap_err();
        assert_eq!(e.caused_by.unwrap().reason, "dynamic method [java.lang.String, put/2] not found");
    }

    #[test]
    fn uncertain_types_are_left_to_run_time() {
        // ctx's class differs between Elasticsearch versions; a def read
        // takes the type its context wants.
        for src in ["int x = ctx.a; ctx.b = x", "String s = ctx.a.b; ctx.c = s", "int n = params.size(); ctx.n = n", "long l = ctx.list[0];"] {
            let e = compile(src, ScriptContext::Ingest).err();
            assert!(e.is_none(), "{src}: {}", e.unwrap().to_value().to_json());
        }
    }
}
