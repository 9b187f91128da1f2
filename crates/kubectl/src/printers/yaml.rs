//! `-o yaml`: a small YAML emitter over JSON values that prints exactly what kubectl prints.
//!
//! kubectl turns the object into JSON and then into YAML with `sigs.k8s.io/yaml`, whose
//! encoder is a fork of go-yaml v2. So: map keys sorted by go-yaml's "natural" order, lists
//! not indented under their key, block style everywhere, `{}` and `[]` for empty
//! collections, strings that would read back as something else (`""`, `"80"`, `"true"`,
//! `"2025-01-01T00:00:00Z"`) in double quotes, strings that cannot be plain (`'*'`,
//! `'- x'`) in single quotes, multi-line strings as `|` blocks, and long plain strings
//! folded at spaces once the line passes column 80 (go-yaml's `best_width`).

use serde_json::Value;
use std::cmp::Ordering;

/// The column after which go-yaml folds long plain and single-quoted strings.
const BEST_WIDTH: usize = 80;

/// The YAML document for `value`, ending in a newline.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => write_map(&mut out, value, 0),
        Value::Array(items) if !items.is_empty() => write_list(&mut out, items, 0),
        scalar => {
            out.push_str(&scalar_text(scalar, 0, false));
            out.push('\n');
        }
    }
    out
}

/// Writes the entries of a non-empty map, each key at `indent`, the first one at the
/// current position (which is either a line start or just after `- `).
fn write_map(out: &mut String, value: &Value, indent: usize) {
    let Value::Object(map) = value else {
        return;
    };
    let mut keys: Vec<&String> = map.keys().collect();
    kplay_core::sort::sort_by(&mut keys, |a, b| natural_order(a, b));
    for (i, key) in keys.into_iter().enumerate() {
        if i > 0 {
            out.push_str(&" ".repeat(indent));
        }
        out.push_str(&scalar_text(&Value::String(key.clone()), indent, true));
        out.push(':');
        let child = &map[key];
        match child {
            Value::Object(m) if !m.is_empty() => {
                out.push('\n');
                out.push_str(&" ".repeat(indent + 2));
                write_map(out, child, indent + 2);
            }
            // go-yaml writes a list under a mapping key "indentless": its dashes line up with
            // the key.
            Value::Array(items) if !items.is_empty() => {
                out.push('\n');
                out.push_str(&" ".repeat(indent));
                write_list(out, items, indent);
            }
            scalar => {
                out.push(' ');
                let column = out.len() - out.rfind('\n').map_or(0, |p| p + 1);
                out.push_str(&scalar_text_at(scalar, indent + 2, column));
                out.push('\n');
            }
        }
    }
}

/// Writes a non-empty list, each `- ` at `indent`, the first at the current position.
fn write_list(out: &mut String, items: &[Value], indent: usize) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(&" ".repeat(indent));
        }
        out.push_str("- ");
        match item {
            Value::Object(m) if !m.is_empty() => write_map(out, item, indent + 2),
            Value::Array(inner) if !inner.is_empty() => write_list(out, inner, indent + 2),
            scalar => {
                out.push_str(&scalar_text_at(scalar, indent + 2, indent + 2));
                out.push('\n');
            }
        }
    }
}

/// A scalar as a key or a value at the start of a line of `indent`.
fn scalar_text(value: &Value, indent: usize, key: bool) -> String {
    match value {
        Value::String(s) if key => quote(s, indent, None),
        _ => scalar_text_at(value, indent, indent),
    }
}

/// A scalar value written at `column`; continuation lines are indented by `indent`.
fn scalar_text_at(value: &Value, indent: usize, column: usize) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => quote(s, indent, Some(column)),
        Value::Object(_) => "{}".to_string(),
        Value::Array(_) => "[]".to_string(),
    }
}

