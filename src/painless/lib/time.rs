//! java.time basics on top of chrono: ZonedDateTime, Instant, LocalDateTime,
//! LocalDate, LocalTime, Duration, ChronoUnit, ZoneId/ZoneOffset,
//! DayOfWeek/Month and DateTimeFormatter (the ISO constants and `ofPattern`
//! with the common pattern letters). `toString` follows the JDK exactly
//! (`2020-01-01T10:00Z`, `PT1H30M`, seconds omitted when zero).
//!
//! Not here: `now()` (Painless does not whitelist it either), locales,
//! week-based fields, `TemporalAdjusters`, `Period`.

mod rfc1123;

use super::super::val::*;
use super::super::Exc;
use super::{arg_int, arg_str, Obj};
use chrono::{DateTime, Datelike, Duration as Delta, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Timelike};
use std::cmp::Ordering;
use std::rc::Rc;

type R<T> = Result<T, Exc>;

pub const METHODS: &[&str] = &[
    "getYear", "getMonthValue", "getMonth", "getDayOfMonth", "getDayOfYear", "getDayOfWeek", "getHour", "getMinute", "getSecond", "getNano",
    "toLocalDate", "toLocalTime", "toLocalDateTime", "toInstant", "toEpochSecond", "toEpochMilli", "getEpochSecond", "getZone", "getOffset",
    "withZoneSameInstant", "withZoneSameLocal", "atZone", "atStartOfDay", "atTime", "plus", "minus", "plusYears", "plusMonths", "plusWeeks",
    "plusDays", "plusHours", "plusMinutes", "plusSeconds", "plusMillis", "plusNanos", "minusYears", "minusMonths", "minusWeeks", "minusDays",
    "minusHours", "minusMinutes", "minusSeconds", "minusMillis", "minusNanos", "isBefore", "isAfter", "isEqual", "format", "truncatedTo",
    "between", "toMillis", "toSeconds", "toMinutes", "toHours", "toDays", "toNanos", "getSeconds", "isNegative", "isZero", "getValue",
    "withZone", "getId", "until", "withHour", "withMinute", "withSecond", "withNano", "withDayOfMonth", "getTotalSeconds", "name", "abs",
    "negated",
];

pub const STATICS: &[(&str, &str)] = &[
    ("ZonedDateTime", "parse"),
    ("ZonedDateTime", "of"),
    ("ZonedDateTime", "ofInstant"),
    ("Instant", "parse"),
    ("Instant", "ofEpochMilli"),
    ("Instant", "ofEpochSecond"),
    ("LocalDateTime", "parse"),
    ("LocalDateTime", "of"),
    ("LocalDateTime", "ofInstant"),
    ("LocalDate", "parse"),
    ("LocalDate", "of"),
    ("LocalTime", "parse"),
    ("LocalTime", "of"),
    ("Duration", "between"),
    ("Duration", "ofMillis"),
    ("Duration", "ofSeconds"),
    ("Duration", "ofMinutes"),
    ("Duration", "ofHours"),
    ("Duration", "ofDays"),
    ("Duration", "ofNanos"),
    ("ZoneId", "of"),
    ("ZoneOffset", "of"),
    ("ZoneOffset", "ofHours"),
    ("ZoneOffset", "ofHoursMinutes"),
    ("DateTimeFormatter", "ofPattern"),
];

pub const FIELDS: &[(&str, &str)] = &[
    ("ZoneOffset", "UTC"),
    ("ZoneId", "SHORT_IDS"),
    ("Instant", "EPOCH"),
    ("Duration", "ZERO"),
    ("ChronoUnit", "NANOS"),
    ("ChronoUnit", "MICROS"),
    ("ChronoUnit", "MILLIS"),
    ("ChronoUnit", "SECONDS"),
    ("ChronoUnit", "MINUTES"),
    ("ChronoUnit", "HOURS"),
    ("ChronoUnit", "HALF_DAYS"),
    ("ChronoUnit", "DAYS"),
    ("ChronoUnit", "WEEKS"),
    ("ChronoUnit", "MONTHS"),
    ("ChronoUnit", "YEARS"),
    ("DateTimeFormatter", "ISO_INSTANT"),
    ("DateTimeFormatter", "ISO_ZONED_DATE_TIME"),
    ("DateTimeFormatter", "ISO_OFFSET_DATE_TIME"),
    ("DateTimeFormatter", "ISO_LOCAL_DATE_TIME"),
    ("DateTimeFormatter", "ISO_LOCAL_DATE"),
    ("DateTimeFormatter", "ISO_LOCAL_TIME"),
    ("DateTimeFormatter", "ISO_DATE_TIME"),
    ("DateTimeFormatter", "ISO_DATE"),
    ("DateTimeFormatter", "BASIC_ISO_DATE"),
    ("DateTimeFormatter", "RFC_1123_DATE_TIME"),
];

#[derive(Debug, Clone, PartialEq)]
pub enum Zone {
    /// A `ZoneOffset` (seconds east of UTC); prints `Z` when zero.
    Offset(i32),
    /// A region such as `Europe/Paris` or `UTC`.
    Region(chrono_tz::Tz),
}

impl Zone {
    fn offset_at(&self, utc: &NaiveDateTime) -> i32 {
        match self {
            Zone::Offset(s) => *s,
            Zone::Region(tz) => tz.offset_from_utc_datetime(utc).fix().local_minus_utc(),
        }
    }
    /// Offset for a local date-time (earlier offset in overlaps, as Java).
    fn offset_for_local(&self, local: &NaiveDateTime) -> i32 {
        match self {
            Zone::Offset(s) => *s,
            Zone::Region(tz) => match tz.offset_from_local_datetime(local) {
                chrono::LocalResult::Single(o) => o.fix().local_minus_utc(),
                chrono::LocalResult::Ambiguous(a, _) => a.fix().local_minus_utc(),
                chrono::LocalResult::None => tz.offset_from_utc_datetime(local).fix().local_minus_utc(),
            },
        }
    }
    fn id(&self) -> String {
        match self {
            Zone::Offset(s) => offset_id(*s),
            Zone::Region(tz) => tz.name().to_string(),
        }
    }
}

