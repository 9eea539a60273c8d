//! Cases from Elasticsearch's dissect specification tests, DissectParserTests,
//! DissectKeyTests and 200_dissect_processor.yml.

use super::*;

fn ok(pattern: &str, input: &str, sep: &str) -> Vec<(String, String)> {
    DissectParser::new(pattern, sep)
        .unwrap_or_else(|e| panic!("{pattern}: {}", e.reason))
        .parse(input)
        .unwrap_or_else(|e| panic!("{pattern} on {input:?}: {}", e.reason))
        .into_iter()
        .map(|(k, v)| (k.into_owned(), v.as_str().unwrap_or("<null>").to_string()))
        .collect()
}

fn sorted(mut v: Vec<(String, String)>) -> Vec<(String, String)> {
    v.sort();
    v
}

fn kv(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    v.sort();
    v
}

fn fails(pattern: &str, input: &str) -> bool {
    match DissectParser::new(pattern, "") {
        Err(_) => true,
        Ok(p) => p.parse(input).is_err(),
    }
}

#[test]
fn specification_cases() {
    let cases: &[(&str, &str, &str, &[(&str, &str)])] = &[
        (
            "level=%{level} ts=%{timestamp} caller=%{caller} msg=\"%{message}\"",
            "level=info ts=2018-06-27T17:19:13.036579993Z caller=main.go:222 msg=\"Starting OK\" version=\"(version=2.3.1)\"}",
            "",
            &[("caller", "main.go:222"), ("level", "info"), ("message", "Starting OK"), ("timestamp", "2018-06-27T17:19:13.036579993Z")],
        ),
        ("/var/log/%{key}.log", "/var/log/foobar.log", "", &[("key", "foobar")]),
        ("%{key}", "foobar", "", &[("key", "foobar")]),
        ("%{key1} %{key2}", "foo bar", "", &[("key1", "foo"), ("key2", "bar")]),
        ("/var/%{key}/log", "/var/foobar/log", "", &[("key", "foobar")]),
        ("/var/%{key}", "/var/foobar/log", "", &[("key", "foobar/log")]),
        ("/var/%{key}/log/%{key1}", "/var/foobar/log/apache", "", &[("key", "foobar"), ("key1", "apache")]),
        ("/var/%{key}/log/%{key1}.log", "/var/foobar/log/apache.log", "", &[("key", "foobar"), ("key1", "apache")]),
        ("%{+key/3} %{+key/1} %{+key/2}", "1 2 3", "", &[("key", "231")]),
        ("%{+key/3} %{+key/1} %{+key/2}", "1 2 3", "::", &[("key", "2::3::1")]),
        ("%{+key/3} %{+key/1->} %{+key/2}", "1 2              3", "", &[("key", "231")]),
        ("%{key}-%{+key}-%{+key}", "1-2-3", "", &[("key", "123")]),
        ("%{key}-%{+key}-%{+key}", "1-2-3", ",", &[("key", "1,2,3")]),
        ("%{*key} %{&key}", "hello world", "", &[("hello", "world")]),
        ("%{&key} %{*key}", "hello world", "", &[("world", "hello")]),
        ("%{} %{key}", "hello world", "", &[("key", "world")]),
        ("%{?skipme} %{key}", "hello world", "", &[("key", "world")]),
        (
            "%{name},%{addr1},%{addr2},%{addr3},%{city},%{zip}",
            "Jane Doe,4321 Fifth Avenue,,,New York,87432",
            "",
            &[("addr1", "4321 Fifth Avenue"), ("addr2", ""), ("addr3", ""), ("city", "New York"), ("name", "Jane Doe"), ("zip", "87432")],
        ),
        (
            "%{name},%{addr1->},%{city},%{zip}",
            "Jane Doe,4321 Fifth Avenue,,,New York,87432",
            "",
            &[("addr1", "4321 Fifth Avenue"), ("city", "New York"), ("name", "Jane Doe"), ("zip", "87432")],
        ),
        (
            "%{id} %{function->} %{server}",
            "00000043 ViewReceive     machine-321",
            "",
            &[("function", "ViewReceive"), ("id", "00000043"), ("server", "machine-321")],
        ),
        (
            "%{id} %{function} %{server->} ",
            "00000043 ViewReceive machine-321    ",
            "",
            &[("function", "ViewReceive"), ("id", "00000043"), ("server", "machine-321")],
        ),
        (
            "%{id->} %{function} %{server}",
            "00000043    ViewReceive machine-321",
            "",
            &[("function", "ViewReceive"), ("id", "00000043"), ("server", "machine-321")],
        ),
        ("{%{a}}{%{b}} %{rest}", "{c}{d} anything", "", &[("a", "c"), ("b", "d"), ("rest", "anything")]),
        ("%{a}࿏%{b} %{c}", "⟳༒࿏༒⟲ 子", "", &[("a", "⟳༒"), ("b", "༒⟲"), ("c", "子")]),
    ];
    for (pattern, input, sep, expected) in cases {
        assert_eq!(
            sorted(ok(pattern, input, sep)),
            kv(expected),
            "{pattern} on {input:?}"
        );
    }
}

