//! The pre-java.time date classes that lang-painless whitelists
//! (`java.text.txt`, `java.util.txt`) and ingest pipelines call:
//! `SimpleDateFormat` (constructors `()`, `(String)`, `(String,Locale)`;
//! `parse(String)`, `format(Object)`, `getTimeZone`, `setTimeZone`,
//! `isLenient`, `setLenient`, `toPattern`, `applyPattern`), `Date`
//! (`()`, `(long)`, `getTime`, `setTime`, `before`, `after`, `compareTo`,
//! `Date.from(Instant)`, Object's `toString`/`equals`/`hashCode`),
//! `TimeZone` (`getTimeZone(String)`, `getDefault()`, `getID`,
//! `getRawOffset`, `getOffset(long)`, `getDisplayName()`, `useDaylightTime`,
//! `inDaylightTime`, `toZoneId`) and the `ParseException` that `parse`
//! throws. The postgresql and cisco_ios log pipelines read a zone
//! abbreviation with `new SimpleDateFormat("z").parse(tz)` and then
//! `getTimeZone().getID()`.
//!
//! The semantics are OpenJDK's `SimpleDateFormat` over a lenient
//! `GregorianCalendar` (Julian before 1582-10-15), observed on JDK 25 (the
//! JDK line Elasticsearch 9 bundles) run as Elasticsearch runs it:
//! `SystemJvmOptions` sets `-Djava.locale.providers=CLDR` (8.15 and earlier
//! set `SPI,COMPAT`; 8.16, bundling JDK 23, moved to CLDR) and sets neither
//! `user.timezone` nor a language, so the JVM's defaults are the host's: UTC
//! and English in the Docker image elastic-package runs. The default zone is
//! therefore UTC here and the locale English (`Locale.ENGLISH` and
//! `Locale.US` are accepted; their symbols and week rules, Sunday first and
//! one day in the first week, are the same).
//!
//! Zone names (`z`) come from [`super::zone_names`], generated from that JDK.
//! Not here: parsing the week fields `Y w W F` and a day of week without a
//! day of month or year (they fail naming themselves), other locales, and
//! `DateFormatSymbols`/`Calendar`/`ParsePosition`. `clone` (whitelisted on
//! `Format`, `Date` and `TimeZone`) gives an independent copy, as Java's
//! does.

use super::super::val::*;
use super::super::Exc;
use super::zone_names::ZONE_NAMES;
use super::{arg_str, Obj};
use chrono::{NaiveDateTime, TimeZone as _};
use chrono_tz::OffsetComponents;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

type R<T> = Result<T, Exc>;

pub const METHODS: &[&str] = &[
    "parse", "format", "getTimeZone", "setTimeZone", "isLenient", "setLenient", "toPattern", "applyPattern", "getTime", "setTime", "before",
    "after", "compareTo", "getID", "getRawOffset", "getOffset", "getDisplayName", "useDaylightTime", "inDaylightTime", "toZoneId",
];

pub const STATICS: &[(&str, &str)] = &[("TimeZone", "getTimeZone"), ("TimeZone", "getDefault"), ("Date", "from")];

const MS_PER_DAY: i64 = 86_400_000;
/// 1582-10-15, GregorianCalendar's default cutover, as days since the epoch:
/// earlier dates are Julian.
const CUTOVER_DAY: i64 = -141_427;

// English names, shared with java.time's (`crate::date::fields`), whose
// weeks start on Monday where Calendar's DAY_OF_WEEK starts on Sunday (1).
use crate::date::fields::{AMPM as AM_PM, DAYS_FULL, DAYS_SHORT, ERAS_SHORT as ERAS, MONTHS_FULL as MONTHS, MONTHS_SHORT as SHORT_MONTHS};

/// The name of Calendar's DAY_OF_WEEK `dow` (1 for Sunday) in `names`
/// (Monday first).
fn weekday_name(names: &'static [&'static str; 7], dow: i64) -> &'static str {
    names[(dow + 5).rem_euclid(7) as usize]
}

/// Calendar's DAY_OF_WEEK of the day at `index` of a Monday-first list.
fn calendar_day_of_week(index: usize) -> i64 {
    (index as i64 + 1) % 7 + 1
}

/// `new SimpleDateFormat()`'s pattern: CLDR's English short date and time,
/// with the narrow no-break space CLDR 42 (JDK 20) put before the AM/PM
/// marker.
const DEFAULT_PATTERN: &str = "M/d/yy, h:mm\u{202f}a";

// ---- time zones ----

#[derive(Debug, Clone, PartialEq)]
enum Rules {
    /// A fixed offset in milliseconds (custom `GMT+hh:mm` ids).
    Fixed(i32),
    Region(chrono_tz::Tz),
}

/// A `java.util.TimeZone` (a `sun.util.calendar.ZoneInfo`): its id and rules.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeZone {
    id: String,
    rules: Rules,
}

/// `ZoneId.SHORT_IDS`, which also names the rules of the JDK's old
/// three-letter `TimeZone` ids that the tz database lacks.
pub const SHORT_IDS: &[(&str, &str)] = &[
    ("ACT", "Australia/Darwin"),
    ("AET", "Australia/Sydney"),
    ("AGT", "America/Argentina/Buenos_Aires"),
    ("ART", "Africa/Cairo"),
    ("AST", "America/Anchorage"),
    ("BET", "America/Sao_Paulo"),
    ("BST", "Asia/Dhaka"),
    ("CAT", "Africa/Harare"),
    ("CNT", "America/St_Johns"),
    ("CST", "America/Chicago"),
    ("CTT", "Asia/Shanghai"),
    ("EAT", "Africa/Addis_Ababa"),
    ("ECT", "Europe/Paris"),
    ("IET", "America/Indiana/Indianapolis"),
    ("IST", "Asia/Kolkata"),
    ("JST", "Asia/Tokyo"),
    ("MIT", "Pacific/Apia"),
    ("NET", "Asia/Yerevan"),
    ("NST", "Pacific/Auckland"),
    ("PLT", "Asia/Karachi"),
    ("PNT", "America/Phoenix"),
    ("PRT", "America/Puerto_Rico"),
    ("PST", "America/Los_Angeles"),
    ("SST", "Pacific/Guadalcanal"),
    ("VST", "Asia/Ho_Chi_Minh"),
    ("EST", "-05:00"),
    ("MST", "-07:00"),
    ("HST", "-10:00"),
];

impl TimeZone {
    pub fn utc() -> TimeZone {
        TimeZone { id: "UTC".into(), rules: Rules::Region(chrono_tz::UTC) }
    }

    fn gmt() -> TimeZone {
        TimeZone { id: "GMT".into(), rules: Rules::Region(chrono_tz::GMT) }
    }

    /// `TimeZone.getTimeZone(id)`: a known id (case matters), a custom
    /// `GMT+h`, `GMT+hh`, `GMT+hhmm` or `GMT+hh:mm`, else GMT, as the JDK
    /// answers an unknown id.
    pub fn of(id: &str) -> R<TimeZone> {
        if let Ok(tz) = id.parse::<chrono_tz::Tz>() {
            return Ok(TimeZone { id: id.to_string(), rules: Rules::Region(tz) });
        }
        if let Some((_, target)) = SHORT_IDS.iter().find(|(k, _)| *k == id) {
            if let Ok(tz) = target.parse::<chrono_tz::Tz>() {
                return Ok(TimeZone { id: id.to_string(), rules: Rules::Region(tz) });
            }
        }
        if id.starts_with("SystemV/") && ZONE_NAMES.iter().any(|row| row[0] == id) {
            return Err(Exc::painless_error(format!("time zone [{id}] is not supported yet")));
        }
        Ok(custom_zone(id).unwrap_or_else(TimeZone::gmt))
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// Raw (standard) and daylight offsets in milliseconds at an instant.
    fn offsets_at(&self, utc_ms: i64) -> (i32, i32) {
        match &self.rules {
            Rules::Fixed(ms) => (*ms, 0),
            Rules::Region(tz) => {
                let at = naive_of_ms(utc_ms);
                let o = tz.offset_from_utc_datetime(&at);
                (o.base_utc_offset().num_milliseconds() as i32, o.dst_offset().num_milliseconds() as i32)
            }
        }
    }

    fn offset_at(&self, utc_ms: i64) -> i32 {
        let (raw, dst) = self.offsets_at(utc_ms);
        raw + dst
    }

    /// Offsets for a wall-clock time, as `ZoneInfo.getOffsetsByWall`: the
    /// later of two in an overlap, the one before the transition in a gap
    /// (observed on JDK 25: in New York 01:30 on 2021-11-07 and 02:30 on
    /// 2021-03-14 both read as EST). The flag tells a gap.
    fn offsets_by_wall(&self, local_ms: i64) -> ((i32, i32), bool) {
        let Rules::Region(tz) = &self.rules else { return (self.offsets_at(local_ms), false) };
        let local = naive_of_ms(local_ms);
        match tz.offset_from_local_datetime(&local) {
            chrono::LocalResult::Single(o) | chrono::LocalResult::Ambiguous(_, o) => {
                ((o.base_utc_offset().num_milliseconds() as i32, o.dst_offset().num_milliseconds() as i32), false)
            }
            chrono::LocalResult::None => (self.offsets_at(local_ms - MS_PER_DAY), true),
        }
    }

    fn raw_offset(&self) -> i32 {
        match &self.rules {
            Rules::Fixed(ms) => *ms,
            Rules::Region(tz) => {
                // The current standard offset, as ZoneInfo keeps it.
                let now = chrono::Utc::now().naive_utc();
                tz.offset_from_utc_datetime(&now).base_utc_offset().num_milliseconds() as i32
            }
        }
    }

    fn uses_daylight_time(&self) -> bool {
        match &self.rules {
            Rules::Fixed(_) => false,
            Rules::Region(_) => {
                let now = chrono::Utc::now().timestamp_millis();
                (0..=366).any(|d| self.offsets_at(now + d * MS_PER_DAY).1 != 0)
            }
        }
    }

    fn names(&self) -> Option<&'static [&'static str; 5]> {
        ZONE_NAMES.iter().find(|row| row[0] == self.id)
    }