/// How go-yaml writes a string. `column` is where a value starts (`None` for keys, which
/// are never folded or written as blocks).
fn quote(s: &str, indent: usize, column: Option<usize>) -> String {
    let analysis = analyze(s);
    if s.contains('\n') && column.is_some() {
        if analysis.block_allowed {
            return literal_block(s, indent);
        }
        return double_quoted(s);
    }
    if resolves_to_non_string(s) {
        return double_quoted(s);
    }
    if analysis.plain_allowed {
        return match column {
            Some(c) => fold(s, indent, c),
            None => s.to_string(),
        };
    }
    if analysis.single_allowed {
        let escaped = s.replace('\'', "''");
        return match column {
            Some(c) => format!("'{}'", fold(&escaped, indent, c + 1)),
            None => format!("'{escaped}'"),
        };
    }
    double_quoted(s)
}

/// What go-yaml's `yaml_emitter_analyze_scalar` allows for a string in block context.
struct Analysis {
    plain_allowed: bool,
    single_allowed: bool,
    block_allowed: bool,
}

fn analyze(s: &str) -> Analysis {
    let chars: Vec<char> = s.chars().collect();
    let blank = |i: usize| {
        chars
            .get(i)
            .is_none_or(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))
    };
    let mut indicators = s.starts_with("---") || s.starts_with("...");
    let mut special = false;
    let (mut space_break, mut break_space) = (false, false);
    let mut line_breaks = false;
    for (i, &c) in chars.iter().enumerate() {
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => indicators = true,
                '?' | ':' | '-' if blank(1) => indicators = true,
                _ => {}
            }
        } else {
            match c {
                ':' if blank(i + 1) => indicators = true,
                '#' if blank(i - 1) => indicators = true,
                _ => {}
            }
        }
        let printable = !c.is_control() || matches!(c, '\t' | '\n');
        if !printable || c == '\u{feff}' {
            special = true;
        }
        if c == '\n' {
            line_breaks = true;
            if i > 0 && chars[i - 1] == ' ' {
                space_break = true;
            }
            if chars.get(i + 1) == Some(&' ') {
                break_space = true;
            }
        }
    }
    let leading = matches!(chars.first(), Some(' ' | '\n'));
    let trailing_space = chars.last() == Some(&' ');
    let trailing = trailing_space || chars.last() == Some(&'\n');
    Analysis {
        plain_allowed: !(indicators
            || leading
            || trailing
            || line_breaks
            || special
            || space_break
            || break_space
            || s.is_empty()),
        single_allowed: !(special || space_break || break_space),
        block_allowed: !(special || space_break || trailing_space),
    }
}

/// Whether go-yaml v2's `resolve` would read the plain string back as something other than
/// a string (null, bool, number, timestamp), so the encoder double-quotes it.
fn resolves_to_non_string(s: &str) -> bool {
    const SPECIAL: &[&str] = &[
        "", "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true",
        "True", "TRUE", "n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE",
        ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf",
        "-.Inf", "-.INF", "<<",
    ];
    if SPECIAL.contains(&s) {
        return true;
    }
    match s.as_bytes().first() {
        Some(b'.') => is_yaml_float(s),
        Some(b'0'..=b'9' | b'+' | b'-') => {
            let plain = s.replace('_', "");
            is_timestamp(s)
                || is_go_int(&plain)
                || is_yaml_float(&plain)
                || plain
                    .strip_prefix('-')
                    .unwrap_or(&plain)
                    .strip_prefix("0b")
                    .is_some_and(|b| !b.is_empty() && b.bytes().all(|c| c == b'0' || c == b'1'))
        }
        _ => false,
    }
}

/// `strconv.ParseInt(s, 0, 64)` (or ParseUint) succeeds: decimal, `0x`, `0o`, `0b`, or a
/// leading-zero octal, with an optional sign.
fn is_go_int(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (digits, radix) = if let Some(h) = body.strip_prefix("0x").or(body.strip_prefix("0X")) {
        (h, 16)
    } else if let Some(o) = body.strip_prefix("0o").or(body.strip_prefix("0O")) {
        (o, 8)
    } else if let Some(b) = body.strip_prefix("0b").or(body.strip_prefix("0B")) {
        (b, 2)
    } else if body.len() > 1 && body.starts_with('0') {
        (&body[1..], 8)
    } else {
        (body, 10)
    };
    !digits.is_empty() && u64::from_str_radix(digits, radix).is_ok()
}

