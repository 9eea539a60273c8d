//! The Painless syntax tree. Every node carries the byte span of its source;
//! the resolve pass fills in variable slots so the interpreter never looks a
//! name up by string.

use super::compile::Code;
use super::lib::collections::BoundMethod;
use super::lib::ClassTest;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start: start as u32, end: end as u32 }
    }
    pub fn to(self, other: Span) -> Span {
        Span { start: self.start, end: other.end.max(self.end) }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prim {
    Boolean,
    Byte,
    Short,
    Char,
    Int,
    Long,
    Float,
    Double,
}

impl Prim {
    pub fn from_name(name: &str) -> Option<Prim> {
        Some(match name {
            "boolean" => Prim::Boolean,
            "byte" => Prim::Byte,
            "short" => Prim::Short,
            "char" => Prim::Char,
            "int" => Prim::Int,
            "long" => Prim::Long,
            "float" => Prim::Float,
            "double" => Prim::Double,
            _ => return None,
        })
    }
    pub fn name(self) -> &'static str {
        match self {
            Prim::Boolean => "boolean",
            Prim::Byte => "byte",
            Prim::Short => "short",
            Prim::Char => "char",
            Prim::Int => "int",
            Prim::Long => "long",
            Prim::Float => "float",
            Prim::Double => "double",
        }
    }
}

/// A declared type: `def`, a primitive, a whitelisted class, or an array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Type {
    Def,
    Prim(Prim),
    /// Boxed: types sit in many syntax nodes, and the parser's recursion
    /// holds several of them per level (its frames bound how deeply a
    /// script may nest).
    Class(Box<ClassType>),
    Array(Box<Type>),
}

/// A class named as a type, with the test `instanceof` and casts make for
/// it, looked up once here rather than by name on every test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassType {
    pub name: String,
    pub test: ClassTest,
}

impl Type {
    pub fn class(name: impl Into<String>) -> Type {
        let name = name.into();
        Type::Class(Box::new(ClassType { test: ClassTest::of(&name), name }))
    }