fn offset_id(secs: i32) -> String {
    if secs == 0 {
        return "Z".into();
    }
    let sign = if secs < 0 { '-' } else { '+' };
    let a = secs.unsigned_abs();
    let (h, m, s) = (a / 3600, a / 60 % 60, a % 60);
    if s != 0 {
        format!("{sign}{h:02}:{m:02}:{s:02}")
    } else {
        format!("{sign}{h:02}:{m:02}")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Nanos,
    Micros,
    Millis,
    Seconds,
    Minutes,
    Hours,
    HalfDays,
    Days,
    Weeks,
    Months,
    Years,
}

impl Unit {
    fn name(self) -> &'static str {
        match self {
            Unit::Nanos => "Nanos",
            Unit::Micros => "Micros",
            Unit::Millis => "Millis",
            Unit::Seconds => "Seconds",
            Unit::Minutes => "Minutes",
            Unit::Hours => "Hours",
            Unit::HalfDays => "HalfDays",
            Unit::Days => "Days",
            Unit::Weeks => "Weeks",
            Unit::Months => "Months",
            Unit::Years => "Years",
        }
    }
    fn nanos(self) -> Option<i128> {
        Some(match self {
            Unit::Nanos => 1,
            Unit::Micros => 1_000,
            Unit::Millis => 1_000_000,
            Unit::Seconds => 1_000_000_000,
            Unit::Minutes => 60_000_000_000,
            Unit::Hours => 3_600_000_000_000,
            Unit::HalfDays => 43_200_000_000_000,
            Unit::Days => 86_400_000_000_000,
            Unit::Weeks => 604_800_000_000_000,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Format {
    IsoInstant,
    IsoZoned,
    IsoOffset,
    IsoLocalDateTime,
    IsoLocalDate,
    IsoLocalTime,
    IsoDateTime,
    IsoDate,
    BasicIsoDate,
    Rfc1123,
    Pattern(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Time {
    Zoned { utc: NaiveDateTime, zone: Zone },
    Instant(NaiveDateTime),
    Local(NaiveDateTime),
    Date(NaiveDate),
    TimeOfDay(NaiveTime),
    /// Seconds and nanos (0..1e9), as `java.time.Duration` stores them.
    Duration(i64, u32),
    Unit(Unit),
    Zone(Zone),
    Formatter(Format, Option<Zone>),
    DayOfWeek(u32),
    Month(u32),
}

const DAYS: [&str; 7] = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];
const MONTHS: [&str; 12] = ["JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST", "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER"];

impl Time {
    pub fn class_name(&self) -> &'static str {
        match self {
            Time::Zoned { .. } => "java.time.ZonedDateTime",
            Time::Instant(_) => "java.time.Instant",
            Time::Local(_) => "java.time.LocalDateTime",
            Time::Date(_) => "java.time.LocalDate",
            Time::TimeOfDay(_) => "java.time.LocalTime",
            Time::Duration(..) => "java.time.Duration",
            Time::Unit(_) => "java.time.temporal.ChronoUnit",
            Time::Zone(Zone::Offset(_)) => "java.time.ZoneOffset",
            Time::Zone(Zone::Region(_)) => "java.time.ZoneRegion",
            Time::Formatter(..) => "java.time.format.DateTimeFormatter",
            Time::DayOfWeek(_) => "java.time.DayOfWeek",
            Time::Month(_) => "java.time.Month",
        }
    }

    pub fn to_java_string(&self) -> String {
        match self {
            Time::Zoned { utc, zone } => {
                let off = zone.offset_at(utc);
                let local = *utc + Delta::seconds(off as i64);
                let mut s = format!("{}{}", local_date_time_string(&local), offset_id(off));
                if let Zone::Region(tz) = zone {
                    s.push_str(&format!("[{}]", tz.name()));
                }
                s
            }
            Time::Instant(utc) => format_iso_instant(utc),
            Time::Local(dt) => local_date_time_string(dt),
            Time::Date(d) => date_string(d),
            Time::TimeOfDay(t) => time_string(t),
            Time::Duration(s, n) => duration_string(*s, *n),
            Time::Unit(u) => u.name().to_string(),
            Time::Zone(z) => z.id(),
            Time::Formatter(f, _) => format!("{f:?}"),
            Time::DayOfWeek(d) => DAYS[(*d as usize - 1) % 7].to_string(),
            Time::Month(m) => MONTHS[(*m as usize - 1) % 12].to_string(),
        }
    }

    /// How XContent writes the value into a document (`XContentElasticsearchExtension`):
    /// date-times in `strict_date_optional_time_nanos` (no zone id), a `LocalTime` as
    /// `HH:mm:ss.SSS`; the other types as their `toString`.
    pub fn to_xcontent_string(&self) -> String {
        match self {
            Time::Zoned { utc, zone } => {
                let off = zone.offset_at(utc);
                let local = *utc + Delta::seconds(off as i64);
                let hm = off - off % 60;
                format!("{}{}", optional_time_nanos(&local), offset_id(hm))
            }
            Time::Instant(utc) => format!("{}Z", optional_time_nanos(utc)),
            Time::Local(dt) => optional_time_nanos(dt),
            Time::TimeOfDay(t) => format!("{:02}:{:02}:{:02}.{:03}", t.hour(), t.minute(), t.second(), t.nanosecond() % 1_000_000_000 / 1_000_000),
            other => other.to_java_string(),
        }
    }

    pub fn compare(&self, other: &Time) -> Ordering {
        match (self.instant(), other.instant()) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => match (self, other) {
                (Time::Local(a), Time::Local(b)) => a.cmp(b),
                (Time::Date(a), Time::Date(b)) => a.cmp(b),
                (Time::TimeOfDay(a), Time::TimeOfDay(b)) => a.cmp(b),
                (Time::Duration(a, x), Time::Duration(b, y)) => (a, x).cmp(&(b, y)),
                _ => Ordering::Equal,
            },
        }
    }

    fn instant(&self) -> Option<NaiveDateTime> {
        match self {
            Time::Zoned { utc, .. } | Time::Instant(utc) => Some(*utc),
            _ => None,
        }
    }
}

fn fraction(nanos: u32) -> String {
    if nanos == 0 {
        String::new()
    } else if nanos % 1_000_000 == 0 {
        format!(".{:03}", nanos / 1_000_000)
    } else if nanos % 1_000 == 0 {
        format!(".{:06}", nanos / 1_000)
    } else {
        format!(".{nanos:09}")
    }
}

fn year_string(y: i32) -> String {
    if (0..=9999).contains(&y) {
        format!("{y:04}")
    } else if y > 9999 {
        format!("+{y}")
    } else {
        format!("-{:04}", -y)
    }
}

fn date_string(d: &NaiveDate) -> String {
    format!("{}-{:02}-{:02}", year_string(d.year()), d.month(), d.day())
}

/// `LocalTime.toString()`: seconds only when non-zero, fraction in 3-digit groups.
fn time_string(t: &NaiveTime) -> String {
    let nanos = t.nanosecond() % 1_000_000_000;
    let mut s = format!("{:02}:{:02}", t.hour(), t.minute());
    if t.second() != 0 || nanos != 0 {
        s.push_str(&format!(":{:02}{}", t.second(), fraction(nanos)));
    }
    s
}

/// `strict_date_optional_time_nanos` without its offset: the fraction has 3 to 9 digits.
fn optional_time_nanos(dt: &NaiveDateTime) -> String {
    let mut digits = format!("{:09}", dt.nanosecond() % 1_000_000_000);
    while digits.len() > 3 && digits.ends_with('0') {
        digits.pop();
    }
    format!("{}T{:02}:{:02}:{:02}.{digits}", date_string(&dt.date()), dt.hour(), dt.minute(), dt.second())
}

fn local_date_time_string(dt: &NaiveDateTime) -> String {
    format!("{}T{}", date_string(&dt.date()), time_string(&dt.time()))
}

fn format_iso_instant(utc: &NaiveDateTime) -> String {
    format!("{}T{:02}:{:02}:{:02}{}Z", date_string(&utc.date()), utc.hour(), utc.minute(), utc.second(), fraction(utc.nanosecond() % 1_000_000_000))
}

/// `Duration.toString()`, e.g. `PT8H6M12.345S`.
fn duration_string(seconds: i64, nanos: u32) -> String {
    if seconds == 0 && nanos == 0 {
        return "PT0S".into();
    }
    let effective = if seconds < 0 && nanos > 0 { seconds + 1 } else { seconds };
    let hours = effective / 3600;
    let minutes = (effective % 3600) / 60;
    let secs = effective % 60;
    let mut buf = String::from("PT");
    if hours != 0 {
        buf.push_str(&format!("{hours}H"));
    }
    if minutes != 0 {
        buf.push_str(&format!("{minutes}M"));
    }
    if secs == 0 && nanos == 0 && buf.len() > 2 {
        return buf;
    }
    if seconds < 0 && nanos > 0 {
        if secs == 0 {
            buf.push_str("-0");
        } else {
            buf.push_str(&secs.to_string());
        }
    } else {
        buf.push_str(&secs.to_string());
    }
    if nanos > 0 {
        let pos = buf.len();
        let n = if seconds < 0 { 2 * 1_000_000_000 - nanos as i64 } else { nanos as i64 + 1_000_000_000 };
        buf.push_str(&n.to_string());
        while buf.ends_with('0') {
            buf.pop();
        }
        buf.replace_range(pos..pos + 1, ".");
    }
    buf.push('S');
    buf
}

fn time_val<'a>(t: Time) -> Val<'a> {
    Val::Obj(Rc::new(Obj::Time(t)))
}

fn parse_error(text: &str, index: usize) -> Exc {
    Exc::new("DateTimeParseException", format!("Text '{text}' could not be parsed at index {index}"))
}

// ---- ISO parsing ----

struct Cursor<'s> {
    s: &'s str,
    i: usize,
}

impl Cursor<'_> {
    fn digits(&mut self, min: usize, max: usize) -> Option<u32> {
        let b = self.s.as_bytes();
        let start = self.i;
        while self.i < b.len() && self.i - start < max && b[self.i].is_ascii_digit() {
            self.i += 1;
        }
        if self.i - start < min {
            self.i = start;
            return None;
        }
        self.s[start..self.i].parse().ok()
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.s.as_bytes().get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn done(&self) -> bool {
        self.i == self.s.len()
    }
}

fn iso_date(c: &mut Cursor<'_>) -> Option<NaiveDate> {
    let neg = c.eat(b'-');
    let plus = !neg && c.eat(b'+');
    let y = c.digits(4, if neg || plus { 9 } else { 4 })? as i32;
    let y = if neg { -y } else { y };
    if !c.eat(b'-') {
        return None;
    }
    let m = c.digits(2, 2)?;
    if !c.eat(b'-') {
        return None;
    }
    let d = c.digits(2, 2)?;
    NaiveDate::from_ymd_opt(y, m, d)
}

fn iso_time(c: &mut Cursor<'_>) -> Option<NaiveTime> {
    let h = c.digits(2, 2)?;
    if !c.eat(b':') {
        return None;
    }
    let m = c.digits(2, 2)?;
    let mut s = 0;
    let mut nanos = 0;
    if c.eat(b':') {
        s = c.digits(2, 2)?;
        if c.eat(b'.') || c.eat(b',') {
            let start = c.i;
            c.digits(1, 9)?;
            let frac = &c.s[start..c.i];
            nanos = format!("{frac:0<9}").parse().ok()?;
        }
    }
    NaiveTime::from_hms_nano_opt(h, m, s, nanos)
}

fn iso_offset(c: &mut Cursor<'_>) -> Option<i32> {
    if c.eat(b'Z') || c.eat(b'z') {
        return Some(0);
    }
    let sign = if c.eat(b'+') {
        1
    } else if c.eat(b'-') {
        -1
    } else {
        return None;
    };
    let h = c.digits(2, 2)? as i32;
    let mut m = 0;
    let mut s = 0;
    if c.eat(b':') {
        m = c.digits(2, 2)? as i32;
        if c.eat(b':') {
            s = c.digits(2, 2)? as i32;
        }
    }
    if h > 18 || m > 59 {
        return None;
    }
    Some(sign * (h * 3600 + m * 60 + s))
}

pub fn zone_of(id: &str) -> R<Zone> {
    if id == "Z" {
        return Ok(Zone::Offset(0));
    }
    if id.starts_with('+') || id.starts_with('-') {
        let mut c = Cursor { s: id, i: 0 };
        return match iso_offset(&mut c) {
            Some(o) if c.done() => Ok(Zone::Offset(o)),
            _ => Err(Exc::new("DateTimeException", format!("Invalid ID for ZoneOffset, invalid format: {id}"))),
        };
    }
    id.parse::<chrono_tz::Tz>().map(Zone::Region).map_err(|_| Exc::new("ZoneRulesException", format!("Unknown time-zone ID: {id}")))
}

fn zone_arg(v: &Val<'_>) -> R<Zone> {
    match v {
        Val::Obj(o) => match &**o {
            Obj::Time(Time::Zone(z)) => Ok(z.clone()),
            _ => Err(Exc::class_cast(format!("Cannot cast [{}] to [java.time.ZoneId]", v.class_name()))),
        },
        Val::Null => Err(Exc::npe("zone")),
        other => Err(Exc::class_cast(format!("Cannot cast [{}] to [java.time.ZoneId]", other.class_name()))),
    }
}

/// `compareTo`: an enum's (`DayOfWeek`, `Month`, `ChronoUnit`) is
/// `Enum.compareTo`, the difference of the ordinals; `ZoneOffset`'s orders
/// by offset descending (`other.totalSeconds - totalSeconds`); the others
/// answer the order's sign.
pub fn compare_to(t: &Time, other: &Time) -> i32 {
    match (t, other) {
        (Time::DayOfWeek(a), Time::DayOfWeek(b)) | (Time::Month(a), Time::Month(b)) => *a as i32 - *b as i32,
        (Time::Unit(a), Time::Unit(b)) => *a as i32 - *b as i32,
        (Time::Zone(Zone::Offset(a)), Time::Zone(Zone::Offset(b))) => b - a,
        _ => t.compare(other) as i32,
    }
}

fn time_arg<'v>(v: &'v Val<'_>) -> R<&'v Time> {
    match v {
        Val::Obj(o) => match &**o {
            Obj::Time(t) => Ok(t),
            _ => Err(Exc::class_cast(format!("Cannot cast [{}] to [java.time.temporal.Temporal]", v.class_name()))),
        },
        Val::Null => Err(Exc::npe("temporal")),
        other => Err(Exc::class_cast(format!("Cannot cast [{}] to [java.time.temporal.Temporal]", other.class_name()))),
    }
}

fn parse_zoned(text: &str, require_zone: bool) -> R<(NaiveDateTime, Zone)> {
    let mut c = Cursor { s: text, i: 0 };
    let date = iso_date(&mut c).ok_or_else(|| parse_error(text, c.i))?;
    if !(c.eat(b'T') || c.eat(b't')) {
        return Err(parse_error(text, c.i));
    }
    let time = iso_time(&mut c).ok_or_else(|| parse_error(text, c.i))?;
    let local = date.and_time(time);
    let offset = iso_offset(&mut c);
    let offset = match offset {
        Some(o) => o,
        None if !require_zone => 0,
        None => return Err(parse_error(text, c.i)),
    };
    let mut zone = Zone::Offset(offset);
    if c.eat(b'[') {
        let start = c.i;
        let end = text[start..].find(']').map(|e| start + e).ok_or_else(|| parse_error(text, start))?;
        zone = zone_of(&text[start..end]).map_err(|_| parse_error(text, start))?;
        c.i = end + 1;
    }
    if !c.done() {
        return Err(Exc::new("DateTimeParseException", format!("Text '{text}' could not be parsed, unparsed text found at index {}", c.i)));
    }
    Ok((local - Delta::seconds(offset as i64), zone))
}

fn parse_local(text: &str) -> R<NaiveDateTime> {
    let mut c = Cursor { s: text, i: 0 };
    let date = iso_date(&mut c).ok_or_else(|| parse_error(text, c.i))?;
    if !(c.eat(b'T') || c.eat(b't')) {
        return Err(parse_error(text, c.i));
    }
    let time = iso_time(&mut c).ok_or_else(|| parse_error(text, c.i))?;
    if !c.done() {
        return Err(Exc::new("DateTimeParseException", format!("Text '{text}' could not be parsed, unparsed text found at index {}", c.i)));
    }
    Ok(date.and_time(time))
}

fn parse_date(text: &str) -> R<NaiveDate> {
    let mut c = Cursor { s: text, i: 0 };
    let d = iso_date(&mut c).ok_or_else(|| parse_error(text, c.i))?;
    if !c.done() {
        return Err(Exc::new("DateTimeParseException", format!("Text '{text}' could not be parsed, unparsed text found at index {}", c.i)));
    }
    Ok(d)
}

// ---- patterns ----

/// `DateTimeFormatter.ofPattern` letters to output.
fn format_pattern(pattern: &str, local: &NaiveDateTime, offset: Option<i32>, zone: Option<&Zone>) -> R<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            let mut j = i + 1;
            if chars.get(j) == Some(&'\'') {
                out.push('\'');
                i += 2;
                continue;
            }
            while j < chars.len() && chars[j] != '\'' {
                out.push(chars[j]);
                j += 1;
            }
            i = j + 1;
            continue;
        }
        if !c.is_ascii_alphabetic() {
            out.push(c);
            i += 1;
            continue;
        }
        let mut n = 1;
        while i + n < chars.len() && chars[i + n] == c {
            n += 1;
        }
        i += n;
        let pad = |v: i64, n: usize| format!("{v:0n$}");
        match c {
            'y' | 'u' => {
                if n == 2 {
                    out.push_str(&pad((local.year() % 100) as i64, 2));
                } else {
                    out.push_str(&pad(local.year() as i64, n));
                }
            }
            'M' | 'L' => match n {
                1 | 2 => out.push_str(&pad(local.month() as i64, n)),
                3 => out.push_str(&title(&MONTHS[local.month0() as usize][..3])),
                _ => out.push_str(&title(MONTHS[local.month0() as usize])),
            },
            'd' => out.push_str(&pad(local.day() as i64, n)),
            'D' => out.push_str(&pad(local.ordinal() as i64, n)),
            'H' => out.push_str(&pad(local.hour() as i64, n)),
            'h' => out.push_str(&pad(((local.hour() + 11) % 12 + 1) as i64, n)),
            'k' => out.push_str(&pad(if local.hour() == 0 { 24 } else { local.hour() as i64 }, n)),
            'm' => out.push_str(&pad(local.minute() as i64, n)),
            's' => out.push_str(&pad(local.second() as i64, n)),
            'S' => {
                let f = format!("{:09}", local.nanosecond() % 1_000_000_000);
                out.push_str(&f[..n.min(9)]);
            }
            'n' => out.push_str(&(local.nanosecond() % 1_000_000_000).to_string()),
            'a' => out.push_str(if local.hour() < 12 { "AM" } else { "PM" }),
            'E' => {
                let d = DAYS[local.weekday().num_days_from_monday() as usize];
                out.push_str(&if n >= 4 { title(d) } else { title(&d[..3]) });
            }
            'e' => out.push_str(&pad(local.weekday().number_from_monday() as i64, n)),
            'X' | 'x' | 'Z' => {
                let off = offset.ok_or_else(|| Exc::new("DateTimeException", format!("Unable to extract ZoneId from temporal {}", local_date_time_string(local))))?;
                if c == 'X' && off == 0 {
                    out.push('Z');
                } else {
                    let sign = if off < 0 { '-' } else { '+' };
                    let a = off.unsigned_abs();
                    let (h, m) = (a / 3600, a / 60 % 60);
                    out.push_str(&match (c, n) {
                        ('Z', 1..=3) | ('X' | 'x', 2 | 4) => format!("{sign}{h:02}{m:02}"),
                        ('X' | 'x', 1) => {
                            if m == 0 {
                                format!("{sign}{h:02}")
                            } else {
                                format!("{sign}{h:02}{m:02}")
                            }
                        }
                        ('Z', 5) => {
                            if off == 0 {
                                "Z".into()
                            } else {
                                format!("{sign}{h:02}:{m:02}")
                            }
                        }
                        _ => format!("{sign}{h:02}:{m:02}"),
                    });
                }
            }
            'V' | 'z' | 'O' => match zone {
                Some(z) => out.push_str(&z.id()),
                None => return Err(Exc::new("DateTimeException", "Unable to extract ZoneId from temporal")),
            },
            other => return Err(Exc::illegal_arg(format!("Unknown pattern letter: {other}"))),
        }
    }
    Ok(out)
}

