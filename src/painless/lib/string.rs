//! java.lang.String as Painless whitelists it, with the Augmentation
//! methods `splitOnToken`, `encodeBase64`, `decodeBase64`, `replaceAll` and
//! `replaceFirst` (Pattern + Function), and in ingest scripts only
//! `sha1`, `sha256` and `sha512` (`org.elasticsearch.script.ingest.txt`). Indices count UTF-16 code units as in
//! Java. There is no `split(String)` or `matches(String)`: Painless does not
//! whitelist them; regex work goes through regex literals.

use super::super::interp::Interp;
use super::super::val::*;
use super::super::Exc;
use super::{arg_int, arg_str, Obj};

type R<T> = Result<T, Exc>;

/// Methods the ingest context's whitelist adds to `String`
/// (`org.elasticsearch.script.ingest.txt`); conditions do not have them.
pub const INGEST_METHODS: &[&str] = &["sha1", "sha256", "sha512"];

pub const METHODS: &[&str] = &[
    "length",
    "isEmpty",
    "charAt",
    "substring",
    "indexOf",
    "lastIndexOf",
    "contains",
    "startsWith",
    "endsWith",
    "equalsIgnoreCase",
    "compareTo",
    "compareToIgnoreCase",
    "toLowerCase",
    "toUpperCase",
    "trim",
    "replace",
    "concat",
    "splitOnToken",
    "encodeBase64",
    "decodeBase64",
    "replaceAll",
    "replaceFirst",
    "toCharArray",
    "contentEquals",
    "codePointAt",
    "codePointBefore",
    "codePointCount",
    "offsetByCodePoints",
    "regionMatches",
    "subSequence",
    "chars",
    "codePoints",
];

pub const STATICS: &[(&str, &str)] = &[("String", "valueOf"), ("String", "join"), ("String", "format"), ("String", "copyValueOf")];

fn utf16(s: &str) -> Vec<u16> {
    s.encode_utf16().collect()
}

/// Java `String.length()`.
pub fn java_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.encode_utf16().count()
    }
}

fn sub16(s: &str, start: usize, end: usize) -> String {
    if s.is_ascii() {
        s[start..end].to_string()
    } else {
        String::from_utf16_lossy(&utf16(s)[start..end])
    }
}

fn string_oob(message: String) -> Exc {
    Exc::new("StringIndexOutOfBoundsException", message)
}

/// Java `indexOf(str, from)` in UTF-16 units.
fn index_of(hay: &str, needle: &str, from: i64) -> i64 {
    let from = from.max(0) as usize;
    if hay.is_ascii() && needle.is_ascii() {
        if from > hay.len() {
            return -1;
        }
        return hay[from..].find(needle).map(|i| (i + from) as i64).unwrap_or(-1);
    }
    let h = utf16(hay);
    let n = utf16(needle);
    if n.is_empty() {
        return if from <= h.len() { from as i64 } else { h.len() as i64 };
    }
    (from..h.len().saturating_sub(n.len() - 1)).find(|&i| h[i..i + n.len()] == n[..]).map(|i| i as i64).unwrap_or(-1)
}

fn last_index_of(hay: &str, needle: &str, from: i64) -> i64 {
    let h = utf16(hay);
    let n = utf16(needle);
    if from < 0 || n.len() > h.len() {
        return -1;
    }
    let max_start = (h.len() - n.len()).min(from as usize);
    (0..=max_start).rev().find(|&i| h[i..i + n.len()] == n[..]).map(|i| i as i64).unwrap_or(-1)
}

/// Java's `String.toLowerCase()` (root locale) is Unicode lowercasing.
pub fn lower(s: &str) -> String {
    s.to_lowercase()
}

pub fn upper(s: &str) -> String {
    s.to_uppercase()
}

/// Java `trim()`: strips code units <= U+0020 from both ends.
fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| c <= ' ')
}

fn needle<'v>(args: &'v [Val<'_>], i: usize, method: &str) -> R<std::borrow::Cow<'v, str>> {
    match args.get(i) {
        Some(Val::Char(c)) => Ok(std::borrow::Cow::Owned(char_to_string(*c))),
        Some(Val::Int(c)) => Ok(std::borrow::Cow::Owned(char::from_u32(*c as u32).map(|c| c.to_string()).unwrap_or_default())),
        Some(Val::Obj(o)) if matches!(&**o, Obj::StringBuilder(_)) => Ok(std::borrow::Cow::Owned(o.to_java_string())),
        _ => arg_str(args, i, method).map(std::borrow::Cow::Borrowed),
    }
}

pub fn call<'a>(it: &mut Interp<'a>, s: &str, name: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    call_inner(it, s, name, args)
}

/// [`call`] on a string value. Java's `trim`, `toLowerCase` and
/// `toUpperCase` return the string itself when they would change nothing,
/// and so do these, with no copy (strings compare by value, even with
/// `===`, so only the copy is saved); a document's string trimmed stays
/// borrowed from the document.
pub fn call_on<'a>(it: &mut Interp<'a>, recv: &Str<'a>, name: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    let unchanged = match (name, args.len()) {
        ("trim", 0) => return Some(Ok(trimmed(recv))),
        ("toLowerCase", 0 | 1) => recv.is_ascii() && !recv.bytes().any(|b| b.is_ascii_uppercase()),
        ("toUpperCase", 0 | 1) => recv.is_ascii() && !recv.bytes().any(|b| b.is_ascii_lowercase()),
        _ => false,
    };
    if unchanged {
        return Some(Ok(Val::Str(recv.clone())));
    }
    call_inner(it, recv, name, args)
}

/// `recv.trim()`: `recv` itself when there is nothing to trim.
fn trimmed<'a>(recv: &Str<'a>) -> Val<'a> {
    match recv {
        Str::Doc(s) => Val::Str(Str::Doc(trim(s))),
        Str::Own(s) if trim(s).len() == s.len() => Val::Str(recv.clone()),
        Str::Own(s) => Val::str(trim(s)),
    }
}

