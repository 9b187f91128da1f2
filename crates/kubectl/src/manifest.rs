//! Manifests: YAML (or JSON) text with one or more documents, split the way kubectl's
//! `yaml.NewYAMLReader` splits them (a line starting with `---`) and each turned into a JSON
//! value, as `sigs.k8s.io/yaml` does before the API server decodes it.

use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// One non-empty document of a manifest.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The document as JSON.
    pub value: Value,
    /// Where each mapping key is written: its field path (`spec.ingress[0].ports[0].port`)
    /// and line in the whole text, so that an editor can point at the line an API error names.
    pub lines: Vec<(String, usize)>,
}

/// Parses every document. kubectl's stream decoder stops at the first document it cannot
/// read: the documents before it are returned, and the error (if any) tells why the rest
/// was not read.
pub fn parse(text: &str) -> (Vec<Document>, Option<String>) {
    let (documents, error) = parse_placed(text);
    (documents, error.map(|(message, _)| message))
}

/// [`parse`], with the line (0-based, in the whole text) where the document the error is
/// about begins: the error's own `line N` counts from there, as kubectl decodes each
/// document on its own, and an editor needs the line in the whole text.
pub fn parse_placed(text: &str) -> (Vec<Document>, Option<(String, usize)>) {
    let mut documents = Vec::new();
    let mut first_line = 0;
    for chunk in split_documents(text) {
        let offset = first_line;
        let chunk = match chunk {
            Ok(c) => c,
            Err(e) => return (documents, Some((e, offset))),
        };
        // The chunk's lines and its `---` separator.
        first_line += chunk.matches('\n').count() + 1;
        match to_json_documents(&chunk) {
            Ok(Some((value, lines))) => documents.push(Document {
                value,
                lines: lines.into_iter().map(|(f, l)| (f, l + offset)).collect(),
            }),
            Ok(None) => {}
            Err(e) => return (documents, Some((e, offset))),
        }
    }
    (documents, None)
}

/// Splits on lines that start with `---`; only spaces or a comment may follow the marker.
fn split_documents(text: &str) -> Vec<Result<String, String>> {
    let mut chunks = Vec::new();
    let mut current = String::new();
    for line in text.split_inclusive('\n') {
        if let Some(after) = line.strip_prefix("---") {
            let trimmed = after.trim();
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                chunks.push(Err(format!("invalid Yaml document separator: {trimmed}")));
                return chunks;
            }
            chunks.push(Ok(std::mem::take(&mut current)));
            continue;
        }
        current.push_str(line);
    }
    chunks.push(Ok(current));
    chunks
}

/// The keys' field paths and lines (in the chunk), see [`Document::lines`].
type KeyLines = Vec<(String, usize)>;

/// One chunk as JSON with its keys' lines; `None` for a chunk with nothing but comments and
/// blank lines.
fn to_json_documents(chunk: &str) -> Result<Option<(Value, KeyLines)>, String> {
    let mut builder = JsonBuilder::default();
    Parser::new_from_str(chunk)
        .load(&mut builder, true)
        .map_err(|e| {
            format!(
                "error converting YAML to JSON: yaml: line {}: {}",
                e.marker().line(),
                e.info()
            )
        })?;
    if let Some(error) = builder.error {
        return Err(error);
    }
    // A document of nothing but `null` is no object, as an empty one.
    let value = builder.first.flatten().filter(|v| !v.is_null());
    Ok(value.map(|v| (v, builder.lines)))
}

/// The deepest nesting of mappings and sequences read. go-yaml stops at 10,000 levels
/// (`exceeded max depth of 10000`); kplay stops far earlier, as every level costs the
/// browser's stack when the value is decoded and dropped, and no Kubernetes object nests
/// that deep.
const MAX_DEPTH: usize = 100;

/// go-yaml's `allowedAliasRatio`: the share of decoded nodes that may come from aliases,
/// 99% up to 400,000 nodes, falling to 10% at 4,000,000 (the CVE-2019-11253 fix).
fn allowed_alias_ratio(decoded: u64) -> f64 {
    const LOW: u64 = 400_000;
    const HIGH: u64 = 4_000_000;
    match decoded {
        ..=LOW => 0.99,
        HIGH.. => 0.10,
        _ => 0.99 - 0.89 * ((decoded - LOW) as f64 / (HIGH - LOW) as f64),
    }
}

