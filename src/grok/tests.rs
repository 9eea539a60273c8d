//! Cases from Elasticsearch's GrokTests, GrokProcessorTests and 120_grok.yml.

use super::*;

fn s(v: &str) -> String {
    v.to_string()
}

fn compile(pattern: &str) -> Grok {
    Grok::compile(
        &[s(pattern)],
        Vec::<(String, String)>::new(),
        EcsMode::Disabled,
    )
    .unwrap()
}

fn compile_ecs(pattern: &str) -> Grok {
    Grok::compile(&[s(pattern)], Vec::<(String, String)>::new(), EcsMode::V1).unwrap()
}

fn caps(g: &Grok, text: &str) -> Option<Vec<(String, Value)>> {
    g.captures(text).unwrap().map(|m| m.captures)
}

fn get<'a>(c: &'a [(String, Value)], k: &str) -> Option<&'a Value> {
    c.iter().find(|(n, _)| n == k).map(|(_, v)| v)
}

#[test]
fn match_without_captures() {
    let g = compile("value");
    assert_eq!(caps(&g, "value"), Some(vec![]));
    assert_eq!(caps(&g, "prefix_value"), Some(vec![]));
    assert_eq!(caps(&g, "no_match"), None);
}

#[test]
fn typed_captures_from_rest_test() {
    let g = compile("%{NUMBER:val:float} %{NUMBER:status:int} <%{WORD:msg}>");
    let c = caps(&g, "123.42 400 <foo>").unwrap();
    assert_eq!(
        c,
        vec![
            (s("val"), Value::Float(123.42)),
            (s("status"), Value::Int(400)),
            (s("msg"), Value::String(s("foo"))),
        ]
    );
}

#[test]
fn all_types_convert() {
    let g = compile(
        "%{WORD:a:boolean} %{NUMBER:b:long} %{NUMBER:c:double} %{WORD:d:string} %{WORD:e:unknown}",
    );
    let c = caps(&g, "TRUE 12 1.5 x y").unwrap();
    assert_eq!(get(&c, "a"), Some(&Value::Bool(true)));
    assert_eq!(get(&c, "b"), Some(&Value::Long(12)));
    assert_eq!(get(&c, "c"), Some(&Value::Double(1.5)));
    assert_eq!(get(&c, "d"), Some(&Value::String(s("x"))));
    assert_eq!(get(&c, "e"), Some(&Value::String(s("y"))));
    let c = caps(&compile("%{WORD:a:boolean}"), "yes").unwrap();
    assert_eq!(get(&c, "a"), Some(&Value::Bool(false)));
}

#[test]
fn int_conversion_failure_is_number_format_exception() {
    let g = compile("%{WORD:n:int}");
    let e = g.captures("abc").unwrap_err();
    assert_eq!(e.kind, "number_format_exception");
    assert_eq!(e.reason, "For input string: \"abc\"");
    let e = compile("%{NUMBER:n:int}").captures("1.5").unwrap_err();
    assert_eq!(e.reason, "For input string: \"1.5\"");
    let e = compile("(?<n:x:int>\\d+)")
        .captures("99999999999")
        .unwrap_err();
    assert_eq!(e.reason, "For input string: \"99999999999\"");
}

#[test]
fn nil_coerced_values_are_absent() {
    let g = compile("test (N/A|%{BASE10NUM:duration:float}ms)");
    assert_eq!(
        caps(&g, "test 28.4ms").unwrap(),
        vec![(s("duration"), Value::Float(28.4))]
    );
    assert_eq!(caps(&g, "test N/A").unwrap(), vec![]);
}

#[test]
fn repeated_names_collect_into_a_list() {
    let g = Grok::compile(
        &[s("%{SINGLEDIGIT:num}(%{SINGLEDIGIT:num})?")],
        vec![("SINGLEDIGIT", "[0-9]")],
        EcsMode::Disabled,
    )
    .unwrap();
    assert_eq!(
        caps(&g, "1").unwrap(),
        vec![(s("num"), Value::String(s("1")))]
    );
    assert_eq!(
        caps(&g, "42").unwrap(),
        vec![(
            s("num"),
            Value::List(vec![Value::String(s("4")), Value::String(s("2"))])
        )]
    );
}

#[test]
fn same_field_from_different_patterns_collects_in_config_order() {
    let g = compile("%{WORD:a} %{NUMBER:a:int}");
    assert_eq!(
        caps(&g, "x 5").unwrap(),
        vec![(
            s("a"),
            Value::List(vec![Value::String(s("x")), Value::Int(5)])
        )]
    );
}

