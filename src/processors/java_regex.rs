//! Java regular expressions (`java.util.regex`) on top of fancy-regex: the
//! pattern syntax `gsub` and `split` accept, and `Matcher.replaceAll`'s
//! replacement syntax (`$1`, `${name}`, `\$`).

use fancy_regex::{Captures, Regex};

/// Compiles a Java pattern. Java's `\d`, `\w` and `\s` are ASCII-only unless
/// `(?U)` is given, so they become ASCII classes; Java-only syntax (`\Q..\E`
/// quoting, the POSIX classes `\p{Alpha}` and friends, `\Z`, `\h`) is
/// rewritten into its equivalent.
pub fn compile(pattern: &str) -> Result<Regex, String> {
    Regex::new(&translate(pattern)).map_err(|e| e.to_string())
}

fn translate(pattern: &str) -> String {
    if pattern.contains("(?U)") {
        return pattern.replace("(?U)", "");
    }
    // Without the DOTALL and MULTILINE flags Java's `.` stops at every line
    // terminator and `$` also matches before a final one; Rust's stop at
    // `\n` only. Patterns that set flags are left to the engine.
    let plain = !sets_dot_or_line_flags(pattern);
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('Q') => {
                    // Everything up to \E (or the end) is literal.
                    let mut literal = String::new();
                    while let Some(c) = chars.next() {
                        if c == '\\' && chars.peek() == Some(&'E') {
                            chars.next();
                            break;
                        }
                        literal.push(c);
                    }
                    out.push_str(&fancy_regex::escape(&literal));
                }
                Some(p @ ('p' | 'P')) if chars.peek() == Some(&'{') => {
                    let mut name = String::new();
                    chars.next();
                    for c in chars.by_ref() {
                        if c == '}' {
                            break;
                        }
                        name.push(c);
                    }
                    match posix_class(&name) {
                        Some(set) if p == 'p' && in_class => out.push_str(set),
                        Some(set) if p == 'p' => out.push_str(&format!("[{set}]")),
                        Some(set) if !in_class => out.push_str(&format!("[^{set}]")),
                        // A negated class inside a class has no flat form here.
                        _ => out.push_str(&format!("\\{p}{{{name}}}")),
                    }
                }
                // Since JDK 19 \b and \B use the same ASCII word characters as \w.
                Some('b') if !in_class => out.push_str(concat!(
                    "(?:(?<=[a-zA-Z0-9_])(?![a-zA-Z0-9_])",
                    "|(?<![a-zA-Z0-9_])(?=[a-zA-Z0-9_]))"
                )),
                Some('B') if !in_class => out.push_str(concat!(
                    "(?:(?<=[a-zA-Z0-9_])(?=[a-zA-Z0-9_])",
                    "|(?<![a-zA-Z0-9_])(?![a-zA-Z0-9_]))"
                )),
                Some('Z') if !in_class => out.push_str("(?=\\n?\\z)"),
                Some('h') => out.push_str(if in_class {
                    HORIZONTAL
                } else {
                    "[ \\t\\xA0\\u{1680}\\u{180e}\\u{2000}-\\u{200a}\\u{202f}\\u{205f}\\u{3000}]"
                }),
                Some('d') => out.push_str(if in_class { "0-9" } else { "[0-9]" }),
                Some('D') => out.push_str(if in_class { "\\D" } else { "[^0-9]" }),
                Some('w') => out.push_str(if in_class {
                    "a-zA-Z0-9_"
                } else {
                    "[a-zA-Z0-9_]"
                }),
                Some('W') => out.push_str(if in_class { "\\W" } else { "[^a-zA-Z0-9_]" }),
                Some('s') => out.push_str(if in_class {
                    " \\t\\n\\x0B\\f\\r"
                } else {
                    "[ \\t\\n\\x0B\\f\\r]"
                }),
                Some('S') => out.push_str(if in_class {
                    "\\S"
                } else {
                    "[^ \\t\\n\\x0B\\f\\r]"
                }),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            },
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                // A `]` or `^]` right after the opening bracket is literal.
                if chars.peek() == Some(&'^') {
                    out.push(chars.next().unwrap_or('^'));
                }
                if chars.peek() == Some(&']') {
                    chars.next();
                    out.push_str("\\]");
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            '.' if plain && !in_class => out.push_str("[^\\n\\r\\u{85}\\u{2028}\\u{2029}]"),
            '$' if plain && !in_class => {
                out.push_str("(?=(?:\\r\\n|[\\n\\r\\u{85}\\u{2028}\\u{2029}])?\\z)")
            }
            c => out.push(c),
        }
    }
    out
}