/// Builds JSON straight from the YAML parser's events, resolving plain scalars with the YAML
/// 1.2 core schema (`null`, `true`, `0x1F`, `+12`, `1.5`, ...) and map keys to their text, as
/// `sigs.k8s.io/yaml.YAMLToJSON` does. (yaml-rust2's own loader would build a second tree in
/// hash maps first, and parse floats with the standard library's large tables.)
#[derive(Default)]
struct JsonBuilder {
    /// Open sequences and mappings, innermost last, with their anchor ids and how many nodes
    /// had been decoded when they opened.
    open: Vec<(Open, usize, u64)>,
    /// Anchored nodes by id, with how many nodes each holds, for aliases.
    anchors: kplay_core::vecmap::VecMap<usize, (Value, u64)>,
    /// Nodes decoded so far, and how many of them aliases repeated (go-yaml's
    /// `decodeCount` and `aliasCount`).
    decoded: u64,
    aliased: u64,
    /// The finished node of the current document.
    root: Option<Value>,
    /// The chunk's first document once it ended (`Some(None)` when it was empty); a chunk
    /// has one, as [`split_documents`] cut the text at `---`.
    first: Option<Option<Value>>,
    /// The first error; the events after it are ignored.
    error: Option<String>,
    /// Each key's field path and line.
    lines: KeyLines,
}

/// A sequence or mapping being built.
enum Open {
    Sequence(Vec<Value>),
    /// The entries so far and the key waiting for its value.
    Mapping(Map<String, Value>, Option<String>),
}

/// A scalar resolved: its JSON value, and its text as a map key.
struct Scalar {
    value: Value,
    key: String,
}

impl Scalar {
    /// `value` read from `text`: a string keys as itself, anything else as its JSON text
    /// (`0x10: a` keys as `16`, `~: a` as `null`).
    fn of(value: Value, text: String) -> Scalar {
        let key = match &value {
            Value::String(_) => text,
            other => kplay_core::json_text::compact(other),
        };
        Scalar { value, key }
    }

    /// A string, whatever it looks like (quoted, or tagged `!!str` or unknown).
    fn text(text: String) -> Scalar {
        Scalar::of(Value::String(text.clone()), text)
    }
}

impl MarkedEventReceiver for JsonBuilder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        if let Err(e) = self.take(event, mark) {
            self.error = Some(format!("error converting YAML to JSON: {e}"));
        }
    }
}

