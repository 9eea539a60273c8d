//! Java / Elasticsearch date parsing and formatting.
//!
//! * [`DateFormatter`] is Elasticsearch's `DateFormatter.forPattern`: a Java
//!   `DateTimeFormatter` pattern, one of Elasticsearch's named formats
//!   (`strict_date_optional_time`, `epoch_millis`, ...), or several joined
//!   with `||`.
//! * [`from_accessor`] is `DateFormatters.from`: how a parse result becomes a
//!   [`ZonedDateTime`] with Elasticsearch's defaults.
//! * [`DateFormat`] is the ingest `date` processor's format kinds (`ISO8601`,
//!   `UNIX`, `UNIX_MS`, `TAI64N` and Java patterns).
//!
//! Errors are [`EsError`]s carrying the Java exception's type and message.
//!
//! What follows Elasticsearch 8.x exactly: the pattern letters
//! `G u y Y Q q M L D d E e c a h K k H m s S n N A V z O X x Z` with Java's
//! widths, sign styles, adjacent-value parsing and case-sensitive text;
//! `'literals'` and `[optional]` sections; STRICT resolving with Java's
//! messages; every named format of `DateFormatters` (the `*weekyear*` ones
//! use the formatter locale's weeks, which are ISO weeks for ROOT); the
//! missing-year rule of the ingest `DateFormat` (the current UTC year, no
//! adjustment for dates in the future — Elasticsearch has none); time zones
//! through `ZoneId.of`; `iso8601` and `strict_date_optional_time[_nanos]`
//! with Elasticsearch's fast `Iso8601Parser` in front of java.time.
//!
//! Not implemented, with an error naming them: the pad modifier `p`, the
//! letters `W F g B v`, full zone names (`zzzz`), and locales other than ROOT
//! and English. Approximations: `z` prints the tz database abbreviation and
//! parses zone ids plus a table of English short names (`SHORT_ZONE_NAMES`
//! in `engine`), whatever the locale. The JDK's own answer depends on its
//! version, its CLDR data and the locale. Observed with
//! `DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", locale)` on JDK
//! 17.0.15 and 25.0.3: `EST` reads with daylight saving everywhere
//! (America/New_York, or SystemV/EST5EDT under JDK 17's ROOT), as here;
//! English reads `MST` and `HST` as America/Denver and Pacific/Honolulu, as
//! here; ROOT, the date processor's default, accepts them on JDK 17 and
//! refuses them on JDK 25 (Elasticsearch 8.16 and later bundle JDK 23 or
//! later with CLDR data), and refuses most of the table there, where ingot
//! accepts it.

pub mod engine;
pub mod fast_iso;
pub mod fields;
pub mod ingest;
pub mod named;
pub mod pattern;
pub mod zone;

pub use crate::error::EsError as DateError;
pub use engine::Accessor;
pub use fields::{Locale, WeekDef};
pub use ingest::DateFormat;
pub use zone::{ZoneId, ZonedDateTime};

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use engine::Elem;
use fields::Field;

/// How a formatter resolves parsed fields (Java's `ResolverStyle`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolver {
    Strict,
    /// `DateTimeFormatter.ofPattern` default: day-of-month is clamped to the month.
    Smart,
    /// `ISO_LOCAL_DATE.withResolverStyle(LENIENT)`: overflowing days roll over.
    Lenient,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Parser {
    pub elems: Vec<Elem>,
    pub resolver: Resolver,
    /// `DateTimeFormatter.withZone`: the zone a parse gets when it has none.
    pub zone: Option<ZoneId>,
    /// This parser is Elasticsearch's `Iso8601DateTimeParser` (see
    /// [`fast_iso`]) rather than the elements: `Some(time_required)`.
    pub fast_iso: Option<bool>,
}

/// Elasticsearch's `DateFormatter` (a `JavaDateFormatter`).
#[derive(Clone, Debug, PartialEq)]
pub struct DateFormatter {
    /// The format as given: `pattern()` in Java, used in error messages.
    pub format: String,
    pub printer: Vec<Elem>,
    pub parsers: Vec<Parser>,
    pub locale: Locale,
}

