//! Recursive-descent parser for PainlessParser.g4.
//!
//! Expressions use one function per precedence level of the grammar's
//! `noncondexpression` (multiplicative binds tightest, elvis loosest), with
//! the conditional and assignments above them, both right-associative.
//! Names are left unresolved (`ExprKind::Name`); the resolve pass decides
//! whether each is a local variable or a class.

use super::ast::*;
use super::lexer::{Tok, Token};
use super::CompileError;
use std::sync::Arc;

/// Nesting beyond this is refused rather than risking the Rust stack.
const MAX_DEPTH: usize = 300;

pub struct Parser<'t> {
    toks: &'t [Token],
    pos: usize,
    depth: usize,
    pub statement_starts: Vec<u32>,
}

type PResult<T> = Result<T, CompileError>;

fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "if" | "else"
            | "while"
            | "do"
            | "for"
            | "continue"
            | "break"
            | "return"
            | "new"
            | "try"
            | "catch"
            | "throw"
            | "this"
            | "instanceof"
            | "true"
            | "false"
            | "null"
            | "def"
    ) || Prim::from_name(word).is_some()
}

impl<'t> Parser<'t> {
    pub fn new(toks: &'t [Token]) -> Parser<'t> {
        Parser { toks, pos: 0, depth: 0, statement_starts: Vec::new() }
    }

    fn peek(&self) -> &Tok {
        &self.toks[self.pos].tok
    }
    fn peek_at(&self, n: usize) -> &Tok {
        &self.toks[(self.pos + n).min(self.toks.len() - 1)].tok
    }
    fn span(&self) -> Span {
        self.toks[self.pos].span
    }
    fn prev_span(&self) -> Span {
        self.toks[self.pos.saturating_sub(1)].span
    }
    fn bump(&mut self) -> Token {
        let t = self.toks[self.pos].clone();
        if self.pos < self.toks.len() - 1 {
            self.pos += 1;
        }
        t
    }
    fn is_punct(&self, p: &str) -> bool {
        matches!(self.peek(), Tok::Punct(q) if *q == p)
    }
    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Tok::Ident(q) if q == w)
    }
    fn eat_punct(&mut self, p: &str) -> bool {
        if self.is_punct(p) {
            self.bump();
            true
        } else {
            false
        }
    }
    fn eat_word(&mut self, w: &str) -> bool {
        if self.is_word(w) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn token_text(&self) -> String {
        match self.peek() {
            Tok::Ident(s) | Tok::DotName(s) => s.clone(),
            Tok::Int { .. } | Tok::Decimal { .. } | Tok::Str(_) | Tok::Regex { .. } => {
                let s = self.span();
                format!("<literal at {}>", s.start)
            }
            Tok::Punct(p) => p.to_string(),
            Tok::Eof => "<EOF>".into(),
        }
    }

    fn error_here(&self, message: String) -> CompileError {
        CompileError { offset: self.span().start as usize, kind: "illegal_argument_exception", message }
    }

    fn unexpected(&self) -> CompileError {
        if matches!(self.peek(), Tok::Eof) {
            return self.error_here("unexpected end of script.".into());
        }
        self.error_here(format!("invalid sequence of tokens near ['{}'].", self.token_text()))
    }

    fn expect_punct(&mut self, p: &str) -> PResult<Span> {
        if self.is_punct(p) {
            Ok(self.bump().span)
        } else if matches!(self.peek(), Tok::Eof) {
            Err(self.error_here("unexpected end of script.".into()))
        } else {
            Err(self.error_here(format!("unexpected token ['{}'] was expecting one of [{}].", self.token_text(), p)))
        }
    }

    fn expect_ident(&mut self) -> PResult<(String, Span)> {
        match self.peek().clone() {
            Tok::Ident(name) if !is_keyword(&name) => {
                let s = self.bump().span;
                Ok((name, s))
            }
            _ => Err(self.unexpected()),
        }
    }

    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error_here("script is nested too deeply to compile.".into()));
        }
        Ok(())
    }

    // ---- program and statements ----

    pub fn program(&mut self) -> PResult<(Vec<Function>, Vec<Stmt>)> {
        let mut functions = Vec::new();
        while let Some(after_type) = self.type_len_at(self.pos) {
            let name_at = self.pos + after_type;
            let is_function = matches!(&self.toks.get(name_at).map(|t| &t.tok), Some(Tok::Ident(n)) if !is_keyword(n))
                && matches!(self.toks.get(name_at + 1).map(|t| &t.tok), Some(Tok::Punct("(")));
            if !is_function {
                break;
            }
            functions.push(self.function()?);
        }
        let mut body = Vec::new();
        while !matches!(self.peek(), Tok::Eof) {
            body.push(self.statement()?);
        }
        Ok((functions, body))
    }

    fn function(&mut self) -> PResult<Function> {
        let start = self.span();
        let ret = self.decltype()?;
        let (name, _) = self.expect_ident()?;
        self.expect_punct("(")?;
        let mut params = Vec::new();
        if !self.is_punct(")") {
            loop {
                let ty = self.decltype()?;
                let (pname, _) = self.expect_ident()?;
                params.push((ty, pname));
                if !self.eat_punct(",") {
                    break;
                }
            }
        }
        self.expect_punct(")")?;
        if !self.is_punct("{") {
            return Err(self.unexpected());
        }
        let block = self.block()?;
        let body = match block.kind {
            StmtKind::Block(b) => b,
            _ => unreachable!(),
        };
        Ok(Function { name, ret, params, body, frame_size: 0, span: start.to(self.prev_span()) })
    }

    /// If a type starts at token `at`, how many tokens it spans.
    fn type_len_at(&self, at: usize) -> Option<usize> {
        let tok = |i: usize| self.toks.get(i).map(|t| &t.tok);
        let mut i = at;
        match tok(i)? {
            Tok::Ident(n) if n == "def" || Prim::from_name(n).is_some() => i += 1,
            Tok::Ident(n) if !is_keyword(n) => {
                i += 1;
                while matches!(tok(i), Some(Tok::Punct("."))) && matches!(tok(i + 1), Some(Tok::DotName(n)) if n.chars().next().is_some_and(|c| c.is_ascii_alphabetic())) {
                    i += 2;
                }
            }
            _ => return None,
        }
        while matches!(tok(i), Some(Tok::Punct("["))) && matches!(tok(i + 1), Some(Tok::Punct("]"))) {
            i += 2;
        }
        Some(i - at)
    }

    fn decltype(&mut self) -> PResult<Type> {
        let (name, _) = match self.peek().clone() {
            Tok::Ident(n) if n == "def" || Prim::from_name(&n).is_some() || !is_keyword(&n) => {
                let s = self.bump().span;
                (n, s)
            }
            _ => return Err(self.unexpected()),
        };
        let mut full = name;
        while self.is_punct(".") && matches!(self.peek_at(1), Tok::DotName(n) if n.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
        {
            self.bump();
            if let Tok::DotName(n) = self.bump().tok {
                full.push('.');
                full.push_str(&n);
            }
        }
        let mut ty = if full == "def" {
            Type::Def
        } else if let Some(p) = Prim::from_name(&full) {
            Type::Prim(p)
        } else {
            Type::class(full)
        };
        while self.is_punct("[") && matches!(self.peek_at(1), Tok::Punct("]")) {
            self.bump();
            self.bump();
            ty = Type::Array(Box::new(ty));
        }
        Ok(ty)
    }

    /// A declaration starts with a type followed by an identifier.
    fn at_declaration(&self) -> bool {
        match self.type_len_at(self.pos) {
            Some(n) => matches!(self.toks.get(self.pos + n).map(|t| &t.tok), Some(Tok::Ident(name)) if !is_keyword(name) && name != "in"),
            None => false,
        }
    }

    fn end_statement(&mut self) -> PResult<()> {
        if self.eat_punct(";") || self.is_punct("}") || matches!(self.peek(), Tok::Eof) {
            Ok(())
        } else {
            Err(self.error_here(format!("unexpected token ['{}'] was expecting one of [';'].", self.token_text())))
        }
    }

    fn block(&mut self) -> PResult<Stmt> {
        let start = self.expect_punct("{")?;
        let mut stmts = Vec::new();
        while !self.is_punct("}") {
            if matches!(self.peek(), Tok::Eof) {
                return Err(self.unexpected());
            }
            stmts.push(self.statement()?);
        }
        let end = self.expect_punct("}")?;
        Ok(Stmt { kind: StmtKind::Block(stmts), span: start.to(end) })
    }

    /// `trailer` of the grammar: a block or a single statement.
    fn trailer(&mut self) -> PResult<Stmt> {
        if self.is_punct("{") {
            self.block()
        } else {
            self.statement()
        }
    }

    /// A loop body that may be the empty statement `;`.
    fn loop_body(&mut self) -> PResult<Option<Box<Stmt>>> {
        if self.eat_punct(";") {
            Ok(None)
        } else {
            Ok(Some(Box::new(self.trailer()?)))
        }
    }

    pub fn statement(&mut self) -> PResult<Stmt> {
        self.enter()?;
        let start = self.span();
        self.statement_starts.push(start.start);
        let kind = self.statement_kind()?;
        self.depth -= 1;
        Ok(Stmt { kind, span: start.to(self.prev_span()) })
    }

    fn statement_kind(&mut self) -> PResult<StmtKind> {
        if self.eat_word("if") {
            self.expect_punct("(")?;
            let cond = self.expr()?;
            self.expect_punct(")")?;
            let then = self.trailer()?;
            let els = if self.eat_word("else") { Some(Box::new(self.trailer()?)) } else { None };
            return Ok(StmtKind::If(cond, Box::new(then), els));
        }
        if self.eat_word("while") {
            self.expect_punct("(")?;
            let cond = self.expr()?;
            self.expect_punct(")")?;
            return Ok(StmtKind::While(cond, self.loop_body()?));
        }
        if self.eat_word("for") {
            return self.for_statement();
        }
        if self.eat_word("try") {
            let body = self.block()?;
            let mut catches = Vec::new();
            while self.eat_word("catch") {
                self.expect_punct("(")?;
                let class = match self.decltype()? {
                    Type::Class(c) => c.name,
                    _ => return Err(self.unexpected()),
                };
                let (name, _) = self.expect_ident()?;
                self.expect_punct(")")?;
                let cbody = self.block()?;
                catches.push(Catch { class, var: Var { name, slot: 0, ty: Type::Def }, body: Box::new(cbody) });
            }
            if catches.is_empty() {
                return Err(self.error_here(format!("unexpected token ['{}'] was expecting one of ['catch'].", self.token_text())));
            }
            return Ok(StmtKind::Try(Box::new(body), catches));
        }
        if self.is_punct("{") {
            let b = self.block()?;
            return Ok(b.kind);
        }
        let kind = self.dstatement()?;
        self.end_statement()?;
        Ok(kind)
    }

    fn dstatement(&mut self) -> PResult<StmtKind> {
        if self.eat_word("do") {
            let body = self.block()?;
            if !self.eat_word("while") {
                return Err(self.unexpected());
            }
            self.expect_punct("(")?;
            let cond = self.expr()?;
            self.expect_punct(")")?;
            return Ok(StmtKind::DoWhile(Box::new(body), cond));
        }
        if self.eat_word("continue") {
            return Ok(StmtKind::Continue);
        }
        if self.eat_word("break") {
            return Ok(StmtKind::Break);
        }
        if self.eat_word("return") {
            if self.is_punct(";") || self.is_punct("}") || matches!(self.peek(), Tok::Eof) {
                return Ok(StmtKind::Return(None));
            }
            return Ok(StmtKind::Return(Some(self.expr()?)));
        }
        if self.eat_word("throw") {
            return Ok(StmtKind::Throw(self.expr()?));
        }
        if self.at_declaration() {
            return self.declaration();
        }
        Ok(StmtKind::Expr(self.expr()?))
    }

    fn declaration(&mut self) -> PResult<StmtKind> {
        let ty = self.decltype()?;
        let mut vars = Vec::new();
        loop {
            let (name, span) = self.expect_ident()?;
            let init = if self.eat_punct("=") { Some(self.expr()?) } else { None };
            vars.push(DeclVar { var: Var { name, slot: 0, ty: Type::Def }, init, span });
            if !self.eat_punct(",") {
                break;
            }
        }
        Ok(StmtKind::Decl(ty, vars))
    }

    fn for_statement(&mut self) -> PResult<StmtKind> {
        self.expect_punct("(")?;
        // for (x in xs)
        if matches!(self.peek(), Tok::Ident(n) if !is_keyword(n)) && matches!(self.peek_at(1), Tok::Ident(n) if n == "in") {
            let (name, _) = self.expect_ident()?;
            self.bump();
            let iter = self.expr()?;
            self.expect_punct(")")?;
            let body = self.trailer()?;
            return Ok(StmtKind::ForEach { ty: Type::Def, var: Var { name, slot: 0, ty: Type::Def }, iter, body: Box::new(body) });
        }
        // for (T x : xs)
        if let Some(n) = self.type_len_at(self.pos) {
            if matches!(self.peek_at(n), Tok::Ident(_)) && matches!(self.peek_at(n + 1), Tok::Punct(":")) {
                let ty = self.decltype()?;
                let (name, _) = self.expect_ident()?;
                self.expect_punct(":")?;
                let iter = self.expr()?;
                self.expect_punct(")")?;
                let body = self.trailer()?;
                return Ok(StmtKind::ForEach { ty, var: Var { name, slot: 0, ty: Type::Def }, iter, body: Box::new(body) });
            }
        }
        let init = if self.is_punct(";") {
            None
        } else {
            let start = self.span();
            let kind = if self.at_declaration() { self.declaration()? } else { StmtKind::Expr(self.expr()?) };
            Some(Box::new(Stmt { kind, span: start.to(self.prev_span()) }))
        };
        self.expect_punct(";")?;
        let cond = if self.is_punct(";") { None } else { Some(self.expr()?) };
        self.expect_punct(";")?;
        let after = if self.is_punct(")") { None } else { Some(self.expr()?) };
        self.expect_punct(")")?;
        let body = self.loop_body()?;
        Ok(StmtKind::For { init, cond, after, body })
    }

    // ---- expressions ----

    pub fn expr(&mut self) -> PResult<Expr> {
        self.enter()?;
        let lhs = self.binary(1)?;
        let result = if self.is_punct("?") {
            self.bump();
            let a = self.expr()?;
            self.expect_punct(":")?;
            let b = self.expr()?;
            let span = Span { start: leftmost(&lhs), end: b.span.end };
            Expr { kind: ExprKind::Cond(Box::new(lhs), Box::new(a), Box::new(b)), span }
        } else if let Some(op) = self.assign_op() {
            let op_span = self.bump().span;
            if !is_assignable(&lhs) {
                return Err(CompileError {
                    offset: op_span.start as usize,
                    kind: "illegal_argument_exception",
                    message: "invalid assignment: cannot assign a value to the left-hand side of this expression".into(),
                });
            }
            let value = self.expr()?;
            let span = Span { start: leftmost(&lhs), end: value.span.end };
            Expr { kind: ExprKind::Assign { target: Box::new(lhs), op, value: Box::new(value) }, span }
        } else {
            lhs
        };
        self.depth -= 1;
        Ok(result)
    }

    fn assign_op(&self) -> Option<Option<BinOp>> {
        let Tok::Punct(p) = self.peek() else { return None };
        Some(match *p {
            "=" => None,
            "+=" => Some(BinOp::Add),
            "-=" => Some(BinOp::Sub),
            "*=" => Some(BinOp::Mul),
            "/=" => Some(BinOp::Div),
            "%=" => Some(BinOp::Rem),
            "&=" => Some(BinOp::BitAnd),
            "^=" => Some(BinOp::Xor),
            "|=" => Some(BinOp::BitOr),
            "<<=" => Some(BinOp::Shl),
            ">>=" => Some(BinOp::Shr),
            ">>>=" => Some(BinOp::Ushr),
            _ => return None,
        })
    }

    /// Precedence climbing over the grammar's binary levels, loosest first:
    /// elvis (1, right-associative), `||`, `&&`, `|`, `^`, `&`, equality,
    /// `instanceof`, relational, shift, find/match, additive,
    /// multiplicative (13). One call per operand keeps the Rust stack shallow
    /// for deeply parenthesised input.
    fn binary(&mut self, min_prec: u8) -> PResult<Expr> {
        enum Kind {
            Elvis,
            Or,
            And,
            InstanceOf,
            Op(BinOp),
        }
        self.enter()?;
        let mut lhs = self.unary()?;
        // Each operator folded into `lhs` nests the tree one level deeper,
        // as deep as recursion would: it counts against the same limit.
        let depth = self.depth;
        loop {
            let (prec, kind) = match self.peek() {
                Tok::Ident(w) if w == "instanceof" => (8, Kind::InstanceOf),
                Tok::Punct(p) => match *p {
                    "?:" => (1, Kind::Elvis),
                    "||" => (2, Kind::Or),
                    "&&" => (3, Kind::And),
                    "|" => (4, Kind::Op(BinOp::BitOr)),
                    "^" => (5, Kind::Op(BinOp::Xor)),
                    "&" => (6, Kind::Op(BinOp::BitAnd)),
                    "==" => (7, Kind::Op(BinOp::Eq)),
                    "!=" => (7, Kind::Op(BinOp::Ne)),
                    "===" => (7, Kind::Op(BinOp::RefEq)),
                    "!==" => (7, Kind::Op(BinOp::RefNe)),
                    "<" => (9, Kind::Op(BinOp::Lt)),
                    "<=" => (9, Kind::Op(BinOp::Le)),
                    ">" => (9, Kind::Op(BinOp::Gt)),
                    ">=" => (9, Kind::Op(BinOp::Ge)),
                    "<<" => (10, Kind::Op(BinOp::Shl)),
                    ">>" => (10, Kind::Op(BinOp::Shr)),
                    ">>>" => (10, Kind::Op(BinOp::Ushr)),
                    "=~" => (11, Kind::Op(BinOp::Find)),
                    "==~" => (11, Kind::Op(BinOp::Match)),
                    "+" => (12, Kind::Op(BinOp::Add)),
                    "-" => (12, Kind::Op(BinOp::Sub)),
                    "*" => (13, Kind::Op(BinOp::Mul)),
                    "/" => (13, Kind::Op(BinOp::Div)),
                    "%" => (13, Kind::Op(BinOp::Rem)),
                    _ => break,
                },
                _ => break,
            };
            if prec < min_prec {
                break;
            }
            self.bump();
            self.enter()?;
            lhs = match kind {
                Kind::InstanceOf => {
                    let ty = self.decltype()?;
                    let span = Span { start: leftmost(&lhs), end: self.prev_span().end };
                    Expr { kind: ExprKind::InstanceOf(Box::new(lhs), ty), span }
                }
                Kind::Elvis => {
                    let rhs = self.binary(prec)?;
                    let span = Span { start: leftmost(&lhs), end: rhs.span.end };
                    Expr { kind: ExprKind::Elvis(Box::new(lhs), Box::new(rhs)), span }
                }
                Kind::Or | Kind::And => {
                    let rhs = self.binary(prec + 1)?;
                    let span = Span { start: leftmost(&lhs), end: rhs.span.end };
                    let kind = if matches!(kind, Kind::Or) { ExprKind::Or(Box::new(lhs), Box::new(rhs)) } else { ExprKind::And(Box::new(lhs), Box::new(rhs)) };
                    Expr { kind, span }
                }
                Kind::Op(op) => {
                    let rhs = self.binary(prec + 1)?;
                    let span = Span { start: leftmost(&lhs), end: rhs.span.end };
                    Expr { kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)), span }
                }
            };
        }
        self.depth = depth - 1;
        Ok(lhs)
    }

    fn unary(&mut self) -> PResult<Expr> {
        self.enter()?;
        let start = self.span();
        let result = if self.is_punct("++") || self.is_punct("--") {
            let delta = if self.is_punct("++") { 1 } else { -1 };
            self.bump();
            let target = self.chain()?;
            if !is_assignable(&target) {
                return Err(CompileError { offset: start.start as usize, kind: "illegal_argument_exception", message: "invalid increment or decrement target".into() });
            }
            let span = start.to(target.span);
            Expr { kind: ExprKind::IncDec { target: Box::new(target), pre: true, delta }, span }
        } else if self.is_punct("-") && matches!(self.peek_at(1), Tok::Int { .. } | Tok::Decimal { .. }) && !matches!(self.peek_at(2), Tok::Punct("." | "?." | "[")) {
            self.bump();
            let tok = self.bump();
            let kind = self.number(&tok.tok, true, tok.span)?;
            Expr { kind, span: start.to(tok.span) }
        } else if let Some(op) = match self.peek() {
            Tok::Punct("!") => Some(UnOp::Not),
            Tok::Punct("~") => Some(UnOp::BitNot),
            Tok::Punct("-") => Some(UnOp::Neg),
            Tok::Punct("+") => Some(UnOp::Plus),
            _ => None,
        } {
            self.bump();
            let e = self.unary()?;
            let span = start.to(e.span);
            Expr { kind: ExprKind::Unary(op, Box::new(e)), span }
        } else if let Some(ty_len) = self.cast_at() {
            self.bump();
            let ty = self.decltype()?;
            debug_assert!(ty_len > 0);
            self.expect_punct(")")?;
            let e = self.unary()?;
            let span = start.to(e.span);
            Expr { kind: ExprKind::Cast(ty, Box::new(e)), span }
        } else {
            let e = self.chain()?;
            if self.is_punct("++") || self.is_punct("--") {
                let delta = if self.is_punct("++") { 1 } else { -1 };
                let op = self.bump().span;
                if !is_assignable(&e) {
                    return Err(CompileError { offset: op.start as usize, kind: "illegal_argument_exception", message: "invalid increment or decrement target".into() });
                }
                let span = Span { start: leftmost(&e), end: op.end };
                Expr { kind: ExprKind::IncDec { target: Box::new(e), pre: false, delta }, span }
            } else {
                e
            }
        };
        self.depth -= 1;
        Ok(result)
    }

    /// `(` type `)` followed by something a cast can apply to.
    fn cast_at(&self) -> Option<usize> {
        if !self.is_punct("(") {
            return None;
        }
        let n = self.type_len_at(self.pos + 1)?;
        if !matches!(self.peek_at(1 + n), Tok::Punct(")")) {
            return None;
        }
        let primitive = matches!(self.peek_at(1), Tok::Ident(w) if w == "def" || Prim::from_name(w).is_some());
        let next = self.peek_at(2 + n);
        let starts_operand = match next {
            Tok::Ident(w) => !matches!(w.as_str(), "instanceof" | "in"),
            Tok::Int { .. } | Tok::Decimal { .. } | Tok::Str(_) | Tok::Regex { .. } => true,
            Tok::Punct("(" | "!" | "~" | "[") => true,
            Tok::Punct("+" | "-" | "++" | "--") => primitive,
            _ => false,
        };
        starts_operand.then_some(n)
    }

    fn chain(&mut self) -> PResult<Expr> {
        let mut e = self.primary()?;
        // Each access wraps `e` one level deeper (see `binary`).
        let depth = self.depth;
        loop {
            if self.is_punct(".") || self.is_punct("?.") || self.is_punct("[") {
                self.enter()?;
            }
            if self.is_punct(".") || self.is_punct("?.") {
                let null_safe = self.is_punct("?.");
                let dot = self.bump().span;
                let name = match self.peek().clone() {
                    Tok::DotName(n) => {
                        self.bump();
                        n
                    }
                    _ => return Err(self.unexpected()),
                };
                if self.is_punct("(") {
                    let args = self.arguments()?;
                    e = Expr { kind: ExprKind::Call { obj: Box::new(e), name, args, null_safe, bound: None }, span: Span { start: dot.start, end: self.prev_span().end } };
                } else {
                    e = Expr { kind: ExprKind::Field { obj: Box::new(e), name, null_safe }, span: Span { start: dot.start, end: self.prev_span().end } };
                }
            } else if self.is_punct("[") {
                let open = self.bump().span;
                let index = self.expr()?;
                let close = self.expect_punct("]")?;
                e = Expr { kind: ExprKind::Index { obj: Box::new(e), index: Box::new(index) }, span: open.to(close) };
            } else {
                break;
            }
        }
        self.depth = depth;
        Ok(e)
    }

    fn number(&self, tok: &Tok, negative: bool, span: Span) -> PResult<ExprKind> {
        let err = |what: &str, text: &str| CompileError { offset: span.start as usize, kind: "illegal_argument_exception", message: format!("Invalid {what} constant [{text}].") };
        match tok {
            Tok::Int { digits, radix, suffix } => {
                let text = if negative { format!("-{digits}") } else { digits.clone() };
                if *suffix == Some('l') {
                    let v = if *radix == 10 {
                        text.parse::<i64>().ok()
                    } else {
                        u64::from_str_radix(digits, *radix).ok().map(|u| if negative { (u as i64).wrapping_neg() } else { u as i64 })
                    };
                    v.map(ExprKind::Long).ok_or_else(|| err("long", &text))
                } else {
                    let v = if *radix == 10 {
                        text.parse::<i32>().ok()
                    } else {
                        u32::from_str_radix(digits, *radix).ok().map(|u| if negative { (u as i32).wrapping_neg() } else { u as i32 })
                    };
                    v.map(ExprKind::Int).ok_or_else(|| err("int", &text))
                }
            }
            Tok::Decimal { text, suffix } => {
                let t = if negative { format!("-{text}") } else { text.clone() };
                if *suffix == Some('f') {
                    let v: f32 = t.parse().map_err(|_| err("float", &t))?;
                    if v.is_infinite() {
                        return Err(err("float", &t));
                    }
                    Ok(ExprKind::Float(v))
                } else {
                    let v: f64 = t.parse().map_err(|_| err("double", &t))?;
                    if v.is_infinite() {
                        return Err(err("double", &t));
                    }
                    Ok(ExprKind::Double(v))
                }
            }
            _ => unreachable!(),
        }
    }

    fn primary(&mut self) -> PResult<Expr> {
        let start = self.span();
        let tok = self.peek().clone();
        let kind = match tok {
            Tok::Int { .. } | Tok::Decimal { .. } => {
                self.bump();
                self.number(&tok, false, start)?
            }
            Tok::Str(s) => {
                self.bump();
                ExprKind::Str(Arc::from(s.as_str()))
            }
            Tok::Regex { pattern, flags } => {
                self.bump();
                ExprKind::Regex(Arc::new(compile_regex(&pattern, &flags, start)?))
            }
            Tok::Punct("(") => {
                if self.lambda_at() {
                    return self.lambda();
                }
                self.bump();
                let e = self.expr()?;
                self.expect_punct(")")?;
                return Ok(e);
            }
            Tok::Punct("[") => return self.initializer(),
            Tok::Ident(word) => match word.as_str() {
                "true" | "false" => {
                    self.bump();
                    ExprKind::Bool(word == "true")
                }
                "null" => {
                    self.bump();
                    ExprKind::Null
                }
                "new" => return self.new_expr(),
                "this" if matches!(self.peek_at(1), Tok::Punct("::")) => {
                    self.bump();
                    self.bump();
                    let (name, end) = self.expect_ident()?;
                    return Ok(Expr { kind: ExprKind::FuncRef(Arc::new(FuncRef::Local { name, index: 0 })), span: start.to(end) });
                }
                _ => {
                    if matches!(self.peek_at(1), Tok::Punct("->")) {
                        return self.lambda();
                    }
                    if let Some(n) = self.type_len_at(self.pos) {
                        if matches!(self.peek_at(n), Tok::Punct("::")) {
                            return self.funcref();
                        }
                    }
                    if is_keyword(&word) {
                        return Err(self.unexpected());
                    }
                    self.bump();
                    if self.is_punct("(") {
                        let args = self.arguments()?;
                        ExprKind::LocalCall { name: word, index: usize::MAX, args }
                    } else {
                        ExprKind::Name(word)
                    }
                }
            },
            _ => return Err(self.unexpected()),
        };
        Ok(Expr { kind, span: start.to(self.prev_span()) })
    }

    fn funcref(&mut self) -> PResult<Expr> {
        let start = self.span();
        let ty = self.decltype()?;
        self.expect_punct("::")?;
        let f = if self.eat_word("new") {
            FuncRef::Constructor { class: ty.name() }
        } else {
            let (method, _) = self.expect_ident()?;
            match ty {
                Type::Class(c) if c.name.chars().next().is_some_and(|ch| ch.is_ascii_uppercase()) => FuncRef::Method { class: c.name, method },
                Type::Class(var) => FuncRef::Bound { receiver: Box::new(Expr { kind: ExprKind::Name(var.name), span: start }), method },
                _ => return Err(self.unexpected()),
            }
        };
        Ok(Expr { kind: ExprKind::FuncRef(Arc::new(f)), span: start.to(self.prev_span()) })
    }

    /// Is a parenthesised lambda parameter list at the cursor (`(a, b) ->`)?
    fn lambda_at(&self) -> bool {
        let mut i = self.pos + 1;
        loop {
            match self.toks.get(i).map(|t| &t.tok) {
                Some(Tok::Punct(")")) => return matches!(self.toks.get(i + 1).map(|t| &t.tok), Some(Tok::Punct("->"))),
                Some(Tok::Ident(_) | Tok::Punct("," | "[" | "]" | ".") | Tok::DotName(_)) => i += 1,
                _ => return false,
            }
        }
    }

    fn lambda(&mut self) -> PResult<Expr> {
        let start = self.span();
        let mut params = Vec::new();
        if self.eat_punct("(") {
            if !self.is_punct(")") {
                loop {
                    let ty = if matches!(self.peek_at(1), Tok::Punct("," | ")")) { Type::Def } else { self.decltype()? };
                    let (name, _) = self.expect_ident()?;
                    params.push((ty, Var { name, slot: 0, ty: Type::Def }));
                    if !self.eat_punct(",") {
                        break;
                    }
                }
            }
            self.expect_punct(")")?;
        } else {
            let (name, _) = self.expect_ident()?;
            params.push((Type::Def, Var { name, slot: 0, ty: Type::Def }));
        }
        self.expect_punct("->")?;
        let (body, body_at) = if self.is_punct("{") {
            let block = self.block()?;
            match block.kind {
                StmtKind::Block(b) => (LambdaBody::Block(b), block.span.start),
                _ => unreachable!(),
            }
        } else {
            (LambdaBody::Expr(self.expr()?), start.start)
        };
        let lambda = Lambda { params, body, captures: Vec::new(), frame_size: 0, forwards_to: None, body_at };
        Ok(Expr { kind: ExprKind::Lambda(Arc::new(lambda)), span: start.to(self.prev_span()) })
    }

    fn arguments(&mut self) -> PResult<Vec<Expr>> {
        self.expect_punct("(")?;
        let mut args = Vec::new();
        if !self.is_punct(")") {
            loop {
                args.push(self.expr()?);
                if !self.eat_punct(",") {
                    break;
                }
            }
        }
        self.expect_punct(")")?;
        Ok(args)
    }

    fn initializer(&mut self) -> PResult<Expr> {
        let start = self.expect_punct("[")?;
        if self.is_punct("]") {
            let end = self.bump().span;
            return Ok(Expr { kind: ExprKind::ListInit(Vec::new()), span: start.to(end) });
        }
        if self.is_punct(":") && matches!(self.peek_at(1), Tok::Punct("]")) {
            self.bump();
            let end = self.bump().span;
            return Ok(Expr { kind: ExprKind::MapInit(Vec::new()), span: start.to(end) });
        }
        let first = self.expr()?;
        if self.eat_punct(":") {
            let v = self.expr()?;
            let mut entries = vec![(first, v)];
            while self.eat_punct(",") {
                let k = self.expr()?;
                self.expect_punct(":")?;
                let v = self.expr()?;
                entries.push((k, v));
            }
            let end = self.expect_punct("]")?;
            return Ok(Expr { kind: ExprKind::MapInit(entries), span: start.to(end) });
        }
        let mut items = vec![first];
        while self.eat_punct(",") {
            items.push(self.expr()?);
        }
        let end = self.expect_punct("]")?;
        Ok(Expr { kind: ExprKind::ListInit(items), span: start.to(end) })
    }

    fn new_expr(&mut self) -> PResult<Expr> {
        let start = self.span();
        self.bump();
        let base = {
            let save = self.pos;
            let ty = self.decltype()?;
            // decltype may have swallowed `[]` of an initialised array.
            if let Type::Array(_) = ty {
                let mut elem = ty;
                if !self.is_punct("{") {
                    self.pos = save;
                    return Err(self.unexpected());
                }
                if let Type::Array(inner) = elem {
                    elem = *inner;
                }
                self.bump();
                let mut items = Vec::new();
                if !self.is_punct("}") {
                    loop {
                        items.push(self.expr()?);
                        if !self.eat_punct(",") {
                            break;
                        }
                    }
                }
                let end = self.expect_punct("}")?;
                return Ok(Expr { kind: ExprKind::NewArrayInit { elem, items }, span: start.to(end) });
            }
            ty
        };
        if self.is_punct("(") {
            let class = match base {
                Type::Class(c) => c.name,
                _ => return Err(self.unexpected()),
            };
            let args = self.arguments()?;
            return Ok(Expr { kind: ExprKind::New { class, args }, span: start.to(self.prev_span()) });
        }
        if self.is_punct("[") {
            let mut dims = Vec::new();
            while self.eat_punct("[") {
                dims.push(self.expr()?);
                self.expect_punct("]")?;
            }
            let mut elem = base;
            for _ in 1..dims.len() {
                elem = Type::Array(Box::new(elem));
            }
            return Ok(Expr { kind: ExprKind::NewArray { elem, dims }, span: start.to(self.prev_span()) });
        }
        Err(self.unexpected())
    }
}

