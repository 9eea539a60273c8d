//! The control-flow pass: Painless's rules for how statements end, from its
//! semantic analysis (`phase/DefaultSemanticAnalysisPhase.java`: `visitFunction`,
//! `visitBlock`, `visitIf`, `visitIfElse`, `visitWhile`, `visitDo`, `visitFor`,
//! `visitEach`, `visitTry`, `visitCatch`, `visitExpression`, `visitReturn`,
//! `visitThrow`, `visitBreak`, `visitContinue`; `PainlessSemanticAnalysisPhase.java`
//! for the script's own `execute`).
//!
//! Painless passes the condition `LastSource` from a function body to its
//! last statement, through the blocks of `if`, `else`, `try` and `catch`
//! (never into a loop). An expression statement under it, in a function
//! that returns a value, returns its value: this pass makes it a
//! [`StmtKind::ImplicitReturn`]. It then refuses what Painless refuses from
//! how statements escape (`return`, `throw`, `break`, `continue`, endless
//! loops): unreachable statements, extraneous `if`/`else`/loops/`continue`,
//! `break` and `continue` outside a loop, and functions with a path that
//! returns no value.
//!
//! Painless's parser (`Walker.visitBlock`) makes an empty block `{}`, like the
//! empty statement `;` of a loop, no block at all: the parser here keeps it
//! as an empty `Block` or `None`, which this pass treats alike.
//!
//! A lambda's body is analysed as a function's that returns a value
//! (`visitLambda`: its return type is its interface method's, `def` when
//! that is void, never void itself): an expression body is a `return`
//! (`Walker.visitLambda` wraps it in one), a block body's last expression
//! statement returns its value, and a block with a path that returns
//! nothing is refused ("not all paths return a value for lambda", at the
//! lambda). Its statements are refused as a function's are, located as
//! Painless locates them (the body's block at its `{`); `break` and
//! `continue` inside it belong to no loop around it.

use super::ast::*;
use super::CompileError;
use std::sync::Arc;

type R<T> = Result<T, CompileError>;

/// Analyses every script function and the main body. `returns_value`: the
/// script's own `execute` returns something (a condition's boolean), not void.
pub fn check(program: &mut Program, returns_value: bool) -> R<()> {
    let void_functions: Vec<bool> = program.functions.iter().map(|f| is_void(&f.ret)).collect();
    for f in &mut program.functions {
        let returns = !is_void(&f.ret);
        let analysis = Analysis { returns_value: returns, void_functions: &void_functions };
        let described = || format!("[{}] with [{}] parameters", f.name, f.params.len());
        // The function node is located at its return type (`Walker.visitFunction`).
        let at = f.span.start as usize;
        if f.body.is_empty() {
            return Err(refusal(at, format!("invalid function definition: found no statements for function {}", described())));
        }
        let escapes = analysis.block(&mut f.body, at, Place { last_source: true, ..Place::default() })?;
        // User functions have no automatic return of a default value.
        if !escapes.method && returns {
            return Err(refusal(at, format!("invalid function definition: not all paths provide a return value for function {}", described())));
        }
    }
    // `execute` returns its type's default when no path returns, so only the
    // blocks within it are checked. Its block is located at the source's
    // first token, which may be a function's.
    let at = program.functions.first().map(|f| f.span).or(program.body.first().map(|s| s.span)).unwrap_or_default().start as usize;
    let analysis = Analysis { returns_value, void_functions: &void_functions };
    analysis.block(&mut program.body, at, Place { last_source: true, ..Place::default() }).map(drop)
}

fn is_void(ty: &Type) -> bool {
    matches!(ty, Type::Class(c) if c.name == "void")
}

fn refusal(at: usize, message: String) -> CompileError {
    CompileError { offset: at, kind: "illegal_argument_exception", message }
}

/// The conditions Painless hands down to a statement.
#[derive(Clone, Copy, Default)]
struct Place {
    /// The last statement of the function (`LastSource`).
    last_source: bool,
    /// Inside a loop's body (`InLoop`).
    in_loop: bool,
    /// A loop's body block itself (`BeginLoop`).
    begin_loop: bool,
    /// The last statement of a loop's body (`LastLoop`).
    last_loop: bool,
}