/// go-yaml's `yamlStyleFloat`: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_float(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", frac)) => digits(frac),
        Some((int, frac)) => digits(int) && (frac.is_empty() || digits(frac)),
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)));
    mantissa_ok && exponent_ok
}

/// go-yaml's timestamp formats: `2006-1-2T15:4:5.999999999Z07:00`, the same with `t` or a
/// space, and `2006-1-2`.
fn is_timestamp(s: &str) -> bool {
    let date_len = s.find(['T', 't', ' ']).unwrap_or(s.len());
    let (date, time) = s.split_at(date_len);
    let parts: Vec<&str> = date.split('-').collect();
    let num = |t: &str, min: usize, max: usize| {
        (min..=max).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())
    };
    let date_ok =
        parts.len() == 3 && num(parts[0], 4, 4) && num(parts[1], 1, 2) && num(parts[2], 1, 2);
    if !date_ok {
        return false;
    }
    if time.is_empty() {
        return true;
    }
    let time = &time[1..];
    let zone_at = time.find(['Z', '+', '-']).unwrap_or(time.len());
    let (clock, zone) = time.split_at(zone_at);
    let (hms, frac) = clock.split_once('.').unwrap_or((clock, ""));
    let hms: Vec<&str> = hms.split(':').collect();
    let clock_ok = hms.len() == 3
        && num(hms[0], 1, 2)
        && num(hms[1], 1, 2)
        && num(hms[2], 1, 2)
        && (frac.is_empty() || num(frac, 1, 9));
    let zone_ok = zone.is_empty()
        || zone == "Z"
        || (zone.len() == 6 && zone.as_bytes().get(3) == Some(&b':'));
    clock_ok && zone_ok && (s.contains(['T', 't']) || zone.is_empty())
}

/// A double-quoted string with go-yaml's escapes.
fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            '\u{feff}' => out.push_str("\\uFEFF"),
            c if c.is_control() => out.push_str(&format!("\\x{:02X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A literal block (`|`, `|-`, `|+`, with an indentation indicator when the text starts
/// with a space), its lines indented by `indent`.
fn literal_block(s: &str, indent: usize) -> String {
    let mut header = String::from("|");
    if s.starts_with(' ') || s.starts_with('\n') {
        header.push('2');
    }
    let chomp = if !s.ends_with('\n') {
        "-"
    } else if s.len() == 1 || s.ends_with("\n\n") {
        "+"
    } else {
        ""
    };
    header.push_str(chomp);
    let body = s.strip_suffix('\n').unwrap_or(s);
    let pad = " ".repeat(indent);
    let mut out = header;
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
    out
}

/// go-yaml's folding of a plain (or single-quoted) scalar: at a single space, once the
/// column has passed [`BEST_WIDTH`], the space becomes a line break plus `indent` spaces.
fn fold(s: &str, indent: usize, start_column: usize) -> String {
    let mut out = String::new();
    let mut column = start_column;
    let chars: Vec<char> = s.chars().collect();
    let mut previous_space = false;
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let next_is_space = chars.get(i + 1) == Some(&' ');
            if !previous_space && column > BEST_WIDTH && !next_is_space && i + 1 < chars.len() {
                out.push('\n');
                out.push_str(&" ".repeat(indent));
                column = indent;
            } else {
                out.push(' ');
                column += 1;
            }
            previous_space = true;
        } else {
            out.push(c);
            column += 1;
            previous_space = false;
        }
    }
    out
}