fn title(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_string() + &c.as_str().to_lowercase(),
        None => String::new(),
    }
}

/// Parses `text` with a Java pattern by translating it to a chrono format.
fn parse_pattern(text: &str, pattern: &str) -> R<(NaiveDate, Option<NaiveTime>, Option<i32>)> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut fmt = String::new();
    let mut i = 0;
    let mut has_time = false;
    let mut has_offset = false;
    let mut text = text.to_string();
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            let mut j = i + 1;
            while j < chars.len() && chars[j] != '\'' {
                if chars[j] == '%' {
                    fmt.push_str("%%");
                } else {
                    fmt.push(chars[j]);
                }
                j += 1;
            }
            i = j + 1;
            continue;
        }
        if !c.is_ascii_alphabetic() {
            if c == '%' {
                fmt.push_str("%%");
            } else {
                fmt.push(c);
            }
            i += 1;
            continue;
        }
        let mut n = 1;
        while i + n < chars.len() && chars[i + n] == c {
            n += 1;
        }
        i += n;
        fmt.push_str(match (c, n) {
            ('y' | 'u', 2) => "%y",
            ('y' | 'u', _) => "%Y",
            ('M', 1 | 2) => "%m",
            ('M', 3) => "%b",
            ('M', _) => "%B",
            ('d', _) => "%d",
            ('D', _) => "%j",
            ('H', _) => {
                has_time = true;
                "%H"
            }
            ('h', _) => {
                has_time = true;
                "%I"
            }
            ('m', _) => "%M",
            ('s', _) => "%S",
            ('S', 3) => "%3f",
            ('S', 6) => "%6f",
            ('S', 9) => "%9f",
            ('a', _) => "%p",
            ('E', 1..=3) => "%a",
            ('E', _) => "%A",
            ('X' | 'x' | 'Z', _) => {
                has_offset = true;
                if c == 'X' && text.ends_with('Z') {
                    text.pop();
                    text.push_str("+00:00");
                }
                "%#z"
            }
            _ => return Err(Exc::illegal_arg(format!("Unsupported pattern letters for parsing: {}", c.to_string().repeat(n)))),
        });
    }
    let err = |_| Exc::new("DateTimeParseException", format!("Text '{text}' could not be parsed at index 0"));
    if has_offset {
        let dt = DateTime::parse_from_str(&text, &fmt).map_err(err)?;
        let off = dt.offset().local_minus_utc();
        let local = dt.naive_local();
        return Ok((local.date(), Some(local.time()), Some(off)));
    }
    if has_time {
        let dt = NaiveDateTime::parse_from_str(&text, &fmt).map_err(err)?;
        return Ok((dt.date(), Some(dt.time()), None));
    }
    let d = NaiveDate::parse_from_str(&text, &fmt).map_err(err)?;
    Ok((d, None, None))
}