impl Place {
    /// What `if`, `else`, `try` and `catch` pass to their blocks.
    fn branch(self) -> Place {
        Place { begin_loop: false, ..self }
    }

    /// What a loop passes to its body.
    fn loop_body() -> Place {
        Place { begin_loop: true, in_loop: true, ..Place::default() }
    }
}

/// How a statement may leave: the conditions Painless computes bottom-up.
#[derive(Clone, Copy, Default)]
struct Escapes {
    /// Every path leaves the function (`MethodEscape`).
    method: bool,
    /// Every path leaves the enclosing loop (`LoopEscape`).
    loop_: bool,
    /// Every path leaves the statement list (`AllEscape`).
    all: bool,
    any_continue: bool,
    any_break: bool,
}

impl Escapes {
    /// A `return`, a `throw` or a returned value.
    const LEAVES: Escapes = Escapes { method: true, loop_: true, all: true, any_continue: false, any_break: false };

    /// Both of two alternatives (`if`/`else`, `try` and its `catch`es).
    fn and(self, other: Escapes) -> Escapes {
        Escapes {
            method: self.method && other.method,
            loop_: self.loop_ && other.loop_,
            all: self.all && other.all,
            any_continue: self.any_continue || other.any_continue,
            any_break: self.any_break || other.any_break,
        }
    }
}

struct Analysis<'f> {
    /// The function returns a value, so its last expression statement returns it.
    returns_value: bool,
    /// Which script functions return void, by index.
    void_functions: &'f [bool],
}

/// The statements of a trailer (a block, or a single statement which
/// Painless wraps in one), `None` for an empty block, and where Painless
/// locates it: at its `{` or its statement.
fn trailer(s: &mut Stmt) -> Option<(&mut [Stmt], usize)> {
    let at = s.span.start as usize;
    if !matches!(s.kind, StmtKind::Block(_)) {
        return Some((std::slice::from_mut(s), at));
    }
    match &mut s.kind {
        StmtKind::Block(b) if !b.is_empty() => Some((b, at)),
        _ => None,
    }
}

fn optional_trailer(s: &mut Option<Box<Stmt>>) -> Option<(&mut [Stmt], usize)> {
    s.as_deref_mut().and_then(trailer)
}

fn boolean_constant(e: &Expr) -> Option<bool> {
    match e.kind {
        ExprKind::Bool(b) => Some(b),
        _ => None,
    }
}

