//! `registered_domain`: splits a domain name into registered domain,
//! top-level domain and subdomain, using the public suffix list.
//!
//! Elasticsearch uses Apache HttpClient's `PublicSuffixMatcher` with the list
//! bundled in its jar. Its `getDomainRoot` differs from the usual algorithm
//! in ways that show in the output, and we follow it: a name under a
//! *private* suffix (`foo.blogspot.com`) has that suffix as its root, and a
//! name whose last label is no known suffix (`foo.bar.baz`) has none. The
//! rules come from the `psl` crate's embedded list, which may be newer than
//! HttpClient's copy for recently added suffixes.

use super::{Example, Flow, OptionKind, OptionSpec, Options, Processor, ProcessorSpec};
use crate::document::{FieldPath, IngestDocument};
use crate::error::EsError;
use crate::pipeline::{BuildContext, RunContext};
use crate::value::Value;
use std::collections::HashMap;
use std::sync::Mutex;

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "registered_domain",
    description: "Extracts the registered domain (effective second-level domain), sub-domain, and top-level domain \
                  from a fully qualified domain name, using the Mozilla public suffix list.",
    options: &[
        OptionSpec::required("field", OptionKind::String, "Field containing the source FQDN."),
        OptionSpec::optional(
            "target_field",
            OptionKind::String,
            "Object field containing the extracted domain components; empty writes them at the root.",
        )
        .default(""),
        OptionSpec::optional(
            "ignore_missing",
            OptionKind::Bool,
            "Do nothing when the field is missing or null, or the name has no known suffix.",
        )
        .default("true"),
    ],
    examples: &[
        Example {
            title: "a name with a subdomain",
            config: r#"{"field": "fqdn", "target_field": "url"}"#,
            input: r#"{"fqdn": "www.example.ac.uk"}"#,
            output: Ok(r#"{"fqdn": "www.example.ac.uk", "url": {"domain": "www.example.ac.uk",
                "registered_domain": "example.ac.uk", "top_level_domain": "ac.uk", "subdomain": "www"}}"#),
        },
        Example {
            title: "no target_field writes at the root",
            config: r#"{"field": "fqdn"}"#,
            input: r#"{"fqdn": "contoso.com"}"#,
            output: Ok(r#"{"fqdn": "contoso.com", "domain": "contoso.com", "registered_domain": "contoso.com",
                "top_level_domain": "com"}"#),
        },
        Example {
            title: "a public suffix alone",
            config: r#"{"field": "fqdn", "target_field": "d"}"#,
            input: r#"{"fqdn": "co.uk"}"#,
            output: Ok(r#"{"fqdn": "co.uk", "d": {"domain": "co.uk", "top_level_domain": "co.uk"}}"#),
        },
        Example {
            title: "an unknown suffix fails unless ignore_missing (the default)",
            config: r#"{"field": "fqdn", "ignore_missing": false}"#,
            input: r#"{"fqdn": "foo.bar.baz"}"#,
            output: Err("unable to set domain information for document"),
        },
        Example {
            title: "a missing field fails when ignore_missing is false",
            config: r#"{"field": "fqdn", "ignore_missing": false}"#,
            input: r#"{"other": "value"}"#,
            output: Err("field [fqdn] not present as part of path [fqdn]"),
        },
        Example {
            title: "a missing field is skipped by default",
            config: r#"{"field": "fqdn", "target_field": "d"}"#,
            input: r#"{"other": "value"}"#,
            output: Ok(r#"{"other": "value"}"#),
        },
    ],
    build: Some(build),
};

#[derive(Debug)]
struct RegisteredDomain {
    field: FieldPath,
    /// `domain`, `registered_domain`, `top_level_domain`, `subdomain`
    /// under the target field.
    targets: [FieldPath; 4],
    ignore_missing: bool,
    readings: Readings,
}

fn build(o: &mut Options, _ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    let field = o.string("field")?;
    let target_field = o.opt_string("target_field")?.unwrap_or_default();
    let ignore_missing = o.bool_or("ignore_missing", true)?;
    let field = FieldPath::parse(&field).map_err(|e| o.error("field", &e))?;
    let prefix = if target_field.is_empty() { target_field } else { format!("{target_field}.") };
    let target = |name: &str| FieldPath::parse(&format!("{prefix}{name}")).map_err(|e| o.error("target_field", &e));
    let targets = [target("domain")?, target("registered_domain")?, target("top_level_domain")?, target("subdomain")?];
    Ok(Box::new(RegisteredDomain { field, targets, ignore_missing, readings: Readings::default() }))
}