impl JsonBuilder {
    fn take(&mut self, event: Event, mark: Marker) -> Result<(), String> {
        match event {
            Event::DocumentEnd => {
                let root = self.root.take();
                self.first.get_or_insert(root);
            }
            Event::SequenceStart(anchor, _) => {
                self.open_node(Open::Sequence(Vec::new()), anchor)?
            }
            Event::MappingStart(anchor, _) => {
                self.open_node(Open::Mapping(Map::new(), None), anchor)?
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some((open, anchor, opened_at)) = self.open.pop() else {
                    return Ok(());
                };
                let value = match open {
                    Open::Sequence(items) => Value::Array(items),
                    Open::Mapping(map, _) => Value::Object(map),
                };
                let nodes = self.decoded - opened_at + 1;
                self.decoded += 1;
                self.insert(value, None, (anchor, nodes), mark)?;
            }
            Event::Scalar(text, style, anchor, tag) => {
                let scalar = if style != TScalarStyle::Plain {
                    Scalar::text(text)
                } else {
                    match tag {
                        Some(Tag { handle, suffix }) if handle == "tag:yaml.org,2002:" => {
                            tagged(text, &suffix)?
                        }
                        Some(_) => Scalar::text(text),
                        None => plain(text),
                    }
                };
                self.decoded += 1;
                self.insert(scalar.value, Some(scalar.key), (anchor, 1), mark)?;
            }
            Event::Alias(id) => {
                let Some(&(_, nodes)) = self.anchors.get(&id) else {
                    return Err("unsupported YAML alias".into());
                };
                // Counted before the copy is made, so that a billion laughs fails cheaply.
                self.decoded += nodes;
                self.aliased += nodes;
                if self.aliased > 100
                    && self.decoded > 1000
                    && self.aliased as f64 / self.decoded as f64 > allowed_alias_ratio(self.decoded)
                {
                    return Err("yaml: document contains excessive aliasing".into());
                }
                let Some((value, _)) = self.anchors.get(&id).cloned() else {
                    return Err("unsupported YAML alias".into());
                };
                let key = match &value {
                    Value::String(s) => Some(s.clone()),
                    Value::Array(_) | Value::Object(_) => None,
                    scalar => Some(kplay_core::json_text::compact(scalar)),
                };
                self.insert(value, key, (0, nodes), mark)?;
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentStart => {}
        }
        Ok(())
    }

    /// Opens a sequence or mapping, unless that nests deeper than [`MAX_DEPTH`].
    fn open_node(&mut self, open: Open, anchor: usize) -> Result<(), String> {
        if self.open.len() >= MAX_DEPTH {
            return Err(format!(
                "yaml: exceeded max depth of {MAX_DEPTH} (kplay's limit)"
            ));
        }
        self.open.push((open, anchor, self.decoded));
        Ok(())
    }

    /// Puts a finished node where it belongs: the document's root, the next item of a
    /// sequence, or a mapping's key (`key` is its text; only scalars can be keys) or value.
    /// `anchored` is the node's anchor id (0 for none) and how many nodes it holds.
    fn insert(
        &mut self,
        value: Value,
        key: Option<String>,
        anchored: (usize, u64),
        mark: Marker,
    ) -> Result<(), String> {
        let (anchor, nodes) = anchored;
        if anchor > 0 {
            self.anchors.insert(anchor, (value.clone(), nodes));
        }
        match (&key, self.open.last()) {
            (Some(key), Some((Open::Mapping(_, None), _, _))) => {
                let path = format!("{}{key}", self.path_inside());
                self.lines.push((path, mark.line()));
            }
            // A scalar list item has no key: its place is `ports[1]`.
            (Some(_), Some((Open::Sequence(items), _, _))) => {
                let path = self.path_inside();
                let path = format!("{}[{}]", path.trim_end_matches('.'), items.len());
                self.lines.push((path, mark.line()));
            }
            _ => {}
        }
        match self.open.last_mut() {
            None => self.root = Some(value),
            Some((Open::Sequence(items), _, _)) => items.push(value),
            Some((Open::Mapping(map, pending), _, _)) => match pending.take() {
                None => {
                    *pending = Some(key.ok_or("unsupported map key")?);
                }
                Some(k) => {
                    if map.contains_key(&k) {
                        // go-yaml's decoder, through sigs.k8s.io/yaml's strict unmarshal.
                        return Err(format!(
                            "yaml: unmarshal errors:\n  line {}: key {} already set in map",
                            mark.line(),
                            kplay_core::quote::go_quote(&k)
                        ));
                    }
                    map.insert(k, value);
                }
            },
        }
        Ok(())
    }

    /// The field path of the innermost open mapping or sequence, followed by a `.` when it is
    /// not the root: `spec.template.spec.` for keys inside it, as API errors name fields.
    fn path_inside(&self) -> String {
        let mut path = String::new();
        let ancestors = self.open.split_last().map_or(&[][..], |(_, a)| a);
        for (open, _, _) in ancestors {
            match open {
                Open::Mapping(_, Some(k)) => {
                    path.push_str(k);
                    path.push('.');
                }
                Open::Sequence(items) => {
                    path.truncate(path.trim_end_matches('.').len());
                    path.push_str(&format!("[{}].", items.len()));
                }
                Open::Mapping(_, None) => {}
            }
        }
        path
    }
}

/// A plain scalar by the YAML 1.2 core schema; floats keep their text as keys.
fn plain(text: String) -> Scalar {
    let value = match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        t => match integer(t) {
            Some(i) => Value::Number(i.into()),
            None => match crate::float::parse(t) {
                Some(f) => return float_scalar(f, text),
                None => return Scalar::text(text),
            },
        },
    };
    Scalar::of(value, text)
}

