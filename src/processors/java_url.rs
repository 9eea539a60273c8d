//! The parts of a URI as Java's `java.net.URI` (RFC 2396, with the JDK's
//! deviations) reads them, falling back to `java.net.URL` for strings that
//! `URI` rejects, as `uri_parts` does.
//!
//! Quirks that show in results and are kept on purpose: `URI` decodes
//! percent-escapes in path, query, fragment and user info but not in the
//! host; a host that is not a valid RFC 2396 hostname (an underscore, a
//! non-ASCII label, a numeric last label) makes the authority
//! "registry-based" and the host null; an opaque URI (`mailto:x@y`) has no
//! path; `URL` keeps escapes, lower-cases the scheme and knows only a few
//! schemes.

/// What `uri_parts` reads from a parsed URI or URL.
#[derive(Debug, Default, PartialEq)]
pub struct UriParts {
    pub scheme: Option<String>,
    pub host: Option<String>,
    pub port: Option<i32>,
    pub user_info: Option<String>,
    pub path: Option<String>,
    pub query: Option<String>,
    pub fragment: Option<String>,
}

/// `new URI(s)`, else `new URL(s)`; `None` when both refuse.
pub fn parse(s: &str) -> Option<UriParts> {
    parse_uri(s).ok().or_else(|| parse_url(s))
}

// ---- java.net.URI -------------------------------------------------------

struct Syntax;

const MARK: &str = "-_.!~*'()";
const RESERVED: &str = ";/?:@&=+$,[]";

#[derive(Clone, Copy)]
enum Class {
    Uric,
    Path,
    UserInfo,
    RegName,
    Server,
    Scheme,
    Digit,
    Alphanum,
    AlphanumDash,
}

impl Class {
    fn allows_escapes(self) -> bool {
        matches!(self, Class::Uric | Class::Path | Class::UserInfo | Class::RegName | Class::Server)
    }

    fn matches(self, c: char) -> bool {
        if !c.is_ascii() {
            return false;
        }
        let alnum = c.is_ascii_alphanumeric();
        let unreserved = alnum || MARK.contains(c);
        match self {
            Class::Uric => unreserved || RESERVED.contains(c),
            Class::Path => unreserved || ":@&=+$,;/".contains(c),
            Class::UserInfo => unreserved || ";:&=+$,".contains(c),
            Class::RegName => unreserved || "$,;:@&=+".contains(c),
            Class::Server => unreserved || ";:&=+$,".contains(c) || ".:@[]-".contains(c),
            Class::Scheme => alnum || "+-.".contains(c),
            Class::Digit => c.is_ascii_digit(),
            Class::Alphanum => alnum,
            Class::AlphanumDash => alnum || c == '-',
        }
    }
}

struct Parser<'a> {
    s: &'a [char],
    parts: UriParts,
}

/// `Character.isSpaceChar` or `Character.isISOControl`.
fn space_or_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') || (c.is_whitespace() && !c.is_ascii())
}

impl<'a> Parser<'a> {
    fn at(&self, p: usize, c: char) -> bool {
        self.s.get(p) == Some(&c)
    }

    fn text(&self, from: usize, to: usize) -> String {
        self.s[from..to].iter().collect()
    }

    /// Index of the first char of `stop` at or after `p`, unless a char of
    /// `err` comes first.
    fn scan_until(&self, p: usize, end: usize, err: &str, stop: &str) -> Option<usize> {
        for i in p..end {
            let c = self.s[i];
            if err.contains(c) {
                return None;
            }
            if stop.contains(c) {
                return Some(i);
            }
        }
        None
    }

    fn scan_to(&self, p: usize, end: usize, stop: &str) -> usize {
        (p..end).find(|&i| stop.contains(self.s[i])).unwrap_or(end)
    }

    /// Skips chars of `class` (and escapes where allowed); a bad escape fails.
    fn scan(&self, mut p: usize, end: usize, class: Class) -> Result<usize, Syntax> {
        while p < end {
            let c = self.s[p];
            if class.matches(c) {
                p += 1;
                continue;
            }
            if class.allows_escapes() {
                if c == '%' {
                    let hex = |i: usize| self.s.get(i).is_some_and(|h| h.is_ascii_hexdigit());
                    if p + 3 <= end && hex(p + 1) && hex(p + 2) {
                        p += 3;
                        continue;
                    }
                    return Err(Syntax);
                }
                if (c as u32) > 128 && !space_or_control(c) {
                    p += 1;
                    continue;
                }
            }
            break;
        }
        Ok(p)
    }

