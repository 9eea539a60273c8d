use super::*;

fn utc() -> ZoneId {
    ZoneId::Offset(0)
}

/// Parses like the date processor does and prints with its default output format.
fn run(format: &str, text: &str, tz: &str) -> Result<String, DateError> {
    let zone = ZoneId::of(tz)?;
    let zdt = DateFormat::from_string(format).parse(format, Some(text), &zone, &Locale::root())?;
    DateFormatter::for_pattern(DEFAULT_OUTPUT_FORMAT)?.format(&zdt)
}

#[test]
fn date_upstream_pipeline_formats() {
    let formats = ["yyyy-MM-dd'T'HH:mm:ss.SSSSSSSZ", "ISO8601"];
    let try_all = |text: &str| -> String {
        for f in formats {
            if let Ok(s) = run(f, text, "UTC") {
                return s;
            }
        }
        panic!("no format parsed {text}");
    };
    assert_eq!(try_all("2022-09-05T18:10:13.4907658"), "2022-09-05T18:10:13.490Z");
    assert_eq!(try_all("2022-09-05T21:46:46.4206759Z"), "2022-09-05T21:46:46.420Z");
    assert_eq!(try_all("2022-10-21T09:40:10Z"), "2022-10-21T09:40:10.000Z");
    // the Z pattern letter does not take a literal Z
    let e = run(formats[0], "2022-09-05T21:46:46.4206759Z", "UTC").unwrap_err();
    assert_eq!(
        e.reason,
        "failed to parse date field [2022-09-05T21:46:46.4206759Z] with format [yyyy-MM-dd'T'HH:mm:ss.SSSSSSSZ]"
    );
    assert_eq!(e.caused_by.unwrap().reason, "Text '2022-09-05T21:46:46.4206759Z' could not be parsed at index 27");
}

#[test]
fn date_rest_test_formats() {
    assert_eq!(run("dd/MM/yyyy", "12/06/2010", "Europe/Amsterdam").unwrap(), "2010-06-12T00:00:00.000+02:00");
    assert_eq!(run("ISO8601", "2010-06-01T00:00:00.000", "+01:00").unwrap(), "2010-06-01T00:00:00.000+01:00");
    assert_eq!(run("ISO8601", "2010-06-01T00:00:00.000Z", "+01:00").unwrap(), "2010-06-01T01:00:00.000+01:00");
    assert_eq!(
        run("yyyy-MM-dd'T'HH:mm:ss.SSSZZ", "2018-02-05T13:44:56.657+0100", "UTC").unwrap(),
        "2018-02-05T12:44:56.657Z"
    );
    assert_eq!(run("yyyy-MM-dd HH:mm:ss Z", "2017-04-04 13:43:09 +0200", "UTC").unwrap(), "2017-04-04T11:43:09.000Z");
    assert_eq!(run("dd/MMM/yyyy:H:m:s Z", "10/Aug/2018:09:45:56 +0200", "UTC").unwrap(), "2018-08-10T07:45:56.000Z");
    assert_eq!(run("UNIX", "1", "UTC").unwrap(), "1970-01-01T00:00:01.000Z");
    assert_eq!(run("UNIX_MS", "1", "UTC").unwrap(), "1970-01-01T00:00:00.001Z");
    assert_eq!(run("TAI64N", "4000000050d506482dbdf024", "UTC").unwrap(), "2012-12-22T01:00:46.767Z");
    assert_eq!(run("ISO8601", "2018-02-05T13:44:56.657+0100", "UTC").unwrap(), "2018-02-05T12:44:56.657Z");
    assert_eq!(run("epoch_second", "1688548995.987654321", "UTC").unwrap(), "2023-07-05T09:23:15.987Z");
    assert_eq!(run("YYYY-ww", "2020-33", "UTC").unwrap(), "2020-08-10T00:00:00.000Z");
}

#[test]
fn date_missing_year_uses_current_year() {
    ingest::with_current_year(2023, || {
        assert_eq!(run("MMM dd HH:mm:ss", "Feb 29 10:11:12", "UTC").unwrap(), "2023-02-28T10:11:12.000Z");
        assert_eq!(
            run("MMM dd HH:mm:ss", "Nov 24 01:29:01", "Europe/Amsterdam").unwrap(),
            "2023-11-24T01:29:01.000+01:00"
        );
        // the parsed offset is dropped when the year is missing
        assert_eq!(run("MMM d HH:mm:ss Z", "Jun 3 10:00:00 +0500", "UTC").unwrap(), "2023-06-03T10:00:00.000Z");
    });
}

#[test]
fn date_pattern_errors() {
    let e = DateFormatter::for_pattern("yyyy-bb").unwrap_err();
    assert_eq!(e.reason, "Invalid format: [yyyy-bb]: Unknown pattern letter: b");
    let e = DateFormatter::for_pattern("HHH").unwrap_err();
    assert_eq!(e.reason, "Invalid format: [HHH]: Too many pattern letters: H");
    let e = DateFormatter::for_pattern("yyyy'T").unwrap_err();
    assert_eq!(e.reason, "Invalid format: [yyyy'T]: Pattern ends with an incomplete string literal: yyyy'T");
    assert_eq!(named::supported_names().len(), named::ALL_NAMES.len(), "every Elasticsearch name is implemented");
    let e = DateFormatter::for_pattern("").unwrap_err();
    assert_eq!(e.reason, "No date pattern provided");
}

