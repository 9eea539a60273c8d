//! The user agent parser behind the `user_agent` processor: Elasticsearch's
//! regex database (`regexes.yml`, from ua-parser/uap-core) and its device
//! type database (`device_type_regexes.yml`), read the way Elasticsearch's
//! ingest-user-agent module reads them.
//!
//! A database is a list of patterns per section (user agent, operating
//! system, device); the first pattern that matches wins. A pattern's name
//! replacement may hold `$1`, replaced (first occurrence only) by the first
//! group; version replacements are taken literally. A pattern whose name
//! comes out null does not count as a match and the search goes on.
//!
//! Patterns are Java regular expressions, translated by
//! [`crate::processors::java_regex`] and compiled once, at first use.

use crate::processors::java_regex;
use fancy_regex::Regex;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// Elasticsearch's `modules/ingest-user-agent/src/main/resources/regexes.yml`.
const REGEXES: &str = include_str!("regexes.yml");
/// Elasticsearch's `modules/ingest-user-agent/src/main/resources/device_type_regexes.yml`.
const DEVICE_TYPE_REGEXES: &str = include_str!("device_type_regexes.yml");

/// The directory of custom regex files, standing for Elasticsearch's
/// `config/ingest-user-agent`.
pub const DIR_ENV: &str = "INGOT_USER_AGENT_DIR";

/// The name `regex_file` defaults to: the built-in database.
pub const DEFAULT_PARSER_NAME: &str = "_default_";

/// A name with up to four version parts, as one pattern extracted it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VersionedName {
    pub name: String,
    pub major: Option<String>,
    pub minor: Option<String>,
    pub patch: Option<String>,
    pub build: Option<String>,
}

impl VersionedName {
    /// `major.minor.patch.build`, stopping at the first part missing;
    /// `None` without a major.
    pub fn version(&self) -> Option<String> {
        let mut out = self.major.clone()?;
        for part in [&self.minor, &self.patch, &self.build] {
            match part {
                Some(p) => {
                    out.push('.');
                    out.push_str(p);
                }
                None => break,
            }
        }
        Some(out)
    }
}

/// What one user agent string parses to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Details {
    pub user_agent: Option<VersionedName>,
    pub os: Option<VersionedName>,
    pub device: Option<VersionedName>,
    /// Only when device types were asked for.
    pub device_type: Option<String>,
}

/// A pattern compiled at first use.
#[derive(Debug)]
struct LazyRegex {
    source: String,
    case_insensitive: bool,
    compiled: OnceLock<Result<Regex, String>>,
}

impl LazyRegex {
    fn new(source: String, case_insensitive: bool) -> LazyRegex {
        LazyRegex { source, case_insensitive, compiled: OnceLock::new() }
    }