/// Whether the pattern turns on DOTALL (`s`) or MULTILINE (`m`) anywhere,
/// as in `(?s)` or `(?im:...)`.
fn sets_dot_or_line_flags(pattern: &str) -> bool {
    pattern.match_indices("(?").any(|(i, _)| {
        let flags: String = pattern[i + 2..]
            .chars()
            .take_while(|c| c.is_ascii_alphabetic() || *c == '-')
            .collect();
        let on = flags.split('-').next().unwrap_or("");
        let closes = matches!(
            pattern[i + 2 + flags.len()..].chars().next(),
            Some(')' | ':')
        );
        closes && (on.contains('s') || on.contains('m'))
    })
}

const HORIZONTAL: &str =
    " \\t\\xA0\\u{1680}\\u{180e}\\u{2000}-\\u{200a}\\u{202f}\\u{205f}\\u{3000}";

/// Java's POSIX character classes (US-ASCII only), as class contents.
fn posix_class(name: &str) -> Option<&'static str> {
    Some(match name {
        "Lower" => "a-z",
        "Upper" => "A-Z",
        "ASCII" => "\\x00-\\x7F",
        "Alpha" => "a-zA-Z",
        "Digit" => "0-9",
        "Alnum" => "a-zA-Z0-9",
        "Punct" => "!-/:-@\\[-`{-~",
        "Graph" => "!-~",
        "Print" => " -~",
        "Blank" => " \\t",
        "Cntrl" => "\\x00-\\x1F\\x7F",
        "XDigit" => "0-9a-fA-F",
        "Space" => " \\t\\n\\x0B\\f\\r",
        _ => return None,
    })
}

/// `Matcher.appendReplacement`'s expansion of `replacement` for one match.
pub fn expand(replacement: &str, caps: &Captures, regex: &Regex) -> Result<String, String> {
    let mut out = String::new();
    let chars: Vec<char> = replacement.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => {
                i += 1;
                let c = chars.get(i).ok_or("character to be escaped is missing")?;
                out.push(*c);
                i += 1;
            }
            '$' => {
                i += 1;
                let Some(&next) = chars.get(i) else {
                    return Err("Illegal group reference: group index is missing".into());
                };
                if next == '{' {
                    let end = chars[i..].iter().position(|c| *c == '}').map(|p| p + i);
                    let name: String = chars[i + 1..end.unwrap_or(chars.len())].iter().collect();
                    let Some(end) = end else {
                        return Err("named capturing group is missing trailing '}'".into());
                    };
                    if name.is_empty() {
                        return Err("named capturing group has 0 length name".into());
                    }
                    if !regex.capture_names().flatten().any(|n| n == name) {
                        return Err(format!("No group with name {{{name}}}"));
                    }
                    out.push_str(caps.name(&name).map(|m| m.as_str()).unwrap_or(""));
                    i = end + 1;
                } else {
                    let first = next.to_digit(10).ok_or("Illegal group reference")? as usize;
                    let groups = caps.len() - 1;
                    if first > groups {
                        return Err(format!("No group {first}"));
                    }
                    let mut group = first;
                    i += 1;
                    // Java takes more digits while the number stays a valid group.
                    while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
                        let longer = group * 10 + d as usize;
                        if longer > groups {
                            break;
                        }
                        group = longer;
                        i += 1;
                    }
                    out.push_str(caps.get(group).map(|m| m.as_str()).unwrap_or(""));
                }
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(out)
}

/// `Matcher.replaceAll`.
pub fn replace_all(regex: &Regex, text: &str, replacement: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut last = 0;
    for caps in regex.captures_iter(text) {
        let caps = caps.map_err(|e| e.to_string())?;
        let m = caps.get(0).expect("group 0");
        out.push_str(&text[last..m.start()]);
        out.push_str(&expand(replacement, &caps, regex)?);
        last = m.end();
    }
    out.push_str(&text[last..]);
    Ok(out)
}