/// The readings of names already seen. A name's reading depends on nothing
/// but the name (the suffix list is built in), and a stream of events
/// names the same few domains over and over: a lookup here costs a hash
/// and a comparison where walking the name through the list costs over a
/// thousand instructions.
#[derive(Debug, Default)]
struct Readings {
    by_name: Mutex<HashMap<String, Option<DomainInfo>, foldhash::fast::RandomState>>,
}

/// Names remembered at most; the set starts over when full, which bounds
/// the memory whatever the names.
const MAX_READINGS: usize = 1024;

impl Readings {
    /// [`domain_info`] of `name`, remembered.
    fn of(&self, name: &str) -> Option<DomainInfo> {
        let mut by_name = self.by_name.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(known) = by_name.get(name) {
            return known.clone();
        }
        let info = domain_info(name);
        if by_name.len() >= MAX_READINGS {
            by_name.clear();
        }
        by_name.insert(name.to_string(), info.clone());
        info
    }
}

/// What gets written; `None` parts are left out.
#[derive(Debug, Default, Clone, PartialEq)]
struct DomainInfo {
    domain: Option<String>,
    registered_domain: Option<String>,
    top_level_domain: Option<String>,
    subdomain: Option<String>,
}

impl Processor for RegisteredDomain {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut RunContext) -> Result<Flow, EsError> {
        // Read in place: the parts are copied out of the name.
        let info = match doc.get(&self.field) {
            Ok(Value::String(name)) => self.readings.of(name),
            Ok(Value::Null) => None,
            Ok(other) => {
                return Err(EsError::illegal_argument(format!(
                    "field [{}] of type [{}] cannot be cast to [java.lang.String]",
                    self.field.as_str(),
                    other.java_class()
                )))
            }
            Err(_) if self.ignore_missing => None,
            Err(e) => return Err(EsError::illegal_argument(e)),
        };
        let Some(info) = info else {
            if self.ignore_missing {
                return Ok(Flow::Continue);
            }
            return Err(EsError::illegal_argument("unable to set domain information for document"));
        };
        let parts = [info.domain, info.registered_domain, info.top_level_domain, info.subdomain];
        for (target, part) in self.targets.iter().zip(parts) {
            if let Some(part) = part {
                doc.set(target, Value::String(part)).map_err(EsError::illegal_argument)?;
            }
        }
        Ok(Flow::Continue)
    }
}

/// The processor's reading of a name; `None` when it cannot set anything.
fn domain_info(name: &str) -> Option<DomainInfo> {
    let Some(root) = domain_root(name) else {
        // A public suffix by itself is its own top-level domain.
        if domain_root(name.strip_prefix('.').unwrap_or(name)).is_none() {
            return Some(DomainInfo {
                domain: Some(name.to_string()),
                top_level_domain: Some(name.to_string()),
                ..Default::default()
            });
        }
        return None;
    };
    let dot = root.find('.')?;
    if dot + 1 >= root.len() {
        return Some(DomainInfo::default());
    }
    // Searched in the name as given, so a differently cased name has no subdomain.
    let subdomain = match find_last_dot_label(name, &root) {
        Some(i) if i > 0 => Some(name[..i].to_string()),
        _ => None,
    };
    Some(DomainInfo {
        domain: Some(name.to_string()),
        top_level_domain: Some(root[dot + 1..].to_string()),
        registered_domain: Some(root),
        subdomain,
    })
}

/// `name.rfind(&format!(".{root}"))`. The root is a suffix of the
/// lower-cased name, so when the name as given ends with `.{root}` that is
/// the last place it can occur; only otherwise is the text searched.
fn find_last_dot_label(name: &str, root: &str) -> Option<usize> {
    let at = name.len().checked_sub(root.len() + 1)?;
    if name.ends_with(root) && name.as_bytes()[at] == b'.' {
        return Some(at);
    }
    name.rfind(&format!(".{root}"))
}

/// HttpClient's `PublicSuffixMatcher.getDomainRoot`: walks the name from
/// the left, one label at a time, until a suffix rule matches.
fn domain_root(name: &str) -> Option<String> {
    if name.starts_with('.') {
        return None;
    }
    let normalized = if name.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(name.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(name)
    };
    let mut segment: &str = &normalized;
    let mut result: Option<&str> = None;
    // The rules that match a segment (a suffix of the name) all match the
    // name, so the name's longest known suffix is every segment's that
    // still ends in all of it: one list lookup for the name serves them.
    let name_suffix = known_suffix(normalized.as_bytes());
    loop {
        // The list's longest suffix of the segment answers both questions below.
        let suffix = match name_suffix {
            Some(s) if segment.len() >= s.as_bytes().len() => Some(s),
            _ => known_suffix(segment.as_bytes()),
        };
        if is_exception(segment, suffix) {
            return Some(segment.to_string());
        }
        if let Some(typ) = rule_type(segment.as_bytes(), suffix) {
            return match typ {
                psl::Type::Private => Some(segment.to_string()),
                psl::Type::Icann => result.map(str::to_string),
            };
        }
        result = Some(segment);
        match segment.find('.') {
            Some(i) => segment = &segment[i + 1..],
            None => return result.map(str::to_string),
        }
    }
}