/// Renders a temporal with a formatter.
fn format_with(t: &Time, f: &Format, fz: Option<&Zone>) -> R<String> {
    // A formatter with a zone converts instants into it first.
    let (local, offset, zone): (Option<NaiveDateTime>, Option<i32>, Option<Zone>) = match t {
        Time::Zoned { utc, zone } => {
            let z = fz.cloned().unwrap_or_else(|| zone.clone());
            let off = z.offset_at(utc);
            (Some(*utc + Delta::seconds(off as i64)), Some(off), Some(z))
        }
        Time::Instant(utc) => match fz {
            Some(z) => {
                let off = z.offset_at(utc);
                (Some(*utc + Delta::seconds(off as i64)), Some(off), Some(z.clone()))
            }
            None => (None, None, None),
        },
        Time::Local(dt) => (Some(*dt), None, None),
        Time::Date(d) => (Some(d.and_hms_opt(0, 0, 0).unwrap()), None, None),
        _ => return Err(Exc::new("UnsupportedTemporalTypeException", format!("Unsupported temporal: {}", t.to_java_string()))),
    };
    let unsupported = || Exc::new("UnsupportedTemporalTypeException", "Unsupported field");
    let iso_time = |l: &NaiveDateTime| {
        let nanos = l.nanosecond() % 1_000_000_000;
        let mut f = format!("{:09}", nanos);
        while f.ends_with('0') {
            f.pop();
        }
        format!("{:02}:{:02}:{:02}{}", l.hour(), l.minute(), l.second(), if f.is_empty() { String::new() } else { format!(".{f}") })
    };
    Ok(match f {
        Format::IsoInstant => match t {
            Time::Instant(utc) | Time::Zoned { utc, .. } => format_iso_instant(utc),
            _ => return Err(Exc::new("UnsupportedTemporalTypeException", "Unsupported field: InstantSeconds")),
        },
        Format::IsoLocalDate | Format::IsoDate => {
            let l = local.ok_or_else(unsupported)?;
            let mut s = date_string(&l.date());
            if matches!(f, Format::IsoDate) {
                if let Some(o) = offset {
                    s.push_str(&offset_id(o));
                }
            }
            s
        }
        Format::BasicIsoDate => {
            let l = local.ok_or_else(unsupported)?;
            format!("{:04}{:02}{:02}", l.year(), l.month(), l.day())
        }
        Format::IsoLocalTime => {
            let l = local.ok_or_else(unsupported)?;
            iso_time(&l)
        }
        Format::IsoLocalDateTime | Format::IsoOffset | Format::IsoZoned | Format::IsoDateTime => {
            let l = local.ok_or_else(unsupported)?;
            if matches!(t, Time::Date(_)) {
                return Err(Exc::new("UnsupportedTemporalTypeException", "Unsupported field: HourOfDay"));
            }
            let mut s = format!("{}T{}", date_string(&l.date()), iso_time(&l));
            match f {
                Format::IsoLocalDateTime => {}
                Format::IsoOffset => s.push_str(&offset_id(offset.ok_or_else(|| Exc::new("UnsupportedTemporalTypeException", "Unsupported field: OffsetSeconds"))?)),
                _ => {
                    if let Some(o) = offset {
                        s.push_str(&offset_id(o));
                    } else if matches!(f, Format::IsoZoned) {
                        return Err(Exc::new("UnsupportedTemporalTypeException", "Unsupported field: OffsetSeconds"));
                    }
                    if let Some(Zone::Region(tz)) = &zone {
                        s.push_str(&format!("[{}]", tz.name()));
                    }
                }
            }
            s
        }
        Format::Rfc1123 => {
            let field = |name: &str| Exc::new("UnsupportedTemporalTypeException", format!("Unsupported field: {name}"));
            let l = local.ok_or_else(|| field("DayOfMonth"))?;
            if matches!(t, Time::Date(_)) {
                return Err(field("HourOfDay"));
            }
            rfc1123::format(&l, offset.ok_or_else(|| field("OffsetSeconds"))?)?
        }
        Format::Pattern(p) => {
            let l = local.ok_or_else(|| Exc::new("UnsupportedTemporalTypeException", "Unsupported field: YearOfEra"))?;
            format_pattern(p, &l, offset, zone.as_ref())?
        }
    })
}