#[test]
fn specification_failures() {
    assert!(fails("/var/log/%{key}.log", "foobar"));
    assert!(fails("/var/log/%{key}.log", "/var/log/foobar"));
    assert!(fails("%{key1} %{key2} %{key3}", "foo bar"));
    assert!(fails("%{key} %{&key}", "hello world"));
    assert!(fails("anything", "anything"));
    assert!(fails("%{some?thing}", "anything"));
}

#[test]
fn rest_test_messages() {
    let c = ok("%{a} %{b} %{c}", "foo bar baz", "");
    assert_eq!(sorted(c), kv(&[("a", "foo"), ("b", "bar"), ("c", "baz")]));
    let e = DissectParser::new("%{a},%{b},%{c}", "")
        .unwrap()
        .parse("foo bar baz")
        .unwrap_err();
    assert_eq!(
        e.reason,
        "Unable to find match for dissect pattern: %{a},%{b},%{c} against source: foo bar baz"
    );
    let e = DissectParser::new("bad pattern", "").unwrap_err();
    assert_eq!(
        e.reason,
        "Unable to parse pattern: bad pattern Reason: Unable to find any keys or delimiters."
    );
}

#[test]
fn key_errors() {
    let e = DissectParser::new("%{+}", "").unwrap_err();
    assert_eq!(
        e.reason,
        "Unable to parse key: + Reason: The key name could not be determined"
    );
    let e = DissectParser::new("%{*a} %{&a} %{*b}", "").unwrap_err();
    assert_eq!(
        e.reason,
        "Unable to parse pattern: %{*a} %{&a} %{*b} Reason: Found invalid key/reference associations: 'b' Please ensure each '*<key>' is matched with a matching '&<key>"
    );
    let e = DissectParser::new("%{*a&}", "").unwrap_err();
    assert_eq!(
        e.reason,
        "Unable to parse key: *a& Reason: multiple modifiers are not allowed."
    );
    assert!(DissectParser::new("%{+a/1/2}", "").is_err());
}

#[test]
fn key_parsing() {
    let k = DissectKey::parse("a->").unwrap();
    assert_eq!(
        (k.name.as_str(), k.skip_right_padding, k.modifier),
        ("a", true, Modifier::None)
    );
    let k = DissectKey::parse("+a/12->").unwrap();
    assert_eq!(
        (
            k.name.as_str(),
            k.append_position,
            k.skip_right_padding,
            k.modifier
        ),
        ("a", 12, true, Modifier::AppendWithOrder)
    );
    let k = DissectKey::parse("?").unwrap();
    assert!(k.skip);
    let k = DissectKey::parse("").unwrap();
    assert!(k.skip);
    let k = DissectKey::parse("->").unwrap();
    assert!(k.skip && k.skip_right_padding);
    let k = DissectKey::parse("&a.b").unwrap();
    assert_eq!((k.name.as_str(), k.modifier), ("a.b", Modifier::FieldValue));
}

#[test]
fn leading_and_trailing_delimiters() {
    assert_eq!(
        ok("[%{a}]", "[x]", ""),
        vec![("a".to_string(), "x".to_string())]
    );
    // The input must be longer than the leading delimiter.
    assert!(fails("abc%{a}", "abc"));
    assert_eq!(
        ok("abc%{a}", "abcd", ""),
        vec![("a".to_string(), "d".to_string())]
    );
    // A trailing delimiter must be found.
    assert!(fails("%{a}.", "x"));
    assert_eq!(
        ok("%{a}.", "x.", ""),
        vec![("a".to_string(), "x".to_string())]
    );
}