#[test]
fn date_formatting_patterns() {
    let zdt = ZonedDateTime::of_local(
        NaiveDateTime::parse_from_str("2021-03-04 05:06:07.089", "%Y-%m-%d %H:%M:%S%.f").unwrap(),
        ZoneId::of("Europe/Paris").unwrap(),
    );
    let f = |p: &str| DateFormatter::for_pattern(p).unwrap().format(&zdt).unwrap();
    assert_eq!(f("yyyy-MM-dd'T'HH:mm:ss.SSSXXX"), "2021-03-04T05:06:07.089+01:00");
    assert_eq!(f("yy.M.d h:m:s a"), "21.3.4 5:6:7 AM");
    assert_eq!(f("EEE, dd MMM yyyy HH:mm:ss Z"), "Thu, 04 Mar 2021 05:06:07 +0100");
    assert_eq!(f("EEEE MMMM D VV"), "Thursday March 63 Europe/Paris");
    assert_eq!(f("xx X O ZZZZZ"), "+0100 +01 GMT+1 +01:00");
    assert_eq!(f("SSSSSS n"), "089000 89000000");
    assert_eq!(f("'It''s' ''"), "It's '");
    assert_eq!(f("yyyy[ HH]"), "2021 05");
    assert_eq!(f("strict_date_optional_time"), "2021-03-04T05:06:07.089+01:00");
    assert_eq!(f("epoch_millis"), "1614830767089");
    assert_eq!(f("basic_date_time"), "20210304T050607.089+01:00");
    let utc = zdt.with_zone_same_instant(utc()).unwrap();
    assert_eq!(
        DateFormatter::for_pattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").unwrap().format(&utc).unwrap(),
        "2021-03-04T04:06:07.089Z"
    );
}

#[test]
fn date_parse_named_formats() {
    assert_eq!(run("strict_date_optional_time", "2021-03-04", "UTC").unwrap(), "2021-03-04T00:00:00.000Z");
    assert_eq!(run("strict_date_optional_time", "2021-03", "UTC").unwrap(), "2021-03-01T00:00:00.000Z");
    assert_eq!(
        run("strict_date_optional_time", "2021-03-04T10:11:12.123456789+05:30", "UTC").unwrap(),
        "2021-03-04T04:41:12.123Z"
    );
    assert_eq!(run("epoch_millis", "1614830767089.5", "UTC").unwrap(), "2021-03-04T04:06:07.089Z");
    assert_eq!(run("basic_date_time", "20210304T050607.089+0100", "UTC").unwrap(), "2021-03-04T04:06:07.089Z");
    assert_eq!(run("basic_date_time_no_millis", "20210304T050607Z", "UTC").unwrap(), "2021-03-04T05:06:07.000Z");
    assert_eq!(
        run("strict_date_time", "2021-03-04T05:06:07.1Europe/Paris", "UTC").unwrap(),
        "2021-03-04T04:06:07.100Z"
    );
    assert_eq!(run("yyyy-MM-dd||epoch_millis", "1000", "UTC").unwrap(), "1970-01-01T00:00:01.000Z");
    let e = run("strict_date_time", "2021-03-04", "UTC").unwrap_err();
    assert_eq!(e.caused_by.unwrap().reason, "Failed to parse with all enclosed parsers");
}

#[test]
fn date_parse_errors_like_java() {
    let e = run("yyyy-MM-dd", "2021-02-30", "UTC").unwrap_err();
    // with yyyy the date is built by Elasticsearch, not by java.time
    assert_eq!(e.kind, "date_time_exception");
    assert_eq!(e.reason, "Invalid date 'FEBRUARY 30'");
    let e = run("uuuu-MM-dd", "2021-02-29", "UTC").unwrap_err();
    assert_eq!(
        e.caused_by.unwrap().reason,
        "Text '2021-02-29' could not be parsed: Invalid date 'February 29' as '2021' is not a leap year"
    );
    let e = run("yyyy-MM-dd HH:mm", "2021-02-03 25:00", "UTC").unwrap_err();
    assert_eq!(
        e.caused_by.unwrap().reason,
        "Text '2021-02-03 25:00' could not be parsed: Invalid value for HourOfDay (valid values 0 - 23): 25"
    );
    let e = run("yyyy-MM-dd", "2021-02-03x", "UTC").unwrap_err();
    assert_eq!(e.caused_by.unwrap().reason, "Text '2021-02-03x' could not be parsed, unparsed text found at index 10");
    let e = run("yyyy-MM-dd", "", "UTC").unwrap_err();
    assert_eq!(e.reason, "cannot parse empty datetime");
    let e = run("UNIX_MS", "abc", "UTC").unwrap_err();
    assert_eq!((e.kind.as_str(), e.reason.as_str()), ("number_format_exception", "For input string: \"abc\""));
    let e = run("UNIX", "x1", "UTC").unwrap_err();
    assert_eq!(e.reason, "For input string: \"x1\"");
    let e = run("TAI64N", "40000", "UTC").unwrap_err();
    assert_eq!(e.reason, "begin 1, end 16, length 5");
    let e = run("ISO8601", "2021", "Mars/Olympus").unwrap_err();
    assert_eq!((e.kind.as_str(), e.reason.as_str()), ("zone_rules_exception", "Unknown time-zone ID: Mars/Olympus"));
}

