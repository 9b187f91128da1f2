//! Go's `fmt` verbs applied to an unstructured object (`map[string]interface{}` holding
//! strings, int64s, float64s, bools, nils, maps and slices), because kubectl prints JSON
//! values through them: `-o custom-columns` cells use `%v` (`map[app:web]`, `[a b]`), and a
//! failing `-o jsonpath` shows the object with `%#v`. Go's fmt prints map keys sorted, as
//! `serde_json`'s maps iterate.

use kplay_core::quote::go_quote;
use serde_json::Value;

/// `fmt.Sprintf("%v", v)`: strings raw, `<nil>`, `map[k:v k2:v2]`, `[a b]`.
pub fn plain(value: &Value) -> String {
    match value {
        Value::Null => "<nil>".into(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(plain).collect();
            format!("[{}]", inner.join(" "))
        }
        Value::Object(map) => {
            let inner: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{k}:{}", plain(v)))
                .collect();
            format!("map[{}]", inner.join(" "))
        }
    }
}

/// `fmt.Sprintf("%#v", v)` for a value held in an `interface{}`:
/// `map[string]interface {}{"a":1, "b":[]interface {}{"x"}}`, `interface {}(nil)`.
pub fn sharp(value: &Value) -> String {
    match value {
        Value::Null => "interface {}(nil)".into(),
        Value::String(s) => go_quote(s),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(sharp).collect();
            format!("[]interface {{}}{{{}}}", inner.join(", "))
        }
        Value::Object(map) => {
            let inner: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}:{}", go_quote(k), sharp(v)))
                .collect();
            format!("map[string]interface {{}}{{{}}}", inner.join(", "))
        }
    }
}

/// The Go type name `%v` prints for a value's `reflect.Type`, as jsonpath names it in
/// `... is not array or slice`.
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "<nil>",
        Value::String(_) => "string",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float64",
        Value::Number(_) => "int64",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn go_verbs() {
        let value = json!({"b": [1, "x y", null], "a": {"k": true}, "s": "q\"\n"});
        assert_eq!(plain(&value), "map[a:map[k:true] b:[1 x y <nil>] s:q\"\n]");
        // As the local kubectl v1.32.4 prints the object in a jsonpath error.
        assert_eq!(
            sharp(&value),
            "map[string]interface {}{\"a\":map[string]interface {}{\"k\":true}, \"b\":[]interface {}{1, \"x y\", interface {}(nil)}, \"s\":\"q\\\"\\n\"}"
        );
        assert_eq!(type_name(&json!({})), "map[string]interface {}");
        assert_eq!(type_name(&json!(1)), "int64");
    }
}