#[test]
fn results_come_in_java_hash_map_order() {
    // HashMap<>(3) -> 4 buckets: "c"=99->3, "b"=98->2, "a"=97->1; 3 > 0.75*4 doubles to 8.
    let c = ok("%{c} %{b} %{a}", "1 2 3", "");
    let keys: Vec<&str> = c.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["a", "b", "c"]);
}

#[test]
fn upstream_pipeline_pattern() {
    let c = ok(
        "%{_temp_.to_user_name}@%{_temp_.to_user_domain}",
        "john@example.com",
        "",
    );
    assert_eq!(
        sorted(c),
        kv(&[
            ("_temp_.to_user_domain", "example.com"),
            ("_temp_.to_user_name", "john")
        ])
    );
    assert!(fails(
        "%{_temp_.to_user_name}@%{_temp_.to_user_domain}",
        "nobody"
    ));
}

#[test]
fn odd_inputs_do_not_panic() {
    let patterns = [
        "%{",
        "%{}",
        "%{a",
        "%{a}%",
        "%{a}%%{b}",
        "%{+a/99999}",
        "%{*a}",
        "%{&a}",
        "%{&a} %{&a}",
        "é%{a}",
        "%{a}é",
        "\n%{a}",
        "%{a->}",
        "%{?a} %{?a}",
        "%{a}\u{0}%{b}",
        "%{a} %{a}",
        "%{+a} %{a}",
    ];
    let inputs = [
        "", " ", "é", "éé x", "a b c", "\u{0}", "%{a}", "x\ny", "ab ab ab",
    ];
    for p in patterns {
        if let Ok(parser) = DissectParser::new(p, "-") {
            for i in inputs {
                let _ = parser.parse(i);
            }
        }
    }
}

#[test]
fn append_position_limits() {
    assert_eq!(DissectKey::parse("+a/32767").unwrap().append_position, 32767);
    let e = DissectKey::parse("+a/32768").unwrap_err();
    assert_eq!(e.reason, "Value out of range. Value:\"32768\" Radix:10");
    let e = DissectKey::parse("+a/99999999999").unwrap_err();
    assert_eq!(e.reason, "For input string: \"99999999999\"");
}

/// (pattern, input, separator, expected key/value pairs)
type Case<'a> = (&'a str, &'a str, &'a str, &'a [(&'a str, &'a str)]);