impl Analysis<'_> {
    /// `visitBlock`: `stmts` is not empty (the callers see to that).
    fn block(&self, stmts: &mut [Stmt], at: usize, place: Place) -> R<Escapes> {
        let n = stmts.len();
        let mut escapes = Escapes::default();
        for (i, s) in stmts.iter_mut().enumerate() {
            let last = i + 1 == n;
            let inner = Place {
                last_source: last && place.last_source,
                in_loop: place.in_loop,
                begin_loop: false,
                last_loop: last && (place.begin_loop || place.last_loop),
            };
            let e = self.stmt(s, inner)?;
            if last {
                escapes.method = e.method;
                escapes.loop_ = e.loop_;
                escapes.all = e.all;
            } else if e.all {
                return Err(refusal(at, "invalid block: unreachable statement".into()));
            }
            escapes.any_continue |= e.any_continue;
            escapes.any_break |= e.any_break;
        }
        Ok(escapes)
    }

    /// A loop's body (`BeginLoop`, `InLoop`), refused as `extraneous` when
    /// every path leaves the loop without a `continue`.
    fn loop_body(&self, body: (&mut [Stmt], usize), at: usize, extraneous: &str) -> R<Escapes> {
        let escapes = self.block(body.0, body.1, Place::loop_body())?;
        if escapes.loop_ && !escapes.any_continue {
            return Err(refusal(at, extraneous.into()));
        }
        Ok(escapes)
    }

    /// Whether `e` certainly has no value: a call of a void script
    /// function, or of a method the whitelist declares void on a receiver
    /// whose class is certain (a typed local, `ctx`, `new X(..)`, a string
    /// literal, a static call). A `def` receiver's call has a value to
    /// Painless whatever the method.
    fn is_void(&self, e: &Expr) -> bool {
        match &e.kind {
            ExprKind::LocalCall { index, .. } => self.void_functions.get(*index).copied().unwrap_or(false),
            ExprKind::Call { obj, name, args, .. } => match &obj.kind {
                ExprKind::Class(class) => super::lib::void_static(class, name, args.len()),
                ExprKind::Local(Var { ty: Type::Class(c), .. }) => super::lib::void_method(&c.name, name, args.len()),
                ExprKind::New { class, .. } => super::lib::void_method(class, name, args.len()),
                ExprKind::Str(_) => super::lib::void_method("String", name, args.len()),
                _ => false,
            },
            _ => false,
        }
    }

    fn stmt(&self, s: &mut Stmt, place: Place) -> R<Escapes> {
        self.own_lambdas(s)?;
        // Statements are located at their first token (`Walker`'s `location(ctx)`).
        let at = s.span.start as usize;
        Ok(match &mut s.kind {
            StmtKind::Expr(e) => {
                if !(place.last_source && self.returns_value && !self.is_void(e)) {
                    return Ok(Escapes::default());
                }
                let e = std::mem::replace(e, Expr { kind: ExprKind::Null, span: e.span });
                s.kind = StmtKind::ImplicitReturn(e);
                Escapes::LEAVES
            }
            StmtKind::ImplicitReturn(_) | StmtKind::Return(_) | StmtKind::Throw(_) => Escapes::LEAVES,
            StmtKind::Decl(..) => Escapes::default(),
            StmtKind::If(c, then, otherwise) => {
                let extraneous_if = boolean_constant(c).is_some();
                let Some(then) = trailer(then).filter(|_| !extraneous_if) else {
                    return Err(refusal(at, "extraneous if block".into()));
                };
                let then = self.block(then.0, then.1, place.branch())?;
                match otherwise {
                    None => Escapes { any_continue: then.any_continue, any_break: then.any_break, ..Escapes::default() },
                    Some(otherwise) => {
                        let Some(otherwise) = trailer(otherwise) else {
                            return Err(refusal(at, "extraneous else block.".into()));
                        };
                        then.and(self.block(otherwise.0, otherwise.1, place.branch())?)
                    }
                }
            }
            StmtKind::While(c, body) => {
                let continuous = match boolean_constant(c) {
                    Some(false) => return Err(refusal(at, "extraneous while loop".into())),
                    Some(true) => true,
                    None => false,
                };
                match optional_trailer(body) {
                    None if continuous => return Err(refusal(at, "no paths escape from while loop".into())),
                    None => Escapes::default(),
                    Some(body) => endless(continuous, self.loop_body(body, at, "extraneous while loop")?),
                }
            }
            StmtKind::DoWhile(body, c) => {
                let Some(body) = trailer(body) else {
                    return Err(refusal(at, "extraneous do-while loop".into()));
                };
                let escapes = self.loop_body(body, at, "extraneous do-while loop")?;
                match boolean_constant(c) {
                    Some(false) => return Err(refusal(at, "extraneous do-while loop".into())),
                    Some(true) => endless(true, escapes),
                    None => Escapes::default(),
                }
            }
            StmtKind::For { cond, body, .. } => {
                let continuous = match cond.as_ref().map(boolean_constant) {
                    Some(Some(false)) => return Err(refusal(at, "extraneous for loop".into())),
                    Some(Some(true)) => {
                        if optional_trailer(body).is_none() {
                            return Err(refusal(at, "no paths escape from for loop".into()));
                        }
                        true
                    }
                    Some(None) => false,
                    None => true,
                };
                match optional_trailer(body) {
                    None => Escapes::default(),
                    Some(body) => endless(continuous, self.loop_body(body, at, "extraneous for loop")?),
                }
            }
            StmtKind::ForEach { body, .. } => {
                let Some(body) = trailer(body) else {
                    return Err(refusal(at, "extraneous foreach loop".into()));
                };
                self.loop_body(body, at, "extraneous foreach loop")?;
                Escapes::default()
            }
            // Not Painless syntax (its blocks are trailers only), kept as the
            // block it reads as.
            StmtKind::Block(b) if b.is_empty() => Escapes::default(),
            StmtKind::Block(b) => self.block(b, at, place)?,
            StmtKind::Break => {
                if !place.in_loop {
                    return Err(refusal(at, "invalid break statement: not inside loop".into()));
                }
                Escapes { all: true, loop_: true, any_break: true, ..Escapes::default() }
            }
            StmtKind::Continue => {
                if !place.in_loop {
                    return Err(refusal(at, "invalid continue statement: not inside loop".into()));
                }
                if place.last_loop {
                    return Err(refusal(at, "extraneous continue statement".into()));
                }
                Escapes { all: true, any_continue: true, ..Escapes::default() }
            }
            StmtKind::Try(body, catches) => {
                let Some(body) = trailer(body) else {
                    return Err(refusal(at, "extraneous try statement".into()));
                };
                let mut escapes = self.block(body.0, body.1, place.branch())?;
                for c in catches {
                    // An empty catch block is no block, and escapes nothing.
                    let caught = match trailer(&mut c.body) {
                        Some(block) => self.block(block.0, block.1, place.branch())?,
                        None => Escapes::default(),
                    };
                    escapes = escapes.and(caught);
                }
                escapes
            }
        })
    }
}

