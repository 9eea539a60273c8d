//! Java's `ZoneId` / `ZoneOffset` and `ZonedDateTime`, as far as ingest needs them.
//!
//! `ZoneId.of` rules: `Z` and `+hh:mm`-style ids are offsets, `UTC`/`GMT`/`UT`
//! with an optional offset suffix are fixed "prefixed" regions, anything else
//! is an IANA region looked up in the time-zone database (case-sensitive).

use super::DateError;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Timelike};
use chrono_tz::{OffsetName, Tz};

#[derive(Clone, Debug, PartialEq)]
pub enum ZoneId {
    /// A `ZoneOffset` (id `Z` when zero).
    Offset(i32),
    /// `UTC`, `GMT`, `UT`, `UTC+01:00`, `GMT0`...: a region with a fixed offset.
    Fixed { id: String, offset: i32 },
    /// A tz database region.
    Region { id: String, tz: Tz },
}

pub const UTC: ZoneId = ZoneId::Offset(0);

fn dt_err(msg: impl Into<String>) -> DateError {
    DateError::new("date_time_exception", msg)
}

/// Java's `ZoneOffset.getId()`.
pub fn offset_id(total: i32) -> String {
    if total == 0 {
        return "Z".into();
    }
    let abs = total.unsigned_abs();
    let (h, m, s) = (abs / 3600, abs / 60 % 60, abs % 60);
    let mut out = format!("{}{:02}:{:02}", if total < 0 { '-' } else { '+' }, h, m);
    if s != 0 {
        out.push_str(&format!(":{s:02}"));
    }
    out
}

/// Java's `ZoneOffset.of(String)`.
pub fn parse_offset_id(id: &str) -> Result<i32, DateError> {
    if id == "Z" {
        return Ok(0);
    }
    let mut s: Vec<char> = id.chars().collect();
    let invalid = || dt_err(format!("Invalid ID for ZoneOffset, invalid format: {id}"));
    let num = |s: &[char], pos: usize, colon: bool| -> Result<i32, DateError> {
        if colon && s[pos - 1] != ':' {
            return Err(dt_err(format!("Invalid ID for ZoneOffset, colon not found when expected: {id}")));
        }
        let (a, b) = (s[pos], s[pos + 1]);
        if !a.is_ascii_digit() || !b.is_ascii_digit() {
            return Err(dt_err(format!("Invalid ID for ZoneOffset, non numeric characters found: {id}")));
        }
        Ok((a as i32 - 48) * 10 + (b as i32 - 48))
    };
    if s.len() == 2 {
        s = vec![s[0], '0', s[1]];
    }
    let (h, m, sec) = match s.len() {
        3 => (num(&s, 1, false)?, 0, 0),
        5 => (num(&s, 1, false)?, num(&s, 3, false)?, 0),
        6 => (num(&s, 1, false)?, num(&s, 4, true)?, 0),
        7 => (num(&s, 1, false)?, num(&s, 3, false)?, num(&s, 5, false)?),
        9 => (num(&s, 1, false)?, num(&s, 4, true)?, num(&s, 7, true)?),
        _ => return Err(invalid()),
    };
    let first = s[0];
    if first != '+' && first != '-' {
        return Err(dt_err(format!("Invalid ID for ZoneOffset, plus/minus not found when expected: {id}")));
    }
    let sign = if first == '-' { -1 } else { 1 };
    offset_of_hms(sign * h, sign * m, sign * sec)
}

/// Java's `ZoneOffset.ofHoursMinutesSeconds` validation.
pub fn offset_of_hms(h: i32, m: i32, s: i32) -> Result<i32, DateError> {
    if !(-18..=18).contains(&h) {
        return Err(dt_err(format!("Zone offset hours not in valid range: value {h} is not in the range -18 to 18")));
    }
    if h > 0 {
        if m < 0 || s < 0 {
            return Err(dt_err("Zone offset minutes and seconds must be positive because hours is positive"));
        }
    } else if h < 0 {
        if m > 0 || s > 0 {
            return Err(dt_err("Zone offset minutes and seconds must be negative because hours is negative"));
        }
    } else if (m > 0 && s < 0) || (m < 0 && s > 0) {
        return Err(dt_err("Zone offset minutes and seconds must have the same sign"));
    }
    if !(-59..=59).contains(&m) {
        return Err(dt_err(format!("Zone offset minutes not in valid range: value {m} is not in the range -59 to 59")));
    }
    if !(-59..=59).contains(&s) {
        return Err(dt_err(format!("Zone offset seconds not in valid range: value {s} is not in the range -59 to 59")));
    }
    if h.abs() == 18 && (m | s) != 0 {
        return Err(dt_err("Zone offset not in valid range: -18:00 to +18:00"));
    }
    Ok(h * 3600 + m * 60 + s)
}

