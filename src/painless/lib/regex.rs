//! java.util.regex through regex literals (`/pattern/flags`): Pattern and
//! Matcher, the `=~` (find) and `==~` (matches) operators, and the
//! `replaceAll`/`replaceFirst(Pattern, Function)` augmentations. Painless has
//! no `Pattern.compile`; every pattern is a literal compiled with the script.
//! Offsets reported to scripts are UTF-16 indices, as in Java.

use super::super::ast::RegexLit;
use super::super::interp::Interp;
use super::super::val::*;
use super::super::Exc;
use super::{arg_int, arg_str, Obj};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

type R<T> = Result<T, Exc>;

pub const METHODS: &[&str] = &[
    "matcher", "split", "splitAsStream", "pattern", "matches", "find", "group", "groupCount", "start", "end", "replaceAll", "replaceFirst",
    "namedGroup", "lookingAt", "hitEnd", "reset",
];

pub const STATICS: &[(&str, &str)] = &[("Pattern", "quote")];

#[derive(Debug)]
pub struct MatcherState {
    pub regex: Arc<RegexLit>,
    pub text: Rc<str>,
    /// Where the next `find()` starts (bytes).
    pub pos: usize,
    /// Byte ranges of the groups of the last successful match.
    pub groups: Option<Vec<Option<(usize, usize)>>>,
}

fn regex_error(e: fancy_regex::Error) -> Exc {
    Exc::new("IllegalStateException", format!("regex evaluation failed: {e}"))
}

fn utf16_index(s: &str, byte: usize) -> i32 {
    if s.is_ascii() {
        byte as i32
    } else {
        s[..byte].encode_utf16().count() as i32
    }
}

fn pattern_of<'v>(v: &'v Val<'_>) -> Option<&'v Arc<RegexLit>> {
    match v {
        Val::Obj(o) => match &**o {
            Obj::Pattern(p) => Some(p),
            _ => None,
        },
        _ => None,
    }
}

/// `text =~ /re/` (find anywhere) and `text ==~ /re/` (match the whole text).
pub fn find_or_match<'a>(whole: bool, a: &Val<'a>, b: &Val<'a>) -> R<Val<'a>> {
    let Some(p) = pattern_of(b) else {
        return Err(Exc::class_cast(format!("Cannot cast [{}] to [java.util.regex.Pattern]", b.class_name())));
    };
    let text = match a {
        Val::Str(s) => s.to_string(),
        Val::Null => return Err(Exc::npe("Cannot invoke \"java.lang.CharSequence.length()\" because \"this.text\" is null")),
        other => return Err(Exc::class_cast(format!("Cannot cast [{}] to [java.lang.CharSequence]", other.class_name()))),
    };
    let re = if whole { &p.anchored } else { &p.regex };
    Ok(Val::Bool(re.is_match(&text).map_err(regex_error)?))
}

fn new_matcher<'a>(p: &Arc<RegexLit>, text: &str) -> Val<'a> {
    Val::Obj(Rc::new(Obj::Matcher(RefCell::new(MatcherState { regex: p.clone(), text: Rc::from(text), pos: 0, groups: None }))))
}

fn captures_to_groups(c: &fancy_regex::Captures<'_>) -> Vec<Option<(usize, usize)>> {
    (0..c.len()).map(|i| c.get(i).map(|m| (m.start(), m.end()))).collect()
}

pub fn call<'a>(it: &mut Interp<'a>, o: &Rc<Obj<'a>>, name: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    let r = (|| -> R<Option<Val<'a>>> {
        Ok(Some(match &**o {
            Obj::Pattern(p) => match (name, args.len()) {
                ("matcher", 1) => new_matcher(p, arg_str(args, 0, name)?),
                ("pattern" | "toString", 0) => Val::str(&p.pattern),
                ("split", 1 | 2) => {
                    let s = arg_str(args, 0, name)?;
                    let limit = if args.len() == 2 { arg_int(args, 1)? } else { 0 };
                    super::string::array_of_strings(java_split(p, s, limit)?)
                }
                ("splitAsStream", 1) => {
                    let parts = java_split(p, arg_str(args, 0, name)?, 0)?;
                    Val::Obj(Rc::new(Obj::Stream(RefCell::new(parts.into_iter().map(Val::string).collect()))))
                }
                _ => return Ok(None),
            },
            Obj::Matcher(state) => matcher_call(state, name, args)?,
            _ => return Ok(None),
        }))
    })();
    let _ = it;
    match r {
        Ok(Some(v)) => Some(Ok(v)),
        Ok(None) => None,
        Err(e) => Some(Err(e)),
    }
}