#[test]
fn date_zone_ids() {
    assert_eq!(ZoneId::of("Z").unwrap(), ZoneId::Offset(0));
    assert_eq!(ZoneId::of("+01:00").unwrap().id(), "+01:00");
    assert_eq!(ZoneId::of("+1").unwrap().id(), "+01:00");
    assert_eq!(ZoneId::of("-0530").unwrap().id(), "-05:30");
    assert_eq!(ZoneId::of("UTC").unwrap().id(), "UTC");
    assert_eq!(ZoneId::of("GMT+2").unwrap().id(), "GMT+02:00");
    assert_eq!(ZoneId::of("America/New_York").unwrap().id(), "America/New_York");
    assert_eq!(
        ZoneId::of("+25:00").unwrap_err().reason,
        "Zone offset hours not in valid range: value 25 is not in the range -18 to 18"
    );
    assert_eq!(ZoneId::of("a b").unwrap_err().reason, "Invalid ID for region-based ZoneId, invalid format: a b");
    // a local time in a DST gap moves forward
    let gap = DateFormat::Java
        .parse("yyyy-MM-dd HH:mm", Some("2021-03-28 02:30"), &ZoneId::of("Europe/Paris").unwrap(), &Locale::root())
        .unwrap();
    assert_eq!(
        DateFormatter::for_pattern(DEFAULT_OUTPUT_FORMAT).unwrap().format(&gap).unwrap(),
        "2021-03-28T03:30:00.000+02:00"
    );
}

#[test]
fn date_text_and_case() {
    assert_eq!(run("dd MMMM yyyy", "05 August 2018", "UTC").unwrap(), "2018-08-05T00:00:00.000Z");
    assert!(run("dd MMM yyyy", "05 aug 2018", "UTC").is_err());
    assert_eq!(run("EEE MMM dd HH:mm:ss yyyy", "Sun Aug 05 10:00:00 2018", "UTC").unwrap(), "2018-08-05T10:00:00.000Z");
    let e = run("EEE MMM dd yyyy", "Mon Aug 05 2018", "UTC");
    // yyyy leaves the date to Elasticsearch, which does not cross-check the day of week
    assert_eq!(e.unwrap(), "2018-08-05T00:00:00.000Z");
    assert_eq!(run("yyyy-MM-dd hh:mm:ss a", "2018-08-05 12:30:00 AM", "UTC").unwrap(), "2018-08-05T00:30:00.000Z");
    assert_eq!(run("yyyyMMddHHmmss", "20180805123000", "UTC").unwrap(), "2018-08-05T12:30:00.000Z");
    assert_eq!(run("yyyyMMdd", "20180805", "UTC").unwrap(), "2018-08-05T00:00:00.000Z");
    assert_eq!(run("yy-MM-dd", "18-08-05", "UTC").unwrap(), "2018-08-05T00:00:00.000Z");
    assert_eq!(run("yyyy-MM-dd[ HH:mm]", "2018-08-05", "UTC").unwrap(), "2018-08-05T00:00:00.000Z");
    assert_eq!(
        run("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS", "2018-08-05T01:02:03.123456789", "UTC").unwrap(),
        "2018-08-05T01:02:03.123Z"
    );
}

#[test]
fn date_more_named_formats() {
    assert_eq!(run("date_optional_time", "2021-3-4T5:6", "UTC").unwrap(), "2021-03-04T05:06:00.000Z");
    assert_eq!(run("date_optional_time", "2021-03-04T05:06:07.5+01:00", "UTC").unwrap(), "2021-03-04T04:06:07.500Z");
    assert_eq!(run("date", "2021-3-4", "UTC").unwrap(), "2021-03-04T00:00:00.000Z");
    // basic_date parses in UTC whatever the processor's timezone
    assert_eq!(run("basic_date", "20210304", "+01:00").unwrap(), "2021-03-04T01:00:00.000+01:00");
    assert_eq!(
        run("strict_date_hour_minute_second", "2021-03-04T05:06:07", "UTC").unwrap(),
        "2021-03-04T05:06:07.000Z"
    );
    assert_eq!(
        run("strict_date_hour_minute_second_millis", "2021-03-04T05:06:07.1", "UTC").unwrap(),
        "2021-03-04T05:06:07.100Z"
    );
    assert_eq!(run("strict_ordinal_date", "2021-063", "UTC").unwrap(), "2021-03-04T00:00:00.000Z");
    assert_eq!(run("date_time", "2021-03-04T05:06:07.089Z", "UTC").unwrap(), "2021-03-04T05:06:07.089Z");
    assert_eq!(run("strict_date", "2021-02-30", "UTC").unwrap(), "2021-03-02T00:00:00.000Z");
    assert_eq!(run("strict_date_hour", "2021-02-30T05", "UTC").unwrap(), "2021-02-28T05:00:00.000Z");
    ingest::with_current_year(2020, || {
        assert_eq!(run("strict_hour_minute_second", "05:06:07", "UTC").unwrap(), "2020-01-01T05:06:07.000Z");
    });
    assert!(named::supported_names().len() > 40, "{:?}", named::supported_names());
}