fn formatter_arg(v: &Val<'_>) -> R<(Format, Option<Zone>)> {
    match time_arg(v)? {
        Time::Formatter(f, z) => Ok((f.clone(), z.clone())),
        other => Err(Exc::class_cast(format!("Cannot cast [{}] to [java.time.format.DateTimeFormatter]", other.class_name()))),
    }
}

/// Parses with a formatter into the pieces a temporal needs.
fn parse_with(text: &str, f: &Format) -> R<(NaiveDate, Option<NaiveTime>, Option<Zone>)> {
    Ok(match f {
        Format::IsoLocalDate | Format::IsoDate => (parse_date(text)?, None, None),
        Format::BasicIsoDate => {
            let d = NaiveDate::parse_from_str(text, "%Y%m%d").map_err(|_| parse_error(text, 0))?;
            (d, None, None)
        }
        Format::IsoLocalDateTime => {
            let l = parse_local(text)?;
            (l.date(), Some(l.time()), None)
        }
        Format::IsoInstant | Format::IsoOffset | Format::IsoZoned | Format::IsoDateTime => {
            let (utc, zone) = parse_zoned(text, !matches!(f, Format::IsoDateTime))?;
            let off = zone.offset_at(&utc);
            let l = utc + Delta::seconds(off as i64);
            (l.date(), Some(l.time()), Some(zone))
        }
        Format::IsoLocalTime => return Err(Exc::new("DateTimeParseException", format!("Text '{text}' could not be parsed: Unable to obtain a date"))),
        Format::Rfc1123 => {
            let (d, t, off) = rfc1123::parse(text)?;
            (d, Some(t), Some(Zone::Offset(off)))
        }
        Format::Pattern(p) => {
            let (d, t, off) = parse_pattern(text, p)?;
            (d, t, off.map(Zone::Offset))
        }
    })
}

fn duration_from_nanos(n: i128) -> Time {
    let secs = n.div_euclid(1_000_000_000) as i64;
    let nanos = n.rem_euclid(1_000_000_000) as u32;
    Time::Duration(secs, nanos)
}

fn duration_nanos(s: i64, n: u32) -> i128 {
    s as i128 * 1_000_000_000 + n as i128
}

fn nanos_between(a: &NaiveDateTime, b: &NaiveDateTime) -> i128 {
    let d = *b - *a;
    d.num_seconds() as i128 * 1_000_000_000 + d.subsec_nanos() as i128
}

fn months_between(a: &NaiveDateTime, b: &NaiveDateTime) -> i64 {
    let total = |d: &NaiveDateTime| d.year() as i64 * 12 + d.month0() as i64;
    let mut months = total(b) - total(a);
    let rest = |d: &NaiveDateTime| (d.day(), d.time());
    if months > 0 && rest(b) < rest(a) {
        months -= 1;
    } else if months < 0 && rest(b) > rest(a) {
        months += 1;
    }
    months
}

/// The local date-time used for calendar arithmetic, and how to rebuild the
/// temporal from a new one.
fn local_of(t: &Time) -> Option<NaiveDateTime> {
    match t {
        Time::Zoned { utc, zone } => Some(*utc + Delta::seconds(zone.offset_at(utc) as i64)),
        Time::Instant(utc) => Some(*utc),
        Time::Local(l) => Some(*l),
        Time::Date(d) => Some(d.and_hms_opt(0, 0, 0).unwrap()),
        _ => None,
    }
}

fn rebuild(t: &Time, local: NaiveDateTime) -> Time {
    match t {
        Time::Zoned { zone, .. } => {
            let off = zone.offset_for_local(&local);
            Time::Zoned { utc: local - Delta::seconds(off as i64), zone: zone.clone() }
        }
        Time::Instant(_) => Time::Instant(local),
        Time::Local(_) => Time::Local(local),
        Time::Date(_) => Time::Date(local.date()),
        other => other.clone(),
    }
}

fn unit_between(unit: Unit, a: &Time, b: &Time) -> R<i64> {
    if let (Some(x), Some(y)) = (a.instant(), b.instant()) {
        if let Some(n) = unit.nanos() {
            if !matches!(unit, Unit::Days | Unit::Weeks) || matches!(a, Time::Instant(_)) {
                return Ok((nanos_between(&x, &y) / n) as i64);
            }
        }
    }
    let (la, lb) = match (local_of(a), local_of(b)) {
        (Some(x), Some(y)) => (x, y),
        _ => return Err(Exc::new("UnsupportedTemporalTypeException", format!("Unsupported unit: {}", unit.name()))),
    };
    let lb = match (a, b) {
        (Time::Zoned { .. }, Time::Zoned { utc, .. }) => {
            if let Time::Zoned { zone, .. } = a {
                *utc + Delta::seconds(zone.offset_at(utc) as i64)
            } else {
                lb
            }
        }
        _ => lb,
    };
    Ok(match unit {
        Unit::Months => months_between(&la, &lb),
        Unit::Years => months_between(&la, &lb) / 12,
        u => (nanos_between(&la, &lb) / u.nanos().unwrap()) as i64,
    })
}

fn overflow() -> Exc {
    Exc::new("DateTimeException", "Invalid value for Year: out of the supported range")
}

/// A chrono delta for a nanosecond count, however large, or an overflow error.
fn delta_of(nanos: i128) -> R<Delta> {
    let secs = i64::try_from(nanos.div_euclid(1_000_000_000)).map_err(|_| overflow())?;
    let rest = nanos.rem_euclid(1_000_000_000) as i64;
    Delta::try_seconds(secs).map(|d| d + Delta::nanoseconds(rest)).ok_or_else(overflow)
}

fn plus(t: &Time, amount: i64, unit: Unit) -> R<Time> {
    if let Time::Duration(s, n) = t {
        let add = unit.nanos().ok_or_else(|| Exc::new("UnsupportedTemporalTypeException", "Unit must not have an estimated duration"))?;
        return Ok(duration_from_nanos(duration_nanos(*s, *n) + add * amount as i128));
    }
    match unit {
        Unit::Months | Unit::Years => {
            let local = local_of(t).ok_or_else(|| Exc::new("UnsupportedTemporalTypeException", format!("Unsupported unit: {}", unit.name())))?;
            if matches!(t, Time::Instant(_)) {
                return Err(Exc::new("UnsupportedTemporalTypeException", format!("Unsupported unit: {}", unit.name())));
            }
            let months = if unit == Unit::Years { amount * 12 } else { amount };
            let total = local.year() as i64 * 12 + local.month0() as i64 + months;
            let y = i32::try_from(total.div_euclid(12)).map_err(|_| overflow())?;
            let m = total.rem_euclid(12) as u32 + 1;
            let last = (28..=31).rev().find(|d| NaiveDate::from_ymd_opt(y, m, *d).is_some()).unwrap_or(28);
            let date = NaiveDate::from_ymd_opt(y, m, local.day().min(last)).ok_or_else(|| Exc::new("DateTimeException", "Invalid date"))?;
            Ok(rebuild(t, date.and_time(local.time())))
        }
        Unit::Days | Unit::Weeks | Unit::HalfDays if matches!(t, Time::Zoned { .. } | Time::Local(_) | Time::Date(_)) => {
            let local = local_of(t).unwrap();
            let delta = delta_of(unit.nanos().unwrap() * amount as i128)?;
            Ok(rebuild(t, local.checked_add_signed(delta).ok_or_else(overflow)?))
        }
        _ => {
            let delta = delta_of(unit.nanos().unwrap() * amount as i128)?;
            Ok(match t {
                Time::Zoned { utc, zone } => Time::Zoned { utc: utc.checked_add_signed(delta).ok_or_else(overflow)?, zone: zone.clone() },
                Time::Instant(utc) => Time::Instant(utc.checked_add_signed(delta).ok_or_else(overflow)?),
                Time::Local(l) => Time::Local(l.checked_add_signed(delta).ok_or_else(overflow)?),
                Time::TimeOfDay(tt) => Time::TimeOfDay(*tt + delta),
                Time::Date(_) => return Err(Exc::new("UnsupportedTemporalTypeException", format!("Unsupported unit: {}", unit.name()))),
                other => return Err(Exc::new("UnsupportedTemporalTypeException", format!("Unsupported unit for {}", other.class_name()))),
            })
        }
    }
}