    /// `getDisplayName(daylight, style, ENGLISH)`: the zone's row, or the
    /// `GMT±hh:mm` form for a custom zone.
    fn display_name(&self, daylight: bool, long: bool) -> String {
        match self.names() {
            Some(row) => row[1 + usize::from(!long) + 2 * usize::from(daylight)].to_string(),
            None => gmt_form(self.raw_offset() + if daylight { 3_600_000 } else { 0 }),
        }
    }

    fn to_zone_id(&self) -> R<super::time::Zone> {
        let id = SHORT_IDS.iter().find(|(k, _)| *k == self.id).map_or(self.id.as_str(), |(_, v)| *v);
        match &self.rules {
            Rules::Fixed(ms) => Ok(super::time::Zone::Offset(ms / 1000)),
            Rules::Region(_) => super::time::zone_of(id),
        }
    }
}

fn gmt_form(offset_ms: i32) -> String {
    let minutes = offset_ms.abs() / 60_000;
    format!("GMT{}{:02}:{:02}", if offset_ms < 0 { '-' } else { '+' }, minutes / 60, minutes % 60)
}

/// The JDK's `parseCustomTimeZone`: `GMT`, a sign, then `h`, `hh`, `hhmm`
/// or `h[h]:mm`, hours to 23; a zero offset is GMT itself.
fn custom_zone(id: &str) -> Option<TimeZone> {
    let rest = id.strip_prefix("GMT")?;
    let negative = match rest.chars().next()? {
        '+' => false,
        '-' => true,
        _ => return None,
    };
    let body = &rest[1..];
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (hours, minutes): (i32, i32) = match body.split_once(':') {
        Some((h, m)) if digits(h) && h.len() <= 2 && digits(m) && m.len() == 2 => (h.parse().ok()?, m.parse().ok()?),
        None if digits(body) && body.len() <= 2 => (body.parse().ok()?, 0),
        None if digits(body) && body.len() == 4 => (body[..2].parse().ok()?, body[2..].parse().ok()?),
        _ => return None,
    };
    if hours > 23 || minutes > 59 {
        return None;
    }
    let offset = (hours * 60 + minutes) * 60_000 * if negative { -1 } else { 1 };
    if offset == 0 {
        return Some(TimeZone::gmt());
    }
    Some(TimeZone { id: gmt_form(offset), rules: Rules::Fixed(offset) })
}

fn naive_of_ms(ms: i64) -> NaiveDateTime {
    chrono::DateTime::from_timestamp_millis(ms).map(|d| d.naive_utc()).unwrap_or_default()
}

// ---- calendar arithmetic (proleptic day numbers since 1970-01-01) ----

fn days_from_gregorian(year: i64, month: i64, day: i64) -> i64 {
    let (y, m) = if month <= 2 { (year - 1, month + 9) } else { (year, month - 3) };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_from_julian(year: i64, month: i64, day: i64) -> i64 {
    let (y, m) = if month <= 2 { (year - 1, month + 9) } else { (year, month - 3) };
    let cycle = y.div_euclid(4);
    let yoc = y - cycle * 4;
    let doy = (153 * m + 2) / 5 + day - 1;
    // 719_470: days from 0000-03-01 (Julian) to 1970-01-01 (Gregorian).
    cycle * 1461 + yoc * 365 + doy - 719_470
}

/// Day number of a date, `offset` days after the first of a month (1-based),
/// in the calendar GregorianCalendar takes for it: in 1582 the Gregorian
/// date if it is on or after the cutover, else the Julian one (so the days
/// the cutover skipped read as Julian, 1582-10-10 as the 20th).
fn day_number(year: i64, month: i64, offset: i64) -> i64 {
    let g = days_from_gregorian(year, month, 1) + offset;
    if year > 1582 || (year == 1582 && g >= CUTOVER_DAY) {
        g
    } else {
        days_from_julian(year, month, 1) + offset
    }
}

fn first_of_month(year: i64, month: i64) -> i64 {
    day_number(year, month, 0)
}

fn is_leap(year: i64, julian: bool) -> bool {
    if julian {
        year.rem_euclid(4) == 0
    } else {
        year.rem_euclid(4) == 0 && (year.rem_euclid(100) != 0 || year.rem_euclid(400) == 0)
    }
}

fn month_length(year: i64, month: i64, julian: bool) -> i64 {
    match month {
        2 if is_leap(year, julian) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// (year, month 1-12, day) of a day number, Julian before the cutover.
fn civil_of_days(days: i64) -> (i64, i64, i64, bool) {
    if days >= CUTOVER_DAY {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        (y, m, d, false)
    } else {
        let z = days + 719_470;
        let cycle = z.div_euclid(1461);
        let doc = z - cycle * 1461;
        let yoc = (doc - doc / 1460) / 365;
        let doy = doc - 365 * yoc;
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoc + cycle * 4 + i64::from(m <= 2);
        (y, m, d, true)
    }
}

/// Calendar fields of an instant in a zone, as GregorianCalendar computes them.
struct Fields {
    /// Proleptic year (0 is 1 BC).
    year: i64,
    month: i64,
    day: i64,
    day_of_year: i64,
    /// Calendar's DAY_OF_WEEK: 1 is Sunday.
    day_of_week: i64,
    /// Milliseconds into the day.
    time: i64,
    week_of_year: i64,
    week_year: i64,
    week_of_month: i64,
    offset: i32,
    daylight: bool,
}

fn fields_of(utc_ms: i64, zone: &TimeZone) -> Fields {
    let (raw, dst) = zone.offsets_at(utc_ms);
    let local = utc_ms + i64::from(raw + dst);
    let days = local.div_euclid(MS_PER_DAY);
    let time = local.rem_euclid(MS_PER_DAY);
    let (year, month, day, _) = civil_of_days(days);
    let jan1 = first_of_month(year, 1);
    let day_of_year = days - jan1 + 1;
    let day_of_week = (days + 4).rem_euclid(7) + 1;
    // Weeks start on Sunday and the first week needs one day (English).
    let jan1_dow = (jan1 + 4).rem_euclid(7);
    let year_length = first_of_month(year + 1, 1) - jan1;
    let days_to_saturday = 7 - day_of_week;
    let (week_of_year, week_year) =
        if day_of_year + days_to_saturday > year_length { (1, year + 1) } else { ((day_of_year - 1 + jan1_dow) / 7 + 1, year) };
    let first_dow = (days - day + 1 + 4).rem_euclid(7);
    let week_of_month = (day - 1 + first_dow) / 7 + 1;
    Fields { year, month, day, day_of_year, day_of_week, time, week_of_year, week_year, week_of_month, offset: raw + dst, daylight: dst != 0 }
}

// ---- patterns ----

#[derive(Debug, Clone, PartialEq)]
enum Part {
    Field(char, usize),
    Literal(String),
}

const PATTERN_LETTERS: &str = "GyMdkHmsSEDFwWahKzZYuXL";

/// `SimpleDateFormat.compile`: letters are fields, `'...'` quotes text and
/// `''` is a quote; other letters are refused, as the JDK refuses them.
fn compile(pattern: &str) -> R<Vec<Part>> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut parts: Vec<Part> = Vec::new();
    let mut literal = String::new();
    let mut i = 0;
    let flush = |parts: &mut Vec<Part>, literal: &mut String| {
        if !literal.is_empty() {
            parts.push(Part::Literal(std::mem::take(literal)));
        }
    };
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            if chars.get(i + 1) == Some(&'\'') {
                literal.push('\'');
                i += 2;
                continue;
            }
            i += 1;
            loop {
                match chars.get(i) {
                    None => return Err(Exc::illegal_arg("Unterminated quote")),
                    Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                        literal.push('\'');
                        i += 2;
                    }
                    Some('\'') => {
                        i += 1;
                        break;
                    }
                    Some(q) => {
                        literal.push(*q);
                        i += 1;
                    }
                }
            }
            continue;
        }
        if c.is_ascii_alphabetic() {
            if !PATTERN_LETTERS.contains(c) {
                return Err(Exc::illegal_arg(format!("Illegal pattern character '{c}'")));
            }
            let mut count = 1;
            while chars.get(i + count) == Some(&c) {
                count += 1;
            }
            if c == 'X' && count > 3 {
                return Err(Exc::illegal_arg(format!("invalid ISO 8601 format: length={count}")));
            }
            flush(&mut parts, &mut literal);
            parts.push(Part::Field(c, count));
            i += count;
            continue;
        }
        literal.push(c);
        i += 1;
    }
    flush(&mut parts, &mut literal);
    Ok(parts)
}

