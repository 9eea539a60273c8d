//! `java.math.BigInteger`, as a document holds it.
//!
//! Jackson's `getNumberValue()`, which XContent's `numberValue()` returns
//! (`AbstractXContentParser.readValueUnsafe`, `JsonXContentParser`), boxes
//! a JSON integer in the smallest of `Integer`, `Long` and `BigInteger`
//! that holds it, and `XContentBuilder` writes a `BigInteger` back with all
//! its digits (`writeNumber(BigInteger)`). Integers beyond a `long` are
//! rare, so this keeps only what a document needs of one: its exact
//! decimal text, from which Java's narrowing conversions, its order and
//! its equality follow. Arithmetic on it is not supported.

use std::cmp::Ordering;

/// Jackson's default `StreamReadConstraints.getMaxNumberLength()`, which
/// Elasticsearch keeps (`XContentImplUtils` raises only the string
/// length): a longer number is refused when read.
pub const MAX_NUMBER_LENGTH: usize = 1000;

/// An integer held by its decimal text: an optional `-`, then digits
/// without a leading zero (`0` alone for zero, never `-0`). The text is
/// canonical, so two equal values have equal texts, as
/// `BigInteger.equals` compares values.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BigInteger(Box<str>);

impl BigInteger {
    /// The integer a decimal text (`-`/`+` sign, then ASCII digits)
    /// denotes, as `new BigInteger(String)` reads it; `None` for anything
    /// else.
    pub fn parse(text: &str) -> Option<BigInteger> {
        let (negative, digits) = match text.as_bytes().first()? {
            b'-' => (true, &text[1..]),
            b'+' => (false, &text[1..]),
            _ => (false, text),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let digits = digits.trim_start_matches('0');
        Some(match (negative, digits.is_empty()) {
            (_, true) => BigInteger("0".into()),
            (false, false) => BigInteger(digits.into()),
            (true, false) => BigInteger(format!("-{digits}").into()),
        })
    }

    pub fn from_i128(n: i128) -> BigInteger {
        BigInteger(n.to_string().into())
    }

    pub fn from_u128(n: u128) -> BigInteger {
        BigInteger(n.to_string().into())
    }

    /// `toString()`: the decimal text.
    pub fn text(&self) -> &str {
        &self.0
    }

    pub fn is_negative(&self) -> bool {
        self.0.starts_with('-')
    }

    fn magnitude(&self) -> &str {
        self.0.trim_start_matches('-')
    }

    /// The value as a `long` when it fits one.
    pub fn to_i64(&self) -> Option<i64> {
        self.0.parse().ok()
    }

    /// `longValue()`: the low 64 bits of the two's complement, as Java's
    /// narrowing primitive conversion keeps them. The magnitude is
    /// reduced modulo 2^64 digit by digit, then negated for a negative
    /// value, which is the same modulo 2^64.
    pub fn long_value(&self) -> i64 {
        let low = self.magnitude().bytes().fold(0u64, |n, d| n.wrapping_mul(10).wrapping_add((d - b'0') as u64));
        let low = if self.is_negative() { low.wrapping_neg() } else { low };
        low as i64
    }

    /// `intValue()`: the low 32 bits.
    pub fn int_value(&self) -> i32 {
        self.long_value() as i32
    }

    /// `doubleValue()`: the nearest double, ties to even (Java rounds a
    /// BigInteger correctly since JDK 8, as Rust's parser does), infinite
    /// beyond `Double.MAX_VALUE`.
    pub fn double_value(&self) -> f64 {
        self.0.parse().unwrap_or(f64::NAN)
    }

    /// `floatValue()`: the nearest float, rounded from the exact value.
    pub fn float_value(&self) -> f32 {
        self.0.parse().unwrap_or(f32::NAN)
    }

    /// `negate()`.
    pub fn negate(&self) -> BigInteger {
        match (self.is_negative(), &*self.0) {
            (true, _) => BigInteger(self.magnitude().into()),
            (false, "0") => self.clone(),
            (false, digits) => BigInteger(format!("-{digits}").into()),
        }
    }

    /// `abs()`.
    pub fn abs(&self) -> BigInteger {
        BigInteger(self.magnitude().into())
    }

    /// `hashCode()`: over the magnitude's 32-bit words, most significant
    /// first (`31 * h + word`), times the sign.
    pub fn hash_code(&self) -> i32 {
        // The magnitude in base 2^32, least significant word first.
        let mut words: Vec<u32> = Vec::new();
        for digit in self.magnitude().bytes() {
            let mut carry = (digit - b'0') as u64;
            for word in &mut words {
                let next = *word as u64 * 10 + carry;
                *word = next as u32;
                carry = next >> 32;
            }
            if carry != 0 {
                words.push(carry as u32);
            }
        }
        let hash = words.iter().rev().fold(0i32, |h, &w| h.wrapping_mul(31).wrapping_add(w as i32));
        hash.wrapping_mul(self.signum())
    }

    /// `signum()`.
    pub fn signum(&self) -> i32 {
        match (self.is_negative(), &*self.0) {
            (true, _) => -1,
            (false, "0") => 0,
            (false, _) => 1,
        }
    }
}

/// `compareTo`: numeric order.
impl Ord for BigInteger {
    fn cmp(&self, other: &BigInteger) -> Ordering {
        let by_magnitude = |a: &str, b: &str| a.len().cmp(&b.len()).then_with(|| a.cmp(b));
        match (self.is_negative(), other.is_negative()) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => by_magnitude(self.magnitude(), other.magnitude()),
            (true, true) => by_magnitude(other.magnitude(), self.magnitude()),
        }
    }
}

