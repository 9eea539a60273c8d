//! `DateTimeFormatter.RFC_1123_DATE_TIME` (java.time.format.txt whitelists
//! the constant), which the modsecurity audit-log pipeline parses an HTTP
//! `Date` header with.
//!
//! The JDK builds it as `[EEE, ]d MMM yyyy HH:mm[:ss] +HHMM|GMT`, English
//! names, case-insensitive and lenient, resolved SMART. Lenient means more
//! than the pattern shows: numbers take 1 to 9 digits (`003`, `08`), the day
//! of month and the name fields take a sign, a name that matches no English
//! text is read as a number (`3 6 2008` is June), and the offset is
//! `+HH[mm[ss]]` with no colon. Resolution checks month, day of month,
//! minute, hour and second in that order, turns `24:00:00` into the next
//! day's midnight, clamps a day of month past the month's end (`31 Jun` is
//! 30 June), checks the day of week against the date, and last the offset's
//! range. Every step here follows what `java.time` in JDK 17 was observed
//! to do (a Java program run against these inputs), messages included.

use super::{date_string, Exc, R};
use chrono::{Datelike, Duration as Delta, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

// RFC 1123's names are the English short ones whatever the locale, as the
// JDK's formatter fixes them.
use crate::date::fields::{DAYS_SHORT as DAYS, MONTHS_SHORT as MONTHS};

/// Lenient parsing reads at most this many digits of a number.
const LENIENT_MAX_DIGITS: usize = 9;

/// Why a parse stopped: a position the text did not fit (in chars), text
/// left over, or a value the JDK refuses while parsing or resolving.
enum Stop {
    At(usize),
    Unparsed(usize),
    Invalid(String),
}

/// Parses `text` into the date, the time and the offset in seconds, as
/// `ZonedDateTime.parse(text, RFC_1123_DATE_TIME)` reads them.
pub(super) fn parse(text: &str) -> R<(NaiveDate, NaiveTime, i32)> {
    let chars: Vec<char> = text.chars().collect();
    read(&chars).map_err(|stop| {
        let shown = shown_text(text);
        let utf16 = |at: usize| chars[..at.min(chars.len())].iter().map(|c| c.len_utf16()).sum::<usize>();
        let message = match stop {
            Stop::At(at) => format!("Text '{shown}' could not be parsed at index {}", utf16(at)),
            Stop::Unparsed(at) => format!("Text '{shown}' could not be parsed, unparsed text found at index {}", utf16(at)),
            Stop::Invalid(why) => format!("Text '{shown}' could not be parsed: {why}"),
        };
        Exc::new("DateTimeParseException", message)
    })
}

/// The text as `DateTimeFormatter` quotes it in its errors: cut to 64
/// UTF-16 units and marked with `...` when longer.
fn shown_text(text: &str) -> String {
    if text.encode_utf16().count() <= 64 {
        return text.to_string();
    }
    let mut units = 0;
    let mut out: String = text
        .chars()
        .take_while(|c| {
            units += c.len_utf16();
            units <= 64
        })
        .collect();
    out.push_str("...");
    out
}

fn read(c: &[char]) -> Result<(NaiveDate, NaiveTime, i32), Stop> {
    // The optional `EEE, ` section: dropped whole when any part misses.
    let mut day_of_week = None;
    let mut at = 0;
    if let Ok((after, dow)) = name_or_number(c, 0, &DAYS) {
        if let Ok(after) = literal(c, after, ',').and_then(|a| literal(c, a, ' ')) {
            day_of_week = Some(dow);
            at = after;
        }
    }
    let (at, day) = number(c, at, true)?;
    let at = literal(c, at, ' ')?;
    let (at, month) = name_or_number(c, at, &MONTHS)?;
    let at = literal(c, at, ' ')?;
    // Fixed-width fields (yyyy, HH, mm, ss) refuse a sign even leniently.
    let (at, year) = number(c, at, false)?;
    let at = literal(c, at, ' ')?;
    let (at, hour) = number(c, at, false)?;
    let at = literal(c, at, ':')?;
    let (mut at, minute) = number(c, at, false)?;
    let mut second = 0;
    if let Ok((after, s)) = literal(c, at, ':').and_then(|a| number(c, a, false)) {
        second = s;
        at = after;
    }
    let at = literal(c, at, ' ')?;
    let (at, offset) = offset(c, at)?;
    if at < c.len() {
        return Err(Stop::Unparsed(at));
    }
    resolve(day_of_week, day, month, year, hour, minute, second, offset).map_err(Stop::Invalid)
}

#[allow(clippy::too_many_arguments)]
fn resolve(day_of_week: Option<i64>, day: i64, month: i64, year: i64, hour: i64, minute: i64, second: i64, offset: i64) -> Result<(NaiveDate, NaiveTime, i32), String> {
    if !(1..=12).contains(&month) {
        return Err(format!("Invalid value for MonthOfYear (valid values 1 - 12): {month}"));
    }
    if !(1..=31).contains(&day) {
        return Err(format!("Invalid value for DayOfMonth (valid values 1 - 28/31): {day}"));
    }
    let out_of_range = || format!("Year {year} is beyond the dates ingot supports");
    let year = i32::try_from(year).map_err(|_| out_of_range())?;
    let first = NaiveDate::from_ymd_opt(year, month as u32, 1).ok_or_else(out_of_range)?;
    let next = if month == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1) } else { NaiveDate::from_ymd_opt(year, month as u32 + 1, 1) };
    let month_length = next.map_or(31, |n| (n - first).num_days());
    let mut date = first + Delta::days(day.min(month_length) - 1);
    if !(0..=59).contains(&minute) {
        return Err(format!("Invalid value for MinuteOfHour (valid values 0 - 59): {minute}"));
    }
    let next_day = hour == 24 && minute == 0 && second == 0;
    if !next_day {
        if !(0..=23).contains(&hour) {
            return Err(format!("Invalid value for HourOfDay (valid values 0 - 23): {hour}"));
        }
        if !(0..=59).contains(&second) {
            return Err(format!("Invalid value for SecondOfMinute (valid values 0 - 59): {second}"));
        }
    }
    if let Some(dow) = day_of_week {
        let derived = date.weekday().number_from_monday() as i64;
        if derived != dow {
            return Err(format!("Conflict found: Field DayOfWeek {derived} differs from DayOfWeek {dow} derived from {}", date_string(&date)));
        }
    }
    let time = if next_day {
        date = date.succ_opt().ok_or_else(out_of_range)?;
        NaiveTime::MIN
    } else {
        NaiveTime::from_hms_opt(hour as u32, minute as u32, second as u32).expect("checked above")
    };
    if offset.abs() > 18 * 3600 {
        return Err("Zone offset not in valid range: -18:00 to +18:00".into());
    }
    Ok((date, time, offset as i32))
}

