//! Version constraints in the Masterminds/semver syntax packages use for
//! `conditions.kibana.version` (`^8.13.0 || ^9.0.0`, `>=8.12.0`, `~7.17.0`).

use super::validate::Version;

#[derive(Debug, Clone, PartialEq)]
enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

/// Alternatives (`||`) of conjunctions of comparisons.
#[derive(Debug, Clone, PartialEq)]
pub struct Constraint {
    alternatives: Vec<Vec<(Op, Version)>>,
}

impl Constraint {
    pub fn parse(text: &str) -> Option<Constraint> {
        let mut alternatives = Vec::new();
        for alt in text.split("||") {
            let mut all = Vec::new();
            for part in alt.split([',', ' ']).filter(|p| !p.trim().is_empty()) {
                all.extend(parse_one(part.trim())?);
            }
            if all.is_empty() {
                return None;
            }
            alternatives.push(all);
        }
        Some(Constraint { alternatives })
    }

    pub fn matches(&self, v: Version) -> bool {
        self.alternatives.iter().any(|all| {
            all.iter().all(|(op, b)| match op {
                Op::Eq => v == *b,
                Op::Ne => v != *b,
                Op::Gt => v > *b,
                Op::Ge => v >= *b,
                Op::Lt => v < *b,
                Op::Le => v <= *b,
            })
        })
    }
}

/// A version with wildcards (`8`, `8.x`, `8.12.*`): the version and how many parts were given.
fn partial(text: &str) -> Option<(Version, usize)> {
    let core = text.trim_start_matches('v').split(['-', '+']).next()?;
    let mut parts = Vec::new();
    for p in core.split('.') {
        if matches!(p, "x" | "X" | "*") {
            break;
        }
        parts.push(p.parse::<u64>().ok()?);
    }
    let get = |i: usize| parts.get(i).copied().unwrap_or(0);
    Some((Version(get(0), get(1), get(2)), parts.len()))
}

fn next(v: Version, given: usize) -> Version {
    match given {
        0 => Version(u64::MAX, 0, 0),
        1 => Version(v.0 + 1, 0, 0),
        2 => Version(v.0, v.1 + 1, 0),
        _ => Version(v.0, v.1, v.2 + 1),
    }
}

fn parse_one(part: &str) -> Option<Vec<(Op, Version)>> {
    let (op, rest) = ["^", "~>", "~", ">=", "<=", "!=", ">", "<", "=="]
        .iter()
        .find_map(|op| part.strip_prefix(op).map(|r| (*op, r)))
        .unwrap_or(("=", part));
    let (v, given) = partial(rest.trim())?;
    Some(match op {
        "^" => {
            let upper = if v.0 > 0 || given <= 1 {
                Version(v.0 + 1, 0, 0)
            } else if v.1 > 0 || given == 2 {
                Version(0, v.1 + 1, 0)
            } else {
                Version(0, 0, v.2 + 1)
            };
            vec![(Op::Ge, v), (Op::Lt, upper)]
        }
        "~" | "~>" => vec![
            (Op::Ge, v),
            (Op::Lt, if given <= 1 { next(v, 1) } else { next(v, 2) }),
        ],
        ">=" => vec![(Op::Ge, v)],
        "<=" if given < 3 => vec![(Op::Lt, next(v, given))],
        "<=" => vec![(Op::Le, v)],
        ">" if given < 3 => vec![(Op::Ge, next(v, given))],
        ">" => vec![(Op::Gt, v)],
        "<" => vec![(Op::Lt, v)],
        "!=" => vec![(Op::Ne, v)],
        _ if given < 3 => vec![(Op::Ge, v), (Op::Lt, next(v, given))],
        _ => vec![(Op::Eq, v)],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carets_tildes_and_alternatives() {
        let c = Constraint::parse("^8.13.0 || ^9.0.0").unwrap();
        assert!(c.matches(Version(8, 14, 2)));
        assert!(c.matches(Version(9, 1, 0)));
        assert!(!c.matches(Version(8, 12, 2)));
        let c = Constraint::parse("^8.12.0").unwrap();
        assert!(c.matches(Version(8, 12, 1)));
        let c = Constraint::parse(">=8.12.0").unwrap();
        assert!(c.matches(Version(8, 12, 0)));
        let c = Constraint::parse("~7.17.0").unwrap();
        assert!(c.matches(Version(7, 17, 9)) && !c.matches(Version(7, 18, 0)));
    }
}