fn no_match() -> Exc {
    Exc::new("IllegalStateException", "No match found")
}

fn matcher_call<'a>(state: &RefCell<MatcherState>, name: &str, args: &[Val<'a>]) -> R<Val<'a>> {
    let mut st = state.borrow_mut();
    Ok(match (name, args.len()) {
        ("matches" | "lookingAt", 0) => {
            let text = st.text.clone();
            let caps = if name == "matches" {
                st.regex.anchored.captures(&text).map_err(regex_error)?
            } else {
                st.regex.regex.captures(&text).map_err(regex_error)?.filter(|c| c.get(0).is_some_and(|m| m.start() == 0))
            };
            match caps {
                Some(c) => {
                    // The anchored pattern wraps the original in one non-capturing group,
                    // so group numbers line up.
                    st.groups = Some(captures_to_groups(&c));
                    st.pos = c.get(0).map(|m| m.end()).unwrap_or(0);
                    Val::Bool(true)
                }
                None => {
                    st.groups = None;
                    Val::Bool(false)
                }
            }
        }
        ("find", 0 | 1) => {
            let text = st.text.clone();
            let start = if args.len() == 1 {
                let i = arg_int(args, 0)?;
                let len16 = utf16_index(&text, text.len()) as i64;
                if i < 0 || i > len16 {
                    return Err(Exc::new("IndexOutOfBoundsException", "Illegal start index"));
                }
                text.char_indices().map(|(b, _)| b).chain(std::iter::once(text.len())).nth(i as usize).unwrap_or(text.len())
            } else {
                st.pos
            };
            if start > text.len() {
                st.groups = None;
                return Ok(Val::Bool(false));
            }
            match st.regex.regex.captures_from_pos(&text, start).map_err(regex_error)? {
                Some(c) => {
                    let m = c.get(0).unwrap();
                    st.pos = if m.end() == m.start() { m.end() + text[m.end()..].chars().next().map(|c| c.len_utf8()).unwrap_or(1) } else { m.end() };
                    st.groups = Some(captures_to_groups(&c));
                    Val::Bool(true)
                }
                None => {
                    st.groups = None;
                    st.pos = text.len() + 1;
                    Val::Bool(false)
                }
            }
        }
        ("group" | "namedGroup", 0 | 1) => {
            let groups = st.groups.as_ref().ok_or_else(no_match)?;
            let index = match args.first() {
                None => 0,
                Some(Val::Str(n)) => {
                    let names: Vec<Option<&str>> = st.regex.regex.capture_names().collect();
                    match names.iter().position(|x| *x == Some(&**n)) {
                        Some(i) => i,
                        None => return Err(Exc::illegal_arg(format!("No group with name <{}>", &**n))),
                    }
                }
                Some(v) => {
                    let i = super::super::interp::as_index(v)?;
                    if i < 0 || i as usize >= groups.len() {
                        return Err(Exc::new("IndexOutOfBoundsException", format!("No group {i}")));
                    }
                    i as usize
                }
            };
            match groups.get(index).copied().flatten() {
                Some((s, e)) => Val::str(&st.text[s..e]),
                None => Val::Null,
            }
        }
        ("groupCount", 0) => Val::Int(st.regex.regex.captures_len() as i32 - 1),
        ("start" | "end", 0 | 1) => {
            let groups = st.groups.as_ref().ok_or_else(no_match)?;
            let i = if args.is_empty() { 0 } else { arg_int(args, 0)? as usize };
            match groups.get(i).copied().flatten() {
                Some((s, e)) => Val::Int(utf16_index(&st.text, if name == "start" { s } else { e })),
                None => Val::Int(-1),
            }
        }
        ("hitEnd", 0) => Val::Bool(st.pos >= st.text.len()),
        ("reset", 0) => {
            st.pos = 0;
            st.groups = None;
            Val::Null
        }
        ("replaceAll" | "replaceFirst", 1) => {
            let repl = java_replacement(arg_str(args, 0, name)?)?;
            let text = st.text.clone();
            let out = if name == "replaceAll" {
                st.regex.regex.replace_all(&text, repl.as_str()).into_owned()
            } else {
                st.regex.regex.replacen(&text, 1, repl.as_str()).into_owned()
            };
            Val::string(out)
        }
        _ => return Err(Exc::illegal_arg(format!("dynamic method [java.util.regex.Matcher, {name}/{}] not found", args.len()))),
    })
}

