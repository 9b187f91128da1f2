//! JSON text of a value, byte for byte as `serde_json::to_string` writes it (keys in the
//! map's order, no spaces, the same escapes, numbers through `Number`'s own formatting),
//! without serde's serializer: the page links this one small writer instead of serde's
//! `Serialize` machinery for `Value`, maps, sequences and strings.

use serde_json::Value;

/// The compact JSON text of `value`.
pub fn compact(value: &Value) -> String {
    let mut out = String::new();
    write(&mut out, value);
    out
}

fn write(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => quote(out, s, false),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                quote(out, key, false);
                out.push(':');
                write(out, item);
            }
            out.push('}');
        }
    }
}

/// A JSON string: `"` and `\` escaped, and the control characters as serde_json and Go's
/// encoder (since Go 1.22) both write them; `html_safe` also escapes `<`, `>`, `&`, U+2028
/// and U+2029 as `\u003c`..., as Go's `json.Marshal` does (and serde_json does not).
pub fn quote(out: &mut String, text: &str, html_safe: bool) {
    out.push('"');
    for c in text.chars() {
        match c {
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' if html_safe => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if u32::from(c) < 0x20 => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_what_serde_json_writes() {
        let table = [
            json!(null),
            json!(true),
            json!(false),
            json!(0),
            json!(-42),
            json!(18_446_744_073_709_551_615_u64),
            json!(1.5),
            json!(1e300),
            json!(0.1),
            json!(-0.0),
            json!("plain"),
            json!("quote \" backslash \\ slash / <tag> & é ✓"),
            json!("\n\r\t\u{8}\u{c}\u{0}\u{1f}\u{7f}\u{2028}"),
            json!([]),
            json!({}),
            json!([1, "two", [3, {"four": null}]]),
            json!({"b": 1, "a": {"z": [], "y": {}}, "": ""}),
        ];
        for value in table {
            assert_eq!(compact(&value), value.to_string(), "{value}");
        }
    }

    #[test]
    fn html_safe_strings_as_go_marshals_them() {
        // Go 1.23's encoding/json: <, >, & and the line separators as \u escapes, \b and \f short.
        let mut out = String::new();
        quote(&mut out, "<a&b>\u{8}\u{c}\u{2028}\u{2029}é", true);
        assert_eq!(out, "\"\\u003ca\\u0026b\\u003e\\b\\f\\u2028\\u2029é\"");
    }
}