    fn check(&self, p: usize, end: usize, class: Class) -> Result<(), Syntax> {
        if self.scan(p, end, class)? < end {
            return Err(Syntax);
        }
        Ok(())
    }

    fn parse(&mut self) -> Result<(), Syntax> {
        let n = self.s.len();
        let mut p;
        match self.scan_until(0, n, "/?#", ":") {
            Some(colon) => {
                if colon == 0 || !self.s[0].is_ascii_alphabetic() {
                    return Err(Syntax);
                }
                self.check(1, colon, Class::Scheme)?;
                self.parts.scheme = Some(self.text(0, colon));
                p = colon + 1;
                if self.at(p, '/') {
                    p = self.parse_hierarchical(p, n)?;
                } else {
                    // Opaque: no authority, path or query.
                    let q = self.scan_to(p, n, "#");
                    if q <= p {
                        return Err(Syntax);
                    }
                    self.check(p, q, Class::Uric)?;
                    p = q;
                }
            }
            None => p = self.parse_hierarchical(0, n)?,
        }
        if self.at(p, '#') {
            self.check(p + 1, n, Class::Uric)?;
            self.parts.fragment = Some(self.text(p + 1, n));
            p = n;
        }
        if p < n {
            return Err(Syntax);
        }
        Ok(())
    }

    fn parse_hierarchical(&mut self, start: usize, n: usize) -> Result<usize, Syntax> {
        let mut p = start;
        if self.at(p, '/') && self.at(p + 1, '/') {
            p += 2;
            let q = self.scan_to(p, n, "/?#");
            if q > p {
                p = self.parse_authority(p, q)?;
            } else if q >= n {
                return Err(Syntax);
            }
        }
        let q = self.scan_to(p, n, "?#");
        self.check(p, q, Class::Path)?;
        self.parts.path = Some(self.text(p, q));
        p = q;
        if self.at(p, '?') {
            p += 1;
            let q = self.scan_to(p, n, "#");
            self.check(p, q, Class::Uric)?;
            self.parts.query = Some(self.text(p, q));
            p = q;
        }
        Ok(p)
    }

    fn parse_authority(&mut self, start: usize, n: usize) -> Result<usize, Syntax> {
        let server_chars = self.scan(start, n, Class::Server)? == n;
        let reg_chars = self.scan(start, n, Class::RegName)? == n;
        if reg_chars && !server_chars {
            return Ok(n);
        }
        let mut q = start;
        if server_chars {
            match self.parse_server(start, n) {
                Ok(end) if end == n => q = end,
                _ => {
                    self.parts.user_info = None;
                    self.parts.host = None;
                    self.parts.port = None;
                }
            }
        }
        // An authority that is no valid server is "registry-based":
        // no host, port or user info.
        if q < n && !reg_chars {
            return Err(Syntax);
        }
        Ok(n)
    }

    fn parse_server(&mut self, start: usize, n: usize) -> Result<usize, Syntax> {
        let mut p = start;
        if let Some(at) = self.scan_until(p, n, "/?#", "@") {
            self.check(p, at, Class::UserInfo)?;
            self.parts.user_info = Some(self.text(p, at));
            p = at + 1;
        }
        if self.at(p, '[') {
            let close = self.scan_until(p + 1, n, "/?#", "]").ok_or(Syntax)?;
            let inner = self.text(p + 1, close);
            let address = inner.split('%').next().unwrap_or_default();
            if address.parse::<std::net::Ipv6Addr>().is_err() {
                return Err(Syntax);
            }
            self.parts.host = Some(self.text(p, close + 1));
            p = close + 1;
        } else {
            let q = self.parse_ipv4(p, n);
            p = if q > p { q } else { self.parse_hostname(p, n)? };
        }
        if self.at(p, ':') {
            p += 1;
            let q = self.scan(p, n, Class::Digit)?;
            if q > p {
                self.parts.port = Some(self.text(p, q).parse::<i32>().map_err(|_| Syntax)?);
                p = q;
            }
        }
        if p < n {
            return Err(Syntax);
        }
        Ok(p)
    }

