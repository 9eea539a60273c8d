//! Elasticsearch's named date formats (`DateFormatters.forPattern`).

use super::engine::{Builder, Elem, Sign, ZoneMode};
use super::fields::{Field, Locale};
use super::{pattern, DateError, DateFormatter, Parser, Resolver, ZoneId};

/// Every name `DateFormatters.forPattern` knows (snake case; the camel-case
/// spellings are accepted too).
pub(crate) const ALL_NAMES: &[&str] = &[
    "iso8601",
    "basic_date",
    "basic_date_time",
    "basic_date_time_no_millis",
    "basic_ordinal_date",
    "basic_ordinal_date_time",
    "basic_ordinal_date_time_no_millis",
    "basic_time",
    "basic_time_no_millis",
    "basic_t_time",
    "basic_t_time_no_millis",
    "basic_week_date",
    "basic_week_date_time",
    "basic_week_date_time_no_millis",
    "date",
    "date_hour",
    "date_hour_minute",
    "date_hour_minute_second",
    "date_hour_minute_second_fraction",
    "date_hour_minute_second_millis",
    "date_optional_time",
    "date_time",
    "date_time_no_millis",
    "hour",
    "hour_minute",
    "hour_minute_second",
    "hour_minute_second_fraction",
    "hour_minute_second_millis",
    "ordinal_date",
    "ordinal_date_time",
    "ordinal_date_time_no_millis",
    "time",
    "time_no_millis",
    "t_time",
    "t_time_no_millis",
    "week_date",
    "week_date_time",
    "week_date_time_no_millis",
    "weekyear",
    "week_year",
    "weekyear_week",
    "weekyear_week_day",
    "year",
    "year_month",
    "year_month_day",
    "epoch_second",
    "epoch_millis",
    "strict_basic_week_date",
    "strict_basic_week_date_time",
    "strict_basic_week_date_time_no_millis",
    "strict_date",
    "strict_date_hour",
    "strict_date_hour_minute",
    "strict_date_hour_minute_second",
    "strict_date_hour_minute_second_fraction",
    "strict_date_hour_minute_second_millis",
    "strict_date_optional_time",
    "strict_date_optional_time_nanos",
    "strict_date_time",
    "strict_date_time_no_millis",
    "strict_hour",
    "strict_hour_minute",
    "strict_hour_minute_second",
    "strict_hour_minute_second_fraction",
    "strict_hour_minute_second_millis",
    "strict_ordinal_date",
    "strict_ordinal_date_time",
    "strict_ordinal_date_time_no_millis",
    "strict_time",
    "strict_time_no_millis",
    "strict_t_time",
    "strict_t_time_no_millis",
    "strict_week_date",
    "strict_week_date_time",
    "strict_week_date_time_no_millis",
    "strict_weekyear",
    "strict_weekyear_week",
    "strict_weekyear_week_day",
    "strict_year",
    "strict_year_month",
    "strict_year_month_day",
];

fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in snake.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.push(c.to_ascii_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The snake-case name `input` spells, if it is one of Elasticsearch's.
pub fn canonical_name(input: &str) -> Option<&'static str> {
    ALL_NAMES.iter().copied().find(|n| *n == input || camel(n) == input)
}

// ------------------------------------------------------------ building blocks

fn ymd_strict(b: &mut Builder) {
    // STRICT_YEAR_MONTH_DAY_FORMATTER: yyyy[-MM[-dd]]
    b.value(Field::Year, 4, 4, Sign::ExceedsPad);
    b.optional_start();
    b.lit("-");
    b.value(Field::MonthOfYear, 2, 2, Sign::NotNegative);
    b.optional_start();
    b.lit("-");
    b.value(Field::DayOfMonth, 2, 2, Sign::NotNegative);
    b.optional_end();
    b.optional_end();
}

fn ymd_printer(b: &mut Builder) {
    b.value(Field::Year, 4, 9, Sign::ExceedsPad);
    b.optional_start();
    b.lit("-");
    b.value(Field::MonthOfYear, 2, 2, Sign::NotNegative);
    b.optional_start();
    b.lit("-");
    b.value(Field::DayOfMonth, 2, 2, Sign::NotNegative);
    b.optional_end();
    b.optional_end();
}

fn two(b: &mut Builder, f: Field) {
    b.value(f, 2, 2, Sign::NotNegative);
}

fn hms_colon(b: &mut Builder) {
    two(b, Field::HourOfDay);
    b.lit(":");
    two(b, Field::MinuteOfHour);
    b.lit(":");
    two(b, Field::SecondOfMinute);
}

fn offset_colon_z() -> Elem {
    Elem::Offset { kind: 4, no_offset: "Z".into() }
}

fn offset_no_colon() -> Elem {
    // TIME_ZONE_FORMATTER_NO_COLON: appendOffset("+HHmm", "Z")
    Elem::Offset { kind: 1, no_offset: "Z".into() }
}

