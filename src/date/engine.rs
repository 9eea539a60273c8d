//! A re-implementation of the parts of `java.time.format.DateTimeFormatter`
//! that Elasticsearch's date formats use: printer-parsers (numbers with
//! Java's sign styles and adjacent-value parsing, fractions, texts, offsets,
//! zone ids, optional sections), strict parsing, STRICT resolving, and
//! printing.

use super::fields::{texts, Field, Locale, TextStyle, WeekDef};
use super::zone::{self, ZoneId, ZonedDateTime};
use super::DateError;
use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sign {
    Normal,
    Always,
    Never,
    NotNegative,
    ExceedsPad,
}

/// Offset patterns of `appendOffset`, by Java's type index.
pub const OFFSET_PATTERNS: [&str; 11] = [
    "+HH",
    "+HHmm",
    "+HH:mm",
    "+HHMM",
    "+HH:MM",
    "+HHMMss",
    "+HH:MM:ss",
    "+HHMMSS",
    "+HH:MM:SS",
    "+HHmmss",
    "+HH:mm:ss",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ZoneMode {
    /// `appendZoneId()` / `appendZoneOrOffsetId()`.
    Id,
    /// `appendZoneText(SHORT)`.
    ShortText,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Elem {
    Char(char),
    Str(String),
    Num {
        field: Field,
        min: usize,
        max: usize,
        sign: Sign,
        subsequent: i32,
        reduced: bool,
    },
    Fraction {
        field: Field,
        min: usize,
        max: usize,
        point: bool,
        subsequent: i32,
    },
    Text {
        field: Field,
        style: TextStyle,
    },
    Offset {
        kind: usize,
        no_offset: String,
    },
    LocalizedOffset {
        full: bool,
    },
    Zone(ZoneMode),
    Optional(Vec<Elem>),
    /// `epoch_second` (false) / `epoch_millis` (true).
    Epoch {
        millis: bool,
    },
}

/// `DateTimeFormatterBuilder`, with Java's adjacent value parsing bookkeeping.
#[derive(Default)]
pub struct Builder {
    stack: Vec<(Vec<Elem>, Option<usize>)>,
}

impl Builder {
    pub fn new() -> Builder {
        Builder { stack: vec![(Vec::new(), None)] }
    }

    fn top(&mut self) -> &mut (Vec<Elem>, Option<usize>) {
        self.stack.last_mut().unwrap()
    }

    pub fn append(&mut self, e: Elem) -> &mut Self {
        let top = self.top();
        top.0.push(e);
        top.1 = None;
        self
    }

    pub fn lit(&mut self, s: &str) -> &mut Self {
        if s.chars().count() == 1 {
            self.append(Elem::Char(s.chars().next().unwrap()))
        } else {
            self.append(Elem::Str(s.to_string()))
        }
    }

    /// `appendValue(field, min, max, sign)` (and reduced / fixed fractions),
    /// taking part in adjacent value parsing.
    pub fn value(&mut self, field: Field, min: usize, max: usize, sign: Sign) -> &mut Self {
        self.value_elem(Elem::Num { field, min, max, sign, subsequent: 0, reduced: false })
    }

    pub fn reduced(&mut self, field: Field) -> &mut Self {
        self.value_elem(Elem::Num { field, min: 2, max: 2, sign: Sign::NotNegative, subsequent: 0, reduced: true })
    }

    pub fn fraction(&mut self, min: usize, max: usize, point: bool) -> &mut Self {
        let e = Elem::Fraction { field: Field::NanoOfSecond, min, max, point, subsequent: 0 };
        if min == max && !point {
            self.value_elem(e)
        } else {
            self.append(e)
        }
    }

    fn value_elem(&mut self, e: Elem) -> &mut Self {
        let (fixed, width) = match &e {
            Elem::Num { min, max, sign, .. } => (min == max && *sign == Sign::NotNegative, *max),
            Elem::Fraction { min, max, .. } => (min == max, *max),
            _ => unreachable!(),
        };
        let top = self.top();
        match top.1 {
            Some(active) => {
                let base = &mut top.0[active];
                if fixed {
                    match base {
                        Elem::Num { subsequent, .. } | Elem::Fraction { subsequent, .. } => {
                            if *subsequent >= 0 {
                                *subsequent += width as i32
                            }
                        }
                        _ => {}
                    }
                    top.0.push(with_fixed(e));
                } else {
                    *base = with_fixed(base.clone());
                    top.0.push(e);
                    top.1 = Some(top.0.len() - 1);
                }
            }
            None => {
                top.0.push(e);
                top.1 = Some(top.0.len() - 1);
            }
        }
        self
    }

    pub fn optional_start(&mut self) -> &mut Self {
        self.top().1 = None;
        self.stack.push((Vec::new(), None));
        self
    }

    /// Returns false when there is no open optional section.
    pub fn optional_end(&mut self) -> bool {
        if self.stack.len() < 2 {
            return false;
        }
        let (elems, _) = self.stack.pop().unwrap();
        if !elems.is_empty() {
            self.append(Elem::Optional(elems));
        }
        true
    }

    pub fn append_all(&mut self, elems: &[Elem]) -> &mut Self {
        // `append(DateTimeFormatter)` appends the other formatter as one composite
        let top = self.top();
        top.0.extend(elems.iter().cloned());
        top.1 = None;
        self
    }

    pub fn build(mut self) -> Vec<Elem> {
        while self.optional_end() {}
        self.stack.pop().unwrap().0
    }
}

fn with_fixed(e: Elem) -> Elem {
    match e {
        Elem::Num { field, min, max, sign, subsequent, reduced } if subsequent != -1 => {
            let _ = subsequent;
            Elem::Num { field, min, max, sign, subsequent: -1, reduced }
        }
        Elem::Fraction { field, min, max, point, .. } => Elem::Fraction { field, min, max, point, subsequent: -1 },
        other => other,
    }
}

// ---------------------------------------------------------------- parsing

#[derive(Clone, Debug, Default)]
pub struct Parsed {
    pub fields: Vec<(Field, i64)>,
    pub zone: Option<ZoneId>,
    pub offset: Option<i64>,
}

impl Parsed {
    pub fn get(&self, f: Field) -> Option<i64> {
        self.fields.iter().find(|(k, _)| *k == f).map(|(_, v)| *v)
    }

    pub fn has(&self, f: Field) -> bool {
        self.get(f).is_some()
    }

    pub fn remove(&mut self, f: Field) -> Option<i64> {
        let i = self.fields.iter().position(|(k, _)| *k == f)?;
        Some(self.fields.remove(i).1)
    }

    /// Java's `setParsedField`: false when the field already has another value.
    fn set(&mut self, f: Field, v: i64) -> bool {
        match self.fields.iter_mut().find(|(k, _)| *k == f) {
            Some((_, old)) => {
                let same = *old == v;
                *old = v;
                same
            }
            None => {
                self.fields.push((f, v));
                true
            }
        }
    }
}

struct Ctx<'a> {
    text: &'a [char],
    parsed: Parsed,
}

type PResult = Result<usize, usize>;

fn digit(c: char) -> Option<i64> {
    c.to_digit(10).map(|d| d as i64)
}

/// Parses `text` with the elements; `Ok(end)` or `Err(error index)`.
fn parse_elems(elems: &[Elem], ctx: &mut Ctx, mut pos: usize) -> PResult {
    for e in elems {
        pos = parse_elem(e, ctx, pos)?;
    }
    Ok(pos)
}

fn parse_elem(e: &Elem, ctx: &mut Ctx, pos: usize) -> PResult {
    let text = ctx.text;
    let len = text.len();
    match e {
        Elem::Char(c) => {
            if pos < len && text[pos] == *c {
                Ok(pos + 1)
            } else {
                Err(pos)
            }
        }
        Elem::Str(s) => match starts_with_at(text, pos, s) {
            Some(end) => Ok(end),
            None => Err(pos),
        },
        Elem::Optional(inner) => {
            let saved = ctx.parsed.clone();
            match parse_elems(inner, ctx, pos) {
                Ok(p) => Ok(p),
                Err(_) => {
                    ctx.parsed = saved;
                    Ok(pos)
                }
            }
        }
        Elem::Num { field, min, max, sign, subsequent, reduced } => {
            parse_number(ctx, pos, *field, *min, *max, *sign, *subsequent, *reduced)
        }
        Elem::Fraction { field, min, max, point, .. } => {
            if pos == len {
                return if *min > 0 { Err(pos) } else { Ok(pos) };
            }
            let mut p = pos;
            if *point {
                if text[p] != '.' {
                    return if *min > 0 { Err(pos) } else { Ok(pos) };
                }
                p += 1;
            }
            let start = p;
            let min_end = start + min;
            if min_end > len {
                return Err(start);
            }
            let max_end = (start + max).min(len);
            let mut total: i64 = 0;
            while p < max_end {
                match digit(text[p]) {
                    Some(d) => {
                        total = total * 10 + d;
                        p += 1;
                    }
                    None => {
                        if p < min_end {
                            return Err(start);
                        }
                        break;
                    }
                }
            }
            let digits = p - start;
            let scale = match field {
                Field::EpochNanosOfMilli => 6,
                _ => 9,
            };
            let value = if digits == 0 { 0 } else { total * 10i64.pow((scale - digits.min(scale)) as u32) };
            if !ctx.parsed.set(*field, value) {
                return Err(start);
            }
            Ok(p)
        }
        Elem::Text { field, style } => {
            let mut options = texts(*field, *style);
            options.sort_by_key(|(t, _)| std::cmp::Reverse(t.chars().count()));
            for (t, v) in options {
                if let Some(end) = starts_with_at(text, pos, t) {
                    if !ctx.parsed.set(*field, v) {
                        return Err(pos);
                    }
                    return Ok(end);
                }
            }
            Err(pos)
        }
        Elem::Offset { kind, no_offset } => match parse_offset(text, pos, *kind, no_offset) {
            Ok((end, secs)) => {
                let old = ctx.parsed.offset.replace(secs as i64);
                if old.is_some_and(|o| o != secs as i64) {
                    return Err(pos);
                }
                Ok(end)
            }
            Err(e) => Err(e),
        },
        Elem::LocalizedOffset { full } => {
            let gmt = ['G', 'M', 'T'];
            if pos + 3 > len || text[pos..pos + 3] != gmt {
                return Err(pos);
            }
            let mut p = pos + 3;
            if p >= len || (text[p] != '+' && text[p] != '-') {
                ctx.parsed.offset = Some(0);
                return Ok(p);
            }
            let neg = text[p] == '-';
            p += 1;
            let two = |p: usize| -> Option<i32> {
                if p + 2 <= len {
                    Some((digit(text[p])? * 10 + digit(text[p + 1])?) as i32)
                } else {
                    None
                }
            };
            let (h, mut m, mut s);
            if *full {
                h = two(p).ok_or(pos)?;
                p += 2;
                if p >= len || text[p] != ':' {
                    return Err(pos);
                }
                m = two(p + 1).ok_or(pos)?;
                p += 3;
                s = 0;
                if p < len && text[p] == ':' {
                    if let Some(v) = two(p + 1) {
                        s = v;
                        p += 3;
                    }
                }
            } else {
                let d1 = text.get(p).and_then(|c| digit(*c)).ok_or(pos)? as i32;
                p += 1;
                h = match text.get(p).and_then(|c| digit(*c)) {
                    Some(d2) => {
                        p += 1;
                        d1 * 10 + d2 as i32
                    }
                    None => d1,
                };
                m = 0;
                s = 0;
                if p < len && text[p] == ':' {
                    if let Some(v) = two(p + 1) {
                        m = v;
                        p += 3;
                        if p < len && text[p] == ':' {
                            if let Some(v) = two(p + 1) {
                                s = v;
                                p += 3;
                            }
                        }
                    }
                }
            }
            if h > 23 || m > 59 || s > 59 {
                return Err(pos);
            }
            let sign = if neg { -1 } else { 1 };
            m *= sign;
            s *= sign;
            ctx.parsed.offset = Some((sign * h * 3600 + m * 60 + s) as i64);
            Ok(p)
        }
        Elem::Zone(mode) => parse_zone(ctx, pos, *mode),
        Elem::Epoch { millis } => parse_epoch(ctx, pos, *millis),
    }
}

#[allow(clippy::too_many_arguments)]
fn parse_number(
    ctx: &mut Ctx,
    pos0: usize,
    field: Field,
    min: usize,
    max: usize,
    sign: Sign,
    subsequent: i32,
    reduced: bool,
) -> PResult {
    let text = ctx.text;
    let len = text.len();
    if pos0 == len {
        return Err(pos0);
    }
    let mut position = pos0;
    let c = text[pos0];
    let (mut negative, mut positive) = (false, false);
    let min_end = pos0 + min;
    if min_end > len {
        return Err(pos0);
    }
    let sign_ok = |positive: bool| match sign {
        Sign::Normal => !positive,
        Sign::Always | Sign::ExceedsPad => true,
        Sign::Never | Sign::NotNegative => false,
    };
    if c == '+' {
        if !sign_ok(true) {
            return Err(pos0);
        }
        positive = true;
        position += 1;
    } else if c == '-' {
        if !sign_ok(false) {
            return Err(pos0);
        }
        negative = true;
        position += 1;
    } else if sign == Sign::Always {
        return Err(pos0);
    }
    let mut eff_max = max + subsequent.max(0) as usize;
    let mut total: i128 = 0;
    let mut pos = position;
    for pass in 0..2 {
        let max_end = (pos + eff_max).min(len);
        while pos < max_end {
            match digit(text[pos]) {
                Some(d) => {
                    total = total * 10 + d as i128;
                    pos += 1;
                }
                None => {
                    if pos < min_end {
                        return Err(position);
                    }
                    break;
                }
            }
        }
        if pos < min_end {
            return Err(position);
        }
        if subsequent > 0 && pass == 0 {
            let parse_len = pos - position;
            eff_max = min.max(parse_len.saturating_sub(subsequent as usize));
            pos = position;
            total = 0;
        } else {
            break;
        }
    }
    if negative {
        if total == 0 {
            return Err(position - 1);
        }
        total = -total;
    } else if sign == Sign::ExceedsPad {
        let parse_len = pos - position;
        if positive {
            if parse_len <= min {
                return Err(position - 1);
            }
        } else if parse_len > min {
            return Err(position);
        }
    }
    if total > i64::MAX as i128 || total < i64::MIN as i128 {
        return Err(position);
    }
    let mut value = total as i64;
    if reduced {
        // ReducedPrinterParser with base value 2000
        let parse_len = pos - position;
        if parse_len == min && value >= 0 {
            let range = 100;
            let base = 2000;
            let last = base % range;
            let base_part = base - last;
            value = if base > 0 { base_part + value } else { base_part - value };
            if value < base {
                value += range;
            }
        }
    }
    if !ctx.parsed.set(field, value) {
        return Err(position);
    }
    Ok(pos)
}

/// `OffsetIdPrinterParser.parse`: `Ok((end, seconds))` or `Err(error index)`.
fn parse_offset(text: &[char], position: usize, kind: usize, no_offset: &str) -> Result<(usize, i32), usize> {
    let len = text.len();
    if no_offset.is_empty() {
        if position == len {
            return Ok((position, 0));
        }
    } else {
        if position == len {
            return Err(position);
        }
        if let Some(end) = starts_with_at(text, position, no_offset) {
            return Ok((end, 0));
        }
    }
    let sign = text[position];
    if sign == '+' || sign == '-' {
        let negative = if sign == '-' { -1 } else { 1 };
        let pattern = OFFSET_PATTERNS[kind];
        let colon = pattern.contains(':');
        // array[0] is the position, negative (complemented) when failed
        let mut p: i64 = position as i64 + 1;
        let mut vals = [0i32; 4];
        let parse_digits = |p: &mut i64, colon: bool, idx: usize, vals: &mut [i32; 4]| -> bool {
            if *p < 0 {
                return true;
            }
            let mut q = *p as usize;
            if colon && idx != 1 {
                if q + 1 > len || text[q] != ':' {
                    return false;
                }
                q += 1;
            }
            if q + 2 > len {
                return false;
            }
            let (a, b) = (text[q], text[q + 1]);
            let (Some(a), Some(b)) = (digit(a), digit(b)) else {
                return false;
            };
            let v = (a * 10 + b) as i32;
            if v > 59 {
                return false;
            }
            vals[idx] = v;
            *p = (q + 2) as i64;
            true
        };
        // hour (always padded for the patterns used here)
        if !parse_digits(&mut p, false, 1, &mut vals) {
            p = !p;
        }
        match kind {
            0 => {}
            1 | 2 => {
                parse_digits(&mut p, colon, 2, &mut vals);
            }
            3 | 4 => {
                if !parse_digits(&mut p, colon, 2, &mut vals) {
                    p = !p;
                }
            }
            5 | 6 => {
                if !parse_digits(&mut p, colon, 2, &mut vals) {
                    p = !p;
                }
                parse_digits(&mut p, colon, 3, &mut vals);
            }
            7 | 8 => {
                if !parse_digits(&mut p, colon, 2, &mut vals) {
                    p = !p;
                }
                if !parse_digits(&mut p, colon, 3, &mut vals) {
                    p = !p;
                }
            }
            _ => {
                // +HHmmss / +HH:mm:ss: optional minute then optional second
                if parse_digits(&mut p, colon, 2, &mut vals) {
                    parse_digits(&mut p, colon, 3, &mut vals);
                }
            }
        }
        if p > 0 {
            if vals[1] > 23 {
                return Err(position);
            }
            let secs = negative * (vals[1] * 3600 + vals[2] * 60 + vals[3]);
            return Ok((p as usize, secs));
        }
    }
    if no_offset.is_empty() {
        return Ok((position, 0));
    }
    Err(position)
}

/// English short zone names, with the region Java's zone-name tree resolves
/// them to. `EST`, `MST` and `HST` are zone ids too (fixed offsets), but
/// the tree adds the display names after the ids, so the name wins: JDK 17
/// (English) and JDK 25 (CLDR, ROOT) both read `EST` as America/New_York,
/// daylight saving included.
const SHORT_ZONE_NAMES: &[(&str, &str)] = &[
    ("EST", "America/New_York"),
    ("MST", "America/Denver"),
    ("HST", "Pacific/Honolulu"),
    ("AKST", "America/Anchorage"),
    ("AKDT", "America/Anchorage"),
    ("PST", "America/Los_Angeles"),
    ("PDT", "America/Los_Angeles"),
    ("MDT", "America/Denver"),
    ("CDT", "America/Chicago"),
    ("CST", "America/Chicago"),
    ("EDT", "America/New_York"),
    ("CEST", "Europe/Paris"),
    ("EEST", "Europe/Bucharest"),
    ("WEST", "Europe/Lisbon"),
    ("BST", "Europe/London"),
    ("JST", "Asia/Tokyo"),
    ("AEST", "Australia/Sydney"),
    ("AEDT", "Australia/Sydney"),
];

fn region_ids_match(text: &[char], pos: usize) -> Option<(String, usize)> {
    // longest prefix that is a known region id
    let mut end = pos;
    while end < text.len() && (text[end].is_ascii_alphanumeric() || "~/._+-".contains(text[end])) {
        end += 1;
    }
    let mut e = end;
    while e > pos + 1 {
        let cand: String = text[pos..e].iter().collect();
        if cand.parse::<chrono_tz::Tz>().is_ok() {
            return Some((cand, e));
        }
        e -= 1;
    }
    None
}

fn parse_zone(ctx: &mut Ctx, position: usize, mode: ZoneMode) -> PResult {
    let text = ctx.text;
    let len = text.len();
    if position >= len {
        return Err(position);
    }
    let next = text[position];
    let set = |ctx: &mut Ctx, z: ZoneId| ctx.parsed.zone = Some(z);
    let offset_based = |ctx: &mut Ctx, prefix_pos: usize, p: usize, no_offset: &str| -> PResult {
        let prefix: String = text[prefix_pos..p].iter().collect::<String>().to_uppercase();
        if p >= len || text[p] == '0' || text[p] == 'Z' {
            match ZoneId::of(&prefix) {
                Ok(z) => set(ctx, z),
                Err(_) => return Err(prefix_pos),
            }
            return Ok(p);
        }
        match parse_offset(text, p, 6, no_offset) {
            Err(_) => {
                if no_offset == "Z" {
                    return Err(prefix_pos);
                }
                match ZoneId::of(&prefix) {
                    Ok(z) => set(ctx, z),
                    Err(_) => return Err(prefix_pos),
                }
                Ok(p)
            }
            Ok((end, secs)) => {
                if !(-18 * 3600..=18 * 3600).contains(&secs) {
                    return Err(prefix_pos);
                }
                set(ctx, zone::prefixed(&prefix, secs));
                Ok(end)
            }
        }
    };
    if next == '+' || next == '-' {
        return offset_based(ctx, position, position, "Z");
    }
    if len >= position + 2 {
        let nn = text[position + 1];
        if next == 'U' && nn == 'T' {
            if len >= position + 3 && text[position + 2] == 'C' {
                if mode == ZoneMode::Id {
                    return offset_based(ctx, position, position + 3, "0");
                }
            } else {
                return offset_based(ctx, position, position + 2, "0");
            }
        } else if next == 'G' && len >= position + 3 && nn == 'M' && text[position + 2] == 'T' {
            if len >= position + 4 && text[position + 3] == '0' {
                set(ctx, ZoneId::Fixed { id: "GMT0".into(), offset: 0 });
                return Ok(position + 4);
            }
            return offset_based(ctx, position, position + 3, "0");
        }
    }
    if mode == ZoneMode::ShortText {
        // zone names (English short names) map to their preferred region
        for (name, id) in SHORT_ZONE_NAMES {
            if let Some(end) = starts_with_at(text, position, name) {
                let after = text.get(end);
                if after.is_none_or(|c| !c.is_ascii_alphanumeric() && *c != '/') {
                    if let Ok(z) = ZoneId::of(id) {
                        set(ctx, z);
                        return Ok(end);
                    }
                }
            }
        }
    }
    match region_ids_match(text, position) {
        Some((id, end)) => match ZoneId::of(&id) {
            Ok(z) => {
                set(ctx, z);
                Ok(end)
            }
            Err(_) => Err(position),
        },
        None => {
            if next == 'Z' {
                set(ctx, ZoneId::Offset(0));
                return Ok(position + 1);
            }
            Err(position)
        }
    }
}

/// Elasticsearch's epoch parsers: optional `-`, 1 to 19 digits, optional
/// `.` and fraction digits (9 for seconds, 6 for millis).
fn parse_epoch(ctx: &mut Ctx, pos: usize, millis: bool) -> PResult {
    let text = ctx.text;
    let mut p = pos;
    let negative = p < text.len() && text[p] == '-';
    if negative {
        p += 1;
    }
    let start = p;
    let mut int: i128 = 0;
    while p < text.len() && p - start < 19 {
        match digit(text[p]) {
            Some(d) => {
                int = int * 10 + d as i128;
                p += 1;
            }
            None => break,
        }
    }
    if p == start {
        return Err(start);
    }
    let scale = if millis { 6 } else { 9 };
    let mut frac: i128 = 0;
    if p < text.len() && text[p] == '.' {
        p += 1;
        let fs = p;
        while p < text.len() && p - fs < scale {
            match digit(text[p]) {
                Some(d) => {
                    frac = frac * 10 + d as i128;
                    p += 1;
                }
                None => break,
            }
        }
        frac *= 10i128.pow((scale - (p - fs)) as u32);
    }
    let unit: i128 = if millis { 1_000_000 } else { 1_000_000_000 };
    let mut nanos = int * unit + frac;
    if negative {
        nanos = -nanos;
    }
    let secs = nanos.div_euclid(1_000_000_000);
    let n = nanos.rem_euclid(1_000_000_000);
    if secs > i64::MAX as i128 || secs < i64::MIN as i128 {
        return Err(pos);
    }
    ctx.parsed.set(Field::EpochSeconds, secs as i64);
    ctx.parsed.set(Field::EpochNanosOfSecond, n as i64);
    Ok(p)
}

/// Parses the whole text. `Err(message)` carries the `DateTimeParseException`
/// text Java would produce.
pub fn parse_unresolved(elems: &[Elem], text: &str) -> Result<Parsed, String> {
    with_chars(text, |chars| {
        let mut ctx = Ctx { text: chars, parsed: Parsed::default() };
        match parse_elems(elems, &mut ctx, 0) {
            Err(idx) => Err(format!("Text '{}' could not be parsed at index {idx}", abbreviate(text))),
            Ok(end) if end < chars.len() => Err(format!(
                "Text '{}' could not be parsed, unparsed text found at index {end}",
                abbreviate(text)
            )),
            Ok(_) => Ok(ctx.parsed),
        }
    })
}

/// Whether the elements consume the whole text (`parseObject` semantics).
pub fn parse_full(elems: &[Elem], text: &str) -> Option<Parsed> {
    with_chars(text, |chars| parse_full_chars(elems, chars))
}

/// [`parse_full`] on the text's chars.
pub fn parse_full_chars(elems: &[Elem], chars: &[char]) -> Option<Parsed> {
    let mut ctx = Ctx { text: chars, parsed: Parsed::default() };
    match parse_elems(elems, &mut ctx, 0) {
        Ok(end) if end == chars.len() => Some(ctx.parsed),
        _ => None,
    }
}

/// The fewest chars a successful [`parse_full`] of `elems` consumes, a
/// lower bound read off the elements: a text with fewer chars cannot
/// match, which a caller trying several formats can tell without parsing.
/// Each element counts what it consumes on every way it can succeed (see
/// [`parse_elem`]); those whose length depends on text tables or zone ids
/// count nothing.
pub fn min_parse_chars(elems: &[Elem]) -> usize {
    elems
        .iter()
        .map(|e| match e {
            Elem::Char(_) => 1,
            Elem::Str(s) => s.chars().count(),
            Elem::Num { min, .. } => *min,
            Elem::Fraction { min: 0, .. } => 0,
            Elem::Fraction { min, point, .. } => min + usize::from(*point),
            Elem::Offset { no_offset, .. } if no_offset.is_empty() => 0,
            // the text for a zero offset, or a sign and two digits of hours
            Elem::Offset { no_offset, .. } => no_offset.chars().count().min(3),
            Elem::LocalizedOffset { .. } => 3,
            Elem::Optional(_) | Elem::Text { .. } | Elem::Zone(_) | Elem::Epoch { .. } => 0,
        })
        .sum()
}

/// Texts up to this many bytes are decoded on the stack.
const INLINE_TEXT: usize = 64;

/// Runs `f` on the text's chars. Parse positions and error indexes count
/// chars, so the parsers index a char slice; a short text (every date this
/// side of pathological) is decoded into a stack buffer so that a parse
/// attempt, failing ones included, allocates nothing for it.
pub fn with_chars<R>(text: &str, f: impl FnOnce(&[char]) -> R) -> R {
    if text.len() > INLINE_TEXT {
        let chars: Vec<char> = text.chars().collect();
        return f(&chars);
    }
    let mut buf = ['\0'; INLINE_TEXT];
    let mut n = 0;
    if text.is_ascii() {
        for (slot, b) in buf.iter_mut().zip(text.bytes()) {
            *slot = b as char;
        }
        n = text.len();
    } else {
        for c in text.chars() {
            buf[n] = c;
            n += 1;
        }
    }
    f(&buf[..n])
}

/// The end of `s` when the text holds it at `pos`.
fn starts_with_at(text: &[char], pos: usize, s: &str) -> Option<usize> {
    let mut p = pos;
    for c in s.chars() {
        if text.get(p) != Some(&c) {
            return None;
        }
        p += 1;
    }
    Some(p)
}

pub fn abbreviate(text: &str) -> String {
    if text.chars().count() > 64 {
        let s: String = text.chars().take(64).collect();
        format!("{s}...")
    } else {
        text.to_string()
    }
}

// ---------------------------------------------------------------- resolving

/// What a parse resolves to: Java's `Parsed` after `resolve` in STRICT mode.
#[derive(Clone, Debug, Default)]
pub struct Accessor {
    pub date: Option<NaiveDate>,
    pub time: Option<NaiveTime>,
    pub fields: Parsed,
    pub instant: Option<(i64, u32)>,
}

const DATE_FIELDS: &[Field] = &[
    Field::Era,
    Field::YearOfEra,
    Field::Year,
    Field::QuarterOfYear,
    Field::MonthOfYear,
    Field::DayOfMonth,
    Field::DayOfYear,
    Field::DayOfWeek,
    Field::WeekBasedYear,
    Field::WeekOfWeekBasedYear,
    Field::LocalDayOfWeek,
    Field::IsoWeekBasedYear,
    Field::IsoWeekOfWeekBasedYear,
];
const TIME_FIELDS: &[Field] = &[
    Field::AmPmOfDay,
    Field::HourOfDay,
    Field::ClockHourOfDay,
    Field::HourOfAmPm,
    Field::ClockHourOfAmPm,
    Field::MinuteOfHour,
    Field::SecondOfMinute,
    Field::NanoOfSecond,
    Field::MilliOfDay,
    Field::NanoOfDay,
];

impl Accessor {
    pub fn is_supported(&self, f: Field) -> bool {
        self.fields.has(f)
            || (self.date.is_some() && DATE_FIELDS.contains(&f))
            || (self.time.is_some() && TIME_FIELDS.contains(&f))
    }

    pub fn get(&self, f: Field, week: WeekDef) -> Option<i64> {
        if let Some(v) = self.fields.get(f) {
            return Some(v);
        }
        if let Some(d) = self.date {
            if DATE_FIELDS.contains(&f) {
                return date_field(d, f, week);
            }
        }
        if let Some(t) = self.time {
            if TIME_FIELDS.contains(&f) {
                return time_field(t, f);
            }
        }
        None
    }

    /// `TemporalQueries.zone()`: the parsed zone id, else the parsed offset.
    pub fn zone(&self) -> Option<ZoneId> {
        if let Some(z) = &self.fields.zone {
            return Some(z.clone());
        }
        self.fields.offset.map(|o| ZoneId::Offset(o as i32))
    }

    pub fn supports_instant(&self) -> bool {
        self.instant.is_some() || (self.date.is_some() && self.time.is_some() && self.zone().is_some())
    }

    /// Java's `Parsed.toString()` (field order is not Java's hash order).
    pub fn describe(&self) -> String {
        let week = super::fields::ISO_WEEK;
        let mut fields: Vec<String> =
            self.fields.fields.iter().map(|(f, v)| format!("{}={}", f.java_name(week), v)).collect();
        if let Some(o) = self.fields.offset {
            fields.push(format!("OffsetSeconds={o}"));
        }
        let mut out = format!("{{{}}},ISO", fields.join(", "));
        if let Some(z) = &self.fields.zone {
            out.push(',');
            out.push_str(&z.id());
        }
        if self.date.is_some() || self.time.is_some() {
            out.push_str(" resolved to ");
            match (self.date, self.time) {
                (Some(d), Some(t)) => out.push_str(&format!("{}T{}", d, java_time_string(t))),
                (Some(d), None) => out.push_str(&d.to_string()),
                (None, Some(t)) => out.push_str(&java_time_string(t)),
                _ => {}
            }
        }
        out
    }
}

/// `LocalTime.toString()`.
pub fn java_time_string(t: NaiveTime) -> String {
    let mut s = format!("{:02}:{:02}", t.hour(), t.minute());
    let (sec, nano) = (t.second(), t.nanosecond());
    if sec > 0 || nano > 0 {
        s.push_str(&format!(":{sec:02}"));
        if nano > 0 {
            if nano % 1_000_000 == 0 {
                s.push_str(&format!(".{:03}", nano / 1_000_000));
            } else if nano % 1000 == 0 {
                s.push_str(&format!(".{:06}", nano / 1000));
            } else {
                s.push_str(&format!(".{nano:09}"));
            }
        }
    }
    s
}

pub fn date_field(d: NaiveDate, f: Field, week: WeekDef) -> Option<i64> {
    Some(match f {
        Field::Era => (d.year() >= 1) as i64,
        Field::YearOfEra => {
            if d.year() >= 1 {
                d.year() as i64
            } else {
                1 - d.year() as i64
            }
        }
        Field::Year => d.year() as i64,
        Field::QuarterOfYear => (d.month0() / 3 + 1) as i64,
        Field::MonthOfYear => d.month() as i64,
        Field::DayOfMonth => d.day() as i64,
        Field::DayOfYear => d.ordinal() as i64,
        Field::DayOfWeek => d.weekday().number_from_monday() as i64,
        Field::WeekBasedYear => week.week_based_year(d),
        Field::WeekOfWeekBasedYear => week.week_of_week_based_year(d),
        Field::LocalDayOfWeek => week.localized_dow(d.weekday().number_from_monday()),
        Field::IsoWeekBasedYear => super::fields::ISO_WEEK.week_based_year(d),
        Field::IsoWeekOfWeekBasedYear => super::fields::ISO_WEEK.week_of_week_based_year(d),
        _ => return None,
    })
}

pub fn time_field(t: NaiveTime, f: Field) -> Option<i64> {
    let h = t.hour() as i64;
    Some(match f {
        Field::AmPmOfDay => h / 12,
        Field::HourOfDay => h,
        Field::ClockHourOfDay => {
            if h == 0 {
                24
            } else {
                h
            }
        }
        Field::HourOfAmPm => h % 12,
        Field::ClockHourOfAmPm => {
            if h % 12 == 0 {
                12
            } else {
                h % 12
            }
        }
        Field::MinuteOfHour => t.minute() as i64,
        Field::SecondOfMinute => t.second() as i64,
        Field::NanoOfSecond => t.nanosecond() as i64,
        Field::MilliOfDay => t.num_seconds_from_midnight() as i64 * 1000 + t.nanosecond() as i64 / 1_000_000,
        Field::NanoOfDay => t.num_seconds_from_midnight() as i64 * 1_000_000_000 + t.nanosecond() as i64,
        _ => return None,
    })
}

const MONTH_NAMES_UPPER: [&str; 12] = [
    "JANUARY",
    "FEBRUARY",
    "MARCH",
    "APRIL",
    "MAY",
    "JUNE",
    "JULY",
    "AUGUST",
    "SEPTEMBER",
    "OCTOBER",
    "NOVEMBER",
    "DECEMBER",
];

fn dt_exc(msg: impl Into<String>) -> DateError {
    DateError::new("date_time_exception", msg)
}

/// `LocalDate.of(y, m, d)` with Java's messages.
pub fn local_date_of(y: i64, m: i64, d: i64, week: WeekDef) -> Result<NaiveDate, DateError> {
    Field::Year.check(y, week)?;
    Field::MonthOfYear.check(m, week)?;
    Field::DayOfMonth.check(d, week)?;
    let leap = NaiveDate::from_ymd_opt(y as i32, 2, 29).is_some();
    if d > 28 {
        let dom = match m {
            2 => {
                if leap {
                    29
                } else {
                    28
                }
            }
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        if d > dom {
            if d == 29 {
                return Err(dt_exc(format!("Invalid date 'February 29' as '{y}' is not a leap year")));
            }
            return Err(dt_exc(format!("Invalid date '{} {}'", MONTH_NAMES_UPPER[(m - 1) as usize], d)));
        }
    }
    NaiveDate::from_ymd_opt(y as i32, m as u32, d as u32).ok_or_else(|| dt_exc("date out of the range ingot supports"))
}

/// `LocalDate.ofYearDay`.
pub fn local_date_of_year_day(y: i64, doy: i64, week: WeekDef) -> Result<NaiveDate, DateError> {
    Field::Year.check(y, week)?;
    Field::DayOfYear.check(doy, week)?;
    let leap = NaiveDate::from_ymd_opt(y as i32, 2, 29).is_some();
    if doy == 366 && !leap {
        return Err(dt_exc(format!("Invalid date 'DayOfYear 366' as '{y}' is not a leap year")));
    }
    NaiveDate::from_yo_opt(y as i32, doy as u32).ok_or_else(|| dt_exc("date out of the range ingot supports"))
}

/// Java's STRICT resolution of the parsed fields.
pub fn resolve(mut p: Parsed, week: WeekDef) -> Result<Accessor, DateError> {
    let mut acc = Accessor::default();
    // epoch fields
    if let Some(secs) = p.remove(Field::EpochSeconds) {
        let nanos = p.remove(Field::EpochNanosOfSecond).unwrap_or(0);
        acc.instant = Some((secs, nanos as u32));
    }
    let conflict = |p: &mut Parsed, f: Field, v: i64| -> Result<(), DateError> {
        if let Some(old) = p.get(f) {
            if old != v {
                return Err(dt_exc(format!(
                    "Conflict found: {} {} differs from {} {} while resolving  {}",
                    f.java_name(week),
                    old,
                    f.java_name(week),
                    v,
                    f.java_name(week)
                )));
            }
        }
        p.set(f, v);
        Ok(())
    };
    // localized day of week becomes the ISO day of week
    if let Some(ldow) = p.remove(Field::LocalDayOfWeek) {
        if !(1..=7).contains(&ldow) {
            return Err(dt_exc(format!(
                "Invalid value for {} (valid values 1 - 7): {}",
                Field::LocalDayOfWeek.java_name(week),
                ldow
            )));
        }
        let iso = ((week.first_day as i64 - 1) + (ldow - 1)).rem_euclid(7) + 1;
        conflict(&mut p, Field::DayOfWeek, iso)?;
    }
    // date fields
    if let Some(yoe) = p.get(Field::YearOfEra) {
        Field::YearOfEra.check(yoe, week)?;
        if let Some(era) = p.get(Field::Era) {
            Field::Era.check(era, week)?;
            let y = if era == 1 { yoe } else { 1 - yoe };
            p.remove(Field::YearOfEra);
            p.remove(Field::Era);
            conflict(&mut p, Field::Year, y)?;
        } else if let Some(y) = p.get(Field::Year) {
            // strict: cross-check with the year
            let expect = if y > 0 { y } else { 1 - y };
            if expect != yoe {
                return Err(dt_exc(format!("Invalid value for YearOfEra: {yoe} differs from Year {y}")));
            }
            p.remove(Field::YearOfEra);
        }
    }
    if let Some(y) = p.get(Field::Year) {
        if p.has(Field::MonthOfYear) && p.has(Field::DayOfMonth) {
            let m = p.get(Field::MonthOfYear).unwrap();
            let d = p.get(Field::DayOfMonth).unwrap();
            acc.date = Some(local_date_of(y, m, d, week)?);
            for f in [Field::Year, Field::MonthOfYear, Field::DayOfMonth] {
                p.remove(f);
            }
        } else if let Some(doy) = p.get(Field::DayOfYear) {
            acc.date = Some(local_date_of_year_day(y, doy, week)?);
            p.remove(Field::Year);
            p.remove(Field::DayOfYear);
        }
    } else if p.has(Field::IsoWeekBasedYear) && p.has(Field::IsoWeekOfWeekBasedYear) && p.has(Field::DayOfWeek) {
        // IsoFields: Jan 4th of the week-based-year, plus weeks, then the day of week
        let wby = p.get(Field::IsoWeekBasedYear).unwrap();
        let wowby = p.get(Field::IsoWeekOfWeekBasedYear).unwrap();
        let dow = Field::DayOfWeek.check(p.get(Field::DayOfWeek).unwrap(), week)?;
        let jan4 = NaiveDate::from_ymd_opt(i32::try_from(wby).unwrap_or(i32::MAX), 1, 4)
            .ok_or_else(|| dt_exc("date out of the range ingot supports"))?;
        if !(1..=52).contains(&wowby) {
            let weeks =
                super::fields::ISO_WEEK.week_of_week_based_year(NaiveDate::from_ymd_opt(jan4.year(), 12, 28).unwrap());
            if wowby < 1 || wowby > weeks {
                return Err(dt_exc(format!(
                    "Invalid value for WeekOfWeekBasedYear (valid values 1 - {weeks}): {wowby}"
                )));
            }
        }
        let monday = jan4 - chrono::Duration::days(jan4.weekday().num_days_from_monday() as i64);
        let date = monday + chrono::Duration::weeks(wowby - 1) + chrono::Duration::days(dow - 1);
        acc.date = Some(date);
        for f in [Field::IsoWeekBasedYear, Field::IsoWeekOfWeekBasedYear, Field::DayOfWeek] {
            p.remove(f);
        }
    } else if p.has(Field::WeekBasedYear) && p.has(Field::WeekOfWeekBasedYear) && p.has(Field::DayOfWeek) {
        let y = p.get(Field::WeekBasedYear).unwrap();
        let w = p.get(Field::WeekOfWeekBasedYear).unwrap();
        let iso = p.get(Field::DayOfWeek).unwrap();
        let dow = week.localized_dow(iso as u32);
        let date = week.of_week_based_year(y, w, dow).ok_or_else(|| dt_exc("date out of the range ingot supports"))?;
        if week.week_based_year(date) != y {
            return Err(dt_exc("Strict mode rejected resolved date as it is in a different week-based-year"));
        }
        acc.date = Some(date);
        for f in [Field::WeekBasedYear, Field::WeekOfWeekBasedYear, Field::DayOfWeek] {
            p.remove(f);
        }
    }
    // time fields (Java resolves them after the date fields)
    if let Some(ch) = p.remove(Field::ClockHourOfDay) {
        Field::ClockHourOfDay.check(ch, week)?;
        conflict(&mut p, Field::HourOfDay, if ch == 24 { 0 } else { ch })?;
    }
    if let Some(ch) = p.remove(Field::ClockHourOfAmPm) {
        Field::ClockHourOfAmPm.check(ch, week)?;
        conflict(&mut p, Field::HourOfAmPm, if ch == 12 { 0 } else { ch })?;
    }
    if p.has(Field::AmPmOfDay) && p.has(Field::HourOfAmPm) {
        let ap = p.remove(Field::AmPmOfDay).unwrap();
        let hap = p.remove(Field::HourOfAmPm).unwrap();
        Field::AmPmOfDay.check(ap, week)?;
        Field::HourOfAmPm.check(hap, week)?;
        conflict(&mut p, Field::HourOfDay, ap * 12 + hap)?;
    }
    if let Some(nod) = p.remove(Field::NanoOfDay) {
        Field::NanoOfDay.check(nod, week)?;
        conflict(&mut p, Field::HourOfDay, nod / 3_600_000_000_000)?;
        conflict(&mut p, Field::MinuteOfHour, nod / 60_000_000_000 % 60)?;
        conflict(&mut p, Field::SecondOfMinute, nod / 1_000_000_000 % 60)?;
        conflict(&mut p, Field::NanoOfSecond, nod % 1_000_000_000)?;
    }
    if let Some(mod_) = p.remove(Field::MilliOfDay) {
        Field::MilliOfDay.check(mod_, week)?;
        conflict(&mut p, Field::HourOfDay, mod_ / 3_600_000)?;
        conflict(&mut p, Field::MinuteOfHour, mod_ / 60_000 % 60)?;
        conflict(&mut p, Field::SecondOfMinute, mod_ / 1000 % 60)?;
        if let Some(n) = p.get(Field::NanoOfSecond) {
            // MILLI_OF_SECOND cross-checks with an existing nano-of-second
            if n / 1_000_000 != mod_ % 1000 {
                return Err(dt_exc("Conflict found: MilliOfSecond differs from NanoOfSecond"));
            }
        } else {
            p.set(Field::NanoOfSecond, mod_ % 1000 * 1_000_000);
        }
    }
    if let Some(hod) = p.get(Field::HourOfDay) {
        let moh = p.get(Field::MinuteOfHour);
        let som = p.get(Field::SecondOfMinute);
        let nos = p.get(Field::NanoOfSecond);
        let invalid =
            (moh.is_none() && (som.is_some() || nos.is_some())) || (moh.is_some() && som.is_none() && nos.is_some());
        if !invalid {
            // resolveTime checks minute and nano first, then hour and second
            let m = Field::MinuteOfHour.check(moh.unwrap_or(0), week)?;
            let n = Field::NanoOfSecond.check(nos.unwrap_or(0), week)?;
            let h = Field::HourOfDay.check(hod, week)?;
            let s = Field::SecondOfMinute.check(som.unwrap_or(0), week)?;
            acc.time = NaiveTime::from_hms_nano_opt(h as u32, m as u32, s as u32, n as u32);
            for f in [Field::HourOfDay, Field::MinuteOfHour, Field::SecondOfMinute, Field::NanoOfSecond] {
                p.remove(f);
            }
        }
    }
    // time fields left over are still range-checked (resolveTimeLenient)
    for f in TIME_FIELDS {
        if let Some(v) = p.get(*f) {
            f.check(v, week)?;
        }
    }
    // cross-check what is left against the resolved date
    if let Some(d) = acc.date {
        for f in [Field::DayOfWeek, Field::QuarterOfYear, Field::Era, Field::MonthOfYear, Field::DayOfMonth] {
            if let Some(v) = p.get(f) {
                let derived = date_field(d, f, week).unwrap();
                if derived != v {
                    return Err(dt_exc(format!(
                        "Conflict found: Field {} {} differs from {} {} derived from {}",
                        f.java_name(week),
                        derived,
                        f.java_name(week),
                        v,
                        d
                    )));
                }
                p.remove(f);
            }
        }
    }
    acc.fields = p;
    Ok(acc)
}

// ---------------------------------------------------------------- printing

const EXCEED_POINTS: [i64; 11] =
    [0, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000];

fn print_value(zdt: &ZonedDateTime, f: Field, week: WeekDef) -> Option<i64> {
    date_field(zdt.date(), f, week).or_else(|| time_field(zdt.local.time(), f))
}

pub fn print(elems: &[Elem], zdt: &ZonedDateTime, locale: &Locale, out: &mut String) -> Result<bool, DateError> {
    let week = locale.week_def();
    for e in elems {
        match e {
            Elem::Char(c) => out.push(*c),
            Elem::Str(s) => out.push_str(s),
            Elem::Optional(inner) => {
                let len = out.len();
                if !print(inner, zdt, locale, out)? {
                    out.truncate(len);
                }
            }
            Elem::Num { field, min, max, sign, reduced, .. } => {
                let Some(mut value) = print_value(zdt, *field, week) else {
                    return Ok(false);
                };
                if *reduced {
                    value = value.abs() % 100;
                }
                let mut digits = itoa::Buffer::new();
                let s = digits.format(value.unsigned_abs());
                if s.len() > *max {
                    return Err(dt_exc(format!(
                        "Field {} cannot be printed as the value {} exceeds the maximum print width of {}",
                        field.java_name(week),
                        value,
                        max
                    )));
                }
                if value >= 0 {
                    match sign {
                        Sign::ExceedsPad => {
                            if *min < 19 && *min < EXCEED_POINTS.len() && value >= EXCEED_POINTS[*min] && *min > 0 {
                                out.push('+')
                            }
                        }
                        Sign::Always => out.push('+'),
                        _ => {}
                    }
                } else {
                    match sign {
                        Sign::Normal | Sign::ExceedsPad | Sign::Always => out.push('-'),
                        Sign::NotNegative => {
                            return Err(dt_exc(format!(
                            "Field {} cannot be printed as the value {} cannot be negative according to the SignStyle",
                            field.java_name(week),
                            value
                        )))
                        }
                        Sign::Never => {}
                    }
                }
                for _ in s.len()..*min {
                    out.push('0');
                }
                out.push_str(s);
            }
            Elem::Fraction { min, max, point, .. } => {
                let nano = zdt.nano();
                if nano == 0 {
                    if *min > 0 {
                        if *point {
                            out.push('.');
                        }
                        for _ in 0..*min {
                            out.push('0');
                        }
                    }
                } else {
                    let mut buf = [0; 10];
                    let digits = nano_digits(nano, &mut buf);
                    let significant = digits.trim_end_matches('0').len();
                    let scale = significant.max(*min).min(*max);
                    if *point {
                        out.push('.');
                    }
                    out.push_str(&digits[..scale]);
                }
            }
            Elem::Text { field, style } => {
                let Some(v) = print_value(zdt, *field, week) else {
                    return Ok(false);
                };
                match texts(*field, *style).into_iter().find(|(_, val)| *val == v) {
                    Some((t, _)) => out.push_str(t),
                    None => out.push_str(&v.to_string()),
                }
            }
            Elem::Offset { kind, no_offset } => print_offset(zdt.offset, *kind, no_offset, out),
            Elem::LocalizedOffset { full } => {
                out.push_str("GMT");
                let total = zdt.offset;
                if total != 0 {
                    let abs = total.unsigned_abs();
                    let (h, m, s) = ((abs / 3600) % 100, (abs / 60) % 60, abs % 60);
                    out.push(if total < 0 { '-' } else { '+' });
                    if *full {
                        out.push_str(&format!("{h:02}:{m:02}"));
                        if s != 0 {
                            out.push_str(&format!(":{s:02}"));
                        }
                    } else {
                        out.push_str(&h.to_string());
                        if m != 0 || s != 0 {
                            out.push_str(&format!(":{m:02}"));
                            if s != 0 {
                                out.push_str(&format!(":{s:02}"));
                            }
                        }
                    }
                }
            }
            Elem::Zone(ZoneMode::Id) => out.push_str(&zdt.zone.id()),
            Elem::Zone(ZoneMode::ShortText) => out.push_str(&zdt.zone.short_name(zdt.epoch_second())),
            Elem::Epoch { millis } => {
                // the sign is printed apart and the magnitude rounds toward the epoch
                let nanos = zdt.epoch_second() as i128 * 1_000_000_000 + zdt.nano() as i128;
                if nanos < 0 {
                    out.push('-');
                }
                let abs = nanos.unsigned_abs();
                let (unit, width) = if *millis { (1_000_000u128, 6) } else { (1_000_000_000u128, 9) };
                out.push_str(&(abs / unit).to_string());
                let rest = abs % unit;
                if rest != 0 {
                    let digits = format!("{rest:0width$}");
                    out.push('.');
                    out.push_str(digits.trim_end_matches('0'));
                }
            }
        }
    }
    Ok(true)
}

/// [`print`] of the elements of `yyyy-MM-dd'T'HH:mm:ss.SSSXXX` (the
/// date processor's default output format, see
/// [`DEFAULT_OUTPUT_FORMAT`](super::DEFAULT_OUTPUT_FORMAT)): fields of fixed
/// width written straight from the date and time. `false`, with nothing
/// written, when a field would not be: a year outside 1..=9999 (a sign or
/// a fifth digit) or a leap second's nanos, left to [`print`].
pub fn print_iso_millis_offset(zdt: &ZonedDateTime, out: &mut String) -> bool {
    let (date, time) = (zdt.local.date(), zdt.local.time());
    let (year, nano) = (date.year(), time.nanosecond());
    if !(1..=9999).contains(&year) || nano >= 1_000_000_000 {
        return false;
    }
    // `yyyy-MM-dd'T'HH:mm:ss.SSS` has fixed positions: digits are written
    // into a template of its punctuation, which is copied out at once.
    let mut text = *b"0000-00-00T00:00:00.000";
    // Digits from the last, by constant divisions.
    let mut put = |at: usize, mut value: u32, width: usize| {
        for digit in text[at..at + width].iter_mut().rev() {
            *digit = b'0' + (value % 10) as u8;
            value /= 10;
        }
    };
    put(0, year as u32, 4);
    put(5, date.month(), 2);
    put(8, date.day(), 2);
    put(11, time.hour(), 2);
    put(14, time.minute(), 2);
    put(17, time.second(), 2);
    put(20, nano / 1_000_000, 3);
    out.reserve(text.len() + 6);
    out.push_str(std::str::from_utf8(&text).expect("ASCII digits and punctuation"));
    // `XXX`: +HH:MM, Z for a zero offset
    print_offset(zdt.offset, 4, "Z", out);
    true
}

/// `format!("{n:02}")` for the parts of an offset (below 100).
fn push_two_digits(n: u32, out: &mut String) {
    out.push(char::from(b'0' + (n / 10 % 10) as u8));
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// `format!("{nano:09}")` without the formatting machinery: nine digits,
/// ten for the nanos chrono gives a leap second (10^9 and above).
fn nano_digits(nano: u32, buf: &mut [u8; 10]) -> &str {
    let mut rest = nano;
    for d in buf.iter_mut().rev() {
        *d = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    let start = if nano >= 1_000_000_000 { 0 } else { 1 };
    std::str::from_utf8(&buf[start..]).expect("ASCII digits")
}

fn print_offset(total: i32, kind: usize, no_offset: &str, out: &mut String) {
    if total == 0 {
        out.push_str(no_offset);
        return;
    }
    let pattern = OFFSET_PATTERNS[kind];
    let colon = pattern.contains(':');
    let abs = total.unsigned_abs();
    let (h, m, s) = ((abs / 3600) % 100, (abs / 60) % 60, abs % 60);
    let start = out.len();
    let mut output = h;
    out.push(if total < 0 { '-' } else { '+' });
    push_two_digits(h, out);
    if (3..=8).contains(&kind) || (kind >= 9 && s > 0) || (kind >= 1 && m > 0) {
        if colon {
            out.push(':');
        }
        push_two_digits(m, out);
        output += m;
        if kind == 7 || kind == 8 || (kind >= 5 && s > 0) {
            if colon {
                out.push(':');
            }
            push_two_digits(s, out);
            output += s;
        }
    }
    if output == 0 {
        out.truncate(start);
        out.push_str(no_offset);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The digit writers print what `format!` prints.
    #[test]
    fn digits_print_as_format_does() {
        let mut rng = crate::xorshift::XorShift(0x9e37_79b9_7f4a_7c15);
        let mut nanos: Vec<u32> = vec![0, 1, 9, 10, 999_999_999, 1_000_000_000, 1_999_999_999, u32::MAX];
        for _ in 0..10_000 {
            nanos.push((rng.next() % 2_000_000_000) as u32);
        }
        for nano in nanos {
            let mut buf = [0; 10];
            assert_eq!(nano_digits(nano, &mut buf), format!("{nano:09}"), "{nano}");
        }
        for n in 0..100 {
            let mut out = String::new();
            push_two_digits(n, &mut out);
            assert_eq!(out, format!("{n:02}"));
        }
    }
}
