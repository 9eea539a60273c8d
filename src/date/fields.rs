//! Temporal fields (Java's `ChronoField` subset and the locale's week fields),
//! the locale data ingest needs, and week-based-year arithmetic.

use super::DateError;
use chrono::{Datelike, NaiveDate};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Era,
    YearOfEra,
    Year,
    QuarterOfYear,
    MonthOfYear,
    DayOfMonth,
    DayOfYear,
    DayOfWeek,
    AmPmOfDay,
    HourOfDay,
    ClockHourOfDay,
    HourOfAmPm,
    ClockHourOfAmPm,
    MinuteOfHour,
    SecondOfMinute,
    NanoOfSecond,
    MilliOfDay,
    NanoOfDay,
    /// The locale's week fields (`Y`, `w`, `e`/`c`).
    WeekBasedYear,
    WeekOfWeekBasedYear,
    LocalDayOfWeek,
    /// `IsoFields.WEEK_BASED_YEAR` / `WEEK_OF_WEEK_BASED_YEAR` (always ISO weeks).
    IsoWeekBasedYear,
    IsoWeekOfWeekBasedYear,
    /// Elasticsearch's epoch fields (`epoch_second`, `epoch_millis`).
    EpochSeconds,
    EpochNanosOfSecond,
    EpochMillis,
    EpochNanosOfMilli,
    /// Sign of an epoch value: 1 when a `-` was read.
    EpochNegative,
}

impl Field {
    /// Java's `toString()` of the field, used in messages.
    pub fn java_name(self, week: WeekDef) -> String {
        let w = || format!("WeekFields[{},{}]", week.first_day_name(), week.min_days);
        match self {
            Field::Era => "Era".into(),
            Field::YearOfEra => "YearOfEra".into(),
            Field::Year => "Year".into(),
            Field::QuarterOfYear => "QuarterOfYear".into(),
            Field::MonthOfYear => "MonthOfYear".into(),
            Field::DayOfMonth => "DayOfMonth".into(),
            Field::DayOfYear => "DayOfYear".into(),
            Field::DayOfWeek => "DayOfWeek".into(),
            Field::AmPmOfDay => "AmPmOfDay".into(),
            Field::HourOfDay => "HourOfDay".into(),
            Field::ClockHourOfDay => "ClockHourOfDay".into(),
            Field::HourOfAmPm => "HourOfAmPm".into(),
            Field::ClockHourOfAmPm => "ClockHourOfAmPm".into(),
            Field::MinuteOfHour => "MinuteOfHour".into(),
            Field::SecondOfMinute => "SecondOfMinute".into(),
            Field::NanoOfSecond => "NanoOfSecond".into(),
            Field::MilliOfDay => "MilliOfDay".into(),
            Field::NanoOfDay => "NanoOfDay".into(),
            Field::WeekBasedYear => format!("WeekBasedYear[{}]", w()),
            Field::WeekOfWeekBasedYear => format!("WeekOfWeekBasedYear[{}]", w()),
            Field::LocalDayOfWeek => format!("DayOfWeek[{}]", w()),
            Field::IsoWeekBasedYear => "WeekBasedYear".into(),
            Field::IsoWeekOfWeekBasedYear => "WeekOfWeekBasedYear".into(),
            Field::EpochSeconds => "EpochSeconds".into(),
            Field::EpochNanosOfSecond => "EpochNanosOfSeconds".into(),
            Field::EpochMillis => "EpochMillis".into(),
            Field::EpochNanosOfMilli => "EpochNanosOfMillis".into(),
            Field::EpochNegative => "EpochNegative".into(),
        }
    }