#[test]
fn parser_cases_from_elasticsearch() {
    let cases: &[Case] = &[
        ("%{a} %{b},%{c}", "foo bar,baz", "", &[("a", "foo"), ("b", "bar"), ("c", "baz")]),
        ("%{a->} %{b} %{c}", "foo         bar baz", "", &[("a", "foo"), ("b", "bar"), ("c", "baz")]),
        ("%{a} %{+a} %{+a}", "foo bar baz", "", &[("a", "foobarbaz")]),
        ("%{a} %{+a/2} %{+a/1}", "foo bar baz", "", &[("a", "foobazbar")]),
        ("%{*a} %{b} %{&a}", "foo bar baz", "", &[("foo", "baz"), ("b", "bar")]),
        ("%{a} %{} %{c}", "foo bar baz", "", &[("a", "foo"), ("c", "baz")]),
        ("%{a},%{b},%{c},%{d}", "foo,,,", "", &[("a", "foo"), ("b", ""), ("c", ""), ("d", "")]),
        ("%{a->},%{b}", "foo,,,,,,bar", "", &[("a", "foo"), ("b", "bar")]),
        ("%{a} %{b->} %{c}", "foo bar   baz", "", &[("a", "foo"), ("b", "bar"), ("c", "baz")]),
        ("%{a} %{b} %{+b} %{z}", "foo bar baz quux", " ", &[("a", "foo"), ("b", "bar baz"), ("z", "quux")]),
        ("%{a}------->%{b}", "foo------->bar baz quux", "", &[("a", "foo"), ("b", "bar baz quux")]),
        ("%{a}------->%{}", "foo------->bar baz quux", "", &[("a", "foo")]),
        ("%{a} » %{b}»%{c}€%{d}", "foo » bar»baz€quux", "", &[("a", "foo"), ("b", "bar"), ("c", "baz"), ("d", "quux")]),
        ("%{a} %{b} %{+a}", "foo bar baz quux", " ", &[("a", "foo baz quux"), ("b", "bar")]),
        ("%{+a} %{a} %{+a} %{b}", "December 31 1999 quux", " ", &[("a", "December 31 1999"), ("b", "quux")]),
        ("%{+a/1} %{a} %{+a/2} %{b}", "December 31 1999 quux", " ", &[("a", "31 December 1999"), ("b", "quux")]),
        ("%{+a/2} %{+a/4} %{+a/1} %{+a/3}", "bar quux foo baz", " ", &[("a", "foo bar baz quux")]),
        ("%{+a} %{b}", "foo bar", "", &[("a", "foo"), ("b", "bar")]),
        ("%{+a} %{b} %{+a} %{c}", "foo bar baz quux", " ", &[("a", "foo baz"), ("b", "bar"), ("c", "quux")]),
        ("%{a->}   %{b->}---%{c}", "foo            bar------------baz", "", &[("a", "foo"), ("b", "bar"), ("c", "baz")]),
        ("%{->}-%{a}", "-----666", "", &[("a", "666")]),
        ("%{?skipme->}-%{a}", "-----666", "", &[("a", "666")]),
        (
            "%{a},%{b},%{c},%{d},%{e},%{f}",
            "111,,333,,555,666",
            "",
            &[("a", "111"), ("b", ""), ("c", "333"), ("d", ""), ("e", "555"), ("f", "666")],
        ),
        ("%{a}.࿏.%{b}", "⟳༒.࿏.༒⟲", "", &[("a", "⟳༒"), ("b", "༒⟲")]),
        ("%{a}", "子", "", &[("a", "子")]),
        ("%{a}{\n}%{b}", "aaa{\n}bbb", "", &[("a", "aaa"), ("b", "bbb")]),
        ("/var/%{key1}/log/%{key2}.log", "/var/foo/log/bar.log", "", &[("key1", "foo"), ("key2", "bar")]),
        (
            "%{a->}   %{b}-.-%{c}-%{d}-..-%{e}-%{f}-%{g}-%{h}",
            "foo            bar-.-baz-1111-..-22-333-4444-55555",
            "",
            &[("a", "foo"), ("b", "bar"), ("c", "baz"), ("d", "1111"), ("e", "22"), ("f", "333"), ("g", "4444"), ("h", "55555")],
        ),
        ("%{a}࿏%{+a} %{+a}", "⟳༒࿏༒⟲ 子", "", &[("a", "⟳༒༒⟲子")]),
        ("%{a}࿏%{+a/2} %{+a/1}", "⟳༒࿏༒⟲ 子", "", &[("a", "⟳༒子༒⟲")]),
        ("%{a->}࿏%{b}", "⟳༒࿏࿏࿏࿏࿏༒⟲", "", &[("a", "⟳༒"), ("b", "༒⟲")]),
        ("%{*a}࿏%{&a}", "⟳༒࿏༒⟲", "", &[("⟳༒", "༒⟲")]),
        ("Zürich, the %{adjective} city in Switzerland", "Zürich, the largest city in Switzerland", "", &[("adjective", "largest")]),
        ("%{a} %{b->}", "foo bar the rest", "", &[("a", "foo"), ("b", "bar the rest")]),
        ("%{*a} %{&a}", "foo bar the rest", "", &[("foo", "bar the rest")]),
        ("%{a} %{+a}", "foo bar the rest", " ", &[("a", "foo bar the rest")]),
        ("%{a} %{+a} %{b} %{+b}", "foo bar baz lol", "", &[("a", "foobar"), ("b", "bazlol")]),
        ("%{*a} %{&a} %{c} %{*b} %{&b}", "foo bar x baz lol", "", &[("foo", "bar"), ("baz", "lol"), ("c", "x")]),
        ("%{a} %%{b},%{c}", "foo %bar,baz", "", &[("a", "foo"), ("b", "bar"), ("c", "baz")]),
        ("%{a} %{b},%%{c}", "foo bar,%baz", "", &[("a", "foo"), ("b", "bar"), ("c", "baz")]),
        ("%%{a} %{b},%{c}", "%foo bar,baz", "", &[("a", "foo"), ("b", "bar"), ("c", "baz")]),
        ("%foo %{bar}", "%foo test", "", &[("bar", "test")]),
        ("%{a->} %{+a/2} %{+a/1} %{*b} %{&b}", "foo      bar baz lol x", "", &[("a", "foobazbar"), ("lol", "x")]),
        ("%{->} %{b}", "foo        bar", "", &[("b", "bar")]),
        ("%{->} %{b}", "        bar", "", &[("b", "bar")]),
        ("%{a} %{->}", "foo  bar       ", "", &[("a", "foo")]),
        ("%{?foo->} %{b}", "        bar", "", &[("b", "bar")]),
        ("%{a} %{->?bar}", "foo  bar       ", "", &[("a", "foo")]),
        ("%{a} %{?skipme} %{?skipme}", "foo  bar  baz", "", &[("a", "foo")]),
    ];
    for (pattern, input, sep, expected) in cases {
        assert_eq!(sorted(ok(pattern, input, sep)), kv(expected), "{pattern} on {input:?}");
    }
    for (pattern, input) in [
        ("%{a},%{b}:%{c}", "foo,bar,baz"),
        ("%{a} %{b}%{c} %{d}", "foo bar baz"),
        ("%{a} %{b} %{c}%{d}", "foo bar baz quux"),
        ("MACHINE[%{a}] %{b}", "1234567890 MACHINE[foo] bar"),
        ("%{a} %{b} %{c}", "foo:bar:baz"),
        ("%{*a} %{&a} {a} %{*b} %{&b}", "foo bar x baz lol"),
    ] {
        assert!(fails(pattern, input), "{pattern} on {input:?} should miss");
    }
    for bad in ["%{+/2}", "%{&+a_field}"] {
        assert_eq!(DissectParser::new(bad, "").unwrap_err().kind, "key_parse", "{bad}");
    }
    for bad in ["%{*a} %{a}", "%{a} %{&a}"] {
        assert_eq!(DissectParser::new(bad, "").unwrap_err().kind, "pattern_parse", "{bad}");
    }
}