/// A `SimpleDateFormat`: its pattern, zone, leniency and the start of the
/// hundred years two-digit years fall in (eighty years before it was made).
#[derive(Debug, Clone)]
pub struct SimpleDateFormat {
    pattern: String,
    parts: Vec<Part>,
    zone: TimeZone,
    lenient: bool,
    century_start_ms: i64,
}

impl SimpleDateFormat {
    pub fn new(pattern: &str) -> R<SimpleDateFormat> {
        let now = chrono::Utc::now().timestamp_millis();
        let today = now.div_euclid(MS_PER_DAY);
        let (year, month, day, _) = civil_of_days(today);
        let day = day.min(month_length(year - 80, month, false));
        let start = days_from_gregorian(year - 80, month, day) * MS_PER_DAY + now.rem_euclid(MS_PER_DAY);
        Ok(SimpleDateFormat { pattern: pattern.to_string(), parts: compile(pattern)?, zone: TimeZone::utc(), lenient: true, century_start_ms: start })
    }

    pub fn format(&self, utc_ms: i64) -> String {
        let f = fields_of(utc_ms, &self.zone);
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Literal(s) => out.push_str(s),
                Part::Field(c, n) => format_field(&mut out, *c, *n, &f, &self.zone),
            }
        }
        out
    }

    /// `parse(String)`: the fields the pattern reads from the start of the
    /// text (text after them is ignored), or `ParseException`.
    pub fn parse(&mut self, text: &str) -> R<i64> {
        let unparseable = || Exc::new("ParseException", format!("Unparseable date: \"{text}\""));
        let chars: Vec<char> = text.chars().collect();
        let mut parsed = Parsed::default();
        let mut pos = 0;
        let parts = self.parts.clone();
        for (i, part) in parts.iter().enumerate() {
            match part {
                Part::Literal(s) => {
                    for c in s.chars() {
                        if chars.get(pos) != Some(&c) {
                            return Err(unparseable());
                        }
                        pos += 1;
                    }
                }
                Part::Field(c, n) => {
                    let obey_count = match parts.get(i + 1) {
                        Some(Part::Field(next, count)) => abuts(*next, *count),
                        _ => false,
                    };
                    pos = self.parse_field(&chars, pos, *c, *n, obey_count, &mut parsed)?.ok_or_else(unparseable)?;
                }
            }
        }
        let mut millis = self.establish(&parsed, 0).ok_or_else(unparseable)?;
        if parsed.ambiguous_year && millis < self.century_start_ms {
            millis = self.establish(&parsed, 100).ok_or_else(unparseable)?;
        }
        Ok(millis)
    }

    /// One field at `start`, or `None` when the text does not fit it.
    fn parse_field(&mut self, text: &[char], start: usize, c: char, count: usize, obey_count: bool, p: &mut Parsed) -> R<Option<usize>> {
        let mut pos = start;
        while matches!(text.get(pos), Some(' ' | '\t')) {
            pos += 1;
        }
        if pos >= text.len() {
            return Ok(None);
        }
        let actual_start = pos;
        // Abutting numeric fields read `count` characters, counted from
        // before the skipped spaces as the JDK counts them.
        let limit = if obey_count {
            if start + count > text.len() {
                return Ok(None);
            }
            start + count
        } else {
            text.len()
        };
        let number = || parse_integer(&text[..limit], actual_start);
        let stamp = p.next_stamp();
        match c {
            'G' => Ok(match_names(text, pos, &ERAS).map(|(i, end)| {
                p.era = Some(i as i64);
                end
            })),
            'Y' => Err(Exc::painless_error("parsing the week-based year [Y] of SimpleDateFormat is not supported yet")),
            'y' => {
                let Some((mut value, end)) = number() else { return Ok(None) };
                if count <= 2 && end - actual_start == 2 && text[actual_start].is_ascii_digit() && text[actual_start + 1].is_ascii_digit() {
                    let start_year = civil_of_days(self.century_start_ms.div_euclid(MS_PER_DAY)).0;
                    let ambiguous = start_year.rem_euclid(100);
                    p.ambiguous_year = i64::from(value) == ambiguous;
                    value += ((start_year / 100) * 100 + if i64::from(value) < ambiguous { 100 } else { 0 }) as i32;
                }
                p.year = Some(value as i64);
                Ok(Some(end))
            }
            'M' | 'L' if count <= 2 => Ok(number().map(|(v, end)| {
                p.month = Some(v as i64 - 1);
                end
            })),
            'M' | 'L' => Ok(match_names(text, pos, &MONTHS).or_else(|| match_names(text, pos, &SHORT_MONTHS)).map(|(i, end)| {
                p.month = Some(i as i64);
                end
            })),
            'E' => Ok(match_names(text, pos, &DAYS_FULL).or_else(|| match_names(text, pos, &DAYS_SHORT)).map(|(i, end)| {
                p.day_of_week = Some(calendar_day_of_week(i));
                end
            })),
            'a' => Ok(match_names(text, pos, &AM_PM).map(|(i, end)| {
                p.am_pm = Some((i as i64, stamp));
                end
            })),
            'z' | 'Z' => Ok(self.parse_zone(text, pos, p)),
            'X' => Ok(parse_iso_zone(text, pos, count, p)),
            'w' | 'W' | 'F' => Err(Exc::painless_error(format!("parsing the week field [{c}] of SimpleDateFormat is not supported yet"))),
            _ => {
                let Some((value, end)) = number() else { return Ok(None) };
                let value = i64::from(value);
                match c {
                    'k' => {
                        if !self.lenient && !(1..=24).contains(&value) {
                            return Ok(None);
                        }
                        p.hour_of_day = Some((if value == 24 { 0 } else { value }, stamp));
                    }
                    'h' => {
                        if !self.lenient && !(1..=12).contains(&value) {
                            return Ok(None);
                        }
                        p.hour = Some((if value == 12 { 0 } else { value }, stamp));
                    }
                    'u' => {
                        if !self.lenient && !(1..=7).contains(&value) {
                            return Ok(None);
                        }
                        p.day_of_week = Some(value.rem_euclid(7) + 1);
                    }
                    'H' => p.hour_of_day = Some((value, stamp)),
                    'K' => p.hour = Some((value, stamp)),
                    'd' => p.day_of_month = Some((value, stamp)),
                    'D' => p.day_of_year = Some((value, stamp)),
                    'm' => p.minute = Some(value),
                    's' => p.second = Some(value),
                    _ => p.millisecond = Some(value),
                }
                Ok(Some(end))
            }
        }
    }

    /// `z` and `Z`: `GMT` with or without an offset, `±hhmm`, or a zone name
    /// of the English table, which also becomes the formatter's zone.
    fn parse_zone(&mut self, text: &[char], pos: usize, p: &mut Parsed) -> Option<usize> {
        let c = text[pos];
        if c == '+' || c == '-' {
            let sign = if c == '+' { 1 } else { -1 };
            return numeric_zone(text, pos + 1, sign, 0, false, p);
        }
        let gmt: Vec<char> = "GMT".chars().collect();
        if text.len() - pos >= 3 && text[pos..pos + 3].iter().zip(&gmt).all(|(a, b)| a.eq_ignore_ascii_case(b)) {
            let after = pos + 3;
            let sign = match text.get(after) {
                Some('+') => 1,
                Some('-') => -1,
                _ => {
                    p.zone_offset = Some(0);
                    p.dst_offset = Some(0);
                    return Some(after);
                }
            };
            return numeric_zone(text, after + 1, sign, 0, true, p);
        }
        self.parse_zone_name(text, pos, p)
    }

    /// `subParseZoneString`: the formatter's zone's names first, then the
    /// default zone's, then every row in order; the first row with a name
    /// the text starts with (ignoring case) wins.
    fn parse_zone_name(&mut self, text: &[char], pos: usize, p: &mut Parsed) -> Option<usize> {
        let own = ZONE_NAMES.iter().position(|row| row[0] == self.zone.id);
        let default = ZONE_NAMES.iter().position(|row| row[0] == "UTC");
        let candidates = own.into_iter().chain(default).chain(0..ZONE_NAMES.len());
        for index in candidates {
            let row = &ZONE_NAMES[index];
            let Some(name_index) = (1..=4).find(|&i| starts_with_ignore_case(text, pos, row[i])) else { continue };
            let same_name = name_index <= 2 && row[name_index].eq_ignore_ascii_case(row[name_index + 2]);
            let Ok(zone) = TimeZone::of(row[0]) else { return None };
            let dst_amount = if name_index >= 3 { dst_savings(&zone) } else { 0 };
            if !(same_name || (name_index >= 3 && dst_amount == 0)) {
                p.zone_offset = None;
                p.dst_offset = Some(dst_amount);
            }
            self.zone = zone;
            return Some(pos + row[name_index].chars().count());
        }
        None
    }

    /// The instant of the parsed fields (GregorianCalendar's `computeTime`),
    /// `years` later; `None` where a strict formatter refuses them.
    fn establish(&self, p: &Parsed, years: i64) -> Option<i64> {
        let mut year = p.year.unwrap_or(1970) + years;
        if p.era == Some(0) {
            year = 1 - year;
        }
        let month0 = p.month.unwrap_or(0);
        let year_n = year + month0.div_euclid(12);
        let month = month0.rem_euclid(12) + 1;
        let by_day_of_year = match (p.day_of_month, p.day_of_year) {
            (Some((_, a)), Some((_, b))) => b > a,
            (None, Some(_)) => true,
            _ => false,
        };
        let days = if by_day_of_year {
            day_number(year_n, 1, p.day_of_year.map_or(1, |d| d.0) - 1)
        } else {
            if p.day_of_month.is_none() && p.day_of_week.is_some() {
                return None;
            }
            day_number(year_n, month, p.day_of_month.map_or(1, |d| d.0) - 1)
        };
        let hour = match (p.hour_of_day, p.hour, p.am_pm) {
            (Some((h, hs)), hour, am_pm) => {
                let aggregate = match (hour, am_pm) {
                    (Some((_, a)), Some((_, b))) => Some(a.max(b)),
                    _ => None,
                };
                if aggregate.is_some_and(|a| a > hs) {
                    hour.map_or(0, |h| h.0) + 12 * am_pm.map_or(0, |a| a.0)
                } else {
                    h
                }
            }
            (None, hour, am_pm) => hour.map_or(0, |h| h.0) + 12 * am_pm.map_or(0, |a| a.0),
        };
        let time = ((hour * 60 + p.minute.unwrap_or(0)) * 60 + p.second.unwrap_or(0)) * 1000 + p.millisecond.unwrap_or(0);
        let local = (days + time.div_euclid(MS_PER_DAY)) * MS_PER_DAY + time.rem_euclid(MS_PER_DAY);
        let ((raw, dst), gap) = match (p.zone_offset, p.dst_offset) {
            (Some(z), Some(d)) => ((z, d), false),
            (None, Some(d)) => {
                let ((raw, _), gap) = self.zone.offsets_by_wall(local);
                ((raw, d), gap)
            }
            _ => self.zone.offsets_by_wall(local),
        };
        let millis = local - i64::from(raw) - i64::from(dst);
        if !self.lenient && !strict_fields_hold(p, days, gap && p.dst_offset.is_none()) {
            return None;
        }
        Some(millis)
    }
}