/// go-yaml v2's key order (`keyList.Less`): letters compare by code point, a non-letter
/// sorts before a letter, and runs of digits compare by numeric value. Letters are ASCII
/// letters here (Go asks `unicode.IsLetter`): Kubernetes keys are ASCII.
pub fn natural_order(a: &str, b: &str) -> Ordering {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let mut i = 0;
    while i < ar.len() && i < br.len() {
        if ar[i] == br[i] {
            i += 1;
            continue;
        }
        let al = ar[i].is_ascii_alphabetic();
        let bl = br[i].is_ascii_alphabetic();
        if al && bl {
            return ar[i].cmp(&br[i]);
        }
        if al || bl {
            return if bl {
                Ordering::Less
            } else {
                Ordering::Greater
            };
        }
        let mut an: u64 = 0;
        let mut bn: u64 = 0;
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && ar[j - 1].is_ascii_digit() {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_ascii_digit() {
            an = an
                .wrapping_mul(10)
                .wrapping_add(u64::from(ar[ai]) - u64::from('0'));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_ascii_digit() {
            bn = bn
                .wrapping_mul(10)
                .wrapping_add(u64::from(br[bi]) - u64::from('0'));
            bi += 1;
        }
        if an != bn {
            return an.cmp(&bn);
        }
        if ai != bi {
            return ai.cmp(&bi);
        }
        return ar[i].cmp(&br[i]);
    }
    ar.len().cmp(&br.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scalars_quoted_as_go_yaml_does() {
        let cases: &[(&str, &str)] = &[
            ("nginx", "nginx"),
            ("nginx:1.25", "nginx:1.25"),
            ("", "\"\""),
            ("80", "\"80\""),
            ("1", "\"1\""),
            ("0x1F", "\"0x1F\""),
            ("1e3", "\"1e3\""),
            ("1.5", "\"1.5\""),
            ("true", "\"true\""),
            ("yes", "\"yes\""),
            ("null", "\"null\""),
            ("~", "\"~\""),
            ("2025-01-01T00:00:00Z", "\"2025-01-01T00:00:00Z\""),
            ("2025-01-01", "\"2025-01-01\""),
            ("25%", "25%"),
            ("v1.2", "v1.2"),
            ("*", "'*'"),
            ("- x", "'- x'"),
            ("a: b", "'a: b'"),
            ("it's", "it's"),
            ("'q'", "'''q'''"),
            (" lead", "' lead'"),
            (
                "ReplicaSet \"web-1\" is progressing.",
                "ReplicaSet \"web-1\" is progressing.",
            ),
            ("{\"a\":1}", "'{\"a\":1}'"),
        ];
        for (input, want) in cases {
            assert_eq!(quote(input, 0, Some(0)), *want, "{input:?}");
        }
    }

    #[test]
    fn documents_as_kubectl_prints_them() {
        let value = json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"annotations": {"deployment.kubernetes.io/revision": "1"}, "labels": {"app": "web"}, "name": "web"},
            "spec": {"strategy": {}, "template": {"spec": {"containers": [{"image": "nginx", "name": "nginx", "ports": [{"containerPort": 80}], "args": []}]}}},
            "status": {"conditions": [{"message": "text\n", "type": "Available"}], "replicas": 3, "ok": true, "none": null}
        });
        let want = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    deployment.kubernetes.io/revision: \"1\"
  labels:
    app: web
  name: web
spec:
  strategy: {}
  template:
    spec:
      containers:
      - args: []
        image: nginx
        name: nginx
        ports:
        - containerPort: 80
status:
  conditions:
  - message: |
      text
    type: Available
  none: null
  ok: true
  replicas: 3
";
        assert_eq!(to_yaml(&value), want);
        assert_eq!(
            to_yaml(&json!({"a": [[1, 2], "x"]})),
            "a:\n- - 1\n  - 2\n- x\n"
        );
    }

    #[test]
    fn long_plain_strings_fold_after_column_80() {
        let words = "word ".repeat(20);
        let text = words.trim_end();
        let yaml = to_yaml(&json!({ "message": text }));
        // "message: " is 9 columns; the line breaks at the first space past column 80.
        let first = yaml.lines().next().unwrap_or_default();
        assert_eq!(first.len(), 83);
        assert!(yaml.lines().nth(1).is_some_and(|l| l.starts_with("  word")));
    }

    #[test]
    fn key_order_is_go_yaml_natural_order() {
        let mut keys = vec!["b", "a10", "a2", "a_b", "aB", "A", "a"];
        keys.sort_by(|a, b| natural_order(a, b));
        assert_eq!(keys, vec!["A", "a", "a_b", "a2", "a10", "aB", "b"]);
    }
}
