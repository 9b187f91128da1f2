//! Decimal text to `f64` for the YAML core schema's floats (`0.5`, `+1.`, `.25`, `1e3`,
//! `.inf`, `.nan`) and jsonpath's number literals.
//!
//! The digits are handed to serde_json's own float reader, which the page already carries for
//! JSON manifests. Rust's `str::parse::<f64>` would link the standard library's 10 KB table of
//! powers of five into the Wasm, and manifests hardly ever hold a float (`cpu: 0.5`).
//! serde_json's reader is exact whenever the digits fit in 53 bits and the power of ten is
//! small, which covers every float a manifest is likely to hold.

/// The value of `text` when it is a YAML 1.2 core schema float:
/// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`, or one of the
/// spellings of infinity and not-a-number. `None` when it is not a float.
pub fn parse(text: &str) -> Option<f64> {
    match text {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        _ => {}
    }
    let (negative, unsigned) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (mantissa, None),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let fraction_ok = fraction.is_none_or(digits);
    let has_digits = !whole.is_empty() || fraction.is_some_and(|f| !f.is_empty());
    if !digits(whole) || !fraction_ok || !has_digits {
        return None;
    }
    let exponent = match exponent {
        None => "0",
        Some(e) => {
            let unsigned = e.strip_prefix(['-', '+']).unwrap_or(e);
            if unsigned.is_empty() || !digits(unsigned) {
                return None;
            }
            e
        }
    };
    // JSON's grammar: no leading zeros, digits on both sides of the point.
    let whole = whole.trim_start_matches('0');
    let json = format!(
        "{}{}.{}0e{}",
        if negative { "-" } else { "" },
        if whole.is_empty() { "0" } else { whole },
        fraction.unwrap_or(""),
        exponent
    );
    // Read as a JSON value, the reader manifests already use (asking serde for an `f64`
    // directly would link float printing for its error messages).
    match serde_json::from_str::<serde_json::Value>(&json)
        .ok()
        .and_then(|v| v.as_f64())
    {
        Some(value) => Some(value),
        // Too large for an f64: Go's strconv.ParseFloat gives ±Inf, as does Rust's.
        None if negative => Some(f64::NEG_INFINITY),
        None => Some(f64::INFINITY),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_schema_floats_parse_and_other_text_does_not() {
        let table: [(&str, Option<f64>); 18] = [
            ("0.5", Some(0.5)),
            ("-2.25", Some(-2.25)),
            ("+1.", Some(1.0)),
            (".25", Some(0.25)),
            ("1e3", Some(1000.0)),
            ("1.5E-2", Some(0.015)),
            ("2e+2", Some(200.0)),
            ("007.5", Some(7.5)),
            ("0.1", Some(0.1)),
            ("123456789.125", Some(123_456_789.125)),
            ("1e400", Some(f64::INFINITY)),
            ("-1e400", Some(f64::NEG_INFINITY)),
            (".inf", Some(f64::INFINITY)),
            ("-.Inf", Some(f64::NEG_INFINITY)),
            ("inf", None),
            (".", None),
            ("1.2.3", None),
            ("1e", None),
        ];
        for (text, expected) in table {
            assert_eq!(parse(text), expected, "{text}");
        }
        assert!(parse(".nan").is_some_and(f64::is_nan));
        for text in ["", "-", "e5", "0x1p3", "1_000.5", " 1.5", "1.5 ", "1e5.5"] {
            assert_eq!(parse(text), None, "{text}");
        }
    }
}