fn unit_arg(v: &Val<'_>) -> R<Unit> {
    match time_arg(v)? {
        Time::Unit(u) => Ok(*u),
        other => Err(Exc::class_cast(format!("Cannot cast [{}] to [java.time.temporal.TemporalUnit]", other.class_name()))),
    }
}

pub fn call<'a>(t: &Time, name: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    let r = (|| -> R<Option<Val<'a>>> {
        let local = local_of(t);
        let field = |f: fn(&NaiveDateTime) -> i64| -> R<Val<'a>> {
            match (t, local) {
                (Time::Instant(_), _) | (_, None) => Err(Exc::new("UnsupportedTemporalTypeException", format!("Unsupported field for {}", t.class_name()))),
                (_, Some(l)) => Ok(Val::Int(f(&l) as i32)),
            }
        };
        let tf = |f: fn(&NaiveTime) -> i64| -> R<Val<'a>> {
            match (t, local) {
                (Time::TimeOfDay(tt), _) => Ok(Val::Int(f(tt) as i32)),
                (Time::Date(_) | Time::Instant(_), _) | (_, None) => Err(Exc::new("UnsupportedTemporalTypeException", format!("Unsupported field for {}", t.class_name()))),
                (_, Some(l)) => Ok(Val::Int(f(&l.time()) as i32)),
            }
        };
        Ok(Some(match (name, args.len()) {
            ("getYear", 0) => field(|l| l.year() as i64)?,
            ("getMonthValue", 0) => field(|l| l.month() as i64)?,
            ("getMonth", 0) => match local {
                Some(l) if !matches!(t, Time::Instant(_)) => time_val(Time::Month(l.month())),
                _ => return Ok(None),
            },
            ("getDayOfMonth", 0) => field(|l| l.day() as i64)?,
            ("getDayOfYear", 0) => field(|l| l.ordinal() as i64)?,
            ("getDayOfWeek", 0) => match local {
                Some(l) if !matches!(t, Time::Instant(_)) => time_val(Time::DayOfWeek(l.weekday().number_from_monday())),
                _ => return Ok(None),
            },
            ("getHour", 0) => tf(|l| l.hour() as i64)?,
            ("getMinute", 0) => tf(|l| l.minute() as i64)?,
            ("getSecond", 0) => tf(|l| l.second() as i64)?,
            ("getNano", 0) => match t {
                Time::Duration(_, n) => Val::Int(*n as i32),
                Time::Instant(u) => Val::Int((u.nanosecond() % 1_000_000_000) as i32),
                _ => tf(|l| (l.nanosecond() % 1_000_000_000) as i64)?,
            },
            ("getValue", 0) => match t {
                Time::DayOfWeek(d) | Time::Month(d) => Val::Int(*d as i32),
                _ => return Ok(None),
            },
            ("name", 0) => match t {
                Time::DayOfWeek(_) | Time::Month(_) => Val::string(t.to_java_string()),
                Time::Unit(u) => Val::string(u.name().to_uppercase()),
                _ => return Ok(None),
            },
            ("getId", 0) => match t {
                Time::Zone(z) => Val::string(z.id()),
                _ => return Ok(None),
            },
            ("getTotalSeconds", 0) => match t {
                Time::Zone(Zone::Offset(s)) => Val::Int(*s),
                _ => return Ok(None),
            },
            ("toLocalDate", 0) => match (t, local) {
                (Time::Zoned { .. } | Time::Local(_), Some(l)) => time_val(Time::Date(l.date())),
                _ => return Ok(None),
            },
            ("toLocalTime", 0) => match (t, local) {
                (Time::Zoned { .. } | Time::Local(_), Some(l)) => time_val(Time::TimeOfDay(l.time())),
                _ => return Ok(None),
            },
            ("toLocalDateTime", 0) => match (t, local) {
                (Time::Zoned { .. }, Some(l)) => time_val(Time::Local(l)),
                _ => return Ok(None),
            },
            ("toInstant", 0) => match t {
                Time::Zoned { utc, .. } => time_val(Time::Instant(*utc)),
                _ => return Ok(None),
            },
            ("toEpochSecond" | "getEpochSecond", 0) => match t.instant() {
                Some(u) => Val::Long(u.and_utc().timestamp()),
                None => return Ok(None),
            },
            ("toEpochMilli", 0) => match t {
                Time::Instant(u) => Val::Long(u.and_utc().timestamp_millis()),
                _ => return Ok(None),
            },
            ("getZone", 0) => match t {
                Time::Zoned { zone, .. } => time_val(Time::Zone(zone.clone())),
                Time::Formatter(_, z) => z.clone().map(|z| time_val(Time::Zone(z))).unwrap_or_else(|| Val::Null),
                _ => return Ok(None),
            },
            ("getOffset", 0) => match t {
                Time::Zoned { utc, zone } => time_val(Time::Zone(Zone::Offset(zone.offset_at(utc)))),
                _ => return Ok(None),
            },
            ("withZoneSameInstant", 1) | ("atZone", 1) => {
                let z = zone_arg(&args[0])?;
                match t {
                    Time::Zoned { utc, .. } | Time::Instant(utc) => time_val(Time::Zoned { utc: *utc, zone: z }),
                    Time::Local(l) => {
                        let off = z.offset_for_local(l);
                        time_val(Time::Zoned { utc: *l - Delta::seconds(off as i64), zone: z })
                    }
                    _ => return Ok(None),
                }
            }
            ("withZoneSameLocal", 1) => match (t, local) {
                (Time::Zoned { .. }, Some(l)) => {
                    let z = zone_arg(&args[0])?;
                    let off = z.offset_for_local(&l);
                    time_val(Time::Zoned { utc: l - Delta::seconds(off as i64), zone: z })
                }
                _ => return Ok(None),
            },
            ("withZone", 1) => match t {
                Time::Formatter(f, _) => time_val(Time::Formatter(f.clone(), Some(zone_arg(&args[0])?))),
                _ => return Ok(None),
            },
            ("atStartOfDay", 0 | 1) => match t {
                Time::Date(d) => {
                    let l = d.and_hms_opt(0, 0, 0).unwrap();
                    match args.first() {
                        None => time_val(Time::Local(l)),
                        Some(z) => {
                            let z = zone_arg(z)?;
                            let off = z.offset_for_local(&l);
                            time_val(Time::Zoned { utc: l - Delta::seconds(off as i64), zone: z })
                        }
                    }
                }
                _ => return Ok(None),
            },
            ("plus" | "minus", 1) => {
                let sign = if name == "plus" { 1 } else { -1 };
                match time_arg(&args[0])? {
                    Time::Duration(s, n) => {
                        let nanos = duration_nanos(*s, *n) * sign;
                        match t {
                            Time::Duration(a, b) => time_val(duration_from_nanos(duration_nanos(*a, *b) + nanos)),
                            _ => time_val(plus(t, nanos as i64, Unit::Nanos)?),
                        }
                    }
                    other => return Err(Exc::class_cast(format!("Cannot cast [{}] to [java.time.temporal.TemporalAmount]", other.class_name()))),
                }
            }
            ("plus" | "minus", 2) => {
                let n = arg_int(args, 0)?;
                let unit = unit_arg(&args[1])?;
                time_val(plus(t, if name == "plus" { n } else { -n }, unit)?)
            }
            (m, 1) if m.starts_with("plus") || m.starts_with("minus") => {
                let n = arg_int(args, 0)?;
                let n = if m.starts_with("minus") { -n } else { n };
                let unit = match m.trim_start_matches("plus").trim_start_matches("minus") {
                    "Years" => Unit::Years,
                    "Months" => Unit::Months,
                    "Weeks" => Unit::Weeks,
                    "Days" => Unit::Days,
                    "Hours" => Unit::Hours,
                    "Minutes" => Unit::Minutes,
                    "Seconds" => Unit::Seconds,
                    "Millis" => Unit::Millis,
                    "Nanos" => Unit::Nanos,
                    _ => return Ok(None),
                };
                time_val(plus(t, n, unit)?)
            }
            ("isBefore" | "isAfter" | "isEqual", 1) => {
                let o = time_arg(&args[0])?;
                let ord = t.compare(o);
                Val::Bool(match name {
                    "isBefore" => ord == Ordering::Less,
                    "isAfter" => ord == Ordering::Greater,
                    _ => ord == Ordering::Equal,
                })
            }
            ("compareTo", 1) => Val::Int(compare_to(t, time_arg(&args[0])?)),
            // `formatter.format(temporal)` is the same as `temporal.format(formatter)`.
            ("format", 1) => match t {
                Time::Formatter(f, z) => Val::string(format_with(time_arg(&args[0])?, f, z.as_ref())?),
                _ => {
                    let (f, z) = formatter_arg(&args[0])?;
                    Val::string(format_with(t, &f, z.as_ref())?)
                }
            },
            ("truncatedTo", 1) => {
                let unit = unit_arg(&args[0])?;
                let n = unit.nanos().filter(|n| *n <= 86_400_000_000_000).ok_or_else(|| Exc::new("UnsupportedTemporalTypeException", "Unit is too large to be used for truncation"))?;
                let local = local_of(t).ok_or_else(|| Exc::new("UnsupportedTemporalTypeException", "Unsupported unit"))?;
                let of_day = local.time().num_seconds_from_midnight() as i128 * 1_000_000_000 + (local.nanosecond() % 1_000_000_000) as i128;
                let cut = of_day - of_day % n;
                let new = local.date().and_hms_opt(0, 0, 0).unwrap() + Delta::nanoseconds(cut as i64);
                time_val(rebuild(t, new))
            }
            ("until", 2) => Val::Long(unit_between(unit_arg(&args[1])?, t, time_arg(&args[0])?)?),
            ("between", 2) => match t {
                Time::Unit(u) => Val::Long(unit_between(*u, time_arg(&args[0])?, time_arg(&args[1])?)?),
                _ => return Ok(None),
            },
            ("toNanos" | "toMillis" | "toSeconds" | "getSeconds" | "toMinutes" | "toHours" | "toDays", 0) => match t {
                Time::Duration(s, n) => {
                    let total = duration_nanos(*s, *n);
                    Val::Long(match name {
                        "toNanos" => total as i64,
                        "toMillis" => total.div_euclid(1_000_000) as i64,
                        "toSeconds" | "getSeconds" => *s,
                        "toMinutes" => s / 60,
                        "toHours" => s / 3600,
                        _ => s / 86400,
                    })
                }
                _ => return Ok(None),
            },
            ("isNegative", 0) => match t {
                Time::Duration(s, _) => Val::Bool(*s < 0),
                _ => return Ok(None),
            },
            ("isZero", 0) => match t {
                Time::Duration(s, n) => Val::Bool(*s == 0 && *n == 0),
                _ => return Ok(None),
            },
            ("negated" | "abs", 0) => match t {
                Time::Duration(s, n) => {
                    let total = duration_nanos(*s, *n);
                    time_val(duration_from_nanos(if name == "abs" { total.abs() } else { -total }))
                }
                _ => return Ok(None),
            },
            (w @ ("withHour" | "withMinute" | "withSecond" | "withNano" | "withDayOfMonth"), 1) => {
                let v = arg_int(args, 0)? as u32;
                let l = local.ok_or_else(|| Exc::new("UnsupportedTemporalTypeException", "Unsupported field"))?;
                let bad = || Exc::new("DateTimeException", format!("Invalid value for {w}: {v}"));
                let new = match w {
                    "withHour" => l.with_hour(v),
                    "withMinute" => l.with_minute(v),
                    "withSecond" => l.with_second(v),
                    "withNano" => l.with_nanosecond(v),
                    _ => l.with_day(v),
                }
                .ok_or_else(bad)?;
                time_val(rebuild(t, new))
            }
            ("equals", 1) => Val::Bool(matches!(&args[0], Val::Obj(o) if matches!(&**o, Obj::Time(x) if x == t))),
            ("toString", 0) => Val::string(t.to_java_string()),
            _ => return Ok(None),
        }))
    })();
    match r {
        Ok(Some(v)) => Some(Ok(v)),
        Ok(None) => None,
        Err(e) => Some(Err(e)),
    }
}