/// Java's case-insensitive `charEquals`: equal, or equal in upper or in
/// lower case (one-to-one mappings only, as `Character.toUpperCase(char)`).
fn same_letter(a: char, b: char) -> bool {
    fn one(mut it: impl Iterator<Item = char>, c: char) -> char {
        match (it.next(), it.next()) {
            (Some(x), None) => x,
            _ => c,
        }
    }
    a == b || one(a.to_uppercase(), a) == one(b.to_uppercase(), b) || one(a.to_lowercase(), a) == one(b.to_lowercase(), b)
}

fn literal(c: &[char], at: usize, want: char) -> Result<usize, Stop> {
    match c.get(at) {
        Some(&got) if same_letter(got, want) => Ok(at + 1),
        _ => Err(Stop::At(at)),
    }
}

fn matches_text(c: &[char], at: usize, text: &str) -> bool {
    let n = text.chars().count();
    at + n <= c.len() && c[at..at + n].iter().zip(text.chars()).all(|(&a, b)| same_letter(a, b))
}

/// A name (case-insensitive) numbered from 1, or, leniently, a number.
fn name_or_number(c: &[char], at: usize, names: &[&str]) -> Result<(usize, i64), Stop> {
    match names.iter().position(|n| matches_text(c, at, n)) {
        Some(i) => Ok((at + names[i].len(), i as i64 + 1)),
        None => number(c, at, true),
    }
}

/// A lenient number: an optional sign (where the field's sign style allows
/// one), then 1 to 9 ASCII digits. A miss is located after the sign.
fn number(c: &[char], at: usize, signed: bool) -> Result<(usize, i64), Stop> {
    let mut start = at;
    let mut negative = false;
    match c.get(at) {
        None => return Err(Stop::At(at)),
        Some('+') | Some('-') if !signed => return Err(Stop::At(at)),
        Some(&s @ ('+' | '-')) => {
            negative = s == '-';
            start += 1;
        }
        _ => {}
    }
    let digits = c[start.min(c.len())..].iter().take(LENIENT_MAX_DIGITS).take_while(|d| d.is_ascii_digit()).count();
    if digits == 0 {
        return Err(Stop::At(start));
    }
    let value = c[start..start + digits].iter().fold(0i64, |v, d| v * 10 + d.to_digit(10).unwrap() as i64);
    Ok((start + digits, if negative { -value } else { value }))
}