fn seq(f: impl FnOnce(&mut Builder)) -> Vec<Elem> {
    let mut b = Builder::new();
    f(&mut b);
    b.build()
}

fn strict(elems: Vec<Elem>) -> Parser {
    Parser { elems, resolver: Resolver::Strict, zone: None, fast_iso: None }
}

fn formatter(name: &str, printer: Vec<Elem>, parsers: Vec<Parser>) -> DateFormatter {
    DateFormatter { format: name.to_string(), printer, parsers, locale: Locale::root() }
}

/// A formatter whose printer is also its only parser.
fn single(name: &str, elems: Vec<Elem>, resolver: Resolver) -> DateFormatter {
    formatter(name, elems.clone(), vec![Parser { elems, resolver, zone: None, fast_iso: None }])
}

/// The three parsers Elasticsearch builds for "base + zone": printer with
/// `+HH:MM`/`Z`, parsers with zone-or-offset-id and with `+HHmm`.
fn with_zones(name: &str, printer_base: Vec<Elem>, parser_base: Vec<Elem>) -> DateFormatter {
    let mut printer = printer_base;
    printer.push(offset_colon_z());
    let mut p1 = parser_base.clone();
    p1.push(Elem::Zone(ZoneMode::Id));
    let mut p2 = parser_base;
    p2.push(offset_no_colon());
    formatter(name, printer, vec![strict(p1), strict(p2)])
}

fn basic_time_no_millis_base(b: &mut Builder) {
    two(b, Field::HourOfDay);
    two(b, Field::MinuteOfHour);
    two(b, Field::SecondOfMinute);
}

fn basic_time_formatter(b: &mut Builder) {
    basic_time_no_millis_base(b);
    b.fraction(1, 9, true);
}

fn basic_time_printer(b: &mut Builder) {
    basic_time_no_millis_base(b);
    b.fraction(3, 3, true);
}

fn basic_ymd(b: &mut Builder, printer: bool) {
    if printer {
        b.value(Field::Year, 4, 10, Sign::Normal);
    } else {
        b.value(Field::Year, 4, 4, Sign::Normal);
    }
    two(b, Field::MonthOfYear);
    two(b, Field::DayOfMonth);
}

fn compiled(p: &str) -> Vec<Elem> {
    pattern::compile(p).expect("built-in pattern")
}

