//! `resource.Quantity` arithmetic for describe's resource tables: parsing `100m`, `128Mi`,
//! `1.5`, adding requests up, and printing the canonical form (`Quantity.String()`), in
//! integer milli-units so that nothing depends on floating point. 64 bits of milli-units
//! reach 9.2 exa-milli-units (8 Pi): beyond, sums saturate instead of wrapping (128-bit
//! arithmetic would cost the page's Wasm its division and printing code).

use std::fmt;

/// A quantity in thousandths of its unit (millicores, millibytes), with the suffix family
/// it was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Quantity {
    /// The value in milli-units.
    pub milli: i64,
    /// Written with a binary suffix (`Ki`, `Mi`, ...), which the canonical form keeps.
    binary: bool,
}

const BINARY: [(&str, u32); 6] = [
    ("Ki", 1),
    ("Mi", 2),
    ("Gi", 3),
    ("Ti", 4),
    ("Pi", 5),
    ("Ei", 6),
];
const DECIMAL: [(&str, i32); 8] = [
    ("m", -1),
    ("", 0),
    ("k", 1),
    ("M", 2),
    ("G", 3),
    ("T", 4),
    ("P", 5),
    ("E", 6),
];

impl Quantity {
    /// Parses a quantity as the API stores it; anything unreadable counts as zero.
    pub fn parse(text: &str) -> Quantity {
        let split = text
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-'))
            .unwrap_or(text.len());
        let (number, suffix) = text.split_at(split);
        let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
        let negative = whole.starts_with('-');
        let digits = whole.trim_start_matches(['+', '-']);
        // Too many digits for 64 bits saturates; no digits at all is zero.
        let overflow = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
        let whole: i64 = digits
            .parse()
            .unwrap_or(if overflow { i64::MAX } else { 0 });
        // Thousandths of the number itself (finer digits are dropped).
        let mut thousandths: i64 = 0;
        for (i, d) in fraction.chars().take(3).enumerate() {
            let digit = i64::from(d.to_digit(10).unwrap_or(0));
            thousandths += digit * 10i64.pow(2 - u32::try_from(i).unwrap_or(2));
        }
        let base = whole.saturating_mul(1000).saturating_add(thousandths);
        let (milli, binary) = if let Some((_, p)) = BINARY.iter().find(|(s, _)| *s == suffix) {
            (base.saturating_mul(1024i64.pow(*p)), true)
        } else if let Some((_, p)) = DECIMAL.iter().find(|(s, _)| *s == suffix) {
            let scaled = if *p < 0 {
                base / 1000
            } else {
                base.saturating_mul(1000i64.pow(p.unsigned_abs()))
            };
            (scaled, false)
        } else {
            (0, false)
        };
        Quantity {
            milli: if negative { -milli } else { milli },
            binary,
        }
    }

    /// `Quantity.Add`: the sum keeps the suffix family of the first non-zero term.
    pub fn add(self, other: Quantity) -> Quantity {
        Quantity {
            milli: self.milli.saturating_add(other.milli),
            binary: if self.milli == 0 {
                other.binary
            } else {
                self.binary
            },
        }
    }
}

impl fmt::Display for Quantity {
    /// The canonical form: the largest suffix that keeps the number whole; binary quantities
    /// between -1024 and 1024 print in decimal, as `Quantity.String()` does.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = self.milli;
        if m == 0 {
            return f.write_str("0");
        }
        if self.binary && m % 1000 == 0 && m.unsigned_abs() >= 1024 * 1000 {
            let units = m / 1000;
            let found = BINARY
                .iter()
                .rev()
                .find(|(_, p)| units % 1024i64.pow(*p) == 0);
            return match found {
                Some((suffix, p)) => write!(f, "{}{suffix}", units / 1024i64.pow(*p)),
                None => write!(f, "{units}"),
            };
        }
        if m % 1000 != 0 {
            return write!(f, "{m}m");
        }
        let units = m / 1000;
        let (suffix, p) = DECIMAL
            .iter()
            .rev()
            .filter(|(_, p)| *p >= 0)
            .find(|(_, p)| units % 1000i64.pow(p.unsigned_abs()) == 0)
            .copied()
            .unwrap_or(("", 0));
        write!(f, "{}{suffix}", units / 1000i64.pow(p.unsigned_abs()))
    }
}

#[cfg(test)]
mod tests {
    use super::Quantity;

    #[test]
    fn canonical_forms_as_quantity_string_prints_them() {
        let cases = [
            ("100m", "100m"),
            ("0.5", "500m"),
            ("4", "4"),
            ("1000m", "1"),
            ("128Mi", "128Mi"),
            ("1024Mi", "1Gi"),
            ("8148440Ki", "8148440Ki"),
            ("512", "512"),
            ("1000", "1k"),
            ("100M", "100M"),
            ("0", "0"),
        ];
        for (text, want) in cases {
            assert_eq!(Quantity::parse(text).to_string(), want, "{text}");
        }
        let sum = Quantity::parse("100m").add(Quantity::parse("250m"));
        assert_eq!(sum.to_string(), "350m");
        let mem = Quantity::default()
            .add(Quantity::parse("64Mi"))
            .add(Quantity::parse("64Mi"));
        assert_eq!(mem.to_string(), "128Mi");
    }
}
