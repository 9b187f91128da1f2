//! Go's `strconv.Quote`, the `%q` verb that Kubernetes' messages use around names, images,
//! keys and values (`Pulling image "nginx:1.27"`, `Invalid value: "Web"`). Rust's `{:?}` is
//! not the same (it writes `\u{..}` escapes) and would link Unicode tables into the Wasm.

/// A double-quoted string with Go's escapes for quotes, backslashes and control characters;
/// other characters are written as they are.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if u32::from(c) < 0x20 || c == '\u{7f}' => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let byte = u32::from(c) as usize;
                out.push_str("\\x");
                out.push(char::from(HEX[byte >> 4]));
                out.push(char::from(HEX[byte & 0xf]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_as_go_strconv_quote_does() {
        // Expected values as Go 1.23's fmt.Sprintf("%q", s) prints them.
        let table = [
            ("nginx:1.27", r#""nginx:1.27""#),
            ("", r#""""#),
            ("say \"hi\"", r#""say \"hi\"""#),
            ("a\\b", r#""a\\b""#),
            ("line\nnext\ttab\r", r#""line\nnext\ttab\r""#),
            ("\u{7}\u{8}\u{c}\u{b}", r#""\a\b\f\v""#),
            ("\u{1}\u{1f}\u{7f}", r#""\x01\x1f\x7f""#),
            ("héllo", r#""héllo""#),
        ];
        for (input, quoted) in table {
            assert_eq!(go_quote(input), quoted, "{input}");
        }
    }
}