impl DateFormatter {
    /// `DateFormatter.forPattern`.
    pub fn for_pattern(input: &str) -> Result<DateFormatter, DateError> {
        if input.is_empty() {
            return Err(DateError::illegal_argument("No date pattern provided"));
        }
        let input = input.strip_prefix('8').unwrap_or(input);
        let mut formatters = Vec::new();
        for part in input.split("||") {
            if part.is_empty() {
                return Err(DateError::illegal_argument(format!(
                    "Cannot have empty element in multi date format pattern: {input}"
                )));
            }
            formatters.push(named::for_single_pattern(part)?);
        }
        if formatters.len() == 1 {
            return Ok(formatters.pop().unwrap());
        }
        let printer = formatters[0].printer.clone();
        let parsers = formatters.into_iter().flat_map(|f| f.parsers).collect();
        Ok(DateFormatter { format: input.to_string(), printer, parsers, locale: Locale::root() })
    }

    pub fn from_pattern_elems(format: &str, elems: Vec<Elem>, resolver: Resolver) -> DateFormatter {
        DateFormatter {
            format: format.to_string(),
            printer: elems.clone(),
            parsers: vec![Parser { elems, resolver, zone: None, fast_iso: None }],
            locale: Locale::root(),
        }
    }

    pub fn with_locale(mut self, locale: Locale) -> DateFormatter {
        self.locale = locale;
        self
    }

    /// `JavaDateFormatter.parse`: the resolved parse, or Java's exceptions
    /// (`failed to parse date field [..] with format [..]` caused by the
    /// `DateTimeParseException`).
    pub fn parse(&self, input: &str) -> Result<Accessor, DateError> {
        self.parse_explained(input, true).map_err(|e| e.expect("a failure explained"))
    }

    /// [`parse`](Self::parse) for a caller that only needs to know whether
    /// it succeeds (the `date` processor trying its formats in turn): a
    /// failure comes back without the messages and cause chain.
    pub fn try_parse(&self, input: &str) -> Option<Accessor> {
        self.parse_explained(input, false).ok()
    }

    /// The parse; a failure carries Java's exception when `explain` is set.
    fn parse_explained(&self, input: &str, explain: bool) -> Result<Accessor, Option<DateError>> {
        if input.is_empty() {
            return Err(explain.then(|| DateError::illegal_argument("cannot parse empty datetime")));
        }
        let week = self.locale.week_def();
        let wrap = |cause: DateError| {
            DateError::illegal_argument(format!("failed to parse date field [{input}] with format [{}]", self.format))
                .caused_by(cause)
        };
        if self.parsers.len() > 1 {
            for p in &self.parsers {
                if let Some(time_required) = p.fast_iso {
                    if let Some(acc) = fast_iso::parse(input, time_required) {
                        return Ok(acc);
                    }
                    continue;
                }
                if let Some(mut parsed) = engine::parse_full(&p.elems, input) {
                    if parsed.zone.is_none() && parsed.offset.is_none() {
                        parsed.zone = p.zone.clone();
                    }
                    if let Ok(acc) = resolve_with(parsed, week, p.resolver) {
                        return Ok(acc);
                    }
                }
            }
            return Err(explain.then(|| {
                wrap(DateError::new("date_time_parse_exception", "Failed to parse with all enclosed parsers"))
            }));
        }
        let p = &self.parsers[0];
        let parsed = if explain {
            engine::parse_unresolved(&p.elems, input)
                .map_err(|msg| Some(wrap(DateError::new("date_time_parse_exception", msg))))
        } else {
            engine::parse_full(&p.elems, input).ok_or(None)
        };
        let mut parsed = parsed?;
        if parsed.zone.is_none() && parsed.offset.is_none() {
            parsed.zone = p.zone.clone();
        }
        resolve_with(parsed, week, p.resolver).map_err(|e| {
            explain.then(|| {
                wrap(DateError::new(
                    "date_time_parse_exception",
                    format!("Text '{}' could not be parsed: {}", engine::abbreviate(input), e.reason),
                ))
            })
        })
    }

    /// `format(ZonedDateTime)`.
    pub fn format(&self, zdt: &ZonedDateTime) -> Result<String, DateError> {
        // Room for the common patterns (an ISO date, time and offset).
        let mut out = String::with_capacity(32);
        engine::print(&self.printer, zdt, &self.locale, &mut out)?;
        Ok(out)
    }
}