#[test]
fn consecutive_delimiters_as_elasticsearch_now_treats_them() {
    let cases: &[Case] = &[
        ("%{a}-%{b}", "foo------bar", "", &[("a", "foo"), ("b", "-----bar")]),
        ("%{}|%{}|foo=%{field}", "||foo=bar", "", &[("field", "bar")]),
        ("%{->},%{a}", ",,,,,foo", "", &[("a", "foo")]),
        ("%{a->},%{b}", ",,,,,foo", "", &[("a", ""), ("b", "foo")]),
        ("%{a->},", "foo,,,,,", "", &[("a", "foo")]),
        ("%{a} %{b},", "foo bar,,,,,", "", &[("a", "foo"), ("b", "bar")]),
        ("%{a} %{b->},", "foo bar,,,,,", "", &[("a", "foo"), ("b", "bar")]),
        ("%{a->},%{b}", "foo,,,,,bar", "", &[("a", "foo"), ("b", "bar")]),
        ("%{a->} %{b}", "foo     bar", "", &[("a", "foo"), ("b", "bar")]),
        ("%{a->}x%{b}", "fooxxxxxbar", "", &[("a", "foo"), ("b", "bar")]),
        ("%{a->} xyz%{b}", "foo xyz xyz xyz xyz xyzbar", "", &[("a", "foo"), ("b", "bar")]),
        ("%{a},%{b},%{c},%{d}", "foo,,bar,baz", "", &[("a", "foo"), ("b", ""), ("c", "bar"), ("d", "baz")]),
        ("%{a},%{b},%{c},%{d}", "foo,,,baz", "", &[("a", "foo"), ("b", ""), ("c", ""), ("d", "baz")]),
        ("%{a},%{b},%{c},%{d}", ",bar,,baz", "", &[("a", ""), ("b", "bar"), ("c", ""), ("d", "baz")]),
        ("%{->},%{a->},%{b}", ",,,bar,,baz", "", &[("a", "bar"), ("b", "baz")]),
        ("%{+a/1},%{+a/3}-%{+a/2} %{b}", "foo,bar----baz lol", "", &[("a", "foo---bazbar"), ("b", "lol")]),
        ("%{+a/1},%{+a/3->}-%{+a/2} %{b}", "foo,bar----baz lol", "", &[("a", "foobazbar"), ("b", "lol")]),
        ("%{a->} %{+a->} %{*b->} %{&b->} %{c}", "foo       bar    baz  lol    x", "", &[("a", "foobar"), ("baz", "lol"), ("c", "x")]),
        ("%{a} %{b->} ", "foo bar        ", "", &[("a", "foo"), ("b", "bar")]),
        ("%{a} %{b->}", "foo bar,,,,,,", "", &[("a", "foo"), ("b", "bar,,,,,,")]),
        (",,,%{a} %{b}", ",,,foo bar", "", &[("a", "foo"), ("b", "bar")]),
        (",%{a} %{b}", ",,foo bar", "", &[("a", ",foo"), ("b", "bar")]),
        ("(%{a}) [%{b}] -[%{c}]", "(foo) [] -[bar]", "", &[("a", "foo"), ("b", ""), ("c", "bar")]),
        ("[%{a}] [%{b}]", "[] []", "", &[("a", ""), ("b", "")]),
        (
            "%{timestamp} %{+timestamp} %{+timestamp} %{logsource} %{program}[%{pid}]: %{message}",
            "Mar 16 00:01:25 evita postfix/smtpd[1713]: connect from camomile.cloud9.net[168.100.1.3]",
            " ",
            &[
                ("timestamp", "Mar 16 00:01:25"),
                ("logsource", "evita"),
                ("program", "postfix/smtpd"),
                ("pid", "1713"),
                ("message", "connect from camomile.cloud9.net[168.100.1.3]"),
            ],
        ),
    ];
    for (pattern, input, sep, expected) in cases {
        assert_eq!(sorted(ok(pattern, input, sep)), kv(expected), "{pattern} on {input:?}");
    }
    for (pattern, input) in [
        ("%{a}%{b}", "foo"),
        ("%{a},%{b}", "foo bar"),
        ("%{a}, %{b}", "foo,bar"),
        ("x%{a},%{b}", "foo,bar"),
        ("x%{},%{b}", "foo,bar"),
        ("leading_delimiter_long%{a}", "foo"),
        ("%{a}trailing_delimiter_long", "foo"),
        ("leading_delimiter_long%{a}trailing_delimiter_long", "foo"),
        ("%{a}x", "foo"),
        ("%{a},%{b}x", "foo,bar"),
    ] {
        assert!(fails(pattern, input), "{pattern} on {input:?} should miss");
    }
    for bad in ["", "{}", "%{*a} %{&b}"] {
        assert_eq!(DissectParser::new(bad, "").unwrap_err().kind, "pattern_parse", "{bad}");
    }
    for bad in ["%{*}", "%{++}"] {
        assert_eq!(DissectParser::new(bad, "").unwrap_err().kind, "key_parse", "{bad}");
    }
}