#[test]
fn date_locales_and_zone_names() {
    assert_eq!(Locale::parse("en_US").unwrap().week_def().first_day, 7);
    assert_eq!(Locale::parse("ROOT").unwrap(), Locale::root());
    assert_eq!(Locale::parse("ENGLISH").unwrap_err().reason, "Unknown language: ENGLISH");
    assert_eq!(Locale::parse("en_USA").unwrap_err().reason, "Unknown country: USA");
    assert!(Locale::parse("de_DE").unwrap_err().reason.contains("ingot does not support locale [de_DE]"));
    assert_eq!(
        run("EEE MMM dd HH:mm:ss zzz yyyy", "Mon Jan 10 10:00:00 UTC 2022", "Europe/Paris").unwrap(),
        "2022-01-10T11:00:00.000+01:00"
    );
    assert_eq!(
        run("EEE MMM dd HH:mm:ss z yyyy", "Mon Jul 11 10:00:00 PDT 2022", "UTC").unwrap(),
        "2022-07-11T17:00:00.000Z"
    );
    // A short name that is also a fixed-offset id reads as its region, so
    // summer time applies (observed on JDK 17 and 25): 10:00 EST in July is
    // 10:00-04:00, not -05:00.
    assert_eq!(
        run("yyyy-MM-dd HH:mm:ss z", "2022-07-11 10:00:00 EST", "UTC").unwrap(),
        "2022-07-11T14:00:00.000Z"
    );
    assert_eq!(
        run("yyyy-MM-dd HH:mm:ss z", "2022-01-11 10:00:00 EST", "UTC").unwrap(),
        "2022-01-11T15:00:00.000Z"
    );
    assert_eq!(
        run("yyyy-MM-dd HH:mm:ss z", "2022-07-11 10:00:00 MST", "UTC").unwrap(),
        "2022-07-11T16:00:00.000Z"
    );
    assert_eq!(
        run("yyyy-MM-dd HH:mm:ss VV", "2022-07-11 10:00:00 Europe/Berlin", "UTC").unwrap(),
        "2022-07-11T08:00:00.000Z"
    );
    assert_eq!(run("yyyy-MM-dd HH:mm:ss O", "2022-07-11 10:00:00 GMT+2", "UTC").unwrap(), "2022-07-11T08:00:00.000Z");
}

