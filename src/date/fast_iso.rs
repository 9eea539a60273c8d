//! Elasticsearch's `Iso8601Parser`: the fast first parser of `iso8601` and
//! `strict_date_optional_time[_nanos]`. It reads fixed positions
//! (`yyyy[-MM[-dd[THH[:mm[:ss[.fraction]]]]]]` plus a zone after the hour),
//! checks values only coarsely, and leaves building the date to
//! `DateFormatters.from`, which is where impossible dates fail.

use super::engine::{with_chars, Accessor, Parsed};
use super::fields::Field;
use super::zone::{self, ZoneId};
use chrono::NaiveTime;

fn int(s: &[char], start: usize, end: usize) -> Option<i64> {
    if s.len() < end {
        return None;
    }
    let mut v = 0;
    for c in &s[start..end] {
        v = v * 10 + c.to_digit(10)? as i64;
    }
    Some(v)
}

fn is_zone_start(c: char) -> bool {
    c == '+' || c == '-' || c.is_ascii_alphabetic()
}

/// `parseZoneId`: `Z`, `±hh[[:]mm[[:]ss]]` with consistent colons, or any `ZoneId.of` id.
fn zone_at(s: &[char], pos: usize) -> Option<ZoneId> {
    let len = s.len();
    let first = s[pos];
    if first == 'Z' && len == pos + 1 {
        return Some(ZoneId::Offset(0));
    }
    let positive = match first {
        '+' => true,
        '-' => false,
        _ => return ZoneId::of(&s[pos..].iter().collect::<String>()).ok(),
    };
    let mut p = pos + 1;
    let hours = int(s, p, p + 2)?;
    p += 2;
    if hours > 23 {
        return None;
    }
    let total = |h: i64, m: i64, sec: i64| {
        let t = (h * 3600 + m * 60 + sec) as i32;
        let t = if positive { t } else { -t };
        zone::offset_of_hms(t / 3600, t / 60 % 60, t % 60).ok().map(ZoneId::Offset)
    };
    if len == p {
        return total(hours, 0, 0);
    }
    let colon = s[p] == ':';
    if colon {
        p += 1;
    }
    let minutes = int(s, p, p + 2)?;
    p += 2;
    if minutes > 59 {
        return None;
    }
    if len == p {
        return total(hours, minutes, 0);
    }
    if (s[p] == ':') != colon {
        return None;
    }
    if colon {
        p += 1;
    }
    let seconds = int(s, p, p + 2)?;
    p += 2;
    if seconds > 59 || len != p {
        return None;
    }
    total(hours, minutes, seconds)
}

/// Parses like `Iso8601Parser.tryParse`; `time_required` is the
/// `strict_date_optional_time_nanos` configuration (time optional, but if
/// present hours, minutes and seconds are all required).
pub fn parse(text: &str, time_required: bool) -> Option<Accessor> {
    with_chars(text, |chars| parse_signed(chars, time_required))
}

/// [`parse`] on the text's chars.
pub fn parse_signed(chars: &[char], time_required: bool) -> Option<Accessor> {
    if chars.first() == Some(&'-') {
        let mut acc = parse_chars(&chars[1..], time_required)?;
        let y = acc.fields.get(Field::Year)?;
        acc.fields.remove(Field::Year);
        acc.fields.fields.push((Field::Year, -y));
        return Some(acc);
    }
    parse_chars(chars, time_required)
}

fn accessor(
    y: i64,
    m: Option<i64>,
    d: Option<i64>,
    time: Option<(i64, i64, i64, i64)>,
    zone: Option<ZoneId>,
) -> Option<Accessor> {
    let mut fields = Parsed::default();
    fields.fields.push((Field::Year, y));
    if let Some(m) = m {
        fields.fields.push((Field::MonthOfYear, m));
    }
    if let Some(d) = d {
        fields.fields.push((Field::DayOfMonth, d));
    }
    fields.zone = zone;
    let time = time.map(|(h, mi, s, n)| NaiveTime::from_hms_nano_opt(h as u32, mi as u32, s as u32, n as u32).unwrap());
    Some(Accessor { date: None, time, fields, instant: None })
}

fn parse_chars(s: &[char], time_required: bool) -> Option<Accessor> {
    let len = s.len();
    let years = int(s, 0, 4)?;
    if len == 4 {
        return accessor(years, None, None, None, None);
    }
    if s[4] != '-' {
        return None;
    }
    let months = int(s, 5, 7)?;
    if months > 12 {
        return None;
    }
    if len == 7 {
        return accessor(years, Some(months), None, None, None);
    }
    if s[7] != '-' {
        return None;
    }
    let days = int(s, 8, 10)?;
    if days > 31 {
        return None;
    }
    let date = |time, zone| accessor(years, Some(months), Some(days), time, zone);
    if len == 10 {
        return date(None, None);
    }
    if s[10] != 'T' {
        return None;
    }
    if len == 11 {
        return if time_required { None } else { date(None, None) };
    }
    let hours = int(s, 11, 13)?;
    if hours > 23 {
        return None;
    }
    if len == 13 {
        return if time_required { None } else { date(Some((hours, 0, 0, 0)), None) };
    }
    if is_zone_start(s[13]) {
        let z = zone_at(s, 13)?;
        return if time_required { None } else { date(Some((hours, 0, 0, 0)), Some(z)) };
    }
    if s[13] != ':' {
        return None;
    }
    let minutes = int(s, 14, 16)?;
    if minutes > 59 {
        return None;
    }
    if len == 16 {
        return if time_required { None } else { date(Some((hours, minutes, 0, 0)), None) };
    }
    if is_zone_start(s[16]) {
        let z = zone_at(s, 16)?;
        return if time_required { None } else { date(Some((hours, minutes, 0, 0)), Some(z)) };
    }
    if s[16] != ':' {
        return None;
    }
    let seconds = int(s, 17, 19)?;
    if seconds > 59 {
        return None;
    }
    if len == 19 {
        return date(Some((hours, minutes, seconds, 0)), None);
    }
    if is_zone_start(s[19]) {
        let z = zone_at(s, 19)?;
        return date(Some((hours, minutes, seconds, 0)), Some(z));
    }
    if s[19] != '.' && s[19] != ',' {
        return None;
    }
    let mut nanos = 0i64;
    let mut pos = 20;
    while pos < len && pos < 29 {
        match s[pos].to_digit(10) {
            Some(d) => nanos = nanos * 10 + d as i64,
            None => break,
        }
        pos += 1;
    }
    if pos == 20 {
        return None;
    }
    nanos *= 10i64.pow((29 - pos) as u32);
    if len == pos {
        return date(Some((hours, minutes, seconds, nanos)), None);
    }
    if is_zone_start(s[pos]) {
        let z = zone_at(s, pos)?;
        return date(Some((hours, minutes, seconds, nanos)), Some(z));
    }
    None
}
