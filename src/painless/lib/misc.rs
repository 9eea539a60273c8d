//! The rest of the whitelist ingest scripts reach for: Base64, Objects,
//! StringBuilder, exceptions (constructed and caught), and the ingest
//! `Processors` helpers (`lowercase`, `uppercase`, `json`, `urlDecode`,
//! `bytes`) that Elasticsearch exposes to Painless in ingest contexts.

use super::super::interp::Interp;
use super::super::val::*;
use super::super::Exc;
use super::{arg_str, Obj};
use std::cell::RefCell;
use std::rc::Rc;

type R<T> = Result<T, Exc>;

pub const METHODS: &[&str] = &[
    "append", "insert", "reverse", "setLength", "deleteCharAt", "delete", "setCharAt", "getMessage", "getLocalizedMessage", "encodeToString", "decode",
    "encode", "getEncoder", "getDecoder", "getUrlEncoder", "getUrlDecoder", "getMimeDecoder",
];

pub const STATICS: &[(&str, &str)] = &[
    ("Base64", "getEncoder"),
    ("Base64", "getDecoder"),
    ("Base64", "getUrlEncoder"),
    ("Base64", "getUrlDecoder"),
    ("Base64", "getMimeDecoder"),
    ("Objects", "equals"),
    ("Objects", "isNull"),
    ("Objects", "nonNull"),
    ("Objects", "requireNonNull"),
    ("Objects", "toString"),
    ("Objects", "hash"),
    ("Objects", "hashCode"),
    ("Objects", "compare"),
    ("Processors", "lowercase"),
    ("Processors", "uppercase"),
    ("Processors", "json"),
    ("Processors", "urlDecode"),
    ("Processors", "bytes"),
    ("Debug", "explain"),
];

pub const FIELDS: &[(&str, &str)] = &[("Locale", "ROOT"), ("Locale", "ENGLISH"), ("Locale", "US"), ("Locale", "UK")];

pub const CONSTRUCTORS: &[&str] = &[
    "String",
    "StringBuilder",
    "Exception",
    "RuntimeException",
    "IllegalArgumentException",
    "IllegalStateException",
    "NullPointerException",
    "ClassCastException",
    "NumberFormatException",
    "ArithmeticException",
    "IndexOutOfBoundsException",
    "ArrayIndexOutOfBoundsException",
    "StringIndexOutOfBoundsException",
    "UnsupportedOperationException",
    "NoSuchElementException",
    "ConcurrentModificationException",
];

pub const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
pub const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