pub fn call_static<'a>(class: &str, name: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    let r = (|| -> R<Option<Val<'a>>> {
        let int = |i: usize| arg_int(args, i);
        Ok(Some(match (class, name, args.len()) {
            ("ZonedDateTime", "parse", 1) => {
                let (utc, zone) = parse_zoned(arg_str(args, 0, name)?, true)?;
                time_val(Time::Zoned { utc, zone })
            }
            ("ZonedDateTime" | "LocalDateTime" | "LocalDate" | "Instant", "parse", 2) => {
                let text = arg_str(args, 0, name)?;
                let (f, fz) = formatter_arg(&args[1])?;
                let (d, t, z) = parse_with(text, &f)?;
                let local = d.and_time(t.unwrap_or_default());
                match class {
                    "LocalDate" => time_val(Time::Date(d)),
                    "LocalDateTime" => {
                        if t.is_none() {
                            return Err(Exc::new("DateTimeParseException", format!("Text '{text}' could not be parsed: Unable to obtain LocalDateTime from TemporalAccessor")));
                        }
                        time_val(Time::Local(local))
                    }
                    _ => {
                        let zone = z.or(fz).ok_or_else(|| Exc::new("DateTimeParseException", format!("Text '{text}' could not be parsed: Unable to obtain {class} from TemporalAccessor")))?;
                        if t.is_none() {
                            return Err(Exc::new("DateTimeParseException", format!("Text '{text}' could not be parsed: Unable to obtain {class} from TemporalAccessor")));
                        }
                        let off = zone.offset_for_local(&local);
                        let utc = local - Delta::seconds(off as i64);
                        if class == "Instant" {
                            time_val(Time::Instant(utc))
                        } else {
                            time_val(Time::Zoned { utc, zone })
                        }
                    }
                }
            }
            ("ZonedDateTime", "of", 8) => {
                let date = NaiveDate::from_ymd_opt(int(0)? as i32, int(1)? as u32, int(2)? as u32).ok_or_else(|| Exc::new("DateTimeException", "Invalid date"))?;
                let time = NaiveTime::from_hms_nano_opt(int(3)? as u32, int(4)? as u32, int(5)? as u32, int(6)? as u32).ok_or_else(|| Exc::new("DateTimeException", "Invalid time"))?;
                let zone = zone_arg(&args[7])?;
                let local = date.and_time(time);
                let off = zone.offset_for_local(&local);
                time_val(Time::Zoned { utc: local - Delta::seconds(off as i64), zone })
            }
            ("ZonedDateTime", "ofInstant", 2) => match time_arg(&args[0])? {
                Time::Instant(utc) => time_val(Time::Zoned { utc: *utc, zone: zone_arg(&args[1])? }),
                other => return Err(Exc::class_cast(format!("Cannot cast [{}] to [java.time.Instant]", other.class_name()))),
            },
            ("LocalDateTime", "ofInstant", 2) => match time_arg(&args[0])? {
                Time::Instant(utc) => {
                    let z = zone_arg(&args[1])?;
                    time_val(Time::Local(*utc + Delta::seconds(z.offset_at(utc) as i64)))
                }
                other => return Err(Exc::class_cast(format!("Cannot cast [{}] to [java.time.Instant]", other.class_name()))),
            },
            ("Instant", "parse", 1) => {
                let (utc, _) = parse_zoned(arg_str(args, 0, name)?, true)?;
                time_val(Time::Instant(utc))
            }
            ("Instant", "ofEpochMilli", 1) => {
                let ms = int(0)?;
                let dt = DateTime::from_timestamp_millis(ms).ok_or_else(|| Exc::new("DateTimeException", "Instant exceeds minimum or maximum instant"))?;
                time_val(Time::Instant(dt.naive_utc()))
            }
            ("Instant", "ofEpochSecond", 1 | 2) => {
                let s = int(0)?;
                let adj = if args.len() == 2 { int(1)? } else { 0 };
                let total = s as i128 * 1_000_000_000 + adj as i128;
                let dt = DateTime::from_timestamp(total.div_euclid(1_000_000_000) as i64, total.rem_euclid(1_000_000_000) as u32)
                    .ok_or_else(|| Exc::new("DateTimeException", "Instant exceeds minimum or maximum instant"))?;
                time_val(Time::Instant(dt.naive_utc()))
            }
            ("LocalDateTime", "parse", 1) => time_val(Time::Local(parse_local(arg_str(args, 0, name)?)?)),
            ("LocalDate", "parse", 1) => time_val(Time::Date(parse_date(arg_str(args, 0, name)?)?)),
            ("LocalTime", "parse", 1) => {
                let text = arg_str(args, 0, name)?;
                let mut c = Cursor { s: text, i: 0 };
                match iso_time(&mut c) {
                    Some(t) if c.done() => time_val(Time::TimeOfDay(t)),
                    _ => return Err(parse_error(text, c.i)),
                }
            }
            ("LocalDateTime", "of", 5..=7) => {
                let date = NaiveDate::from_ymd_opt(int(0)? as i32, int(1)? as u32, int(2)? as u32).ok_or_else(|| Exc::new("DateTimeException", "Invalid date"))?;
                let s = if args.len() > 5 { int(5)? as u32 } else { 0 };
                let n = if args.len() > 6 { int(6)? as u32 } else { 0 };
                let time = NaiveTime::from_hms_nano_opt(int(3)? as u32, int(4)? as u32, s, n).ok_or_else(|| Exc::new("DateTimeException", "Invalid time"))?;
                time_val(Time::Local(date.and_time(time)))
            }
            ("LocalDate", "of", 3) => {
                let date = NaiveDate::from_ymd_opt(int(0)? as i32, int(1)? as u32, int(2)? as u32).ok_or_else(|| Exc::new("DateTimeException", "Invalid date"))?;
                time_val(Time::Date(date))
            }
            ("LocalTime", "of", 2..=4) => {
                let s = if args.len() > 2 { int(2)? as u32 } else { 0 };
                let n = if args.len() > 3 { int(3)? as u32 } else { 0 };
                let t = NaiveTime::from_hms_nano_opt(int(0)? as u32, int(1)? as u32, s, n).ok_or_else(|| Exc::new("DateTimeException", "Invalid time"))?;
                time_val(Time::TimeOfDay(t))
            }
            ("Duration", "between", 2) => {
                let (a, b) = (time_arg(&args[0])?, time_arg(&args[1])?);
                let n = match (a.instant(), b.instant(), local_of(a), local_of(b)) {
                    (Some(x), Some(y), _, _) => nanos_between(&x, &y),
                    (_, _, Some(x), Some(y)) if !matches!(a, Time::Date(_)) => nanos_between(&x, &y),
                    _ => match (a, b) {
                        (Time::TimeOfDay(x), Time::TimeOfDay(y)) => {
                            let d = *y - *x;
                            d.num_nanoseconds().unwrap_or(0) as i128
                        }
                        _ => return Err(Exc::new("UnsupportedTemporalTypeException", "Unsupported unit: Seconds")),
                    },
                };
                time_val(duration_from_nanos(n))
            }
            ("Duration", unit @ ("ofMillis" | "ofSeconds" | "ofMinutes" | "ofHours" | "ofDays" | "ofNanos"), 1) => {
                let n = int(0)? as i128;
                let per = match unit {
                    "ofNanos" => 1,
                    "ofMillis" => 1_000_000,
                    "ofSeconds" => 1_000_000_000,
                    "ofMinutes" => 60_000_000_000,
                    "ofHours" => 3_600_000_000_000,
                    _ => 86_400_000_000_000,
                };
                time_val(duration_from_nanos(n * per))
            }
            ("ZoneId", "of", 1) | ("ZoneOffset", "of", 1) => {
                let id = arg_str(args, 0, name)?;
                let z = zone_of(id)?;
                if class == "ZoneOffset" && matches!(z, Zone::Region(_)) {
                    return Err(Exc::new("DateTimeException", format!("Invalid ID for ZoneOffset, invalid format: {id}")));
                }
                time_val(Time::Zone(z))
            }
            // java.time.txt's `of(String,Map)`: an id the map holds is
            // replaced by its value first (the pipelines pass SHORT_IDS).
            ("ZoneId", "of", 2) => {
                let id = arg_str(args, 0, name)?;
                let aliased = match &args[1] {
                    Val::Map(m) => map_get_str(m, id),
                    Val::Null => return Err(Exc::npe("aliasMap")),
                    other => return Err(Exc::class_cast(format!("Cannot cast [{}] to [java.util.Map]", other.class_name()))),
                };
                let id = match aliased {
                    Some(Val::Str(s)) => s.to_string(),
                    Some(other) => return Err(Exc::class_cast(format!("Cannot cast [{}] to [java.lang.String]", other.class_name()))),
                    None => id.to_string(),
                };
                time_val(Time::Zone(zone_of(&id)?))
            }
            ("ZoneOffset", "ofHours", 1) => time_val(Time::Zone(Zone::Offset(int(0)? as i32 * 3600))),
            ("ZoneOffset", "ofHoursMinutes", 2) => time_val(Time::Zone(Zone::Offset(int(0)? as i32 * 3600 + int(1)? as i32 * 60))),
            ("DateTimeFormatter", "ofPattern", 1) => {
                let p = arg_str(args, 0, name)?;
                format_pattern(p, &NaiveDate::from_ymd_opt(2000, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap(), Some(0), Some(&Zone::Offset(0)))
                    .map_err(|mut e| Exc::illegal_arg(e.message.take().unwrap_or_default()))?;
                time_val(Time::Formatter(Format::Pattern(p.to_string()), None))
            }
            _ => return Ok(None),
        }))
    })();
    match r {
        Ok(Some(v)) => Some(Ok(v)),
        Ok(None) => None,
        Err(e) => Some(Err(e)),
    }
}