fn call_inner<'a>(it: &mut Interp<'a>, s: &str, name: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    let r = (|| -> R<Option<Val<'a>>> {
        Ok(Some(match (name, args.len()) {
            ("length", 0) => Val::Int(java_len(s) as i32),
            // Conditions are read-only: only ingest scripts have these.
            ("sha1" | "sha256" | "sha512", 0) if !it.read_only => Val::string(hex_digest(name, s)),
            ("isEmpty", 0) => Val::Bool(s.is_empty()),
            ("charAt", 1) => {
                let i = arg_int(args, 0)?;
                let u = utf16(s);
                match usize::try_from(i).ok().and_then(|i| u.get(i)) {
                    Some(c) => Val::Char(*c),
                    None => return Err(string_oob(format!("Index {i} out of bounds for length {}", u.len()))),
                }
            }
            ("codePointAt", 1) => {
                let i = arg_int(args, 0)?;
                let u = utf16(s);
                match usize::try_from(i).ok().filter(|i| *i < u.len()) {
                    Some(i) => Val::Int(char::decode_utf16(u[i..].iter().copied()).next().and_then(|c| c.ok()).map(|c| c as i32).unwrap_or(u[i] as i32)),
                    None => return Err(string_oob(format!("Index {i} out of bounds for length {}", u.len()))),
                }
            }
            // OpenJDK's String.codePointBefore: `checkIndex(index - 1,
            // length())`, then a low surrogate preceded by a high one reads
            // as their pair.
            ("codePointBefore", 1) => {
                let i = arg_int(args, 0)? - 1;
                let u = utf16(s);
                match usize::try_from(i).ok().filter(|i| *i < u.len()) {
                    Some(i) => {
                        let low = u[i];
                        let pair = i.checked_sub(1).map(|h| u[h]).filter(|h| is_high_surrogate(*h) && is_low_surrogate(low));
                        Val::Int(pair.map_or(low as i32, |high| code_point(high, low)))
                    }
                    None => return Err(string_oob(format!("Index {i} out of bounds for length {}", u.len()))),
                }
            }
            // String.codePointCount: `Objects.checkFromToIndex` (a plain
            // IndexOutOfBoundsException), then a paired surrogate counts once.
            ("codePointCount", 2) => {
                let (begin, end) = (arg_int(args, 0)?, arg_int(args, 1)?);
                let u = utf16(s);
                if begin < 0 || begin > end || end > u.len() as i64 {
                    return Err(Exc::new("IndexOutOfBoundsException", format!("Range [{begin}, {end}) out of bounds for length {}", u.len())));
                }
                Val::Int(char::decode_utf16(u[begin as usize..end as usize].iter().copied()).count() as i32)
            }
            ("offsetByCodePoints", 2) => Val::Int(offset_by_code_points(&utf16(s), arg_int(args, 0)?, arg_int(args, 1)?)?),
            ("regionMatches", 4 | 5) => {
                let (ignore_case, rest) = match args.len() {
                    5 => match &args[0] {
                        Val::Bool(b) => (*b, &args[1..]),
                        other => return Err(Exc::class_cast(format!("cannot cast def [{}] to boolean", other.unboxed_name()))),
                    },
                    _ => (false, args),
                };
                Val::Bool(region_matches(s, ignore_case, arg_int(rest, 0)?, rest, arg_int(rest, 2)?, arg_int(rest, 3)?)?)
            }
            ("substring" | "subSequence", 1 | 2) => {
                let len = java_len(s) as i64;
                let begin = arg_int(args, 0)?;
                let end = if args.len() == 2 { arg_int(args, 1)? } else { len };
                if begin < 0 || end > len || begin > end {
                    return Err(string_oob(format!("begin {begin}, end {end}, length {len}")));
                }
                Val::string(sub16(s, begin as usize, end as usize))
            }
            ("indexOf", 1 | 2) => {
                let n = needle(args, 0, name)?;
                let from = if args.len() == 2 { arg_int(args, 1)? } else { 0 };
                Val::Int(index_of(s, &n, from) as i32)
            }
            ("lastIndexOf", 1 | 2) => {
                let n = needle(args, 0, name)?;
                let from = if args.len() == 2 { arg_int(args, 1)? } else { i32::MAX as i64 };
                Val::Int(last_index_of(s, &n, from) as i32)
            }
            ("contains", 1) => Val::Bool(s.contains(&*needle(args, 0, name)?)),
            ("contentEquals", 1) => Val::Bool(s == &*needle(args, 0, name)?),
            ("startsWith", 1) => Val::Bool(s.starts_with(arg_str(args, 0, name)?)),
            ("startsWith", 2) => {
                let p = arg_str(args, 0, name)?;
                let off = arg_int(args, 1)?;
                let u = utf16(s);
                let pu = utf16(p);
                Val::Bool(off >= 0 && (off as usize) + pu.len() <= u.len() && u[off as usize..off as usize + pu.len()] == pu[..])
            }
            ("endsWith", 1) => Val::Bool(s.ends_with(arg_str(args, 0, name)?)),
            ("equalsIgnoreCase", 1) => match &args[0] {
                Val::Str(o) => Val::Bool(equals_ignore_case(s, o)),
                _ => Val::Bool(false),
            },
            ("compareTo", 1) => Val::Int(compare_to(s, arg_str(args, 0, name)?)),
            ("compareToIgnoreCase", 1) => {
                let o = arg_str(args, 0, name)?;
                let fold = |x: &str| x.chars().map(|c| c.to_uppercase().collect::<String>().to_lowercase()).collect::<String>();
                Val::Int(compare_to(&fold(s), &fold(o)))
            }
            ("toLowerCase", 0 | 1) => Val::string(lower(s)),
            ("toUpperCase", 0 | 1) => Val::string(upper(s)),
            ("trim", 0) => Val::str(trim(s)),
            ("replace", 2) => {
                let from = needle(args, 0, name)?;
                let to = needle(args, 1, name)?;
                let worst = if from.is_empty() { (s.len() + 1) * to.len() } else { s.len() / from.len() * to.len() };
                Exc::check_size(s.len() + worst)?;
                Val::string(java_replace(s, &from, &to))
            }
            ("concat", 1) => {
                let other = arg_str(args, 0, name)?;
                Exc::check_size(s.len() + other.len())?;
                Val::string(format!("{s}{other}"))
            }
            ("splitOnToken", 1 | 2) => {
                let token = arg_str(args, 0, name)?;
                let limit = if args.len() == 2 { arg_int(args, 1)? } else { 0 };
                let parts = split_on_token(s, token, limit)?;
                array_of_strings(parts)
            }
            ("encodeBase64", 0) => Val::string(super::misc::base64_encode(s.as_bytes(), super::misc::STANDARD)),
            ("decodeBase64", 0) => {
                let bytes = super::misc::base64_decode(s, super::misc::STANDARD)?;
                Val::string(String::from_utf8_lossy(&bytes).into_owned())
            }
            ("replaceAll" | "replaceFirst", 2) => {
                let pattern = match &args[0] {
                    Val::Obj(o) => match &**o {
                        Obj::Pattern(p) => p.clone(),
                        _ => return Err(Exc::class_cast(format!("Cannot cast [{}] to [java.util.regex.Pattern]", args[0].class_name()))),
                    },
                    other => return Err(Exc::class_cast(format!("Cannot cast [{}] to [java.util.regex.Pattern]", other.class_name()))),
                };
                return super::regex::replace_with_function(it, &pattern, s, &args[1], name == "replaceAll").map(Some);
            }
            // CharSequence's `IntStream chars()` (UTF-16 units) and
            // `codePoints()` (java.lang.txt), as this engine's eager streams.
            ("chars", 0) => {
                let units = utf16(s);
                Exc::check_len(units.len())?;
                super::collections::new_stream(units.into_iter().map(|u| Val::Int(u as i32)).collect())
            }
            ("codePoints", 0) => {
                Exc::check_len(s.len())?;
                super::collections::new_stream(s.chars().map(|c| Val::Int(c as i32)).collect())
            }
            ("toCharArray", 0) => {
                let items = utf16(s).into_iter().map(Val::Char).collect();
                Val::Array(std::rc::Rc::new(std::cell::RefCell::new(JArray { elem: super::super::ast::Type::Prim(super::super::ast::Prim::Char), items })))
            }
            _ => return Ok(None),
        }))
    })();
    match r {
        Ok(Some(v)) => Some(Ok(v)),
        Ok(None) => None,
        Err(e) => Some(Err(e)),
    }
}