/// Inputs Elasticsearch's JavaJodaTimeDuellingTests expect each named format to accept or refuse.
#[test]
fn date_named_formats_accept_like_elasticsearch() {
    let ok: &[(&str, &[&str])] = &[
        ("epoch_second", &["1522332219", "0", "1"]),
        ("epoch_millis", &["1522332219321", "0", "1"]),
        ("basic_date", &["20181126"]),
        ("basic_date_time", &["20181126T121212.123Z", "20181126T121212.123+10:00", "20181126T121212.123-0800"]),
        ("basic_date_time_no_millis", &["20181126T121212Z", "20181126T121212+01:00", "20181126T121212+0100"]),
        ("basic_ordinal_date", &["2018363"]),
        (
            "basic_ordinal_date_time",
            &[
                "2018363T121212.1Z",
                "2018363T121212.123Z",
                "2018363T121212.123456789Z",
                "2018363T121212.123+0100",
                "2018363T121212.123+01:00",
            ],
        ),
        ("basic_ordinal_date_time_no_millis", &["2018363T121212Z", "2018363T121212+0100", "2018363T121212+01:00"]),
        (
            "basic_time",
            &["121212.1Z", "121212.123Z", "121212.123456789Z", "121212.1+0100", "121212.123+0100", "121212.123+01:00"],
        ),
        ("basic_time_no_millis", &["121212Z", "121212+0100", "121212+01:00"]),
        ("basic_t_time", &["T121212.1Z", "T121212.123Z", "T121212.123456789Z", "T121212.1+0100", "T121212.123+01:00"]),
        ("basic_t_time_no_millis", &["T121212Z", "T121212+0100", "T121212+01:00"]),
        ("date", &["2018-12-31", "18-5-6", "10000-5-6"]),
        ("date_hour", &["2018-12-31T12", "2018-12-31T8"]),
        ("date_hour_minute", &["2018-12-31T12:12", "2018-12-31T8:3"]),
        ("date_hour_minute_second", &["2018-12-31T12:12:12", "2018-12-31T12:12:1"]),
        (
            "date_hour_minute_second_fraction",
            &["2018-12-31T12:12:12.1", "2018-12-31T12:12:12.123", "2018-12-31T12:12:12.123456789"],
        ),
        ("date_hour_minute_second_millis", &["2018-12-31T12:12:12.1", "2018-12-31T12:12:12.123"]),
        (
            "date_optional_time",
            &[
                "2018-05",
                "2018-05-30",
                "2018-05-30T20",
                "2018-05-30T20:21",
                "2018-05-30T20:21:23",
                "2018-05-30T20:21:23.1",
                "2018-05-30T20:21:23.123456789",
                "2018-05-30T20:21:23.123Z",
                "2018-05-30T20:21:23.1+0100",
                "2018-05-30T20:21:23.123+01:00",
                "2018-12-1",
                "2018-12-31T10:15:3",
                "2018-12-31T10:5:30",
                "2018-12-31T1:15:30",
            ],
        ),
        (
            "date_time",
            &[
                "2018-12-31T10:15:30.1Z",
                "2018-12-31T10:15:30.123456789Z",
                "2018-12-31T10:15:30.1+0100",
                "2018-12-31T10:15:30.123+01:00",
                "2018-12-31T10:15:30.11Z",
                "2018-12-31T10:15:3.1Z",
                "2018-12-31T10:15:3.123+0100",
            ],
        ),
        ("year", &["2012", "1", "-2000"]),
        (
            "date_time_no_millis",
            &[
                "2018-12-31T10:15:30Z",
                "2018-12-31T10:15:30+0100",
                "2018-12-31T10:15:30+01:00",
                "2018-12-31T10:5:30Z",
                "2018-12-31T1:15:30+01:00",
            ],
        ),
        ("hour", &["12", "01", "1"]),
        ("hour_minute", &["12:12", "12:01", "12:1"]),
        ("hour_minute_second", &["12:12:12", "12:12:01", "12:12:1"]),
        ("hour_minute_second_fraction", &["12:12:12.123", "12:12:12.123456789", "12:12:12.1"]),
        ("hour_minute_second_millis", &["12:12:12.123", "12:12:12.1"]),
        ("ordinal_date", &["2018-128", "2018-1"]),
        (
            "ordinal_date_time",
            &[
                "2018-128T10:15:30.1Z",
                "2018-128T10:15:30.123456789Z",
                "2018-128T10:15:30.123+0100",
                "2018-1T10:15:30.123+01:00",
            ],
        ),
        ("ordinal_date_time_no_millis", &["2018-128T10:15:30Z", "2018-128T10:15:30+0100", "2018-1T10:15:30+01:00"]),
        (
            "time",
            &[
                "10:15:30.1Z",
                "10:15:30.123456789Z",
                "10:15:30.123+0100",
                "1:15:30.123+01:00",
                "10:1:30.1Z",
                "10:15:3.123+01:00",
            ],
        ),
        (
            "time_no_millis",
            &["10:15:30Z", "10:15:30+0100", "01:15:30+01:00", "1:15:30Z", "10:5:30+0100", "10:15:3+01:00"],
        ),
        ("t_time", &["T10:15:30.1Z", "T10:15:30.123456789Z", "T1:15:30.123+0100", "T10:15:3.123+01:00"]),
        ("t_time_no_millis", &["T10:15:30Z", "T1:15:30+0100", "T10:15:3+01:00"]),
        ("year_month", &["2012-12", "1-1"]),
        ("week_date", &["2012-W48-6", "2012-W01-6", "2012-W1-6"]),
        (
            "week_date_time",
            &[
                "2012-W48-6T10:15:30.1Z",
                "2012-W48-6T10:15:30.123456789Z",
                "2012-W48-6T10:15:30.1+0100",
                "2012-W1-6T10:15:30.123+01:00",
            ],
        ),
        ("week_date_time_no_millis", &["2012-W48-6T10:15:30Z", "2012-W48-6T10:15:30+0100", "2012-W1-6T10:15:30+01:00"]),
        ("basic_week_date", &["2018W313", "1W313", "18W313"]),
        (
            "basic_week_date_time",
            &[
                "2018W313T121212.1Z",
                "2018W313T121212.123456789Z",
                "2018W313T121212.123+0100",
                "2018W313T121212.123+01:00",
            ],
        ),
        ("basic_week_date_time_no_millis", &["2018W313T121212Z", "2018W313T121212+0100", "2018W313T121212+01:00"]),
        ("year_month_day", &["2012-12-31", "1-12-31", "2012-1-31", "2012-12-1"]),
    ];
    for (format, inputs) in ok {
        for input in *inputs {
            assert!(
                run(format, input, "UTC").is_ok(),
                "{format} should parse {input}: {:?}",
                run(format, input, "UTC")
            );
        }
    }
    let refused: &[(&str, &str)] = &[
        ("date_hour_minute_second_millis", "2018-12-31T12:12:12.123456789"),
        ("hour_minute_second_fraction", "12:12:12"),
        ("hour_minute_second_millis", "12:12:12.123456789"),
        ("hour_minute_second_millis", "12:12:12"),
        ("time", "10:15:3.1"),
        ("time", "10:15:3Z"),
        ("time_no_millis", "10:15:3"),
        ("t_time", "T10:15:3.1"),
        ("t_time_no_millis", "T10:15:3"),
        ("week_date", "2012-W1-8"),
    ];
    for (format, input) in refused {
        assert!(run(format, input, "UTC").is_err(), "{format} should refuse {input}");
    }
    // values
    assert_eq!(run("weekyear_week", "2020-W33", "UTC").unwrap(), "2020-08-10T00:00:00.000Z");
    assert_eq!(run("weekyear_week_day", "2020-W33-3", "UTC").unwrap(), "2020-08-12T00:00:00.000Z");
    assert_eq!(run("strict_weekyear", "2020", "UTC").unwrap(), "2019-12-30T00:00:00.000Z");
    assert_eq!(run("week_date", "2012-W48-6", "UTC").unwrap(), "2012-12-01T00:00:00.000Z");
    assert_eq!(run("basic_week_date", "2018W313", "UTC").unwrap(), "2018-08-01T00:00:00.000Z");
    assert_eq!(run("strict_week_date", "2020-W53-5", "UTC").unwrap(), "2021-01-01T00:00:00.000Z");
    let e = run("strict_week_date", "2021-W53-5", "UTC").unwrap_err();
    assert_eq!(
        e.caused_by.unwrap().reason,
        "Text '2021-W53-5' could not be parsed: Invalid value for WeekOfWeekBasedYear (valid values 1 - 52): 53"
    );
    assert_eq!(run("basic_date_time", "20181126T121212.123+10:00", "UTC").unwrap(), "2018-11-26T02:12:12.123Z");
    assert_eq!(run("basic_ordinal_date", "2018363", "UTC").unwrap(), "2018-12-29T00:00:00.000Z");
    assert_eq!(run("date", "10000-5-6", "UTC").unwrap(), "+10000-05-06T00:00:00.000Z");
    assert_eq!(run("year", "-2000", "UTC").unwrap(), "2001-01-01T00:00:00.000Z");
}