fn named(name: &'static str, input: &str) -> Option<DateFormatter> {
    let f = match name {
        "iso8601" => {
            let parser = seq(|b| {
                ymd_strict(b);
                b.optional_start();
                b.lit("T");
                b.optional_start();
                two(b, Field::HourOfDay);
                b.optional_start();
                b.lit(":");
                two(b, Field::MinuteOfHour);
                b.optional_start();
                b.lit(":");
                two(b, Field::SecondOfMinute);
                b.optional_start();
                b.fraction(1, 9, true);
                b.optional_end();
                b.optional_start();
                b.lit(",");
                b.fraction(1, 9, false);
                b.optional_end();
                b.optional_end();
                b.optional_end();
                b.optional_end();
                b.optional_start();
                b.append(Elem::Zone(ZoneMode::Id));
                b.optional_end();
                b.optional_start();
                b.append(offset_no_colon());
                b.optional_end();
                b.optional_end();
            });
            formatter(input, strict_date_optional_time_printer(3, 3), iso_parsers(parser, false))
        }
        "strict_date_optional_time" => {
            let parser = seq(|b| {
                ymd_strict(b);
                b.optional_start();
                b.lit("T");
                b.optional_start();
                two(b, Field::HourOfDay);
                b.optional_start();
                b.lit(":");
                two(b, Field::MinuteOfHour);
                b.optional_start();
                b.lit(":");
                two(b, Field::SecondOfMinute);
                b.optional_start();
                b.fraction(1, 9, true);
                b.optional_end();
                b.optional_start();
                b.lit(",");
                b.fraction(1, 9, false);
                b.optional_end();
                b.optional_end();
                b.optional_end();
                b.optional_start();
                b.append(Elem::Zone(ZoneMode::Id));
                b.optional_end();
                b.optional_start();
                b.append(offset_no_colon());
                b.optional_end();
                b.optional_end();
                b.optional_end();
            });
            formatter(input, strict_date_optional_time_printer(3, 3), iso_parsers(parser, false))
        }
        "strict_date_optional_time_nanos" => {
            let parser = seq(|b| {
                ymd_strict(b);
                b.optional_start();
                b.lit("T");
                hms_colon(b);
                b.optional_start();
                b.fraction(1, 9, true);
                b.optional_end();
                b.optional_start();
                b.lit(",");
                b.fraction(1, 9, false);
                b.optional_end();
                b.optional_start();
                b.append(Elem::Zone(ZoneMode::Id));
                b.optional_end();
                b.optional_start();
                b.append(offset_no_colon());
                b.optional_end();
                b.optional_end();
            });
            formatter(input, strict_date_optional_time_printer(3, 9), iso_parsers(parser, true))
        }
        "basic_time_no_millis" => with_zones(input, seq(basic_time_no_millis_base), seq(basic_time_no_millis_base)),
        "basic_time" => with_zones(input, seq(basic_time_printer), seq(basic_time_formatter)),
        "basic_t_time" => with_zones(
            input,
            seq(|b| {
                b.lit("T");
                basic_time_printer(b)
            }),
            seq(|b| {
                b.lit("T");
                basic_time_formatter(b)
            }),
        ),
        "basic_t_time_no_millis" => {
            let base = seq(|b| {
                b.lit("T");
                basic_time_no_millis_base(b)
            });
            with_zones(input, base.clone(), base)
        }
        "basic_date_time" => with_zones(
            input,
            seq(|b| {
                basic_ymd(b, true);
                b.lit("T");
                basic_time_printer(b);
            }),
            seq(|b| {
                basic_ymd(b, false);
                b.lit("T");
                basic_time_formatter(b);
            }),
        ),
        "basic_date_time_no_millis" => with_zones(
            input,
            seq(|b| {
                basic_ymd(b, true);
                b.lit("T");
                basic_time_no_millis_base(b);
            }),
            seq(|b| {
                basic_ymd(b, false);
                b.lit("T");
                basic_time_no_millis_base(b);
            }),
        ),
        "basic_ordinal_date" => single(input, compiled("uuuuDDD"), Resolver::Smart),
        "basic_ordinal_date_time" => with_zones(
            input,
            seq(|b| {
                b.append_all(&compiled("yyyyDDD"));
                b.lit("T");
                basic_time_printer(b);
            }),
            seq(|b| {
                b.append_all(&compiled("yyyyDDD"));
                b.lit("T");
                basic_time_formatter(b);
            }),
        ),
        "basic_ordinal_date_time_no_millis" => {
            let base = seq(|b| {
                b.append_all(&compiled("uuuuDDD"));
                b.lit("T");
                basic_time_no_millis_base(b);
            });
            with_zones(input, base.clone(), base)
        }
        "strict_date" => {
            // DateTimeFormatter.ISO_LOCAL_DATE with the LENIENT resolver
            let elems = seq(|b| {
                b.value(Field::Year, 4, 10, Sign::ExceedsPad);
                b.lit("-");
                two(b, Field::MonthOfYear);
                b.lit("-");
                two(b, Field::DayOfMonth);
            });
            single(input, elems, Resolver::Lenient)
        }
        "strict_date_hour" => single(input, compiled("uuuu-MM-dd'T'HH"), Resolver::Smart),
        "strict_date_hour_minute" => single(input, compiled("uuuu-MM-dd'T'HH:mm"), Resolver::Smart),
        "strict_year_month_day" => single(input, seq(ymd_strict), Resolver::Strict),
        "strict_year_month" => single(
            input,
            seq(|b| {
                b.value(Field::Year, 4, 4, Sign::ExceedsPad);
                b.lit("-");
                two(b, Field::MonthOfYear);
            }),
            Resolver::Strict,
        ),
        "strict_year" => single(
            input,
            seq(|b| {
                b.value(Field::Year, 4, 4, Sign::ExceedsPad);
            }),
            Resolver::Strict,
        ),
        "strict_hour_minute_second" => single(input, seq(hms_colon), Resolver::Strict),
        "strict_date_time" => {
            let printer = seq(|b| {
                b.append_all(&seq(ymd_strict));
                b.lit("T");
                b.append_all(&seq(hms_colon));
                b.fraction(3, 9, true);
                b.append(offset_colon_z());
            });
            let base = seq(|b| {
                b.append_all(&seq(ymd_strict));
                b.lit("T");
                b.append_all(&seq(hms_colon));
                b.optional_start();
                b.fraction(1, 9, true);
                b.optional_end();
            });
            let mut p1 = base.clone();
            p1.push(Elem::Zone(ZoneMode::Id));
            let mut p2 = base;
            p2.push(offset_no_colon());
            formatter(input, printer, vec![strict(p1), strict(p2)])
        }
        "strict_date_time_no_millis" => {
            let base = seq(|b| {
                b.append_all(&seq(ymd_strict));
                b.lit("T");
                b.append_all(&seq(hms_colon));
            });
            with_zones(input, base.clone(), base)
        }
        "strict_ordinal_date_time_no_millis" => {
            let base = seq(|b| {
                b.value(Field::Year, 4, 4, Sign::ExceedsPad);
                b.lit("-");
                b.value(Field::DayOfYear, 3, 3, Sign::NotNegative);
                b.lit("T");
                b.append_all(&seq(hms_colon));
            });
            with_zones(input, base.clone(), base)
        }
        "strict_date_hour_minute_second" => single(input, compiled("uuuu-MM-dd'T'HH:mm:ss"), Resolver::Smart),
        "strict_hour" => single(input, compiled("HH"), Resolver::Smart),
        "strict_hour_minute" => single(input, compiled("HH:mm"), Resolver::Smart),
        "strict_hour_minute_second_millis" | "strict_hour_minute_second_fraction" => formatter(
            input,
            seq(|b| {
                b.append_all(&seq(hms_colon));
                b.fraction(3, 3, true);
            }),
            vec![strict(seq(|b| {
                b.append_all(&seq(hms_colon));
                b.fraction(1, 9, true);
            }))],
        ),
        "strict_date_hour_minute_second_fraction" | "strict_date_hour_minute_second_millis" => formatter(
            input,
            seq(|b| {
                b.append_all(&seq(ymd_strict));
                b.lit("T");
                b.append_all(&seq(hms_colon));
                b.fraction(3, 3, true);
            }),
            vec![strict(seq(|b| {
                b.append_all(&seq(ymd_strict));
                b.lit("T");
                b.append_all(&seq(hms_colon));
                b.fraction(1, 9, true);
            }))],
        ),
        "strict_ordinal_date" => single(
            input,
            seq(|b| {
                b.value(Field::Year, 4, 4, Sign::ExceedsPad);
                b.lit("-");
                b.value(Field::DayOfYear, 3, 3, Sign::NotNegative);
            }),
            Resolver::Strict,
        ),
        "strict_ordinal_date_time" => {
            let base = |fmin: usize| {
                seq(move |b| {
                    b.value(Field::Year, 4, 4, Sign::ExceedsPad);
                    b.lit("-");
                    b.value(Field::DayOfYear, 3, 3, Sign::NotNegative);
                    b.lit("T");
                    b.append_all(&compiled("HH:mm"));
                    b.optional_start();
                    b.lit(":");
                    two(b, Field::SecondOfMinute);
                    b.fraction(fmin, 9, true);
                    b.optional_end();
                })
            };
            with_zones(input, base(3), base(1))
        }
        "strict_time" | "strict_t_time" => {
            let t = name == "strict_t_time";
            let build = |fmin: usize, fmax: usize| {
                seq(move |b| {
                    if t {
                        b.lit("T");
                    }
                    b.append_all(&seq(hms_colon));
                    b.fraction(fmin, fmax, true);
                })
            };
            with_zones(input, build(3, 3), build(1, 9))
        }
        "strict_time_no_millis" | "strict_t_time_no_millis" => {
            let t = name == "strict_t_time_no_millis";
            let base = seq(|b| {
                if t {
                    b.lit("T");
                }
                b.append_all(&seq(hms_colon));
            });
            with_zones(input, base.clone(), base)
        }
        "basic_date" => {
            let printer = seq(|b| basic_ymd(b, true));
            let parser = seq(|b| {
                b.value(Field::Year, 1, 4, Sign::Normal);
                b.value(Field::MonthOfYear, 1, 2, Sign::NotNegative);
                b.value(Field::DayOfMonth, 1, 2, Sign::NotNegative);
            });
            formatter(
                input,
                printer,
                vec![Parser {
                    elems: parser,
                    resolver: Resolver::Strict,
                    zone: Some(ZoneId::Offset(0)),
                    fast_iso: None,
                }],
            )
        }
        "date_optional_time" => {
            let parser = seq(|b| {
                b.append_all(&seq(lenient_date));
                b.optional_start();
                b.lit("T");
                b.optional_start();
                b.value(Field::HourOfDay, 1, 2, Sign::NotNegative);
                b.optional_start();
                b.lit(":");
                b.value(Field::MinuteOfHour, 1, 2, Sign::NotNegative);
                b.optional_start();
                b.lit(":");
                b.value(Field::SecondOfMinute, 1, 2, Sign::NotNegative);
                b.optional_end();
                b.optional_start();
                b.fraction(1, 9, true);
                b.optional_end();
                b.optional_start();
                b.lit(",");
                b.fraction(1, 9, false);
                b.optional_end();
                b.optional_start();
                b.append(Elem::Zone(ZoneMode::Id));
                b.optional_end();
                b.optional_start();
                b.append(offset_no_colon());
                b.optional_end();
                b.optional_end();
                b.optional_end();
                b.optional_end();
            });
            formatter(input, strict_date_optional_time_printer(3, 3), vec![strict(parser)])
        }
        "date" => formatter(input, iso_local_date(), vec![strict(seq(lenient_date))]),
        "year" => single(
            input,
            seq(|b| {
                b.value(Field::Year, 1, 19, Sign::Normal);
            }),
            Resolver::Strict,
        ),
        "date_hour" => formatter(
            input,
            compiled("uuuu-MM-dd'T'HH"),
            vec![strict(seq(|b| {
                b.append_all(&seq(lenient_date));
                b.lit("T");
                b.value(Field::HourOfDay, 1, 2, Sign::NotNegative);
            }))],
        ),
        "date_hour_minute" => formatter(
            input,
            compiled("uuuu-MM-dd'T'HH:mm"),
            vec![strict(seq(|b| {
                b.append_all(&seq(lenient_date));
                b.lit("T");
                b.append_all(&seq(lenient_hour_minute));
            }))],
        ),
        "date_hour_minute_second" => formatter(
            input,
            compiled("uuuu-MM-dd'T'HH:mm:ss"),
            vec![strict(seq(|b| {
                b.append_all(&seq(lenient_date));
                b.lit("T");
                b.append_all(&seq(lenient_hour_minute));
                b.lit(":");
                b.value(Field::SecondOfMinute, 1, 2, Sign::NotNegative);
            }))],
        ),
        "date_hour_minute_second_millis" | "date_hour_minute_second_fraction" => {
            let fmax = if name == "date_hour_minute_second_millis" { 3 } else { 9 };
            formatter(
                input,
                seq(|b| {
                    b.append_all(&seq(ymd_strict));
                    b.lit("T");
                    b.append_all(&seq(hms_colon));
                    b.fraction(3, 3, true);
                }),
                vec![strict(seq(|b| {
                    b.append_all(&seq(lenient_date));
                    b.lit("T");
                    b.value(Field::HourOfDay, 1, 2, Sign::NotNegative);
                    b.lit(":");
                    b.value(Field::MinuteOfHour, 1, 2, Sign::NotNegative);
                    b.lit(":");
                    b.value(Field::SecondOfMinute, 1, 2, Sign::NotNegative);
                    b.fraction(1, fmax, true);
                }))],
            )
        }
        "date_time" => {
            let base = seq(|b| {
                b.append_all(&seq(lenient_date));
                b.lit("T");
                b.append_all(&seq(lenient_hour_minute));
                b.optional_start();
                b.lit(":");
                b.value(Field::SecondOfMinute, 1, 2, Sign::NotNegative);
                b.fraction(1, 9, true);
                b.optional_end();
            });
            let mut p1 = base.clone();
            p1.push(offset_colon_z());
            let mut p2 = base;
            p2.push(offset_no_colon());
            formatter(input, strict_date_optional_time_printer(3, 3), vec![strict(p1), strict(p2)])
        }
        "hour" => formatter(
            input,
            compiled("HH"),
            vec![strict(seq(|b| {
                b.value(Field::HourOfDay, 1, 2, Sign::NotNegative);
            }))],
        ),
        "hour_minute" => formatter(input, compiled("HH:mm"), vec![strict(seq(lenient_hour_minute))]),
        "hour_minute_second" => formatter(input, seq(hms_colon), vec![strict(seq(lenient_hms))]),
        "hour_minute_second_millis" | "hour_minute_second_fraction" => {
            let fmax = if name == "hour_minute_second_millis" { 3 } else { 9 };
            formatter(
                input,
                seq(|b| {
                    b.append_all(&seq(hms_colon));
                    b.fraction(3, 3, true);
                }),
                vec![strict(seq(|b| {
                    b.append_all(&seq(lenient_hms));
                    b.fraction(1, fmax, true);
                }))],
            )
        }
        "ordinal_date" => formatter(
            input,
            seq(|b| {
                b.value(Field::Year, 4, 10, Sign::ExceedsPad);
                b.lit("-");
                b.value(Field::DayOfYear, 3, 3, Sign::NotNegative);
            }),
            vec![strict(seq(lenient_ordinal_date))],
        ),
        "ordinal_date_time" => {
            let printer = seq(|b| {
                b.value(Field::Year, 4, 4, Sign::ExceedsPad);
                b.lit("-");
                b.value(Field::DayOfYear, 3, 3, Sign::NotNegative);
                b.lit("T");
                b.append_all(&compiled("HH:mm"));
                b.optional_start();
                b.lit(":");
                two(b, Field::SecondOfMinute);
                b.fraction(3, 9, true);
                b.optional_end();
            });
            let base = seq(|b| {
                b.append_all(&seq(lenient_ordinal_date));
                b.lit("T");
                b.append_all(&seq(lenient_hour_minute));
                b.optional_start();
                b.lit(":");
                b.value(Field::SecondOfMinute, 1, 2, Sign::NotNegative);
                b.fraction(1, 9, true);
                b.optional_end();
            });
            with_zones(input, printer, base)
        }
        "ordinal_date_time_no_millis" => {
            let printer = seq(|b| {
                b.value(Field::Year, 4, 4, Sign::ExceedsPad);
                b.lit("-");
                b.value(Field::DayOfYear, 3, 3, Sign::NotNegative);
                b.lit("T");
                b.append_all(&seq(hms_colon));
            });
            let base = seq(|b| {
                b.append_all(&seq(lenient_ordinal_date));
                b.lit("T");
                b.append_all(&seq(lenient_hms));
            });
            with_zones(input, printer, base)
        }
        "time" | "t_time" => {
            let t = name == "t_time";
            let printer = seq(|b| {
                if t {
                    b.lit("T");
                }
                b.append_all(&seq(hms_colon));
                b.fraction(3, 3, true);
            });
            let base = seq(|b| {
                if t {
                    b.lit("T");
                }
                b.append_all(&seq(lenient_hms));
                b.fraction(1, 9, true);
            });
            with_zones(input, printer, base)
        }
        "time_no_millis" | "t_time_no_millis" => {
            let t = name == "t_time_no_millis";
            let printer = seq(|b| {
                if t {
                    b.lit("T");
                }
                b.append_all(&seq(hms_colon));
            });
            let base = seq(|b| {
                if t {
                    b.lit("T");
                }
                b.append_all(&seq(lenient_hms));
            });
            with_zones(input, printer, base)
        }
        "year_month" => formatter(
            input,
            seq(|b| {
                b.value(Field::Year, 4, 10, Sign::ExceedsPad);
                b.lit("-");
                two(b, Field::MonthOfYear);
            }),
            vec![strict(seq(|b| {
                b.value(Field::Year, 1, 19, Sign::Normal);
                b.lit("-");
                b.value(Field::MonthOfYear, 1, 19, Sign::Normal);
            }))],
        ),
        "year_month_day" => formatter(
            input,
            seq(ymd_strict),
            vec![strict(seq(|b| {
                b.value(Field::Year, 1, 19, Sign::Normal);
                b.lit("-");
                b.value(Field::MonthOfYear, 1, 19, Sign::Normal);
                b.lit("-");
                b.value(Field::DayOfMonth, 1, 19, Sign::Normal);
            }))],
        ),
        "date_time_no_millis" => {
            let printer = seq(|b| {
                b.append_all(&iso_local_date());
                b.lit("T");
                b.append_all(&compiled("HH:mm"));
                b.lit(":");
                two(b, Field::SecondOfMinute);
                b.append(Elem::Zone(ZoneMode::Id));
            });
            let prefix = seq(|b| {
                b.append_all(&seq(lenient_date));
                b.lit("T");
                b.append_all(&seq(lenient_hour_minute));
                b.optional_start();
                b.lit(":");
                b.value(Field::SecondOfMinute, 1, 2, Sign::NotNegative);
                b.optional_end();
            });
            let mut p1 = prefix.clone();
            p1.push(offset_colon_z());
            let mut p2 = prefix.clone();
            p2.push(offset_no_colon());
            let mut p3 = prefix;
            p3.push(Elem::Optional(vec![Elem::Zone(ZoneMode::Id)]));
            formatter(input, printer, vec![strict(p1), strict(p2), strict(p3)])
        }
        "week_date" | "strict_week_date" => {
            let parser = if name == "week_date" { seq(week_date_lenient) } else { seq(iso_week_date) };
            formatter(input, seq(iso_week_date), vec![strict(parser)])
        }
        "week_date_time" | "week_date_time_no_millis" | "strict_week_date_time" | "strict_week_date_time_no_millis" => {
            let millis = !name.ends_with("no_millis");
            let lenient = !name.starts_with("strict");
            let printer = seq(|b| {
                b.append_all(&seq(iso_week_date));
                b.lit("T");
                b.append_all(&seq(hms_colon));
                if millis {
                    b.fraction(3, 3, true);
                }
            });
            let base = seq(|b| {
                if lenient {
                    b.append_all(&seq(week_date_lenient));
                    b.lit("T");
                    b.append_all(&seq(lenient_hms));
                } else {
                    b.append_all(&seq(iso_week_date));
                    b.lit("T");
                    b.append_all(&seq(hms_colon));
                }
                if millis {
                    b.fraction(1, 9, true);
                }
            });
            with_zones(input, printer, base)
        }
        "basic_week_date" | "strict_basic_week_date" => {
            let parser =
                if name == "basic_week_date" { seq(basic_week_date_lenient) } else { seq(basic_week_date_strict) };
            formatter(input, seq(basic_week_date_printer), vec![strict(parser)])
        }
        "basic_week_date_time"
        | "basic_week_date_time_no_millis"
        | "strict_basic_week_date_time"
        | "strict_basic_week_date_time_no_millis" => {
            let millis = !name.ends_with("no_millis");
            let lenient = !name.starts_with("strict");
            let printer = seq(|b| {
                b.append_all(&seq(basic_week_date_printer));
                b.lit("T");
                basic_time_no_millis_base(b);
                if millis {
                    b.fraction(3, 3, true);
                }
                b.append(Elem::Offset { kind: 1, no_offset: "Z".into() });
            });
            let base = seq(|b| {
                if lenient {
                    b.append_all(&seq(basic_week_date_lenient));
                } else {
                    b.append_all(&seq(basic_week_date_strict));
                }
                b.lit("T");
                basic_time_no_millis_base(b);
                if millis {
                    b.fraction(1, 9, true);
                }
            });
            let mut p1 = base.clone();
            p1.push(Elem::Zone(ZoneMode::Id));
            let mut p2 = base;
            p2.push(offset_no_colon());
            formatter(input, printer, vec![strict(p1), strict(p2)])
        }
        "weekyear" | "week_year" => single(
            input,
            seq(|b| {
                b.value(Field::WeekBasedYear, 1, 19, Sign::Normal);
            }),
            Resolver::Strict,
        ),
        "strict_weekyear" => single(
            input,
            seq(|b| {
                b.value(Field::WeekBasedYear, 4, 10, Sign::ExceedsPad);
            }),
            Resolver::Strict,
        ),
        "weekyear_week" => formatter(
            input,
            seq(strict_weekyear_week),
            vec![strict(seq(|b| {
                b.value(Field::WeekBasedYear, 1, 19, Sign::Normal);
                b.lit("-W");
                b.value(Field::WeekOfWeekBasedYear, 1, 19, Sign::Normal);
            }))],
        ),
        "strict_weekyear_week" => single(input, seq(strict_weekyear_week), Resolver::Strict),
        "weekyear_week_day" | "strict_weekyear_week_day" => {
            let printer = seq(|b| {
                b.append_all(&seq(strict_weekyear_week));
                b.lit("-");
                b.value(Field::LocalDayOfWeek, 1, 19, Sign::Normal);
            });
            let parser = if name == "weekyear_week_day" {
                seq(|b| {
                    b.value(Field::WeekBasedYear, 1, 19, Sign::Normal);
                    b.lit("-W");
                    b.value(Field::WeekOfWeekBasedYear, 1, 19, Sign::Normal);
                    b.lit("-");
                    b.value(Field::LocalDayOfWeek, 1, 19, Sign::Normal);
                })
            } else {
                printer.clone()
            };
            formatter(input, printer, vec![strict(parser)])
        }
        "epoch_second" => {
            // Elasticsearch has a second parser for a trailing dot, which the first
            // already accepts; the pair shows in the error message
            let e = vec![Elem::Epoch { millis: false }];
            formatter(input, e.clone(), vec![strict(e.clone()), strict(e)])
        }
        "epoch_millis" => {
            // Elasticsearch has a second parser for a trailing dot, which the first
            // already accepts; the pair shows in the error message
            let e = vec![Elem::Epoch { millis: true }];
            formatter(input, e.clone(), vec![strict(e.clone()), strict(e)])
        }
        _ => return None,
    };
    Some(f)
}

