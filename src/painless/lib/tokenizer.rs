//! `java.util.StringTokenizer`, which lang-painless's `java.util.txt`
//! whitelists: the constructors `(String)`, `(String,String)` and
//! `(String,String,boolean)`, `countTokens`, `hasMoreTokens`, `nextToken()`
//! and `nextToken(String)`, and `Enumeration`'s `hasMoreElements` and
//! `nextElement`, which the class implements with them. The Nginx access pipeline's private-address
//! check reads an IP's first bytes with it.
//!
//! The state and its steps follow the JDK's class: a position, the position
//! `hasMoreTokens` found the next token at (kept for the next `nextToken`
//! unless the delimiters changed in between), delimiters matched one code
//! point at a time, and delimiters returned as tokens of their own when the
//! third constructor argument asks for it.

use super::super::val::*;
use super::super::Exc;
use super::{arg_str, Obj};
use std::cell::RefCell;
use std::rc::Rc;

type R<T> = Result<T, Exc>;

pub const METHODS: &[&str] = &["countTokens", "hasMoreTokens", "nextToken", "hasMoreElements", "nextElement"];

/// `new StringTokenizer(str)` splits on the JDK's default delimiters:
/// space, tab, newline, carriage return and form feed.
const DEFAULT_DELIMITERS: &str = " \t\n\r\u{c}";

#[derive(Debug)]
pub struct Tokenizer {
    text: Vec<char>,
    delimiters: Vec<char>,
    return_delimiters: bool,
    position: usize,
    /// Where `hasMoreTokens` found the next token, for `nextToken` to start
    /// from (the JDK's `newPosition`, -1 there when unset).
    next_start: Option<usize>,
    delimiters_changed: bool,
}

impl Tokenizer {
    fn is_delimiter(&self, c: char) -> bool {
        self.delimiters.contains(&c)
    }

    fn skip_delimiters(&self, from: usize) -> usize {
        let mut at = from;
        while !self.return_delimiters && at < self.text.len() && self.is_delimiter(self.text[at]) {
            at += 1;
        }
        at
    }

    fn scan_token(&self, from: usize) -> usize {
        let mut at = from;
        while at < self.text.len() && !self.is_delimiter(self.text[at]) {
            at += 1;
        }
        if self.return_delimiters && at == from && at < self.text.len() && self.is_delimiter(self.text[at]) {
            at += 1;
        }
        at
    }

    fn has_more_tokens(&mut self) -> bool {
        let next = self.skip_delimiters(self.position);
        self.next_start = Some(next);
        next < self.text.len()
    }

    fn next_token(&mut self) -> R<String> {
        self.position = match self.next_start {
            Some(next) if !self.delimiters_changed => next,
            _ => self.skip_delimiters(self.position),
        };
        self.delimiters_changed = false;
        self.next_start = None;
        if self.position >= self.text.len() {
            return Err(Exc::bare("NoSuchElementException"));
        }
        let start = self.position;
        self.position = self.scan_token(start);
        Ok(self.text[start..self.position].iter().collect())
    }

    fn count_tokens(&self) -> i32 {
        let mut count = 0;
        let mut at = self.position;
        while at < self.text.len() {
            at = self.skip_delimiters(at);
            if at >= self.text.len() {
                break;
            }
            at = self.scan_token(at);
            count += 1;
        }
        count
    }
}

/// A null string or delimiter set fails in Java with a message this engine
/// does not reproduce (a `NullPointerException` from inside the class), so
/// it says so.
fn text_arg<'v>(args: &'v [Val<'_>], i: usize, what: &str) -> R<&'v str> {
    match args.get(i) {
        Some(Val::Null) => Err(Exc::painless_error(format!("a null {what} for StringTokenizer is not supported by this engine"))),
        _ => arg_str(args, i, "StringTokenizer"),
    }
}

pub fn construct<'a>(args: &[Val<'a>]) -> R<Val<'a>> {
    let text = text_arg(args, 0, "string")?;
    let delimiters = if args.len() > 1 { text_arg(args, 1, "delimiter set")? } else { DEFAULT_DELIMITERS };
    let return_delimiters = match args.get(2) {
        None => false,
        Some(Val::Bool(b)) => *b,
        Some(other) => return Err(super::super::interp::jvm_cast_error(&other.class_name(), "java.lang.Boolean")),
    };
    Ok(Val::Obj(Rc::new(Obj::StringTokenizer(Box::new(RefCell::new(Tokenizer {
        text: text.chars().collect(),
        delimiters: delimiters.chars().collect(),
        return_delimiters,
        position: 0,
        next_start: None,
        delimiters_changed: false,
    }))))))
}