/// A strict (non-lenient) calendar refuses fields out of range, a date its
/// day of week contradicts, and a wall time a zone transition skips.
fn strict_fields_hold(p: &Parsed, days: i64, in_gap: bool) -> bool {
    if in_gap {
        return false;
    }
    let in_range = |v: Option<i64>, lo: i64, hi: i64| v.is_none_or(|v| (lo..=hi).contains(&v));
    let (y, m, d, julian) = civil_of_days(days);
    if !in_range(p.year, 1, 292_278_994) || !in_range(p.month, 0, 11) {
        return false;
    }
    let month = p.month.unwrap_or(0) + 1;
    let year_of_fields = if p.era == Some(0) { 1 - p.year.unwrap_or(1970) } else { p.year.unwrap_or(1970) };
    if !in_range(p.day_of_month.map(|v| v.0), 1, month_length(year_of_fields, month, julian)) {
        return false;
    }
    let year_length = if is_leap(year_of_fields, julian) { 366 } else { 365 };
    if !in_range(p.day_of_year.map(|v| v.0), 1, year_length)
        || !in_range(p.hour_of_day.map(|v| v.0), 0, 23)
        || !in_range(p.hour.map(|v| v.0), 0, 11)
        || !in_range(p.minute, 0, 59)
        || !in_range(p.second, 0, 59)
        || !in_range(p.millisecond, 0, 999)
    {
        return false;
    }
    if let (Some((day, _)), Some(_)) = (p.day_of_month, p.day_of_year) {
        if y != year_of_fields || m != month || d != day {
            return false;
        }
    }
    p.day_of_week.is_none_or(|dow| (days + 4).rem_euclid(7) + 1 == dow)
}

/// DST savings of a zone (the amount a daylight name adds to its raw offset).
fn dst_savings(zone: &TimeZone) -> i32 {
    match &zone.rules {
        Rules::Fixed(_) => 0,
        Rules::Region(_) => {
            let now = chrono::Utc::now().timestamp_millis();
            (0..=366).map(|d| zone.offsets_at(now + d * MS_PER_DAY).1).find(|&dst| dst != 0).unwrap_or(0)
        }
    }
}

/// The numeric fields whose next field makes a field read a fixed width
/// (`shouldObeyCount`).
fn abuts(next: char, count: usize) -> bool {
    match next {
        'M' | 'L' => count <= 2,
        'y' | 'd' | 'k' | 'H' | 'm' | 's' | 'S' | 'D' | 'F' | 'w' | 'W' | 'h' | 'K' | 'Y' | 'u' => true,
        _ => false,
    }
}

/// What `parse` has read, with the order fields were set in where the
/// calendar lets the later one win.
#[derive(Default)]
struct Parsed {
    stamps: u32,
    era: Option<i64>,
    year: Option<i64>,
    ambiguous_year: bool,
    month: Option<i64>,
    day_of_month: Option<(i64, u32)>,
    day_of_year: Option<(i64, u32)>,
    day_of_week: Option<i64>,
    hour_of_day: Option<(i64, u32)>,
    hour: Option<(i64, u32)>,
    am_pm: Option<(i64, u32)>,
    minute: Option<i64>,
    second: Option<i64>,
    millisecond: Option<i64>,
    zone_offset: Option<i32>,
    dst_offset: Option<i32>,
}

impl Parsed {
    fn next_stamp(&mut self) -> u32 {
        self.stamps += 1;
        self.stamps
    }
}

/// The integer `DecimalFormat` (integer only, no grouping) reads at `pos`:
/// an optional `-` and ASCII digits, as a Java `int` (`Number.intValue`).
fn parse_integer(text: &[char], pos: usize) -> Option<(i32, usize)> {
    let mut i = pos;
    let negative = text.get(i) == Some(&'-');
    if negative {
        i += 1;
    }
    let digits_start = i;
    let mut value: i64 = 0;
    let mut saturated = false;
    while let Some(d) = text.get(i).and_then(|c| c.to_digit(10)) {
        match value.checked_mul(10).and_then(|v| v.checked_add(i64::from(d))) {
            Some(v) => value = v,
            None => saturated = true,
        }
        i += 1;
    }
    if i == digits_start {
        return None;
    }
    let signed = if negative { -value } else { value };
    // Beyond a long DecimalFormat answers a Double, whose intValue saturates.
    let int = if saturated { if negative { i32::MIN } else { i32::MAX } } else { signed as i32 };
    Some((int, i))
}

/// The longest of `names` the text starts with at `pos`, ignoring case.
fn match_names(text: &[char], pos: usize, names: &[&str]) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    for (i, name) in names.iter().enumerate() {
        let len = name.chars().count();
        if best.is_none_or(|(_, l)| len > l) && starts_with_ignore_case(text, pos, name) {
            best = Some((i, len));
        }
    }
    best.map(|(i, len)| (i, pos + len))
}

fn starts_with_ignore_case(text: &[char], pos: usize, name: &str) -> bool {
    let mut i = pos;
    for c in name.chars() {
        match text.get(i) {
            Some(t) if t == &c || t.to_uppercase().eq(c.to_uppercase()) || t.to_lowercase().eq(c.to_lowercase()) => i += 1,
            _ => return false,
        }
    }
    true
}

/// `subParseNumericZone`: `hh[mm]`, `hh:mm` when `colon`, or `hh` alone for
/// `X`; one hour digit only with a colon.
fn numeric_zone(text: &[char], start: usize, sign: i32, count: usize, colon: bool, p: &mut Parsed) -> Option<usize> {
    let digit = |i: usize| text.get(i).and_then(|c| c.to_digit(10)).map(|d| d as i32);
    let mut i = start;
    let mut hours = digit(i)?;
    i += 1;
    match digit(i) {
        Some(d) => {
            hours = hours * 10 + d;
            i += 1;
        }
        None if count > 0 || !colon || i >= text.len() => return None,
        None => {}
    }
    if hours > 23 {
        return None;
    }
    let mut minutes = 0;
    if count != 1 {
        if colon {
            if text.get(i) != Some(&':') {
                return None;
            }
            i += 1;
        }
        let tens = digit(i)?;
        let units = digit(i + 1)?;
        minutes = tens * 10 + units;
        if minutes > 59 {
            return None;
        }
        i += 2;
    }
    p.zone_offset = Some((hours * 60 + minutes) * 60_000 * sign);
    p.dst_offset = Some(0);
    Some(i)
}

/// `X`: `Z`, or a sign and `hh`, `hhmm` or `hh:mm` by the count.
fn parse_iso_zone(text: &[char], pos: usize, count: usize, p: &mut Parsed) -> Option<usize> {
    match text[pos] {
        'Z' => {
            p.zone_offset = Some(0);
            p.dst_offset = Some(0);
            Some(pos + 1)
        }
        '+' => numeric_zone(text, pos + 1, 1, count, count == 3, p),
        '-' => numeric_zone(text, pos + 1, -1, count, count == 3, p),
        _ => None,
    }
}

fn pad(out: &mut String, value: i64, count: usize) {
    if value < 0 {
        out.push('-');
    }
    let digits = value.unsigned_abs().to_string();
    for _ in digits.len()..count {
        out.push('0');
    }
    out.push_str(&digits);
}