/// DATE_FORMATTER: `y[-M[-d]]` with 1-9 digit years and 1-2 digit months and days.
fn lenient_date(b: &mut Builder) {
    b.value(Field::Year, 1, 9, Sign::Normal);
    b.optional_start();
    b.lit("-");
    b.value(Field::MonthOfYear, 1, 2, Sign::NotNegative);
    b.optional_start();
    b.lit("-");
    b.value(Field::DayOfMonth, 1, 2, Sign::NotNegative);
    b.optional_end();
    b.optional_end();
}

/// HOUR_MINUTE_FORMATTER: `H:m` with 1-2 digits each.
fn lenient_hour_minute(b: &mut Builder) {
    b.value(Field::HourOfDay, 1, 2, Sign::NotNegative);
    b.lit(":");
    b.value(Field::MinuteOfHour, 1, 2, Sign::NotNegative);
}

/// HOUR_MINUTE_SECOND_FORMATTER / TIME_NO_MILLIS_FORMATTER: `H:m:s`, 1-2 digits each.
fn lenient_hms(b: &mut Builder) {
    lenient_hour_minute(b);
    b.lit(":");
    b.value(Field::SecondOfMinute, 1, 2, Sign::NotNegative);
}

/// ORDINAL_DATE_FORMATTER: 4-10 digit year, `-`, 1-3 digit day of year.
fn lenient_ordinal_date(b: &mut Builder) {
    b.value(Field::Year, 4, 10, Sign::ExceedsPad);
    b.lit("-");
    b.value(Field::DayOfYear, 1, 3, Sign::NotNegative);
}

