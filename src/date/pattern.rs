//! `DateTimeFormatterBuilder.appendPattern`: Java pattern letters to elements.

use super::engine::{Builder, Elem, Sign, ZoneMode};
use super::fields::{Field, TextStyle};

fn too_many(c: char) -> String {
    format!("Too many pattern letters: {c}")
}

fn text_style(count: usize, c: char) -> Result<TextStyle, String> {
    match count {
        1..=3 => Ok(TextStyle::Short),
        4 => Ok(TextStyle::Full),
        5 => Ok(TextStyle::Narrow),
        _ => Err(too_many(c)),
    }
}

/// Optional sections nested deeper than this are refused (no real pattern
/// nests more than a few).
const MAX_OPTIONAL_DEPTH: usize = 100;

/// Compiles a Java `DateTimeFormatter` pattern. The error is the message of
/// Java's `IllegalArgumentException`.
pub fn compile(pattern: &str) -> Result<Vec<Elem>, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut b = Builder::new();
    let mut pos = 0;
    let mut optional_depth = 0usize;
    while pos < chars.len() {
        let cur = chars[pos];
        if cur.is_ascii_alphabetic() {
            let start = pos;
            pos += 1;
            while pos < chars.len() && chars[pos] == cur {
                pos += 1;
            }
            let count = pos - start;
            if cur == 'p' {
                return Err("ingot does not support the pad modifier 'p' in date patterns".into());
            }
            letter(&mut b, cur, count)?;
            continue;
        }
        if cur == '\'' {
            let start = pos;
            pos += 1;
            while pos < chars.len() {
                if chars[pos] == '\'' {
                    if pos + 1 < chars.len() && chars[pos + 1] == '\'' {
                        pos += 1;
                    } else {
                        break;
                    }
                }
                pos += 1;
            }
            if pos >= chars.len() {
                return Err(format!("Pattern ends with an incomplete string literal: {pattern}"));
            }
            let inner: String = chars[start + 1..pos].iter().collect();
            if inner.is_empty() {
                b.lit("'");
            } else {
                b.lit(&inner.replace("''", "'"));
            }
            pos += 1;
            continue;
        }
        match cur {
            '[' => {
                // Each level nests the elements once more, and parsing,
                // printing and dropping them recurse per level.
                optional_depth += 1;
                if optional_depth > MAX_OPTIONAL_DEPTH {
                    return Err(format!(
                        "Pattern nests optional sections more than {MAX_OPTIONAL_DEPTH} levels deep"
                    ));
                }
                b.optional_start();
            }
            ']' => {
                if !b.optional_end() {
                    return Err("Pattern invalid as it contains ] without previous [".into());
                }
                optional_depth = optional_depth.saturating_sub(1);
            }
            '{' | '}' | '#' => return Err(format!("Pattern includes reserved character: '{cur}'")),
            _ => {
                b.append(Elem::Char(cur));
            }
        }
        pos += 1;
    }
    Ok(b.build())
}