impl PartialOrd for BigInteger {
    fn partial_cmp(&self, other: &BigInteger) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn big(text: &str) -> BigInteger {
        BigInteger::parse(text).unwrap()
    }

    #[test]
    fn text_is_canonical() {
        assert_eq!(big("12345678901234567890").text(), "12345678901234567890");
        assert_eq!(big("-0009223372036854775809").text(), "-9223372036854775809");
        assert_eq!(big("+17").text(), "17");
        assert_eq!(big("-0").text(), "0");
        assert_eq!(big("000").text(), "0");
        for bad in ["", "-", "+", "1.0", "1e5", " 1", "--1", "0x10", "١"] {
            assert_eq!(BigInteger::parse(bad), None, "{bad:?}");
        }
        assert_eq!(big("-9223372036854775809"), BigInteger::from_i128(-9223372036854775809));
        assert_eq!(big("18446744073709551616"), BigInteger::from_u128(1 << 64));
    }

    /// Java's narrowing: `new BigInteger("12345678901234567890").longValue()`
    /// is `-6101065172474983726` (the value minus 2^64), `intValue()` its
    /// low 32 bits `-350287150`; 2^64 narrows to 0, -(2^63 + 1) to
    /// `Long.MAX_VALUE`.
    #[test]
    fn narrows_as_java_does() {
        assert_eq!(big("12345678901234567890").long_value(), -6101065172474983726);
        assert_eq!(big("12345678901234567890").int_value(), -350287150);
        assert_eq!(big("18446744073709551616").long_value(), 0);
        assert_eq!(big("-9223372036854775809").long_value(), i64::MAX);
        assert_eq!(big("9223372036854775808").long_value(), i64::MIN);
        assert_eq!(big("-12345678901234567890").long_value(), 6101065172474983726);
        assert_eq!(big("340282366920938463463374607431768211457").long_value(), 1);
        for n in [0i128, 1, -1, i64::MAX as i128, i64::MIN as i128, 1 << 70, -(1 << 70) - 12345] {
            assert_eq!(BigInteger::from_i128(n).long_value(), n as i64, "{n}");
            assert_eq!(BigInteger::from_i128(n).int_value(), n as i32, "{n}");
        }
    }

    /// `doubleValue()` rounds to nearest, ties to even: 2^53 + 1 is a tie
    /// between 2^53 and 2^53 + 2 and goes to 2^53; a 400-digit integer is
    /// beyond `Double.MAX_VALUE`.
    #[test]
    fn doubles_round_to_nearest() {
        assert_eq!(big("12345678901234567890").double_value(), 1.2345678901234567E19);
        assert_eq!(big("9007199254740993").double_value(), 9007199254740992.0);
        assert_eq!(big("9007199254740995").double_value(), 9007199254740996.0);
        assert_eq!(big(&"9".repeat(400)).double_value(), f64::INFINITY);
        assert_eq!(big(&format!("-{}", "9".repeat(400))).double_value(), f64::NEG_INFINITY);
        assert_eq!(big("16777217").float_value(), 16777216.0);
    }

    #[test]
    fn order_is_numeric() {
        let sorted = ["-100000000000000000000", "-99999999999999999999", "-1", "0", "7", "99999999999999999999", "100000000000000000000"];
        for (i, a) in sorted.iter().enumerate() {
            for (j, b) in sorted.iter().enumerate() {
                assert_eq!(big(a).cmp(&big(b)), i.cmp(&j), "{a} {b}");
            }
        }
        assert_eq!(big("-5").signum(), -1);
        assert_eq!(big("0").signum(), 0);
        assert_eq!(big("5").signum(), 1);
        assert_eq!(big("-5").negate(), big("5"));
        assert_eq!(big("5").negate(), big("-5"));
        assert_eq!(big("0").negate(), big("0"));
        assert_eq!(big("-12345678901234567890").abs(), big("12345678901234567890"));
    }

    /// `BigInteger.hashCode`: 2^64 has the words [1, 0, 0], so 31 * 31;
    /// 12345678901234567890 is 0xAB54A98C_EB1F0AD2, so 31 * 0xAB54A98C +
    /// 0xEB1F0AD2 in int arithmetic; a negative value the negation.
    #[test]
    fn hash_code_is_javas() {
        assert_eq!(big("18446744073709551616").hash_code(), 961);
        let expected = 0xAB54A98Cu32.wrapping_mul(31).wrapping_add(0xEB1F0AD2) as i32;
        assert_eq!(big("12345678901234567890").hash_code(), expected);
        assert_eq!(big("-12345678901234567890").hash_code(), expected.wrapping_neg());
        assert_eq!(big("0").hash_code(), 0);
        assert_eq!(big("7").hash_code(), 7);
    }
}