fn valid_region_format(id: &str) -> bool {
    let mut chars = id.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() => {}
        _ => return false,
    }
    let rest: Vec<char> = chars.collect();
    !rest.is_empty() && rest.iter().all(|c| c.is_ascii_alphanumeric() || "~/._+-".contains(*c))
}

fn region(id: &str) -> Result<ZoneId, DateError> {
    if !valid_region_format(id) {
        return Err(dt_err(format!("Invalid ID for region-based ZoneId, invalid format: {id}")));
    }
    match id.parse::<Tz>() {
        Ok(tz) => Ok(ZoneId::Region { id: id.to_string(), tz }),
        Err(_) => Err(DateError::new("zone_rules_exception", format!("Unknown time-zone ID: {id}"))),
    }
}

/// `ZoneId.ofOffset(prefix, offset)`.
pub fn prefixed(prefix: &str, offset: i32) -> ZoneId {
    if prefix.is_empty() {
        return ZoneId::Offset(offset);
    }
    let id = if offset != 0 { format!("{prefix}{}", offset_id(offset)) } else { prefix.to_string() };
    ZoneId::Fixed { id, offset }
}

impl ZoneId {
    /// Java's `ZoneId.of(String)`.
    pub fn of(id: &str) -> Result<ZoneId, DateError> {
        if id.chars().count() <= 1 || id.starts_with('+') || id.starts_with('-') {
            return parse_offset_id(id).map(ZoneId::Offset);
        }
        let plen = if id.starts_with("UTC") || id.starts_with("GMT") {
            3
        } else if id.starts_with("UT") {
            2
        } else {
            return region(id);
        };
        let prefix = &id[..plen];
        if id.len() == plen {
            return Ok(prefixed(prefix, 0));
        }
        let c = id[plen..].chars().next().unwrap();
        if c != '+' && c != '-' {
            return region(id);
        }
        match parse_offset_id(&id[plen..]) {
            Ok(off) => Ok(prefixed(prefix, off)),
            Err(e) => Err(dt_err(format!("Invalid ID for offset-based ZoneId: {id}")).caused_by(e)),
        }
    }

    pub fn id(&self) -> String {
        match self {
            ZoneId::Offset(o) => offset_id(*o),
            ZoneId::Fixed { id, .. } | ZoneId::Region { id, .. } => id.clone(),
        }
    }

    pub fn is_utc_offset(&self) -> bool {
        matches!(self, ZoneId::Offset(0))
    }

    /// Offset in effect at an instant (epoch seconds).
    pub fn offset_at(&self, epoch_second: i64) -> i32 {
        match self {
            ZoneId::Offset(o) | ZoneId::Fixed { offset: o, .. } => *o,
            ZoneId::Region { tz, .. } => match chrono::DateTime::from_timestamp(epoch_second, 0) {
                Some(dt) => tz.offset_from_utc_datetime(&dt.naive_utc()).fix().local_minus_utc(),
                None => 0,
            },
        }
    }

    /// Short display name (pattern letter `z`): offsets print their id,
    /// regions their abbreviation where the tz database has one.
    pub fn short_name(&self, epoch_second: i64) -> String {
        match self {
            ZoneId::Offset(_) | ZoneId::Fixed { .. } => self.id(),
            ZoneId::Region { tz, id } => match chrono::DateTime::from_timestamp(epoch_second, 0) {
                Some(dt) => {
                    let off = tz.offset_from_utc_datetime(&dt.naive_utc());
                    off.abbreviation().map(str::to_string).unwrap_or_else(|| id.clone())
                }
                None => id.clone(),
            },
        }
    }
}