#[test]
fn date_zone_id_lookup_is_case_sensitive() {
    assert_eq!(ZoneId::of("utc").unwrap_err().reason, "Unknown time-zone ID: utc");
    assert_eq!(ZoneId::of("europe/paris").unwrap_err().reason, "Unknown time-zone ID: europe/paris");
    assert_eq!(ZoneId::of("US/Eastern").unwrap().id(), "US/Eastern");
    assert_eq!(ZoneId::of("EST").unwrap().id(), "EST");
    assert_eq!(ZoneId::of("UT").unwrap().id(), "UT");
    assert_eq!(ZoneId::of("UTC+0").unwrap().id(), "UTC");
    assert_eq!(ZoneId::of("UTC+5:30").unwrap_err().reason, "Invalid ID for offset-based ZoneId: UTC+5:30");
}

#[test]
fn date_epoch_formats_with_signs_and_fractions() {
    let millis = DateFormatter::for_pattern("epoch_millis").unwrap();
    let seconds = DateFormatter::for_pattern("epoch_second").unwrap();
    for (text, back) in [("-1.5", "-1.5"), ("-0.5", "-0.5"), ("-1", "-1"), ("1.000500", "1.0005"), ("123.", "123")] {
        let zdt = from_accessor(&millis.parse(text).unwrap(), &Locale::root(), &utc()).unwrap();
        assert_eq!(millis.format(&zdt).unwrap(), back, "{text}");
    }
    let zdt = from_accessor(&seconds.parse("-1.25").unwrap(), &Locale::root(), &utc()).unwrap();
    assert_eq!(seconds.format(&zdt).unwrap(), "-1.25");
    assert_eq!(
        DateFormatter::for_pattern(DEFAULT_OUTPUT_FORMAT).unwrap().format(&zdt).unwrap(),
        "1969-12-31T23:59:58.750Z"
    );
    let e = millis.parse("+1").unwrap_err();
    assert_eq!(e.caused_by.unwrap().reason, "Failed to parse with all enclosed parsers");
}

#[test]
fn date_iso_fast_path_errors() {
    // well-formed but impossible dates pass Elasticsearch's fast ISO parser and fail in DateFormatters.from
    let e = run("ISO8601", "2021-02-30T10:00:00Z", "UTC").unwrap_err();
    assert_eq!((e.kind.as_str(), e.reason.as_str()), ("date_time_exception", "Invalid date 'FEBRUARY 30'"));
    let e = run("strict_date_optional_time", "2021-00-10", "UTC").unwrap_err();
    assert_eq!(e.reason, "Invalid value for MonthOfYear (valid values 1 - 12): 0");
    // out of the coarse ranges: no parser accepts it
    let e = run("ISO8601", "2021-13-01", "UTC").unwrap_err();
    assert_eq!(e.reason, "failed to parse date field [2021-13-01] with format [iso8601]");
    assert_eq!(e.caused_by.unwrap().reason, "Failed to parse with all enclosed parsers");
}

#[test]
fn date_iso_fast_parser_extras() {
    // the fast parser takes any ZoneId.of id after the time
    assert_eq!(run("ISO8601", "2021-03-04T10:00:00GMT+1", "UTC").unwrap(), "2021-03-04T09:00:00.000Z");
    assert_eq!(run("ISO8601", "2021-03-04T10:00:00,5+01:00", "UTC").unwrap(), "2021-03-04T09:00:00.500Z");
    assert_eq!(run("ISO8601", "-0001-03-04", "UTC").unwrap(), "0002-03-04T00:00:00.000Z");
    assert_eq!(run("ISO8601", "2021-03-04T", "+02:00").unwrap(), "2021-03-04T00:00:00.000+02:00");
    assert_eq!(
        run("strict_date_optional_time_nanos", "2021-03-04T10:11:12.123456789Z", "UTC").unwrap(),
        "2021-03-04T10:11:12.123Z"
    );
    assert!(run("strict_date_optional_time_nanos", "2021-03-04T10:11", "UTC").is_err());
}

/// Texts around the shapes the date patterns meet: every prefix of some
/// dates, each position replaced by a character that matters somewhere
/// (digits, separators, signs, `Z`, letters, non-ASCII), fractions of every
/// length, offsets and zones, leap seconds, the empty text, and texts on
/// either side of the stack buffer's size (64 bytes, non-ASCII included).
fn parse_inputs() -> Vec<String> {
    let bases = [
        "2022-09-06T13:13:23.6484238Z",
        "2022-09-05T17:46:41Z",
        "2022-09-05T18:10:13.4907658+0100",
        "2018-02-05T13:44:56.657+01:00",
        "-2022-09-05T17:46:41.1-05:30",
        "10/Aug/2018:09:45:56 +0200",
        "2016-12-31T23:59:60Z",
        "Tue, 3 Jun 2008 11:05:30 GMT",
        "2017-04-04 13:43:09 Europe/Paris",
        "1688548995.987654321",
    ];
    let swaps = ['0', '9', '-', ':', '.', ',', 'T', 'Z', '+', ' ', 'a', 'é', '😀'];
    let mut out = vec![String::new()];
    for base in bases {
        let chars: Vec<char> = base.chars().collect();
        for n in 0..=chars.len() {
            out.push(chars[..n].iter().collect());
        }
        for i in 0..chars.len() {
            for c in swaps {
                let mut v = chars.clone();
                v[i] = c;
                out.push(v.into_iter().collect());
            }
        }
    }
    for digits in 0..=11 {
        let fraction = "1234567890a".get(..digits).unwrap();
        let zones = ["", "Z", "z", "+0100", "+01:00", "-0530", "+01", "+1", "+0000", "-00:00", "UTC", "GMT+2", "Europe/Paris"];
        for zone in zones {
            out.push(format!("2022-09-06T13:13:23.{fraction}{zone}"));
            out.push(format!("2022-09-06T13:13:23,{fraction}{zone}"));
        }
    }
    for leap in ["2016-12-31T23:59:60Z", "2016-12-31T23:59:60.9999999+0000", "2016-12-31T24:00:00Z"] {
        out.push(leap.to_string());
    }
    for pad in 55..75 {
        out.push(format!("2022-09-06T13:13:23.1234567Z{}", "0".repeat(pad - 28)));
        out.push(format!("2022-09-06T13:13:23.1234567+0100{}", "é".repeat((pad - 32) / 2)));
        out.push(format!("{}2022-09-06T13:13:23Z", "😀".repeat(pad / 4)));
    }
    out
}

