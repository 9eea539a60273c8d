//! One shape of expanded grok expression answered without Oniguruma:
//! `^`, lazy any-character groups (`.*?`, the `DATA` pattern) between
//! literal texts, the last group just before `$`, as
//! `^%{DATA}@%{DATA:domain}$` expands to.
//!
//! On a text without line terminators Oniguruma's Ruby syntax reads that
//! shape plainly: `^` holds only at the start and `$` only at the end (both
//! are line anchors), and `.` matches every character. The search then
//! starts at 0 only; each lazy group tries its shortest length first, so it
//! ends where its literal first occurs. Taking that first occurrence never
//! loses a match: every later occurrence ends later and leaves less text for
//! the literals after it. The last group takes the rest of the text. So
//! each group ends at the first occurrence of its literal, and there is no
//! match when a literal is missing.
//!
//! Texts with a line terminator, or long enough that Oniguruma's retry
//! limits could cut its search short (an error rather than an answer), are
//! left to Oniguruma.

/// Most group numbers a split records (the expression's groups, from 1).
pub(super) const MAX_GROUPS: usize = 8;

/// Spans of the groups by number, as `Region::pos` gives them.
pub(super) type Spans = [Option<(usize, usize)>; MAX_GROUPS + 1];

/// Backtracking steps a search of the shape may take, at most, for it to
/// stay far below `RETRY_LIMIT_IN_MATCH` (each group can be tried at every
/// position, so a text of n characters and g groups takes at most (n+1)^g).
const MAX_STEPS: u64 = 1_000_000;

/// A recognised expression: what the text must start with, then each group
/// with the literal that ends it (empty for the last group).
#[derive(Debug)]
pub(super) struct LazySplit {
    prefix: String,
    groups: Vec<Group>,
}

#[derive(Debug)]
struct Group {
    /// The group's number when it is named (captures), else `None`.
    number: Option<usize>,
    literal: String,
}

/// Characters with a meaning of their own in the Ruby syntax; escaped, they
/// stand for themselves.
const META: &[char] = &['\\', '^', '$', '.', '|', '?', '*', '+', '(', ')', '[', ']', '{', '}'];

impl LazySplit {
    /// The split an expression is, when it has the shape.
    pub(super) fn recognise(expression: &str) -> Option<LazySplit> {
        let body = expression.strip_prefix('^')?.strip_suffix('$')?;
        let mut prefix = String::new();
        let mut groups: Vec<Group> = Vec::new();
        let mut named = 0;
        let mut rest = body;
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix("(?:.*?)") {
                groups.push(Group { number: None, literal: String::new() });
                rest = after;
            } else if let Some(after) = rest.strip_prefix("(?<") {
                let (_name, after) = after.split_once('>')?;
                rest = after.strip_prefix(".*?)")?;
                named += 1;
                groups.push(Group { number: Some(named), literal: String::new() });
            } else {
                let mut chars = rest.chars();
                let c = match chars.next()? {
                    '\\' => chars.next().filter(|c| META.contains(c))?,
                    c if META.contains(&c) => return None,
                    c => c,
                };
                match groups.last_mut() {
                    Some(group) => group.literal.push(c),
                    None => prefix.push(c),
                }
                rest = chars.as_str();
                continue;
            }
            // Two groups in a row are not the shape: the group before would end empty.
            if groups.len() > 1 && groups[groups.len() - 2].literal.is_empty() {
                return None;
            }
        }
        let last = groups.last()?;
        if !last.literal.is_empty() || named > MAX_GROUPS {
            return None;
        }
        Some(LazySplit { prefix, groups })
    }

    /// `Some(spans)` for a match, `Some(None)` for none, `None` when the
    /// text is left to Oniguruma.
    pub(super) fn find(&self, text: &str) -> Option<Option<Spans>> {
        if has_line_terminator(text) || !self.within_retry_limits(text.len()) {
            return None;
        }
        let Some(mut at) = text.starts_with(&self.prefix).then_some(self.prefix.len()) else {
            return Some(None);
        };
        let mut spans: Spans = [None; MAX_GROUPS + 1];
        for group in &self.groups {
            let end = if group.literal.is_empty() {
                text.len()
            } else {
                match find_literal(&text[at..], &group.literal) {
                    Some(offset) => at + offset,
                    None => return Some(None),
                }
            };
            if let Some(number) = group.number {
                spans[number] = Some((at, end));
            }
            at = end + group.literal.len();
        }
        Some(Some(spans))
    }

    /// Whether Oniguruma surely finishes this search within its retry
    /// limits (bytes bound characters from above).
    fn within_retry_limits(&self, len: usize) -> bool {
        let positions = len as u64 + 1;
        let mut steps: u64 = 1;
        for _ in &self.groups {
            steps = steps.saturating_mul(positions);
        }
        steps <= MAX_STEPS
    }
}

/// Whether `text` has one of Java's line terminators (`\n`, `\r`, U+0085,
/// U+2028, U+2029). Each is encoded starting with one of four bytes, so a
/// byte scan settles nearly every text; one with such a byte (`é` starts
/// with 0xC3, not 0xC2) is checked character by character.
fn has_line_terminator(text: &str) -> bool {
    text.bytes().any(|b| matches!(b, b'\n' | b'\r' | 0xC2 | 0xE2))
        && (text.bytes().any(|b| b == b'\n' || b == b'\r') || text.contains(['\u{85}', '\u{2028}', '\u{2029}']))
}

/// `haystack.find(literal)`. Most literals are one ASCII character (`@`,
/// `.`), which in UTF-8 stands only for itself: a byte search finds it
/// without setting up a substring search.
fn find_literal(haystack: &str, literal: &str) -> Option<usize> {
    match literal.as_bytes() {
        [byte] => haystack.bytes().position(|b| b == *byte),
        _ => haystack.find(literal),
    }
}