fn format_field(out: &mut String, c: char, count: usize, f: &Fields, zone: &TimeZone) {
    let year_of_era = |y: i64| if y <= 0 { 1 - y } else { y };
    let hour = f.time / 3_600_000;
    match c {
        'G' => out.push_str(ERAS[usize::from(f.year > 0)]),
        'y' | 'Y' => {
            let y = year_of_era(if c == 'y' { f.year } else { f.week_year });
            if count == 2 {
                pad(out, y % 100, 2)
            } else {
                pad(out, y, count)
            }
        }
        'M' | 'L' if count >= 4 => out.push_str(MONTHS[f.month as usize - 1]),
        'M' | 'L' if count == 3 => out.push_str(SHORT_MONTHS[f.month as usize - 1]),
        'M' | 'L' => pad(out, f.month, count),
        'd' => pad(out, f.day, count),
        'D' => pad(out, f.day_of_year, count),
        'E' if count >= 4 => out.push_str(weekday_name(&DAYS_FULL, f.day_of_week)),
        'E' => out.push_str(weekday_name(&DAYS_SHORT, f.day_of_week)),
        'u' => pad(out, if f.day_of_week == 1 { 7 } else { f.day_of_week - 1 }, count),
        'F' => pad(out, (f.day - 1) / 7 + 1, count),
        'w' => pad(out, f.week_of_year, count),
        'W' => pad(out, f.week_of_month, count),
        'a' => out.push_str(AM_PM[usize::from(hour >= 12)]),
        'H' => pad(out, hour, count),
        'k' => pad(out, if hour == 0 { 24 } else { hour }, count),
        'K' => pad(out, hour % 12, count),
        'h' => pad(out, if hour % 12 == 0 { 12 } else { hour % 12 }, count),
        'm' => pad(out, f.time / 60_000 % 60, count),
        's' => pad(out, f.time / 1000 % 60, count),
        'S' => pad(out, f.time % 1000, count),
        'z' => out.push_str(&zone.display_name(f.daylight, count >= 4)),
        'Z' => {
            let minutes = f.offset / 60_000;
            out.push(if minutes < 0 { '-' } else { '+' });
            pad(out, i64::from(minutes.abs() / 60 * 100 + minutes.abs() % 60), 4);
        }
        _ => {
            // 'X': `Z` for UTC, else the sign and hh, hhmm or hh:mm.
            let minutes = f.offset / 60_000;
            if minutes == 0 {
                out.push('Z');
                return;
            }
            out.push(if minutes < 0 { '-' } else { '+' });
            pad(out, i64::from(minutes.abs() / 60), 2);
            match count {
                1 => {}
                2 => pad(out, i64::from(minutes.abs() % 60), 2),
                _ => {
                    out.push(':');
                    pad(out, i64::from(minutes.abs() % 60), 2);
                }
            }
        }
    }
}

/// `Date.toString()`: `EEE MMM dd HH:mm:ss zzz yyyy` in the default zone
/// (UTC), the year without its era.
pub fn date_to_string(utc_ms: i64) -> String {
    let zone = TimeZone::utc();
    let f = fields_of(utc_ms, &zone);
    let year = if f.year <= 0 { 1 - f.year } else { f.year };
    format!(
        "{} {} {:02} {:02}:{:02}:{:02} {} {}",
        weekday_name(&DAYS_SHORT, f.day_of_week),
        SHORT_MONTHS[f.month as usize - 1],
        f.day,
        f.time / 3_600_000,
        f.time / 60_000 % 60,
        f.time / 1000 % 60,
        zone.display_name(f.daylight, false),
        year
    )
}

/// A Date as XContent writes it: `strict_date_optional_time_nanos` of its
/// instant in UTC.
pub fn date_xcontent(utc_ms: i64) -> String {
    super::time::Time::Instant(naive_of_ms(utc_ms)).to_xcontent_string()
}

/// `Date.hashCode()`: the millisecond value's halves folded.
pub fn date_hash(utc_ms: i64) -> i32 {
    (utc_ms ^ ((utc_ms as u64) >> 32) as i64) as i32
}

// ---- Painless entry points ----

fn date_val<'a>(ms: i64) -> Val<'a> {
    Val::Obj(Rc::new(Obj::Date(Cell::new(ms))))
}

fn zone_val<'a>(zone: TimeZone) -> Val<'a> {
    Val::Obj(Rc::new(Obj::TimeZone(Box::new(zone))))
}

fn date_arg(v: Option<&Val<'_>>, what: &str) -> R<i64> {
    match v {
        Some(Val::Obj(o)) => match &**o {
            Obj::Date(ms) => Ok(ms.get()),
            _ => Err(super::super::interp::jvm_cast_error(o.class_name(), "java.util.Date")),
        },
        Some(Val::Null) => Err(Exc::npe(format!("Cannot read the time of a null Date in [{what}]"))),
        Some(other) => Err(super::super::interp::jvm_cast_error(&other.class_name(), "java.util.Date")),
        None => Err(Exc::illegal_arg(format!("missing argument to [{what}]"))),
    }
}

fn long_arg(v: Option<&Val<'_>>) -> R<i64> {
    match v {
        Some(Val::Long(n)) => Ok(*n),
        Some(Val::Int(n)) => Ok(i64::from(*n)),
        Some(Val::Short(n)) => Ok(i64::from(*n)),
        Some(Val::Byte(n)) => Ok(i64::from(*n)),
        Some(Val::Char(n)) => Ok(i64::from(*n)),
        Some(Val::Null) => Err(Exc::npe("Cannot unbox a null value to [long]")),
        Some(other) => Err(Exc::class_cast(format!("Cannot cast from [{}] to [long].", other.class_name()))),
        None => Err(Exc::illegal_arg("missing argument")),
    }
}

/// `new SimpleDateFormat(...)` and `new Date(...)`.
pub fn construct<'a>(class: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    Some(match (class, args.len()) {
        ("SimpleDateFormat", 0) => SimpleDateFormat::new(DEFAULT_PATTERN).map(sdf_val),
        ("SimpleDateFormat", 1 | 2) => (|| {
            let pattern = match &args[0] {
                Val::Null => return Err(Exc::bare("NullPointerException")),
                _ => arg_str(args, 0, "SimpleDateFormat")?,
            };
            if let Some(locale) = args.get(1) {
                match locale {
                    Val::Obj(o) if matches!(&**o, Obj::Locale("en" | "en_US")) => {}
                    Val::Null => return Err(Exc::bare("NullPointerException")),
                    other => {
                        return Err(Exc::painless_error(format!(
                            "SimpleDateFormat with the locale [{}] is not supported yet (only English)",
                            other.to_java_string()
                        )))
                    }
                }
            }
            SimpleDateFormat::new(pattern).map(sdf_val)
        })(),
        ("Date", 0) => Ok(date_val(chrono::Utc::now().timestamp_millis())),
        ("Date", 1) => long_arg(args.first()).map(date_val),
        _ => return None,
    })
}

fn sdf_val<'a>(sdf: SimpleDateFormat) -> Val<'a> {
    Val::Obj(Rc::new(Obj::SimpleDateFormat(Box::new(RefCell::new(sdf)))))
}

pub fn call_static<'a>(class: &str, name: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    Some(match (class, name, args.len()) {
        ("TimeZone", "getTimeZone", 1) => match &args[0] {
            Val::Null => Err(Exc::bare("NullPointerException")),
            _ => arg_str(args, 0, name).and_then(TimeZone::of).map(zone_val),
        },
        ("TimeZone", "getDefault", 0) => Ok(zone_val(TimeZone::utc())),
        ("Date", "from", 1) => match &args[0] {
            Val::Obj(o) => match &**o {
                Obj::Time(t) => super::time::instant_epoch_millis(t).map(date_val),
                _ => Err(super::super::interp::jvm_cast_error(o.class_name(), "java.time.Instant")),
            },
            Val::Null => Err(Exc::npe("Cannot invoke \"java.time.Instant.toEpochMilli()\" because \"instant\" is null")),
            other => Err(super::super::interp::jvm_cast_error(&other.class_name(), "java.time.Instant")),
        },
        _ => return None,
    })
}

/// Instance methods of `SimpleDateFormat`, `Date` and `TimeZone`.
pub fn call<'a>(o: &Obj<'a>, name: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    match o {
        Obj::SimpleDateFormat(sdf) => call_format(sdf, name, args),
        Obj::Date(ms) => call_date(ms, name, args),
        Obj::TimeZone(zone) => call_zone(zone, name, args),
        _ => None,
    }
}

