//! java.lang.Math and the boxed numbers (Integer, Long, Double, Float,
//! Short, Byte), Boolean and Character. Painless whitelists only the
//! `double` overloads of Math (`Math.max(1, 2)` is `2.0`), and `round`
//! returns a `long`.

use super::super::ast::{Prim, Type};
use super::super::val::*;
use super::super::Exc;
use crate::value::BigInteger;
use super::arg_str;

type R<T> = Result<T, Exc>;

pub const METHODS: &[&str] = &[
    "intValue", "longValue", "doubleValue", "floatValue", "shortValue", "byteValue", "booleanValue", "charValue", "compareTo", "isNaN",
    "isInfinite", "signum", "intValueExact", "longValueExact", "shortValueExact", "byteValueExact", "negate", "abs",
];

/// The methods Painless whitelists on `java.math.BigInteger` beyond
/// Number's and Object's (`java.math.txt`). Those
/// [`call_big_integer`] does not implement fail by name when called,
/// rather than as methods the class lacks.
const BIG_INTEGER_METHODS: &[&str] = &[
    "abs", "add", "and", "andNot", "bitCount", "bitLength", "byteValueExact", "clearBit", "compareTo", "divide", "divideAndRemainder",
    "flipBit", "gcd", "getLowestSetBit", "intValueExact", "longValueExact", "max", "min", "mod", "modInverse", "modPow", "multiply",
    "negate", "not", "or", "pow", "remainder", "setBit", "shiftLeft", "shiftRight", "shortValueExact", "signum", "subtract", "testBit",
    "toByteArray", "toString", "xor",
];

pub const STATICS: &[(&str, &str)] = &[
    ("Math", "abs"),
    ("Math", "max"),
    ("Math", "min"),
    ("Math", "pow"),
    ("Math", "sqrt"),
    ("Math", "cbrt"),
    ("Math", "floor"),
    ("Math", "ceil"),
    ("Math", "round"),
    ("Math", "rint"),
    ("Math", "log"),
    ("Math", "log10"),
    ("Math", "log1p"),
    ("Math", "exp"),
    ("Math", "expm1"),
    ("Math", "signum"),
    ("Math", "random"),
    ("Math", "sin"),
    ("Math", "cos"),
    ("Math", "tan"),
    ("Math", "asin"),
    ("Math", "acos"),
    ("Math", "atan"),
    ("Math", "atan2"),
    ("Math", "sinh"),
    ("Math", "cosh"),
    ("Math", "tanh"),
    ("Math", "hypot"),
    ("Math", "toDegrees"),
    ("Math", "toRadians"),
    ("StrictMath", "abs"),
    ("StrictMath", "max"),
    ("StrictMath", "min"),
    ("StrictMath", "pow"),
    ("StrictMath", "sqrt"),
    ("StrictMath", "floor"),
    ("StrictMath", "ceil"),
    ("StrictMath", "round"),
    ("Integer", "parseInt"),
    ("Integer", "parseUnsignedInt"),
    ("Integer", "toUnsignedLong"),
    ("Integer", "toUnsignedString"),
    ("Integer", "compareUnsigned"),
    ("Integer", "divideUnsigned"),
    ("Integer", "remainderUnsigned"),
    ("Long", "parseUnsignedLong"),
    ("Long", "toUnsignedString"),
    ("Long", "compareUnsigned"),
    ("Long", "divideUnsigned"),
    ("Long", "remainderUnsigned"),
    ("Integer", "reverse"),
    ("Integer", "reverseBytes"),
    ("Integer", "numberOfLeadingZeros"),
    ("Integer", "numberOfTrailingZeros"),
    ("Integer", "highestOneBit"),
    ("Integer", "lowestOneBit"),
    ("Integer", "rotateLeft"),
    ("Integer", "rotateRight"),
    ("Long", "reverse"),
    ("Long", "reverseBytes"),
    ("Long", "numberOfLeadingZeros"),
    ("Long", "numberOfTrailingZeros"),
    ("Long", "highestOneBit"),
    ("Long", "lowestOneBit"),
    ("Long", "rotateLeft"),
    ("Long", "rotateRight"),
    ("Short", "reverseBytes"),
    ("Short", "toUnsignedInt"),
    ("Short", "toUnsignedLong"),
    ("Byte", "toUnsignedInt"),
    ("Byte", "toUnsignedLong"),
    ("Integer", "valueOf"),
    ("Integer", "decode"),
    ("Integer", "toString"),
    ("Integer", "toHexString"),
    ("Integer", "toBinaryString"),
    ("Integer", "compare"),
    ("Integer", "max"),
    ("Integer", "min"),
    ("Integer", "signum"),
    ("Integer", "hashCode"),
    ("Integer", "bitCount"),
    ("Integer", "toOctalString"),
    ("Long", "parseLong"),
    ("Long", "valueOf"),
    ("Long", "decode"),
    ("Long", "toString"),
    ("Long", "toHexString"),
    ("Long", "compare"),
    ("Long", "max"),
    ("Long", "min"),
    ("Long", "sum"),
    ("Long", "signum"),
    ("Long", "hashCode"),
    ("Long", "bitCount"),
    ("Long", "toBinaryString"),
    ("Long", "toOctalString"),
    ("Double", "parseDouble"),
    ("Double", "valueOf"),
    ("Double", "toString"),
    ("Double", "compare"),
    ("Double", "isNaN"),
    ("Double", "isInfinite"),
    ("Double", "isFinite"),
    ("Double", "max"),
    ("Double", "min"),
    ("Double", "sum"),
    ("Double", "hashCode"),
    ("Float", "hashCode"),
    ("Short", "hashCode"),
    ("Byte", "hashCode"),
    ("Boolean", "hashCode"),
    ("Boolean", "logicalAnd"),
    ("Boolean", "logicalOr"),
    ("Boolean", "logicalXor"),
    ("Character", "hashCode"),
    ("Float", "parseFloat"),
    ("Float", "valueOf"),
    ("Float", "toString"),
    ("Short", "parseShort"),
    ("Short", "valueOf"),
    ("Byte", "parseByte"),
    ("Byte", "valueOf"),
    ("Boolean", "parseBoolean"),
    ("Boolean", "valueOf"),
    ("Boolean", "toString"),
    ("Boolean", "compare"),
    ("Character", "isDigit"),
    ("Character", "isLetter"),
    ("Character", "isLetterOrDigit"),
    ("Character", "isWhitespace"),
    ("Character", "isUpperCase"),
    ("Character", "isLowerCase"),
    ("Character", "isAlphabetic"),
    ("Character", "isSpaceChar"),
    ("Character", "toUpperCase"),
    ("Character", "toLowerCase"),
    ("Character", "toString"),
    ("Character", "valueOf"),
    ("Character", "getNumericValue"),
    ("Character", "digit"),
];

pub const FIELDS: &[(&str, &str)] = &[
    ("Math", "PI"),
    ("Math", "E"),
    ("StrictMath", "PI"),
    ("StrictMath", "E"),
    ("Integer", "MAX_VALUE"),
    ("Integer", "MIN_VALUE"),
    ("Long", "MAX_VALUE"),
    ("Long", "MIN_VALUE"),
    ("Double", "MAX_VALUE"),
    ("Double", "MIN_VALUE"),
    ("Double", "NaN"),
    ("Double", "POSITIVE_INFINITY"),
    ("Double", "NEGATIVE_INFINITY"),
    ("Float", "MAX_VALUE"),
    ("Float", "MIN_VALUE"),
    ("Float", "NaN"),
    ("Short", "MAX_VALUE"),
    ("Short", "MIN_VALUE"),
    ("Byte", "MAX_VALUE"),
    ("Byte", "MIN_VALUE"),
    ("Boolean", "TRUE"),
    ("Boolean", "FALSE"),
    ("Character", "MAX_VALUE"),
    ("Character", "MIN_VALUE"),
];