#[test]
fn plain_key_patterns_assemble_as_dissect_match_does() {
    let patterns = [
        "%{a}@%{b}",
        "%{a} %{b} %{a}",
        "%{?x} %{a}",
        "%{} %{a->} %{b}",
        "[%{a}][%{b}][%{c}]",
        "x%{a}y",
        "%{a}",
        "%{a},%{b},%{c},%{d},%{e},%{f},%{g},%{h},%{i},%{j},%{k},%{l},%{m}",
        "%{+a} %{+a}",
        "%{*k} %{&k}",
    ];
    let alphabet = ["a", "@", " ", ",", "[", "]", "x", "y", "é"];
    let mut inputs = vec![String::new()];
    let mut last = inputs.clone();
    for _ in 0..5 {
        last = last.iter().flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}"))).collect();
        inputs.extend(last.iter().cloned());
    }
    inputs.push("a,b,c,d,e,f,g,h,i,j,k,l,m".into());
    inputs.push("a,b,c,d,e,f,g,h,i,j,k,l,m,n".into());
    for pattern in patterns {
        let parser = DissectParser::new(pattern, "-").unwrap();
        let plain = !pattern.contains(['+', '*', '&']);
        assert_eq!(parser.simple_order.is_some(), plain, "{pattern}");
        for input in &inputs {
            let general = parser.assemble(input, &parser.scan(input));
            assert_eq!(parser.try_parse(input), general, "{pattern} on {input:?}");
        }
    }
}

/// A span on character boundaries is taken as it is, one that splits a
/// character is decoded with replacements: either way Java's text.
#[test]
fn span_text_is_the_lossy_decoding_of_the_bytes() {
    let input = "aé€𝄞 b\u{85}";
    for start in 0..=input.len() {
        for end in 0..=input.len() {
            let expected = String::from_utf8_lossy(&input.as_bytes()[start.min(end)..end]).into_owned();
            assert_eq!(span_text(input, start, end), expected, "{start}..{end}");
        }
    }
}
