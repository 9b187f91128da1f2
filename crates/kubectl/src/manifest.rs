//! Manifests: YAML (or JSON) text with one or more documents, split the way kubectl's
//! `yaml.NewYAMLReader` splits them (a line starting with `---`) and each turned into a JSON
//! value, as `sigs.k8s.io/yaml` does before the API server decodes it.

use serde_json::{Map, Number, Value};
use yaml_rust2::{Yaml, YamlLoader};

/// One non-empty document of a manifest.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The document as JSON.
    pub value: Value,
}

/// Parses every document. kubectl's stream decoder stops at the first document it cannot
/// read: the documents before it are returned, and the error (if any) tells why the rest
/// was not read.
pub fn parse(text: &str) -> (Vec<Document>, Option<String>) {
    let mut documents = Vec::new();
    for chunk in split_documents(text) {
        let chunk = match chunk {
            Ok(c) => c,
            Err(e) => return (documents, Some(e)),
        };
        match to_json_documents(&chunk) {
            Ok(Some(value)) => documents.push(Document { value }),
            Ok(None) => {}
            Err(e) => return (documents, Some(e)),
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

/// One chunk as JSON; `None` for a chunk with nothing but comments and blank lines.
fn to_json_documents(chunk: &str) -> Result<Option<Value>, String> {
    let docs = YamlLoader::load_from_str(chunk).map_err(|e| {
        format!(
            "error converting YAML to JSON: yaml: line {}: {}",
            e.marker().line(),
            e.info()
        )
    })?;
    match docs.into_iter().next() {
        None | Some(Yaml::Null) => Ok(None),
        Some(doc) => yaml_to_json(doc).map(Some),
    }
}

/// Converts a YAML node to JSON as `sigs.k8s.io/yaml.YAMLToJSON` does (non-string keys
/// become their text).
fn yaml_to_json(node: Yaml) -> Result<Value, String> {
    Ok(match node {
        Yaml::Null => Value::Null,
        Yaml::Boolean(b) => Value::Bool(b),
        Yaml::Integer(i) => Value::Number(i.into()),
        Yaml::Real(text) => {
            let f: f64 = text
                .parse()
                .map_err(|_| format!("error converting YAML to JSON: invalid number {text}"))?;
            Number::from_f64(f).map_or(Value::Null, Value::Number)
        }
        Yaml::String(s) => Value::String(s),
        Yaml::Array(items) => Value::Array(
            items
                .into_iter()
                .map(yaml_to_json)
                .collect::<Result<_, _>>()?,
        ),
        Yaml::Hash(hash) => {
            let mut map = Map::new();
            for (k, v) in hash {
                let key = match k {
                    Yaml::String(s) => s,
                    Yaml::Integer(i) => i.to_string(),
                    Yaml::Boolean(b) => b.to_string(),
                    Yaml::Real(r) => r,
                    Yaml::Null => "null".to_string(),
                    _ => return Err("error converting YAML to JSON: unsupported map key".into()),
                };
                map.insert(key, yaml_to_json(v)?);
            }
            Value::Object(map)
        }
        Yaml::Alias(_) | Yaml::BadValue => {
            return Err("error converting YAML to JSON: unsupported YAML alias".into())
        }
    })
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
    fn the_stream_stops_at_a_broken_document() {
        let (docs, err) = parse("a: 1\n---\nb: [\n---\nc: 3\n");
        assert_eq!(docs.len(), 1);
        assert!(err.is_some_and(|e| e.starts_with("error converting YAML to JSON: yaml: line")));
        // YAMLReader.Read returns the separator error instead of the document before it.
        let (docs, err) = parse("a: 1\n--- x\nb: 2\n");
        assert_eq!(docs.len(), 0);
        assert_eq!(err.as_deref(), Some("invalid Yaml document separator: x"));
    }
}