pub fn to_f64(v: &Val<'_>) -> Option<f64> {
    Some(match v {
        Val::Byte(x) => *x as f64,
        Val::Short(x) => *x as f64,
        Val::Char(x) => *x as f64,
        Val::Int(x) => *x as f64,
        Val::Long(x) => *x as f64,
        Val::Float(x) => *x as f64,
        Val::Double(x) => *x,
        _ => return None,
    })
}

fn to_i64(v: &Val<'_>) -> Option<i64> {
    Some(match v {
        Val::Byte(x) => *x as i64,
        Val::Short(x) => *x as i64,
        Val::Char(x) => *x as i64,
        Val::Int(x) => *x as i64,
        Val::Long(x) => *x,
        Val::Float(x) => *x as i64,
        Val::Double(x) => *x as i64,
        _ => return None,
    })
}

fn num_arg(args: &[Val<'_>], i: usize) -> R<f64> {
    match args.get(i) {
        Some(v) => to_f64(v).ok_or_else(|| {
            if v.is_null() {
                Exc::npe("Cannot invoke \"java.lang.Number.doubleValue()\" because \"value\" is null")
            } else {
                Exc::class_cast(format!("cannot cast def [{}] to double", v.unboxed_name()))
            }
        }),
        None => Err(Exc::illegal_arg("missing argument")),
    }
}

fn long_arg(args: &[Val<'_>], i: usize) -> R<i64> {
    match args.get(i) {
        Some(v @ (Val::Float(_) | Val::Double(_))) => Err(Exc::class_cast(format!("cannot cast def [{}] to long", v.unboxed_name()))),
        Some(v) => to_i64(v).ok_or_else(|| Exc::class_cast(format!("cannot cast def [{}] to long", v.unboxed_name()))),
        None => Err(Exc::illegal_arg("missing argument")),
    }
}

fn int_arg(args: &[Val<'_>], i: usize) -> R<i32> {
    match args.get(i) {
        Some(Val::Int(x)) => Ok(*x),
        Some(Val::Short(x)) => Ok(*x as i32),
        Some(Val::Byte(x)) => Ok(*x as i32),
        Some(Val::Char(x)) => Ok(*x as i32),
        Some(v) => Err(Exc::class_cast(format!("cannot cast def [{}] to int", v.unboxed_name()))),
        None => Err(Exc::illegal_arg("missing argument")),
    }
}

/// A `float` parameter: the integral boxes and Float widen to it, a
/// Double does not (Painless casts `def` to `float` only from those).
fn float_arg(args: &[Val<'_>], i: usize) -> R<f32> {
    match args.get(i) {
        Some(Val::Float(x)) => Ok(*x),
        Some(Val::Int(x)) => Ok(*x as f32),
        Some(Val::Long(x)) => Ok(*x as f32),
        Some(Val::Short(x)) => Ok(*x as f32),
        Some(Val::Byte(x)) => Ok(*x as f32),
        Some(Val::Char(x)) => Ok(*x as f32),
        Some(v) => Err(Exc::class_cast(format!("cannot cast def [{}] to float", v.unboxed_name()))),
        None => Err(Exc::illegal_arg("missing argument")),
    }
}

fn bool_arg(args: &[Val<'_>], i: usize) -> R<bool> {
    match args.get(i) {
        Some(Val::Bool(b)) => Ok(*b),
        Some(v) => Err(Exc::class_cast(format!("cannot cast def [{}] to boolean", v.unboxed_name()))),
        None => Err(Exc::illegal_arg("missing argument")),
    }
}

fn number_format(s: &str, radix: u32) -> Exc {
    if radix == 10 {
        Exc::new("NumberFormatException", format!("For input string: \"{s}\""))
    } else {
        Exc::new("NumberFormatException", format!("For input string: \"{s}\" under radix {radix}"))
    }
}

/// The radix of Java's `Integer.parseInt(s, radix)` and its kin, which
/// refuse one outside `Character.MIN_RADIX..=MAX_RADIX` by name.
fn radix_arg(args: &[Val<'_>], i: usize) -> R<u32> {
    if args.len() <= i {
        return Ok(10);
    }
    match int_arg(args, i)? {
        r if r < 2 => Err(Exc::new("NumberFormatException", format!("radix {r} less than Character.MIN_RADIX"))),
        r if r > 36 => Err(Exc::new("NumberFormatException", format!("radix {r} greater than Character.MAX_RADIX"))),
        r => Ok(r as u32),
    }
}

/// Java `Integer.parseUnsignedInt(s, radix)` and `Long.parseUnsignedLong(s,
/// radix)` once the radix is checked (OpenJDK 22 and later,
/// `java.lang.Integer` and `java.lang.Long`, which read both alike): an
/// empty string and a bad digit fail as `parseInt` does, a leading minus
/// is refused by name, an optional `+`, then digits accumulated until the
/// value passes `max` (2^32 - 1 or 2^64 - 1), which fails as out of range
/// ("unsigned int" or "unsigned long", `width`) whatever follows. The
/// caller keeps the low 32 or 64 bits. Digits are ASCII, as `parse_long`
/// reads them.
fn parse_unsigned(s: &str, radix: u32, max: u64, width: &str) -> R<u64> {
    if s.starts_with('-') {
        return Err(Exc::new("NumberFormatException", format!("Illegal leading minus sign on unsigned string {s}.")));
    }
    let digits = s.strip_prefix('+').unwrap_or(s);
    if digits.is_empty() {
        return Err(number_format(s, radix));
    }
    let mut value: u128 = 0;
    for c in digits.chars() {
        let Some(digit) = c.to_digit(radix) else {
            return Err(number_format(s, radix));
        };
        value = value * radix as u128 + digit as u128;
        if value > max as u128 {
            return Err(Exc::new("NumberFormatException", format!("String value {s} exceeds range of unsigned {width}.")));
        }
    }
    Ok(value as u64)
}

/// The string an unsigned parse reads: Java checks it for null (with its
/// own message) before the radix.
fn unsigned_parse_arg<'v>(args: &'v [Val<'_>], name: &str) -> R<&'v str> {
    match args.first() {
        Some(Val::Null) => Err(Exc::new("NumberFormatException", "Cannot parse null string")),
        _ => arg_str(args, 0, name),
    }
}

/// Java `Long.parseLong(s, radix)`: optional sign, digits only, no spaces.
pub fn parse_long(s: &str, radix: u32, min: i64, max: i64) -> R<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return Err(number_format(s, radix));
    }
    match i64::from_str_radix(s, radix) {
        Ok(v) if v >= min && v <= max => Ok(v),
        _ => Err(number_format(s, radix)),
    }
}

/// Java `Integer.decode`/`Long.decode`: an optional sign, then `0x`, `0X`
/// or `#` for hexadecimal, a leading `0` followed by more for octal, else
/// decimal. The digits are parsed and then negated; when that fails (the
/// minimum value, whose magnitude does not fit, or a bad digit) they are
/// parsed again with their sign, which gives the value or the error Java
/// reports (`For input string: "-zz" under radix 16`).
pub fn decode(s: &str, min: i64, max: i64) -> R<i64> {
    if s.is_empty() {
        return Err(Exc::new("NumberFormatException", "Zero length string"));
    }
    let (negative, rest) = match s.as_bytes()[0] {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (radix, digits) = if let Some(d) = rest.strip_prefix("0x").or_else(|| rest.strip_prefix("0X")).or_else(|| rest.strip_prefix('#')) {
        (16, d)
    } else if rest.starts_with('0') && rest.len() > 1 {
        (8, &rest[1..])
    } else {
        (10, rest)
    };
    if digits.starts_with(['-', '+']) {
        return Err(Exc::new("NumberFormatException", "Sign character in wrong position"));
    }
    match parse_long(digits, radix, min, max) {
        Ok(v) => Ok(if negative { -v } else { v }),
        Err(_) if negative => parse_long(&format!("-{digits}"), radix, min, max),
        Err(e) => Err(e),
    }
}

/// The string `decode` takes. A null one fails in Java on its first use,
/// with a message this engine does not reproduce, so it says so.
fn decode_arg<'v>(args: &'v [Val<'_>], class: &str) -> R<&'v str> {
    match args.first() {
        Some(Val::Null) => Err(Exc::painless_error(format!("{class}.decode(null) is not supported by this engine"))),
        _ => arg_str(args, 0, "decode"),
    }
}

/// Java `Double.parseDouble`: trims, accepts a trailing d/f and the words
/// NaN and Infinity, but not Rust's `inf`/`nan`.
pub fn parse_double(s: &str) -> R<f64> {
    let t = s.trim_matches(|c: char| c <= ' ');
    if t.is_empty() {
        return Err(Exc::new("NumberFormatException", if s.is_empty() { "empty String".to_string() } else { format!("For input string: \"{s}\"") }));
    }
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    match unsigned {
        "NaN" => return Ok(f64::NAN),
        "Infinity" => return Ok(if t.starts_with('-') { f64::NEG_INFINITY } else { f64::INFINITY }),
        _ => {}
    }
    let body = t.strip_suffix(['d', 'D', 'f', 'F']).unwrap_or(t);
    let ok_chars = body.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'));
    match body.parse::<f64>() {
        Ok(v) if ok_chars => Ok(v),
        _ => Err(Exc::new("NumberFormatException", format!("For input string: \"{s}\""))),
    }
}

fn str_arg<'v>(args: &'v [Val<'_>], i: usize, what: &str) -> R<&'v str> {
    match args.get(i) {
        Some(Val::Null) if what == "double" => Err(Exc::npe("Cannot invoke \"String.trim()\" because \"in\" is null")),
        Some(Val::Null) => Err(Exc::new("NumberFormatException", "Cannot parse null string: null")),
        _ => arg_str(args, i, what),
    }
}

/// Java `Math.max(double, double)` (which `Double.max` calls): NaN if
/// either is, and 0.0 above -0.0 (Rust's `max` may answer either).
fn java_max(a: f64, b: f64) -> f64 {
    if a.is_nan() {
        a
    } else if a == 0.0 && b == 0.0 && a.is_sign_negative() {
        b
    } else if a >= b {
        a
    } else {
        b
    }
}

/// Java `Math.min(double, double)`: NaN if either is, -0.0 below 0.0.
fn java_min(a: f64, b: f64) -> f64 {
    if a.is_nan() {
        a
    } else if a == 0.0 && b == 0.0 && b.is_sign_negative() {
        b
    } else if a <= b {
        a
    } else {
        b
    }
}

/// Java `Math.round(double)`.
fn java_round(d: f64) -> i64 {
    if d.is_nan() {
        return 0;
    }
    (d + 0.5).floor() as i64
}

fn char_arg(args: &[Val<'_>], i: usize) -> R<u32> {
    match args.get(i) {
        Some(Val::Char(c)) => Ok(*c as u32),
        Some(Val::Int(c)) => Ok(*c as u32),
        Some(v) => Err(Exc::class_cast(format!("cannot cast def [{}] to char", v.unboxed_name()))),
        None => Err(Exc::illegal_arg("missing argument")),
    }
}

fn random() -> f64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    let mut x = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(88172645463325252) | 1;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    (x >> 11) as f64 / (1u64 << 53) as f64
}

pub fn call_static<'a>(class: &str, name: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    let r = (|| -> R<Option<Val<'a>>> {
        Ok(Some(match (class, name, args.len()) {
            ("Math" | "StrictMath", _, _) => {
                let a = |i| num_arg(args, i);
                Val::Double(match (name, args.len()) {
                    ("abs", 1) => a(0)?.abs(),
                    ("max", 2) => java_max(a(0)?, a(1)?),
                    ("min", 2) => java_min(a(0)?, a(1)?),
                    ("pow", 2) => a(0)?.powf(a(1)?),
                    ("sqrt", 1) => a(0)?.sqrt(),
                    ("cbrt", 1) => a(0)?.cbrt(),
                    ("floor", 1) => a(0)?.floor(),
                    ("ceil", 1) => a(0)?.ceil(),
                    ("rint", 1) => {
                        let x = a(0)?;
                        let r = x.round();
                        if (x - x.trunc()).abs() == 0.5 {
                            2.0 * (x / 2.0).round()
                        } else {
                            r
                        }
                    }
                    ("round", 1) => return Ok(Some(Val::Long(java_round(a(0)?)))),
                    ("log", 1) => a(0)?.ln(),
                    ("log10", 1) => a(0)?.log10(),
                    ("log1p", 1) => a(0)?.ln_1p(),
                    ("exp", 1) => a(0)?.exp(),
                    ("expm1", 1) => a(0)?.exp_m1(),
                    ("signum", 1) => {
                        let x = a(0)?;
                        if x == 0.0 || x.is_nan() {
                            x
                        } else {
                            x.signum()
                        }
                    }
                    ("random", 0) => random(),
                    ("sin", 1) => a(0)?.sin(),
                    ("cos", 1) => a(0)?.cos(),
                    ("tan", 1) => a(0)?.tan(),
                    ("asin", 1) => a(0)?.asin(),
                    ("acos", 1) => a(0)?.acos(),
                    ("atan", 1) => a(0)?.atan(),
                    ("atan2", 2) => a(0)?.atan2(a(1)?),
                    ("sinh", 1) => a(0)?.sinh(),
                    ("cosh", 1) => a(0)?.cosh(),
                    ("tanh", 1) => a(0)?.tanh(),
                    ("hypot", 2) => a(0)?.hypot(a(1)?),
                    ("toDegrees", 1) => a(0)?.to_degrees(),
                    ("toRadians", 1) => a(0)?.to_radians(),
                    _ => return Ok(None),
                })
            }
            ("Integer", "parseInt", 1 | 2) | ("Integer", "valueOf", 2) => {
                let s = str_arg(args, 0, "int")?;
                Val::Int(parse_long(s, radix_arg(args, 1)?, i32::MIN as i64, i32::MAX as i64)? as i32)
            }
            // Java checks null, then the radix, then the string.
            ("Integer", "parseUnsignedInt", 1 | 2) => {
                let s = unsigned_parse_arg(args, name)?;
                Val::Int(parse_unsigned(s, radix_arg(args, 1)?, u32::MAX as u64, "int")? as u32 as i32)
            }
            ("Long", "parseUnsignedLong", 1 | 2) => {
                let s = unsigned_parse_arg(args, name)?;
                Val::Long(parse_unsigned(s, radix_arg(args, 1)?, u64::MAX, "long")? as i64)
            }
            // java.lang.txt's one-argument `valueOf` of each box takes its
            // primitive (there is no `valueOf(String)`): the argument is cast
            // to it as Painless casts a `def` argument.
            ("Integer" | "Long" | "Short" | "Byte" | "Double" | "Float" | "Boolean", "valueOf", 1) => {
                let prim = super::boxed_prim(class).unwrap_or(Prim::Int);
                super::super::interp::coerce(&Type::Prim(prim), args[0].clone(), false)?
            }
            ("Long", "parseLong", 1 | 2) | ("Long", "valueOf", 2) => {
                let s = str_arg(args, 0, "long")?;
                Val::Long(parse_long(s, radix_arg(args, 1)?, i64::MIN, i64::MAX)?)
            }
            ("Integer", "decode", 1) => Val::Int(decode(decode_arg(args, "Integer")?, i32::MIN as i64, i32::MAX as i64)? as i32),
            ("Long", "decode", 1) => Val::Long(decode(decode_arg(args, "Long")?, i64::MIN, i64::MAX)?),
            ("Short", "parseShort", 1) => match &args[0] {
                Val::Str(s) => Val::Short(parse_long(s, 10, i16::MIN as i64, i16::MAX as i64)? as i16),
                _ => Val::Short(int_arg(args, 0)? as i16),
            },
            ("Byte", "parseByte", 1) => match &args[0] {
                Val::Str(s) => Val::Byte(parse_long(s, 10, i8::MIN as i64, i8::MAX as i64)? as i8),
                _ => Val::Byte(int_arg(args, 0)? as i8),
            },
            ("Double", "parseDouble", 1) => Val::Double(parse_double(str_arg(args, 0, "double")?)?),

            ("Float", "parseFloat", 1) => Val::Float(parse_double(str_arg(args, 0, "double")?)? as f32),

            // The argument widens to the parameter type first: `Double.toString(100)` is "100.0".
            ("Double", "toString", 1) => Val::string(Val::Double(num_arg(args, 0)?).to_java_string()),
            ("Float", "toString", 1) => Val::string(Val::Float(num_arg(args, 0)? as f32).to_java_string()),
            ("Integer" | "Long" | "Boolean" | "Character", "toString", 1) => Val::string(args[0].to_java_string()),
            ("Integer", "toString", 2) | ("Long", "toString", 2) => {
                let v = long_arg(args, 0)?;
                let radix = int_arg(args, 1)? as u32;
                Val::string(to_radix(v, radix))
            }
            // The boxes' static `hashCode(x)`: the hash of `x` boxed, after
            // the argument is cast to the parameter's type.
            ("Integer", "hashCode", 1) => Val::Int(int_arg(args, 0)?),
            ("Short", "hashCode", 1) => Val::Int(int_arg(args, 0)? as i16 as i32),
            ("Byte", "hashCode", 1) => Val::Int(int_arg(args, 0)? as i8 as i32),
            ("Character", "hashCode", 1) => Val::Int(char_arg(args, 0)? as u16 as i32),
            ("Long", "hashCode", 1) => Val::Int(super::misc::hash_code(&Val::Long(long_arg(args, 0)?))),
            ("Double", "hashCode", 1) => Val::Int(super::misc::hash_code(&Val::Double(num_arg(args, 0)?))),
            ("Float", "hashCode", 1) => Val::Int(super::misc::hash_code(&Val::Float(float_arg(args, 0)?))),
            ("Boolean", "hashCode", 1) => Val::Int(if bool_arg(args, 0)? { 1231 } else { 1237 }),
            ("Boolean", "logicalAnd", 2) => Val::Bool(bool_arg(args, 0)? & bool_arg(args, 1)?),
            ("Boolean", "logicalOr", 2) => Val::Bool(bool_arg(args, 0)? | bool_arg(args, 1)?),
            ("Boolean", "logicalXor", 2) => Val::Bool(bool_arg(args, 0)? ^ bool_arg(args, 1)?),
            ("Integer", "bitCount", 1) => Val::Int(int_arg(args, 0)?.count_ones() as i32),
            ("Long", "bitCount", 1) => Val::Int(long_arg(args, 0)?.count_ones() as i32),
            ("Long", "signum", 1) => Val::Int(long_arg(args, 0)?.signum() as i32),
            ("Integer", "toOctalString", 1) => Val::string(format!("{:o}", int_arg(args, 0)? as u32)),
            ("Long", "toOctalString", 1) => Val::string(format!("{:o}", long_arg(args, 0)? as u64)),
            ("Long", "toBinaryString", 1) => Val::string(format!("{:b}", long_arg(args, 0)? as u64)),
            ("Integer", "toHexString", 1) => Val::string(format!("{:x}", int_arg(args, 0)? as u32)),
            // The unsigned views of an int (java.lang.Integer): its 32 bits
            // read as a value from 0 to 2^32 - 1.
            ("Integer", "toUnsignedLong", 1) => Val::Long(int_arg(args, 0)? as u32 as i64),
            ("Integer", "toUnsignedString", 1) => Val::string((int_arg(args, 0)? as u32).to_string()),
            ("Integer", "toUnsignedString", 2) => Val::string(to_radix(int_arg(args, 0)? as u32 as i64, int_arg(args, 1)? as u32)),
            ("Integer", "compareUnsigned", 2) => Val::Int((int_arg(args, 0)? as u32).cmp(&(int_arg(args, 1)? as u32)) as i32),
            ("Integer", "divideUnsigned" | "remainderUnsigned", 2) => {
                let (x, y) = (int_arg(args, 0)? as u32, int_arg(args, 1)? as u32);
                if y == 0 {
                    return Err(Exc::new("ArithmeticException", "/ by zero"));
                }
                Val::Int(if name == "divideUnsigned" { x / y } else { x % y } as i32)
            }
            // Long's unsigned views: its 64 bits read from 0 to 2^64 - 1.
            ("Long", "toUnsignedString", 1) => Val::string((long_arg(args, 0)? as u64).to_string()),
            ("Long", "toUnsignedString", 2) => Val::string(unsigned_to_radix(long_arg(args, 0)? as u64, int_arg(args, 1)? as u32)),
            ("Long", "compareUnsigned", 2) => Val::Int((long_arg(args, 0)? as u64).cmp(&(long_arg(args, 1)? as u64)) as i32),
            ("Long", "divideUnsigned" | "remainderUnsigned", 2) => {
                let (x, y) = (long_arg(args, 0)? as u64, long_arg(args, 1)? as u64);
                if y == 0 {
                    return Err(Exc::new("ArithmeticException", "/ by zero"));
                }
                Val::Long(if name == "divideUnsigned" { x / y } else { x % y } as i64)
            }
            // The bit methods of Integer and Long (and Short's
            // `reverseBytes`), on the two's complement bits; a rotation's
            // distance counts modulo the width, as Java's shifts do.
            ("Integer", "reverse", 1) => Val::Int(int_arg(args, 0)?.reverse_bits()),
            ("Long", "reverse", 1) => Val::Long(long_arg(args, 0)?.reverse_bits()),
            ("Integer", "reverseBytes", 1) => Val::Int(int_arg(args, 0)?.swap_bytes()),
            ("Long", "reverseBytes", 1) => Val::Long(long_arg(args, 0)?.swap_bytes()),
            ("Short", "reverseBytes", 1) => Val::Short((int_arg(args, 0)? as i16).swap_bytes()),
            ("Integer", "numberOfLeadingZeros", 1) => Val::Int(int_arg(args, 0)?.leading_zeros() as i32),
            ("Long", "numberOfLeadingZeros", 1) => Val::Int(long_arg(args, 0)?.leading_zeros() as i32),
            ("Integer", "numberOfTrailingZeros", 1) => Val::Int(int_arg(args, 0)?.trailing_zeros() as i32),
            ("Long", "numberOfTrailingZeros", 1) => Val::Int(long_arg(args, 0)?.trailing_zeros() as i32),
            ("Integer", "highestOneBit", 1) => Val::Int(highest_one_bit(int_arg(args, 0)? as u32 as u64) as u32 as i32),
            ("Long", "highestOneBit", 1) => Val::Long(highest_one_bit(long_arg(args, 0)? as u64) as i64),
            ("Integer", "lowestOneBit", 1) => {
                let i = int_arg(args, 0)?;
                Val::Int(i & i.wrapping_neg())
            }
            ("Long", "lowestOneBit", 1) => {
                let i = long_arg(args, 0)?;
                Val::Long(i & i.wrapping_neg())
            }
            ("Integer", "rotateLeft", 2) => Val::Int(int_arg(args, 0)?.rotate_left((int_arg(args, 1)? & 31) as u32)),
            ("Integer", "rotateRight", 2) => Val::Int(int_arg(args, 0)?.rotate_right((int_arg(args, 1)? & 31) as u32)),
            ("Long", "rotateLeft", 2) => Val::Long(long_arg(args, 0)?.rotate_left((int_arg(args, 1)? & 63) as u32)),
            ("Long", "rotateRight", 2) => Val::Long(long_arg(args, 0)?.rotate_right((int_arg(args, 1)? & 63) as u32)),
            // Short's and Byte's unsigned views: their 16 or 8 bits.
            ("Short", "toUnsignedInt", 1) => Val::Int(int_arg(args, 0)? as u16 as i32),
            ("Short", "toUnsignedLong", 1) => Val::Long(int_arg(args, 0)? as u16 as i64),
            ("Byte", "toUnsignedInt", 1) => Val::Int(int_arg(args, 0)? as u8 as i32),
            ("Byte", "toUnsignedLong", 1) => Val::Long(int_arg(args, 0)? as u8 as i64),
            ("Integer", "toBinaryString", 1) => Val::string(format!("{:b}", int_arg(args, 0)? as u32)),
            ("Long", "toHexString", 1) => Val::string(format!("{:x}", long_arg(args, 0)? as u64)),
            ("Integer", "compare", 2) => Val::Int(int_arg(args, 0)?.cmp(&int_arg(args, 1)?) as i32),
            ("Long", "compare", 2) => Val::Int(long_arg(args, 0)?.cmp(&long_arg(args, 1)?) as i32),
            ("Double", "compare", 2) => Val::Int(num_arg(args, 0)?.total_cmp(&num_arg(args, 1)?) as i32),
            ("Integer", "max", 2) => Val::Int(int_arg(args, 0)?.max(int_arg(args, 1)?)),
            ("Integer", "min", 2) => Val::Int(int_arg(args, 0)?.min(int_arg(args, 1)?)),
            ("Integer", "signum", 1) => Val::Int(int_arg(args, 0)?.signum()),
            ("Long", "max", 2) => Val::Long(long_arg(args, 0)?.max(long_arg(args, 1)?)),
            ("Long", "min", 2) => Val::Long(long_arg(args, 0)?.min(long_arg(args, 1)?)),
            ("Long", "sum", 2) => Val::Long(long_arg(args, 0)?.wrapping_add(long_arg(args, 1)?)),
            ("Double", "max", 2) => Val::Double(java_max(num_arg(args, 0)?, num_arg(args, 1)?)),
            ("Double", "min", 2) => Val::Double(java_min(num_arg(args, 0)?, num_arg(args, 1)?)),
            ("Double", "sum", 2) => Val::Double(num_arg(args, 0)? + num_arg(args, 1)?),
            ("Double", "isNaN", 1) => Val::Bool(num_arg(args, 0)?.is_nan()),
            ("Double", "isInfinite", 1) => Val::Bool(num_arg(args, 0)?.is_infinite()),
            ("Double", "isFinite", 1) => Val::Bool(num_arg(args, 0)?.is_finite()),
            ("Boolean", "parseBoolean", 1) => Val::Bool(matches!(&args[0], Val::Str(s) if s.eq_ignore_ascii_case("true"))),

            ("Boolean", "compare", 2) => match (&args[0], &args[1]) {
                (Val::Bool(a), Val::Bool(b)) => Val::Int(a.cmp(b) as i32),
                _ => return Err(Exc::class_cast("cannot cast def to boolean")),
            },
            ("Character", "valueOf", 1) => Val::Char(char_arg(args, 0)? as u16),
            ("Character", _, 1) => {
                let code = char_arg(args, 0)?;
                let c = char::from_u32(code).unwrap_or('\u{fffd}');
                match name {
                    "isDigit" => Val::Bool(c.is_ascii_digit() || (c.is_numeric() && !c.is_alphabetic())),
                    "isLetter" | "isAlphabetic" => Val::Bool(c.is_alphabetic()),
                    "isLetterOrDigit" => Val::Bool(c.is_alphanumeric()),
                    "isWhitespace" => Val::Bool(matches!(c, ' ' | '\t' | '\n' | '\u{0b}' | '\u{0c}' | '\r' | '\u{1c}'..='\u{1f}') || (c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{2007}' | '\u{202f}'))),
                    "isSpaceChar" => Val::Bool(c == ' ' || matches!(c, '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}' | '\u{1680}')),
                    "isUpperCase" => Val::Bool(c.is_uppercase()),
                    "isLowerCase" => Val::Bool(c.is_lowercase()),
                    "toUpperCase" | "toLowerCase" => {
                        let mapped: Vec<char> = if name == "toUpperCase" { c.to_uppercase().collect() } else { c.to_lowercase().collect() };
                        let out = if mapped.len() == 1 { mapped[0] } else { c };
                        if matches!(args[0], Val::Int(_)) {
                            Val::Int(out as i32)
                        } else {
                            Val::Char(out as u32 as u16)
                        }
                    }
                    "getNumericValue" => Val::Int(c.to_digit(36).map(|d| d as i32).unwrap_or(-1)),
                    _ => return Ok(None),
                }
            }
            ("Character", "digit", 2) => {
                let c = char::from_u32(char_arg(args, 0)?).unwrap_or('\u{fffd}');
                Val::Int(c.to_digit(int_arg(args, 1)?.clamp(2, 36) as u32).map(|d| d as i32).unwrap_or(-1))
            }
            _ => return Ok(None),
        }))
    })();
    match r {
        Ok(Some(v)) => Some(Ok(v)),
        Ok(None) => None,
        Err(e) => Some(Err(e)),
    }
}

fn to_radix(v: i64, radix: u32) -> String {
    let radix = if (2..=36).contains(&radix) { radix } else { 10 };
    if v == 0 {
        return "0".into();
    }
    let neg = v < 0;
    let mut n = v.unsigned_abs();
    let mut digits = Vec::new();
    while n > 0 {
        digits.push(std::char::from_digit((n % radix as u64) as u32, radix).unwrap());
        n /= radix as u64;
    }
    if neg {
        digits.push('-');
    }
    digits.iter().rev().collect()
}

/// Java `Long.toUnsignedString(v, radix)`: the 64 bits as an unsigned
/// value, a radix outside 2..36 read as 10 (as `toString(v, radix)`).
fn unsigned_to_radix(mut n: u64, radix: u32) -> String {
    let radix = if (2..=36).contains(&radix) { radix } else { 10 };
    if n == 0 {
        return "0".into();
    }
    let mut digits = Vec::new();
    while n > 0 {
        digits.push(std::char::from_digit((n % radix as u64) as u32, radix).unwrap_or('0'));
        n /= radix as u64;
    }
    digits.iter().rev().collect()
}

/// Java `highestOneBit`: the value's top set bit alone, 0 for 0.
fn highest_one_bit(v: u64) -> u64 {
    if v == 0 {
        0
    } else {
        1 << (63 - v.leading_zeros())
    }
}

pub fn static_field<'a>(class: &str, name: &str) -> Option<R<Val<'a>>> {
    Some(Ok(match (class, name) {
        ("Math" | "StrictMath", "PI") => Val::Double(std::f64::consts::PI),
        ("Math" | "StrictMath", "E") => Val::Double(std::f64::consts::E),
        ("Integer", "MAX_VALUE") => Val::Int(i32::MAX),
        ("Integer", "MIN_VALUE") => Val::Int(i32::MIN),
        ("Long", "MAX_VALUE") => Val::Long(i64::MAX),
        ("Long", "MIN_VALUE") => Val::Long(i64::MIN),
        ("Double", "MAX_VALUE") => Val::Double(f64::MAX),
        ("Double", "MIN_VALUE") => Val::Double(f64::from_bits(1)),
        ("Double", "NaN") => Val::Double(f64::NAN),
        ("Double", "POSITIVE_INFINITY") => Val::Double(f64::INFINITY),
        ("Double", "NEGATIVE_INFINITY") => Val::Double(f64::NEG_INFINITY),
        ("Float", "MAX_VALUE") => Val::Float(f32::MAX),
        ("Float", "MIN_VALUE") => Val::Float(f32::from_bits(1)),
        ("Float", "NaN") => Val::Float(f32::NAN),
        ("Short", "MAX_VALUE") => Val::Short(i16::MAX),
        ("Short", "MIN_VALUE") => Val::Short(i16::MIN),
        ("Byte", "MAX_VALUE") => Val::Byte(i8::MAX),
        ("Byte", "MIN_VALUE") => Val::Byte(i8::MIN),
        ("Boolean", "TRUE") => Val::Bool(true),
        ("Boolean", "FALSE") => Val::Bool(false),
        ("Character", "MAX_VALUE") => Val::Char(u16::MAX),
        ("Character", "MIN_VALUE") => Val::Char(0),
        _ => return None,
    }))
}

/// Instance methods of the boxes (`Number.intValue()`, `compareTo`, ...).
pub fn call<'a>(recv: &Val<'a>, name: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    if let Val::Bool(b) = recv {
        return match (name, args.len()) {
            ("booleanValue", 0) => Some(Ok(Val::Bool(*b))),
            ("compareTo", 1) => Some(match &args[0] {
                Val::Bool(o) => Ok(Val::Int(b.cmp(o) as i32)),
                other => Err(Exc::class_cast(format!("cannot cast def [{}] to java.lang.Boolean", other.class_name()))),
            }),
            _ => None,
        };
    }
    if let Val::Char(c) = recv {
        return match (name, args.len()) {
            ("charValue", 0) => Some(Ok(Val::Char(*c))),
            ("compareTo", 1) => Some(match &args[0] {
                Val::Char(o) => Ok(Val::Int(*c as i32 - *o as i32)),
                other => Err(Exc::class_cast(format!("cannot cast def [{}] to java.lang.Character", other.class_name()))),
            }),
            _ => None,
        };
    }
    let d = to_f64(recv)?;
    let i = to_i64(recv)?;
    Some(Ok(match (name, args.len()) {
        ("intValue", 0) => Val::Int(if matches!(recv, Val::Float(_) | Val::Double(_)) { d as i32 } else { i as i32 }),
        ("longValue", 0) => Val::Long(if matches!(recv, Val::Float(_) | Val::Double(_)) { d as i64 } else { i }),
        ("shortValue", 0) => Val::Short(i as i16),
        ("byteValue", 0) => Val::Byte(i as i8),
        ("doubleValue", 0) => Val::Double(d),
        ("floatValue", 0) => Val::Float(d as f32),
        ("isNaN", 0) => Val::Bool(d.is_nan()),
        ("isInfinite", 0) => Val::Bool(d.is_infinite()),
        ("compareTo", 1) => {
            if std::mem::discriminant(recv) != std::mem::discriminant(&args[0]) {
                return Some(Err(Exc::class_cast(format!(
                    "class {} cannot be cast to class {} ({} and {} are in module java.base of loader 'bootstrap')",
                    args[0].class_name(),
                    recv.class_name(),
                    args[0].class_name(),
                    recv.class_name()
                ))));
            }
            match (recv, &args[0]) {
                (Val::Long(a), Val::Long(b)) => Val::Int(a.cmp(b) as i32),
                _ => Val::Int(d.total_cmp(&to_f64(&args[0]).unwrap_or(0.0)) as i32),
            }
        }
        _ => return None,
    }))
}

/// A method of `java.math.BigInteger` (Number's narrowing, `compareTo`,
/// the exact conversions, `signum`, `abs`, `negate`, `max`, `min`);
/// `toString()`, `equals` and `hashCode` are Object's. Its other
/// whitelisted methods (arithmetic, bits, `toString(radix)`) fail as not
/// supported.
pub fn call_big_integer<'a>(n: &BigInteger, name: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    let other = |args: &[Val<'a>]| match &args[0] {
        Val::Obj(o) => match &**o {
            super::Obj::BigInteger(m) => Ok(m.clone()),
            _ => Err(super::super::interp::jvm_cast_error(&args[0].class_name(), "java.math.BigInteger")),
        },
        Val::Null => Err(Exc::npe("Cannot read field \"signum\" because \"val\" is null")),
        other => Err(super::super::interp::jvm_cast_error(&other.class_name(), "java.math.BigInteger")),
    };
    let exact = |fits: bool, range: &str, value: Val<'a>| {
        if fits {
            Ok(value)
        } else {
            Err(Exc::new("ArithmeticException", format!("BigInteger out of {range} range")))
        }
    };
    let long = n.long_value();
    let exactly_long = n.to_i64();
    Some(match (name, args.len()) {
        ("intValue", 0) => Ok(Val::Int(n.int_value())),
        ("longValue", 0) => Ok(Val::Long(long)),
        ("shortValue", 0) => Ok(Val::Short(long as i16)),
        ("byteValue", 0) => Ok(Val::Byte(long as i8)),
        ("doubleValue", 0) => Ok(Val::Double(n.double_value())),
        ("floatValue", 0) => Ok(Val::Float(n.float_value())),
        ("signum", 0) => Ok(Val::Int(n.signum())),
        ("longValueExact", 0) => exact(exactly_long.is_some(), "long", Val::Long(long)),
        ("intValueExact", 0) => exact(exactly_long.is_some_and(|l| i32::try_from(l).is_ok()), "int", Val::Int(long as i32)),
        ("shortValueExact", 0) => exact(exactly_long.is_some_and(|l| i16::try_from(l).is_ok()), "short", Val::Short(long as i16)),
        ("byteValueExact", 0) => exact(exactly_long.is_some_and(|l| i8::try_from(l).is_ok()), "byte", Val::Byte(long as i8)),
        ("compareTo", 1) => other(args).map(|m| Val::Int(n.cmp(&m) as i32)),
        ("max", 1) => other(args).map(|m| big_integer_val(std::cmp::max(n.clone(), m))),
        ("min", 1) => other(args).map(|m| big_integer_val(std::cmp::min(n.clone(), m))),
        ("abs", 0) => Ok(big_integer_val(n.abs())),
        ("negate", 0) => Ok(big_integer_val(n.negate())),
        ("toString", 0) | ("equals", 1) | ("hashCode", 0) => return None,
        (name, arity) if BIG_INTEGER_METHODS.contains(&name) => {
            Err(Exc::painless_error(format!("the method [java.math.BigInteger, {name}/{arity}] is not supported by this engine")))
        }
        _ => return None,
    })
}

fn big_integer_val<'a>(n: BigInteger) -> Val<'a> {
    Val::Obj(std::rc::Rc::new(super::Obj::BigInteger(n)))
}

#[cfg(test)]
mod tests {
    use super::super::super::{script_result_of, ScriptContext};
    use crate::value::Value;

    fn decoded(source: &str) -> Result<Value, (String, String)> {
        script_result_of(source)
    }

    fn nfe(message: &str) -> Result<Value, (String, String)> {
        Err(("number_format_exception".into(), message.into()))
    }

    /// Java's `Long.decode` and `Integer.decode`, case by case from the
    /// JDK's code: the radix prefixes after an optional sign, the minimum
    /// value whose magnitude does not fit, and each error's message.
    #[test]
    fn decode_reads_radix_prefixes_as_java_does() {
        let cases: &[(&str, Result<Value, (String, String)>)] = &[
            ("Long.decode('0x1F')", Ok(Value::Long(31))),
            ("Long.decode('0X1f')", Ok(Value::Long(31))),
            ("Long.decode('-#ff')", Ok(Value::Long(-255))),
            ("Long.decode('+010')", Ok(Value::Long(8))),
            ("Long.decode('0')", Ok(Value::Long(0))),
            ("Long.decode('-0')", Ok(Value::Long(0))),
            ("Long.decode('1234')", Ok(Value::Long(1234))),
            ("Long.decode('-9223372036854775808')", Ok(Value::Long(i64::MIN))),
            ("Long.decode('-0x8000000000000000')", Ok(Value::Long(i64::MIN))),
            ("Long.decode('9223372036854775808')", nfe("For input string: \"9223372036854775808\"")),
            ("Long.decode('')", nfe("Zero length string")),
            ("Long.decode('+-1')", nfe("Sign character in wrong position")),
            ("Long.decode('0x-1')", nfe("Sign character in wrong position")),
            ("Long.decode('0x')", nfe("For input string: \"\" under radix 16")),
            ("Long.decode('-0x')", nfe("For input string: \"-\" under radix 16")),
            ("Long.decode('-')", nfe("For input string: \"-\"")),
            ("Long.decode('08')", nfe("For input string: \"8\" under radix 8")),
            ("Long.decode('-0xzz')", nfe("For input string: \"-zz\" under radix 16")),
            ("Long.decode(' 1')", nfe("For input string: \" 1\"")),
            ("Integer.decode('0x7fffffff')", Ok(Value::Int(i32::MAX))),
            ("Integer.decode('-2147483648')", Ok(Value::Int(i32::MIN))),
            ("Integer.decode('2147483648')", nfe("For input string: \"2147483648\"")),
            ("Integer.decode('#')", nfe("For input string: \"\" under radix 16")),
        ];
        for (expr, want) in cases {
            assert_eq!(&decoded(expr), want, "{expr}");
        }
        // As the Windows Security integration uses it.
        assert_eq!(decoded("Long x = Long.decode('0x100081'); x"), Ok(Value::Long(0x100081)));
        assert_eq!(decoded("Long.decode(null)").unwrap_err().1, "Long.decode(null) is not supported by this engine");
    }

    /// Java's `Integer.parseUnsignedInt`, which lang-painless's
    /// `java.lang.txt` whitelists, as OpenJDK's `java.lang.Integer` reads:
    /// the 32 bits of an unsigned value as an `int`, a leading minus
    /// refused by name, a value past 2^32 - 1 refused as soon as it is
    /// reached, and the radix checks it shares with
    /// `parseInt` and `parseLong`; and its unsigned kin (`toUnsignedLong`,
    /// `toUnsignedString`, `compareUnsigned`, `divideUnsigned`,
    /// `remainderUnsigned`).
    #[test]
    fn parse_unsigned_int_reads_unsigned_values_as_java_does() {
        let cases: &[(&str, Result<Value, (String, String)>)] = &[
            ("Integer.parseUnsignedInt('1')", Ok(Value::Int(1))),
            ("Integer.parseUnsignedInt('+7')", Ok(Value::Int(7))),
            ("Integer.parseUnsignedInt('2147483648')", Ok(Value::Int(i32::MIN))),
            ("Integer.parseUnsignedInt('4294967295')", Ok(Value::Int(-1))),
            ("Integer.parseUnsignedInt('ffffffff', 16)", Ok(Value::Int(-1))),
            ("Integer.parseUnsignedInt('zz', 36)", Ok(Value::Int(1295))),
            ("Integer.parseUnsignedInt('4294967296')", nfe("String value 4294967296 exceeds range of unsigned int.")),
            ("Integer.parseUnsignedInt('-1')", nfe("Illegal leading minus sign on unsigned string -1.")),
            ("Integer.parseUnsignedInt('-')", nfe("Illegal leading minus sign on unsigned string -.")),
            ("Integer.parseUnsignedInt('')", nfe("For input string: \"\"")),
            ("Integer.parseUnsignedInt('', 16)", nfe("For input string: \"\" under radix 16")),
            ("Integer.parseUnsignedInt('1x')", nfe("For input string: \"1x\"")),
            ("Integer.parseUnsignedInt('99999999999999999999')", nfe("String value 99999999999999999999 exceeds range of unsigned int.")),
            ("Integer.parseUnsignedInt('42949672951x')", nfe("String value 42949672951x exceeds range of unsigned int.")),
            ("Integer.parseUnsignedInt('+')", nfe("For input string: \"+\"")),
            ("Integer.parseUnsignedInt('', 1)", nfe("radix 1 less than Character.MIN_RADIX")),
            ("Integer.parseUnsignedInt(' 1')", nfe("For input string: \" 1\"")),
            ("Integer.parseUnsignedInt('1', 1)", nfe("radix 1 less than Character.MIN_RADIX")),
            ("Integer.parseUnsignedInt('1', 37)", nfe("radix 37 greater than Character.MAX_RADIX")),
            ("Integer.parseUnsignedInt(null)", nfe("Cannot parse null string")),
            ("Integer.parseInt('1', 37)", nfe("radix 37 greater than Character.MAX_RADIX")),
            ("Long.parseLong('1', 0)", nfe("radix 0 less than Character.MIN_RADIX")),
        ];
        for (expr, want) in cases {
            assert_eq!(&decoded(expr), want, "{expr}");
        }
        let helpers: &[(&str, Result<Value, (String, String)>)] = &[
            ("Integer.toUnsignedLong(-1)", Ok(Value::Long(4294967295))),
            ("Integer.toUnsignedLong(7)", Ok(Value::Long(7))),
            ("Integer.toUnsignedString(-2)", Ok(Value::String("4294967294".into()))),
            ("Integer.toUnsignedString(-1, 16)", Ok(Value::String("ffffffff".into()))),
            ("Integer.toUnsignedString(255, 99)", Ok(Value::String("255".into()))),
            ("Integer.compareUnsigned(-1, 1)", Ok(Value::Int(1))),
            ("Integer.compareUnsigned(1, 2)", Ok(Value::Int(-1))),
            ("Integer.divideUnsigned(-1, 2)", Ok(Value::Int(i32::MAX))),
            ("Integer.remainderUnsigned(-1, 10)", Ok(Value::Int(5))),
            ("Integer.divideUnsigned(1, 0)", Err(("arithmetic_exception".into(), "/ by zero".into()))),
            ("long l = Integer.toUnsignedLong(-1); l", Ok(Value::Long(4294967295))),
        ];
        for (expr, want) in helpers {
            assert_eq!(&decoded(expr), want, "{expr}");
        }
        // As the AWS VPC Flow Logs integration reads tcp_flags, with a static type of int.
        assert_eq!(decoded("int flags = Integer.parseUnsignedInt('19'); (flags & 0x10) != 0"), Ok(Value::Bool(true)));
    }

    /// Java's `Long.parseUnsignedLong` and Long's unsigned kin, as
    /// java.lang.txt whitelists them and OpenJDK's `java.lang.Long` reads
    /// them: the 64 unsigned bits as a `long`, Integer's checks and
    /// messages with "unsigned long".
    #[test]
    fn long_unsigned_members_read_64_unsigned_bits_as_java_does() {
        let cases: &[(&str, Result<Value, (String, String)>)] = &[
            ("Long.parseUnsignedLong('1')", Ok(Value::Long(1))),
            ("Long.parseUnsignedLong('+7')", Ok(Value::Long(7))),
            ("Long.parseUnsignedLong('9223372036854775808')", Ok(Value::Long(i64::MIN))),
            ("Long.parseUnsignedLong('18446744073709551615')", Ok(Value::Long(-1))),
            ("Long.parseUnsignedLong('ffffffffffffffff', 16)", Ok(Value::Long(-1))),
            ("Long.parseUnsignedLong('3w5e11264sgsf', 36)", Ok(Value::Long(-1))),
            ("Long.parseUnsignedLong('18446744073709551616')", nfe("String value 18446744073709551616 exceeds range of unsigned long.")),
            ("Long.parseUnsignedLong('3w5e11264sgsg', 36)", nfe("String value 3w5e11264sgsg exceeds range of unsigned long.")),
            ("Long.parseUnsignedLong('184467440737095516150x')", nfe("String value 184467440737095516150x exceeds range of unsigned long.")),
            ("Long.parseUnsignedLong('-1')", nfe("Illegal leading minus sign on unsigned string -1.")),
            ("Long.parseUnsignedLong('')", nfe("For input string: \"\"")),
            ("Long.parseUnsignedLong('+')", nfe("For input string: \"+\"")),
            ("Long.parseUnsignedLong('12g', 16)", nfe("For input string: \"12g\" under radix 16")),
            ("Long.parseUnsignedLong('1', 37)", nfe("radix 37 greater than Character.MAX_RADIX")),
            ("Long.parseUnsignedLong(null)", nfe("Cannot parse null string")),
            ("Long.toUnsignedString(-1L)", Ok(Value::String("18446744073709551615".into()))),
            ("Long.toUnsignedString(-1L, 16)", Ok(Value::String("ffffffffffffffff".into()))),
            ("Long.toUnsignedString(-1L, 36)", Ok(Value::String("3w5e11264sgsf".into()))),
            ("Long.toUnsignedString(255L, 99)", Ok(Value::String("255".into()))),
            ("Long.compareUnsigned(-1L, 1L)", Ok(Value::Int(1))),
            ("Long.compareUnsigned(1L, 2L)", Ok(Value::Int(-1))),
            ("Long.divideUnsigned(-1L, 2L)", Ok(Value::Long(i64::MAX))),
            ("Long.remainderUnsigned(-1L, 10L)", Ok(Value::Long(5))),
            ("Long.divideUnsigned(1L, 0L)", Err(("arithmetic_exception".into(), "/ by zero".into()))),
            ("long l = Long.parseUnsignedLong('42'); l", Ok(Value::Long(42))),
        ];
        for (expr, want) in cases {
            assert_eq!(&decoded(expr), want, "{expr}");
        }
    }

    /// The bit methods java.lang.txt whitelists on Integer and Long
    /// (`reverse reverseBytes numberOfLeadingZeros numberOfTrailingZeros
    /// highestOneBit lowestOneBit rotateLeft rotateRight`), Short's
    /// `reverseBytes` and Short's and Byte's `toUnsignedInt`/`toUnsignedLong`,
    /// with the values the JDK's javadoc gives (a rotation's distance taken
    /// modulo the width, a negative one rotating the other way).
    #[test]
    fn bit_methods_give_the_jdk_values() {
        let cases: &[(&str, Value)] = &[
            ("Integer.reverse(1)", Value::Int(i32::MIN)),
            ("Integer.reverseBytes(0x01020304)", Value::Int(0x04030201)),
            ("Long.reverse(1L)", Value::Long(i64::MIN)),
            ("Long.reverseBytes(0x0102030405060708L)", Value::Long(0x0807060504030201)),
            ("(int) Short.reverseBytes((short) 0x0102)", Value::Int(0x0201)),
            ("(int) Short.reverseBytes((short) 0x00ff)", Value::Int(-256)),
            ("Integer.numberOfLeadingZeros(0)", Value::Int(32)),
            ("Integer.numberOfLeadingZeros(-1)", Value::Int(0)),
            ("Integer.numberOfTrailingZeros(0)", Value::Int(32)),
            ("Integer.numberOfTrailingZeros(8)", Value::Int(3)),
            ("Long.numberOfLeadingZeros(1L)", Value::Int(63)),
            ("Long.numberOfTrailingZeros(0L)", Value::Int(64)),
            ("Integer.highestOneBit(100)", Value::Int(64)),
            ("Integer.highestOneBit(-1)", Value::Int(i32::MIN)),
            ("Integer.highestOneBit(0)", Value::Int(0)),
            ("Long.highestOneBit(-1L)", Value::Long(i64::MIN)),
            ("Integer.lowestOneBit(12)", Value::Int(4)),
            ("Integer.lowestOneBit(0)", Value::Int(0)),
            ("Long.lowestOneBit(Long.MIN_VALUE)", Value::Long(i64::MIN)),
            ("Integer.rotateLeft(1, 33)", Value::Int(2)),
            ("Integer.rotateLeft(1, -1)", Value::Int(i32::MIN)),
            ("Integer.rotateRight(1, 1)", Value::Int(i32::MIN)),
            ("Long.rotateLeft(1L, 65)", Value::Long(2)),
            ("Long.rotateRight(1L, -1)", Value::Long(2)),
            ("Short.toUnsignedInt((short) -1)", Value::Int(65535)),
            ("Short.toUnsignedLong((short) -2)", Value::Long(65534)),
            ("Byte.toUnsignedInt((byte) -1)", Value::Int(255)),
            ("Byte.toUnsignedLong((byte) -128)", Value::Long(128)),
            // Their static types: an int and a long.
            ("int n = Integer.numberOfLeadingZeros(1); n", Value::Int(31)),
            ("long r = Long.rotateLeft(1L, 1); r", Value::Long(2)),
        ];
        for (expr, want) in cases {
            assert_eq!(decoded(expr).as_ref(), Ok(want), "{expr}");
        }
    }

    /// The boxes' static `hashCode(x)` and the other statics java.lang.txt
    /// whitelists that pipelines use, with the JDK's values: `Long.hashCode`
    /// folds the halves, `Double.hashCode` hashes `doubleToLongBits`
    /// (every NaN alike), `Boolean.hashCode` is 1231 or 1237; the
    /// argument is cast to the parameter first (`Double.hashCode(1)` is
    /// the hash of 1.0).
    #[test]
    fn box_statics_give_the_jdk_values() {
        let cases: &[(&str, Value)] = &[
            ("Integer.hashCode(-7)", Value::Int(-7)),
            ("Long.hashCode(1L << 32)", Value::Int(1)),
            ("Long.hashCode(-1L)", Value::Int(0)),
            ("Long.hashCode(5)", Value::Int(5)),
            ("Double.hashCode(1)", Value::Int(1072693248)),
            ("Double.hashCode(1.5)", Value::Int(1073217536)),
            ("Double.hashCode(0.0/0.0) == Double.hashCode(Double.NaN)", Value::Bool(true)),
            ("Float.hashCode(1)", Value::Int(1065353216)),
            ("Boolean.hashCode(true)", Value::Int(1231)),
            ("Boolean.hashCode(false)", Value::Int(1237)),
            ("Character.hashCode((char) 'a')", Value::Int(97)),
            ("Integer.hashCode(5) == Integer.valueOf(5).hashCode()", Value::Bool(true)),
            ("Long.hashCode(123456789012L) == Long.valueOf(123456789012L).hashCode()", Value::Bool(true)),
            ("Boolean.logicalXor(true, false)", Value::Bool(true)),
            ("Boolean.logicalAnd(true, false)", Value::Bool(false)),
            ("Boolean.logicalOr(false, true)", Value::Bool(true)),
            ("Integer.bitCount(-1)", Value::Int(32)),
            ("Long.bitCount(255L)", Value::Int(8)),
            ("Long.signum(-9L)", Value::Int(-1)),
            ("Integer.toOctalString(-8)", Value::String("37777777770".into())),
            ("Long.toOctalString(8L)", Value::String("10".into())),
            ("Long.toBinaryString(-1L).length()", Value::Int(64)),
            ("Integer.toHexString(-1)", Value::String("ffffffff".into())),
            ("Long.toHexString(255L)", Value::String("ff".into())),
            // Math.max/min (and Double's, which call them): NaN wins, 0.0 is above -0.0.
            ("1 / Math.max(-0.0, 0.0)", Value::Double(f64::INFINITY)),
            ("1 / Math.min(0.0, -0.0)", Value::Double(f64::NEG_INFINITY)),
            ("1 / Double.max(-0.0, 0.0)", Value::Double(f64::INFINITY)),
            ("Double.isNaN(Double.max(1.0, Double.NaN))", Value::Bool(true)),
            ("Double.isNaN(Double.min(Double.NaN, 1.0))", Value::Bool(true)),
        ];
        for (expr, want) in cases {
            assert_eq!(decoded(expr).as_ref(), Ok(want), "{expr}");
        }
        // A Double is not cast to `float` implicitly.
        assert_eq!(decoded("def d = 1.5; Float.hashCode(d)").unwrap_err().0, "class_cast_exception");
    }

    /// What java.lang.txt's Math does not whitelist (only its `double`
    /// overloads, no `floorMod`/`floorDiv`) is refused when the script loads.
    #[test]
    fn math_members_painless_lacks_are_refused() {
        // Nor has Integer a `sum` (Long and Double have).
        for src in ["ctx.r = Math.floorMod(-7, 3)", "ctx.r = Math.floorDiv(7L, 2L)", "ctx.r = Math.addExact(1, 2)", "ctx.r = Integer.sum(1, 2)"] {
            let (kind, reason, _) = super::super::super::compile_refusal(src, ScriptContext::Ingest);
            assert_eq!(kind, "illegal_argument_exception", "{src}");
            assert!(reason.starts_with("unsupported Painless feature static method ["), "{src}: {reason}");
        }
    }
}