#[test]
fn oniguruma_named_captures() {
    let g = compile("(?<foo>\\w+)");
    assert_eq!(
        caps(&g, "hello world").unwrap(),
        vec![(s("foo"), Value::String(s("hello")))]
    );
}

#[test]
fn date_pattern_inside_named_group() {
    let g = compile("(?<timestamp>%{DATE_EU} %{TIME})");
    assert_eq!(
        caps(&g, "fancy 12-12-12 12:12:12").unwrap(),
        vec![(s("timestamp"), Value::String(s("12-12-12 12:12:12")))]
    );
}

#[test]
fn iso8601_matches() {
    let g = compile("^%{TIMESTAMP_ISO8601}$");
    for t in [
        "2001-01-01T00:00:00",
        "2010-05-03T08:18:18+00:00",
        "2001-09-05T16:36:36+0000",
        "2001-11-06T20:45:45.123-0000",
    ] {
        assert!(caps(&g, t).is_some(), "{t}");
    }
    for t in [
        "2001-13-01T00:00:00",
        "2001-01-01T25:00:00",
        "2001-01-01T00:61:00",
    ] {
        assert!(caps(&g, t).is_none(), "{t}");
    }
}

#[test]
fn syslog_line_legacy() {
    let line =
        "Mar 16 00:01:25 evita postfix/smtpd[1713]: connect from camomile.cloud9.net[168.100.1.3]";
    let g = compile("%{SYSLOGBASE} %{GREEDYDATA:message}");
    let c = caps(&g, line).unwrap();
    assert_eq!(
        get(&c, "timestamp"),
        Some(&Value::String(s("Mar 16 00:01:25")))
    );
    assert_eq!(get(&c, "logsource"), Some(&Value::String(s("evita"))));
    assert_eq!(get(&c, "program"), Some(&Value::String(s("postfix/smtpd"))));
    assert_eq!(get(&c, "pid"), Some(&Value::String(s("1713"))));
    assert_eq!(
        get(&c, "message"),
        Some(&Value::String(s(
            "connect from camomile.cloud9.net[168.100.1.3]"
        )))
    );
    assert_eq!(get(&c, "facility"), None);
}

#[test]
fn syslog_line_ecs_uses_dotted_names_and_types() {
    let line =
        "Mar 16 00:01:25 evita postfix/smtpd[1713]: connect from camomile.cloud9.net[168.100.1.3]";
    let g = compile_ecs("%{SYSLOGBASE} %{GREEDYDATA:message}");
    let names: Vec<&str> = g
        .capture_configs()
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert!(names.contains(&"log.syslog.facility.code"), "{names:?}");
    let c = caps(&g, line).unwrap();
    assert_eq!(get(&c, "host.hostname"), Some(&Value::String(s("evita"))));
    assert_eq!(
        get(&c, "process.name"),
        Some(&Value::String(s("postfix/smtpd")))
    );
    assert_eq!(get(&c, "process.pid"), Some(&Value::Int(1713)));
}

#[test]
fn bracket_field_references_stay_literal() {
    // Elasticsearch does not read Logstash's [a][b] syntax: the name is kept as is.
    let g = compile("%{WORD:[a][b]}");
    assert_eq!(
        caps(&g, "x").unwrap(),
        vec![(s("[a][b]"), Value::String(s("x")))]
    );
}

#[test]
fn field_name_characters() {
    for name in [
        "@metadata",
        "metädata",
        "metadat[a]",
        "meta-data",
        "meta.data",
        "a1",
        "1a",
        "12",
    ] {
        let g = compile(&format!("%{{WORD:{name}}}"));
        assert_eq!(
            caps(&g, "foo").unwrap(),
            vec![(s(name), Value::String(s("foo")))],
            "{name}"
        );
    }
}

#[test]
fn unsupported_brackets_in_field_name_are_plain_regex() {
    let g = compile("%{WORD:unsuppo(r)ted}");
    assert_eq!(caps(&g, "line"), None);
}

#[test]
fn missing_pattern_error() {
    let e = Grok::compile(
        &[s("%{NOTFOUND}")],
        Vec::<(String, String)>::new(),
        EcsMode::Disabled,
    )
    .unwrap_err();
    assert_eq!(
        e.reason,
        "Unable to find pattern [NOTFOUND] in Grok's pattern dictionary"
    );
}

#[test]
fn invalid_regex_error_is_onigurumas() {
    let e = compile_err("[");
    assert_eq!(e, "premature end of char-class");
}

