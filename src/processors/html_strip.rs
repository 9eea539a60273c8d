//! `html_strip`: removes HTML markup, as Lucene's `HTMLStripCharFilter` does
//! for the common cases: block-level tags become a newline, inline tags and
//! comments disappear, `script`/`style` elements become a newline, and
//! character entities (the common named ones, numeric references) are decoded.

use super::string_processor::{self, StringField};
use super::{Example, Flow, OptionSpec, Options, Processor, ProcessorSpec};
use crate::document::IngestDocument;
use crate::error::EsError;
use crate::pipeline::{BuildContext, RunContext};
use crate::value::Value;

const OPTIONS: [OptionSpec; 3] = string_processor::options(
    "The string-valued field to remove HTML tags from.",
    "The field to assign the value to, by default field is updated in-place.",
);

pub const SPEC: ProcessorSpec = ProcessorSpec {
    name: "html_strip",
    description: "Removes HTML tags from the field. If the field is an array of strings, HTML tags will be removed from all members of the array.",
    options: &OPTIONS,
    examples: &[
        Example {
            title: "block tags become newlines, inline tags vanish",
            config: r#"{"field": "h"}"#,
            input: r#"{"h": "<p><b>test</b>x<p><b>test</b>"}"#,
            output: Ok(r#"{"h": "\ntestx\ntest"}"#),
        },
        Example {
            title: "entities, comments and scripts",
            config: r#"{"field": "h", "target_field": "t"}"#,
            input: r#"{"h": "a &amp; b<!-- c --><script>d()</script>&#65;&#x42;&eacute;&Omega;&apos;&amp"}"#,
            output: Ok(r#"{"h": "a &amp; b<!-- c --><script>d()</script>&#65;&#x42;&eacute;&Omega;&apos;&amp", "t": "a & b\nABéΩ&apos;&"}"#),
        },
        Example {
            title: "declarations go, CDATA text stays",
            config: r#"{"field": "h"}"#,
            input: r#"{"h": "<!DOCTYPE html><?xml version=\"1.0\"?>a<![CDATA[<b>]]>"}"#,
            output: Ok(r#"{"h": "a<b>"}"#),
        },
        Example {
            title: "a lone angle bracket is text",
            config: r#"{"field": "h"}"#,
            input: r#"{"h": "1 < 2 > 0"}"#,
            output: Ok(r#"{"h": "1 < 2 > 0"}"#),
        },
    ],
    build: Some(build),
};

#[derive(Debug)]
struct HtmlStrip {
    field: StringField,
}

fn build(o: &mut Options, _ctx: &BuildContext) -> Result<Box<dyn Processor>, EsError> {
    Ok(Box::new(HtmlStrip {
        field: StringField::read(o)?,
    }))
}

impl Processor for HtmlStrip {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut RunContext) -> Result<Flow, EsError> {
        self.field.apply(doc, |s| Ok(Value::String(strip(s))))?;
        Ok(Flow::Continue)
    }
}

/// Lucene's inline elements: removed without a trace. Every other tag,
/// unknown ones included, is block-level and becomes a newline.
const INLINE: &[&str] = &[
    "a", "b", "i", "q", "s", "u", "abbr", "acronym", "basefont", "bdo", "big", "cite", "code",
    "dfn", "em", "font", "img", "input", "kbd", "label", "samp", "select", "small", "span",
    "strike", "strong", "sub", "sup", "textarea", "tt", "var",
];

/// A tag at the start of `s` (which begins with `<`): its lowercased name,
/// whether it closes, and its length. `None` when `<` does not start a tag.
fn tag_at(s: &str) -> Option<(String, bool, usize)> {
    let bytes = s.as_bytes();
    let mut i = 1;
    let closing = bytes.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    let start = i;
    while i < bytes.len()
        && (bytes[i].is_ascii_alphanumeric()
            || (i > start && matches!(bytes[i], b'-' | b':' | b'_')))
    {
        i += 1;
    }
    if i == start || !bytes[start].is_ascii_alphabetic() {
        return None;
    }
    let name = s[start..i].to_ascii_lowercase();
    let mut quote = None;
    while i < bytes.len() {
        match (bytes[i], quote) {
            (b'"' | b'\'', None) => quote = Some(bytes[i]),
            (q, Some(open)) if q == open => quote = None,
            (b'>', None) => return Some((name, closing, i + 1)),
            (b'<', None) => return None,
            _ => {}
        }
        i += 1;
    }
    None
}

/// HTML 4's Latin-1 entities, U+00A0 to U+00FF in order.
const LATIN1: [&str; 96] = [
    "nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect", "uml", "copy", "ordf",
    "laquo", "not", "shy", "reg", "macr", "deg", "plusmn", "sup2", "sup3", "acute", "micro",
    "para", "middot", "cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest",
    "Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil", "Egrave", "Eacute",
    "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml", "ETH", "Ntilde", "Ograve", "Oacute",
    "Ocirc", "Otilde", "Ouml", "times", "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute",
    "THORN", "szlig", "agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil",
    "egrave", "eacute", "ecirc", "euml", "igrave", "iacute", "icirc", "iuml", "eth", "ntilde",
    "ograve", "oacute", "ocirc", "otilde", "ouml", "divide", "oslash", "ugrave", "uacute", "ucirc",
    "uuml", "yacute", "thorn", "yuml",
];

/// HTML 4's other entities (symbols, Greek, special), with the upper-case
/// spellings Lucene also accepts.
const NAMED: &[(&str, u32)] = &[
    ("quot", 34),
    ("QUOT", 34),
    ("amp", 38),
    ("AMP", 38),
    ("lt", 60),
    ("LT", 60),
    ("gt", 62),
    ("GT", 62),
    ("COPY", 169),
    ("REG", 174),
    ("OElig", 338),
    ("oelig", 339),
    ("Scaron", 352),
    ("scaron", 353),
    ("Yuml", 376),
    ("fnof", 402),
    ("circ", 710),
    ("tilde", 732),
    ("Alpha", 913),
    ("Beta", 914),
    ("Gamma", 915),
    ("Delta", 916),
    ("Epsilon", 917),
    ("Zeta", 918),
    ("Eta", 919),
    ("Theta", 920),
    ("Iota", 921),
    ("Kappa", 922),
    ("Lambda", 923),
    ("Mu", 924),
    ("Nu", 925),
    ("Xi", 926),
    ("Omicron", 927),
    ("Pi", 928),
    ("Rho", 929),
    ("Sigma", 931),
    ("Tau", 932),
    ("Upsilon", 933),
    ("Phi", 934),
    ("Chi", 935),
    ("Psi", 936),
    ("Omega", 937),
    ("alpha", 945),
    ("beta", 946),
    ("gamma", 947),
    ("delta", 948),
    ("epsilon", 949),
    ("zeta", 950),
    ("eta", 951),
    ("theta", 952),
    ("iota", 953),
    ("kappa", 954),
    ("lambda", 955),
    ("mu", 956),
    ("nu", 957),
    ("xi", 958),
    ("omicron", 959),
    ("pi", 960),
    ("rho", 961),
    ("sigmaf", 962),
    ("sigma", 963),
    ("tau", 964),
    ("upsilon", 965),
    ("phi", 966),
    ("chi", 967),
    ("psi", 968),
    ("omega", 969),
    ("thetasym", 977),
    ("upsih", 978),
    ("piv", 982),
    ("ensp", 8194),
    ("emsp", 8195),
    ("thinsp", 8201),
    ("zwnj", 8204),
    ("zwj", 8205),
    ("lrm", 8206),
    ("rlm", 8207),
    ("ndash", 8211),
    ("mdash", 8212),
    ("lsquo", 8216),
    ("rsquo", 8217),
    ("sbquo", 8218),
    ("ldquo", 8220),
    ("rdquo", 8221),
    ("bdquo", 8222),
    ("dagger", 8224),
    ("Dagger", 8225),
    ("bull", 8226),
    ("hellip", 8230),
    ("permil", 8240),
    ("prime", 8242),
    ("Prime", 8243),
    ("lsaquo", 8249),
    ("rsaquo", 8250),
    ("oline", 8254),
    ("frasl", 8260),
    ("euro", 8364),
    ("image", 8465),
    ("weierp", 8472),
    ("real", 8476),
    ("trade", 8482),
    ("alefsym", 8501),
    ("larr", 8592),
    ("uarr", 8593),
    ("rarr", 8594),
    ("darr", 8595),
    ("harr", 8596),
    ("crarr", 8629),
    ("lArr", 8656),
    ("uArr", 8657),
    ("rArr", 8658),
    ("dArr", 8659),
    ("hArr", 8660),
    ("forall", 8704),
    ("part", 8706),
    ("exist", 8707),
    ("empty", 8709),
    ("nabla", 8711),
    ("isin", 8712),
    ("notin", 8713),
    ("ni", 8715),
    ("prod", 8719),
    ("sum", 8721),
    ("minus", 8722),
    ("lowast", 8727),
    ("radic", 8730),
    ("prop", 8733),
    ("infin", 8734),
    ("ang", 8736),
    ("and", 8743),
    ("or", 8744),
    ("cap", 8745),
    ("cup", 8746),
    ("int", 8747),
    ("there4", 8756),
    ("sim", 8764),
    ("cong", 8773),
    ("asymp", 8776),
    ("ne", 8800),
    ("equiv", 8801),
    ("le", 8804),
    ("ge", 8805),
    ("sub", 8834),
    ("sup", 8835),
    ("nsub", 8836),
    ("sube", 8838),
    ("supe", 8839),
    ("oplus", 8853),
    ("otimes", 8855),
    ("perp", 8869),
    ("sdot", 8901),
    ("lceil", 8968),
    ("rceil", 8969),
    ("lfloor", 8970),
    ("rfloor", 8971),
    ("lang", 9001),
    ("rang", 9002),
    ("loz", 9674),
    ("spades", 9824),
    ("clubs", 9827),
    ("hearts", 9829),
    ("diams", 9830),
];

fn named_entity(name: &str) -> Option<char> {
    let code = match LATIN1.iter().position(|n| *n == name) {
        Some(i) => 0xA0 + i as u32,
        None => NAMED.iter().find(|(n, _)| *n == name)?.1,
    };
    char::from_u32(code)
}

/// A character reference at the start of `s` (which begins with `&`): the
/// character and the length consumed. The `;` is required except at the end
/// of the text.
fn entity_at(s: &str) -> Option<(char, usize)> {
    let body_len = s[1..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
        .unwrap_or(s.len() - 1);
    let body = &s[1..1 + body_len];
    let after = &s[1 + body_len..];
    let consumed = match after.chars().next() {
        Some(';') => 1 + body_len + 1,
        None => 1 + body_len,
        Some(_) => return None,
    };
    let c = if let Some(num) = body.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) if !hex.is_empty() && hex.len() <= 6 => u32::from_str_radix(hex, 16).ok()?,
            Some(_) => return None,
            None if !num.is_empty() && num.len() <= 7 => num.parse::<u32>().ok()?,
            None => return None,
        };
        if code > 0x10FFFF {
            return None;
        }
        // A lone surrogate becomes the replacement character.
        char::from_u32(code).unwrap_or('\u{FFFD}')
    } else {
        named_entity(body)?
    };
    Some((c, consumed))
}

pub fn strip(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        if rest.starts_with("<!--") {
            if let Some(end) = rest.find("-->") {
                i += end + 3;
                continue;
            }
        }
        // CDATA keeps its text; declarations (`<!DOCTYPE ...>`) and
        // processing instructions (`<?xml ...?>`) vanish.
        if let Some(body) = rest.strip_prefix("<![CDATA[") {
            if let Some(end) = body.find("]]>") {
                out.push_str(&body[..end]);
                i += "<![CDATA[".len() + end + 3;
                continue;
            }
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            if let Some(end) = rest.find('>') {
                i += end + 1;
                continue;
            }
        }
        if rest.starts_with('<') {
            if let Some((name, closing, len)) = tag_at(rest) {
                i += len;
                if !closing && (name == "script" || name == "style") {
                    let close = format!("</{name}");
                    let lower = s[i..].to_ascii_lowercase();
                    match lower
                        .find(&close)
                        .and_then(|p| lower[p..].find('>').map(|q| p + q + 1))
                    {
                        Some(end) => i += end,
                        None => i = s.len(),
                    }
                    out.push('\n');
                } else if !INLINE.contains(&name.as_str()) {
                    out.push('\n');
                }
                continue;
            }
        }
        if rest.starts_with('&') {
            if let Some((c, len)) = entity_at(rest) {
                out.push(c);
                i += len;
                continue;
            }
        }
        let c = rest.chars().next().expect("non-empty");
        out.push(c);
        i += c.len_utf8();
    }
    out
}