fn call_format<'a>(sdf: &RefCell<SimpleDateFormat>, name: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    Some(match (name, args.len()) {
        ("parse", 1) => match &args[0] {
            Val::Null => Err(Exc::npe("Cannot invoke \"String.length()\" because \"text\" is null")),
            _ => arg_str(args, 0, name).and_then(|text| sdf.borrow_mut().parse(text)).map(date_val),
        },
        ("format", 1) => match &args[0] {
            Val::Null => Err(Exc::npe("date must not be null")),
            Val::Obj(o) if matches!(&**o, Obj::Date(_)) => date_arg(args.first(), name).map(|ms| Val::string(sdf.borrow().format(ms))),
            v if v.is_numeric() && !matches!(v, Val::Char(_) | Val::Bool(_)) => {
                let ms = match v {
                    Val::Double(d) => *d as i64,
                    Val::Float(f) => *f as i64,
                    other => long_arg(Some(other)).unwrap_or_default(),
                };
                Ok(Val::string(sdf.borrow().format(ms)))
            }
            _ => Err(Exc::illegal_arg("Cannot format given Object as a Date")),
        },
        ("getTimeZone", 0) => Ok(zone_val(sdf.borrow().zone.clone())),
        ("setTimeZone", 1) => match &args[0] {
            Val::Obj(o) => match &**o {
                Obj::TimeZone(z) => {
                    sdf.borrow_mut().zone = (**z).clone();
                    Ok(Val::Null)
                }
                _ => Err(super::super::interp::jvm_cast_error(o.class_name(), "java.util.TimeZone")),
            },
            Val::Null => Err(Exc::bare("NullPointerException")),
            other => Err(super::super::interp::jvm_cast_error(&other.class_name(), "java.util.TimeZone")),
        },
        ("isLenient", 0) => Ok(Val::Bool(sdf.borrow().lenient)),
        ("setLenient", 1) => match &args[0] {
            Val::Bool(b) => {
                sdf.borrow_mut().lenient = *b;
                Ok(Val::Null)
            }
            other => Err(Exc::class_cast(format!("Cannot cast from [{}] to [boolean].", other.class_name()))),
        },
        ("toPattern", 0) => Ok(Val::string(sdf.borrow().pattern.clone())),
        ("clone", 0) => Ok(Val::Obj(Rc::new(Obj::SimpleDateFormat(Box::new(RefCell::new(sdf.borrow().clone())))))),
        ("applyPattern", 1) => match &args[0] {
            Val::Null => Err(Exc::bare("NullPointerException")),
            _ => arg_str(args, 0, name).and_then(|p| {
                let parts = compile(p)?;
                let mut f = sdf.borrow_mut();
                f.pattern = p.to_string();
                f.parts = parts;
                Ok(Val::Null)
            }),
        },
        _ => return None,
    })
}

fn call_date<'a>(ms: &Cell<i64>, name: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    Some(match (name, args.len()) {
        ("getTime", 0) => Ok(Val::Long(ms.get())),
        ("clone", 0) => Ok(date_val(ms.get())),
        ("setTime", 1) => long_arg(args.first()).map(|t| {
            ms.set(t);
            Val::Null
        }),
        ("before", 1) => date_arg(args.first(), name).map(|t| Val::Bool(ms.get() < t)),
        ("after", 1) => date_arg(args.first(), name).map(|t| Val::Bool(ms.get() > t)),
        ("compareTo", 1) => date_arg(args.first(), name).map(|t| Val::Int(ms.get().cmp(&t) as i32)),
        _ => return None,
    })
}