/// The offset as `appendOffset("+HHMM", "GMT")` parses leniently: `GMT`, or
/// a sign and two-digit hours, minutes and seconds, each part read only
/// while it is two digits of at most 59.
fn offset(c: &[char], at: usize) -> Result<(usize, i64), Stop> {
    if at >= c.len() {
        return Err(Stop::At(at));
    }
    if matches_text(c, at, "GMT") {
        return Ok((at + 3, 0));
    }
    let sign = match c[at] {
        '+' => 1,
        '-' => -1,
        _ => return Err(Stop::At(at)),
    };
    let pair = |i: usize| -> Option<i64> {
        let (a, b) = (c.get(i)?.to_digit(10)?, c.get(i + 1)?.to_digit(10)?);
        let v = (a * 10 + b) as i64;
        (v <= 59 && c[i].is_ascii_digit() && c[i + 1].is_ascii_digit()).then_some(v)
    };
    let Some(hours) = pair(at + 1) else { return Err(Stop::At(at)) };
    let mut end = at + 3;
    let (mut minutes, mut seconds) = (0, 0);
    if let Some(m) = pair(end) {
        minutes = m;
        end += 2;
        if let Some(s) = pair(end) {
            seconds = s;
            end += 2;
        }
    }
    if hours > 23 {
        return Err(Stop::Invalid("Value out of range: Hour[0-23], Minute[0-59], Second[0-59]".into()));
    }
    Ok((end, sign * (hours * 3600 + minutes * 60 + seconds)))
}

/// Formats a local date-time at an offset: `Tue, 3 Jun 2008 11:05:30 GMT`.
/// Seconds always print; the offset prints hours and minutes only, `GMT`
/// when those are zero.
pub(super) fn format(local: &NaiveDateTime, offset: i32) -> R<String> {
    let year = local.year();
    if year > 9999 {
        return Err(Exc::new("DateTimeException", format!("Field Year cannot be printed as the value {year} exceeds the maximum print width of 4")));
    }
    if year < 0 {
        return Err(Exc::new("DateTimeException", format!("Field Year cannot be printed as the value {year} cannot be negative according to the SignStyle")));
    }
    let abs = offset.unsigned_abs();
    let (hours, minutes) = (abs / 3600 % 100, abs / 60 % 60);
    let zone = if hours + minutes == 0 { "GMT".to_string() } else { format!("{}{hours:02}{minutes:02}", if offset < 0 { '-' } else { '+' }) };
    Ok(format!(
        "{}, {} {} {year:04} {:02}:{:02}:{:02} {zone}",
        DAYS[local.weekday().num_days_from_monday() as usize],
        local.day(),
        MONTHS[local.month0() as usize],
        local.hour(),
        local.minute(),
        local.second(),
    ))
}

#[cfg(test)]
mod tests {
    use super::super::super::super::script_outcome;

    fn parsed(text: &str) -> String {
        script_outcome(&format!("ZonedDateTime.parse('{text}', DateTimeFormatter.RFC_1123_DATE_TIME).toString()"))
    }