fn resolve_with(parsed: engine::Parsed, week: WeekDef, resolver: Resolver) -> Result<Accessor, DateError> {
    match resolver {
        Resolver::Strict => engine::resolve(parsed, week),
        Resolver::Smart | Resolver::Lenient => {
            let mut p = parsed;
            // SMART / LENIENT invent the era for a year-of-era
            if let (Some(yoe), None) = (p.get(Field::YearOfEra), p.get(Field::Era)) {
                if !p.has(Field::Year) {
                    p.remove(Field::YearOfEra);
                    p.fields.push((Field::Year, yoe));
                }
            }
            if let (Some(y), Some(m), Some(d)) =
                (p.get(Field::Year), p.get(Field::MonthOfYear), p.get(Field::DayOfMonth))
            {
                if resolver == Resolver::Lenient {
                    let base = NaiveDate::from_ymd_opt(y as i32, 1, 1).ok_or_else(|| out_of_range())?;
                    let date = base
                        .checked_add_months(chrono::Months::new(0))
                        .and_then(|b| add_months(b, m - 1))
                        .and_then(|b| b.checked_add_signed(chrono::Duration::days(d - 1)))
                        .ok_or_else(out_of_range)?;
                    for f in [Field::Year, Field::MonthOfYear, Field::DayOfMonth] {
                        p.remove(f);
                    }
                    let mut acc = engine::resolve(p, week)?;
                    acc.date = Some(date);
                    return Ok(acc);
                }
                Field::MonthOfYear.check(m, week)?;
                Field::DayOfMonth.check(d, week)?;
                let last = match m {
                    4 | 6 | 9 | 11 => 30,
                    2 => {
                        if NaiveDate::from_ymd_opt(y as i32, 2, 29).is_some() {
                            29
                        } else {
                            28
                        }
                    }
                    _ => 31,
                };
                let i = p.fields.iter().position(|(f, _)| *f == Field::DayOfMonth).unwrap();
                p.fields[i].1 = d.min(last);
            }
            engine::resolve(p, week)
        }
    }
}

fn add_months(d: NaiveDate, months: i64) -> Option<NaiveDate> {
    if months >= 0 {
        d.checked_add_months(chrono::Months::new(u32::try_from(months).ok()?))
    } else {
        d.checked_sub_months(chrono::Months::new(u32::try_from(-months).ok()?))
    }
}

fn out_of_range() -> DateError {
    DateError::new("date_time_exception", "date out of the range ingot supports")
}

fn get_year(acc: &Accessor, week: WeekDef) -> i64 {
    acc.get(Field::Year, week).or_else(|| acc.get(Field::YearOfEra, week)).unwrap_or(1970)
}

/// Elasticsearch's `LOCAL_DATE_QUERY`.
fn local_date_query(acc: &Accessor, week: WeekDef) -> Result<Option<NaiveDate>, DateError> {
    if let Some(d) = acc.date {
        return Ok(Some(d));
    }
    if acc.is_supported(Field::YearOfEra) || acc.is_supported(Field::Year) {
        let year = get_year(acc, week);
        if acc.is_supported(Field::MonthOfYear) && acc.is_supported(Field::DayOfMonth) {
            let m = acc.get(Field::MonthOfYear, week).unwrap();
            let d = acc.get(Field::DayOfMonth, week).unwrap();
            return engine::local_date_of(year, m, d, week).map(Some);
        } else if acc.is_supported(Field::DayOfYear) {
            return engine::local_date_of_year_day(year, acc.get(Field::DayOfYear, week).unwrap(), week).map(Some);
        }
    }
    Ok(None)
}

fn local_date_from_week_based(acc: &Accessor, week: WeekDef) -> Result<NaiveDate, DateError> {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
    let y = acc.get(Field::WeekBasedYear, week).unwrap();
    let mut d = week.with_week_based_year(epoch, y).ok_or_else(out_of_range)?;
    if let Some(w) = acc.get(Field::WeekOfWeekBasedYear, week) {
        d = week.with_week(d, w).ok_or_else(out_of_range)?;
    }
    Ok(week.previous_or_same_first_day(d))
}

fn get_local_date(acc: &Accessor, week: WeekDef) -> Result<NaiveDate, DateError> {
    if acc.is_supported(Field::WeekBasedYear) {
        return local_date_from_week_based(acc, week);
    }
    if let Some(m) = acc.get(Field::MonthOfYear, week) {
        let year = get_year(acc, week);
        let d = acc.get(Field::DayOfMonth, week).unwrap_or(1);
        return engine::local_date_of(year, m, d, week);
    }
    Ok(NaiveDate::from_ymd_opt(1970, 1, 1).unwrap())
}

