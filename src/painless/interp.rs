//! The runtime of compiled scripts ([`super::compile`]): the interpreter
//! state the compiled closures run with (loop budget, call depth, frames,
//! the value being returned), calls of script functions and lambdas, field
//! and index access, and the operators.
//!
//! Java semantics that matter to pipelines are kept: numeric promotion with
//! 32-bit overflow, integer division, `==` as `equals` with numeric
//! comparison across box types, string concatenation with Java `toString`,
//! and the loop counter limit of 1,000,000 iterations.

use super::ast::*;
use super::compile::{LambdaBodyCode, LambdaCode, Step};
use super::lib;
use super::resolve::{CTX_SLOT, PARAMS_SLOT};
use super::val::*;
use super::Exc;
use crate::document::metadata;
use std::cell::RefCell;
use std::rc::Rc;

const MAX_LOOP_ITERATIONS: u32 = 1_000_000;
const MAX_CALL_DEPTH: usize = 64;

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
    /// The value of the `return` that compiled code is leaving by; null
    /// when it is leaving by none.
    returned: Val<'a>,
    /// The values of the lambdas that capture nothing, by lambda index,
    /// made when first evaluated: one instance each, as Java makes of a
    /// non-capturing lambda, so that a lambda evaluated once per call of
    /// its function is not allocated and freed each time.
    capture_free_lambdas: Vec<Option<Rc<Closure<'a>>>>,
    /// The script's top-level `ctx` map (its address, only compared):
    /// Elasticsearch's `IngestCtxMap` checks the metadata keys put into
    /// it or removed from it as the script does so.
    ctx_map: *const (),
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
        Interp { prog, read_only, budget: MAX_LOOP_ITERATIONS, depth: 0, spare_frames: Vec::new(), last_doc_field: None, returned: Val::Null, capture_free_lambdas: Vec::new(), ctx_map: std::ptr::null() }
    }

    /// Runs the main body: the value it returns (a condition's last
    /// expression statement returns its value, as the flow pass marks it),
    /// `None` when it ends without returning one.
    pub fn run(&mut self, ctx: Val<'a>, params: Val<'a>) -> R<Option<Val<'a>>> {
        if let Val::Map(MapRef::Own(m)) = &ctx {
            self.ctx_map = Rc::as_ptr(m).cast();
        }
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

    /// Runs the compiled main body: the value it returns, if it returns one.
    fn run_body(&mut self, frame: &mut [Val<'a>]) -> R<Option<Val<'a>>> {
        let prog = self.prog;
        match (prog.code.main)(self, frame)? {
            Step::Return => Ok(Some(self.take_returned())),
            Step::Next | Step::Break | Step::Continue => Ok(None),
        }
    }

    /// Leaves `v` as the value of the `return` being executed.
    #[inline(always)]
    pub(super) fn set_returned(&mut self, v: Val<'a>) {
        std::mem::replace(&mut self.returned, v).discard();
    }

    /// The value a `return` left, in place.
    #[inline(always)]
    pub(super) fn returned(&self) -> &Val<'a> {
        &self.returned
    }

    /// Takes the value a `return` left.
    #[inline(always)]
    pub(super) fn take_returned(&mut self) -> Val<'a> {
        std::mem::replace(&mut self.returned, Val::Null)
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

    /// Runs `code` one call level deeper.
    #[inline(always)]
    pub(super) fn deeper<T>(&mut self, code: impl FnOnce(&mut Self) -> T) -> T {
        self.depth += 1;
        let result = code(self);
        self.depth -= 1;
        result
    }

    /// Runs `code` one call level deeper for a library method that
    /// recurses (a comparator made of comparators), failing as a script
    /// call that deep does.
    pub(super) fn nested<T>(&mut self, code: impl FnOnce(&mut Self) -> R<T>) -> R<T> {
        if self.depth >= MAX_CALL_DEPTH {
            return Err(Exc::bare("StackOverflowError"));
        }
        self.deeper(code)
    }

    /// A frame of `size` null slots, from a returned call when there is one.
    pub(super) fn take_frame(&mut self, size: usize) -> Vec<Val<'a>> {
        let mut frame = self.spare_frames.pop().unwrap_or_default();
        // Pushed one by one: `resize` would clone its null through `Val::clone`.
        frame.reserve(size);
        for _ in 0..size {
            frame.push(Val::Null);
        }
        frame
    }

    pub(super) fn return_frame(&mut self, mut frame: Vec<Val<'a>>) {
        frame.clear();
        self.spare_frames.push(frame);
    }

    pub fn get_field(&mut self, recv: &Val<'a>, name: &'a str) -> R<Val<'a>> {
        match recv {
            Val::Null => Err(null_access(name)),
            // Painless tries the class's getters before the map shortcut: `isEmpty()` is `.empty`.
            Val::Map(m) if name == "empty" => Ok(Val::Bool(map_len(m) == 0)),
            Val::Map(MapRef::Doc(m)) => Ok(self.doc_field(m, name).map_or_else(|| Val::Null, Val::from_doc)),
            Val::Map(m) => match map_get_str(m, name) {
                Some(v) => Ok(v),
                None => lib::sorted::missed(self, m, || Val::str(name)),
            },
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
                self.check_ctx_put(m, name, &value)?;
                let mut map = m.borrow_mut();
                if map.kind == MapKind::Tree {
                    drop(map);
                    return lib::sorted::put(self, m, Val::str(name), value).map(drop);
                }
                map.put_str(name, value);
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

    /// `CtxMap.put`'s check when `map` is the script's `ctx` and `key` a
    /// metadata key (see `document::metadata`). Other routes into `ctx`
    /// (`compute`, `merge`, views, ...) are checked when the script ends.
    #[inline]
    pub fn check_ctx_put(&self, map: &Shared<JMap<'a>>, key: &str, value: &Val<'a>) -> R<()> {
        if !metadata::is_checked_key(key) || !std::ptr::eq(Rc::as_ptr(map).cast(), self.ctx_map) {
            return Ok(());
        }
        Self::check_metadata_put(key, value)
    }

    /// The check itself, out of line: the value seen as Java sees it.
    #[inline(never)]
    fn check_metadata_put(key: &str, value: &Val<'a>) -> R<()> {
        let narrowed = match value {
            Val::Float(f) => Some(metadata::narrowed_float(f64::from(*f))),
            Val::Double(d) => Some(metadata::narrowed_float(*d)),
            other => other.as_big_integer().map(|n| (n.double_value(), n.long_value())),
        };
        let class = value.class_name();
        let value = metadata::JavaValue { class: &class, text: value.to_java_string(), narrowed };
        metadata::check_java_put(key, &value).map_err(Exc::illegal_arg)
    }

    /// `CtxMap.remove`'s check, as [`check_ctx_put`](Self::check_ctx_put):
    /// made whether the key is there or not.
    pub fn check_ctx_remove(&self, map: &Shared<JMap<'a>>, key: &Val<'a>) -> R<()> {
        match key.as_str() {
            Some(key) if key.starts_with('_') && std::ptr::eq(Rc::as_ptr(map).cast(), self.ctx_map) => {
                metadata::check_remove(key).map_err(Exc::illegal_arg)
            }
            _ => Ok(()),
        }
    }

    /// `CtxMap.clear()` (server/src/main/java/org/elasticsearch/script/CtxMap.java)
    /// before it clears the source, when `map` is the script's `ctx`: it
    /// removes each metadata key in turn, checked, while iterating the
    /// metadata map's own key set, a `HashMap` of 16 buckets
    /// (`IngestDocMetadata.metadataMap`), so in `metadata::ITERATION_ORDER`.
    /// The first key's check refuses it (`_version cannot be removed`), or
    /// it leaves and the iteration's next step, if there is another key,
    /// fails fast with a `ConcurrentModificationException`: the source is
    /// cleared only when the one metadata key left could be removed.
    pub fn clear_ctx_metadata(&self, map: &Shared<JMap<'a>>) -> R<()> {
        if !std::ptr::eq(Rc::as_ptr(map).cast(), self.ctx_map) {
            return Ok(());
        }
        let present: Vec<&str> = {
            let ctx = map.borrow();
            metadata::ITERATION_ORDER.iter().copied().filter(|key| ctx.get_str(key).is_some()).collect()
        };
        let Some(first) = present.first() else { return Ok(()) };
        metadata::check_remove(first).map_err(Exc::illegal_arg)?;
        map.borrow_mut().shift_remove(&StrKey(first));
        match present.len() {
            1 => Ok(()),
            _ => Err(Exc::bare("ConcurrentModificationException")),
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
            Val::Map(m) => match map_get(m, idx) {
                Some(v) => Ok(v),
                None => lib::sorted::missed(self, m, || idx.clone()),
            },
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
                if let Some(key) = idx.as_str() {
                    self.check_ctx_put(m, key, &value)?;
                }
                let mut map = m.borrow_mut();
                if map.kind == MapKind::Tree {
                    drop(map);
                    return lib::sorted::put(self, m, idx, value).map(drop);
                }
                map.put(Key(idx), value);
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

    /// The value of lambda `index`, which captures nothing: the one made
    /// by `make` at its first evaluation.
    pub(super) fn capture_free_lambda(&mut self, index: usize, make: impl FnOnce() -> Closure<'a>) -> Val<'a> {
        if self.capture_free_lambdas.len() <= index {
            self.capture_free_lambdas.resize(index + 1, None);
        }
        Val::Func(self.capture_free_lambdas[index].get_or_insert_with(|| Rc::new(make())).clone())
    }

    /// Calls a script function; `args` are taken (left null).
    pub fn call_function(&mut self, index: usize, args: &mut [Val<'a>]) -> R<Val<'a>> {
        let func = &self.prog.functions[index];
        if args.len() != func.params.len() {
            return Err(Exc::illegal_arg(format!("function [{}] expects {} arguments", func.name, func.params.len())));
        }
        self.call_resolved_function(index, args)
    }

    /// Calls a script function with as many arguments as it has parameters,
    /// which the resolve pass checked for a call by name (and so for a
    /// lambda forwarding its parameters to one); `args` are taken.
    #[inline(always)]
    pub fn call_resolved_function(&mut self, index: usize, args: &mut [Val<'a>]) -> R<Val<'a>> {
        self.run_resolved_function(index, args)?;
        Ok(self.take_returned())
    }

    /// [`Interp::call_resolved_function`] leaving the function's value in
    /// `returned`.
    #[inline(always)]
    fn run_resolved_function(&mut self, index: usize, args: &mut [Val<'a>]) -> R<()> {
        if self.depth >= MAX_CALL_DEPTH {
            return Err(Exc::bare("StackOverflowError"));
        }
        (self.prog.code.functions[index])(self, args)
    }

    /// Calls a lambda `(a, b) -> f(a, b)`: its parameters, converted to their
    /// types, go to `f` as the call in its body would pass them, errors
    /// located at that call, and the lambda still counts as a call level.
    /// `f`'s value is left in `returned`.
    #[inline(always)]
    fn run_forwarding_lambda(&mut self, lambda: &LambdaCode, function: usize, at: u32, convert: bool, args: &mut [Val<'a>]) -> R<()> {
        if convert {
            for (a, (ty, _)) in args.iter_mut().zip(lambda.params.iter()) {
                let v = coerce(ty, std::mem::replace(a, Val::Null), false)?;
                std::mem::replace(a, v).discard();
            }
        }
        self.deeper(|it| it.run_resolved_function(function, args)).map_err(|x| x.at(at))
    }

    /// Calls a lambda with a frame of its own, which `body` runs in.
    fn call_lambda(
        &mut self,
        lambda: &'a LambdaCode,
        captured: &[Val<'a>],
        args: &mut [Val<'a>],
        body: impl FnOnce(&mut Self, &mut [Val<'a>]) -> R<Val<'a>>,
    ) -> R<Val<'a>> {
        let mut frame = self.take_frame(lambda.frame_size.max(lambda.params.len()));
        for (a, (ty, slot)) in args.iter_mut().zip(lambda.params.iter()) {
            match coerce(ty, std::mem::replace(a, Val::Null), false) {
                Ok(v) => frame[*slot] = v,
                Err(e) => {
                    self.return_frame(frame);
                    return Err(e);
                }
            }
        }
        for (inner, v) in lambda.captured_slots().zip(captured) {
            frame[inner] = v.clone();
        }
        let r = self.deeper(|it| body(it, &mut frame));
        self.return_frame(frame);
        r
    }

    /// What a lambda's call checks before its body runs.
    #[inline(always)]
    fn check_lambda_call(&self, lambda: &LambdaCode, argc: usize) -> R<()> {
        if self.depth >= MAX_CALL_DEPTH {
            return Err(Exc::bare("StackOverflowError"));
        }
        if argc != lambda.params.len() {
            return Err(Exc::illegal_arg(format!("Incorrect number of parameters for lambda: expected [{}] but found [{}]", lambda.params.len(), argc)));
        }
        Ok(())
    }

    /// Calls `callee` exactly as [`Interp::call_func`] calls the function
    /// value it was made from.
    #[inline]
    pub fn call_callee(&mut self, callee: &Callee<'_, 'a>, args: &mut [Val<'a>]) -> R<Val<'a>> {
        match *callee {
            Callee::Forward { lambda, function, at, convert } => {
                self.check_lambda_call(lambda, args.len())?;
                self.run_forwarding_lambda(lambda, function, at, convert, args)?;
                Ok(self.take_returned())
            }
            Callee::Value(func) => self.call_func(func, args),
        }
    }

    /// Whether a predicate holds: `callee` called as by
    /// [`Interp::call_callee`], its value as a boolean. A forwarding
    /// lambda's boolean is read where the function left it, and may stay
    /// there: it owns nothing, and the value a `return` left is read only
    /// after a `return` (or a function's end) sets it.
    #[inline]
    pub fn callee_holds(&mut self, callee: &Callee<'_, 'a>, args: &mut [Val<'a>]) -> R<bool> {
        let value = match *callee {
            Callee::Forward { lambda, function, at, convert } => {
                self.check_lambda_call(lambda, args.len())?;
                self.run_forwarding_lambda(lambda, function, at, convert, args)?;
                if let Val::Bool(b) = self.returned {
                    return Ok(b);
                }
                self.take_returned()
            }
            Callee::Value(func) => self.call_func(func, args)?,
        };
        match value {
            Val::Bool(b) => Ok(b),
            other => to_boolean(&other),
        }
    }

    /// Calls a lambda, method reference or function reference; `args` are
    /// taken (left null).
    pub fn call_func(&mut self, func: &Val<'a>, args: &mut [Val<'a>]) -> R<Val<'a>> {
        let Val::Func(c) = func else {
            return Err(Exc::illegal_arg(format!("Cannot convert [{}] to a function", func.class_name())));
        };
        match &**c {
            Closure::Lambda { lambda, captured } => {
                self.check_lambda_call(lambda, args.len())?;
                match &lambda.body {
                    LambdaBodyCode::Forward { function, at, convert } => {
                        self.run_forwarding_lambda(lambda, *function, *at, *convert, args)?;
                        Ok(self.take_returned())
                    }
                    LambdaBodyCode::Expr(e) => self.call_lambda(lambda, captured, args, |it, frame| e(it, frame)),
                    LambdaBodyCode::Block(b) => self.call_lambda(lambda, captured, args, |it, frame| {
                        b(it, frame).map(|step| match step {
                            Step::Return => it.take_returned(),
                            Step::Next | Step::Break | Step::Continue => Val::Null,
                        })
                    }),
                }
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
                    // The reference's generated function casts its receiver
                    // to the class named (`Map.Entry::getValue` on an Integer
                    // is a ClassCastException, as a JVM checkcast words it).
                    let class_type = ClassType { name: class.to_string(), test: lib::ClassTest::of(class) };
                    if !lib::is_instance(recv, &class_type) {
                        return Err(jvm_cast_error(&recv.class_name(), &lib::qualified_class(class)));
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

/// A function value that a library method calls once per element (a
/// `removeIf` predicate), looked into once per method call rather than once
/// per element: a lambda that forwards to a script function is called
/// straight, anything else through [`Interp::call_func`].
pub enum Callee<'f, 'a> {
    Forward { lambda: &'a LambdaCode, function: usize, at: u32, convert: bool },
    Value(&'f Val<'a>),
}

impl<'f, 'a> Callee<'f, 'a> {
    pub fn of(func: &'f Val<'a>) -> Callee<'f, 'a> {
        if let Val::Func(c) = func {
            if let Closure::Lambda { lambda, .. } = &**c {
                if let Some(forward) = Callee::forwarding(lambda) {
                    return forward;
                }
            }
        }
        Callee::Value(func)
    }

    /// The call of `lambda` when it only forwards its parameters to a
    /// script function.
    pub fn forwarding(lambda: &'a LambdaCode) -> Option<Callee<'f, 'a>> {
        match lambda.body {
            LambdaBodyCode::Forward { function, at, convert } => Some(Callee::Forward { lambda, function, at, convert }),
            _ => None,
        }
    }
}

impl<'a> Interp<'a> {
    /// A field of a document map. Hashing a key costs more than comparing
    /// the few keys a small map has (a scan finds the same entry, keys
    /// being unique) or than remembering the last field found in a large
    /// one.
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

pub(super) fn new_array<'a>(elem: &Type, sizes: &[usize]) -> Val<'a> {
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

pub(super) fn jvm_cast_error(from: &str, to: &str) -> Exc {
    if from.starts_with("org.elasticsearch.") {
        // An Elasticsearch class (a condition's read-only document
        // wrappers): the JVM names its module and loader, which depend on
        // the node's build; the message stops before them.
        Exc::class_cast(format!("class {from} cannot be cast to class {to}"))
    } else {
        Exc::class_cast(format!("class {from} cannot be cast to class {to} ({from} and {to} are in module java.base of loader 'bootstrap')"))
    }
}

/// Converts a value for a declared type: implicit (assignment) or explicit (cast).
#[inline]
pub fn coerce<'a>(ty: &Type, v: Val<'a>, explicit: bool) -> R<Val<'a>> {
    if keeps_as_is(ty, &v) {
        Ok(v)
    } else {
        coerce_typed(ty, v, explicit)
    }
}

/// Whether [`coerce`] keeps `v` as it is, told without a call: `def` and
/// `Object`, the types of most parameters and variables, keep any value,
/// and a primitive type keeps a value already of that type (a `boolean`
/// function returning `true`).
#[inline(always)]
pub fn keeps_as_is(ty: &Type, v: &Val<'_>) -> bool {
    match (ty, v) {
        (Type::Def, _)
        | (Type::Prim(Prim::Boolean), Val::Bool(_))
        | (Type::Prim(Prim::Int), Val::Int(_))
        | (Type::Prim(Prim::Long), Val::Long(_))
        | (Type::Prim(Prim::Double), Val::Double(_)) => true,
        (Type::Class(c), _) => c.test == lib::ClassTest::Object,
        _ => false,
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
                if !explicit && widens_to_box(&v, p) {
                    return coerce_prim(p, v, false);
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

/// Whether an implicit cast of `v` to the box of `p` widens it, as
/// Painless's `Def.defTo<Box>Implicit` do (`Long` takes a byte, short,
/// char or int; `Integer` a byte, short or char; `Short` a byte; `Double`
/// and `Float` every narrower number) and as the compiler's boxing casts
/// for arguments and returned values do (`Long f() { return 1 }`).
fn widens_to_box(v: &Val<'_>, p: Prim) -> bool {
    let rank = |v: &Val<'_>| match v {
        Val::Byte(_) => Some(0),
        Val::Short(_) => Some(1),
        Val::Char(_) => Some(2),
        Val::Int(_) => Some(3),
        Val::Long(_) => Some(4),
        Val::Float(_) => Some(5),
        _ => None,
    };
    match (rank(v), p) {
        (Some(0), Prim::Short) => true,
        (Some(r), Prim::Int) => r <= 2,
        (Some(r), Prim::Long) => r <= 3,
        (Some(r), Prim::Float) => r <= 4,
        (Some(_), Prim::Double) => true,
        _ => false,
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

/// DefMath's generic operators (`DefMath.java`: `add(Object, Object)`,
/// `lt`, `and`, ...) when an operand is a `BigInteger`, a `Number` that is
/// none of the boxes: with a `Double` both operands are taken as
/// `doubleValue()`, else with a `Float` as `floatValue()`, else with a
/// `Long` as `longValue()`, else as `intValue()` (two `BigInteger`s
/// included), a `Character` as its code; the bitwise operators refuse it
/// (`intIntegralValue`/`longIntegralValue`). `None` when no operand is a
/// `BigInteger` or the pair is one DefMath refuses as a whole, which
/// `op_error` reports.
#[cold]
#[inline(never)]
fn promote_big_integer<'a>(op: BinOp, a: &Val<'a>, b: &Val<'a>) -> Option<R<Num>> {
    if !a.is_big_integer() && !b.is_big_integer() {
        return None;
    }
    if matches!(op, BinOp::BitAnd | BinOp::BitOr | BinOp::Xor) {
        let long_path = matches!(a, Val::Long(_)) || matches!(b, Val::Long(_));
        let integral = |v: &Val<'_>| int_of(v).is_some() || (long_path && matches!(v, Val::Long(_)));
        let refused = if integral(a) { b } else { a };
        return Some(Err(Exc::class_cast(format!("Cannot convert [{}] to an integral value.", refused.class_name()))));
    }
    let is_number = |v: &Val<'_>| (v.is_numeric() && !matches!(v, Val::Char(_))) || v.is_big_integer();
    let double_of = |v: &Val<'_>| match (v, v.as_big_integer()) {
        (_, Some(n)) => n.double_value(),
        (Val::Float(x), _) => *x as f64,
        (Val::Double(x), _) => *x,
        (Val::Long(x), _) => *x as f64,
        (other, _) => int_of(other).unwrap_or(0) as f64,
    };
    let float_of = |v: &Val<'_>| match v.as_big_integer() {
        Some(n) => n.float_value(),
        None => double_of(v) as f32,
    };
    let long_of = |v: &Val<'_>| match (v, v.as_big_integer()) {
        (_, Some(n)) => n.long_value(),
        (Val::Long(x), _) => *x,
        (other, _) => int_of(other).unwrap_or(0) as i64,
    };
    let int_of = |v: &Val<'_>| match v.as_big_integer() {
        Some(n) => n.int_value(),
        None => int_of(v).unwrap_or(0),
    };
    let either = |test: fn(&Val<'_>) -> bool| test(a) || test(b);
    Some(Ok(match (a, b) {
        (x, y) if is_number(x) && is_number(y) => {
            if either(|v| matches!(v, Val::Double(_))) {
                Num::D(double_of(a), double_of(b))
            } else if either(|v| matches!(v, Val::Float(_))) {
                Num::F(float_of(a), float_of(b))
            } else if either(|v| matches!(v, Val::Long(_))) {
                Num::L(long_of(a), long_of(b))
            } else {
                Num::I(int_of(a), int_of(b))
            }
        }
        // The other operand is a `Character`: with a `BigInteger`, `intValue()`.
        (Val::Char(c), y) if y.is_big_integer() => Num::I(*c as i32, int_of(y)),
        (x, Val::Char(c)) if x.is_big_integer() => Num::I(int_of(x), *c as i32),
        _ => return None,
    }))
}

/// `DefMath.eq(Object, Object)` when an operand is a `BigInteger`: another
/// `BigInteger` by `equals`, a `Double`, `Float` or `Long` by the
/// `BigInteger`'s `doubleValue()`, `floatValue()`, `longValue()`, any other
/// box or a `Character` by its `intValue()`; anything else is not equal.
#[cold]
#[inline(never)]
fn big_integer_equals<'a>(a: &Val<'a>, b: &Val<'a>) -> Option<bool> {
    let (n, other) = match (a.as_big_integer(), b.as_big_integer()) {
        (Some(x), Some(y)) => return Some(x == y),
        (Some(n), None) => (n, b),
        (None, Some(n)) => (n, a),
        (None, None) => return None,
    };
    Some(match other {
        Val::Double(d) => n.double_value() == *d,
        Val::Float(f) => n.float_value() == *f,
        Val::Long(l) => n.long_value() == *l,
        v => match int_of(v) {
            Some(i) => n.int_value() == i,
            None => false,
        },
    })
}

fn op_error(op: BinOp, a: &Val<'_>, b: &Val<'_>) -> Exc {
    if a.is_null() || b.is_null() {
        let which = if a.is_null() { "leftObject" } else { "rightObject" };
        return Exc::npe(format!("Cannot invoke \"Object.getClass()\" because \"{which}\" is null"));
    }
    Exc::class_cast(format!("Cannot apply [{}] operation to types [{}] and [{}].", op.symbol(), a.class_name(), b.class_name()))
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
                _ if b.is_big_integer() => {
                    return Err(Exc::painless_error(format!("a shift by a java.math.BigInteger ([{}]) is not supported by this engine", op.symbol())))
                }
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
                // `DefMath.lsh(Object, long)` and friends: `intIntegralValue`.
                _ if a.is_big_integer() => return Err(Exc::class_cast("Cannot convert [java.math.BigInteger] to an integral value.")),
                _ => return Err(op_error(op, &a, &b)),
            });
        }
        _ => {}
    }
    let n = match promote(&a, &b) {
        Some(n) => n,
        None => match promote_big_integer(op, &a, &b) {
            Some(n) => n?,
            None => return Err(op_error(op, &a, &b)),
        },
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

/// `x op= v`, `x++`, `x--`: [`binary`], whose result is cast back to the
/// class `x` held. Painless flags every compound assignment's operation
/// `DefBootstrap.OPERATOR_COMPOUND_ASSIGNMENT`; when the operation is on
/// `def` (a `def` target, a map field, a list element, or a `def` operand)
/// its result goes through `DefMath.dynamicReceiverCast`
/// (modules/lang-painless/.../DefMath.java), so `ctx.n = 1; ctx.n += 1.5`
/// leaves the Integer 2. On typed operands Java's compound assignment casts
/// the result to the target's type the same way, which the caller's
/// conversion to the declared type repeats.
#[inline]
pub fn compound<'a>(op: BinOp, old: Val<'a>, rhs: Val<'a>) -> R<Val<'a>> {
    let receiver = Receiver::of(&old);
    let new = binary(op, old, rhs)?;
    receiver.cast(new)
}

/// The class of a compound assignment's target, as `DefMath.dynamicCast`
/// treats it.
enum Receiver {
    /// `null`: the result is kept as it is.
    Null,
    /// A box or a `Character`: the result's `Number` value of that type
    /// (`intValue()`, `(char) intValue()`, ...).
    Number(Prim),
    /// A `String`, a `Boolean` or any other class (named): the result must
    /// be one (`Class.cast`).
    Str,
    Bool,
    Other(String),
}

impl Receiver {
    #[inline(always)]
    fn of(v: &Val<'_>) -> Receiver {
        match v {
            Val::Null => Receiver::Null,
            Val::Int(_) => Receiver::Number(Prim::Int),
            Val::Long(_) => Receiver::Number(Prim::Long),
            Val::Double(_) => Receiver::Number(Prim::Double),
            Val::Str(_) => Receiver::Str,
            Val::Byte(_) => Receiver::Number(Prim::Byte),
            Val::Short(_) => Receiver::Number(Prim::Short),
            Val::Char(_) => Receiver::Number(Prim::Char),
            Val::Float(_) => Receiver::Number(Prim::Float),
            Val::Bool(_) => Receiver::Bool,
            other => Receiver::Other(other.class_name()),
        }
    }

    #[inline(always)]
    fn cast<'a>(self, new: Val<'a>) -> R<Val<'a>> {
        match (self, &new) {
            (Receiver::Null, _)
            | (Receiver::Number(Prim::Int), Val::Int(_))
            | (Receiver::Number(Prim::Long), Val::Long(_))
            | (Receiver::Number(Prim::Double), Val::Double(_))
            | (Receiver::Str, Val::Str(_))
            | (Receiver::Bool, Val::Bool(_)) => Ok(new),
            (Receiver::Number(p), _) => {
                if new.is_numeric() {
                    coerce_prim(p, new, true)
                } else {
                    // DefMath.getNumber
                    Err(Exc::class_cast(format!("Cannot convert [class {}] to a Number", new.class_name())))
                }
            }
            (Receiver::Str, _) => Err(class_cast_refused(&new, "java.lang.String")),
            (Receiver::Bool, _) => Err(class_cast_refused(&new, "java.lang.Boolean")),
            (Receiver::Other(class), _) => {
                if new.class_name() == class {
                    Ok(new)
                } else {
                    Err(class_cast_refused(&new, &class))
                }
            }
        }
    }
}

/// `Class.cast`'s refusal.
#[cold]
fn class_cast_refused(v: &Val<'_>, class: &str) -> Exc {
    Exc::class_cast(format!("Cannot cast {} to {class}", v.class_name()))
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
    if matches!(a, Val::Obj(_)) || matches!(b, Val::Obj(_)) {
        if let Some(equal) = big_integer_equals(a, b) {
            return equal;
        }
    }
    a.java_equals(b)
}