pub fn array_of_strings<'a>(parts: Vec<String>) -> Val<'a> {
    let items = parts.into_iter().map(Val::string).collect();
    Val::Array(std::rc::Rc::new(std::cell::RefCell::new(JArray { elem: super::super::ast::Type::class("String"), items })))
}

fn is_high_surrogate(unit: u16) -> bool {
    (0xd800..0xdc00).contains(&unit)
}

fn is_low_surrogate(unit: u16) -> bool {
    (0xdc00..0xe000).contains(&unit)
}

/// Java `Character.toCodePoint(high, low)`.
fn code_point(high: u16, low: u16) -> i32 {
    0x10000 + ((high as i32 - 0xd800) << 10) + (low as i32 - 0xdc00)
}

/// Java `Character.offsetByCodePoints(seq, index, codePointOffset)`, which
/// `String.offsetByCodePoints` calls: steps over code points forwards or
/// backwards (a surrogate pair is one, an unpaired surrogate one too) and
/// throws a bare IndexOutOfBoundsException when the index is outside the
/// string or the string runs out first.
fn offset_by_code_points(units: &[u16], index: i64, offset: i64) -> R<i32> {
    let out_of_bounds = || Exc::bare("IndexOutOfBoundsException");
    let len = units.len();
    let mut x = usize::try_from(index).ok().filter(|i| *i <= len).ok_or_else(out_of_bounds)?;
    if offset >= 0 {
        for _ in 0..offset {
            if x >= len {
                return Err(out_of_bounds());
            }
            x += 1;
            if is_high_surrogate(units[x - 1]) && x < len && is_low_surrogate(units[x]) {
                x += 1;
            }
        }
    } else {
        for _ in offset..0 {
            if x == 0 {
                return Err(out_of_bounds());
            }
            x -= 1;
            if is_low_surrogate(units[x]) && x > 0 && is_high_surrogate(units[x - 1]) {
                x -= 1;
            }
        }
    }
    Ok(x as i32)
}

/// Java `String.regionMatches([ignoreCase,] toffset, other, ooffset, len)`
/// (OpenJDK's String.java): false when an offset is negative or a region
/// runs past its string (checked before `other` is read, so a null `other`
/// with a negative offset is false); a negative `len` compares nothing.
/// Ignoring case, units compare as `equalsIgnoreCase` compares them.
fn region_matches(s: &str, ignore_case: bool, toffset: i64, rest: &[Val<'_>], ooffset: i64, len: i64) -> R<bool> {
    if toffset < 0 || ooffset < 0 {
        return Ok(false);
    }
    let other = arg_str(rest, 1, "regionMatches")?;
    let (this, other) = (utf16(s), utf16(other));
    if toffset > this.len() as i64 - len || ooffset > other.len() as i64 - len {
        return Ok(false);
    }
    let len = len.max(0) as usize;
    let (a, b) = (&this[toffset as usize..toffset as usize + len], &other[ooffset as usize..ooffset as usize + len]);
    Ok(if ignore_case { units_equal_ignore_case(a, b) } else { a == b })
}

fn equals_ignore_case(a: &str, b: &str) -> bool {
    // ASCII characters change case only among themselves.
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    units_equal_ignore_case(&utf16(a), &utf16(b))
}

/// Java's case-insensitive comparison of UTF-16 units: equal, or equal
/// once upper-cased, or once upper- then lower-cased.
fn units_equal_ignore_case(a: &[u16], b: &[u16]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            if x == y {
                return true;
            }
            let cx = char::from_u32(*x as u32);
            let cy = char::from_u32(*y as u32);
            match (cx, cy) {
                (Some(cx), Some(cy)) => {
                    let ux: String = cx.to_uppercase().collect();
                    let uy: String = cy.to_uppercase().collect();
                    ux == uy || ux.to_lowercase() == uy.to_lowercase()
                }
                _ => false,
            }
        })
}

