//! Which top-level `ctx` fields an ingest script can reach.
//!
//! Running a `script` processor copies `ctx` into script objects and compares it back,
//! which for a big document costs more than the script itself. When the
//! main body only ever uses `ctx` as `ctx.name` (or `ctx?.name`) with fixed
//! names, and never hands `ctx` itself to anything (a variable, a call, a
//! lambda, an index), the script cannot observe or change any other field:
//! only those fields need copying. Anything else gives `None` and the whole
//! `ctx` is copied, as before.

use super::ast::Expr;
use super::ast::{ExprKind, FuncRef, LambdaBody, Program, Stmt, StmtKind};
use super::resolve::CTX_SLOT;

/// The fixed top-level field names the script uses, or `None` when it may
/// use `ctx` in any other way.
pub fn top_level_keys(program: &Program) -> Option<Vec<String>> {
    let mut keys = Vec::new();
    for s in &program.body {
        stmt(s, &mut keys)?;
    }
    keys.sort();
    keys.dedup();
    Some(keys)
}

fn stmt(s: &Stmt, keys: &mut Vec<String>) -> Option<()> {
    match &s.kind {
        StmtKind::Expr(e) | StmtKind::Throw(e) | StmtKind::ImplicitReturn(e) => expr(e, keys),
        StmtKind::Decl(_, vars) => {
            for v in vars {
                if let Some(init) = &v.init {
                    expr(init, keys)?;
                }
            }
            Some(())
        }
        StmtKind::If(c, then, otherwise) => {
            expr(c, keys)?;
            stmt(then, keys)?;
            match otherwise {
                Some(o) => stmt(o, keys),
                None => Some(()),
            }
        }
        StmtKind::While(c, body) => {
            expr(c, keys)?;
            match body {
                Some(b) => stmt(b, keys),
                None => Some(()),
            }
        }
        StmtKind::DoWhile(body, c) => {
            stmt(body, keys)?;
            expr(c, keys)
        }
        StmtKind::For {
            init,
            cond,
            after,
            body,
        } => {
            if let Some(i) = init {
                stmt(i, keys)?;
            }
            for e in [cond, after].into_iter().flatten() {
                expr(e, keys)?;
            }
            match body {
                Some(b) => stmt(b, keys),
                None => Some(()),
            }
        }
        StmtKind::ForEach { iter, body, .. } => {
            expr(iter, keys)?;
            stmt(body, keys)
        }
        StmtKind::Block(body) => body.iter().try_for_each(|s| stmt(s, keys)),
        StmtKind::Break | StmtKind::Continue => Some(()),
        StmtKind::Return(e) => match e {
            Some(e) => expr(e, keys),
            None => Some(()),
        },
        StmtKind::Try(body, catches) => {
            stmt(body, keys)?;
            catches.iter().try_for_each(|c| stmt(&c.body, keys))
        }
    }
}

fn exprs(es: &[Expr], keys: &mut Vec<String>) -> Option<()> {
    es.iter().try_for_each(|e| expr(e, keys))
}