/// A core schema integer: decimal with an optional sign, `0x` hexadecimal or `0o` octal.
fn integer(text: &str) -> Option<i64> {
    if let Some(hex) = text.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok();
    }
    if let Some(octal) = text.strip_prefix("0o") {
        return i64::from_str_radix(octal, 8).ok();
    }
    text.strip_prefix('+').unwrap_or(text).parse().ok()
}

/// A float; infinity and not-a-number have no JSON value and become `null`.
fn float_scalar(value: f64, text: String) -> Scalar {
    Scalar {
        value: Number::from_f64(value).map_or(Value::Null, Value::Number),
        key: text,
    }
}

/// A plain scalar with a `!!bool`, `!!int`, `!!float`, `!!null` or other core tag.
fn tagged(text: String, suffix: &str) -> Result<Scalar, String> {
    let value = match (suffix, text.as_str()) {
        ("bool", "true" | "True" | "TRUE") => Value::Bool(true),
        ("bool", "false" | "False" | "FALSE") => Value::Bool(false),
        ("int", t) if integer(t).is_some() => return Ok(plain(text)),
        ("float", t) => match crate::float::parse(t) {
            Some(f) => return Ok(float_scalar(f, text)),
            None => return Err(cannot_decode(&text, suffix)),
        },
        ("null", "~" | "null" | "") => Value::Null,
        ("bool" | "int" | "null", _) => return Err(cannot_decode(&text, suffix)),
        _ => return Ok(Scalar::text(text)),
    };
    Ok(Scalar::of(value, text))
}