pub fn call<'a>(tokenizer: &RefCell<Tokenizer>, name: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    Some(match (name, args.len()) {
        ("hasMoreTokens" | "hasMoreElements", 0) => Ok(Val::Bool(tokenizer.borrow_mut().has_more_tokens())),
        ("nextToken" | "nextElement", 0) => tokenizer.borrow_mut().next_token().map(Val::string),
        ("nextToken", 1) => text_arg(args, 0, "delimiter set").and_then(|delimiters| {
            let mut t = tokenizer.borrow_mut();
            t.delimiters = delimiters.chars().collect();
            t.delimiters_changed = true;
            t.next_token().map(Val::string)
        }),
        ("countTokens", 0) => Ok(Val::Int(tokenizer.borrow().count_tokens())),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::super::script_result;
    use crate::value::Value;

    fn run(setup: &str, expr: &str) -> Result<Value, (String, String)> {
        script_result(setup, expr)
    }

    fn strings(items: &[&str]) -> Value {
        Value::List(items.iter().map(|s| Value::from(*s)).collect())
    }

    /// Tokens as the JDK's `StringTokenizer` cuts them: runs of delimiters
    /// skipped, delimiters as tokens of their own when asked for, a change
    /// of delimiters in `nextToken(String)` applying from the current
    /// position, and `countTokens` not moving it.
    #[test]
    fn tokens_are_cut_as_the_jdk_cuts_them() {
        let all = "List out = new ArrayList(); while (t.hasMoreTokens()) { out.add(t.nextToken()) }";
        let cases: &[(&str, Value)] = &[
            ("StringTokenizer t = new StringTokenizer('  a b\t\nc\u{c}\r  ');", strings(&["a", "b", "c"])),
            ("def t = new StringTokenizer('10.1.2.3', '.');", strings(&["10", "1", "2", "3"])),
            ("def t = new StringTokenizer('a,,b;c', ',;');", strings(&["a", "b", "c"])),
            ("def t = new StringTokenizer('a,,b', ',', true);", strings(&["a", ",", ",", "b"])),
            ("def t = new StringTokenizer('');", strings(&[])),
            ("def t = new StringTokenizer(',,', ',');", strings(&[])),
            ("def t = new StringTokenizer('a\u{1F600}b\u{1F600}', '\u{1F600}');", strings(&["a", "b"])),
        ];
        for (setup, want) in cases {
            assert_eq!(run(&format!("{setup} {all}"), "out"), Ok(want.clone()), "{setup}");
        }
        assert_eq!(run("def t = new StringTokenizer('a b c'); t.nextToken();", "t.countTokens()"), Ok(Value::Int(2)));
        assert_eq!(run("def t = new StringTokenizer('a b,c d'); t.nextToken();", "t.nextToken(',')"), Ok(Value::from(" b")));
        assert_eq!(run("def t = new StringTokenizer('a b,c d'); t.nextToken(); t.nextToken(',');", "t.nextToken()"), Ok(Value::from("c d")));
        // hasMoreTokens keeps where it found the token; a change of delimiters discards it.
        assert_eq!(run("def t = new StringTokenizer(',x,y', ','); t.hasMoreTokens();", "t.nextToken('y')"), Ok(Value::from(",x,")));
        assert_eq!(run("def t = new StringTokenizer(' a'); t.nextToken();", "t.nextToken()"), Err(("no_such_element_exception".into(), String::new())));
        assert_eq!(run("def t = new StringTokenizer('a');", "t instanceof StringTokenizer"), Ok(Value::Bool(true)));
        // Enumeration's methods, as the class implements them.
        let elements = "def t = new StringTokenizer('x y'); List out = new ArrayList(); while (t.hasMoreElements()) { out.add(t.nextElement()) }";
        assert_eq!(run(elements, "out"), Ok(strings(&["x", "y"])));
    }

    /// As the Nginx access pipeline reads an address's first two bytes.
    #[test]
    fn the_nginx_private_address_check_runs() {
        let check = "boolean isPrivate(def dot, def ip) { try { StringTokenizer tok = new StringTokenizer(ip, dot); \
                     int firstByte = Integer.parseInt(tok.nextToken()); int secondByte = Integer.parseInt(tok.nextToken()); \
                     return firstByte == 10 || (firstByte == 192 && secondByte == 168) || (firstByte == 172 && secondByte >= 16 && secondByte <= 31) || firstByte == 127 } \
                     catch (Exception e) { return false } }";
        for (ip, private) in [("10.0.0.1", true), ("172.20.1.1", true), ("67.43.156.13", false), ("::1", false), ("localhost", false)] {
            assert_eq!(run(check, &format!("isPrivate('.', '{ip}')")), Ok(Value::Bool(private)), "{ip}");
        }
    }
}