impl Analysis<'_> {
    /// Analyses the lambdas in the expressions of `s` itself (those in the
    /// statements it holds are analysed with them).
    fn own_lambdas(&self, s: &mut Stmt) -> R<()> {
        match &mut s.kind {
            StmtKind::Expr(e) | StmtKind::Throw(e) | StmtKind::Return(Some(e)) | StmtKind::ImplicitReturn(e) => self.lambdas(e),
            StmtKind::Decl(_, vars) => vars.iter_mut().filter_map(|v| v.init.as_mut()).try_for_each(|e| self.lambdas(e)),
            StmtKind::If(c, ..) | StmtKind::While(c, _) | StmtKind::DoWhile(_, c) | StmtKind::ForEach { iter: c, .. } => self.lambdas(c),
            StmtKind::For { init, cond, after, .. } => {
                if let Some(init) = init {
                    self.own_lambdas(init)?;
                }
                cond.iter_mut().chain(after.iter_mut()).try_for_each(|e| self.lambdas(e))
            }
            StmtKind::Return(None) | StmtKind::Break | StmtKind::Continue | StmtKind::Block(_) | StmtKind::Try(..) => Ok(()),
        }
    }

    /// Analyses every lambda in `e`, in source order.
    fn lambdas(&self, e: &mut Expr) -> R<()> {
        if let ExprKind::Lambda(l) = &mut e.kind {
            return self.lambda(Arc::make_mut(l), e.span.start as usize);
        }
        let mut result = Ok(());
        e.children_mut(&mut |child| {
            if result.is_ok() {
                result = self.lambdas(child);
            }
        });
        result
    }

    /// `visitLambda`: the body returns a value on every path. `at` is the
    /// lambda's first token, where its own refusals are located.
    fn lambda(&self, l: &mut Lambda, at: usize) -> R<()> {
        let stmts = match &mut l.body {
            LambdaBody::Expr(e) => return self.lambdas(e),
            LambdaBody::Block(stmts) => stmts,
        };
        if stmts.is_empty() {
            // Painless's parser makes `{}` no block at all, and `ELambda`'s
            // constructor requires one (`Objects.requireNonNull`): the
            // compilation ends in a NullPointerException without a message,
            // before "cannot generate empty lambda" could be reached.
            return Err(CompileError { offset: at, kind: "null_pointer_exception", message: String::new() });
        }
        let lambda = Analysis { returns_value: true, void_functions: self.void_functions };
        let escapes = lambda.block(stmts, l.body_at as usize, Place { last_source: true, ..Place::default() })?;
        if !escapes.method {
            return Err(refusal(at, "not all paths return a value for lambda".into()));
        }
        Ok(())
    }
}

/// A loop whose condition is the constant `true` (or absent, for `for`)
/// leaves the function on every path unless its body breaks out.
fn endless(continuous: bool, body: Escapes) -> Escapes {
    if continuous && !body.any_break {
        Escapes { method: true, all: true, ..Escapes::default() }
    } else {
        Escapes::default()
    }
}

#[cfg(test)]
mod tests {
    use super::super::{compile, ScriptContext};
    use crate::value::{Map, Value};

    use super::super::compile_refusal as refused;