fn expr(e: &Expr, keys: &mut Vec<String>) -> Option<()> {
    match &e.kind {
        ExprKind::Null
        | ExprKind::Bool(_)
        | ExprKind::Int(_)
        | ExprKind::Long(_)
        | ExprKind::Float(_)
        | ExprKind::Double(_)
        | ExprKind::Str(_)
        | ExprKind::Regex(_)
        | ExprKind::Class(_) => Some(()),
        // Unresolved: not expected after resolution, so make no claim.
        ExprKind::Name(_) => None,
        // `ctx` anywhere but as the object of a fixed field.
        ExprKind::Local(var) => (var.slot != CTX_SLOT).then_some(()),
        ExprKind::Field { obj, name, .. } => match &obj.kind {
            ExprKind::Local(var) if var.slot == CTX_SLOT => {
                keys.push(name.clone());
                Some(())
            }
            _ => expr(obj, keys),
        },
        ExprKind::ListInit(items) | ExprKind::NewArrayInit { items, .. } => exprs(items, keys),
        ExprKind::MapInit(entries) => entries.iter().try_for_each(|(k, v)| {
            expr(k, keys)?;
            expr(v, keys)
        }),
        ExprKind::New { args, .. } | ExprKind::LocalCall { args, .. } => exprs(args, keys),
        ExprKind::NewArray { dims, .. } => exprs(dims, keys),
        ExprKind::Index { obj, index } => {
            expr(obj, keys)?;
            expr(index, keys)
        }
        ExprKind::Call { obj, args, .. } => {
            expr(obj, keys)?;
            exprs(args, keys)
        }
        ExprKind::Unary(_, a) | ExprKind::InstanceOf(a, _) | ExprKind::Cast(_, a) => expr(a, keys),
        ExprKind::Binary(_, a, b)
        | ExprKind::And(a, b)
        | ExprKind::Or(a, b)
        | ExprKind::Elvis(a, b) => {
            expr(a, keys)?;
            expr(b, keys)
        }
        ExprKind::Cond(a, b, c) => {
            expr(a, keys)?;
            expr(b, keys)?;
            expr(c, keys)
        }
        ExprKind::Assign { target, value, .. } => {
            expr(target, keys)?;
            expr(value, keys)
        }
        ExprKind::IncDec { target, .. } => expr(target, keys),
        // A lambda has its own frame: it reaches `ctx` only by capturing it.
        ExprKind::Lambda(lambda) => {
            let _: &LambdaBody = &lambda.body;
            (!lambda.captures.iter().any(|&(outer, _)| outer == CTX_SLOT)).then_some(())
        }
        ExprKind::FuncRef(f) => match &**f {
            FuncRef::Bound { receiver, .. } => expr(receiver, keys),
            FuncRef::Method { .. } | FuncRef::Constructor { .. } | FuncRef::Local { .. } => {
                Some(())
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use crate::painless::{compile, ScriptContext};
    use crate::value::{Map, Value};

    fn keys(source: &str) -> Option<Vec<String>> {
        let script = compile(source, ScriptContext::Ingest).unwrap();
        super::top_level_keys(&script.program)
    }

    #[test]
    fn fixed_fields_are_found() {
        assert_eq!(
            keys("if (ctx.user?.name != null && ctx.user.name.length == 1) { ctx.user.name = ctx.user.name[0]; }"),
            Some(vec!["user".to_string()])
        );
        assert_eq!(
            keys("for (d in ctx._conf.local_domains) { if (ctx.source?.domain == d) { ctx.email.direction = 'x'; } } ctx.a = [1].stream().map(x -> x + 1).collect(Collectors.toList());"),
            Some(vec!["_conf".to_string(), "a".to_string(), "email".to_string(), "source".to_string()])
        );
    }

    #[test]
    fn any_other_use_of_ctx_gives_up() {
        for source in [
            "def c = ctx; c.a = 1",
            "ctx['a'] = 1",
            "ctx.remove('a')",
            "ctx.put('a', 1)",
            "ctx.a = ctx.size()",
            "for (k in ctx.keySet()) { ctx.b = k }",
            "ctx.a = [1].stream().map(x -> ctx.b).collect(Collectors.toList())",
            "void f(Map m) { m.a = 1 } f(ctx)",
            "ctx.a = ctx.toString()",
        ] {
            assert_eq!(keys(source), None, "{source}");
        }
    }

    /// Running on the reachable fields only gives the same document as
    /// running on all of ctx, field order included.
    #[test]
    fn same_document_as_the_whole_ctx() {
        let cases = [
            ("ctx.b.x = 2; ctx.z = 1; ctx.y = 0", r#"{"a": 1, "b": {"x": 1}, "c": 3}"#),
            ("ctx.b = null; ctx.a = 'x'", r#"{"a": 1, "b": {"x": 1}, "c": 3}"#),
            ("ctx.b.remove('x'); ctx.q = ctx.a", r#"{"a": 1, "b": {"x": 1}, "c": 3}"#),
            ("if (ctx.user?.name != null && ctx.user.name.length == 1) { ctx.user.name = ctx.user.name[0]; }",
             r#"{"a": 1, "user": {"name": ["n"], "id": ["i", "j"]}, "c": 3}"#),
            ("ctx.missing.x = 1", r#"{"a": 1}"#),
        ];
        for (source, doc) in cases {
            let script = compile(source, ScriptContext::Ingest).unwrap();
            assert!(script.ctx_keys.is_some(), "{source}");
            let Value::Map(original) = Value::from_json_str(doc).unwrap() else {
                panic!()
            };
            let mut fast = original.clone();
            let fast_result = script
                .execute(&mut fast, &Map::default())
                .map_err(|e| e.to_string());
            let mut whole = original.clone();
            let whole_result = script
                .interpret(&mut whole, &Map::default())
                .map_err(|e| e.to_string());
            assert_eq!(fast_result, whole_result, "{source}");
            assert_eq!(
                Value::Map(fast).to_json(),
                Value::Map(whole).to_json(),
                "{source}"
            );
        }
    }

    /// A field set to null stays where it was.
    #[test]
    fn null_fields_keep_their_place() {
        let script = compile("ctx.a = null; ctx.b = 2", ScriptContext::Ingest).unwrap();
        let Value::Map(original) = Value::from_json_str(r#"{"a": 1, "b": 1, "c": 3}"#).unwrap()
        else {
            panic!()
        };
        let mut fast = original.clone();
        script.execute(&mut fast, &Map::default()).unwrap();
        let mut whole = original;
        script.interpret(&mut whole, &Map::default()).unwrap();
        assert_eq!(Value::Map(fast).to_json(), Value::Map(whole).to_json());
    }
}