fn letter(b: &mut Builder, cur: char, count: usize) -> Result<(), String> {
    match cur {
        'G' => {
            b.append(Elem::Text { field: Field::Era, style: text_style(count, cur)? });
        }
        'y' | 'u' | 'Y' => {
            let field = match cur {
                'y' => Field::YearOfEra,
                'u' => Field::Year,
                _ => Field::WeekBasedYear,
            };
            if count > 19 {
                return Err(format!("The minimum width must be from 1 to 19 inclusive but was {count}"));
            }
            if count == 2 {
                b.reduced(field);
            } else if count < 4 {
                b.value(field, count, 19, Sign::Normal);
            } else {
                b.value(field, count, 19, Sign::ExceedsPad);
            }
        }
        'Q' | 'q' | 'M' | 'L' => {
            let field = if cur == 'Q' || cur == 'q' { Field::QuarterOfYear } else { Field::MonthOfYear };
            match count {
                1 => {
                    b.value(field, 1, 19, Sign::Normal);
                }
                2 => {
                    b.value(field, 2, 2, Sign::NotNegative);
                }
                3..=5 => {
                    b.append(Elem::Text { field, style: text_style(count, cur)? });
                }
                _ => return Err(too_many(cur)),
            }
        }
        'E' => {
            b.append(Elem::Text { field: Field::DayOfWeek, style: text_style(count, cur)? });
        }
        'e' | 'c' => {
            if cur == 'c' && count == 2 {
                return Err("Invalid pattern \"cc\"".into());
            }
            match count {
                1 => {
                    // WeekBasedFieldPrinterParser: one or two digits
                    b.value(Field::LocalDayOfWeek, 1, 2, Sign::NotNegative);
                }
                2 => {
                    b.value(Field::LocalDayOfWeek, 2, 2, Sign::NotNegative);
                }
                3..=5 => {
                    b.append(Elem::Text { field: Field::DayOfWeek, style: text_style(count, cur)? });
                }
                _ => return Err(too_many(cur)),
            }
        }
        'a' => {
            if count == 1 {
                b.append(Elem::Text { field: Field::AmPmOfDay, style: TextStyle::Short });
            } else {
                return Err(too_many(cur));
            }
        }
        'w' => {
            if count > 2 {
                return Err(too_many(cur));
            }
            b.value(Field::WeekOfWeekBasedYear, count, 2, Sign::NotNegative);
        }
        'D' => match count {
            1 => {
                b.value(Field::DayOfYear, 1, 19, Sign::Normal);
            }
            2 => {
                b.value(Field::DayOfYear, 2, 3, Sign::NotNegative);
            }
            3 => {
                b.value(Field::DayOfYear, 3, 3, Sign::NotNegative);
            }
            _ => return Err(too_many(cur)),
        },
        'd' | 'h' | 'H' | 'k' | 'K' | 'm' | 's' => {
            let field = match cur {
                'd' => Field::DayOfMonth,
                'h' => Field::ClockHourOfAmPm,
                'H' => Field::HourOfDay,
                'k' => Field::ClockHourOfDay,
                'K' => Field::HourOfAmPm,
                'm' => Field::MinuteOfHour,
                _ => Field::SecondOfMinute,
            };
            match count {
                1 => {
                    b.value(field, 1, 19, Sign::Normal);
                }
                2 => {
                    b.value(field, 2, 2, Sign::NotNegative);
                }
                _ => return Err(too_many(cur)),
            }
        }
        'n' | 'N' | 'A' => {
            let field = match cur {
                'n' => Field::NanoOfSecond,
                'N' => Field::NanoOfDay,
                _ => Field::MilliOfDay,
            };
            if count == 1 {
                b.value(field, 1, 19, Sign::Normal);
            } else if count <= 19 {
                b.value(field, count, count, Sign::NotNegative);
            } else {
                return Err(format!("The width must be from 1 to 19 inclusive but was {count}"));
            }
        }
        'S' => {
            if count > 9 {
                return Err(format!("Minimum width must be from 0 to 9 inclusive but was {count}"));
            }
            b.fraction(count, count, false);
        }
        'V' => {
            if count != 2 {
                return Err("Pattern letter count must be 2: V".into());
            }
            b.append(Elem::Zone(ZoneMode::Id));
        }
        'z' => match count {
            1..=3 => {
                b.append(Elem::Zone(ZoneMode::ShortText));
            }
            4 => return Err("ingot does not support full time-zone names (zzzz) in date patterns".into()),
            _ => return Err(too_many(cur)),
        },
        'v' => return Err("ingot does not support generic time-zone names (v) in date patterns".into()),
        'O' => match count {
            1 => {
                b.append(Elem::LocalizedOffset { full: false });
            }
            4 => {
                b.append(Elem::LocalizedOffset { full: true });
            }
            _ => return Err("Pattern letter count must be 1 or 4: O".into()),
        },
        'X' | 'x' => {
            if count > 5 {
                return Err(too_many(cur));
            }
            // +HHmm, +HHMM, +HH:MM, +HHMMss, +HH:MM:ss
            let kind = [0, 1, 3, 4, 5, 6][count];
            let no_offset = if cur == 'X' { "Z" } else { ["", "+00", "+0000", "+00:00", "+0000", "+00:00"][count] };
            b.append(Elem::Offset { kind, no_offset: no_offset.to_string() });
        }
        'Z' => match count {
            1..=3 => {
                b.append(Elem::Offset { kind: 3, no_offset: "+0000".into() });
            }
            4 => {
                b.append(Elem::LocalizedOffset { full: true });
            }
            5 => {
                b.append(Elem::Offset { kind: 6, no_offset: "Z".into() });
            }
            _ => return Err(too_many(cur)),
        },
        'W' | 'F' | 'g' | 'B' => {
            return Err(format!("ingot does not support the pattern letter '{cur}' in date patterns"));
        }
        _ => return Err(format!("Unknown pattern letter: {cur}")),
    }
    Ok(())
}

#[cfg(test)]
mod depth_tests {
    /// `[[[[...yyyy]]]]` 50,000 deep is an error, not a stack overflow.
    #[test]
    fn deeply_nested_optional_sections_are_refused() {
        let deep = format!("{}yyyy{}", "[".repeat(50_000), "]".repeat(50_000));
        let e = super::compile(&deep).unwrap_err();
        assert_eq!(e, "Pattern nests optional sections more than 100 levels deep");
        let ok = format!("{}yyyy{}", "[".repeat(100), "]".repeat(100));
        assert!(super::compile(&ok).is_ok());
        // Sequential sections do not add up.
        assert!(super::compile(&"[yyyy]".repeat(500)).is_ok());
    }
}