/// `DateFormatters.from(accessor, locale, defaultZone)`.
pub fn from_accessor(acc: &Accessor, locale: &Locale, default_zone: &ZoneId) -> Result<ZonedDateTime, DateError> {
    let week = locale.week_def();
    let zone = acc.zone().unwrap_or_else(|| default_zone.clone());
    let date = local_date_query(acc, week)?;
    let time = acc.time;
    match (date, time) {
        (Some(d), Some(t)) => return Ok(ZonedDateTime::of_local(NaiveDateTime::new(d, t), zone)),
        _ => {
            if let Some((s, n)) = acc.instant {
                return ZonedDateTime::of_instant(s, n, zone);
            }
        }
    }
    let midnight = NaiveTime::MIN;
    if let Some(d) = date {
        return Ok(ZonedDateTime::of_local(NaiveDateTime::new(d, midnight), zone));
    }
    if let Some(t) = time {
        let d = get_local_date(acc, week)?;
        return Ok(ZonedDateTime::of_local(NaiveDateTime::new(d, t), zone));
    }
    if acc.is_supported(Field::Year) || acc.is_supported(Field::YearOfEra) {
        let year = get_year(acc, week);
        let d = match acc.get(Field::MonthOfYear, week) {
            Some(m) => engine::local_date_of(year, m, 1, week)?,
            None => {
                Field::Year.check(year, week)?;
                NaiveDate::from_ymd_opt(year as i32, 1, 1).ok_or_else(out_of_range)?
            }
        };
        return Ok(ZonedDateTime::of_local(NaiveDateTime::new(d, midnight), zone));
    }
    if acc.is_supported(Field::MonthOfYear) {
        let d = get_local_date(acc, week)?;
        return Ok(ZonedDateTime::of_local(NaiveDateTime::new(d, midnight), zone));
    }
    if acc.is_supported(Field::WeekBasedYear) {
        let d = local_date_from_week_based(acc, week)?;
        return Ok(ZonedDateTime::of_local(NaiveDateTime::new(d, midnight), zone));
    }
    Err(DateError::illegal_argument(format!(
        "temporal accessor [{}] cannot be converted to zoned date time",
        acc.describe()
    )))
}

/// The formatter used for the `date` processor's default output format.
pub const DEFAULT_OUTPUT_FORMAT: &str = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";

#[cfg(test)]
mod tests;

/// The JSON body Elasticsearch renders for an exception (no `root_cause`).
pub fn exception_body(e: &DateError) -> crate::value::Value {
    use crate::value::{Map, Value};
    let mut m = Map::default();
    m.insert("type".into(), Value::from(e.kind.as_str()));
    m.insert("reason".into(), Value::from(e.reason.as_str()));
    for (k, v) in e.extra.iter().filter(|(k, _)| k.as_str() != "suppressed") {
        m.insert(k.clone(), v.clone());
    }
    if let Some(c) = &e.caused_by {
        m.insert("caused_by".into(), exception_body(c));
    }
    if let Some(v) = e.extra.get("suppressed") {
        m.insert("suppressed".into(), v.clone());
    }
    Value::Map(m)
}

/// `ExceptionsHelper.useOrSuppress`: keep the first failure, record later
/// ones as its `suppressed` exceptions.
pub fn use_or_suppress(first: Option<DateError>, next: DateError) -> DateError {
    use crate::value::Value;
    match first {
        None => next,
        Some(mut first) => {
            let body = exception_body(&next);
            match first.extra.get_mut("suppressed") {
                Some(Value::List(list)) => list.push(body),
                _ => {
                    first.extra.insert("suppressed".into(), Value::List(vec![body]));
                }
            }
            first
        }
    }
}

/// The Java class behind an exception type name, for messages that print it.
pub fn java_class(kind: &str) -> &'static str {
    match kind {
        "illegal_argument_exception" => "java.lang.IllegalArgumentException",
        "date_time_exception" => "java.time.DateTimeException",
        "date_time_parse_exception" => "java.time.format.DateTimeParseException",
        "zone_rules_exception" => "java.time.zone.ZoneRulesException",
        "number_format_exception" => "java.lang.NumberFormatException",
        "null_pointer_exception" => "java.lang.NullPointerException",
        "string_index_out_of_bounds_exception" => "java.lang.StringIndexOutOfBoundsException",
        _ => "java.lang.RuntimeException",
    }
}

/// How a processor factory's failure reaches the user: Elasticsearch's
/// `ConfigurationUtils.newConfigurationException` keeps its own parse
/// exceptions and wraps any other exception in an `ElasticsearchException`
/// whose message is the Java `toString()` of the cause.
pub fn factory_error(e: DateError) -> DateError {
    if e.kind == "parse_exception" {
        return e;
    }
    DateError::new("exception", format!("{}: {}", java_class(&e.kind), e.reason)).caused_by(e)
}