pub fn base64_encode(bytes: &[u8], alphabet: &[u8; 64]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(alphabet[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Java's basic decoder: padding optional at the end, anything outside the
/// alphabet is an `IllegalArgumentException`.
pub fn base64_decode(s: &str, alphabet: &[u8; 64]) -> R<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let mut acc = 0u32;
    let mut bits = 0;
    let trimmed = s.trim_end_matches('=');
    if s.len() - trimmed.len() > 2 {
        return Err(Exc::illegal_arg("Input byte array has incorrect ending byte"));
    }
    for (i, c) in trimmed.bytes().enumerate() {
        let Some(v) = alphabet.iter().position(|a| *a == c) else {
            return Err(Exc::illegal_arg(format!("Illegal base64 character {:x}", c)));
        };
        let _ = i;
        acc = acc << 6 | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if trimmed.len() % 4 == 1 {
        return Err(Exc::illegal_arg("Last unit does not have enough valid bits"));
    }
    Ok(out)
}

thread_local! {
    /// The containers whose [`hash_code`] is under way on this thread.
    /// Ordering a map hashes its keys, and a key that is a map is ordered
    /// to be hashed: maps that hold each other as keys would recurse
    /// through fresh calls without end (Java overflows its stack there).
    static HASHING: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

/// Java `hashCode()` for the common types (String's is the classic 31·h + c).
/// A container reached again while its own hash is under way hashes as 0
/// (Java overflows its stack there; listed in the README's known differences).
pub fn hash_code(v: &Val<'_>) -> i32 {
    let Some(id) = v.container_id() else { return hash_code_depth(v, 0) };
    let entered = HASHING.with(|h| match h.try_borrow_mut() {
        Ok(mut under_way) if !under_way.contains(&id) => {
            under_way.push(id);
            true
        }
        _ => false,
    });
    if !entered {
        return 0;
    }
    let h = hash_code_depth(v, 0);
    HASHING.with(|h| h.borrow_mut().pop());
    h
}

fn hash_code_depth(v: &Val<'_>, depth: usize) -> i32 {
    if depth > 100 {
        return 0;
    }
    let hash_code = |x: &Val<'_>| hash_code_depth(x, depth + 1);
    match v {
        Val::Null => 0,
        Val::Bool(b) => {
            if *b {
                1231
            } else {
                1237
            }
        }
        Val::Int(i) => *i,
        Val::Short(i) => *i as i32,
        Val::Byte(i) => *i as i32,
        Val::Char(c) => *c as i32,
        Val::Long(l) => (*l ^ ((*l as u64) >> 32) as i64) as i32,
        Val::Double(d) => {
            let bits = if d.is_nan() { 0x7ff8000000000000u64 } else { d.to_bits() };
            (bits ^ (bits >> 32)) as i32
        }
        // `floatToIntBits`: every NaN hashes as the canonical one.
        Val::Float(f) => {
            if f.is_nan() {
                0x7fc00000
            } else {
                f.to_bits() as i32
            }
        }
        // ASCII text is its own UTF-16: one code unit per byte.
        Val::Str(s) if s.is_ascii() => s.bytes().fold(0i32, |h, c| h.wrapping_mul(31).wrapping_add(c as i32)),
        Val::Str(s) => s.encode_utf16().fold(0i32, |h, c| h.wrapping_mul(31).wrapping_add(c as i32)),
        Val::List(_) | Val::Array(_) => iter_items(v).unwrap_or_default().iter().fold(1i32, |h, x| h.wrapping_mul(31).wrapping_add(hash_code(x))),
        // `CtxMap.hashCode`: `Objects.hash(source, metadata)`, the metadata's
        // own `Objects.hash(map)`.
        Val::Map(m) if m.is_ctx() => {
            let (mut source, mut metadata) = (0i32, 0i32);
            for (k, x) in map_entries(m) {
                let entry = hash_code(&k) ^ hash_code(&x);
                match k.as_str().and_then(crate::document::metadata::iteration_rank) {
                    Some(_) => metadata = metadata.wrapping_add(entry),
                    None => source = source.wrapping_add(entry),
                }
            }
            (31 + source).wrapping_mul(31).wrapping_add(31i32.wrapping_add(metadata))
        }
        Val::Map(m) => map_entries(m).iter().fold(0i32, |h, (k, x)| h.wrapping_add(hash_code(k) ^ hash_code(x))),
        Val::Obj(o) => match &**o {
            super::Obj::BigInteger(n) => n.hash_code(),
            super::Obj::Date(ms) => super::legacy_date::date_hash(ms.get()),
            _ => 0,
        },
        _ => 0,
    }
}

fn url_decode(s: &str) -> R<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                let hex = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => out.push(b),
                    None => return Err(Exc::illegal_arg(format!("URLDecoder: Illegal hex characters in escape (%) pattern - Error at index 0 in: \"{}\"", s.get(i + 1..(i + 3).min(s.len())).unwrap_or("")))),
                }
                i += 3;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Byte sizes as the `bytes` processor reads them: `1kb`, `2.5mb`, `10b`.
fn parse_bytes(s: &str) -> R<i64> {
    let lower = s.trim().to_lowercase();
    let units: [(&str, i64); 6] = [("pb", 1 << 50), ("tb", 1 << 40), ("gb", 1 << 30), ("mb", 1 << 20), ("kb", 1 << 10), ("b", 1)];
    for (suffix, mult) in units {
        if let Some(num) = lower.strip_suffix(suffix) {
            let num = num.trim();
            if let Ok(i) = num.parse::<i64>() {
                return Ok(i * mult);
            }
            if let Ok(d) = num.parse::<f64>() {
                return Ok((d * mult as f64) as i64);
            }
            break;
        }
    }
    if lower == "-1" || lower == "0" {
        return Ok(lower.parse().unwrap());
    }
    Err(Exc::new(
        "ElasticsearchParseException",
        format!("failed to parse setting [Ingest Field] with value [{s}] as a size in bytes: unit is missing or unrecognized"),
    ))
}

pub fn call_static<'a>(it: &mut Interp<'a>, class: &str, name: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    let encoder = |kind: &'static str| Val::Obj(Rc::new(Obj::Base64(kind)));
    Some(match (class, name, args.len()) {
        ("Base64", "getEncoder", 0) => Ok(encoder("encoder")),
        ("Base64", "getDecoder" | "getMimeDecoder", 0) => Ok(encoder("decoder")),
        ("Base64", "getUrlEncoder", 0) => Ok(encoder("url-encoder")),
        ("Base64", "getUrlDecoder", 0) => Ok(encoder("url-decoder")),
        ("Objects", "equals", 2) => Ok(Val::Bool(args[0].java_equals(&args[1]))),
        ("Objects", "isNull", 1) => Ok(Val::Bool(args[0].is_null())),
        ("Objects", "nonNull", 1) => Ok(Val::Bool(!args[0].is_null())),
        ("Objects", "requireNonNull", 1 | 2) => {
            if args[0].is_null() {
                Err(Exc::from(super::super::ExcData { class: "NullPointerException", message: args.get(1).map(|m| m.to_java_string()), offset: None, explain: None }))
            } else {
                Ok(args[0].clone())
            }
        }
        // `a == b ? 0 : c.compare(a, b)`: two nulls or one object compare
        // equal without the comparator (equal boxes and strings are taken
        // as one object here, which only a comparator finding them unequal
        // could tell apart).
        ("Objects", "compare", 3) => {
            if args[0].identical(&args[1]) {
                Ok(Val::Int(0))
            } else {
                super::comparator::compare(it, &args[2], &args[0], &args[1]).map(Val::Int)
            }
        }
        ("Objects", "toString", 1) => Ok(Val::string(args[0].to_java_string())),
        ("Objects", "toString", 2) => Ok(if args[0].is_null() { args[1].clone() } else { Val::string(args[0].to_java_string()) }),
        ("Objects", "hashCode", 1) => Ok(Val::Int(hash_code(&args[0]))),
        ("Objects", "hash", _) => Ok(Val::Int(args.iter().fold(1i32, |h, x| h.wrapping_mul(31).wrapping_add(hash_code(x))))),
        ("Debug", "explain", 1) => Err(Exc::from(super::super::ExcData {
            class: "PainlessExplainError",
            message: None,
            offset: None,
            explain: Some(Box::new(((!args[0].is_null()).then(|| args[0].class_name()), args[0].to_java_string()))),
        })),
        ("Processors", "lowercase", 1) => arg_str(args, 0, name).map(|s| Val::string(s.to_lowercase())),
        ("Processors", "uppercase", 1) => arg_str(args, 0, name).map(|s| Val::string(s.to_uppercase())),
        ("Processors", "urlDecode", 1) => arg_str(args, 0, name).and_then(url_decode).map(Val::string),
        ("Processors", "bytes", 1) => arg_str(args, 0, name).and_then(parse_bytes).map(Val::Long),
        ("Processors", "json", 1) => match &args[0] {
            Val::Str(s) => match crate::value::Value::from_json_str(s) {
                Ok(v) => Ok(Val::from_value(&v)),
                Err(e) => Err(Exc::illegal_arg(format!("{e}"))),
            },
            Val::Map(m) => Ok(Val::string(Val::Map(m.clone()).to_value_as_written().to_json())),
            other => Err(Exc::class_cast(format!("Cannot cast [{}] to [java.lang.Object]", other.class_name()))),
        },
        _ => return None,
    })
}

pub fn static_field<'a>(class: &str, name: &str) -> Option<R<Val<'a>>> {
    let tag = match (class, name) {
        ("Locale", "ROOT") => "",
        ("Locale", "ENGLISH") => "en",
        ("Locale", "US") => "en_US",
        ("Locale", "UK") => "en_GB",
        _ => return None,
    };
    Some(Ok(Val::Obj(Rc::new(Obj::Locale(tag)))))
}

pub fn construct<'a>(class: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    // java.lang.txt gives String only its no-argument constructor.
    if class == "String" {
        return args.is_empty().then(|| Ok(Val::str("")));
    }
    // java.lang.txt gives StringBuilder `()` and `(CharSequence)` only: no
    // capacity; the argument is cast to CharSequence.
    if class == "StringBuilder" {
        let init = match args.first() {
            None => String::new(),
            Some(Val::Str(s)) => s.to_string(),
            Some(Val::Obj(o)) if matches!(&**o, Obj::StringBuilder(_)) => o.to_java_string(),
            Some(Val::Null) => return Some(Err(Exc::npe("Cannot invoke \"java.lang.CharSequence.length()\" because \"seq\" is null"))),
            Some(v) => return Some(Err(super::super::interp::jvm_cast_error(&v.class_name(), "java.lang.CharSequence"))),
        };
        return Some(Ok(Val::Obj(Rc::new(Obj::StringBuilder(RefCell::new(init))))));
    }
    let class = super::static_exception_name(class)?;
    let message = match args.first() {
        None => None,
        Some(Val::Null) => None,
        Some(v) => Some(v.to_java_string()),
    };
    Some(Ok(Val::Obj(Rc::new(Obj::Exception { class, message }))))
}

pub fn call<'a>(_it: &mut Interp<'a>, o: &Rc<Obj<'a>>, name: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    match &**o {
        Obj::StringBuilder(sb) => Some(Ok(match (name, args.len()) {
            ("append", 1) => {
                let add = args[0].to_java_string();
                if let Err(e) = Exc::check_size(sb.borrow().len() + add.len()) {
                    return Some(Err(e));
                }
                sb.borrow_mut().push_str(&add);
                Val::Obj(o.clone())
            }
            ("insert", 2) => {
                let i = match super::arg_int(args, 0) {
                    Ok(i) => i.max(0) as usize,
                    Err(e) => return Some(Err(e)),
                };
                let mut s = sb.borrow_mut();
                let at = s.char_indices().map(|(b, _)| b).chain(std::iter::once(s.len())).nth(i).unwrap_or(s.len());
                s.insert_str(at, &args[1].to_java_string());
                Val::Obj(o.clone())
            }
            ("reverse", 0) => {
                let r: String = sb.borrow().chars().rev().collect();
                *sb.borrow_mut() = r;
                Val::Obj(o.clone())
            }
            ("length", 0) => Val::Int(super::string::java_len(&sb.borrow()) as i32),
            ("setLength", 1) => {
                let n = super::arg_int(args, 0).unwrap_or(0).max(0) as usize;
                let mut s = sb.borrow_mut();
                let cut: String = s.chars().take(n).collect();
                let pad = n.saturating_sub(cut.chars().count());
                *s = cut + &"\u{0}".repeat(pad);
                Val::Null
            }
            ("delete", 2) | ("replace", 3) => {
                let replacement = match args.get(2) {
                    None => String::new(),
                    Some(Val::Null) => return Some(Err(Exc::npe("Cannot invoke \"String.length()\" because \"str\" is null"))),
                    Some(_) => match arg_str(args, 2, name) {
                        Ok(r) => r.to_string(),
                        Err(e) => return Some(Err(e)),
                    },
                };
                let edited = int_args(args).and_then(|(start, end)| {
                    edit_utf16(sb, |units| {
                        let count = units.len() as i64;
                        let end = end.min(count);
                        check_from_to_index(start, end, count)?;
                        let with: Vec<u16> = replacement.encode_utf16().collect();
                        Exc::check_size(units.len() - (end - start) as usize + with.len())?;
                        units.splice(start as usize..end as usize, with);
                        Ok(())
                    })
                });
                if let Err(e) = edited {
                    return Some(Err(e));
                }
                Val::Obj(o.clone())
            }
            ("deleteCharAt", 1) => {
                let edited = super::arg_int(args, 0).and_then(|i| {
                    edit_utf16(sb, |units| {
                        check_index(i, units.len() as i64)?;
                        units.remove(i as usize);
                        Ok(())
                    })
                });
                if let Err(e) = edited {
                    return Some(Err(e));
                }
                Val::Obj(o.clone())
            }
            ("setCharAt", 2) => {
                let c = match &args[1] {
                    Val::Char(c) => *c,
                    other => return Some(Err(Exc::class_cast(format!("cannot cast def [{}] to char", other.unboxed_name())))),
                };
                let edited = super::arg_int(args, 0).and_then(|i| {
                    edit_utf16(sb, |units| {
                        check_index(i, units.len() as i64)?;
                        units[i as usize] = c;
                        Ok(())
                    })
                });
                if let Err(e) = edited {
                    return Some(Err(e));
                }
                Val::Null
            }
            ("toString", 0) => Val::string(sb.borrow().clone()),
            _ => {
                let s = sb.borrow().clone();
                return super::string::call(_it, &s, name, args);
            }
        })),
        Obj::Base64(kind) => {
            let alphabet = if kind.starts_with("url") { URL_SAFE } else { STANDARD };
            Some(match (kind.ends_with("encoder"), name, args.len()) {
                (true, "encodeToString", 1) => bytes_arg(&args[0]).map(|b| Val::string(base64_encode(&b, alphabet))),
                (true, "encode", 1) => bytes_arg(&args[0]).map(|b| bytes_val(base64_encode(&b, alphabet).into_bytes())),
                (false, "decode", 1) => match &args[0] {
                    Val::Str(s) => base64_decode(s, alphabet).map(bytes_val),
                    other => bytes_arg(other).and_then(|b| base64_decode(&String::from_utf8_lossy(&b), alphabet)).map(bytes_val),
                },
                _ => return None,
            })
        }
        Obj::Exception { message, .. } => match (name, args.len()) {
            ("getMessage" | "getLocalizedMessage", 0) => Some(Ok(message.as_ref().map(|m| Val::str(m)).unwrap_or_else(|| Val::Null))),
            _ => None,
        },
        _ => None,
    }
}