/// Java's `ZonedDateTime`: a local date-time, its offset and the zone.
#[derive(Clone, Debug, PartialEq)]
pub struct ZonedDateTime {
    pub local: NaiveDateTime,
    pub offset: i32,
    pub zone: ZoneId,
}

fn range_err() -> DateError {
    dt_err("Instant exceeds minimum or maximum instant")
}

/// `Instant.MIN` and `Instant.MAX` in epoch seconds (years -1,000,000,000 and
/// 1,000,000,000).
const JAVA_INSTANT_SECONDS: std::ops::RangeInclusive<i64> = -31_557_014_167_219_200..=31_556_889_864_403_199;

/// Java holds every instant up to year ±1,000,000,000, chrono stops near year
/// ±262,000: an instant between the two is a date Elasticsearch has (any
/// `UNIX_MS` long is one) and ingot cannot hold, so it must not get the message
/// Java gives past its own limits.
fn beyond_chrono() -> DateError {
    DateError::new(
        "illegal_argument_exception",
        "dates beyond year 262142 or before year -262143 are not supported yet",
    )
}

impl ZonedDateTime {
    /// `ZonedDateTime.of(local, zone)`: a local time in a gap moves forward by
    /// the gap's length, in an overlap the earlier offset wins.
    pub fn of_local(local: NaiveDateTime, zone: ZoneId) -> ZonedDateTime {
        match &zone {
            ZoneId::Offset(o) | ZoneId::Fixed { offset: o, .. } => {
                ZonedDateTime { local, offset: *o, zone: zone.clone() }
            }
            ZoneId::Region { tz, .. } => match tz.from_local_datetime(&local) {
                chrono::LocalResult::Single(dt) => {
                    ZonedDateTime { local, offset: dt.offset().fix().local_minus_utc(), zone: zone.clone() }
                }
                chrono::LocalResult::Ambiguous(early, _) => {
                    ZonedDateTime { local, offset: early.offset().fix().local_minus_utc(), zone: zone.clone() }
                }
                chrono::LocalResult::None => {
                    // the offset before the transition
                    let before = tz.offset_from_utc_datetime(&(local - Duration::days(1))).fix().local_minus_utc();
                    let utc = local - Duration::seconds(before as i64);
                    let off = tz.offset_from_utc_datetime(&utc).fix().local_minus_utc();
                    ZonedDateTime { local: utc + Duration::seconds(off as i64), offset: off, zone: zone.clone() }
                }
            },
        }
    }

    pub fn of_instant(seconds: i64, nanos: u32, zone: ZoneId) -> Result<ZonedDateTime, DateError> {
        if !JAVA_INSTANT_SECONDS.contains(&seconds) {
            return Err(range_err());
        }
        let off = zone.offset_at(seconds);
        let utc = chrono::DateTime::from_timestamp(seconds, nanos).ok_or_else(beyond_chrono)?.naive_utc();
        let local = utc.checked_add_signed(Duration::seconds(off as i64)).ok_or_else(beyond_chrono)?;
        Ok(ZonedDateTime { local, offset: off, zone })
    }

    pub fn of_epoch_milli(millis: i64, zone: ZoneId) -> Result<ZonedDateTime, DateError> {
        ZonedDateTime::of_instant(millis.div_euclid(1000), (millis.rem_euclid(1000) * 1_000_000) as u32, zone)
    }

    pub fn epoch_second(&self) -> i64 {
        self.local.and_utc().timestamp() - self.offset as i64
    }

    pub fn nano(&self) -> u32 {
        self.local.nanosecond()
    }

    pub fn with_zone_same_instant(&self, zone: ZoneId) -> Result<ZonedDateTime, DateError> {
        ZonedDateTime::of_instant(self.epoch_second(), self.nano(), zone)
    }

    /// `withZoneSameLocal`.
    pub fn with_zone_same_local(&self, zone: ZoneId) -> ZonedDateTime {
        ZonedDateTime::of_local(self.local, zone)
    }

    pub fn date(&self) -> NaiveDate {
        self.local.date()
    }

    pub fn year(&self) -> i32 {
        self.local.year()
    }
}