    /// What JDK 17's `ZonedDateTime.parse(text, RFC_1123_DATE_TIME)` gave
    /// for each text (observed with a Java program).
    #[test]
    fn parses_as_the_jdk_parses() {
        let ok: &[(&str, &str)] = &[
            ("Tue, 3 Jun 2008 11:05:30 GMT", "2008-06-03T11:05:30Z"),
            ("Tue, 03 Jun 2008 11:05:30 GMT", "2008-06-03T11:05:30Z"),
            ("3 Jun 2008 11:05:30 GMT", "2008-06-03T11:05:30Z"),
            ("Tue, 3 Jun 2008 11:05 GMT", "2008-06-03T11:05Z"),
            ("TUE, 3 JUN 2008 11:05:30 gmt", "2008-06-03T11:05:30Z"),
            ("tue, 3 jun 2008 11:05:30 +0200", "2008-06-03T11:05:30+02:00"),
            ("Tue, 3 Jun 2008 11:05:30 -0930", "2008-06-03T11:05:30-09:30"),
            ("Tue, 3 Jun 2008 11:05:30 +02", "2008-06-03T11:05:30+02:00"),
            ("Tue, 3 Jun 2008 11:05:30 +020030", "2008-06-03T11:05:30+02:00:30"),
            ("Tue, 3 Jun 2008 11:05:30 -0000", "2008-06-03T11:05:30Z"),
            ("Tue, 3 Jun 08 11:05:30 GMT", "0008-06-03T11:05:30Z"),
            ("Tue, 3 Jun 2008 1:05:30 GMT", "2008-06-03T01:05:30Z"),
            ("Tue, 3 Jun 2008 11:5:3 GMT", "2008-06-03T11:05:03Z"),
            ("Tue, 003 Jun 2008 011:05:30 GMT", "2008-06-03T11:05:30Z"),
            ("Tue, 3 Jun 2008 24:00:00 GMT", "2008-06-04T00:00Z"),
            ("Tue, +3 +6 2008 11:05:30 GMT", "2008-06-03T11:05:30Z"),
            ("2, 3 Jun 2008 11:05:30 GMT", "2008-06-03T11:05:30Z"),
            ("\u{17f}at, 7 Jun 2008 11:05:30 GMT", "2008-06-07T11:05:30Z"),
            ("Fri, 29 Feb 2008 23:59:59 +1800", "2008-02-29T23:59:59+18:00"),
        ];
        for (text, want) in ok {
            assert_eq!(parsed(text), format!("\"{want}\""), "{text}");
        }
        let could_not = |text: &str, why: &str| format!("date_time_parse_exception: Text '{text}' could not be parsed{why}");
        let bad: &[(&str, &str)] = &[
            ("Tue, 3 Jun 2008 11:05:30 +02:00", ", unparsed text found at index 28"),
            ("Tue, 3 Jun 2008 11:05:30 +2", " at index 25"),
            ("Tue, 3 Jun 2008 11:05:30 UTC", " at index 25"),
            ("Tue, 3 Jun 2008 11:05:30 +0260", ", unparsed text found at index 28"),
            ("Tue, 3 Jun 2008 11:05:30 +6000", " at index 25"),
            ("Tue, 3 Jun 2008 11:05:30 +59", ": Value out of range: Hour[0-23], Minute[0-59], Second[0-59]"),
            ("Tue, 3 Jun 2008 11:05:30 +1900", ": Zone offset not in valid range: -18:00 to +18:00"),
            ("Wed, 3 Jun 2008 11:05:30 GMT", ": Conflict found: Field DayOfWeek 2 differs from DayOfWeek 3 derived from 2008-06-03"),
            ("Tue, 31 Jun 2008 11:05:30 GMT", ": Conflict found: Field DayOfWeek 1 differs from DayOfWeek 2 derived from 2008-06-30"),
            ("Tue, 3 Jun 20080 11:05:30 GMT", ": Conflict found: Field DayOfWeek 1 differs from DayOfWeek 2 derived from +20080-06-03"),
            ("9, 3 Jun 2008 11:05:30 GMT", ": Conflict found: Field DayOfWeek 2 differs from DayOfWeek 9 derived from 2008-06-03"),
            ("Tuesday, 3 Jun 2008 11:05:30 GMT", " at index 0"),
            ("Tue,  3 Jun 2008 11:05:30 GMT", " at index 5"),
            ("Tue, + Jun 2008 11:05:30 GMT", " at index 6"),
            ("Tue, 3 June 2008 11:05:30 GMT", " at index 10"),
            ("Tue, 3 Jun +2008 11:05:30 GMT", " at index 11"),
            ("Tue, 3 Jun 1234567890 11:05:30 GMT", " at index 20"),
            ("Tue, 3 Jun 2008 11:05: GMT", " at index 21"),
            ("Tue, 3 Jun 2008 11:05:30.5 GMT", " at index 24"),
            ("Tue, 3 Jun 2008 11:05:30 GMT trailing", ", unparsed text found at index 28"),
            ("", " at index 0"),
            ("Tue, -3 Jun 2008 11:05:30 GMT", ": Invalid value for DayOfMonth (valid values 1 - 28/31): -3"),
            ("Tue, 32 13 2008 25:60:61 +1900", ": Invalid value for MonthOfYear (valid values 1 - 12): 13"),
            ("Wed, 3 Jun 2008 25:60:61 +1900", ": Invalid value for MinuteOfHour (valid values 0 - 59): 60"),
            ("Wed, 3 Jun 2008 25:00:61 +1900", ": Invalid value for HourOfDay (valid values 0 - 23): 25"),
            ("Wed, 3 Jun 2008 23:00:61 +1900", ": Invalid value for SecondOfMinute (valid values 0 - 59): 61"),
            ("Tue, 3 Jun 2008 24:01:00 GMT", ": Invalid value for HourOfDay (valid values 0 - 23): 24"),
        ];
        for (text, why) in bad {
            assert_eq!(parsed(text), could_not(text, why), "{text}");
        }
        let long = "Thursday, 3 Jun 2008 11:05:30 GMT and some long trailing text to pass sixty-four characters";
        assert_eq!(parsed(long), could_not("Thursday, 3 Jun 2008 11:05:30 GMT and some long trailing text to...", " at index 0"));
    }