    /// A dotted quad followed by the end or a port; else not an address.
    fn parse_ipv4(&mut self, start: usize, n: usize) -> usize {
        let mut p = start;
        for i in 0..4 {
            if i > 0 {
                if !self.at(p, '.') {
                    return start;
                }
                p += 1;
            }
            let q = (p..n).find(|&j| !self.s[j].is_ascii_digit()).unwrap_or(n);
            if q == p || self.text(p, q).parse::<u32>().map_or(true, |v| v > 255) {
                return start;
            }
            p = q;
        }
        if p < n && !self.at(p, ':') {
            return start;
        }
        self.parts.host = Some(self.text(start, p));
        p
    }

    fn parse_hostname(&mut self, start: usize, n: usize) -> Result<usize, Syntax> {
        let mut p = start;
        let mut last_label = None;
        loop {
            let q = self.scan(p, n, Class::Alphanum)?;
            if q <= p {
                break;
            }
            last_label = Some(p);
            p = q;
            let q = self.scan(p, n, Class::AlphanumDash)?;
            if q > p {
                if self.s[q - 1] == '-' {
                    return Err(Syntax);
                }
                p = q;
            }
            if !self.at(p, '.') {
                break;
            }
            p += 1;
            if p >= n {
                break;
            }
        }
        if p < n && !self.at(p, ':') {
            return Err(Syntax);
        }
        let last = last_label.ok_or(Syntax)?;
        // The last label of a qualified name must start with a letter.
        if last > start && !self.s[last].is_ascii_alphabetic() {
            return Err(Syntax);
        }
        self.parts.host = Some(self.text(start, p));
        Ok(p)
    }
}

fn parse_uri(s: &str) -> Result<UriParts, Syntax> {
    let chars: Vec<char> = s.chars().collect();
    let mut parser = Parser { s: &chars, parts: UriParts::default() };
    parser.parse()?;
    let mut parts = parser.parts;
    parts.path = parts.path.map(|p| decode(&p));
    parts.query = parts.query.map(|q| decode(&q));
    parts.fragment = parts.fragment.map(|f| decode(&f));
    parts.user_info = parts.user_info.map(|u| decode(&u));
    Ok(parts)
}

/// `URI.decode`: runs of escapes are UTF-8, malformed bytes become U+FFFD.
fn decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'%' {
            let c = s[i..].chars().next().expect("char boundary");
            out.push(c);
            i += c.len_utf8();
            continue;
        }
        let mut run = Vec::new();
        while i + 3 <= bytes.len() && bytes[i] == b'%' {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
            match hex {
                Some(b) => run.push(b),
                None => break,
            }
            i += 3;
        }
        if run.is_empty() {
            // Only reachable for a lone '%' the parser let through, which it does not.
            out.push('%');
            i += 1;
        } else {
            out.push_str(&String::from_utf8_lossy(&run));
        }
    }
    out
}

// ---- java.net.URL -------------------------------------------------------

/// `new URL(spec)` for the schemes a JDK handles (`http`, `https`, `ftp`,
/// `file`, `mailto`); others are "unknown protocol".
fn parse_url(spec: &str) -> Option<UriParts> {
    let spec = spec.trim_matches(|c: char| c <= ' ');
    let spec = match spec.get(..4) {
        Some(prefix) if prefix.eq_ignore_ascii_case("url:") => &spec[4..],
        _ => spec,
    };
    if spec.starts_with('#') {
        return None;
    }
    let colon = spec.find([':', '/']).filter(|&i| spec.as_bytes()[i] == b':')?;
    let protocol = spec[..colon].to_ascii_lowercase();
    let valid = protocol.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && protocol.chars().all(|c| c.is_ascii_alphanumeric() || ".+-".contains(c));
    if !valid {
        return None;
    }
    let mut rest = &spec[colon + 1..];
    let mut fragment = None;
    if let Some(hash) = rest.find('#') {
        fragment = Some(rest[hash + 1..].to_string());
        rest = &rest[..hash];
    }
    let mut parts = match protocol.as_str() {
        "http" | "https" | "ftp" | "file" => parse_hierarchical_url(spec, colon + 1, rest)?,
        "mailto" => {
            if rest.trim_matches(' ').is_empty() {
                return None;
            }
            fragment = None;
            let (path, query) = match rest.rfind('?') {
                Some(q) => (rest[..q].to_string(), Some(rest[q + 1..].to_string())),
                None => (rest.to_string(), None),
            };
            UriParts { host: Some(String::new()), path: Some(path), query, ..Default::default() }
        }
        _ => return None,
    };
    parts.scheme = Some(protocol);
    parts.fragment = fragment;
    Some(parts)
}

