//! `CIDR` (`org.elasticsearch.painless.api.CIDR`, whitelisted by
//! lang-painless's `org.elasticsearch.txt`): `new CIDR(String)` and
//! `contains(String)`, which the Apache access pipeline uses to skip
//! private forwarded-for addresses.
//!
//! As the class does: the constructor keeps the range's first and last
//! address (`InetAddresses.parseCidr` then `CIDRUtils.getLowerUpper`, or
//! one address for both when there is no `/`), and `contains` is false for
//! a null or empty string, else parses the address with
//! `InetAddresses.forString` and compares bytes (`CIDRUtils.isBetween`).

use super::super::val::*;
use super::super::Exc;
use super::{arg_str, Obj};
use crate::error::EsError;
use crate::inet::{cidr_bounds, in_bounds, ip_bytes, parse_ip};
use std::rc::Rc;

type R<T> = Result<T, Exc>;

#[derive(Debug)]
pub struct Cidr {
    lower: Vec<u8>,
    upper: Vec<u8>,
}

/// The parsing errors, as the script sees the Java exceptions behind them.
fn thrown(e: EsError) -> Exc {
    match e.kind.as_str() {
        "number_format_exception" => Exc::new("NumberFormatException", e.reason),
        _ => Exc::illegal_arg(e.reason),
    }
}

pub fn construct<'a>(args: &[Val<'a>]) -> R<Val<'a>> {
    if let Some(Val::Null) = args.first() {
        // Java fails on `cidr.contains("/")` with a message of its own.
        return Err(Exc::painless_error("new CIDR(null) is not supported by this engine"));
    }
    let (lower, upper) = cidr_bounds(arg_str(args, 0, "CIDR")?).map_err(thrown)?;
    Ok(Val::Obj(Rc::new(Obj::Cidr(Box::new(Cidr { lower, upper })))))
}

pub fn call<'a>(cidr: &Cidr, name: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    Some(match (name, args.len()) {
        ("contains", 1) => match &args[0] {
            Val::Null => Ok(Val::Bool(false)),
            Val::Str(s) if s.is_empty() => Ok(Val::Bool(false)),
            _ => arg_str(args, 0, "contains")
                .and_then(|address| parse_ip(address).map_err(thrown))
                .map(|ip| Val::Bool(in_bounds(&ip_bytes(ip), &cidr.lower, &cidr.upper))),
        },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::super::script_result;
    use crate::value::Value;

    fn run(setup: &str, expr: &str) -> Result<Value, (String, String)> {
        script_result(setup, expr)
    }

    /// Ranges, single addresses, IPv4 against IPv6 in the mapped space, and
    /// the exceptions of the address and range parsers.
    #[test]
    fn contains_follows_the_painless_api_class() {
        let cases: &[(&str, Result<Value, (String, String)>)] = &[
            ("new CIDR('10.0.0.0/8').contains('10.200.0.1')", Ok(Value::Bool(true))),
            ("new CIDR('172.16.0.0/12').contains('172.32.0.1')", Ok(Value::Bool(false))),
            ("new CIDR('192.168.0.0/16').contains('192.168.255.255')", Ok(Value::Bool(true))),
            ("new CIDR('10.1.2.3').contains('10.1.2.3')", Ok(Value::Bool(true))),
            ("new CIDR('10.1.2.3').contains('10.1.2.4')", Ok(Value::Bool(false))),
            ("new CIDR('2001:db8::/32').contains('2001:db8::1')", Ok(Value::Bool(true))),
            ("new CIDR('::/0').contains('10.0.0.1')", Ok(Value::Bool(true))),
            ("new CIDR('2001:db8::/32').contains('10.0.0.1')", Ok(Value::Bool(false))),
            ("new CIDR('10.0.0.0/8').contains('')", Ok(Value::Bool(false))),
            ("new CIDR('10.0.0.0/8').contains(null)", Ok(Value::Bool(false))),
            (
                "new CIDR('10.0.0.0/8').contains('example.com')",
                Err(("illegal_argument_exception".into(), "'example.com' is not an IP string literal.".into())),
            ),
            (
                "new CIDR('10.0.0.0/33')",
                Err((
                    "illegal_argument_exception".into(),
                    "illegal prefixLength '33'. Must be 0-32 for IPv4 ranges, 0-128 for IPv6 ranges".into(),
                )),
            ),
            ("new CIDR('10.0.0.0/x')", Err(("number_format_exception".into(), "For input string: \"x\"".into()))),
            ("new CIDR('10.0.0.0/8') instanceof CIDR", Ok(Value::Bool(true))),
        ];
        for (expr, want) in cases {
            assert_eq!(&run("", expr), want, "{expr}");
        }
    }

    /// As the Apache access pipeline picks the first public forwarded-for
    /// address: a host name in the list is not private (the parse error is
    /// caught).
    #[test]
    fn the_apache_private_address_check_runs() {
        let check = "boolean isPrivateCIDR(def ip) { CIDR a = new CIDR('10.0.0.0/8'); CIDR b = new CIDR('172.16.0.0/12'); \
                     CIDR c = new CIDR('192.168.0.0/16'); try { return a.contains(ip) || b.contains(ip) || c.contains(ip); } \
                     catch (IllegalArgumentException e) { return false; } } ";
        for (ip, private) in [("10.0.0.1", true), ("172.20.1.1", true), ("67.43.156.13", false), ("proxy.local", false)] {
            assert_eq!(run(check, &format!("isPrivateCIDR('{ip}')")), Ok(Value::Bool(private)), "{ip}");
        }
    }
}