fn int_args(args: &[Val<'_>]) -> R<(i64, i64)> {
    Ok((super::arg_int(args, 0)?, super::arg_int(args, 1)?))
}

/// `Preconditions.checkFromToIndex` with the `StringIndexOutOfBoundsException`
/// formatter, as `AbstractStringBuilder.delete` and `replace` call it
/// (openjdk's AbstractStringBuilder.java, jdk.internal.util.Preconditions).
fn check_from_to_index(from: i64, to: i64, length: i64) -> R<()> {
    if from < 0 || from > to || to > length {
        return Err(Exc::new("StringIndexOutOfBoundsException", format!("Range [{from}, {to}) out of bounds for length {length}")));
    }
    Ok(())
}

/// `Preconditions.checkIndex`, as `deleteCharAt` and `setCharAt` call it.
fn check_index(index: i64, length: i64) -> R<()> {
    if index < 0 || index >= length {
        return Err(Exc::new("StringIndexOutOfBoundsException", format!("Index {index} out of bounds for length {length}")));
    }
    Ok(())
}

/// Edits a StringBuilder's text as Java does, in UTF-16 units. A result
/// holding half of a surrogate pair, which this engine's strings cannot
/// hold, fails saying so.
fn edit_utf16(sb: &RefCell<String>, edit: impl FnOnce(&mut Vec<u16>) -> R<()>) -> R<()> {
    let mut units: Vec<u16> = sb.borrow().encode_utf16().collect();
    edit(&mut units)?;
    let text = String::from_utf16(&units).map_err(|_| Exc::painless_error("a StringBuilder holding half of a surrogate pair is not supported by this engine"))?;
    *sb.borrow_mut() = text;
    Ok(())
}

/// A `byte[]`, as `String.getBytes()`-style APIs hand them around.
fn bytes_val<'a>(bytes: Vec<u8>) -> Val<'a> {
    Val::Array(Rc::new(RefCell::new(JArray {
        elem: super::super::ast::Type::Prim(super::super::ast::Prim::Byte),
        items: bytes.into_iter().map(|b| Val::Byte(b as i8)).collect(),
    })))
}

fn bytes_arg(v: &Val<'_>) -> R<Vec<u8>> {
    match v {
        Val::Array(a) => Ok(a.borrow().items.iter().map(|b| if let Val::Byte(x) = b { *x as u8 } else { 0 }).collect()),
        Val::Str(s) => Ok(s.as_bytes().to_vec()),
        other => Err(Exc::class_cast(format!("Cannot cast [{}] to [byte[]]", other.class_name()))),
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::script_result_of;
    use crate::value::Value;

    fn run(source: &str) -> Result<Value, (String, String)> {
        script_result_of(source)
    }

    /// StringBuilder's `delete`, `deleteCharAt`, `replace(int,int,String)`
    /// and `setCharAt` (java.lang.txt) as openjdk's AbstractStringBuilder:
    /// UTF-16 indices, an end past the length clamped, and
    /// `Preconditions`' `StringIndexOutOfBoundsException` messages.
    #[test]
    fn string_builder_edits_as_java() {
        let text = |v: &str| Ok(Value::String(v.into()));
        let sioobe = |m: &str| Err(("string_index_out_of_bounds_exception".to_string(), m.to_string()));
        let cases = [
            ("StringBuilder b = new StringBuilder('abcdef'); b.delete(1, 3).toString()", text("adef")),
            ("StringBuilder b = new StringBuilder('abc'); b.delete(1, 99).toString()", text("a")),
            ("StringBuilder b = new StringBuilder('abc'); b.delete(2, 2).toString()", text("abc")),
            ("StringBuilder b = new StringBuilder('abc'); b.delete(2, 1)", sioobe("Range [2, 1) out of bounds for length 3")),
            ("StringBuilder b = new StringBuilder('abc'); b.delete(4, 5)", sioobe("Range [4, 3) out of bounds for length 3")),
            ("StringBuilder b = new StringBuilder('abc'); b.deleteCharAt(1).toString()", text("ac")),
            ("StringBuilder b = new StringBuilder('abc'); b.deleteCharAt(3)", sioobe("Index 3 out of bounds for length 3")),
            ("StringBuilder b = new StringBuilder('abcdef'); b.replace(1, 3, 'XYZ').toString()", text("aXYZdef")),
            ("StringBuilder b = new StringBuilder('abc'); b.replace(1, 9, '').toString()", text("a")),
            ("StringBuilder b = new StringBuilder('abc'); b.replace(-1, 1, 'x')", sioobe("Range [-1, 1) out of bounds for length 3")),
            ("StringBuilder b = new StringBuilder('\u{e9}\u{1f600}z'); b.delete(1, 3).toString()", text("\u{e9}z")),
            ("StringBuilder b = new StringBuilder('abc'); b.setCharAt(1, (char) 'Z'); b.toString()", text("aZc")),
            ("StringBuilder b = new StringBuilder('abc'); b.setCharAt(-1, (char) 'Z')", sioobe("Index -1 out of bounds for length 3")),
        ];
        for (src, want) in cases {
            assert_eq!(run(src), want, "{src}");
        }
        // Constructed from a CharSequence only (no capacity constructor).
        assert_eq!(run("new StringBuilder(new StringBuilder('ab')).append('c').toString()"), text("abc"));
        assert_eq!(
            run("def n = 16; new StringBuilder(n)"),
            Err((
                "class_cast_exception".to_string(),
                "class java.lang.Integer cannot be cast to class java.lang.CharSequence (java.lang.Integer and java.lang.CharSequence are in module java.base of loader 'bootstrap')".to_string()
            ))
        );
        let half = run("StringBuilder b = new StringBuilder('\u{1f600}'); b.deleteCharAt(0)");
        assert_eq!(half.unwrap_err().0, "painless_error");
    }
}