/// STRICT_WEEKYEAR_WEEK_FORMATTER (Elasticsearch's ROOT week fields, which are
/// ISO weeks; ingot applies the formatter locale's week definition).
fn strict_weekyear_week(b: &mut Builder) {
    b.value(Field::WeekBasedYear, 4, 10, Sign::ExceedsPad);
    b.lit("-W");
    b.value(Field::WeekOfWeekBasedYear, 2, 2, Sign::NotNegative);
}

/// ISO_WEEK_DATE: `xxxx-'W'ww-e` with ISO week fields.
fn iso_week_date(b: &mut Builder) {
    b.value(Field::IsoWeekBasedYear, 4, 10, Sign::ExceedsPad);
    b.lit("-W");
    b.value(Field::IsoWeekOfWeekBasedYear, 2, 2, Sign::NotNegative);
    b.lit("-");
    b.value(Field::DayOfWeek, 1, 1, Sign::NotNegative);
}

/// WEEK_DATE_FORMATTER: like ISO_WEEK_DATE with a 1-2 digit week.
fn week_date_lenient(b: &mut Builder) {
    b.value(Field::IsoWeekBasedYear, 4, 10, Sign::ExceedsPad);
    b.lit("-W");
    b.value(Field::IsoWeekOfWeekBasedYear, 1, 2, Sign::NotNegative);
    b.lit("-");
    b.value(Field::DayOfWeek, 1, 1, Sign::NotNegative);
}

