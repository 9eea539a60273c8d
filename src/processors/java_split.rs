//! Java's `Pattern.split(input, limit)` (and so `String.split`) with a
//! limit, which `kv` uses; patterns are Java regular expressions compiled by
//! [`java_regex`](super::java_regex).

use crate::error::EsError;
use fancy_regex::Regex;

/// Compiles a Java regular expression, or says why it cannot.
pub fn compile(pattern: &str) -> Result<Regex, String> {
    super::java_regex::compile(pattern).map_err(|e| format!("invalid regular expression [{pattern}]: {e}"))
}

/// `Pattern.split`: no empty leading part for a zero-width match at the
/// start; `limit > 0` caps the number of parts; `limit == 0` drops trailing
/// empty parts.
pub fn split<'a>(re: &Regex, input: &'a str, limit: usize) -> Result<Vec<&'a str>, EsError> {
    let mut parts = Vec::new();
    let mut index = 0;
    for m in re.find_iter(input) {
        let m = m.map_err(|e| EsError::illegal_argument(format!("error splitting [{input}]: {e}")))?;
        if limit > 0 && parts.len() >= limit - 1 {
            break;
        }
        if index == 0 && m.start() == 0 && m.end() == 0 {
            continue;
        }
        parts.push(&input[index..m.start()]);
        index = m.end();
    }
    if index == 0 {
        return Ok(vec![input]);
    }
    parts.push(&input[index..]);
    if limit == 0 {
        while parts.len() > 1 && parts.last().is_some_and(|p| p.is_empty()) {
            parts.pop();
        }
        if parts.len() == 1 && parts[0].is_empty() {
            parts.clear();
        }
    }
    Ok(parts)
}

/// Java's `$` without MULTILINE: the end, or just before a final line terminator.
pub const JAVA_END: &str = r"(?=(?:\r\n|[\n\r\u{85}\u{2028}\u{2029}])?\z)";

#[cfg(test)]
mod tests {
    use super::*;

    fn s(pattern: &str, input: &str, limit: usize) -> Vec<String> {
        split(&compile(pattern).unwrap(), input, limit).unwrap().into_iter().map(String::from).collect()
    }

    #[test]
    fn java_split_semantics() {
        assert_eq!(s(" ", "a b  c  ", 0), ["a", "b", "", "c"]);
        assert_eq!(s("=", "a=b=c", 2), ["a", "b=c"]);
        assert_eq!(s("=", "abc", 2), ["abc"]);
        assert_eq!(s("=", "=x", 2), ["", "x"]);
        assert_eq!(s("", "abc", 0), ["a", "b", "c"], "no leading empty part for a zero-width match");
        assert_eq!(s(" ", "   ", 0), Vec::<String>::new());
        assert_eq!(s(" ", "", 0), [""]);
        assert_eq!(s(r"\s(?=\w+=)", "a=1 2 b=3", 0), ["a=1 2", "b=3"]);
    }
}