fn compile_err(p: &str) -> String {
    Grok::compile(&[s(p)], Vec::<(String, String)>::new(), EcsMode::Disabled)
        .unwrap_err()
        .reason
}

#[test]
fn circular_references_are_reported() {
    let bank = |defs: &[(&str, &str)]| {
        PatternBank::new(
            defs.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
        .unwrap_err()
        .reason
    };
    assert_eq!(
        bank(&[("NAME", "!!!%{NAME}!!!")]),
        "circular reference detected: NAME->NAME"
    );
    assert_eq!(
        bank(&[("NAME", "!!!%{NAME:name}!!!")]),
        "circular reference detected: NAME->NAME"
    );
    assert_eq!(
        bank(&[("NAME", "!!!%{NAME:name:int}!!!")]),
        "circular reference detected: NAME->NAME"
    );
    assert_eq!(
        bank(&[("NAME1", "!!!%{NAME2}!!!"), ("NAME2", "!!!%{NAME1}!!!")]),
        "circular reference detected: NAME1->NAME2->NAME1"
    );
    assert_eq!(
        bank(&[
            ("NAME1", "!!!%{NAME2}!!!"),
            ("NAME2", "!!!%{NAME3}!!!"),
            ("NAME3", "!!!%{NAME1}!!!")
        ]),
        "circular reference detected: NAME1->NAME2->NAME3->NAME1"
    );
    assert_eq!(
        bank(&[("NAME1", "!!!%{NAME2}!!!"), ("NAME2", "!!!%{NAME2}!!!")]),
        "circular reference detected: NAME2->NAME2"
    );
    assert_eq!(
        bank(&[("NAME1", "!!!%{NAME2}!!!")]),
        "pattern [NAME1] is referencing a non-existent pattern [NAME2]"
    );
    assert_eq!(
        bank(&[("NAME1", "!!!%{NAME2!!!")]),
        "pattern [!!!%{NAME2!!!] has an invalid syntax"
    );
}

#[test]
fn shared_references_are_not_cycles() {
    let defs = [("A", "%{B}%{C}"), ("B", "%{D}"), ("C", "%{D}"), ("D", "x")];
    assert!(PatternBank::new(
        defs.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    )
    .is_ok());
}

#[test]
fn custom_pattern_overrides_builtin() {
    let g = Grok::compile(
        &[s("<%{NUMBER:msg}>")],
        vec![("NUMBER", "foo")],
        EcsMode::Disabled,
    )
    .unwrap();
    assert_eq!(
        caps(&g, "<foo>").unwrap(),
        vec![(s("msg"), Value::String(s("foo")))]
    );
}

#[test]
fn several_patterns_form_one_alternation() {
    let bank = PatternBank::builtin(EcsMode::Disabled)
        .extend_with(vec![("ONE", "1"), ("TWO", "2")])
        .unwrap();
    let patterns = [s("%{ONE:one}"), s("%{TWO:two}")];
    let g = Grok::with_bank(&bank, &patterns, true).unwrap();
    let m = g.captures("abc2xyz").unwrap().unwrap();
    assert_eq!(m.pattern_index, Some(1));
    assert_eq!(
        m.captures,
        vec![
            (s("_ingest._grok_match_index.1"), Value::String(s("2"))),
            (s("two"), Value::String(s("2")))
        ]
    );
    // The earliest match position wins, whatever the pattern order.
    let m = g.captures("2 then 1").unwrap().unwrap();
    assert_eq!(m.pattern_index, Some(1));
    let g = Grok::with_bank(&bank, &patterns, false).unwrap();
    assert_eq!(g.expression(), "(?:(?<ONE:one>1))|(?:(?<TWO:two>2))");
    assert_eq!(
        caps(&g, "1").unwrap(),
        vec![(s("one"), Value::String(s("1")))]
    );
}

#[test]
fn expansion_matches_elasticsearch() {
    let bank = PatternBank::builtin(EcsMode::Disabled);
    assert_eq!(
        to_regex(&bank, "%{INT}").unwrap(),
        "(?:(?:[+-]?(?:[0-9]+)))"
    );
    assert_eq!(
        to_regex(&bank, "a%{INT:x:int}b").unwrap(),
        "a(?<INT:x:int>(?:[+-]?(?:[0-9]+)))b"
    );
    assert_eq!(
        to_regex(&bank, "%{USER}").unwrap(),
        "(?:(?:[a-zA-Z0-9._-]+))"
    );
}

#[test]
fn upstream_pipeline_patterns() {
    let g = compile("^%{DATA}@%{DATA:source.domain}$");
    assert_eq!(
        caps(&g, "john@example.com").unwrap(),
        vec![(s("source.domain"), Value::String(s("example.com")))]
    );
    assert_eq!(
        caps(&g, "a@b@c").unwrap(),
        vec![(s("source.domain"), Value::String(s("b@c")))]
    );
    assert_eq!(caps(&g, "nobody"), None);
}

#[test]
fn oniguruma_features() {
    // Atomic groups, possessive quantifiers, lookbehind, backreferences.
    assert!(caps(&compile("^(?>a+)b$"), "aaab").is_some());
    assert!(caps(&compile("^a++a$"), "aaaa").is_none());
    assert!(caps(&compile("(?<=x)y"), "xy").is_some());
    let g = compile("(?<w>\\w+) \\k<w>");
    assert_eq!(
        caps(&g, "hey hey").unwrap(),
        vec![(s("w"), Value::String(s("hey")))]
    );
    assert!(caps(&compile("^(a)\\1$"), "aa").is_some());
}

#[test]
fn catastrophic_backtracking_is_interrupted() {
    let g = compile("^(\\w+\\s?)*$");
    let text = format!("{}!", "a".repeat(5000));
    let start = std::time::Instant::now();
    let e = g.captures(&text).unwrap_err();
    assert_eq!(
        e.reason,
        "grok pattern matching was interrupted after [1000] ms"
    );
    assert!(start.elapsed() < std::time::Duration::from_secs(30));
}

#[test]
fn unicode_text_and_offsets() {
    let g = compile("%{WORD:a} %{GREEDYDATA:b}");
    let c = caps(&g, "hello wörld ✓").unwrap();
    assert_eq!(get(&c, "a"), Some(&Value::String(s("hello"))));
    assert_eq!(get(&c, "b"), Some(&Value::String(s("wörld ✓"))));
}

#[test]
fn odd_inputs_do_not_panic() {
    for p in [
        "",
        "%{",
        "%{}",
        "%{WORD",
        "%{WORD:}",
        "%{WORD::}",
        "%{WORD:a:}",
        "(?<a:>x)",
        "(",
        ")",
        "\\",
        "%{WORD=x}",
        "(?<>x)",
        "%{a%{b}",
    ] {
        let r = Grok::compile(&[s(p)], Vec::<(String, String)>::new(), EcsMode::Disabled);
        if let Ok(g) = r {
            let _ = g.captures("");
            let _ = g.captures("abc %{WORD} \u{0}");
        }
    }
}

#[test]
fn java_number_parsing() {
    assert_eq!(parse_java_float(" 1.5 ").unwrap(), 1.5);
    assert_eq!(parse_java_f32("-2.5").unwrap(), -2.5f32);
    // Rounded once to single precision, not through a double.
    assert_eq!(parse_java_f32("1.00000017881393432617187499").unwrap(), 1.0000001f32);
    assert_eq!(parse_java_float("1.5f").unwrap(), 1.5);
    assert!(parse_java_float("-Infinity").unwrap().is_infinite());
    assert!(parse_java_float("NaN").unwrap().is_nan());
    assert_eq!(parse_java_float("").unwrap_err().reason, "empty String");
    assert_eq!(
        parse_java_float("inf").unwrap_err().reason,
        "For input string: \"inf\""
    );
    assert_eq!(parse_java_int("+5"), Some(5));
    assert_eq!(parse_java_int(" 5"), None);
}

#[test]
fn pattern_files_parse() {
    let legacy = PatternBank::builtin(EcsMode::Disabled);
    let ecs = PatternBank::builtin(EcsMode::V1);
    assert_eq!(legacy.get("PATH"), Some("(?:%{UNIXPATH}|%{WINPATH})"));
    assert!(PatternBank::new(legacy.bank.clone()).is_ok());
    assert!(PatternBank::new(ecs.bank.clone()).is_ok());
    // Every built-in pattern compiles on its own.
    for bank in [&legacy, &ecs] {
        for (name, _) in bank.iter() {
            Grok::with_bank(bank, &[format!("%{{{name}}}")], false)
                .unwrap_or_else(|e| panic!("{name}: {}", e.reason));
        }
    }
}

#[test]
fn legacy_bank_has_elasticsearchs_pattern_count() {
    // 120_grok.yml: GET _ingest/processor/grok lists 318 patterns.
    assert_eq!(PatternBank::builtin(EcsMode::Disabled).len(), 318);
    assert_eq!(
        PatternBank::builtin(EcsMode::Disabled).get("PATH"),
        Some("(?:%{UNIXPATH}|%{WINPATH})")
    );
}

#[test]
fn syslog5424_line_in_both_modes() {
    let line = "<191>1 2009-06-30T18:30:00+02:00 paxton.local grokdebug 4123 - [id1 foo=\\\"bar\\\"][id2 baz=\\\"something\\\"] Hello, syslog.";
    let c = caps(&compile("%{SYSLOG5424LINE}"), line).unwrap();
    assert_eq!(get(&c, "syslog5424_pri"), Some(&Value::String(s("191"))));
    assert_eq!(get(&c, "syslog5424_proc"), Some(&Value::String(s("4123"))));
    assert_eq!(get(&c, "syslog5424_msgid"), None);
    assert_eq!(
        get(&c, "syslog5424_msg"),
        Some(&Value::String(s("Hello, syslog.")))
    );
    let c = caps(&compile_ecs("%{SYSLOG5424LINE}"), line).unwrap();
    assert_eq!(get(&c, "log.syslog.priority"), Some(&Value::Int(191)));
    assert_eq!(get(&c, "process.pid"), Some(&Value::Int(4123)));
    assert_eq!(
        get(&c, "process.name"),
        Some(&Value::String(s("grokdebug")))
    );
    assert_eq!(
        get(&c, "host.hostname"),
        Some(&Value::String(s("paxton.local")))
    );
    assert_eq!(
        get(&c, "system.syslog.version"),
        Some(&Value::String(s("1")))
    );
    assert_eq!(get(&c, "event.code"), None);
    assert_eq!(
        get(&c, "system.syslog.structured_data"),
        Some(&Value::String(s(
            "[id1 foo=\\\"bar\\\"][id2 baz=\\\"something\\\"]"
        )))
    );
    assert_eq!(
        get(&c, "message"),
        Some(&Value::String(s("Hello, syslog.")))
    );
}

#[test]
fn combined_apache_log_in_both_modes() {
    let line = r#"83.149.9.216 - - [19/Jul/2015:08:13:42 +0000] "GET /presentations/logstash-monitorama-2013/images/kibana-dashboard3.png HTTP/1.1" 200 171717 "http://semicomplete.com/presentations/logstash-monitorama-2013/" "Mozilla/5.0 (Macintosh)""#;
    let c = caps(&compile("%{COMBINEDAPACHELOG}"), line).unwrap();
    assert_eq!(get(&c, "clientip"), Some(&Value::String(s("83.149.9.216"))));
    assert_eq!(get(&c, "verb"), Some(&Value::String(s("GET"))));
    assert_eq!(get(&c, "response"), Some(&Value::String(s("200"))));
    assert_eq!(
        get(&c, "referrer"),
        Some(&Value::String(s(
            "\"http://semicomplete.com/presentations/logstash-monitorama-2013/\""
        )))
    );
    let c = caps(&compile_ecs("%{COMBINEDAPACHELOG}"), line).unwrap();
    assert_eq!(
        get(&c, "source.address"),
        Some(&Value::String(s("83.149.9.216")))
    );
    assert_eq!(
        get(&c, "http.request.method"),
        Some(&Value::String(s("GET")))
    );
    assert_eq!(get(&c, "http.response.status_code"), Some(&Value::Int(200)));
    assert_eq!(
        get(&c, "http.response.body.bytes"),
        Some(&Value::Int(171717))
    );
    assert_eq!(
        get(&c, "user_agent.original"),
        Some(&Value::String(s("Mozilla/5.0 (Macintosh)")))
    );
    assert_eq!(
        get(&c, "timestamp"),
        Some(&Value::String(s("19/Jul/2015:08:13:42 +0000")))
    );
}

#[test]
fn ecs_bank_loads_every_file() {
    let ecs = PatternBank::builtin(EcsMode::V1);
    for name in [
        "S3_ACCESS_LOG",
        "BACULA_LOG",
        "BIND9",
        "BRO_CONN",
        "EXIM",
        "CISCOFW106001",
        "HAPROXYHTTP",
        "HTTPD_COMBINEDLOG",
        "CATALINA8_LOG",
        "RT_FLOW1",
        "SYSLOG5424LINE",
        "MAVEN_VERSION",
        "MCOLLECTIVE",
        "MONGO3_LOG",
        "NAGIOSLOGLINE",
        "POSTGRESQL",
        "RAILS3",
        "REDISMONLOG",
        "RUBY_LOGGER",
        "SQUID3",
        "ZEEK_CONN",
    ] {
        assert!(ecs.get(name).is_some(), "{name}");
    }
    let field_reference = regex::Regex::new(r"%\{\w+:\[").unwrap();
    assert!(
        ecs.iter().all(|(_, v)| !field_reference.is_match(v)),
        "no Logstash field references left"
    );
}

#[test]
fn shorthand_classes_are_ascii_like_jonis_ruby_syntax() {
    assert_eq!(
        ascii_range_shorthands(r"\w+\s\d"),
        r"[a-zA-Z0-9_]+[\t\n\v\f\r ][0-9]"
    );
    assert_eq!(
        ascii_range_shorthands(r"[\w.-]\W\S\D"),
        r"[a-zA-Z0-9_.-][^a-zA-Z0-9_][^\t\n\v\f\r ][^0-9]"
    );
    assert_eq!(ascii_range_shorthands(r"[^\W]"), r"[^[^a-zA-Z0-9_]]");
    assert_eq!(
        ascii_range_shorthands(r"\\w[]\w][[:alpha:]\d]\b\h"),
        r"\\w[]a-zA-Z0-9_][[:alpha:]0-9]\b\h"
    );
    // \w is ASCII but \b sees Unicode letters: no WORD inside "héllo".
    assert_eq!(caps(&compile("%{WORD:w}"), "héllo"), None);
    assert_eq!(
        caps(&compile("%{WORD:w}"), "ab héllo").unwrap(),
        vec![(s("w"), Value::String(s("ab")))]
    );
    // POSIX brackets stay Unicode.
    assert_eq!(
        caps(&compile("(?<w>[[:alpha:]]+)"), "héllo").unwrap(),
        vec![(s("w"), Value::String(s("héllo")))]
    );
    // \s is ASCII: a no-break space is not a space.
    assert_eq!(
        caps(&compile("^%{NOTSPACE:a}$"), "a\u{a0}b").unwrap(),
        vec![(s("a"), Value::String(s("a\u{a0}b")))]
    );
    // \d is ASCII.
    assert_eq!(caps(&compile("^(?<d>\\d+)$"), "١٢"), None);
}

#[test]
fn lazy_splits_capture_what_oniguruma_captures() {
    let shapes = [
        "^%{DATA}@%{DATA:domain}$",
        "^%{DATA:user}@%{DATA:domain}$",
        r"^%{DATA:a}@%{DATA:b}\.%{DATA:c}$",
        "^x%{DATA:a}--%{DATA:a}$",
        "^%{DATA:a}aa%{DATA:b}$",
        "^é%{DATA:a} :%{DATA:n:int}$",
        "^%{DATA:a}@%{DATA}@%{DATA:c}$",
    ];
    let others = [
        "%{DATA:a}@%{DATA:b}",
        "^%{DATA:a}%{DATA:b}$",
        "^%{DATA:a}@%{GREEDYDATA:b}$",
        "^%{DATA:a}@$",
        "^%{DATA:a}[@]%{DATA:b}$",
    ];
    let alphabet = ["a", "b", "@", ".", "-", "aa", " ", ":", "é", "1", "x", "\n", "\r", "\u{2028}"];
    let mut texts = vec![String::new()];
    let mut last = texts.clone();
    for _ in 0..4 {
        last = last.iter().flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}"))).collect();
        texts.extend(last.iter().cloned());
    }
    texts.push("a".repeat(2000));
    texts.push(format!("{}@{}", "b".repeat(999), "c"));
    texts.push("x1--2".into());
    texts.push("é1 :22".into());
    // Line terminators and other characters whose UTF-8 starts like theirs.
    for odd in ["\u{85}", "\u{2029}", "\u{a0}", "€", "\u{2027}"] {
        texts.push(format!("a{odd}@b"));
        texts.push(format!("a@b{odd}"));
        texts.push(format!("{odd}a@b.c"));
    }
    for pattern in shapes.iter().chain(&others) {
        let g = compile(pattern);
        assert_eq!(g.lazy_split.is_some(), shapes.contains(pattern), "{pattern} is recognised: {}", g.expression());
        for text in &texts {
            let fast = format!("{:?}", g.captures(text));
            let general = format!("{:?}", g.captures_by_oniguruma(text));
            assert_eq!(fast, general, "{pattern} on {text:?}");
        }
    }
}