/// `URLStreamHandler.parseURL` over `rest` (the text after the scheme,
/// without the fragment); `spec` is the whole text, which Java searches
/// for `?` from its very start.
fn parse_hierarchical_url(spec: &str, offset: usize, rest: &str) -> Option<UriParts> {
    let mut rest = rest.to_string();
    let mut query = None;
    if !rest.is_empty() {
        if let Some(q) = spec.find('?') {
            if q >= offset && q - offset < rest.len() {
                let q = q - offset;
                query = Some(rest[q + 1..].to_string());
                rest.truncate(q);
            }
        }
    }
    let mut host = String::new();
    let mut port = None;
    let mut user_info = None;
    let mut path = None;
    let mut authority = None;
    let unc = rest.starts_with("////");
    if !unc && rest.starts_with("//") {
        let after = &rest[2..];
        let end = after.find('/').unwrap_or(after.len());
        let auth = after[..end].to_string();
        let mut h = Some(auth.clone());
        if let Some(at) = auth.find('@') {
            if auth.rfind('@') == Some(at) {
                user_info = Some(auth[..at].to_string());
                h = Some(auth[at + 1..].to_string());
            } else {
                h = None;
            }
        }
        if let Some(h) = h {
            if h.starts_with('[') {
                let close = h.find(']').filter(|&i| i > 2)?;
                h[1..close].split('%').next()?.parse::<std::net::Ipv6Addr>().ok()?;
                host = h[..=close].to_string();
                match &h[close + 1..] {
                    "" | ":" => {}
                    p if p.starts_with(':') => port = Some(java_parse_int(&p[1..])?),
                    _ => return None,
                }
            } else {
                match h.find(':') {
                    Some(c) => {
                        if c + 1 < h.len() {
                            port = Some(java_parse_int(&h[c + 1..])?);
                        }
                        host = h[..c].to_string();
                    }
                    None => host = h,
                }
            }
        }
        if port.is_some_and(|p| p < -1) {
            return None;
        }
        if !auth.is_empty() {
            path = Some(String::new());
        }
        authority = Some(auth);
        rest = after[end..].to_string();
    }
    if !rest.is_empty() {
        path = Some(if rest.starts_with('/') {
            rest.clone()
        } else {
            let separator = if authority.is_some() { "/" } else { "" };
            format!("{separator}{rest}")
        });
    }
    let path = normalize_path(path.unwrap_or_default());
    Some(UriParts { scheme: None, host: Some(host), port, user_info, path: Some(path), query, fragment: None })
}