/// STRICT_BASIC_WEEK_DATE_PRINTER: `xxxx'W'wwe`.
fn basic_week_date_printer(b: &mut Builder) {
    b.value(Field::IsoWeekBasedYear, 4, 10, Sign::Normal);
    b.lit("W");
    b.value(Field::IsoWeekOfWeekBasedYear, 2, 2, Sign::Never);
    b.value(Field::DayOfWeek, 1, 19, Sign::Normal);
}

/// BASIC_WEEK_DATE_FORMATTER.
fn basic_week_date_lenient(b: &mut Builder) {
    b.value(Field::IsoWeekBasedYear, 1, 19, Sign::Normal);
    b.lit("W");
    b.value(Field::IsoWeekOfWeekBasedYear, 1, 2, Sign::Never);
    b.value(Field::DayOfWeek, 1, 19, Sign::Normal);
}

/// STRICT_BASIC_WEEK_DATE_FORMATTER.
fn basic_week_date_strict(b: &mut Builder) {
    b.value(Field::IsoWeekBasedYear, 4, 4, Sign::NotNegative);
    b.lit("W");
    b.value(Field::IsoWeekOfWeekBasedYear, 1, 2, Sign::Never);
    b.value(Field::DayOfWeek, 1, 19, Sign::Normal);
}