/// Where an expression's text begins. Field, call and index nodes are
/// located at their `.`/`[` (where Elasticsearch reports their errors), but
/// an operator containing them starts at the leftmost token of its operand.
fn leftmost(e: &Expr) -> u32 {
    match &e.kind {
        ExprKind::Field { obj, .. } | ExprKind::Call { obj, .. } | ExprKind::Index { obj, .. } => leftmost(obj).min(e.span.start),
        _ => e.span.start,
    }
}

fn is_assignable(e: &Expr) -> bool {
    matches!(e.kind, ExprKind::Name(_) | ExprKind::Field { null_safe: false, .. } | ExprKind::Index { .. })
}

/// Compiles a regex literal; Java flags map onto the regex crate's inline flags.
pub fn compile_regex(pattern: &str, flags: &str, span: Span) -> PResult<RegexLit> {
    let mut inline = String::new();
    for f in flags.chars() {
        match f {
            'i' => inline.push('i'),
            'm' => inline.push('m'),
            's' => inline.push('s'),
            'x' => inline.push('x'),
            'U' | 'u' | 'c' | 'l' => {}
            _ => {}
        }
    }
    let prefix = if inline.is_empty() { String::new() } else { format!("(?{inline})") };
    let error = |e: fancy_regex::Error| CompileError {
        offset: span.start as usize,
        kind: "illegal_argument_exception",
        message: format!("Error compiling regex: {e}"),
    };
    let regex = fancy_regex::Regex::new(&format!("{prefix}{pattern}")).map_err(error)?;
    let anchored = fancy_regex::Regex::new(&format!("{prefix}\\A(?:{pattern})\\z")).map_err(error)?;
    Ok(RegexLit { pattern: pattern.to_string(), flags: flags.to_string(), regex, anchored })
}