/// `Integer.parseInt`: an optional sign and decimal digits.
fn java_parse_int(s: &str) -> Option<i32> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `URLStreamHandler`'s removal of `.` and `..` segments.
fn normalize_path(mut path: String) -> String {
    while let Some(i) = path.find("/./") {
        path.replace_range(i..i + 2, "");
    }
    let mut i = 0;
    while let Some(found) = path[i..].find("/../").map(|f| f + i) {
        let prev = if found > 0 { path[..found].rfind('/') } else { None };
        match prev {
            // Java's `path.indexOf("/../", limit) != 0`.
            Some(limit) if !(limit == 0 && path.starts_with("/../")) => {
                path.replace_range(limit..found + 3, "");
                i = 0;
            }
            _ => i = found + 3,
        }
    }
    while path.ends_with("/..") {
        let i = path.find("/..").expect("ends with it");
        match if i > 0 { path[..i].rfind('/') } else { None } {
            Some(limit) => path.truncate(limit + 1),
            None => break,
        }
    }
    if path.starts_with("./") && path.len() > 2 {
        path.replace_range(..2, "");
    }
    if path.ends_with("/.") {
        path.pop();
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> UriParts {
        parse(s).unwrap_or_else(|| panic!("{s} should parse"))
    }

    #[test]
    fn full_uri() {
        let u = p("https://user:pw@testing.google.com:8080/foo/bar.txt?foo1=bar1&foo2=bar2#anchorVal");
        assert_eq!(u.scheme.as_deref(), Some("https"));
        assert_eq!(u.host.as_deref(), Some("testing.google.com"));
        assert_eq!(u.port, Some(8080));
        assert_eq!(u.user_info.as_deref(), Some("user:pw"));
        assert_eq!(u.path.as_deref(), Some("/foo/bar.txt"));
        assert_eq!(u.query.as_deref(), Some("foo1=bar1&foo2=bar2"));
        assert_eq!(u.fragment.as_deref(), Some("anchorVal"));
    }

    #[test]
    fn uri_decodes_but_keeps_the_host() {
        let u = p("http://example.com/a%20b%C3%A9?q=%41#%7E");
        assert_eq!(u.path.as_deref(), Some("/a bé"));
        assert_eq!(u.query.as_deref(), Some("q=A"));
        assert_eq!(u.fragment.as_deref(), Some("~"));
        assert_eq!(p("http://x.com/%FF").path.as_deref(), Some("/\u{FFFD}"));
    }

    #[test]
    fn registry_based_authorities_have_no_host() {
        let u = p("http://my_host.example.com:80/x");
        assert_eq!(u.host, None);
        assert_eq!(u.port, None);
        assert_eq!(u.path.as_deref(), Some("/x"));
        assert_eq!(p("http://foo.123/").host, None);
        assert_eq!(p("http://1.2.3.4:9/").host.as_deref(), Some("1.2.3.4"));
        assert_eq!(p("http://[::1]:9/").host.as_deref(), Some("[::1]"));
        assert_eq!(p("http://a-b.c/").host.as_deref(), Some("a-b.c"));
        assert_eq!(p("http://a-.c/").host, None);
    }

    #[test]
    fn uri_keeps_case_and_empty_parts() {
        let u = p("HTTP://Example.COM");
        assert_eq!((u.scheme.as_deref(), u.host.as_deref(), u.path.as_deref()), (Some("HTTP"), Some("Example.COM"), Some("")));
        assert_eq!(p("http://example.com:/x").port, None, "an empty port is no port");
        assert_eq!(p("http://example.com?").query.as_deref(), Some(""));
        assert!(parse_uri("http://").is_err(), "an authority is expected");
        assert_eq!(p("file:///etc/hosts").path.as_deref(), Some("/etc/hosts"));
    }

    #[test]
    fn opaque_and_relative() {
        let u = p("mailto:someone@example.com?subject=hi");
        assert_eq!((u.scheme.as_deref(), u.path, u.query), (Some("mailto"), None, None));
        let u = p("/just/a/path.html");
        assert_eq!((u.scheme, u.host, u.path.as_deref()), (None, None, Some("/just/a/path.html")));
        assert_eq!(p("example.com:8080/x").scheme.as_deref(), Some("example.com"));
    }

    #[test]
    fn url_fallback_for_what_uri_refuses() {
        let u = p("http://www.example.com/foo bar/../baz.html?q=a b#f g");
        assert_eq!(u.host.as_deref(), Some("www.example.com"));
        assert_eq!(u.path.as_deref(), Some("/baz.html"));
        assert_eq!(u.query.as_deref(), Some("q=a b"));
        assert_eq!(u.fragment.as_deref(), Some("f g"));
        let u = p("HTTP://h/%zz");
        assert_eq!(u.scheme.as_deref(), Some("http"));
        assert_eq!(u.path.as_deref(), Some("/%zz"), "URL keeps escapes as they are");
        assert!(parse("foo://h/a b").is_none(), "unknown protocol");
        assert!(parse("no scheme here").is_none());
        assert!(parse("http://h:x1/a b").is_none(), "bad port");
        assert_eq!(p("http://h/a/../../b c").path.as_deref(), Some("/../b c"));
        assert_eq!(p("http://h/a/./b/.. c").path.as_deref(), Some("/a/b/.. c"));
        assert_eq!(p("http://h/a/b/.. ").path.as_deref(), Some("/a/"), "blanks are trimmed, then a trailing .. resolved");
    }

    #[test]
    fn no_input_panics() {
        // Every string of up to four awkward characters, bare and after a scheme.
        let alphabet: Vec<char> = ":/?#[]@%.-_ a1é\t".chars().collect();
        let mut inputs = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> =
                inputs.iter().flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}"))).collect();
            inputs.extend(longer);
            inputs.dedup();
        }
        for tail in &inputs {
            for head in ["", "http://", "mailto:", "url:file:", "http://[::1"] {
                let _ = parse(&format!("{head}{tail}"));
            }
        }
    }
}