/// `DateTimeFormatter.ISO_LOCAL_DATE`.
fn iso_local_date() -> Vec<Elem> {
    seq(|b| {
        b.value(Field::Year, 4, 10, Sign::ExceedsPad);
        b.lit("-");
        two(b, Field::MonthOfYear);
        b.lit("-");
        two(b, Field::DayOfMonth);
    })
}

/// `iso8601` and `strict_date_optional_time[_nanos]` have two parsers in
/// Elasticsearch 8.x: the fast `Iso8601DateTimeParser`, then java.time as a
/// fallback; with two parsers a failure reads "Failed to parse with all
/// enclosed parsers".
fn iso_parsers(parser: Vec<Elem>, time_required: bool) -> Vec<Parser> {
    let mut fast = strict(Vec::new());
    fast.fast_iso = Some(time_required);
    vec![fast, strict(parser)]
}

/// STRICT_DATE_OPTIONAL_TIME_PRINTER (fraction 3..3) / _NANOS (3..9).
fn strict_date_optional_time_printer(fmin: usize, fmax: usize) -> Vec<Elem> {
    seq(|b| {
        b.append_all(&seq(ymd_printer));
        b.lit("T");
        b.optional_start();
        two(b, Field::HourOfDay);
        b.optional_start();
        b.lit(":");
        two(b, Field::MinuteOfHour);
        b.optional_start();
        b.lit(":");
        two(b, Field::SecondOfMinute);
        b.optional_start();
        b.fraction(fmin, fmax, true);
        b.optional_end();
        b.optional_end();
        b.optional_start();
        b.append(offset_colon_z());
        b.optional_end();
        b.optional_end();
        b.optional_end();
    })
}

/// `DateFormatters.forPattern` for one element of a `||` list.
pub fn for_single_pattern(input: &str) -> Result<DateFormatter, DateError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(DateError::illegal_argument("No date pattern provided"));
    }
    if let Some(name) = canonical_name(input) {
        return named(name, input).ok_or_else(|| {
            DateError::illegal_argument(format!(
                "ingot does not support the Elasticsearch date format [{input}] yet; use a Java pattern or one of: {}",
                supported_names().join(", ")
            ))
        });
    }
    match pattern::compile(input) {
        Ok(elems) => Ok(DateFormatter::from_pattern_elems(input, elems, Resolver::Strict)),
        Err(msg) => Err(DateError::illegal_argument(format!("Invalid format: [{input}]: {msg}"))
            .caused_by(DateError::illegal_argument(msg))),
    }
}

/// The named formats ingot implements.
pub fn supported_names() -> Vec<&'static str> {
    ALL_NAMES.iter().copied().filter(|n| named(n, n).is_some()).collect()
}