#[cfg(test)]
mod depth_tests {
    use crate::painless::{compile, ScriptContext};

    /// Left-associative chains nest the tree as deeply as parentheses do:
    /// a long one is refused at compile time instead of overflowing the
    /// Rust stack in the passes that walk the tree.
    #[test]
    fn long_operator_and_access_chains_are_refused_not_overflowed() {
        for source in [
            format!("ctx.x = 1{}", " + 1".repeat(100_000)),
            format!("return true{}", " || true".repeat(100_000)),
            format!("ctx.x = ctx{}", ".a".repeat(100_000)),
            format!("ctx.x = ctx{}", "[0]".repeat(100_000)),
            format!("ctx.x = 1{}", " ?: 1".repeat(100_000)),
        ] {
            let e = compile(&source, ScriptContext::Ingest).unwrap_err();
            let cause = e.caused_by.as_deref().expect("cause");
            assert!(cause.reason.contains("nested too deeply"), "{}", cause.reason);
        }
        // Real-sized chains still compile.
        compile(&format!("ctx.x = 1{}", " + 1".repeat(100)), ScriptContext::Ingest).unwrap();
        compile(&format!("return ctx.a == null{}", " || ctx.a == 'x'".repeat(60)), ScriptContext::Condition).unwrap();
    }
}