const PARSE_PATTERNS: &[&str] = &[
    "yyyy-MM-dd'T'HH:mm:ss.SSSSSSSZ",
    "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
    "yyyy-MM-dd'T'HH:mm:ss[.SSSSSSSSS]VV",
    "dd/MMM/yyyy:H:m:s Z",
    "EEE, d MMM yyyy HH:mm:ss z",
    "yyyy-MM-dd HH:mm:ss 'at' z",
    "iso8601",
    "strict_date_optional_time",
    "strict_date_optional_time_nanos",
    "epoch_second",
    "yyyy-MM-dd'T'HH:mm:ss.SSSSSSSZ||iso8601",
];

#[test]
fn date_parse_on_the_stack_agrees_with_the_chars_on_the_heap() {
    for text in parse_inputs() {
        let heap: Vec<char> = text.chars().collect();
        assert_eq!(engine::with_chars(&text, |chars| chars.to_vec()), heap, "{text:?}");
        for time_required in [false, true] {
            assert_eq!(
                format!("{:?}", fast_iso::parse(&text, time_required)),
                format!("{:?}", fast_iso::parse_signed(&heap, time_required)),
                "{text:?}"
            );
        }
        for pattern in PARSE_PATTERNS {
            let f = DateFormatter::for_pattern(pattern).unwrap();
            for p in &f.parsers {
                assert_eq!(
                    format!("{:?}", engine::parse_full(&p.elems, &text)),
                    format!("{:?}", engine::parse_full_chars(&p.elems, &heap)),
                    "{pattern} {text:?}"
                );
            }
        }
    }
}

#[test]
fn date_quiet_attempts_agree_with_explained_ones() {
    let zones = [utc(), ZoneId::of("Europe/Amsterdam").unwrap()];
    for text in parse_inputs() {
        for pattern in PARSE_PATTERNS {
            let f = DateFormatter::for_pattern(pattern).unwrap();
            let explained = f.parse(&text);
            assert_eq!(
                format!("{:?}", f.try_parse(&text)),
                format!("{:?}", explained.as_ref().ok()),
                "{pattern} {text:?}"
            );
            if let Err(e) = explained {
                // the explained failure names the text and its first bad index
                assert!(e.reason.contains("failed to parse date field") || text.is_empty(), "{e:?}");
            }
        }
        for format in ["yyyy-MM-dd'T'HH:mm:ss.SSSSSSSZ", "ISO8601", "dd/MMM/yyyy:H:m:s Z", "UNIX"] {
            let compiled = ingest::CompiledFormat::new(format);
            for zone in &zones {
                let quiet = compiled.try_parse(Some(&text), zone, &Locale::root());
                let explained = compiled.parse(Some(&text), zone, &Locale::root()).ok();
                assert_eq!(format!("{quiet:?}"), format!("{explained:?}"), "{format} {text:?}");
            }
        }
    }
}

#[test]
fn date_error_indexes_count_chars_on_both_sides_of_the_stack_buffer() {
    let f = DateFormatter::for_pattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSZ").unwrap();
    let cause = |text: &str| f.parse(text).unwrap_err().caused_by.unwrap().reason;
    assert_eq!(
        cause("2022-09-06T13:13:23.6484238Z"),
        "Text '2022-09-06T13:13:23.6484238Z' could not be parsed at index 27"
    );
    assert_eq!(cause("2022-09-06T13:13:23Z"), "Text '2022-09-06T13:13:23Z' could not be parsed at index 19");
    assert_eq!(cause("2022-09-0é"), "Text '2022-09-0é' could not be parsed at index 8");
    let long = format!("2022-09-06T13:13:23.6484238+0100{}", "é".repeat(40));
    assert_eq!(
        cause(&long),
        format!(
            "Text '{}...' could not be parsed, unparsed text found at index 32",
            long.chars().take(64).collect::<String>()
        )
    );
    assert_eq!(f.parse("").unwrap_err().reason, "cannot parse empty datetime");
}

use crate::xorshift::XorShift as Xorshift;

fn some_zones() -> Vec<ZoneId> {
    ["UTC", "Z", "+01:00", "-05:30", "+14:00", "-18:00", "+05:45:30", "Europe/Amsterdam", "America/New_York", "GMT+2"]
        .iter()
        .map(|id| ZoneId::of(id).unwrap())
        .collect()
}