/// Java replacement syntax (`$1`, `${name}`, `\$`) to the regex crate's.
fn java_replacement(s: &str) -> R<String> {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('$') => out.push_str("$$"),
                Some(x) => out.push(x),
                None => return Err(Exc::illegal_arg("character to be escaped is missing")),
            },
            '$' => {
                if chars.peek() == Some(&'{') {
                    chars.next();
                    let name: String = chars.by_ref().take_while(|c| *c != '}').collect();
                    out.push_str(&format!("${{{name}}}"));
                } else {
                    let digits: String = std::iter::from_fn(|| chars.next_if(|c| c.is_ascii_digit())).collect();
                    if digits.is_empty() {
                        return Err(Exc::illegal_arg("Illegal group reference"));
                    }
                    out.push_str(&format!("${{{digits}}}"));
                }
            }
            other => out.push(other),
        }
    }
    Ok(out)
}

/// `Pattern.split`: trailing empty strings removed when limit is 0; a
/// zero-width match at the start produces no leading empty string.
fn java_split(p: &RegexLit, s: &str, limit: i64) -> R<Vec<String>> {
    let mut parts = Vec::new();
    let mut last = 0;
    for m in p.regex.find_iter(s) {
        let m = m.map_err(regex_error)?;
        if limit > 0 && parts.len() as i64 == limit - 1 {
            break;
        }
        if m.end() == 0 {
            continue;
        }
        parts.push(s[last..m.start()].to_string());
        last = m.end();
    }
    parts.push(s[last..].to_string());
    if s.is_empty() {
        return Ok(vec![String::new()]);
    }
    if limit == 0 {
        while parts.len() > 1 && parts.last().is_some_and(|p| p.is_empty()) {
            parts.pop();
        }
        if parts.len() == 1 && parts[0].is_empty() && !s.is_empty() {
            parts.pop();
        }
    }
    Ok(parts)
}

/// The `replaceAll(Pattern, Function)` augmentation: the function gets the
/// Matcher of each match and returns the replacement text.
pub fn replace_with_function<'a>(it: &mut Interp<'a>, p: &Arc<RegexLit>, s: &str, f: &Val<'a>, all: bool) -> R<Val<'a>> {
    let mut out = String::new();
    let mut last = 0;
    let mut pos = 0;
    while pos <= s.len() {
        let Some(c) = p.regex.captures_from_pos(s, pos).map_err(regex_error)? else { break };
        let m = c.get(0).unwrap();
        out.push_str(&s[last..m.start()]);
        let matcher = Val::Obj(Rc::new(Obj::Matcher(RefCell::new(MatcherState {
            regex: p.clone(),
            text: Rc::from(s),
            pos: m.end(),
            groups: Some(captures_to_groups(&c)),
        }))));
        let r = it.call_func(f, &mut [matcher])?;
        out.push_str(&r.to_java_string());
        last = m.end();
        pos = if m.end() == m.start() { m.end() + s[m.end()..].chars().next().map(|c| c.len_utf8()).unwrap_or(1) } else { m.end() };
        if !all {
            break;
        }
    }
    if last <= s.len() {
        out.push_str(&s[last..]);
    }
    Ok(Val::string(out))
}

pub fn call_static<'a>(name: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    match (name, args.len()) {
        ("quote", 1) => Some(arg_str(args, 0, name).map(|s| Val::string(format!("\\Q{s}\\E")))),
        _ => None,
    }
}
