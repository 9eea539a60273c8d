//! The ingest `date` processor's format kinds (`DateFormat` in
//! Elasticsearch's ingest-common module).

use super::fields::{Field, Locale};
use super::zone::{ZoneId, ZonedDateTime};
use super::{engine, from_accessor, DateError, DateFormatter};
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use std::cell::Cell;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateFormat {
    Iso8601,
    Unix,
    UnixMs,
    Tai64n,
    Java,
}

thread_local! {
    static YEAR_OVERRIDE: Cell<Option<i32>> = const { Cell::new(None) };
}

/// Runs `f` with "the current year" fixed (for tests and reproducible runs).
pub fn with_current_year<R>(year: i32, f: impl FnOnce() -> R) -> R {
    let old = YEAR_OVERRIDE.with(|c| c.replace(Some(year)));
    let r = f();
    YEAR_OVERRIDE.with(|c| c.set(old));
    r
}

/// `LocalDate.now(ZoneOffset.UTC).getYear()`.
pub fn current_year_utc() -> i32 {
    YEAR_OVERRIDE.with(|c| c.get()).unwrap_or_else(|| chrono::Utc::now().year())
}

fn nfe(msg: impl Into<String>) -> DateError {
    DateError::new("number_format_exception", msg)
}

/// Java's `Long.parseLong(s, radix)`.
pub fn java_parse_long(s: &str, radix: u32) -> Result<i64, DateError> {
    let err = || {
        nfe(format!(
            "For input string: \"{s}\"{}",
            if radix == 10 { String::new() } else { format!(" under radix {radix}") }
        ))
    };
    let (neg, digits) = match s.chars().next() {
        Some('-') => (true, &s[1..]),
        Some('+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() {
        return Err(err());
    }
    let mut total: i128 = 0;
    for c in digits.chars() {
        let d = c.to_digit(radix).ok_or_else(err)? as i128;
        total = total * radix as i128 + d;
        if total > i64::MAX as i128 + 1 {
            return Err(err());
        }
    }
    let v = if neg { -total } else { total };
    i64::try_from(v).map_err(|_| err())
}

/// Java's `Double.parseDouble` (decimal forms, `NaN`, `Infinity`, `f`/`d` suffixes).
pub fn java_parse_double(s: &str) -> Result<f64, DateError> {
    let t = s.trim_matches(|c: char| c <= ' ');
    if t.is_empty() {
        return Err(nfe("empty String"));
    }
    let err = || nfe(format!("For input string: \"{t}\""));
    let (sign, body) = match t.chars().next() {
        Some('-') => (-1.0, &t[1..]),
        Some('+') => (1.0, &t[1..]),
        _ => (1.0, t),
    };
    if body == "NaN" {
        return Ok(f64::NAN);
    }
    if body == "Infinity" {
        return Ok(sign * f64::INFINITY);
    }
    let body = body.strip_suffix(['f', 'F', 'd', 'D']).unwrap_or(body);
    let valid = !body.is_empty()
        && body.chars().all(|c| c.is_ascii_digit() || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')
        && body.chars().any(|c| c.is_ascii_digit());
    if !valid {
        return Err(err());
    }
    let v: f64 = body.parse().map_err(|_| err())?;
    Ok(sign * v)
}

/// `String.substring(begin, end)` with Java's exception.
fn substring(s: &str, begin: usize, end: usize) -> Result<String, DateError> {
    let units: Vec<char> = s.chars().collect();
    if end > units.len() || begin > end {
        return Err(DateError::new(
            "string_index_out_of_bounds_exception",
            format!("begin {begin}, end {end}, length {}", units.len()),
        ));
    }
    Ok(units[begin..end].iter().collect())
}

/// One entry of a processor's `formats`, with its Java formatter compiled once
/// (Elasticsearch caches them too); a pattern error is kept and reported
/// each time the format is tried, as Elasticsearch does.
#[derive(Clone, Debug)]
pub struct CompiledFormat {
    pub format: String,
    pub kind: DateFormat,
    formatter: Option<Result<DateFormatter, DateError>>,
    /// The fewest chars a text the Java pattern parses has (0 when unknown).
    min_chars: usize,
}

/// The plainest texts `iso8601` reads, `yyyy-MM-ddTHH:mm:ss[.S…]` with one
/// to nine fraction digits and an optional `Z`, read straight to the local
/// date and time and the zone the text gives (what the general parser and
/// `from_accessor` make of them, with none of their machinery); `None` for
/// any other text, which the general parser reads or refuses.
fn plain_iso8601(text: &str) -> Option<(NaiveDateTime, Option<ZoneId>)> {
    let (body, zone) = match text.strip_suffix('Z') {
        Some(body) => (body.as_bytes(), Some(ZoneId::Offset(0))),
        None => (text.as_bytes(), None),
    };
    let number = |from: usize, to: usize| -> Option<u32> {
        body.get(from..to)?.iter().try_fold(0, |n, &d| d.is_ascii_digit().then(|| n * 10 + (d - b'0') as u32))
    };
    let punctuation = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if body.len() < 19 || punctuation.iter().any(|&(at, c)| body[at] != c) {
        return None;
    }
    let nano = match body.len() {
        19 => 0,
        digits_end @ 21..=29 if body[19] == b'.' => number(20, digits_end)? * 10u32.pow((29 - digits_end) as u32),
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(number(0, 4)? as i32, number(5, 7)?, number(8, 10)?)?;
    let (hour, minute, second) = (number(11, 13)?, number(14, 16)?, number(17, 19)?);
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nano)?;
    Some((NaiveDateTime::new(date, time), zone))
}

fn iso8601() -> &'static DateFormatter {
    static ISO: std::sync::OnceLock<DateFormatter> = std::sync::OnceLock::new();
    ISO.get_or_init(|| DateFormatter::for_pattern("iso8601").expect("iso8601"))
}

impl CompiledFormat {
    pub fn new(format: &str) -> CompiledFormat {
        let kind = DateFormat::from_string(format);
        let formatter = match kind {
            DateFormat::Java => Some(DateFormatter::for_pattern(format.strip_prefix('8').unwrap_or(format))),
            _ => None,
        };
        let min_chars = match &formatter {
            Some(Ok(f)) => f.parsers.iter().map(|p| if p.fast_iso.is_some() { 0 } else { engine::min_parse_chars(&p.elems) }).min().unwrap_or(0),
            _ => 0,
        };
        CompiledFormat { format: format.to_string(), kind, formatter, min_chars }
    }

    /// The pattern error, if the Java pattern does not compile.
    pub fn error(&self) -> Option<&DateError> {
        self.formatter.as_ref().and_then(|f| f.as_ref().err())
    }

    pub fn parse(&self, text: Option<&str>, zone: &ZoneId, locale: &Locale) -> Result<ZonedDateTime, DateError> {
        match &self.formatter {
            Some(Ok(f)) => parse_java(f, text, zone, locale, true).map_err(|e| e.expect("a failure explained")),
            Some(Err(e)) => Err(e.clone()),
            None => self.kind.parse(&self.format, text, zone, locale),
        }
    }

    /// [`parse`](Self::parse) when only success matters: a Java pattern
    /// that does not match fails without building its exception, and a
    /// text too short for it (fewer bytes, so fewer chars, than the
    /// pattern's least) without being parsed.
    pub fn try_parse(&self, text: Option<&str>, zone: &ZoneId, locale: &Locale) -> Option<ZonedDateTime> {
        match &self.formatter {
            Some(Ok(_)) if text.map_or(0, str::len) < self.min_chars => None,
            Some(Ok(f)) => parse_java(f, text, zone, locale, false).ok(),
            _ => self.parse(text, zone, locale).ok(),
        }
    }
}

/// The Java pattern branch; a failure carries its exception only when
/// `explain` is set (a parse that merely does not match skips building it).
fn parse_java(
    f: &DateFormatter,
    text: Option<&str>,
    zone: &ZoneId,
    locale: &Locale,
    explain: bool,
) -> Result<ZonedDateTime, Option<DateError>> {
    let formatter;
    let f = if &f.locale == locale {
        f
    } else {
        formatter = f.clone().with_locale(locale.clone());
        &formatter
    };
    let input = text.unwrap_or("");
    let acc = if explain { f.parse(input).map_err(Some)? } else { f.try_parse(input).ok_or(None)? };
    let week = locale.week_def();
    let has_year = acc.is_supported(Field::Year)
        || acc.is_supported(Field::YearOfEra)
        || acc.is_supported(Field::WeekBasedYear)
        || acc.supports_instant();
    if !has_year {
        return fill_current_year(&acc, week, zone).map_err(Some);
    }
    from_accessor(&acc, locale, zone).and_then(|z| z.with_zone_same_instant(zone.clone())).map_err(Some)
}

impl DateFormat {
    /// `DateFormat.fromString`.
    pub fn from_string(format: &str) -> DateFormat {
        match format {
            "ISO8601" => DateFormat::Iso8601,
            "UNIX" => DateFormat::Unix,
            "UNIX_MS" => DateFormat::UnixMs,
            "TAI64N" => DateFormat::Tai64n,
            _ => DateFormat::Java,
        }
    }

    /// `getFunction(format, timezone, locale).apply(text)`; `text` is `None`
    /// for a null field value.
    pub fn parse(
        &self,
        format: &str,
        text: Option<&str>,
        zone: &ZoneId,
        locale: &Locale,
    ) -> Result<ZonedDateTime, DateError> {
        match self {
            DateFormat::Iso8601 => {
                if let Some((local, text_zone)) = text.and_then(plain_iso8601) {
                    let local_zone = text_zone.unwrap_or_else(|| zone.clone());
                    return ZonedDateTime::of_local(local, local_zone).with_zone_same_instant(zone.clone());
                }
                let acc = iso8601().parse(text.unwrap_or(""))?;
                from_accessor(&acc, &Locale::root(), zone)?.with_zone_same_instant(zone.clone())
            }
            DateFormat::Unix => {
                let Some(text) = text else {
                    return Err(DateError::new(
                        "null_pointer_exception",
                        "Cannot invoke \"String.trim()\" because \"in\" is null",
                    ));
                };
                let d = java_parse_double(text)?;
                ZonedDateTime::of_epoch_milli((d * 1000.0) as i64, zone.clone())
            }
            DateFormat::UnixMs => {
                let Some(text) = text else {
                    return Err(nfe("Cannot parse null string: null"));
                };
                ZonedDateTime::of_epoch_milli(java_parse_long(text, 10)?, zone.clone())
            }
            DateFormat::Tai64n => {
                let Some(text) = text else {
                    return Err(DateError::new(
                        "null_pointer_exception",
                        "Cannot invoke \"String.startsWith(String)\" because \"date\" is null",
                    ));
                };
                let date = text.strip_prefix('@').unwrap_or(text);
                let base = java_parse_long(&substring(date, 1, 16)?, 16)?;
                let rest = java_parse_long(&substring(date, 16, 24)?, 16)?;
                let millis = base.wrapping_mul(1000).wrapping_sub(10000).wrapping_add(rest / 1_000_000);
                ZonedDateTime::of_epoch_milli(millis, zone.clone())
            }
            DateFormat::Java => {
                let format = format.strip_prefix('8').unwrap_or(format);
                parse_java(&DateFormatter::for_pattern(format)?, text, zone, locale, true)
                    .map_err(|e| e.expect("a failure explained"))
            }
        }
    }
}

/// The year-less branch of `DateFormat.Java`: start from January 1st of the
/// current UTC year and apply nano-of-second, second-of-day, minute-of-day,
/// hour-of-day, day-of-month and month-of-year in that order; the parsed
/// zone or offset is dropped and the processor's zone used.
fn fill_current_year(acc: &super::Accessor, week: super::WeekDef, zone: &ZoneId) -> Result<ZonedDateTime, DateError> {
    let year = current_year_utc();
    let mut date = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
    let mut time = NaiveTime::MIN;
    let sup = |f: Field| {
        if acc.is_supported(f) {
            acc.get(f, week)
        } else {
            None
        }
    };
    if let Some(n) = sup(Field::NanoOfSecond) {
        Field::NanoOfSecond.check(n, week)?;
        time = time.with_nanosecond(n as u32).unwrap();
    }
    if let Some(t) = acc.time {
        // SECOND_OF_DAY and MINUTE_OF_DAY come with a resolved time
        time = NaiveTime::from_hms_nano_opt(t.hour(), t.minute(), t.second(), time.nanosecond()).unwrap();
    }
    if let Some(h) = sup(Field::HourOfDay) {
        Field::HourOfDay.check(h, week)?;
        time = time.with_hour(h as u32).unwrap();
    }
    if let Some(d) = sup(Field::DayOfMonth) {
        Field::DayOfMonth.check(d, week)?;
        date = date.with_day(d as u32).unwrap();
    }
    if let Some(m) = sup(Field::MonthOfYear) {
        Field::MonthOfYear.check(m, week)?;
        let last = (28..=31).rev().find(|d| NaiveDate::from_ymd_opt(year, m as u32, *d).is_some()).unwrap();
        date = NaiveDate::from_ymd_opt(year, m as u32, date.day().min(last)).unwrap();
    }
    let utc = ZonedDateTime { local: NaiveDateTime::new(date, time), offset: 0, zone: ZoneId::Offset(0) };
    let local = utc.with_zone_same_local(zone.clone());
    local.with_zone_same_instant(zone.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whatever [`plain_iso8601`] reads, the general parser reads as the
    /// same date, time and zone, in every zone a processor may ask for.
    #[test]
    fn plain_iso8601_texts_read_as_the_general_parser_reads_them() {
        let years = ["2022", "0000", "0001", "9999", "1970", "2016", "1900", "20x2"];
        let months = ["01", "02", "09", "12", "13", "00", "1"];
        let days = ["01", "28", "29", "30", "31", "32", "00"];
        let hours = ["00", "09", "23", "24"];
        let minutes = ["00", "46", "59", "60"];
        let fractions = ["", ".", ".5", ".570", ".5701370", ".123456789", ".1234567890", ",5", ".5x"];
        let zones_in_text = ["", "", "Z", "+01:00", "z", "ZZ", " "];
        let separators = ["T", "T", "T", "t", " "];
        let zones = ["UTC", "Z", "+02:00", "Europe/Paris", "America/New_York"].map(|z| ZoneId::of(z).unwrap());
        let mut rng = crate::xorshift::XorShift(0x2545_f491_4f6c_dd1d);
        let mut pick = move |items: &[&'static str]| items[(rng.next() >> 11) as usize % items.len()];
        let mut read = 0;
        for _ in 0..100_000 {
            let text = format!(
                "{}-{}-{}{}{}:{}:{}{}{}",
                pick(&years),
                pick(&months),
                pick(&days),
                pick(&separators),
                pick(&hours),
                pick(&minutes),
                pick(&minutes),
                pick(&fractions),
                pick(&zones_in_text)
            );
            let Some((local, text_zone)) = plain_iso8601(&text) else { continue };
            read += 1;
            for zone in &zones {
                let fast = ZonedDateTime::of_local(local, text_zone.clone().unwrap_or_else(|| zone.clone()))
                    .with_zone_same_instant(zone.clone());
                let acc = iso8601().parse(&text).unwrap_or_else(|e| panic!("{text:?}: {e:?}"));
                let general = from_accessor(&acc, &Locale::root(), zone).and_then(|z| z.with_zone_same_instant(zone.clone()));
                assert_eq!(format!("{fast:?}"), format!("{general:?}"), "{text:?} in {zone:?}");
            }
        }
        assert!(read > 1_000, "only {read} read");
    }
}
