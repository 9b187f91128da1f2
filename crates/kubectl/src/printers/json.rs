//! `-o json`: Go's `json.MarshalIndent(obj, "", "    ")` as kubectl's JSONPrinter calls it:
//! four-space indent, keys sorted (kubectl prints unstructured maps), `<`, `>` and `&`
//! escaped as `\u003c`, `\u003e`, `\u0026` (Go's HTML-safe encoding), empty collections
//! as `{}` and `[]`.

use serde_json::Value;

/// The JSON text for `value`, ending in a newline.
pub fn to_json(value: &Value) -> String {
    let mut out = String::new();
    write(&mut out, value, Some(0));
    out.push('\n');
    out
}

/// Go's `json.Marshal(obj)`: the same encoding on one line, as `-o jsonpath` prints a map
/// or a list it selects (client-go `jsonpath.PrintResults`).
pub fn to_compact_json(value: &Value) -> String {
    let mut out = String::new();
    write(&mut out, value, None);
    out
}

/// `depth` is the indentation level, or `None` for the compact form.
fn write(out: &mut String, value: &Value, depth: Option<usize>) {
    let inner = depth.map(|d| d + 1);
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('{');
            for (i, (key, child)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, inner);
                string(out, key);
                out.push_str(if depth.is_some() { ": " } else { ":" });
                write(out, child, inner);
            }
            newline(out, depth);
            out.push('}');
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('[');
            for (i, child) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, inner);
                write(out, child, inner);
            }
            newline(out, depth);
            out.push(']');
        }
        Value::Object(_) => out.push_str("{}"),
        Value::Array(_) => out.push_str("[]"),
        Value::String(s) => string(out, s),
        other => out.push_str(&kplay_core::json_text::compact(other)),
    }
}

fn newline(out: &mut String, depth: Option<usize>) {
    if let Some(depth) = depth {
        out.push('\n');
        out.push_str(&"    ".repeat(depth));
    }
}

/// A JSON string as Go's encoder writes it (HTML-safe escapes).
fn string(out: &mut String, s: &str) {
    kplay_core::json_text::quote(out, s, true);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn go_indented_json() {
        let value = json!({"b": [1, {"x": "<a&b>"}], "a": {}, "c": [], "d": "line\n"});
        let want = "{\n    \"a\": {},\n    \"b\": [\n        1,\n        {\n            \"x\": \"\\u003ca\\u0026b\\u003e\"\n        }\n    ],\n    \"c\": [],\n    \"d\": \"line\\n\"\n}\n";
        assert_eq!(to_json(&value), want);
        assert_eq!(
            to_compact_json(&value),
            "{\"a\":{},\"b\":[1,{\"x\":\"\\u003ca\\u0026b\\u003e\"}],\"c\":[],\"d\":\"line\\n\"}"
        );
    }
}