    fn ctx(json: &str) -> Map {
        match Value::from_json_str(json).unwrap() {
            Value::Map(m) => m,
            _ => panic!("not an object"),
        }
    }

    /// `ctx` after the ingest script `src` ran on `{}`.
    fn run(src: &str) -> String {
        let script = compile(src, ScriptContext::Ingest).unwrap_or_else(|e| panic!("{src}: {}", e.to_value().to_json()));
        let mut out = Map::default();
        script.execute(&mut out, &Map::default()).unwrap_or_else(|e| panic!("{src}: {}", e.to_value().to_json()));
        Value::Map(out).to_json()
    }

    fn condition(src: &str, on: &str) -> bool {
        let script = compile(src, ScriptContext::Condition).unwrap_or_else(|e| panic!("{src}: {}", e.to_value().to_json()));
        script.condition(&ctx(on), &Map::default()).unwrap_or_else(|e| panic!("{src}: {}", e.to_value().to_json()))
    }

    // visitExpression under LastSource: the last expression statement of a
    // function that returns a value returns it, cast to the return type
    // (UserFunctionTests.testReturnVoid/testNoReturn's counterparts:
    // `int get() {5}` is 5).
    #[test]
    fn last_expression_statements_return_their_value() {
        assert_eq!(run("int get() {5} ctx.a = get();"), r#"{"a":5}"#);
        assert_eq!(run("def get() {5} ctx.a = get();"), r#"{"a":5}"#);
        assert_eq!(run("long get() {5} ctx.a = get();"), r#"{"a":5}"#);
        assert_eq!(run("double get() {5} ctx.a = get();"), r#"{"a":5.0}"#);
        assert_eq!(run("boolean get(int x) {x > 1} ctx.a = get(2);"), r#"{"a":true}"#);
        assert_eq!(run("String get() {'s'} ctx.a = get();"), r#"{"a":"s"}"#);
        assert_eq!(run("List get() {new ArrayList()} ctx.a = get();"), r#"{"a":[]}"#);
        // A void function's last expression is just a statement.
        assert_eq!(run("void put(Map m) {m.a = 1} put(ctx);"), r#"{"a":1}"#);
        // visitIf/visitIfElse pass LastSource to their blocks, a trailer
        // statement (the `else if`) included; a returned value need not have
        // an effect ("not a statement" is only for unused values).
        let sign = "String sign(int x) { if (x > 0) { 'pos' } else if (x < 0) { 'neg' } else { 'zero' } } ";
        assert_eq!(run(&format!("{sign} ctx.a = [sign(1), sign(-1), sign(0)];")), r#"{"a":["pos","neg","zero"]}"#);
        let add = "int add(int x) { if (x > 0) { x + 1 } else { x - 1 } } ";
        assert_eq!(run(&format!("{add} ctx.a = [add(1), add(-1)];")), r#"{"a":[2,-2]}"#);
        // visitTry/visitCatch pass it to the try block and each catch block.
        let first = "def first(List l) { try { l.get(0) } catch (IndexOutOfBoundsException e) { 'none' } } ";
        assert_eq!(run(&format!("{first} ctx.a = [first([7]), first([])];")), r#"{"a":[7,"none"]}"#);
        // A `return` elsewhere and the returned last statement together.
        assert_eq!(run("int f(int x) { if (x > 0) { return 1 } 2 } ctx.a = [f(1), f(0)];"), r#"{"a":[1,2]}"#);
    }

    // visitLambda: a lambda's return type is never void, so a block body's
    // last expression statement returns its value, through `if`/`else`
    // and `try`/`catch` as a function's does.
    #[test]
    fn block_lambdas_return_their_last_expression() {
        // LambdaTests.testUnneededCurlyStatements and testMultipleStatements.
        assert_eq!(run("int applyOne(Function arg) { arg.apply(1) } ctx.a = applyOne(x -> { x + 1 })"), r#"{"a":2}"#);
        assert_eq!(run("int applyOne(Function arg) { arg.apply(1) } ctx.a = applyOne(x -> { x = x + 1; return x })"), r#"{"a":2}"#);
        assert_eq!(run("def l = [1, 2, 1, 3]; l.removeIf(x -> { x == 1 }); ctx.a = l"), r#"{"a":[2,3]}"#);
        assert_eq!(run("ctx.a = [1, 5].stream().map(x -> { if (x > 2) { 'big' } else { 'small' } }).collect(Collectors.toList())"), r#"{"a":["small","big"]}"#);
        assert_eq!(run("ctx.a = ['1', 'x'].stream().map(s -> { try { Integer.parseInt(s) } catch (NumberFormatException e) { -1 } }).collect(Collectors.toList())"), r#"{"a":[1,-1]}"#);
        assert_eq!(run("def l = [3, 1, 2]; l.sort((a, b) -> { def d = a - b; d }); ctx.a = l"), r#"{"a":[1,2,3]}"#);
        // A `forEach` lambda's value is dropped (Consumer.accept is void: the lambda returns def).
        assert_eq!(run("def out = []; [1, 2].forEach(x -> { out.add(x * 2) }); ctx.a = out"), r#"{"a":[2,4]}"#);
        // Lambdas within lambdas, and within a function's body.
        assert_eq!(run("def f(def l) { l.stream().map(x -> { [x].stream().map(y -> { y + 1 }).findFirst().get() }).collect(Collectors.toList()) } ctx.a = f([1, 2])"), r#"{"a":[2,3]}"#);
    }

    // visitLambda's refusals and those of the statements in its body, at
    // Painless's locations: the lambda's own at its first token, its block's
    // at the `{`, a statement's at its first token.
    #[test]
    fn lambda_control_flow_refusals() {
        let cases: &[(&str, &str, i64)] = &[
            ("def l = [1]; l.removeIf(x -> { if (x == 1) { return true } })", "not all paths return a value for lambda", 24),
            ("def l = [1]; l.removeIf((def x) -> { def y = x; })", "not all paths return a value for lambda", 24),
            ("void f(def x) { x.clear() } def l = [[1]]; l.forEach(x -> { f(x) })", "not all paths return a value for lambda", 53),
            ("def l = [1]; l.removeIf(x -> { return true; x == 2 })", "invalid block: unreachable statement", 29),
            ("def l = [1]; l.removeIf(x -> { if (true) { return true } false })", "extraneous if block", 31),
            ("for (int i = 0; i < 2; i++) { [1].forEach(x -> { break; }) }", "invalid break statement: not inside loop", 49),
            ("def l = [1]; l.forEach(x -> { while (true) { } })", "no paths escape from while loop", 30),
            // Nested: the inner lambda's refusal.
            ("def l = [[1]]; l.forEach(x -> { x.removeIf(y -> { if (y == 1) { return true } }) })", "not all paths return a value for lambda", 43),
        ];
        for (src, message, offset) in cases {
            assert_eq!(refused(src, ScriptContext::Ingest), ("illegal_argument_exception".into(), message.to_string(), *offset), "{src}");
        }
        // visitExpression in a lambda's body: an unused value is no statement.
        let unused = "def l = [1]; l.removeIf(x -> { x + 1; true })";
        assert_eq!(refused(unused, ScriptContext::Ingest), ("illegal_argument_exception".into(), "not a statement: result not used from addition operation [+]".into(), 31));
        // `x -> {}`: Painless's parser gives ELambda no block, whose
        // constructor's requireNonNull throws a NullPointerException.
        assert_eq!(refused("def l = [1]; l.removeIf(x -> {})", ScriptContext::Ingest), ("null_pointer_exception".into(), String::new(), 24));
        // A block lambda whose every path returns, or throws, is accepted.
        for src in ["def l = [1]; l.removeIf(x -> { if (x == 1) { return true } else { throw new IllegalStateException() } })", "[1].forEach(x -> { while (true) { if (x == 1) { return 1 } } })"] {
            compile(src, ScriptContext::Ingest).unwrap_or_else(|e| panic!("{src}: {}", e.to_value().to_json()));
        }
    }

    // visitExpression returns the last statement's value only when its type
    // is not void: a method the whitelist declares void, called on a
    // receiver of a certain class, leaves the function (or lambda) without
    // a returned value on that path; on a `def` receiver the call's value
    // is `def`, which is returned.
    #[test]
    fn void_method_calls_return_no_value() {
        let cases: &[(&str, &str, i64)] = &[
            ("int f(List l) { l.clear() } ctx.a = f([])", "invalid function definition: not all paths provide a return value for function [f] with [1] parameters", 0),
            ("def f(Map m) { m.putAll(['a': 1]) } ctx.a = f([:])", "invalid function definition: not all paths provide a return value for function [f] with [1] parameters", 0),
            ("def f(List l) { if (l.isEmpty()) { return 0 } else { l.add(0, 1) } } ctx.a = f([])", "invalid function definition: not all paths provide a return value for function [f] with [1] parameters", 0),
            ("def f() { Collections.sort([2, 1]) } ctx.a = f()", "invalid function definition: not all paths provide a return value for function [f] with [0] parameters", 0),
            ("def f() { new StringBuilder().setLength(0) } ctx.a = f()", "invalid function definition: not all paths provide a return value for function [f] with [0] parameters", 0),
            ("def f(Map m) { m.forEach((k, v) -> 1) } ctx.a = f([:])", "invalid function definition: not all paths provide a return value for function [f] with [1] parameters", 0),
            ("[1].forEach(x -> { ctx.clear() })", "not all paths return a value for lambda", 12),
            ("List out = []; [1].forEach(x -> { out.clear() })", "not all paths return a value for lambda", 27),
        ];
        for (src, message, offset) in cases {
            assert_eq!(refused(src, ScriptContext::Ingest), ("illegal_argument_exception".into(), message.to_string(), *offset), "{src}");
        }
        // A `def` receiver's call, or a method with a value, is returned.
        assert_eq!(run("def f(def l) { l.clear() } ctx.a = f([1])"), r#"{"a":null}"#);
        assert_eq!(run("def f(List l) { l.add(1) } ctx.a = f([])"), r#"{"a":true}"#);
        assert_eq!(run("def f(Map m) { m.put('k', 1) } ctx.a = f(['k': 0])"), r#"{"a":0}"#);
        // A condition ending in a void call returns execute's default, false.
        assert!(!condition("List l = new ArrayList(); l.add(1); l.clear()", "{}"));
    }

    #[test]
    fn a_condition_returns_its_last_expression_statement_wherever_it_is() {
        let branches = "if (ctx.a == 1) { true } else { false }";
        assert!(condition(branches, r#"{"a":1}"#));
        assert!(!condition(branches, r#"{"a":2}"#));
        assert!(condition("def x = ctx.a; x == 1", r#"{"a":1}"#));
        assert!(condition("try { ctx.a.length() > 1 } catch (NullPointerException e) { true }", "{}"));
        // A condition that ends without returning answers false
        // (PainlessUserTreeToIRTreePhase.visitFunction's default return).
        assert!(!condition("if (ctx.a == 1) { return true }", r#"{"a":2}"#));
        assert!(condition("if (ctx.a == 1) { return true }", r#"{"a":1}"#));
        assert!(!condition("def x = ctx.a", r#"{"a":1}"#));
    }

    // The refusals of DefaultSemanticAnalysisPhase, each located where
    // Painless locates its node: a function at its return type, the main
    // body's block at the source's first token, a `{` block at its brace,
    // a single-statement trailer and every statement at its first token.
    #[test]
    fn control_flow_refusals() {
        let cases: &[(&str, &str, i64)] = &[
            // visitFunction
            ("def f(def x) {} ctx.a = 1", "invalid function definition: found no statements for function [f] with [1] parameters", 0),
            (
                "int f(def x) { if (x == 1) { return 1 } } ctx.b = f(1)",
                "invalid function definition: not all paths provide a return value for function [f] with [1] parameters",
                0,
            ),
            // A call of a void function has no value to return.
            (
                "void g(Map m) { m.a = 1 } int f(Map m) { g(m) } ctx.b = f(ctx)",
                "invalid function definition: not all paths provide a return value for function [f] with [1] parameters",
                26,
            ),
            // visitBlock
            ("ctx.a = 1; return; ctx.b = 2", "invalid block: unreachable statement", 0),
            ("  void f(Map m) { m.x = 1 } ctx.a = 1; return; ctx.b = 2", "invalid block: unreachable statement", 2),
            ("int f() { return 1; 2 } ctx.a = f()", "invalid block: unreachable statement", 0),
            ("if (ctx.a == 1) { return; ctx.b = 2 }", "invalid block: unreachable statement", 16),
            ("if (ctx.a == 1) { return } else { throw new IllegalArgumentException() } ctx.b = 1", "invalid block: unreachable statement", 0),
            ("for (int i = 0; i < 2; i++) { break; ctx.b = 2 }", "invalid block: unreachable statement", 28),
            ("int f(def x) { while (true) { if (x > 0) { return 1 } x++ } return 0 } ctx.a = f(1)", "invalid block: unreachable statement", 0),
            // visitIf, visitIfElse
            ("if (true) { ctx.a = 1 }", "extraneous if block", 0),
            ("ctx.b = 1; if (false) { ctx.a = 1 } else { ctx.a = 2 }", "extraneous if block", 11),
            ("if (ctx.a == 1) {}", "extraneous if block", 0),
            ("if (ctx.a == 1) {} else { ctx.b = 1 }", "extraneous if block", 0),
            ("if (ctx.a == 1) { ctx.b = 1 } else {}", "extraneous else block.", 0),
            // visitWhile
            ("while (false) { ctx.a = 1 }", "extraneous while loop", 0),
            ("while (true);", "no paths escape from while loop", 0),
            ("while (true) {}", "no paths escape from while loop", 0),
            ("while (ctx.a == 1) { break }", "extraneous while loop", 0),
            ("int f() { while (true) { return 1 } } ctx.a = f()", "extraneous while loop", 10),
            // visitDo
            ("do {} while (ctx.a == 1)", "extraneous do-while loop", 0),
            ("do { ctx.a = 1 } while (false)", "extraneous do-while loop", 0),
            ("do { return } while (ctx.a == 1)", "extraneous do-while loop", 0),
            // visitFor
            ("for (int i = 0; false; i++) { ctx.a = 1 }", "extraneous for loop", 0),
            ("for (int i = 0; true; i++);", "no paths escape from for loop", 0),
            ("for (;;) { break }", "extraneous for loop", 0),
            // visitEach
            ("for (def x : [1]) {}", "extraneous foreach loop", 0),
            ("for (x in [1]) { return }", "extraneous foreach loop", 0),
            // visitTry
            ("try {} catch (Exception e) { ctx.a = 1 }", "extraneous try statement", 0),
            // visitBreak, visitContinue
            ("break", "invalid break statement: not inside loop", 0),
            ("ctx.a = 1; if (ctx.a == 1) { continue }", "invalid continue statement: not inside loop", 29),
            ("for (int i = 0; i < 2; i++) { ctx.a = i; continue }", "extraneous continue statement", 41),
            ("for (int i = 0; i < 2; i++) { if (i == 1) { continue } }", "extraneous continue statement", 44),
        ];
        for (src, reason, offset) in cases {
            assert_eq!(refused(src, ScriptContext::Ingest), ("illegal_argument_exception".to_string(), reason.to_string(), *offset), "{src}");
        }
        // The same rules in a condition's body.
        assert_eq!(refused("return true; false", ScriptContext::Condition).1, "invalid block: unreachable statement");
    }

    // What the rules let through: an endless loop that returns is a
    // function's every path, a `continue` that is not the loop's last
    // statement, an empty catch block, a `for (;;)` without a body.
    #[test]
    fn control_flow_that_painless_accepts() {
        assert_eq!(run("int f(def x) { while (true) { if (x > 2) { return x } x++ } } ctx.a = f(0);"), r#"{"a":3}"#);
        assert_eq!(run("int f(Map m) { for (;;) { if (m.n == null) { m.n = 0 } else { return m.n } } } ctx.a = f(ctx);"), r#"{"n":0,"a":0}"#);
        assert_eq!(run("for (int i = 0; i < 3; i++) { if (i == 1) { continue } ctx['k' + i] = i }"), r#"{"k0":0,"k2":2}"#);
        assert_eq!(run("try { ctx.a = 1 } catch (Exception e) {}"), r#"{"a":1}"#);
        assert_eq!(run("int f() { try { return 1 } catch (Exception e) { return 2 } } ctx.a = f();"), r#"{"a":1}"#);
        assert_eq!(run("while (ctx.a == null) { if (ctx.b == null) { ctx.b = 1; continue } ctx.a = 2 }"), r#"{"b":1,"a":2}"#);
    }
}