/// `String.split(regex, limit)` for limit 0 (trailing empty strings
/// dropped) and -1 (kept). A zero-width match at the start yields no
/// leading empty string.
pub fn split(regex: &Regex, text: &str, keep_trailing: bool) -> Result<Vec<String>, String> {
    let mut parts = Vec::new();
    let mut last = 0;
    for m in regex.find_iter(text) {
        let m = m.map_err(|e| e.to_string())?;
        if m.end() == 0 {
            continue;
        }
        parts.push(text[last..m.start()].to_string());
        last = m.end();
    }
    if parts.is_empty() {
        return Ok(vec![text.to_string()]);
    }
    parts.push(text[last..].to_string());
    if !keep_trailing {
        while parts.last().is_some_and(|p| p.is_empty()) {
            parts.pop();
        }
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_s(p: &str, t: &str, keep: bool) -> Vec<String> {
        split(&compile(p).unwrap(), t, keep).unwrap()
    }

    #[test]
    fn split_matches_java() {
        assert_eq!(split_s(",", "a,b,,", false), ["a", "b"]);
        assert_eq!(split_s(",", "a,b,,", true), ["a", "b", "", ""]);
        assert_eq!(split_s(",", ",a", false), ["", "a"]);
        assert_eq!(split_s(",", "", false), [""]);
        assert_eq!(split_s(",", ",,", false), Vec::<String>::new());
        assert_eq!(split_s("", "abc", false), ["a", "b", "c"]);
        assert_eq!(split_s("", "abc", true), ["a", "b", "c", ""]);
        assert_eq!(split_s("\\s+", "a  b\tc", false), ["a", "b", "c"]);
    }

    #[test]
    fn replacement_syntax_matches_java() {
        let r = compile("(\\w)(?<rest>\\w*)").unwrap();
        assert_eq!(
            replace_all(&r, "hello world", "$2$1").unwrap(),
            "elloh orldw"
        );
        assert_eq!(replace_all(&r, "ab", "${rest}\\$").unwrap(), "b$");
        assert_eq!(replace_all(&r, "ab", "$3").unwrap_err(), "No group 3");
        assert_eq!(replace_all(&r, "ab", "$12").unwrap(), "a2");
        // Java-only syntax.
        assert_eq!(
            replace_all(&compile("\\Q.*\\E").unwrap(), "a.*b", "-").unwrap(),
            "a-b"
        );
        assert_eq!(
            replace_all(&compile("\\p{Punct}+").unwrap(), "a!?b", "").unwrap(),
            "ab"
        );
        assert_eq!(
            replace_all(&compile("[\\p{Alpha}_]+").unwrap(), "ab_1", "x").unwrap(),
            "x1"
        );
        assert_eq!(
            replace_all(&compile("\\P{Digit}").unwrap(), "a1", "").unwrap(),
            "1"
        );
        assert_eq!(
            replace_all(&compile("x\\Z").unwrap(), "x\n", "y").unwrap(),
            "y\n"
        );
        assert_eq!(
            replace_all(&compile("\\h+").unwrap(), "a \tb", "_").unwrap(),
            "a_b"
        );
        // Java's `.` stops at \r too, and `$` matches before a final newline.
        assert_eq!(
            replace_all(&compile("a.").unwrap(), "a\rab", "-").unwrap(),
            "a\r-"
        );
        assert_eq!(
            replace_all(&compile("x$").unwrap(), "ax\n", "-").unwrap(),
            "a-\n"
        );
        assert_eq!(
            replace_all(&compile("(?s)a.").unwrap(), "a\r", "-").unwrap(),
            "-"
        );
        // Word boundaries are ASCII, like \w.
        assert_eq!(
            replace_all(&compile("\\bx").unwrap(), "éx x", "-").unwrap(),
            "é- -"
        );
        assert_eq!(
            replace_all(&compile("\\Bx").unwrap(), "éx ax x", "-").unwrap(),
            "éx a- x"
        );
        // Java's \d is ASCII only.
        assert_eq!(
            replace_all(&compile("\\d").unwrap(), "1٣", "x").unwrap(),
            "x٣"
        );
    }
}