fn call_zone<'a>(zone: &TimeZone, name: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    Some(match (name, args.len()) {
        ("getID", 0) => Ok(Val::string(zone.id.clone())),
        ("clone", 0) => Ok(zone_val(zone.clone())),
        ("getRawOffset", 0) => Ok(Val::Int(zone.raw_offset())),
        ("getOffset", 1) => long_arg(args.first()).map(|t| Val::Int(zone.offset_at(t))),
        ("getDisplayName", 0) => Ok(Val::string(zone.display_name(false, true))),
        ("useDaylightTime", 0) => Ok(Val::Bool(zone.uses_daylight_time())),
        ("inDaylightTime", 1) => date_arg(args.first(), name).map(|t| Val::Bool(zone.offsets_at(t).1 != 0)),
        ("toZoneId", 0) => zone.to_zone_id().map(|z| Val::Obj(Rc::new(Obj::Time(super::time::Time::Zone(z))))),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    //! Expected values are JDK 25's, observed with
    //! `-Djava.locale.providers=CLDR -Duser.timezone=UTC -Duser.language=en`
    //! (Elasticsearch's settings), unless a test says otherwise.
    use super::*;
    use chrono::Datelike;

    fn parse(pattern: &str, text: &str) -> Result<i64, String> {
        let mut f = SimpleDateFormat::new(pattern).unwrap();
        f.parse(text).map_err(|e| format!("{}: {}", e.class, e.message.clone().unwrap_or_default()))
    }

    fn strict(pattern: &str, text: &str) -> Result<i64, String> {
        let mut f = SimpleDateFormat::new(pattern).unwrap();
        f.lenient = false;
        f.parse(text).map_err(|e| format!("{}: {}", e.class, e.message.clone().unwrap_or_default()))
    }

    fn format(pattern: &str, ms: i64, zone: &str) -> String {
        let mut f = SimpleDateFormat::new(pattern).unwrap();
        f.zone = TimeZone::of(zone).unwrap();
        f.format(ms)
    }

    #[test]
    fn parses_numeric_fields_leniently() {
        assert_eq!(parse("yyyy-MM-dd HH:mm:ss", "2021-03-04 05:06:07"), Ok(1_614_834_367_000));
        // Month 13, day 45, hour 25, minute and second 61 roll over.
        assert_eq!(parse("yyyy-MM-dd HH:mm:ss", "2021-13-45 25:61:61"), Ok(1_644_890_521_000));
        assert_eq!(parse("yyyy-MM-dd", "2021-02-30"), Ok(1_614_643_200_000));
        assert_eq!(parse("yyyy-MM-dd", "2021-03-00"), Ok(1_614_470_400_000));
        // Text after the last field is ignored; spaces before a field skipped.
        assert_eq!(parse("yyyy-MM-dd", "2021-02-03xyz"), Ok(1_612_310_400_000));
        assert_eq!(parse("yyyy-MM-dd HH:mm:ss", " 2021-03-04  05:06:07"), Ok(1_614_834_367_000));
        assert_eq!(parse("yyyy-MM-dd", "2021-3-4"), Ok(1_614_816_000_000));
        // A field takes a minus sign: month -3 is September of the year before.
        assert_eq!(parse("yyyy-MM-dd", "2021--03-04"), Ok(1_599_177_600_000));
        assert_eq!(parse("yyyy-MM-dd", "-2021-03-04"), Ok(-125_939_923_200_000));
        // Abutting fields read their width; the last one reads every digit.
        assert_eq!(parse("yyyyMMddHHmmss", "20210304050607"), Ok(1_614_834_367_000));
        assert_eq!(parse("yyyyMMdd", "2021034"), Ok(1_614_816_000_000));
        assert_eq!(parse("yyyy-MM-dd'T'HH:mm:ss.SSS", "2021-03-04T05:06:07.5"), Ok(1_614_834_367_005));
        assert_eq!(parse("yyyy-MM-dd'T'HH:mm:ss.SSS", "2021-03-04T05:06:07.12345"), Ok(1_614_834_379_345));
        // An int overflows as Number.intValue does.
        assert_eq!(parse("yyyy-MM-dd HH:mm:ss", "2021-07-01 10:00:99999999999"), Ok(2_840_885_791_000));
        assert_eq!(parse("HH:mm", "10:30"), Ok(37_800_000));
        assert_eq!(parse("D yyyy", "300 2021"), Ok(1_635_292_800_000));
    }

    #[test]
    fn parses_two_digit_years_in_the_century_window() {
        let year = chrono::Utc::now().year();
        // JDK 25 in 2026: "21" is 2021, "99" 1999; years outside "yy" are literal.
        if (2020..2079).contains(&year) {
            assert_eq!(parse("yy-MM-dd", "21-03-04"), Ok(1_614_816_000_000));
            assert_eq!(parse("yy-MM-dd", "99-03-04"), Ok(920_505_600_000));
        }
        assert_eq!(parse("yy-MM-dd", "2021-03-04"), Ok(1_614_816_000_000));
        assert_eq!(parse("yy-MM-dd", "121-03-04"), Ok(-58_343_500_800_000));
    }

    #[test]
    fn parses_text_fields_and_hours() {
        assert_eq!(parse("dd/MMM/yyyy:HH:mm:ss Z", "10/Oct/2000:13:55:36 -0700"), Ok(971_211_336_000));
        assert_eq!(parse("dd/MMM/yyyy:HH:mm:ss Z", "10/oct/2000:13:55:36 -0700"), Ok(971_211_336_000));
        assert_eq!(parse("dd/MMM/yyyy", "10/October/2000"), Ok(971_136_000_000));
        assert_eq!(parse("dd/MMMM/yyyy", "10/Oct/2000"), Ok(971_136_000_000));
        assert_eq!(parse("MMM dd", "Sep 03"), Ok(21_168_000_000));
        assert!(parse("MMM dd", "Sept 03").is_err());
        assert_eq!(parse("MMM d, yyyy h:mm:ss a", "Jan 5, 2021 3:04:05 PM"), Ok(1_609_859_045_000));
        assert_eq!(parse("MMM d, yyyy h:mm:ss a", "Jan 5, 2021 12:04:05 AM"), Ok(1_609_805_045_000));
        assert_eq!(parse("MMM d, yyyy h:mm:ss a", "Jan 5, 2021 3:04:05 pm"), Ok(1_609_859_045_000));
        assert_eq!(parse("yyyy-MM-dd k:mm", "2021-03-04 24:30"), Ok(1_614_817_800_000));
        assert_eq!(parse("yyyy-MM-dd K:mm a", "2021-03-04 11:30 PM"), Ok(1_614_900_600_000));
        assert_eq!(parse("yyyy-MM-dd h:mm", "2021-01-01 12:30"), Ok(1_609_461_000_000));
        assert_eq!(parse("yyyy-MM-dd a h:mm", "2021-01-01 PM 12:30"), Ok(1_609_504_200_000));
        // An hour of day set before or after AM/PM wins over it.
        assert_eq!(parse("yyyy-MM-dd HH:mm a", "2021-01-01 10:30 PM"), Ok(1_609_497_000_000));
        assert_eq!(parse("yyyy-MM-dd a HH:mm", "2021-01-01 PM 10:30"), Ok(1_609_497_000_000));
        assert_eq!(parse("G yyyy-MM-dd", "BC 2021-03-04"), Ok(-125_908_300_800_000));
        assert_eq!(parse("EEEE dd MMM yyyy", "Tuesday 03 Jun 2008"), Ok(1_212_451_200_000));
        // The day of month wins over a contradicting day of week; of day of
        // month and day of year, the later one.
        assert_eq!(parse("yyyy-MM-dd EEE", "2008-06-03 Fri"), Ok(1_212_451_200_000));
        assert_eq!(parse("D yyyy-MM-dd", "10 2008-06-03"), Ok(1_212_451_200_000));
        assert_eq!(parse("yyyy-MM-dd D", "2008-06-03 10"), Ok(1_199_923_200_000));
    }

    #[test]
    fn uses_the_julian_calendar_before_the_cutover() {
        assert_eq!(parse("yyyy-MM-dd", "1582-10-15"), Ok(-12_219_292_800_000));
        assert_eq!(parse("yyyy-MM-dd", "1582-10-04"), Ok(-12_219_379_200_000));
        assert_eq!(parse("yyyy-MM-dd", "1582-10-10"), Ok(-12_218_860_800_000));
        assert_eq!(parse("yyyy-MM-dd", "1500-03-04"), Ok(-14_825_548_800_000));
        assert_eq!(parse("yyyy-MM-dd", "0000-01-01"), Ok(-62_167_392_000_000));
        assert_eq!(format("yyyy-MM-dd HH:mm:ss", -12_219_292_800_001, "UTC"), "1582-10-04 23:59:59");
        assert_eq!(format("yyyy-MM-dd D E", -14_825_548_800_000, "UTC"), "1500-03-04 64 Wed");
        assert_eq!(format("yyyy-MM-dd G", -62_198_755_200_000, "UTC"), "0002-01-03 BC");
        assert_eq!(format("yyyy-MM-dd G", -99_999_999_999_999, "UTC"), "1200-02-26 BC");
    }

    #[test]
    fn parses_zones() {
        assert_eq!(parse("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2021-03-04T05:06:07.890+01:00"), Ok(1_614_830_767_890));
        assert_eq!(parse("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2021-03-04T05:06:07.890Z"), Ok(1_614_834_367_890));
        assert_eq!(parse("yyyy-MM-dd'T'HH:mm:ss.SSSX", "2021-03-04T05:06:07.890+01"), Ok(1_614_830_767_890));
        assert_eq!(parse("yyyy-MM-dd'T'HH:mm:ss.SSSZ", "2021-03-04T05:06:07.890+0100"), Ok(1_614_830_767_890));
        assert!(parse("yyyy-MM-dd'T'HH:mm:ss.SSSZ", "2021-03-04T05:06:07.890+01:00").is_err());
        assert_eq!(parse("yyyy-MM-dd HH:mm X", "2021-07-01 10:00 -0530"), Ok(1_625_151_600_000));
        assert!(parse("yyyy-MM-dd HH:mm XX", "2021-07-01 10:00 -05:30").is_err());
        assert!(parse("yyyy-MM-dd HH:mm Z", "2021-07-01 10:00 -05").is_err());
        let rfc = "EEE, dd MMM yyyy HH:mm:ss z";
        assert_eq!(parse(rfc, "Tue, 03 Jun 2008 11:05:30 GMT"), Ok(1_212_491_130_000));
        assert_eq!(parse(rfc, "Tue, 03 Jun 2008 11:05:30 EDT"), Ok(1_212_505_530_000));
        // A standard-time name keeps standard time, even in summer.
        assert_eq!(parse(rfc, "Tue, 03 Jun 2008 11:05:30 EST"), Ok(1_212_509_130_000));
        assert_eq!(parse(rfc, "Tue, 03 Jun 2008 11:05:30 GMT+02:00"), Ok(1_212_483_930_000));
        assert_eq!(parse(rfc, "Tue, 03 Jun 2008 11:05:30 -0300"), Ok(1_212_501_930_000));
        assert_eq!(parse(rfc, "Tue, 03 Jun 2008 11:05:30 Central European Summer Time"), Ok(1_212_483_930_000));
        assert_eq!(parse("yyyy-MM-dd HH:mm z", "2021-07-01 10:00 GMT+2:00"), Ok(1_625_126_400_000));
        assert_eq!(parse("yyyy-MM-dd HH:mm z", "2021-07-01 10:00 gmt"), Ok(1_625_133_600_000));
        assert_eq!(parse("yyyy-MM-dd HH:mm Z", "2021-07-01 10:00 EST"), Ok(1_625_151_600_000));
        assert_eq!(parse("yyyy-MM-dd HH:mm:ss.SSS zz", "2021-03-04 05:06:07.123 PST"), Ok(1_614_863_167_123));
    }

    #[test]
    fn a_parsed_zone_name_becomes_the_formatters_zone() {
        // The postgresql log pipeline's use: the id of the zone "z" read.
        let cases = [
            ("EST", Some(("America/New_York", 18_000_000))),
            ("EDT", Some(("America/New_York", 14_400_000))),
            ("CEST", Some(("Europe/Paris", -7_200_000))),
            ("CET", Some(("Europe/Paris", -3_600_000))),
            ("PST", Some(("America/Los_Angeles", 28_800_000))),
            ("UTC", Some(("UTC", 0))),
            ("GMT", Some(("UTC", 0))),
            ("BST", Some(("GB", -7_200_000))),
            ("IST", Some(("Asia/Jerusalem", -7_200_000))),
            ("JST", Some(("Asia/Tokyo", -32_400_000))),
            ("AEST", Some(("AET", -36_000_000))),
            ("MSK", Some(("W-SU", -10_800_000))),
            ("MST", Some(("America/Denver", 25_200_000))),
            ("WET", Some(("WET", -3_600_000))),
            ("NZST", Some(("NZ", -43_200_000))),
            ("est", Some(("America/New_York", 18_000_000))),
            ("ESTX", Some(("America/New_York", 18_000_000))),
            ("UTC+1", Some(("UTC", 0))),
            ("Z", None),
            ("XYZ", None),
            ("GMT+2", None),
        ];
        for (text, expected) in cases {
            let mut f = SimpleDateFormat::new("z").unwrap();
            let got = f.parse(text).map(|ms| (f.zone.id().to_string(), ms));
            match expected {
                Some((id, ms)) => assert_eq!(got.ok(), Some((id.to_string(), ms)), "{text}"),
                None => assert_eq!(got.unwrap_err().message.as_deref(), Some(format!("Unparseable date: \"{text}\"").as_str()), "{text}"),
            }
        }
        let mut f = SimpleDateFormat::new("yyyy-MM-dd HH:mm z").unwrap();
        f.parse("2021-01-01 10:00 PST").unwrap();
        assert_eq!(f.format(0), "1969-12-31 16:00 PST");
    }

    #[test]
    fn reads_wall_times_in_zone_transitions() {
        let mut f = SimpleDateFormat::new("yyyy-MM-dd HH:mm").unwrap();
        f.zone = TimeZone::of("America/New_York").unwrap();
        assert_eq!(f.parse("2021-11-07 01:30").ok(), Some(1_636_266_600_000));
        assert_eq!(f.parse("2021-03-14 02:30").ok(), Some(1_615_707_000_000));
        f.lenient = false;
        assert!(f.parse("2021-03-14 02:30").is_err());
    }

    #[test]
    fn a_strict_format_refuses_what_a_lenient_one_rolls_over() {
        let refused = |p: &str, t: &str| assert_eq!(strict(p, t), Err(format!("ParseException: Unparseable date: \"{t}\"")));
        refused("yyyy-MM-dd HH:mm:ss", "2021-13-45 25:61:61");
        refused("yyyy-MM-dd", "2021-02-30");
        refused("yyyy-MM-dd", "2021-00-10");
        refused("yyyy-MM-dd HH", "2021-01-10 24");
        refused("yyyy-MM-dd", "0000-01-01");
        refused("yyyy-MM-dd h:mm", "2021-01-01 13:30");
        refused("yyyy-MM-dd EEE", "2008-06-03 Fri");
        refused("u yyyy-MM-dd", "9 2008-06-03");
        assert_eq!(strict("yyyy-MM-dd EEE", "2008-06-03 Tue"), Ok(1_212_451_200_000));
        assert_eq!(strict("yyyy-MM-dd HH:mm z", "2021-07-01 10:00 EST"), Ok(1_625_151_600_000));
    }

    #[test]
    fn reports_unparseable_text() {
        for (p, t) in [("yyyy-MM-dd", "abc"), ("yyyy-MM-dd", ""), ("yyyy-MM-dd", "2021-02"), ("yyyy-MM-dd", "+2021-03-04"), ("yyyy", "x")] {
            assert_eq!(parse(p, t), Err(format!("ParseException: Unparseable date: \"{t}\"")));
        }
    }

    #[test]
    fn formats_every_letter() {
        let t = 1_614_834_367_890;
        assert_eq!(format("yyyy-MM-dd'T'HH:mm:ss.SSSZ", t, "UTC"), "2021-03-04T05:06:07.890+0000");
        assert_eq!(format("EEE MMM d HH:mm:ss z yyyy", t, "UTC"), "Thu Mar 4 05:06:07 UTC 2021");
        assert_eq!(format("EEEE MMMM dd yy GG a hh KK kk HH", t, "UTC"), "Thursday March 04 21 AD AM 05 05 05 05");
        assert_eq!(format("zzzz XXX XX X Z", t, "UTC"), "Coordinated Universal Time Z Z Z +0000");
        assert_eq!(format("zzzz z XXX XX X Z ZZZZZ", t, "America/New_York"), "Eastern Standard Time EST -05:00 -0500 -05 -0500 -0500");
        let summer = 1_625_000_000_000;
        assert_eq!(format("zzzz z XXX XX X Z", summer, "America/New_York"), "Eastern Daylight Time EDT -04:00 -0400 -04 -0400");
        assert_eq!(format("zzzz z XXX X Z", summer, "Europe/Paris"), "Central European Summer Time CEST +02:00 +02 +0200");
        assert_eq!(format("zzzz z XXX X Z", summer, "Asia/Kolkata"), "India Standard Time IST +05:30 +05 +0530");
        assert_eq!(format("zzzz z XXX X Z", summer, "GMT+05:30"), "GMT+05:30 GMT+05:30 +05:30 +05 +0530");
        assert_eq!(format("z", summer, "GMT"), "GMT");
        assert_eq!(format("z zzzz", summer, "Etc/UTC"), "UTC Coordinated Universal Time");
        assert_eq!(format("D DDD F u w ww W Y YYYY yyyy y yyy L LLL LLLL M MMMMM", t, "UTC"), "63 063 1 4 10 10 1 2021 2021 2021 2021 2021 3 Mar March 3 March");
        assert_eq!(format("D F u w W Y", 1_609_459_200_000, "UTC"), "1 1 5 1 1 2021");
        assert_eq!(format("D F u w W Y", 1_609_372_800_000, "UTC"), "366 5 4 1 5 2021");
        assert_eq!(format("S SS SSS SSSS h H k K", 1_614_834_367_005, "UTC"), "5 05 005 0005 5 5 5 5");
        assert_eq!(format("''yyyy'' 'o''clock' hh", t, "UTC"), "'2021' o'clock 05");
        assert_eq!(format("yyyy-MM-dd HH:mm:ss", t, "EST"), "2021-03-04 00:06:07");
        assert_eq!(format("yyyy-MM-dd HH:mm:ss", t, "Foo"), "2021-03-04 05:06:07");
        assert_eq!(format("LLLL MMMMM EEEEE", 0, "UTC"), "January January Thursday");
    }

    #[test]
    fn refuses_bad_patterns_as_the_jdk() {
        let message = |p: &str| SimpleDateFormat::new(p).unwrap_err().message.clone().unwrap_or_default();
        assert_eq!(message("yyyy q"), "Illegal pattern character 'q'");
        assert_eq!(message("yyyy-MM-ddTHH"), "Illegal pattern character 'T'");
        assert_eq!(message("yyyy 'abc"), "Unterminated quote");
        assert_eq!(message("XXXX"), "invalid ISO 8601 format: length=4");
    }

    #[test]
    fn dates_and_zones_print_as_the_jdk() {
        assert_eq!(date_to_string(0), "Thu Jan 01 00:00:00 UTC 1970");
        assert_eq!(date_to_string(1_625_000_000_000), "Tue Jun 29 20:53:20 UTC 2021");
        assert_eq!(date_to_string(-99_999_999_999_999), "Thu Feb 26 14:13:20 UTC 1200");
        let zone = |id: &str| {
            let z = TimeZone::of(id).unwrap();
            (z.id().to_string(), z.display_name(false, true))
        };
        assert_eq!(zone("Foo"), ("GMT".into(), "Greenwich Mean Time".into()));
        assert_eq!(zone("GMT+5"), ("GMT+05:00".into(), "GMT+05:00".into()));
        assert_eq!(zone("GMT+05:30"), ("GMT+05:30".into(), "GMT+05:30".into()));
        assert_eq!(zone("gmt+5"), ("GMT".into(), "Greenwich Mean Time".into()));
        assert_eq!(zone("utc"), ("GMT".into(), "Greenwich Mean Time".into()));
        assert_eq!(zone("EST"), ("EST".into(), "Eastern Standard Time".into()));
        assert_eq!(zone("AET"), ("AET".into(), "Australian Eastern Standard Time".into()));
        assert_eq!(zone("GMT-0830"), ("GMT-08:30".into(), "GMT-08:30".into()));
        assert_eq!(zone("GMT+24:00"), ("GMT".into(), "Greenwich Mean Time".into()));
        assert_eq!(zone("+01:00"), ("GMT".into(), "Greenwich Mean Time".into()));
        assert_eq!(TimeZone::of("AET").unwrap().raw_offset(), 36_000_000);
        assert_eq!(TimeZone::of("GMT-0830").unwrap().raw_offset(), -30_600_000);
    }

    fn script(source: &str) -> Result<crate::value::Map, crate::error::EsError> {
        let script = crate::painless::compile(source, crate::painless::ScriptContext::Ingest)?;
        let mut ctx = crate::value::Map::default();
        script.execute(&mut ctx, &crate::value::Map::default())?;
        Ok(ctx)
    }

    #[test]
    fn scripts_parse_format_and_store_dates() {
        let ctx = script(
            "SimpleDateFormat f = new SimpleDateFormat('yyyy-MM-dd HH:mm:ss'); Date d = f.parse('2021-03-04 05:06:07'); \
             ctx.ms = d.getTime(); ctx.s = d.toString(); ctx.d = d; \
             f.setTimeZone(TimeZone.getTimeZone('Europe/Paris')); ctx.f = f.format(d); ctx.fl = f.format(0L); \
             ctx.lenient = f.isLenient(); ctx.p = f.toPattern(); ctx.zone = f.getTimeZone().getID(); \
             ctx.before = new Date(5).before(new Date(6)); ctx.from = Date.from(Instant.ofEpochMilli(5)).getTime(); \
             ctx.short = ZoneId.of('EST', ZoneId.SHORT_IDS).getId(); ctx.kept = ZoneId.of('Europe/Paris', ZoneId.SHORT_IDS).getId(); \
             ctx.isFormat = f instanceof DateFormat; ctx.eq = new Date(7).equals(new Date(7)); ctx.hash = new Date(1L << 40).hashCode()",
        )
        .unwrap();
        let got = crate::value::Value::Map(ctx).to_json();
        assert_eq!(
            got,
            r#"{"ms":1614834367000,"s":"Thu Mar 04 05:06:07 UTC 2021","d":"2021-03-04T05:06:07.000Z","f":"2021-03-04 06:06:07","fl":"1970-01-01 01:00:00","lenient":true,"p":"yyyy-MM-dd HH:mm:ss","zone":"Europe/Paris","before":true,"from":5,"short":"-05:00","kept":"Europe/Paris","isFormat":true,"eq":true,"hash":256}"#
        );
    }

    /// `clone` copies: a change to the copy leaves the original as it was
    /// (Date.clone, TimeZone.clone, Format.clone in java.util.txt/java.text.txt).
    #[test]
    fn clones_are_independent_copies() {
        let ctx = script(
            "Date d = new Date(5); def c = d.clone(); c.setTime(9); ctx.d = d.getTime(); ctx.c = c.getTime(); \
             SimpleDateFormat f = new SimpleDateFormat('HH'); def g = f.clone(); \
             g.setTimeZone(TimeZone.getTimeZone('Europe/Paris')); ctx.f = f.format(d); ctx.g = g.format(d); \
             ctx.z = TimeZone.getTimeZone('Asia/Tokyo').clone().getID()",
        )
        .unwrap();
        assert_eq!(crate::value::Value::Map(ctx).to_json(), r#"{"d":5,"c":9,"f":"00","g":"01","z":"Asia/Tokyo"}"#);
    }

    #[test]
    fn parse_exception_is_checked() {
        let ctx = script("try { new SimpleDateFormat('yyyy').parse('x') } catch (ParseException e) { ctx.m = e.getMessage() }").unwrap();
        assert_eq!(crate::value::Value::Map(ctx).to_json(), r#"{"m":"Unparseable date: \"x\""}"#);
        // Not a RuntimeException: that catch lets it through, Exception's does not.
        let e = script("try { new SimpleDateFormat('yyyy').parse('x') } catch (RuntimeException e) { ctx.m = 1 }").unwrap_err();
        let cause = e.caused_by.as_ref().unwrap();
        assert_eq!((cause.kind.as_str(), cause.reason.as_str()), ("parse_exception", "Unparseable date: \"x\""));
        assert!(script("try { new SimpleDateFormat('yyyy').parse('x') } catch (Exception e) { ctx.m = 1 }").is_ok());
    }

    #[test]
    fn members_outside_the_implemented_ones_are_refused_at_load() {
        for source in ["new SimpleDateFormat('y').getCalendar()", "new SimpleDateFormat('y').set2DigitYearStart(new Date(0))"] {
            let e = crate::painless::compile(source, crate::painless::ScriptContext::Ingest).unwrap_err();
            assert!(e.to_value().to_json().contains("unsupported Painless feature"), "{source}");
        }
        let e = script("ctx.f = new SimpleDateFormat('yyyy', Locale.ROOT)").unwrap_err();
        assert!(e.to_value().to_json().contains("is not supported yet"));
    }
}