/// Java `compareTo`: difference of the first differing UTF-16 units, else of lengths.
pub fn compare_to(a: &str, b: &str) -> i32 {
    let (a, b) = (utf16(a), utf16(b));
    for (x, y) in a.iter().zip(&b) {
        if x != y {
            return *x as i32 - *y as i32;
        }
    }
    a.len() as i32 - b.len() as i32
}

/// Java `String.replace(CharSequence, CharSequence)`: literal, all occurrences;
/// an empty target inserts the replacement between every character.
fn java_replace(s: &str, from: &str, to: &str) -> String {
    if from.is_empty() {
        let mut out = String::from(to);
        for c in s.chars() {
            out.push(c);
            out.push_str(to);
        }
        return out;
    }
    s.replace(from, to)
}

/// Painless's `splitOnToken`: splits on a literal token keeping every part
/// (empty ones too); a limit above 0 caps the number of parts.
fn split_on_token(s: &str, token: &str, limit: i64) -> R<Vec<String>> {
    if s.is_empty() || token.is_empty() || s.len() < token.len() {
        return Ok(vec![s.to_string()]);
    }
    let mut parts = Vec::new();
    let mut rest = s;
    loop {
        if limit > 0 && parts.len() as i64 == limit - 1 {
            parts.push(rest.to_string());
            break;
        }
        match rest.find(token) {
            Some(i) => {
                parts.push(rest[..i].to_string());
                rest = &rest[i + token.len()..];
            }
            None => {
                parts.push(rest.to_string());
                break;
            }
        }
    }
    Ok(parts)
}

pub fn call_static<'a>(_class: &str, name: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    Some(match (name, args.len()) {
        ("valueOf", 1) => Ok(match &args[0] {
            Val::Array(a) => Val::string(a.borrow().items.iter().map(|c| c.to_java_string()).collect()),
            other => Val::string(other.to_java_string()),
        }),
        ("copyValueOf", 1) => Ok(Val::string(args[0].to_java_string())),
        ("join", 2) => {
            let sep = match &args[0] {
                Val::Null => return Some(Err(Exc::npe("Cannot invoke \"Object.toString()\" because \"delimiter\" is null"))),
                v => v.to_java_string(),
            };
            match iter_items(&args[1]) {
                Some(items) => Ok(Val::string(items.iter().map(|v| v.to_java_string()).collect::<Vec<_>>().join(&sep))),
                None => Err(Exc::class_cast(format!("Cannot cast [{}] to [java.lang.Iterable]", args[1].class_name()))),
            }
        }
        ("format", n) if n >= 2 && matches!(&args[0], Val::Obj(o) if matches!(&**o, super::Obj::Locale(_))) => call_static(_class, name, &args[1..])?,
        ("format", n) if n >= 1 => match arg_str(args, 0, "format") {
            Ok(fmt) => {
                let rest: Vec<Val<'a>> = if n == 2 {
                    match &args[1] {
                        Val::Array(a) => a.borrow().items.clone(),
                        other => vec![other.clone()],
                    }
                } else {
                    args[1..].to_vec()
                };
                java_format(fmt, &rest).map(Val::string)
            }
            Err(e) => Err(e),
        },
        _ => return None,
    })
}

/// A subset of `java.util.Formatter`: `%s %d %x %b %n %%` and the
/// floating-point `%f %e %E %g %G`, with widths, precisions and the `-` and
/// `0` flags (plus `+ ( , #` on the floating-point conversions).
pub fn java_format(fmt: &str, args: &[Val<'_>]) -> R<String> {
    let mut out = String::new();
    let mut chars = fmt.chars().peekable();
    let mut next_arg = 0;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut flags = String::new();
        while let Some(&f) = chars.peek() {
            if "-0+, #(".contains(f) {
                flags.push(f);
                chars.next();
            } else {
                break;
            }
        }
        let mut width = String::new();
        while let Some(&d) = chars.peek() {
            if d.is_ascii_digit() {
                width.push(d);
                chars.next();
            } else {
                break;
            }
        }
        let mut precision: Option<usize> = None;
        if chars.peek() == Some(&'.') {
            chars.next();
            let mut p = String::new();
            while let Some(&d) = chars.peek() {
                if d.is_ascii_digit() {
                    p.push(d);
                    chars.next();
                } else {
                    break;
                }
            }
            precision = p.parse().ok();
        }
        let Some(conv) = chars.next() else {
            return Err(Exc::new("UnknownFormatConversionException", "Conversion = '%'"));
        };
        let mut take = || -> R<Val<'_>> {
            let v = args.get(next_arg).cloned().ok_or_else(|| Exc::new("MissingFormatArgumentException", format!("Format specifier '%{conv}'")))?;
            next_arg += 1;
            Ok(v)
        };
        let body = match conv {
            '%' => "%".to_string(),
            'n' => "\n".to_string(),
            's' | 'S' => {
                let v = take()?.to_java_string();
                let v = match precision {
                    Some(p) => v.chars().take(p).collect(),
                    None => v,
                };
                if conv == 'S' {
                    v.to_uppercase()
                } else {
                    v
                }
            }
            'd' => match take()? {
                v @ (Val::Int(_) | Val::Long(_) | Val::Short(_) | Val::Byte(_)) => {
                    let n = v.to_java_string();
                    if flags.contains(',') {
                        group_thousands(&n)
                    } else {
                        n
                    }
                }
                v => return Err(Exc::new("IllegalFormatConversionException", format!("d != {}", v.class_name()))),
            },
            'x' | 'X' => match take()? {
                Val::Int(i) => format!("{:x}", i as u32),
                Val::Long(l) => format!("{:x}", l as u64),
                v => return Err(Exc::new("IllegalFormatConversionException", format!("x != {}", v.class_name()))),
            },
            'f' | 'e' | 'E' | 'g' | 'G' => match take()? {
                Val::Double(d) => format_float(d, conv, precision, &flags)?,
                // Formatter widens a float to double before formatting it.
                Val::Float(f) => format_float(f64::from(f), conv, precision, &flags)?,
                Val::Null => "null".into(),
                v => return Err(Exc::new("IllegalFormatConversionException", format!("{conv} != {}", v.class_name()))),
            },
            'b' => match take()? {
                Val::Null => "false".into(),
                Val::Bool(b) => b.to_string(),
                _ => "true".into(),
            },
            other => return Err(Exc::new("UnknownFormatConversionException", format!("Conversion = '{other}'"))),
        };
        let body = if conv == 'X' { body.to_uppercase() } else { body };
        let is_float = matches!(conv, 'f' | 'e' | 'E' | 'g' | 'G');
        let w: usize = width.parse::<usize>().unwrap_or(0).min(1 << 16);
        let len = body.chars().count();
        if len < w {
            let pad = w - len;
            if flags.contains('-') {
                out.push_str(&body);
                out.extend(std::iter::repeat_n(' ', pad));
            } else if flags.contains('0') && (!is_float || body.trim_start_matches(['-', '+', ' ', '(']).starts_with(|c: char| c.is_ascii_digit())) {
                // Zeros go after the sign; NaN, Infinity and null are padded with spaces.
                let sign_len = if is_float { body.len() - body.trim_start_matches(['-', '+', ' ', '(']).len() } else { usize::from(body.starts_with('-')) };
                let (sign, digits) = body.split_at(sign_len);
                out.push_str(sign);
                out.extend(std::iter::repeat_n('0', pad));
                out.push_str(digits);
            } else {
                out.extend(std::iter::repeat_n(' ', pad));
                out.push_str(&body);
            }
        } else {
            out.push_str(&body);
        }
    }
    Ok(out)
}