    /// The valid range as Java's `ValueRange.toString()` prints it, and a check.
    pub fn range(self) -> Option<(i64, i64, &'static str)> {
        Some(match self {
            Field::Era => (0, 1, "0 - 1"),
            Field::YearOfEra => (1, 1_000_000_000, "1 - 999999999/1000000000"),
            Field::Year => (-999_999_999, 999_999_999, "-999999999 - 999999999"),
            Field::QuarterOfYear => (1, 4, "1 - 4"),
            Field::MonthOfYear => (1, 12, "1 - 12"),
            Field::DayOfMonth => (1, 31, "1 - 28/31"),
            Field::DayOfYear => (1, 366, "1 - 365/366"),
            Field::DayOfWeek => (1, 7, "1 - 7"),
            Field::AmPmOfDay => (0, 1, "0 - 1"),
            Field::HourOfDay => (0, 23, "0 - 23"),
            Field::ClockHourOfDay => (1, 24, "1 - 24"),
            Field::HourOfAmPm => (0, 11, "0 - 11"),
            Field::ClockHourOfAmPm => (1, 12, "1 - 12"),
            Field::MinuteOfHour => (0, 59, "0 - 59"),
            Field::SecondOfMinute => (0, 59, "0 - 59"),
            Field::NanoOfSecond => (0, 999_999_999, "0 - 999999999"),
            Field::MilliOfDay => (0, 86_399_999, "0 - 86399999"),
            Field::NanoOfDay => (0, 86_399_999_999_999, "0 - 86399999999999"),
            _ => return None,
        })
    }

    /// `ChronoField.checkValidValue`.
    pub fn check(self, v: i64, week: WeekDef) -> Result<i64, DateError> {
        if let Some((lo, hi, text)) = self.range() {
            if v < lo || v > hi {
                return Err(DateError::new(
                    "date_time_exception",
                    format!("Invalid value for {} (valid values {}): {}", self.java_name(week), text, v),
                ));
            }
        }
        Ok(v)
    }
}

/// Java's `WeekFields`: first day of week (1 = Monday .. 7 = Sunday) and
/// minimal days in the first week.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WeekDef {
    pub first_day: u32,
    pub min_days: u32,
}

pub const ISO_WEEK: WeekDef = WeekDef { first_day: 1, min_days: 4 };

const DAY_NAMES_UPPER: [&str; 7] = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];

impl WeekDef {
    fn first_day_name(self) -> &'static str {
        DAY_NAMES_UPPER[(self.first_day - 1) as usize]
    }

    pub fn localized_dow(self, iso_dow: u32) -> i64 {
        ((iso_dow as i64 - self.first_day as i64).rem_euclid(7)) + 1
    }

    fn start_of_week_offset(self, day: i64, dow: i64) -> i64 {
        let week_start = (day - dow).rem_euclid(7);
        let mut offset = -week_start;
        if week_start + 1 > self.min_days as i64 {
            offset = 7 - week_start;
        }
        offset
    }

    fn compute_week(offset: i64, day: i64) -> i64 {
        (7 + offset + (day - 1)).div_euclid(7)
    }

    fn year_len(year: i32) -> i64 {
        if NaiveDate::from_ymd_opt(year, 2, 29).is_some() {
            366
        } else {
            365
        }
    }

    pub fn week_based_year(self, d: NaiveDate) -> i64 {
        let dow = self.localized_dow(d.weekday().number_from_monday());
        let year = d.year() as i64;
        let doy = d.ordinal() as i64;
        let offset = self.start_of_week_offset(doy, dow);
        let week = Self::compute_week(offset, doy);
        if week == 0 {
            return year - 1;
        }
        let new_year_week = Self::compute_week(offset, Self::year_len(d.year()) + self.min_days as i64);
        if week >= new_year_week {
            return year + 1;
        }
        year
    }

    pub fn week_of_week_based_year(self, d: NaiveDate) -> i64 {
        let dow = self.localized_dow(d.weekday().number_from_monday());
        let doy = d.ordinal() as i64;
        let offset = self.start_of_week_offset(doy, dow);
        let mut week = Self::compute_week(offset, doy);
        if week == 0 {
            let prev = d - chrono::Duration::days(doy);
            return self.week_of_week_based_year(prev);
        } else if week > 50 {
            let new_year_week = Self::compute_week(offset, Self::year_len(d.year()) + self.min_days as i64);
            if week >= new_year_week {
                week = week - new_year_week + 1;
            }
        }
        week
    }

    /// `ofWeekBasedYear`: the date for a week-based-year, week and localized day of week.
    pub fn of_week_based_year(self, yowby: i64, wowby: i64, dow: i64) -> Option<NaiveDate> {
        let year = i32::try_from(yowby).ok()?;
        let date = NaiveDate::from_ymd_opt(year, 1, 1)?;
        let ldow = self.localized_dow(date.weekday().number_from_monday());
        let offset = self.start_of_week_offset(1, ldow);
        let new_year_week = Self::compute_week(offset, Self::year_len(year) + self.min_days as i64);
        let wowby = wowby.min(new_year_week - 1);
        let days = -offset + (dow - 1) + (wowby - 1) * 7;
        date.checked_add_signed(chrono::Duration::days(days))
    }

    /// `date.with(weekBasedYear, y)`.
    pub fn with_week_based_year(self, d: NaiveDate, y: i64) -> Option<NaiveDate> {
        if self.week_based_year(d) == y {
            return Some(d);
        }
        let idow = self.localized_dow(d.weekday().number_from_monday());
        let w = self.week_of_week_based_year(d);
        self.of_week_based_year(y, w, idow)
    }

    /// `date.with(weekOfWeekBasedYear, w)`.
    pub fn with_week(self, d: NaiveDate, w: i64) -> Option<NaiveDate> {
        let cur = self.week_of_week_based_year(d);
        d.checked_add_signed(chrono::Duration::weeks(w - cur))
    }

    /// `TemporalAdjusters.previousOrSame(firstDayOfWeek)`.
    pub fn previous_or_same_first_day(self, d: NaiveDate) -> NaiveDate {
        let back = (d.weekday().number_from_monday() as i64 - self.first_day as i64).rem_euclid(7);
        d - chrono::Duration::days(back)
    }
}