/// go-yaml's error for a tagged scalar that is not of its tag's type.
fn cannot_decode(text: &str, suffix: &str) -> String {
    format!("yaml: cannot decode !!str `{text}` as a !!{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn documents_are_split_and_converted() {
        let text = "# leading comment\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\n# only a comment\n--- # marker with comment\n{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", \"metadata\": {\"name\": \"b\"}, \"x\": [1, 2.5, true, null]}\n";
        let (docs, err) = parse(text);
        assert_eq!(err, None);
        assert_eq!(docs.len(), 2);
        assert_eq!(
            docs[0].value,
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a"}})
        );
        assert_eq!(docs[1].value.get("x"), Some(&json!([1, 2.5, true, null])));
    }

    #[test]
    fn scalars_resolve_by_the_core_schema_and_keys_become_text() {
        // (YAML, JSON) as sigs.k8s.io/yaml.YAMLToJSON converts them.
        let table = [
            ("a: 1", json!({"a": 1})),
            ("a: +12", json!({"a": 12})),
            ("a: 0x1F", json!({"a": 31})),
            ("a: 0o17", json!({"a": 15})),
            ("a: 0.5", json!({"a": 0.5})),
            ("a: .inf", json!({"a": null})),
            ("a: ~", json!({"a": null})),
            ("a: NULL", json!({"a": null})),
            ("a: True", json!({"a": true})),
            ("a: yes", json!({"a": "yes"})),
            ("a: '1'", json!({"a": "1"})),
            ("a: !!str 1", json!({"a": "1"})),
            ("a: !!float 2", json!({"a": 2.0})),
            ("a: 1.2.3", json!({"a": "1.2.3"})),
            (
                "1: x\n0x10: y\n1.50: z\ntrue: t\n~: n",
                json!({"1": "x", "16": "y", "1.50": "z", "true": "t", "null": "n"}),
            ),
            ("a: &v [1, 2]\nb: *v", json!({"a": [1, 2], "b": [1, 2]})),
            ("k: &k name\n*k : 3", json!({"k": "name", "name": 3})),
        ];
        for (yaml, expected) in table {
            let (docs, err) = parse(yaml);
            assert_eq!(err, None, "{yaml}");
            assert_eq!(docs.first().map(|d| &d.value), Some(&expected), "{yaml}");
        }
        let refusals = [
            ("a: 1\na: 2", "error converting YAML to JSON: yaml: unmarshal errors:\n  line 2: key \"a\" already set in map"),
            ("a: !!int x", "error converting YAML to JSON: yaml: cannot decode !!str `x` as a !!int"),
            ("? [1]\n: x", "error converting YAML to JSON: unsupported map key"),
        ];
        for (yaml, error) in refusals {
            assert_eq!(parse(yaml), (vec![], Some(error.to_string())), "{yaml}");
        }
        assert_eq!(parse("~\n"), (vec![], None), "a null document is no object");
    }

    #[test]
    fn keys_are_found_by_field_path_and_line_across_documents() {
        let text = "a: 1\n---\n# comment\nspec:\n  ingress:\n  - from:\n    - podSelector: {}\n    ports:\n    - port: 80\n    - {protocol: UDP, port: 53}\n  policyTypes:\n  - Ingress\n";
        let (docs, err) = parse(text);
        assert_eq!(err, None);
        let lines: Vec<Vec<(&str, usize)>> = docs
            .iter()
            .map(|d| d.lines.iter().map(|(f, l)| (f.as_str(), *l)).collect())
            .collect();
        let expected = vec![
            vec![("a", 1)],
            vec![
                ("spec", 4),
                ("spec.ingress", 5),
                ("spec.ingress[0].from", 6),
                ("spec.ingress[0].from[0].podSelector", 7),
                ("spec.ingress[0].ports", 8),
                ("spec.ingress[0].ports[0].port", 9),
                ("spec.ingress[0].ports[1].protocol", 10),
                ("spec.ingress[0].ports[1].port", 10),
                ("spec.policyTypes", 11),
                ("spec.policyTypes[0]", 12),
            ],
        ];
        assert_eq!(lines, expected);
    }

    /// A "billion laughs": `levels` anchors, each a list of `fanout` aliases of the one before.
    fn laughs(levels: usize, fanout: usize) -> String {
        let mut text = "a0: &a0 lol\n".to_string();
        for level in 1..levels {
            let aliases = vec![format!("*a{}", level - 1); fanout].join(", ");
            text.push_str(&format!("a{level}: &a{level} [{aliases}]\n"));
        }
        text
    }

    #[test]
    fn nesting_and_alias_expansion_are_bounded_as_go_yaml_bounds_them() {
        let deep = |levels: usize, open: &str, close: &str| {
            format!("a: {}1{}\n", open.repeat(levels), close.repeat(levels))
        };
        let block_deep = |levels: usize| {
            (0..levels)
                .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
                .collect::<String>()
                + &"  ".repeat(levels)
                + "x: 1\n"
        };
        let depth =
            "error converting YAML to JSON: yaml: exceeded max depth of 100 (kplay's limit)";
        let aliasing = "error converting YAML to JSON: yaml: document contains excessive aliasing";
        // (name, text, error); go-yaml v3 accepts 3 levels of 10 aliases and refuses 4.
        let table: Vec<(&str, String, Option<&str>)> = vec![
            ("99 flow levels", deep(98, "[", "]"), None),
            ("101 flow levels", deep(100, "[", "]"), Some(depth)),
            ("101 flow mappings", deep(100, "{b: ", "}"), Some(depth)),
            ("block mappings 99 deep", block_deep(98), None),
            ("block mappings 101 deep", block_deep(100), Some(depth)),
            (
                "a few aliases",
                "a: &x {b: 1}\nc: *x\nd: *x\n".to_string(),
                None,
            ),
            ("3 levels of 10 aliases", laughs(3, 10), None),
            ("4 levels of 10 aliases", laughs(4, 10), Some(aliasing)),
            ("a billion laughs", laughs(9, 10), Some(aliasing)),
        ];
        for (name, text, expected) in table {
            let (docs, err) = parse(&text);
            assert_eq!(err.as_deref(), expected, "{name}");
            assert_eq!(docs.len(), usize::from(expected.is_none()), "{name}");
        }
    }

    #[test]
    fn the_stream_stops_at_a_broken_document() {
        let (docs, err) = parse_placed("a: 1\n---\nb: [\n---\nc: 3\n");
        assert_eq!(docs.len(), 1);
        // The document's own line, as kubectl reports it, and where the document begins.
        let (message, offset) = err.unwrap_or_default();
        assert!(message.starts_with("error converting YAML to JSON: yaml: line"));
        assert_eq!(offset, 2);
        // YAMLReader.Read returns the separator error instead of the document before it.
        let (docs, err) = parse("a: 1\n--- x\nb: 2\n");
        assert_eq!(docs.len(), 0);
        assert_eq!(err.as_deref(), Some("invalid Yaml document separator: x"));
    }
}
