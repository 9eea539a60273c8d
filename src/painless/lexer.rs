//! Painless tokens, following PainlessLexer.g4.
//!
//! Two details of the grammar shape this lexer: a `/` starts a regex literal
//! unless the previous token ends a value (identifier, number, `)`, `]`), and
//! after a `.` an integer is a list shortcut (`x.0`), never a decimal.
//! Strings know only two escapes, `\\` and the quote that delimits them.

use super::ast::Span;

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Ident(String),
    /// Integer literal text without suffix, radix, suffix char.
    Int { digits: String, radix: u32, suffix: Option<char> },
    /// Decimal literal text without suffix, suffix char.
    Decimal { text: String, suffix: Option<char> },
    /// Identifier or integer right after a dot (`.foo`, `.0`).
    DotName(String),
    Str(String),
    Regex { pattern: String, flags: String },
    Punct(&'static str),
    Eof,
}

#[derive(Debug, Clone)]
pub struct Token {
    pub tok: Tok,
    pub span: Span,
}

/// A lexing failure at `offset` with Painless's wording.
#[derive(Debug, Clone)]
pub struct LexError {
    pub offset: usize,
    pub message: String,
}

/// Longest operators first so that maximal munch works by trying in order.
const PUNCTS: &[&str] = &[
    ">>>=", "===", "!==", "==~", ">>>", "<<=", ">>=", "?.", "?:", "::", "->", "=~", "++", "--", "<<", ">>", "<=", ">=", "==",
    "!=", "&&", "||", "+=", "-=", "*=", "/=", "%=", "&=", "^=", "|=", "{", "}", "[", "]", "(", ")", ".", ",", ";", "!", "~",
    "*", "/", "%", "+", "-", "<", ">", "&", "^", "|", "?", ":", "=",
];

pub fn lex(src: &str) -> Result<Vec<Token>, LexError> {
    let bytes = src.as_bytes();
    let mut out: Vec<Token> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b' ' || c == b'\t' || c == b'\n' || c == b'\r' {
            i += 1;
            continue;
        }
        if c == b'/' && bytes.get(i + 1) == Some(&b'/') {
            while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                i += 1;
            }
            continue;
        }
        if c == b'/' && bytes.get(i + 1) == Some(&b'*') {
            match src[i + 2..].find("*/") {
                Some(end) => i = i + 2 + end + 2,
                None => return Err(LexError { offset: i, message: unexpected_char(src, i) }),
            }
            continue;
        }
        let start = i;
        let after_dot = matches!(out.last(), Some(Token { tok: Tok::Punct("." | "?."), .. }));
        if after_dot && (c.is_ascii_alphabetic() || c == b'_' || c.is_ascii_digit()) {
            let mut j = i + 1;
            if c.is_ascii_digit() {
                if c != b'0' {
                    while j < bytes.len() && bytes[j].is_ascii_digit() {
                        j += 1;
                    }
                }
            } else {
                while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
                    j += 1;
                }
            }
            out.push(Token { tok: Tok::DotName(src[i..j].to_string()), span: Span::new(i, j) });
            i = j;
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            let mut j = i + 1;
            while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
                j += 1;
            }
            out.push(Token { tok: Tok::Ident(src[i..j].to_string()), span: Span::new(i, j) });
            i = j;
            continue;
        }
        if c.is_ascii_digit() {
            let (tok, j) = lex_number(src, i)?;
            out.push(Token { tok, span: Span::new(start, j) });
            i = j;
            continue;
        }
        if c == b'"' || c == b'\'' {
            let mut text = String::new();
            let mut j = i + 1;
            loop {
                let Some(ch) = src[j..].chars().next() else {
                    return Err(LexError { offset: start, message: unexpected_char(src, start) });
                };
                if ch as u32 == c as u32 {
                    j += 1;
                    break;
                }
                if ch == '\\' {
                    let next = src[j + 1..].chars().next();
                    if next == Some('\\') || next == Some(c as char) {
                        text.push(next.unwrap());
                        j += 2;
                        continue;
                    }
                    return Err(LexError { offset: start, message: unexpected_char(src, start) });
                }
                text.push(ch);
                j += ch.len_utf8();
            }
            out.push(Token { tok: Tok::Str(text), span: Span::new(start, j) });
            i = j;
            continue;
        }
        if c == b'/' && slash_is_regex(out.last()) {
            let mut j = i + 1;
            let mut pattern = String::new();
            let mut closed = false;
            while j < bytes.len() {
                let ch = src[j..].chars().next().unwrap();
                if ch == '\n' {
                    break;
                }
                if ch == '/' {
                    closed = true;
                    j += 1;
                    break;
                }
                if ch == '\\' {
                    if let Some(n) = src[j + 1..].chars().next() {
                        if n != '\n' {
                            pattern.push('\\');
                            pattern.push(n);
                            j += 1 + n.len_utf8();
                            continue;
                        }
                    }
                }
                pattern.push(ch);
                j += ch.len_utf8();
            }
            if closed && !pattern.is_empty() {
                let fstart = j;
                while j < bytes.len() && b"cilmsUux".contains(&bytes[j]) {
                    j += 1;
                }
                let flags = src[fstart..j].to_string();
                out.push(Token { tok: Tok::Regex { pattern, flags }, span: Span::new(start, j) });
                i = j;
                continue;
            }
            // Not a valid regex literal: fall through to the division operator.
        }
        let rest = &src[i..];
        if let Some(p) = PUNCTS.iter().find(|p| rest.starts_with(**p)) {
            out.push(Token { tok: Tok::Punct(p), span: Span::new(i, i + p.len()) });
            i += p.len();
            continue;
        }
        return Err(LexError { offset: i, message: unexpected_char(src, i) });
    }
    out.push(Token { tok: Tok::Eof, span: Span::new(src.len(), src.len()) });
    Ok(out)
}