/// The locales ingot knows: Java's `Locale.ROOT` and English ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Locale {
    /// `""` for ROOT, else the language (lower case).
    pub language: String,
    /// Upper-case country, may be empty.
    pub country: String,
    pub variant: String,
}

impl Locale {
    pub fn root() -> Locale {
        Locale { language: String::new(), country: String::new(), variant: String::new() }
    }

    pub fn english() -> Locale {
        Locale { language: "en".into(), country: String::new(), variant: String::new() }
    }

    /// Elasticsearch's `LocaleUtils.parse` (`en`, `en_US`, `en-US`, `ROOT`),
    /// limited to the locales whose data ingot has.
    pub fn parse(s: &str) -> Result<Locale, DateError> {
        let underscore = s.chars().find(|c| *c == '-' || *c == '_') == Some('_');
        let parts: Vec<&str> = if underscore { s.split('_').collect() } else { s.split('-').collect() };
        let locale = match parts.len() {
            1 if parts[0].eq_ignore_ascii_case("ROOT") => return Ok(Locale::root()),
            1 => Locale { language: parts[0].to_ascii_lowercase(), country: String::new(), variant: String::new() },
            2 => Locale {
                language: parts[0].to_ascii_lowercase(),
                country: parts[1].to_ascii_uppercase(),
                variant: String::new(),
            },
            3 => Locale {
                language: parts[0].to_ascii_lowercase(),
                country: parts[1].to_ascii_uppercase(),
                variant: parts[2].to_string(),
            },
            n => {
                return Err(DateError::illegal_argument(format!(
                    "Locales can have at most 3 parts but got {n}: [{}]",
                    parts.join(", ")
                )))
            }
        };
        if locale.language.is_empty() && locale.country.is_empty() {
            return Ok(Locale::root());
        }
        // getISO3Language / getISO3Country: two- or three-letter codes only
        let lang = &locale.language;
        if !lang.is_empty() && !((lang.len() == 2 || lang.len() == 3) && lang.chars().all(|c| c.is_ascii_alphabetic()))
        {
            return Err(DateError::illegal_argument(format!("Unknown language: {}", parts[0])));
        }
        let country = &locale.country;
        if !country.is_empty()
            && !((country.len() == 2 && country.chars().all(|c| c.is_ascii_alphabetic()))
                || (country.len() == 3 && country.chars().all(|c| c.is_ascii_digit())))
        {
            return Err(DateError::illegal_argument(format!("Unknown country: {}", parts[1])));
        }
        if locale.language != "en" {
            return Err(DateError::illegal_argument(format!(
                "ingot does not support locale [{s}]: only ROOT and English (en, en_US, en_GB, ...) locales are available"
            )));
        }
        Ok(locale)
    }