    pub fn name(&self) -> String {
        match self {
            Type::Def => "def".into(),
            Type::Prim(p) => p.name().into(),
            Type::Class(c) => c.name.clone(),
            Type::Array(t) => format!("{}[]", t.name()),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Program {
    pub functions: Vec<Function>,
    pub body: Vec<Stmt>,
    /// Slots the main body needs (ctx and params included).
    pub frame_size: usize,
    /// Start offsets of statements, for the runtime `script_stack`.
    pub statement_starts: Vec<u32>,
    /// The closures the interpreter runs, compiled from the resolved tree.
    pub code: Arc<Code>,
}

#[derive(Debug, Clone)]
pub struct Function {
    pub name: String,
    pub ret: Type,
    pub params: Vec<(Type, String)>,
    pub body: Vec<Stmt>,
    pub frame_size: usize,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum StmtKind {
    Expr(Expr),
    Decl(Type, Vec<DeclVar>),
    If(Expr, Box<Stmt>, Option<Box<Stmt>>),
    While(Expr, Option<Box<Stmt>>),
    DoWhile(Box<Stmt>, Expr),
    For { init: Option<Box<Stmt>>, cond: Option<Expr>, after: Option<Expr>, body: Option<Box<Stmt>> },
    /// `for (T x : e)` (type given) or `for (x in e)`.
    ForEach { ty: Type, var: Var, iter: Expr, body: Box<Stmt> },
    Block(Vec<Stmt>),
    Break,
    Continue,
    Return(Option<Expr>),
    /// An expression statement whose value its function returns: the last
    /// one of a function that returns a value, as the flow pass finds it
    /// (Painless's `visitExpression` under `LastSource`). Unlike a `return`,
    /// its value is typed without the return type as a target.
    ImplicitReturn(Expr),
    Throw(Expr),
    Try(Box<Stmt>, Vec<Catch>),
}

#[derive(Debug, Clone)]
pub struct DeclVar {
    pub var: Var,
    pub init: Option<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Catch {
    pub class: String,
    pub var: Var,
    pub body: Box<Stmt>,
}

/// A variable: its name from the source and the frame slot the resolver gives it.
#[derive(Debug, Clone)]
pub struct Var {
    pub name: String,
    pub slot: usize,
    /// The declared type, which assignments convert to (`def` keeps values as they are).
    pub ty: Type,
}

#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Mul,
    Div,
    Rem,
    Add,
    Sub,
    Find,
    Match,
    Shl,
    Shr,
    Ushr,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    RefEq,
    RefNe,
    BitAnd,
    Xor,
    BitOr,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Rem => "%",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Find => "=~",
            BinOp::Match => "==~",
            BinOp::Shl => "<<",
            BinOp::Shr => ">>",
            BinOp::Ushr => ">>>",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::RefEq => "===",
            BinOp::RefNe => "!==",
            BinOp::BitAnd => "&",
            BinOp::Xor => "^",
            BinOp::BitOr => "|",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnOp {
    Not,
    BitNot,
    Neg,
    Plus,
}

#[derive(Debug, Clone)]
pub enum ExprKind {
    Null,
    Bool(bool),
    Int(i32),
    Long(i64),
    Float(f32),
    Double(f64),
    Str(Arc<str>),
    Regex(Arc<RegexLit>),
    /// A name before resolution; the resolver turns it into `Local` or `Class`.
    Name(String),
    Local(Var),
    /// A whitelisted class used statically: `Math`, `Collectors`, ...
    Class(String),
    ListInit(Vec<Expr>),
    MapInit(Vec<(Expr, Expr)>),
    New { class: String, args: Vec<Expr> },
    NewArray { elem: Type, dims: Vec<Expr> },
    NewArrayInit { elem: Type, items: Vec<Expr> },
    Field { obj: Box<Expr>, name: String, null_safe: bool },
    Index { obj: Box<Expr>, index: Box<Expr> },
    /// `obj.name(args)`; `bound` is the collection method the resolve pass
    /// found for the name and argument count, if one of those it binds.
    Call { obj: Box<Expr>, name: String, args: Vec<Expr>, null_safe: bool, bound: Option<BoundMethod> },
    LocalCall { name: String, index: usize, args: Vec<Expr> },
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    Elvis(Box<Expr>, Box<Expr>),
    InstanceOf(Box<Expr>, Type),
    Cast(Type, Box<Expr>),
    Assign { target: Box<Expr>, op: Option<BinOp>, value: Box<Expr> },
    /// `++x`, `x--`, ...
    IncDec { target: Box<Expr>, pre: bool, delta: i8 },
    Lambda(Arc<Lambda>),
    /// `Type::method`, `Type::new`, `this::function`, `variable::method`.
    FuncRef(Arc<FuncRef>),
}

#[derive(Debug)]
pub struct RegexLit {
    pub pattern: String,
    pub flags: String,
    pub regex: fancy_regex::Regex,
    /// The same pattern anchored at both ends, for `matches()` and `==~`.
    pub anchored: fancy_regex::Regex,
}

#[derive(Debug, Clone)]
pub struct Lambda {
    pub params: Vec<(Type, Var)>,
    pub body: LambdaBody,
    /// Outer slot copied into inner slot when the lambda is created.
    pub captures: Vec<(usize, usize)>,
    pub frame_size: usize,
    /// The script function this lambda only hands its parameters to, in
    /// order (`x -> f(x)`), found by the resolve pass: a call goes straight
    /// to the function, without a frame of the lambda's own.
    pub forwards_to: Option<usize>,
    /// Where Painless locates the body's block (`Walker.visitLambda`): a
    /// block body's `{`; an expression body's block is the lambda's own.
    pub body_at: u32,
}

#[derive(Debug, Clone)]
pub enum LambdaBody {
    Expr(Expr),
    Block(Vec<Stmt>),
}

#[derive(Debug, Clone)]
pub enum FuncRef {
    /// `Class::method` (static, or instance method with the receiver first).
    Method { class: String, method: String },
    Constructor { class: String },
    /// `this::function` to a script function.
    Local { name: String, index: usize },
    /// `variable::method` bound to a captured receiver.
    Bound { receiver: Box<Expr>, method: String },
}

impl Expr {
    /// Calls `f` on this expression and on every expression inside it,
    /// the bodies of lambdas included, parents before children.
    pub fn visit(&self, f: &mut dyn FnMut(&Expr)) {
        f(self);
        match &self.kind {
            ExprKind::Null
            | ExprKind::Bool(_)
            | ExprKind::Int(_)
            | ExprKind::Long(_)
            | ExprKind::Float(_)
            | ExprKind::Double(_)
            | ExprKind::Str(_)
            | ExprKind::Regex(_)
            | ExprKind::Name(_)
            | ExprKind::Local(_)
            | ExprKind::Class(_) => {}
            ExprKind::ListInit(items) | ExprKind::NewArrayInit { items, .. } => items.iter().for_each(|e| e.visit(f)),
            ExprKind::New { args, .. } | ExprKind::LocalCall { args, .. } => args.iter().for_each(|e| e.visit(f)),
            ExprKind::NewArray { dims, .. } => dims.iter().for_each(|e| e.visit(f)),
            ExprKind::MapInit(entries) => {
                for (k, v) in entries {
                    k.visit(f);
                    v.visit(f);
                }
            }
            ExprKind::Field { obj, .. } => obj.visit(f),
            ExprKind::Call { obj, args, .. } => {
                obj.visit(f);
                args.iter().for_each(|e| e.visit(f));
            }
            ExprKind::Unary(_, x) | ExprKind::InstanceOf(x, _) | ExprKind::Cast(_, x) | ExprKind::IncDec { target: x, .. } => x.visit(f),
            ExprKind::Index { obj: a, index: b }
            | ExprKind::Binary(_, a, b)
            | ExprKind::And(a, b)
            | ExprKind::Or(a, b)
            | ExprKind::Elvis(a, b)
            | ExprKind::Assign { target: a, value: b, .. } => {
                a.visit(f);
                b.visit(f);
            }
            ExprKind::Cond(c, a, b) => {
                c.visit(f);
                a.visit(f);
                b.visit(f);
            }
            ExprKind::Lambda(l) => match &l.body {
                LambdaBody::Expr(e) => e.visit(f),
                LambdaBody::Block(stmts) => visit_exprs(stmts, f),
            },
            ExprKind::FuncRef(r) => {
                if let FuncRef::Bound { receiver, .. } = &**r {
                    receiver.visit(f);
                }
            }
        }
    }
}

impl Expr {
    /// Calls `f` on each expression directly inside this one, in source
    /// order; a lambda's body is not among them.
    pub fn children_mut(&mut self, f: &mut dyn FnMut(&mut Expr)) {
        match &mut self.kind {
            ExprKind::Null
            | ExprKind::Bool(_)
            | ExprKind::Int(_)
            | ExprKind::Long(_)
            | ExprKind::Float(_)
            | ExprKind::Double(_)
            | ExprKind::Str(_)
            | ExprKind::Regex(_)
            | ExprKind::Name(_)
            | ExprKind::Local(_)
            | ExprKind::Class(_)
            | ExprKind::Lambda(_) => {}
            ExprKind::ListInit(items) | ExprKind::NewArrayInit { items, .. } => items.iter_mut().for_each(f),
            ExprKind::New { args, .. } | ExprKind::LocalCall { args, .. } => args.iter_mut().for_each(f),
            ExprKind::NewArray { dims, .. } => dims.iter_mut().for_each(f),
            ExprKind::MapInit(entries) => {
                for (k, v) in entries {
                    f(k);
                    f(v);
                }
            }
            ExprKind::Field { obj, .. } => f(obj),
            ExprKind::Call { obj, args, .. } => {
                f(obj);
                args.iter_mut().for_each(f);
            }
            ExprKind::Unary(_, x) | ExprKind::InstanceOf(x, _) | ExprKind::Cast(_, x) | ExprKind::IncDec { target: x, .. } => f(x),
            ExprKind::Index { obj: a, index: b }
            | ExprKind::Binary(_, a, b)
            | ExprKind::And(a, b)
            | ExprKind::Or(a, b)
            | ExprKind::Elvis(a, b)
            | ExprKind::Assign { target: a, value: b, .. } => {
                f(a);
                f(b);
            }
            ExprKind::Cond(c, a, b) => {
                f(c);
                f(a);
                f(b);
            }
            ExprKind::FuncRef(r) => {
                if let FuncRef::Bound { receiver, .. } = Arc::make_mut(r) {
                    f(receiver);
                }
            }
        }
    }
}

/// Calls `f` on every expression of `stmts` (see [`Expr::visit`]).
pub fn visit_exprs(stmts: &[Stmt], f: &mut dyn FnMut(&Expr)) {
    for s in stmts {
        s.visit_exprs(f);
    }
}

impl Stmt {
    fn visit_exprs(&self, f: &mut dyn FnMut(&Expr)) {
        let inner = |s: &Option<Box<Stmt>>, f: &mut dyn FnMut(&Expr)| {
            if let Some(s) = s {
                s.visit_exprs(f);
            }
        };
        match &self.kind {
            StmtKind::Expr(e) | StmtKind::Throw(e) | StmtKind::Return(Some(e)) | StmtKind::ImplicitReturn(e) => e.visit(f),
            StmtKind::Return(None) | StmtKind::Break | StmtKind::Continue => {}
            StmtKind::Decl(_, vars) => vars.iter().filter_map(|v| v.init.as_ref()).for_each(|e| e.visit(f)),
            StmtKind::If(c, a, b) => {
                c.visit(f);
                a.visit_exprs(f);
                inner(b, f);
            }
            StmtKind::While(c, body) => {
                c.visit(f);
                inner(body, f);
            }
            StmtKind::DoWhile(body, c) => {
                body.visit_exprs(f);
                c.visit(f);
            }
            StmtKind::For { init, cond, after, body } => {
                inner(init, f);
                cond.iter().chain(after).for_each(|e| e.visit(f));
                inner(body, f);
            }
            StmtKind::ForEach { iter, body, .. } => {
                iter.visit(f);
                body.visit_exprs(f);
            }
            StmtKind::Block(stmts) => visit_exprs(stmts, f),
            StmtKind::Try(body, catches) => {
                body.visit_exprs(f);
                catches.iter().for_each(|c| c.body.visit_exprs(f));
            }
        }
    }
}