fn unexpected_char(src: &str, at: usize) -> String {
    let ch = src[at..].chars().next().unwrap_or(' ');
    format!("unexpected character [{ch}].")
}

/// A slash is a regex unless the previous token is one of the operand
/// endings PainlessLexer's SlashStrategy lists: `]`, `)`, a number, an
/// identifier (keywords are their own tokens there) or a dotted name.
fn slash_is_regex(prev: Option<&Token>) -> bool {
    match prev {
        None => true,
        Some(t) => match &t.tok {
            Tok::Ident(word) => is_keyword(word),
            Tok::Int { .. } | Tok::Decimal { .. } | Tok::DotName(_) | Tok::Punct(")" | "]") => false,
            _ => true,
        },
    }
}

fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "if" | "else" | "while" | "do" | "for" | "in" | "continue" | "break" | "return" | "new" | "try" | "catch" | "throw" | "this"
            | "instanceof" | "true" | "false" | "null" | "def" | "boolean" | "byte" | "short" | "char" | "int" | "long" | "float"
            | "double"
    )
}

fn lex_number(src: &str, i: usize) -> Result<(Tok, usize), LexError> {
    let b = src.as_bytes();
    let mut j = i;
    let err = |at: usize| LexError { offset: at, message: unexpected_char(src, at) };
    if b[j] == b'0' && matches!(b.get(j + 1), Some(b'x' | b'X')) {
        j += 2;
        let ds = j;
        while j < b.len() && b[j].is_ascii_hexdigit() {
            j += 1;
        }
        if ds == j {
            return Err(err(i));
        }
        let digits = src[ds..j].to_string();
        let suffix = if matches!(b.get(j), Some(b'l' | b'L')) {
            j += 1;
            Some('l')
        } else {
            None
        };
        return Ok((Tok::Int { digits, radix: 16, suffix }, j));
    }
    if b[j] == b'0' && matches!(b.get(j + 1), Some(b'0'..=b'7')) {
        j += 1;
        let ds = j;
        while j < b.len() && (b'0'..=b'7').contains(&b[j]) {
            j += 1;
        }
        let digits = src[ds..j].to_string();
        let suffix = if matches!(b.get(j), Some(b'l' | b'L')) {
            j += 1;
            Some('l')
        } else {
            None
        };
        return Ok((Tok::Int { digits, radix: 8, suffix }, j));
    }
    if b[j] == b'0' {
        j += 1;
    } else {
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
    }
    let mut decimal = false;
    if b.get(j) == Some(&b'.') && b.get(j + 1).is_some_and(|c| c.is_ascii_digit()) {
        decimal = true;
        j += 1;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
    }
    if matches!(b.get(j), Some(b'e' | b'E')) {
        let mut k = j + 1;
        if matches!(b.get(k), Some(b'+' | b'-')) {
            k += 1;
        }
        if b.get(k).is_some_and(|c| c.is_ascii_digit()) {
            decimal = true;
            while k < b.len() && b[k].is_ascii_digit() {
                k += 1;
            }
            j = k;
        }
    }
    let text = src[i..j].to_string();
    let suffix = match b.get(j) {
        Some(c @ (b'l' | b'L')) if !decimal => Some((*c as char).to_ascii_lowercase()),
        Some(c @ (b'f' | b'F' | b'd' | b'D')) => Some((*c as char).to_ascii_lowercase()),
        _ => None,
    };
    if suffix.is_some() {
        j += 1;
    }
    if b.get(j).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_') {
        return Err(err(j));
    }
    let tok = if decimal || matches!(suffix, Some('f' | 'd')) {
        Tok::Decimal { text, suffix }
    } else {
        Tok::Int { digits: text, radix: 10, suffix }
    };
    Ok((tok, j))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(src: &str) -> Vec<Tok> {
        lex(src).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn regex_versus_division() {
        assert!(matches!(toks("a / b")[1], Tok::Punct("/")));
        assert!(matches!(&toks("x =~ /ab+c/i")[2], Tok::Regex { pattern, flags } if pattern == "ab+c" && flags == "i"));
        assert!(matches!(&toks("(a) / 2")[3], Tok::Punct("/")));
    }

    #[test]
    fn dot_integer_is_a_shortcut() {
        let t = toks("x.0.1");
        assert_eq!(t[2], Tok::DotName("0".into()));
        assert_eq!(t[4], Tok::DotName("1".into()));
    }

    #[test]
    fn numbers_and_strings() {
        assert_eq!(toks("0x1Fl")[0], Tok::Int { digits: "1F".into(), radix: 16, suffix: Some('l') });
        assert_eq!(toks("017")[0], Tok::Int { digits: "17".into(), radix: 8, suffix: None });
        assert_eq!(toks("1.5e3f")[0], Tok::Decimal { text: "1.5e3".into(), suffix: Some('f') });
        assert_eq!(toks("2d")[0], Tok::Decimal { text: "2".into(), suffix: Some('d') });
        assert_eq!(toks(r#"'it\'s' "a\\b\"""#)[..2], [Tok::Str("it's".into()), Tok::Str("a\\b\"".into())]);
        assert!(lex(r#""a\nb""#).is_err());
        assert!(lex("/* never closed").is_err());
    }
}