    fn get(&self) -> Result<&Regex, String> {
        self.compiled
            .get_or_init(|| {
                let source = if self.case_insensitive {
                    format!("(?i){}", self.source)
                } else {
                    self.source.clone()
                };
                java_regex::compile(&source).map_err(|e| format!("invalid pattern [{}]: {e}", self.source))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The groups of the first match (`Matcher.find`): index 0 is unused;
    /// `None` when the pattern does not match. A pattern the engine gives up
    /// on (backtracking limit) counts as not matching.
    fn find(&self, text: &str) -> Result<Option<Vec<Option<String>>>, String> {
        let re = self.get()?;
        match re.captures(text) {
            Ok(Some(caps)) => {
                Ok(Some((0..caps.len()).map(|i| caps.get(i).map(|m| m.as_str().to_string())).collect()))
            }
            Ok(None) => Ok(None),
            Err(e) => Err(format!("pattern [{}] failed: {e}", self.source)),
        }
    }
}

/// `$1` in a name replacement, replaced by the first group when it took
/// part in the match; otherwise the replacement as written.
fn replace_name(replacement: &str, groups: &[Option<String>]) -> String {
    match groups.get(1) {
        Some(Some(g1)) if replacement.contains("$1") => replacement.replacen("$1", g1, 1),
        _ => replacement.to_string(),
    }
}

/// One entry of a section: a pattern and its replacements.
#[derive(Debug)]
struct SubPattern {
    regex: LazyRegex,
    name: Option<String>,
    versions: [Option<String>; 4],
}

impl SubPattern {
    fn matches(&self, text: &str) -> Result<Option<VersionedName>, String> {
        let Some(groups) = self.regex.find(text)? else { return Ok(None) };
        let group = |i: usize| groups.get(i).cloned().flatten();
        let name = match &self.name {
            Some(r) => Some(replace_name(r, &groups)),
            None => group(1),
        };
        let version = |i: usize| self.versions[i].clone().or_else(|| group(i + 2));
        Ok(name.map(|name| VersionedName {
            name,
            major: version(0),
            minor: version(1),
            patch: version(2),
            build: version(3),
        }))
    }
}

fn find_match(patterns: &[SubPattern], text: &str) -> Result<Option<VersionedName>, String> {
    for p in patterns {
        if let Some(found) = p.matches(text)? {
            return Ok(Some(found));
        }
    }
    Ok(None)
}

/// A regex file's sections.
#[derive(Debug)]
pub struct Parser {
    user_agent: Vec<SubPattern>,
    os: Vec<SubPattern>,
    device: Vec<SubPattern>,
}

/// A YAML scalar as Jackson's `getText` gives it.
fn scalar_text(v: &serde_yaml_ng::Value) -> Result<String, String> {
    use serde_yaml_ng::Value as Y;
    match v {
        Y::String(s) => Ok(s.clone()),
        Y::Number(n) => Ok(n.to_string()),
        Y::Bool(b) => Ok(b.to_string()),
        Y::Null => Ok("null".into()),
        _ => Err("malformed regular expression file, expecting a scalar value".into()),
    }
}

/// `readParserConfigurations`: a non-empty list of string maps.
fn read_entries(v: &serde_yaml_ng::Value) -> Result<Vec<HashMap<String, String>>, String> {
    let list = v
        .as_sequence()
        .ok_or("malformed regular expression file, should continue with 'array' after 'object'")?;
    if list.is_empty() {
        return Err("malformed regular expression file, expecting 'object'".into());
    }
    let mut out = Vec::with_capacity(list.len());
    for entry in list {
        let map = entry.as_mapping().ok_or("malformed regular expression file, expecting 'object'")?;
        if map.is_empty() {
            return Err("malformed regular expression file, should continue with 'field_name' after 'array'".into());
        }
        let mut fields = HashMap::new();
        for (k, v) in map {
            fields.insert(scalar_text(k)?, scalar_text(v)?);
        }
        out.push(fields);
    }
    Ok(out)
}

fn parse_yaml(text: &str) -> Result<serde_yaml_ng::Mapping, String> {
    match serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text) {
        Ok(serde_yaml_ng::Value::Mapping(m)) => Ok(m),
        Ok(_) => Ok(serde_yaml_ng::Mapping::new()),
        Err(e) => Err(format!("error parsing regular expression file: {e}")),
    }
}

impl Parser {
    /// Reads a regex file (`user_agent_parsers`, `os_parsers`,
    /// `device_parsers`); at least one section must hold a pattern.
    pub fn from_yaml(text: &str) -> Result<Parser, String> {
        let top = parse_yaml(text)?;
        let mut parser = Parser { user_agent: Vec::new(), os: Vec::new(), device: Vec::new() };
        for (key, value) in &top {
            let (target, names): (&mut Vec<SubPattern>, [&str; 5]) = match key.as_str() {
                Some("user_agent_parsers") => (
                    &mut parser.user_agent,
                    ["family_replacement", "v1_replacement", "v2_replacement", "v3_replacement", "v4_replacement"],
                ),
                Some("os_parsers") => (
                    &mut parser.os,
                    [
                        "os_replacement",
                        "os_v1_replacement",
                        "os_v2_replacement",
                        "os_v3_replacement",
                        "os_v4_replacement",
                    ],
                ),
                Some("device_parsers") => (&mut parser.device, ["device_replacement", "", "", "", ""]),
                _ => continue,
            };
            for mut fields in read_entries(value)? {
                let regex = fields.remove("regex").ok_or("malformed regular expression file, a pattern has no regex")?;
                let case_insensitive = fields.get("regex_flag").is_some_and(|f| f == "i");
                let mut take = |k: &str| if k.is_empty() { None } else { fields.remove(k) };
                let name = take(names[0]);
                let versions = [take(names[1]), take(names[2]), take(names[3]), take(names[4])];
                target.push(SubPattern { regex: LazyRegex::new(regex, case_insensitive), name, versions });
            }
        }
        if parser.user_agent.is_empty() && parser.os.is_empty() && parser.device.is_empty() {
            return Err("not a valid regular expression file".into());
        }
        Ok(parser)
    }

    /// Compiles every pattern now, reporting the first that Java would
    /// have refused at startup.
    pub fn compile_all(&self) -> Result<(), String> {
        for p in self.user_agent.iter().chain(&self.os).chain(&self.device) {
            p.regex.get()?;
        }
        Ok(())
    }

    /// The number of patterns per section: user agent, os, device.
    pub fn counts(&self) -> (usize, usize, usize) {
        (self.user_agent.len(), self.os.len(), self.device.len())
    }

    pub fn parse(&self, agent: &str, extract_device_type: bool) -> Result<Details, String> {
        let user_agent = find_match(&self.user_agent, agent)?;
        let os = find_match(&self.os, agent)?;
        let device = find_match(&self.device, agent)?;
        let device_type = if extract_device_type {
            Some(device_types()?.find(agent, user_agent.as_ref(), os.as_ref(), device.as_ref())?)
        } else {
            None
        };
        Ok(Details { user_agent, os, device, device_type })
    }
}

/// One device type pattern and the type it gives.
#[derive(Debug)]
struct TypePattern {
    regex: LazyRegex,
    replacement: Option<String>,
}

fn find_type(patterns: &[TypePattern], text: &str) -> Result<Option<String>, String> {
    for p in patterns {
        if let Some(groups) = p.regex.find(text)? {
            if let Some(r) = &p.replacement {
                return Ok(Some(replace_name(r, &groups)));
            }
        }
    }
    Ok(None)
}

/// `device_type_regexes.yml`: device types from the agent string, then from
/// the parsed os, browser and device names.
#[derive(Debug)]
pub struct DeviceTypeParser {
    os: Vec<TypePattern>,
    browser: Vec<TypePattern>,
    device: Vec<TypePattern>,
    agent_string: Vec<TypePattern>,
}

impl DeviceTypeParser {
    pub fn from_yaml(text: &str) -> Result<DeviceTypeParser, String> {
        let top = parse_yaml(text)?;
        let mut sections: HashMap<&str, Vec<TypePattern>> = HashMap::new();
        for (key, value) in &top {
            let Some(name) = key.as_str() else { continue };
            let Some(&name) =
                ["os_parsers", "browser_parsers", "device_parsers", "agent_string_parsers"].iter().find(|&&n| n == name)
            else {
                continue;
            };
            let mut patterns = Vec::new();
            for mut fields in read_entries(value)? {
                let regex = fields.remove("regex").ok_or("malformed regular expression file, a pattern has no regex")?;
                patterns.push(TypePattern { regex: LazyRegex::new(regex, false), replacement: fields.remove("replacement") });
            }
            sections.insert(name, patterns);
        }
        let mut take = |k: &str| sections.remove(k).ok_or_else(|| "not a valid regular expression file".to_string());
        Ok(DeviceTypeParser {
            os: take("os_parsers")?,
            browser: take("browser_parsers")?,
            device: take("device_parsers")?,
            agent_string: take("agent_string_parsers")?,
        })
    }

    pub fn find(
        &self,
        agent: &str,
        user_agent: Option<&VersionedName>,
        os: Option<&VersionedName>,
        device: Option<&VersionedName>,
    ) -> Result<String, String> {
        if let Some(t) = find_type(&self.agent_string, agent)? {
            return Ok(t);
        }
        let mut found = Vec::new();
        for (patterns, name) in [(&self.os, os), (&self.browser, user_agent), (&self.device, device)] {
            if let Some(n) = name {
                if let Some(t) = find_type(patterns, &n.name)? {
                    found.push(t);
                }
            }
        }
        for t in ["Robot", "Tablet", "Phone", "Desktop"] {
            if found.iter().any(|f| f == t) {
                return Ok(t.to_string());
            }
        }
        Ok("Other".to_string())
    }
}

fn device_types() -> Result<&'static DeviceTypeParser, String> {
    static PARSER: OnceLock<Result<DeviceTypeParser, String>> = OnceLock::new();
    PARSER.get_or_init(|| DeviceTypeParser::from_yaml(DEVICE_TYPE_REGEXES)).as_ref().map_err(Clone::clone)
}

/// The built-in database, read at first use.
pub fn default_parser() -> Result<Arc<Parser>, String> {
    static PARSER: OnceLock<Result<Arc<Parser>, String>> = OnceLock::new();
    PARSER.get_or_init(|| Parser::from_yaml(REGEXES).map(Arc::new)).clone()
}

/// The parser `regex_file` names: the built-in one for `_default_`, else a
/// `.yml` file in the [`DIR_ENV`] directory, read once per path. As in
/// Elasticsearch, only regular `*.yml` files directly in that directory
/// count, and a file that fails to load is refused.
pub fn parser_for(regex_file: &str) -> Result<Arc<Parser>, String> {
    if regex_file == DEFAULT_PARSER_NAME {
        return default_parser();
    }
    let missing = || format!("regex file [{regex_file}] doesn't exist (has to exist at node startup)");
    let Some(dir) = std::env::var_os(DIR_ENV) else {
        return Err(format!("{} (no custom regex directory: set {DIR_ENV})", missing()));
    };
    let path = Path::new(&dir).join(regex_file);
    let valid_name = !regex_file.contains('/') && !regex_file.contains('\\') && regex_file.ends_with(".yml");
    if !valid_name || !path.is_file() {
        return Err(format!("{} (looked in {DIR_ENV} [{}])", missing(), Path::new(&dir).display()));
    }
    load_custom(&path).map_err(|e| format!("regex file [{regex_file}] in [{}] failed to load: {e}", path.display()))
}

fn load_custom(path: &Path) -> Result<Arc<Parser>, String> {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, Arc<Parser>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(p) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(path) {
        return Ok(p.clone());
    }
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let parser = Parser::from_yaml(&text)?;
    parser.compile_all()?;
    let parser = Arc::new(parser);
    cache.lock().unwrap_or_else(|e| e.into_inner()).insert(path.to_path_buf(), parser.clone());
    Ok(parser)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(agent: &str) -> Details {
        default_parser().unwrap().parse(agent, true).unwrap()
    }

    #[test]
    fn the_databases_load_and_every_pattern_compiles() {
        let start = std::time::Instant::now();
        let parser = default_parser().unwrap();
        let loaded = start.elapsed();
        parser.compile_all().unwrap();
        let types = device_types().unwrap();
        for p in types.os.iter().chain(&types.browser).chain(&types.device).chain(&types.agent_string) {
            p.regex.get().unwrap();
        }
        // For the record (no timed assertion): reading the database, then
        // compiling all of it.
        eprintln!("user agent database: read in {loaded:?}, compiled in {:?}", start.elapsed() - loaded);
        let (ua, os, device) = parser.counts();
        assert!(ua > 250 && os > 100 && device > 300, "{ua} {os} {device}");
    }

    #[test]
    fn versions_join_until_the_first_missing_part() {
        let v = |parts: [Option<&str>; 4]| {
            let [major, minor, patch, build] = parts.map(|p| p.map(str::to_string));
            VersionedName { name: "x".into(), major, minor, patch, build }.version()
        };
        assert_eq!(v([Some("1"), Some("2"), None, Some("4")]), Some("1.2".into()));
        assert_eq!(v([Some("1"), Some(""), Some("3"), Some("4")]), Some("1..3.4".into()));
        assert_eq!(v([None, Some("2"), None, None]), None);
    }

    #[test]
    fn name_replacement_takes_the_first_group_once() {
        let groups = vec![None, Some("A".to_string())];
        assert_eq!(replace_name("$1 $1", &groups), "A $1");
        assert_eq!(replace_name("$1", &[None, None]), "$1");
        assert_eq!(replace_name("X $2", &groups), "X $2");
    }

    #[test]
    fn a_null_name_is_no_match_and_the_search_goes_on() {
        let p = Parser::from_yaml(
            "user_agent_parsers:\n  - regex: 'a(b)?'\n  - regex: '(a)(c)?'\n    v2_replacement: '9'\n",
        )
        .unwrap();
        let d = p.parse("ax", false).unwrap();
        assert_eq!(
            d.user_agent,
            Some(VersionedName { name: "a".into(), major: None, minor: Some("9".into()), ..Default::default() })
        );
    }

    #[test]
    fn malformed_files_are_refused() {
        assert_eq!(Parser::from_yaml("foo: 1\n").unwrap_err(), "not a valid regular expression file");
        assert_eq!(
            Parser::from_yaml("os_parsers: 1\n").unwrap_err(),
            "malformed regular expression file, should continue with 'array' after 'object'"
        );
        assert_eq!(
            Parser::from_yaml("os_parsers: []\n").unwrap_err(),
            "malformed regular expression file, expecting 'object'"
        );
        assert!(Parser::from_yaml("os_parsers: [").unwrap_err().starts_with("error parsing regular expression file"));
    }

    #[test]
    fn elasticsearch_test_agents() {
        let d = parse("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_2) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/33.0.1750.149 Safari/537.36");
        let ua = d.user_agent.unwrap();
        assert_eq!((ua.name.as_str(), ua.version()), ("Chrome", Some("33.0.1750.149".into())));
        let os = d.os.unwrap();
        assert_eq!((os.name.as_str(), os.version()), ("Mac OS X", Some("10.9.2".into())));
        assert_eq!(d.device.unwrap().name, "Mac");
        assert_eq!(d.device_type.as_deref(), Some("Desktop"));

        let d = parse("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/87.0.4280.141 Safari/537.36");
        assert_eq!(d.user_agent.unwrap().version(), Some("87.0.4280.141".into()));
        let os = d.os.unwrap();
        assert_eq!((os.name.as_str(), os.version()), ("Windows", Some("10".into())));
        assert_eq!(d.device, None);
        assert_eq!(d.device_type.as_deref(), Some("Desktop"));

        let d = parse("Mozilla/5.0 (Linux; U; Android 3.0; en-us; Xoom Build/HRI39) AppleWebKit/525.10+ (KHTML, like Gecko) Version/3.0.4 Mobile Safari/523.12.2");
        let ua = d.user_agent.unwrap();
        assert_eq!((ua.name.as_str(), ua.version()), ("Android", Some("3.0".into())));
        let os = d.os.unwrap();
        assert_eq!((os.name.as_str(), os.version()), ("Android", Some("3.0".into())));
        assert_eq!(d.device.unwrap().name, "Motorola Xoom");
        assert_eq!(d.device_type.as_deref(), Some("Phone"));

        let d = parse("Mozilla/5.0 (compatible; EasouSpider; +http://www.easou.com/search/spider.html)");
        let ua = d.user_agent.unwrap();
        assert_eq!((ua.name.as_str(), ua.version()), ("EasouSpider", None));
        assert_eq!(d.os, None);
        assert_eq!(d.device.unwrap().name, "Spider");
        assert_eq!(d.device_type.as_deref(), Some("Robot"));

        let d = parse("Mozilla/5.0 (iPad; CPU OS 12_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.1 Mobile/15E148 Safari/604.1");
        let ua = d.user_agent.unwrap();
        assert_eq!((ua.name.as_str(), ua.version()), ("Mobile Safari", Some("12.1".into())));
        let os = d.os.unwrap();
        assert_eq!((os.name.as_str(), os.version()), ("iOS", Some("12.2".into())));
        assert_eq!(d.device.unwrap().name, "iPad");
        assert_eq!(d.device_type.as_deref(), Some("Tablet"));

        let d = parse("Something I made up v42.0.1");
        assert_eq!((d.user_agent, d.os, d.device), (None, None, None));
        assert_eq!(d.device_type.as_deref(), Some("Other"));
    }

    #[test]
    fn odd_strings_do_not_panic() {
        let parser = default_parser().unwrap();
        let long = "Mozilla/5.0 ".repeat(300);
        let odd = [
            "", " ", "\n", "\u{0}", "é", "日本語 Bot/1.0", "(((((((", "Mozilla/5.0 (", "/////", "\\", "$1",
            "Android ; Build/", "iPhone; CPU iPhone OS", "Windows NT", "bot bot bot", long.as_str(),
            "\u{2028}Chrome/1.2.3.4\r\n", "Opera/9.80 (X11; Linux x86_64) Presto Version/", "\u{FFFF}MSIE 6.0;",
        ];
        for s in odd {
            let _ = parser.parse(s, true);
        }
    }
}