/// Formatter's `%f`, `%e` and `%g` of a double: the shortest decimal digits
/// that identify the double (as `Double.toString`), rounded HALF_UP to the
/// precision and padded with zeros, never the binary value's exact expansion
/// (JDK 17, observed: `%.2f` of 0.125 is `0.13`, `%.20f` of 0.1 is
/// `0.10000000000000000000`, `%.2e` of 1.125 is `1.13e+00`).
fn format_float(v: f64, conv: char, precision: Option<usize>, flags: &str) -> R<String> {
    let lower = conv.to_ascii_lowercase();
    let mismatch = match lower {
        'e' => ','.to_string(),
        'g' => '#'.to_string(),
        _ => String::new(),
    };
    if !mismatch.is_empty() && flags.contains(&*mismatch) {
        return Err(Exc::new("FormatFlagsConversionMismatchException", format!("Conversion = {conv}, Flags = {mismatch}")));
    }
    let neg = v.is_sign_negative() && !v.is_nan();
    let magnitude = if v.is_nan() {
        "NaN".to_string()
    } else if v.is_infinite() {
        "Infinity".to_string()
    } else {
        let precision = precision.unwrap_or(6).min(1 << 16);
        let (digits, exp) = shortest_digits(v.abs());
        let body = match lower {
            'f' => fixed(&digits, exp, precision, flags),
            'e' => scientific(&digits, exp, precision, flags),
            _ => {
                let sig = precision.max(1);
                // The choice of notation looks at the value rounded to `sig` digits.
                let rounded_exp = if v == 0.0 { 0 } else { round_sig(&digits, exp, sig as i64).1 };
                if v != 0.0 && (rounded_exp < -4 || rounded_exp >= sig as i64) {
                    scientific(&digits, exp, sig - 1, flags)
                } else {
                    fixed(&digits, exp, (sig as i64 - 1 - rounded_exp) as usize, flags)
                }
            }
        };
        if conv.is_ascii_uppercase() {
            body.to_uppercase()
        } else {
            body
        }
    };
    let (lead, trail) = match (neg, flags.contains('(')) {
        (true, true) => ("(", ")"),
        (true, false) => ("-", ""),
        (false, _) if flags.contains('+') => ("+", ""),
        (false, _) if flags.contains(' ') => (" ", ""),
        _ => ("", ""),
    };
    Ok(format!("{lead}{magnitude}{trail}"))
}

/// The shortest digits of a finite non-negative double and the decimal
/// exponent of the first one: value = d1.d2d3... x 10^exp. Java keeps at
/// least two digits, the pair nearest the double where one digit would do
/// (`Double.MIN_VALUE` is 4.9E-324, not 5E-324).
fn shortest_digits(v: f64) -> (Vec<u8>, i64) {
    let mut s = format!("{v:e}");
    if !s.contains('.') {
        let two = format!("{v:.1e}");
        if two.parse::<f64>() == Ok(v) {
            s = two;
        }
    }
    let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let digits = mantissa.bytes().filter(u8::is_ascii_digit).map(|b| b - b'0').collect();
    (digits, exp.parse().unwrap_or(0))
}

/// Rounds to `n` significant digits HALF_UP (n may be zero or negative: the
/// rounding position is then left of the first digit). Returns the digits
/// (at least one) and the exponent of the first.
fn round_sig(digits: &[u8], exp: i64, n: i64) -> (Vec<u8>, i64) {
    if n < 0 || (n == 0 && digits[0] < 5) {
        return (vec![0], exp - n);
    }
    if n == 0 {
        return (vec![1], exp + 1);
    }
    let n = n as usize;
    if digits.len() <= n {
        return (digits.to_vec(), exp);
    }
    let mut kept = digits[..n].to_vec();
    if digits[n] >= 5 {
        let mut i = n;
        loop {
            if i == 0 {
                kept.insert(0, 1);
                kept.pop();
                return (kept, exp + 1);
            }
            i -= 1;
            if kept[i] == 9 {
                kept[i] = 0;
            } else {
                kept[i] += 1;
                break;
            }
        }
    }
    (kept, exp)
}