    /// `LocalDateTime.parse` and `LocalDate.parse` keep the fields and drop
    /// the offset; the next-day midnight moves the date too.
    #[test]
    fn local_parses_drop_the_offset() {
        let run = |src: &str| script_outcome(src);
        assert_eq!(run("LocalDateTime.parse('Tue, 3 Jun 2008 11:05 +0200', DateTimeFormatter.RFC_1123_DATE_TIME).toString()"), "\"2008-06-03T11:05\"");
        assert_eq!(run("LocalDate.parse('Tue, 3 Jun 2008 24:00:00 GMT', DateTimeFormatter.RFC_1123_DATE_TIME).toString()"), "\"2008-06-04\"");
    }

    /// What JDK 17's `RFC_1123_DATE_TIME.format` printed for each value.
    #[test]
    fn formats_as_the_jdk_formats() {
        let f = |value: &str| script_outcome(&format!("DateTimeFormatter.RFC_1123_DATE_TIME.format({value})"));
        assert_eq!(f("ZonedDateTime.of(2008, 6, 3, 11, 5, 0, 123, ZoneId.of('Europe/Paris'))"), "\"Tue, 3 Jun 2008 11:05:00 +0200\"");
        assert_eq!(f("ZonedDateTime.of(2008, 1, 13, 1, 5, 7, 0, ZoneOffset.of('-05:30:15'))"), "\"Sun, 13 Jan 2008 01:05:07 -0530\"");
        assert_eq!(f("ZonedDateTime.of(2008, 6, 3, 11, 5, 0, 0, ZoneOffset.of('+00:00:30'))"), "\"Tue, 3 Jun 2008 11:05:00 GMT\"");
        assert_eq!(f("ZonedDateTime.of(2008, 6, 3, 11, 5, 0, 0, ZoneOffset.of('-00:01:30'))"), "\"Tue, 3 Jun 2008 11:05:00 -0001\"");
        assert_eq!(f("ZonedDateTime.of(5, 1, 13, 1, 5, 7, 0, ZoneOffset.UTC)"), "\"Thu, 13 Jan 0005 01:05:07 GMT\"");
        assert_eq!(
            f("ZonedDateTime.of(10000, 1, 13, 1, 5, 7, 0, ZoneOffset.UTC)"),
            "date_time_exception: Field Year cannot be printed as the value 10000 exceeds the maximum print width of 4"
        );
        assert_eq!(
            f("ZonedDateTime.of(-5, 1, 13, 1, 5, 7, 0, ZoneOffset.UTC)"),
            "date_time_exception: Field Year cannot be printed as the value -5 cannot be negative according to the SignStyle"
        );
        assert_eq!(f("LocalDateTime.of(2020, 2, 29, 23, 0, 0)"), "unsupported_temporal_type_exception: Unsupported field: OffsetSeconds");
        assert_eq!(f("LocalDate.of(2020, 2, 29)"), "unsupported_temporal_type_exception: Unsupported field: HourOfDay");
        assert_eq!(f("Instant.ofEpochSecond(0)"), "unsupported_temporal_type_exception: Unsupported field: DayOfMonth");
        assert_eq!(
            script_outcome("DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneId.of('Asia/Tokyo')).format(Instant.ofEpochSecond(0))"),
            "\"Thu, 1 Jan 1970 09:00:00 +0900\""
        );
        assert_eq!(
            script_outcome("ZonedDateTime.of(2008, 6, 3, 11, 5, 0, 0, ZoneId.of('Europe/Paris')).format(DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneId.of('America/New_York')))"),
            "\"Tue, 3 Jun 2008 05:05:00 -0400\""
        );
    }

    /// The modsecurity audit-log script: the header's date becomes the
    /// document's date-time, as XContent writes a ZonedDateTime.
    #[test]
    fn the_modsecurity_date_header_script_runs() {
        let src = "String datetime = 'Tue, 03 Jun 2008 11:05:30 GMT'; ZonedDateTime zdt = ZonedDateTime.parse(datetime,DateTimeFormatter.RFC_1123_DATE_TIME); zdt";
        assert_eq!(script_outcome(src), "\"2008-06-03T11:05:30.000Z\"");
    }
}