    /// `WeekFields.of(locale)` as Elasticsearch's JVM computes it: ROOT uses
    /// ISO rules (Elasticsearch's IsoCalendarDataProvider), English follows
    /// the CLDR region data.
    pub fn week_def(&self) -> WeekDef {
        if self.language.is_empty() {
            return ISO_WEEK;
        }
        match self.country.as_str() {
            "" | "US" | "CA" | "AU" | "IN" | "PH" | "ZA" | "JM" | "BZ" | "PK" | "HK" | "IL" => {
                WeekDef { first_day: 7, min_days: 1 }
            }
            "GB" | "IE" | "NZ" | "MT" => WeekDef { first_day: 1, min_days: 4 },
            _ => WeekDef { first_day: 1, min_days: 4 },
        }
    }
}

pub const MONTHS_FULL: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
pub const MONTHS_SHORT: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
pub const MONTHS_NARROW: [&str; 12] = ["J", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D"];
pub const DAYS_FULL: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
pub const DAYS_SHORT: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
pub const DAYS_NARROW: [&str; 7] = ["M", "T", "W", "T", "F", "S", "S"];
pub const AMPM: [&str; 2] = ["AM", "PM"];
pub const ERAS_SHORT: [&str; 2] = ["BC", "AD"];
pub const ERAS_FULL: [&str; 2] = ["Before Christ", "Anno Domini"];
pub const ERAS_NARROW: [&str; 2] = ["B", "A"];
pub const QUARTERS_SHORT: [&str; 4] = ["Q1", "Q2", "Q3", "Q4"];
pub const QUARTERS_FULL: [&str; 4] = ["1st quarter", "2nd quarter", "3rd quarter", "4th quarter"];
pub const QUARTERS_NARROW: [&str; 4] = ["1", "2", "3", "4"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextStyle {
    Full,
    Short,
    Narrow,
}

/// The texts for a field and style with the value each stands for.
pub fn texts(field: Field, style: TextStyle) -> Vec<(&'static str, i64)> {
    let list: &[&str] = match (field, style) {
        (Field::MonthOfYear, TextStyle::Full) => &MONTHS_FULL,
        (Field::MonthOfYear, TextStyle::Short) => &MONTHS_SHORT,
        (Field::MonthOfYear, TextStyle::Narrow) => &MONTHS_NARROW,
        (Field::DayOfWeek, TextStyle::Full) => &DAYS_FULL,
        (Field::DayOfWeek, TextStyle::Short) => &DAYS_SHORT,
        (Field::DayOfWeek, TextStyle::Narrow) => &DAYS_NARROW,
        (Field::AmPmOfDay, _) => &AMPM,
        (Field::Era, TextStyle::Short) => &ERAS_SHORT,
        (Field::Era, TextStyle::Full) => &ERAS_FULL,
        (Field::Era, TextStyle::Narrow) => &ERAS_NARROW,
        (Field::QuarterOfYear, TextStyle::Short) => &QUARTERS_SHORT,
        (Field::QuarterOfYear, TextStyle::Full) => &QUARTERS_FULL,
        (Field::QuarterOfYear, TextStyle::Narrow) => &QUARTERS_NARROW,
        _ => &[],
    };
    let base = match field {
        Field::AmPmOfDay | Field::Era => 0,
        _ => 1,
    };
    list.iter().enumerate().map(|(i, t)| (*t, i as i64 + base)).collect()
}