fn digit_at(digits: &[u8], i: i64) -> char {
    if i >= 0 && (i as usize) < digits.len() {
        char::from(b'0' + digits[i as usize])
    } else {
        '0'
    }
}

/// `%f`: `precision` digits after the point, integer part grouped by `,`.
fn fixed(digits: &[u8], exp: i64, precision: usize, flags: &str) -> String {
    let (digits, exp) = round_sig(digits, exp, exp + 1 + precision as i64);
    // Digit i of `digits` has weight 10^(exp - i).
    let int_part: String = if exp < 0 { "0".into() } else { (0..=exp).map(|i| digit_at(&digits, i)).collect() };
    let int_part = if flags.contains(',') { group_thousands(&int_part) } else { int_part };
    let frac: String = (1..=precision as i64).map(|k| digit_at(&digits, exp + k)).collect();
    if precision > 0 {
        format!("{int_part}.{frac}")
    } else if flags.contains('#') {
        format!("{int_part}.")
    } else {
        int_part
    }
}

/// `%e`: one digit, the point, `precision` digits, and an exponent of at
/// least two digits.
fn scientific(digits: &[u8], exp: i64, precision: usize, flags: &str) -> String {
    let (digits, exp) = if digits.iter().all(|&d| d == 0) { (vec![0], 0) } else { round_sig(digits, exp, 1 + precision as i64) };
    let frac: String = (1..=precision as i64).map(|i| digit_at(&digits, i)).collect();
    let point = if precision > 0 || flags.contains('#') { "." } else { "" };
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{}{point}{frac}e{sign}{:02}", digit_at(&digits, 0), exp.abs())
}

fn group_thousands(n: &str) -> String {
    let (sign, digits) = if let Some(d) = n.strip_prefix('-') { ("-", d) } else { ("", n) };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}")
}