/// The longest suffix of `name` the list knows.
fn known_suffix(name: &[u8]) -> Option<psl::Suffix<'_>> {
    psl::suffix(name).filter(|s| s.is_known())
}

/// Whether `segment`, whose known suffix is `suffix`, is itself a public
/// suffix by a plain or wildcard rule, and of which type.
fn rule_type(segment: &[u8], suffix: Option<psl::Suffix>) -> Option<psl::Type> {
    let malformed = segment.is_empty()
        || segment.ends_with(b".")
        || segment.starts_with(b".")
        || segment.windows(2).any(|w| w == b"..");
    if malformed {
        return None;
    }
    suffix.filter(|s| s.as_bytes() == segment).and_then(|s| s.typ())
}

/// Whether an exception rule (`!www.ck`) names `segment`, whose known
/// suffix is `suffix`: its parent is the suffix although a wildcard covers
/// the parent's other children.
fn is_exception(segment: &str, suffix: Option<psl::Suffix>) -> bool {
    let Some((_, parent)) = segment.split_once('.') else { return false };
    suffix.is_some_and(|s| s.as_bytes() == parent.as_bytes()) && parent_has_wildcard(parent)
}

/// Whether a wildcard rule covers `parent`'s children: a made-up child is
/// then a suffix. The probe name is built on the stack when it fits.
fn parent_has_wildcard(parent: &str) -> bool {
    const PROBE: &[u8] = b"ingot-probe-label.";
    let mut buffer = [0u8; 256];
    let heap;
    let probe: &[u8] = if PROBE.len() + parent.len() <= buffer.len() {
        buffer[..PROBE.len()].copy_from_slice(PROBE);
        buffer[PROBE.len()..PROBE.len() + parent.len()].copy_from_slice(parent.as_bytes());
        &buffer[..PROBE.len() + parent.len()]
    } else {
        heap = [PROBE, parent.as_bytes()].concat();
        &heap
    };
    rule_type(probe, known_suffix(probe)).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// domain, registered_domain, top_level_domain, subdomain.
    type Parts = (Option<String>, Option<String>, Option<String>, Option<String>);

    fn parts(name: &str) -> Option<Parts> {
        domain_info(name).map(|i| (i.domain, i.registered_domain, i.top_level_domain, i.subdomain))
    }

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    #[test]
    fn the_elasticsearch_rest_test_cases() {
        assert_eq!(parts("www.google.com"), Some((s("www.google.com"), s("google.com"), s("com"), s("www"))));
        assert_eq!(parts("example.com"), Some((s("example.com"), s("example.com"), s("com"), None)));
        assert_eq!(parts("com"), Some((s("com"), None, s("com"), None)));
        assert_eq!(
            parts("www.books.amazon.co.uk"),
            Some((s("www.books.amazon.co.uk"), s("amazon.co.uk"), s("co.uk"), s("www.books")))
        );
        assert_eq!(parts("foo.bar.baz"), None);
        assert_eq!(parts("123"), None);
    }

    #[test]
    fn the_briefs_cases() {
        assert_eq!(parts("azure.microsoft.com"), Some((s("azure.microsoft.com"), s("microsoft.com"), s("com"), s("azure"))));
        assert_eq!(parts("contoso.com"), Some((s("contoso.com"), s("contoso.com"), s("com"), None)));
    }

    #[test]
    fn private_suffixes_are_their_own_root_as_in_httpclient() {
        assert_eq!(domain_root("www.foo.blogspot.com").as_deref(), Some("blogspot.com"));
        assert_eq!(parts("www.foo.blogspot.com"), Some((s("www.foo.blogspot.com"), s("blogspot.com"), s("com"), s("www.foo"))));
    }

    #[test]
    fn wildcards_and_exceptions() {
        // `*.ck` makes every child of ck a suffix, except `!www.ck`.
        assert_eq!(domain_root("a.b.ck").as_deref(), Some("a.b.ck"));
        assert_eq!(domain_root("b.ck"), None);
        assert_eq!(domain_root("www.ck").as_deref(), Some("www.ck"));
        assert_eq!(domain_root("x.www.ck").as_deref(), Some("www.ck"));
    }

    #[test]
    fn case_and_odd_input() {
        // The root is lower-cased but the subdomain is searched in the name as given.
        assert_eq!(parts("WWW.Example.COM"), Some((s("WWW.Example.COM"), s("example.com"), s("com"), None)));
        assert_eq!(parts(".example.com"), None);
        assert_eq!(parts("example.com."), None);
        assert_eq!(parts(""), None);
        // An empty label is a label like any other.
        assert_eq!(parts("a..com"), Some((s("a..com"), s(".com"), s("com"), s("a"))));
    }

    /// The walk as first written, one list lookup per question, kept to
    /// check that the lookups shared in `domain_root` answer the same.
    mod reference {
        pub fn domain_root(name: &str) -> Option<String> {
            if name.starts_with('.') {
                return None;
            }
            let normalized = name.to_ascii_lowercase();
            let mut segment = normalized.as_str();
            let mut result: Option<&str> = None;
            loop {
                if is_exception(segment) {
                    return Some(segment.to_string());
                }
                if let Some(typ) = rule_type(segment) {
                    return match typ {
                        psl::Type::Private => Some(segment.to_string()),
                        psl::Type::Icann => result.map(str::to_string),
                    };
                }
                result = Some(segment);
                match segment.find('.') {
                    Some(i) => segment = &segment[i + 1..],
                    None => return result.map(str::to_string),
                }
            }
        }

        fn rule_type(segment: &str) -> Option<psl::Type> {
            if segment.is_empty() || segment.ends_with('.') || segment.starts_with('.') || segment.contains("..") {
                return None;
            }
            let suffix = psl::suffix(segment.as_bytes())?;
            (suffix.is_known() && suffix.as_bytes() == segment.as_bytes()).then(|| suffix.typ()).flatten()
        }

        fn is_exception(segment: &str) -> bool {
            let Some((_, parent)) = segment.split_once('.') else { return false };
            if rule_type(parent).is_none() && !parent_has_wildcard(parent) {
                return false;
            }
            let suffix_is_parent =
                psl::suffix(segment.as_bytes()).is_some_and(|s| s.is_known() && s.as_bytes() == parent.as_bytes());
            suffix_is_parent && parent_has_wildcard(parent)
        }

        fn parent_has_wildcard(parent: &str) -> bool {
            rule_type(&format!("ingot-probe-label.{parent}")).is_some()
        }
    }

    #[test]
    fn shared_lookups_answer_as_one_lookup_per_question() {
        let alphabet = [".", "-", "a", "A", "é", "ck", "www", "uk", "co", "com", "blogspot", "jp", "kawasaki", "city", "*"];
        let mut inputs = vec![String::new()];
        let mut checked = 0;
        for _ in 0..4 {
            inputs = inputs.iter().flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}"))).collect();
            for name in &inputs {
                assert_eq!(domain_root(name), reference::domain_root(name), "{name:?}");
                checked += 1;
            }
        }
        let long_parent = format!("{}.com", "a".repeat(300));
        for name in ["www.city.kawasaki.jp", "x.www.ck", "a.b.ck", "foo.blogspot.com", "mail.contoso.co.uk", &long_parent] {
            assert_eq!(domain_root(name), reference::domain_root(name), "{name:?}");
        }
        assert!(checked > 50_000);
    }

    #[test]
    fn the_subdomain_search_is_rfind() {
        let cases = [
            ("www.example.com", "example.com"),
            ("WWW.Example.COM", "example.com"),
            ("www.EXAMPLE.com.example.com", "example.com"),
            ("a.example.com", "a.example.com"),
            ("xexample.com", "example.com"),
            ("example.com", "example.com"),
            ("", "com"),
            (".com.Com", "com"),
        ];
        for (name, root) in cases {
            assert_eq!(find_last_dot_label(name, root), name.rfind(&format!(".{root}")), "{name} {root}");
        }
    }

    /// Remembered readings are the readings, the first time and after,
    /// and when the set has started over.
    #[test]
    fn remembered_readings_are_the_readings() {
        let alphabet = [".", "a", "B", "co", "uk", "com", "ck", "www", "blogspot", "é"];
        let mut names = vec![String::new()];
        for _ in 0..3 {
            let longer: Vec<String> = names.iter().flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}"))).collect();
            names.extend(longer);
        }
        assert!(names.len() > MAX_READINGS);
        let readings = Readings::default();
        for pass in 0..2 {
            for name in names.iter().chain(names.iter().rev()) {
                assert_eq!(readings.of(name), domain_info(name), "{name:?}, pass {pass}");
            }
        }
    }

    #[test]
    fn no_input_panics() {
        let alphabet = [".", "-", "a", "A", "_", "é", "ck", "www", "uk", "co", "!", "*"];
        let mut inputs = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = inputs.iter().flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}"))).collect();
            inputs = longer;
            for name in &inputs {
                let _ = domain_info(name);
            }
        }
    }
}