pub fn static_field<'a>(class: &str, name: &str) -> Option<R<Val<'a>>> {
    if (class, name) == ("ZoneId", "SHORT_IDS") {
        let mut map = JMap::new(MapKind::Hash);
        for (k, v) in super::legacy_date::SHORT_IDS {
            map.put_str(k, Val::str(v));
        }
        return Some(Ok(Val::new_map(map)));
    }
    let t = match (class, name) {
        ("ZoneOffset", "UTC") => Time::Zone(Zone::Offset(0)),
        ("Instant", "EPOCH") => Time::Instant(DateTime::from_timestamp(0, 0).unwrap().naive_utc()),
        ("Duration", "ZERO") => Time::Duration(0, 0),
        ("ChronoUnit", u) => Time::Unit(match u {
            "NANOS" => Unit::Nanos,
            "MICROS" => Unit::Micros,
            "MILLIS" => Unit::Millis,
            "SECONDS" => Unit::Seconds,
            "MINUTES" => Unit::Minutes,
            "HOURS" => Unit::Hours,
            "HALF_DAYS" => Unit::HalfDays,
            "DAYS" => Unit::Days,
            "WEEKS" => Unit::Weeks,
            "MONTHS" => Unit::Months,
            "YEARS" => Unit::Years,
            _ => return None,
        }),
        ("DateTimeFormatter", f) => Time::Formatter(
            match f {
                "ISO_INSTANT" => Format::IsoInstant,
                "ISO_ZONED_DATE_TIME" => Format::IsoZoned,
                "ISO_OFFSET_DATE_TIME" => Format::IsoOffset,
                "ISO_LOCAL_DATE_TIME" => Format::IsoLocalDateTime,
                "ISO_LOCAL_DATE" => Format::IsoLocalDate,
                "ISO_LOCAL_TIME" => Format::IsoLocalTime,
                "ISO_DATE_TIME" => Format::IsoDateTime,
                "ISO_DATE" => Format::IsoDate,
                "BASIC_ISO_DATE" => Format::BasicIsoDate,
                "RFC_1123_DATE_TIME" => Format::Rfc1123,
                _ => return None,
            },
            None,
        ),
        _ => return None,
    };
    Some(Ok(time_val(t)))
}



/// `Date.from(instant)`: the instant's milliseconds (an Instant only).
pub fn instant_epoch_millis(t: &Time) -> R<i64> {
    match t {
        Time::Instant(utc) => Ok(utc.and_utc().timestamp_millis()),
        other => Err(super::super::interp::jvm_cast_error(other.class_name(), "java.time.Instant")),
    }
}