/// `Augmentation.sha1`/`sha256`/`sha512`: the digest of the string's UTF-8
/// bytes in lowercase hexadecimal (`MessageDigests.toHexString`).
fn hex_digest(algorithm: &str, s: &str) -> String {
    use sha2::Digest;
    let bytes = match algorithm {
        "sha1" => sha1::Sha1::digest(s.as_bytes()).to_vec(),
        "sha256" => sha2::Sha256::digest(s.as_bytes()).to_vec(),
        _ => sha2::Sha512::digest(s.as_bytes()).to_vec(),
    };
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::super::super::{compile, interp::Interp, ScriptContext};
    use super::*;

    /// CharSequence's `chars()` (UTF-16 units) and `codePoints()` as
    /// streams of ints, and `new String()`, the one String constructor
    /// java.lang.txt whitelists.
    #[test]
    fn chars_code_points_and_the_empty_constructor() {
        use crate::value::{Map, Value};
        let run = |src: &str| {
            let script = compile(src, ScriptContext::Ingest).unwrap_or_else(|e| panic!("{src}: {e:?}"));
            let mut ctx = Map::default();
            script.execute(&mut ctx, &Map::default()).expect("runs");
            ctx.get("r").cloned()
        };
        assert_eq!(run("ctx.r = 'a1b2'.chars().filter(c -> Character.isDigit(c)).count()"), Some(Value::Long(2)));
        assert_eq!(run("ctx.r = 'h\u{e9}'.chars().sum()"), Some(Value::Int(104 + 233)));
        assert_eq!(run("ctx.r = '\u{1f600}'.chars().count() + ':' + '\u{1f600}'.codePoints().count()"), Some(Value::from("2:1")));
        assert_eq!(run("ctx.r = '\u{1f600}'.codePoints().findFirst().getAsInt()"), Some(Value::Int(0x1f600)));
        assert_eq!(run("StringBuilder b = new StringBuilder('ab'); ctx.r = b.chars().count()"), Some(Value::Long(2)));
        assert_eq!(run("ctx.r = new String() + 'x'"), Some(Value::from("x")));
    }

    /// java.lang.txt's `codePointBefore codePointCount offsetByCodePoints
    /// regionMatches` on String, in UTF-16 units as OpenJDK's String.java
    /// and Character.offsetByCodePoints read them: a surrogate pair is one
    /// code point, an unpaired surrogate one too; each method's exception
    /// as the JDK throws it (String's `checkIndex`, `Objects.checkFromToIndex`,
    /// a bare IndexOutOfBoundsException); `regionMatches` false on a
    /// negative offset or a region past the end, true for a negative length.
    #[test]
    fn code_point_and_region_methods_read_utf16_as_java_does() {
        use crate::value::Value;
        let run = |expr: &str| -> Result<Value, (String, String)> { crate::painless::script_result_of(&format!("String s = 'a\u{1f600}b'; {expr}")) };
        let cases: &[(&str, Value)] = &[
            ("s.codePointBefore(1)", Value::Int('a' as i32)),
            ("s.codePointBefore(3)", Value::Int(0x1f600)),
            ("s.codePointBefore(2)", Value::Int(0xd83d)),
            ("s.codePointCount(0, 4)", Value::Int(3)),
            ("s.codePointCount(0, 2)", Value::Int(2)),
            ("s.codePointCount(2, 2)", Value::Int(0)),
            ("s.offsetByCodePoints(0, 2)", Value::Int(3)),
            ("s.offsetByCodePoints(4, -2)", Value::Int(1)),
            ("s.offsetByCodePoints(2, 1)", Value::Int(3)),
            ("s.offsetByCodePoints(1, 0)", Value::Int(1)),
            ("'Hello World'.regionMatches(6, 'World', 0, 5)", Value::Bool(true)),
            ("'Hello World'.regionMatches(6, 'world', 0, 5)", Value::Bool(false)),
            ("'Hello World'.regionMatches(true, 6, 'wORLD', 0, 5)", Value::Bool(true)),
            ("'Hello World'.regionMatches(false, 6, 'wORLD', 0, 5)", Value::Bool(false)),
            ("'Hello World'.regionMatches(7, 'World', 0, 5)", Value::Bool(false)),
            ("'Hello'.regionMatches(-1, 'Hello', 0, 1)", Value::Bool(false)),
            ("'Hello'.regionMatches(-1, null, 0, 1)", Value::Bool(false)),
            ("'Hello'.regionMatches(9, 'x', 9, -1)", Value::Bool(false)),
            ("'Hello'.regionMatches(5, 'x', 1, -1)", Value::Bool(true)),
            ("boolean b = s.regionMatches(1, '\u{1f600}', 0, 2); b", Value::Bool(true)),
        ];
        for (expr, want) in cases {
            assert_eq!(run(expr).as_ref(), Ok(want), "{expr}");
        }
        let errors: &[(&str, &str, &str)] = &[
            ("s.codePointBefore(0)", "string_index_out_of_bounds_exception", "Index -1 out of bounds for length 4"),
            ("s.codePointBefore(5)", "string_index_out_of_bounds_exception", "Index 4 out of bounds for length 4"),
            ("s.codePointCount(3, 2)", "index_out_of_bounds_exception", "Range [3, 2) out of bounds for length 4"),
            ("s.codePointCount(0, 5)", "index_out_of_bounds_exception", "Range [0, 5) out of bounds for length 4"),
        ];
        for (expr, kind, reason) in errors {
            assert_eq!(run(expr), Err((kind.to_string(), reason.to_string())), "{expr}");
        }
        for expr in ["s.offsetByCodePoints(5, 0)", "s.offsetByCodePoints(0, 4)", "s.offsetByCodePoints(4, -4)", "s.offsetByCodePoints(-1, 0)"] {
            assert_eq!(run(expr).unwrap_err().0, "index_out_of_bounds_exception", "{expr}");
        }
        assert_eq!(run("'Hello'.regionMatches(0, null, 0, 1)").unwrap_err().0, "null_pointer_exception");
    }

    /// What java.lang.txt does not give String (`getBytes`, constructors
    /// with arguments) and java.util.txt does not give Objects
    /// (`requireNonNullElse`) or Arrays (only `asList`, `deepEquals`,
    /// `deepHashCode`, `deepToString`) is refused when the script loads.
    #[test]
    fn members_painless_lacks_are_refused() {
        for (src, what) in [
            ("def s = 'a'; ctx.r = s.getBytes()", "method [getBytes/0]"),
            ("ctx.r = new String('abc')", "constructor [String/1]"),
            ("ctx.r = Objects.requireNonNullElse(ctx.a, 'x')", "static method [Objects.requireNonNullElse/2]"),
            ("def a = new int[] {2, 1}; Arrays.sort(a)", "static method [Arrays.sort/1]"),
            ("ctx.r = Arrays.toString(new int[] {1})", "static method [Arrays.toString/1]"),
            ("ctx.r = Arrays.stream(new int[] {1}).count()", "static method [Arrays.stream/1]"),
        ] {
            let (kind, reason, _) = super::super::super::compile_refusal(src, ScriptContext::Ingest);
            assert_eq!(kind, "illegal_argument_exception", "{src}");
            assert!(reason.starts_with(&format!("unsupported Painless feature {what}")), "{src}: {reason}");
        }
        // On a receiver certainly a String, the type pass names the method as Painless does.
        let (_, reason, _) = super::super::super::compile_refusal("ctx.r = 'abc'.getBytes()", ScriptContext::Ingest);
        assert_eq!(reason, "member method [java.lang.String, getBytes/0] not found");
    }

    /// `Augmentation.sha1`/`sha256`/`sha512` in ingest scripts: the UTF-8
    /// bytes' digest in lowercase hexadecimal; conditions' whitelist has no
    /// such methods, so there they are refused at load.
    /// Floating-point conversions, each expected text observed with JDK 17's
    /// `String.format` (/tmp program, see the report of this change).
    #[test]
    fn float_conversions_round_the_shortest_digits_half_up() {
        let d = |f: &str, v: f64| java_format(f, &[Val::Double(v)]).unwrap();
        for (f, v, want) in [
            ("%e", 12345.678, "1.234568e+04"),
            ("%e", 0.0, "0.000000e+00"),
            ("%e", -0.0, "-0.000000e+00"),
            ("%E", 1.5e-300, "1.500000E-300"),
            ("%.2e", 1.125, "1.13e+00"),
            ("%.2e", 1.135, "1.14e+00"),
            ("%.0e", 2.5, "3e+00"),
            ("%.0e", 9.5, "1e+01"),
            ("%.3e", 9.9996, "1.000e+01"),
            ("%e", 1e100, "1.000000e+100"),
            ("%e", f64::NAN, "NaN"),
            ("%e", f64::INFINITY, "Infinity"),
            ("%+e", f64::NEG_INFINITY, "-Infinity"),
            ("%+e", 1.0, "+1.000000e+00"),
            ("% e", 1.0, " 1.000000e+00"),
            ("%12.2e", 4.14159, "    4.14e+00"),
            ("%-12.2e|", 4.14159, "4.14e+00    |"),
            ("%012.2e", -4.14159, "-0004.14e+00"),
            ("%.20e", 0.1, "1.00000000000000000000e-01"),
            ("%#.0e", 1.0, "1.e+00"),
            ("%e", 5e-324, "4.900000e-324"),
            ("%e", f64::MAX, "1.797693e+308"),
            ("%(e", -1.0, "(1.000000e+00)"),
            ("%08e", f64::NAN, "     NaN"),
            ("%010e", f64::NEG_INFINITY, " -Infinity"),
            ("% 08.1e", 2.25, " 2.3e+00"),
            ("%.1e", 9.96e-5, "1.0e-04"),
            ("%g", 12345.678, "12345.7"),
            ("%g", 0.0001, "0.000100000"),
            ("%g", 0.00001, "1.00000e-05"),
            ("%g", 123456.0, "123456"),
            ("%g", 1234567.0, "1.23457e+06"),
            ("%g", 999999.5, "1.00000e+06"),
            ("%.0g", 1.5, "2"),
            ("%.3g", 999.9, "1.00e+03"),
            ("%.3g", 0.0, "0.00"),
            ("%g", 0.0, "0.00000"),
            ("%G", 1e-10, "1.00000E-10"),
            ("%,g", 12345.678, "12,345.7"),
            ("%.2g", 99.5, "1.0e+02"),
            ("%.2f", 0.125, "0.13"),
            ("%.1f", 0.15, "0.2"),
            ("%.2f", 1.005, "1.01"),
            ("%.20f", 0.1, "0.10000000000000000000"),
            ("%f", 1e20, "100000000000000000000.000000"),
            ("%.1f", 0.05, "0.1"),
            ("%.0f", 0.5, "1"),
            ("%.0f", 2.5, "3"),
            ("%+f", 1.5, "+1.500000"),
            ("%f", -0.0, "-0.000000"),
            ("%.3f", 1e-10, "0.000"),
            ("%,.2f", 1234567.891, "1,234,567.89"),
            ("%010.2f", -1.5, "-000001.50"),
            ("%.1f", 9.96, "10.0"),
            ("%.2f", 123456789.125, "123456789.13"),
            ("%#.0f", 1.0, "1."),
            ("%(,.2f", -1234.5, "(1,234.50)"),
            ("%+08.1f", 2.25, "+00002.3"),
            ("%(08.1f", -2.25, "(0002.3)"),
            ("%,012.1f", 1234567.0, "01,234,567.0"),
        ] {
            assert_eq!(d(f, v), want, "{f} of {v}");
        }
        assert_eq!(java_format("%e", &[Val::Float(0.1)]).unwrap(), "1.000000e-01");
        assert_eq!(java_format("%10f", &[Val::Null]).unwrap(), "      null");
        for (f, v, class, message) in [
            ("%e", Val::Int(5), "IllegalFormatConversionException", "e != java.lang.Integer"),
            ("%,e", Val::Double(1.0), "FormatFlagsConversionMismatchException", "Conversion = e, Flags = ,"),
            ("%#g", Val::Double(1.0), "FormatFlagsConversionMismatchException", "Conversion = g, Flags = #"),
        ] {
            let e = java_format(f, &[v]).unwrap_err();
            assert_eq!((e.class, e.message.as_deref()), (class, Some(message)), "{f}");
        }
    }

    #[test]
    fn sha_digests_in_ingest_scripts_only() {
        use crate::value::{Map, Value};
        let script = compile("ctx.a = ctx.s.sha1(); ctx.b = ctx.s.sha256(); ctx.c = 'héllo'.sha512()", ScriptContext::Ingest).expect("compiles");
        let mut ctx = Map::default();
        ctx.insert("s".into(), Value::from("héllo"));
        script.execute(&mut ctx, &Map::default()).expect("runs");
        assert_eq!(ctx.get("a"), Some(&Value::from("35b5ea45c5e41f78b46a937cc74d41dfea920890")));
        assert_eq!(ctx.get("b"), Some(&Value::from("3c48591d8d098a4538f5e013dfcf406e948eac4d3277b10bf614e295d6068179")));
        assert_eq!(
            ctx.get("c"),
            Some(&Value::from("a67e831011aa41ebb2a218c8ff727f1c60d62f06e1681678d176a81cd72ee69e7250c4c943cacbab28e42768615a5c41b6b0d42591d2c26a65670b38e97306dc"))
        );
        let e = compile("ctx.s.sha1() == 'x'", ScriptContext::Condition).err().expect("refused in a condition");
        assert!(e.caused_by.expect("a cause").reason.contains("sha1"));
    }

    /// The methods that may return their receiver give the text the
    /// general path makes, on document and owned strings alike, and a
    /// document's string trimmed still borrows the document's text.
    #[test]
    fn receiver_returned_unchanged_is_what_the_general_path_makes() {
        let script = compile("0", ScriptContext::Ingest).expect("compiles");
        let mut it = Interp::new(&script.program, false);
        let texts = [
            "", " ", "abc", "ABC", "aBc", " abc ", "\t\n abc\u{1}", "abc\u{0}", "\u{a0}abc\u{a0}", "contoso.com", "CONTOSO.COM",
            "Straße", "İstanbul", "ǅ", "ΣΑΣ", "ß", "ﬀ", "日本", " 日本 ", "a b", "123", "-_.@", "\u{20}\u{20}",
        ];
        let locale = Val::Null;
        for text in texts {
            for (name, args) in [("trim", &[][..]), ("toLowerCase", &[][..]), ("toUpperCase", &[][..]), ("toLowerCase", std::slice::from_ref(&locale)), ("toUpperCase", std::slice::from_ref(&locale))] {
                let general = call(&mut it, text, name, args).expect("a string method").expect("no error");
                let Val::Str(general) = general else { panic!("{name} of {text:?} is a string") };
                for recv in [Str::Doc(text), Str::Own(std::rc::Rc::from(text))] {
                    let fast = call_on(&mut it, &recv, name, args).expect("a string method").expect("no error");
                    let Val::Str(fast) = fast else { panic!("{name} of {text:?} is a string") };
                    assert_eq!(&*fast, &*general, "{name} of {text:?}");
                    let as_object = Val::Str(recv.clone());
                    let Ok(Val::Str(to_string)) = super::super::call_method(&mut it, &as_object, "toString", &[]) else { panic!("toString of {text:?}") };
                    assert_eq!(&*to_string, as_object.to_java_string(), "toString of {text:?}");
                    if let (Str::Doc(_), "trim") = (&recv, name) {
                        assert!(matches!(fast, Str::Doc(t) if text.as_bytes().as_ptr_range().contains(&t.as_ptr()) || t.is_empty()), "{text:?}");
                    }
                }
            }
        }
    }
}