fn some_instants(rng: &mut Xorshift, count: usize) -> Vec<ZonedDateTime> {
    let zones = some_zones();
    let mut out = Vec::new();
    // years 0, 1, 9999 and 10000 and the ends of days, around the usual ones
    for seconds in [-62_167_219_200i64, -62_135_596_800, 253_402_300_799, 253_402_300_800, 0, 86_399] {
        for zone in &zones {
            out.push(ZonedDateTime::of_instant(seconds, 999_999_999, zone.clone()).unwrap());
        }
    }
    for _ in 0..count {
        let seconds = match rng.below(4) {
            0 => rng.below(4_000_000_000) as i64,
            1 => rng.below(200_000_000_000) as i64 - 100_000_000_000,
            _ => 1_600_000_000 + rng.below(100_000_000) as i64,
        };
        let nanos = match rng.below(4) {
            0 => 0,
            1 => rng.below(1000) as u32 * 1_000_000,
            _ => rng.below(1_000_000_000) as u32,
        };
        let zone = zones[rng.below(zones.len())].clone();
        out.push(ZonedDateTime::of_instant(seconds, nanos, zone).unwrap());
    }
    out
}

#[test]
fn the_default_output_prints_as_its_elements_do() {
    let general = DateFormatter::for_pattern(DEFAULT_OUTPUT_FORMAT).unwrap();
    let mut rng = Xorshift(0x2545_f491_4f6c_dd1d);
    let mut instants = some_instants(&mut rng, 20_000);
    // a leap second as chrono holds it
    let leap = chrono::NaiveTime::from_hms_nano_opt(23, 59, 59, 1_500_000_000).unwrap();
    let local = chrono::NaiveDate::from_ymd_opt(2016, 12, 31).unwrap().and_time(leap);
    instants.push(ZonedDateTime { local, offset: 0, zone: utc() });
    let mut fast_ones = 0;
    for zdt in &instants {
        let mut out = String::new();
        if engine::print_iso_millis_offset(zdt, &mut out) {
            assert_eq!(out, general.format(zdt).unwrap(), "{zdt:?}");
            fast_ones += 1;
        } else {
            assert!(out.is_empty());
        }
    }
    assert!(fast_ones > 19_000);
}

/// The early rejection by length in `CompiledFormat::try_parse` never
/// turns away a text the pattern parses: over many patterns and texts
/// (each pattern's own output, its prefixes, and those with characters
/// added), `try_parse` succeeds exactly when `parse` does, with the same date.
#[test]
fn too_short_for_the_pattern_is_exactly_a_failed_parse() {
    let patterns = [
        "yyyy-MM-dd'T'HH:mm:ss.SSSSSSSZ",
        "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
        "yyyy-MM-dd'T'HH:mm:ssZZZZZ",
        "yyyy-MM-dd HH:mm:ss,SSS",
        "yyyyMMddHHmmss",
        "yyyy-MM-dd'T'HH:mm:ssxxx",
        "yyyy-MM-dd'T'HH:mm:ssX",
        "yyyy-MM-dd'T'HH:mm:ss[.SSS][XXX]",
        "dd/MMM/yyyy:HH:mm:ss Z",
        "EEE, dd MMM yyyy HH:mm:ss z",
        "d/M/yy H:m",
        "uuuu-DDD",
        "yyyy-MM-dd'T'HH:mm:ssZZZZ",
        "HH:mm:ss.n",
        "yyyy-MM-dd'T'HH:mm:ss VV",
        "MM/dd/yyyy hh:mm:ss a",
        "strict_date_optional_time",
        "date_optional_time||epoch_millis",
        "epoch_second",
        "basic_date_time",
    ];
    let mut rng = Xorshift(0x9e37_79b9_7f4a_7c15);
    let instants = some_instants(&mut rng, 300);
    let extras = ["", "Z", "+0000", "+01:00", "-0530", " ", "0", "00", ".1234567", "GMT+2", " UTC", "x"];
    let (zone, locale) = (utc(), Locale::parse("en").unwrap());
    let mut parsed = 0;
    let mut rejected_early = 0;
    for pattern in patterns {
        let format = ingest::CompiledFormat::new(pattern);
        let printer = DateFormatter::for_pattern(pattern).unwrap();
        let mut texts = vec![String::new()];
        for zdt in &instants {
            let Ok(text) = printer.format(zdt) else { continue };
            let chars: Vec<char> = text.chars().collect();
            for end in 0..=chars.len() {
                texts.push(chars[..end].iter().collect());
            }
            for extra in extras {
                texts.push(format!("{text}{extra}"));
            }
        }
        for text in &texts {
            let full = format.parse(Some(text), &zone, &locale);
            let quick = format.try_parse(Some(text), &zone, &locale);
            assert_eq!(quick.as_ref().ok_or(()), full.as_ref().map_err(|_| ()), "{pattern} on {text:?}");
            parsed += usize::from(full.is_ok());
            let shortest = engine::min_parse_chars(&printer.parsers[0].elems);
            rejected_early += usize::from(text.len() < shortest && printer.parsers.len() == 1);
        }
        assert_eq!(format.try_parse(None, &zone, &locale), format.parse(None, &zone, &locale).ok());
    }
    assert!(parsed > 3_000 && rejected_early > 3_000, "{parsed} {rejected_early}");
}
