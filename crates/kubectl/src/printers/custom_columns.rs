//! `-o custom-columns=HEADER:PATH,...` and `-o custom-columns-file=FILE`, as kubectl v1.32's
//! `pkg/cmd/get/customcolumn.go` builds and prints them: each PATH is a relaxed JSONPath
//! (`metadata.name`, `.metadata.name`, `{.metadata.name}` all work), every value a path
//! finds is printed with Go's `%v` and joined with commas, and a path that finds nothing
//! prints `<none>`. The header is printed once, even when there are no objects.

use super::{go_value, jsonpath, table};
use serde_json::Value;

/// Parsed columns: a header and a template each.
#[derive(Debug, Clone)]
pub struct Columns {
    headers: Vec<String>,
    templates: Vec<jsonpath::Template>,
}

/// `NewCustomColumnsPrinterFromSpec`: columns from `NAME:.metadata.name,IMAGE:.spec...`.
pub fn from_spec(spec: &str) -> Result<Columns, String> {
    if spec.is_empty() {
        return Err("custom-columns format specified but no custom columns given".into());
    }
    let mut pairs = Vec::new();
    for part in spec.split(',') {
        let Some((header, path)) = part.split_once(':') else {
            return Err(format!(
                "unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"
            ));
        };
        pairs.push((header, path));
    }
    build(&pairs)
}

/// `NewCustomColumnsPrinterFromTemplate`: a file whose first line holds the headers and
/// whose second line holds the paths, both separated by whitespace.
pub fn from_template(text: &str) -> Result<Columns, String> {
    const FORMAT: &str = "Expected format is one line of space separated headers, one line of space separated column specs.";
    let mut lines = text.lines();
    let headers: Vec<&str> = match lines.next() {
        Some(line) => line.split_whitespace().collect(),
        None => return Err(format!("invalid template, missing header line. {FORMAT}")),
    };
    let specs: Vec<&str> = match lines.next() {
        Some(line) => line.split_whitespace().collect(),
        None => return Err(format!("invalid template, missing spec line. {FORMAT}")),
    };
    if headers.len() != specs.len() {
        return Err(format!(
            "number of headers ({}) and field specifications ({}) don't match",
            headers.len(),
            specs.len()
        ));
    }
    let pairs: Vec<(&str, &str)> = headers.into_iter().zip(specs).collect();
    build(&pairs)
}

fn build(pairs: &[(&str, &str)]) -> Result<Columns, String> {
    let mut columns = Columns {
        headers: Vec::new(),
        templates: Vec::new(),
    };
    for (header, path) in pairs {
        columns.headers.push((*header).to_string());
        columns
            .templates
            .push(jsonpath::parse(&relaxed_jsonpath(path)?)?);
    }
    Ok(columns)
}

/// `RelaxedJSONPathExpression`: `metadata.name`, `.metadata.name`, `{metadata.name}` and
/// `{.metadata.name}` all become `{.metadata.name}`; an empty path stays empty.
fn relaxed_jsonpath(path: &str) -> Result<String, String> {
    if path.is_empty() {
        return Ok(String::new());
    }
    let inner = path
        .strip_prefix('{')
        .and_then(|p| p.strip_suffix('}'))
        .unwrap_or(path);
    // The regexp's optional `\.?` gives way when the dot is the whole path (`.` is `{..}`).
    let inner = match inner.strip_prefix('.') {
        Some(rest) if !rest.is_empty() => rest,
        _ => inner,
    };
    if inner.is_empty() || inner.contains(['{', '}']) {
        return Err("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'".into());
    }
    Ok(format!("{{.{inner}}}"))
}

/// The table for `objects` (the items of a list, or one object), with the header row
/// unless `--no-headers`.
pub fn render(columns: &Columns, objects: &[Value], headers: bool) -> Result<String, String> {
    let mut rows = Vec::new();
    if headers {
        rows.push(columns.headers.clone());
    }
    for object in objects {
        let mut row = Vec::new();
        for template in &columns.templates {
            let groups = jsonpath::find_results(template, object)?;
            let mut cells: Vec<String> = Vec::new();
            if groups.first().is_none_or(Vec::is_empty) {
                cells.push("<none>".into());
            }
            cells.extend(groups.iter().flatten().map(go_value::plain));
            row.push(cells.join(","));
        }
        rows.push(row);
    }
    Ok(table::render(&rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn columns_as_customcolumn_go_prints_them() {
        let objects = vec![
            json!({"metadata": {"name": "web", "labels": {"app": "web", "tier": "front"}},
                   "spec": {"template": {"spec": {"containers": [{"image": "nginx"}, {"image": "busybox"}]}}}}),
            json!({"metadata": {"name": "db"}, "spec": {}}),
        ];
        let columns = from_spec(
            "NAME:.metadata.name,IMAGES:.spec.template.spec.containers[*].image,LABELS:metadata.labels,X:{.spec.x}",
        )
        .expect("valid spec");
        assert_eq!(
            render(&columns, &objects, true).as_deref(),
            Ok("NAME   IMAGES          LABELS                    X\nweb    nginx,busybox   map[app:web tier:front]   <none>\ndb     <none>          <none>                    <none>\n")
        );
        assert_eq!(
            render(&columns, &[], false).as_deref(),
            Ok(""),
            "no rows and no header"
        );
        let file =
            from_template("NAME  REPLICAS\n.metadata.name {.spec.replicas}\n").expect("valid");
        assert_eq!(
            render(
                &file,
                &[json!({"metadata": {"name": "a"}, "spec": {"replicas": 3}})],
                true
            )
            .as_deref(),
            Ok("NAME   REPLICAS\na      3\n")
        );
    }

    #[test]
    fn spec_errors() {
        let cases: &[(&str, &str)] = &[
            ("", "custom-columns format specified but no custom columns given"),
            ("NAME", "unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>"),
            ("N:.metadata.name,", "unexpected custom-columns spec: , expected <header>:<json-path-expr>"),
            ("N:.x[", "unterminated array"),
            ("N:{.a}{.b}", "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'"),
        ];
        for (spec, want) in cases {
            assert_eq!(from_spec(spec).err().as_deref(), Some(*want), "{spec}");
        }
        assert_eq!(
            from_template("A B\n.x\n").err().as_deref(),
            Some("number of headers (2) and field specifications (1) don't match")
        );
    }
}
