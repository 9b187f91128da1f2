//! `-o jsonpath=TEMPLATE`: kubectl's JSONPath templates, parsed and executed the way
//! client-go's `util/jsonpath` (parser.go, jsonpath.go) does in v1.32, with its error words.
//!
//! A template is text with actions in braces: `{.metadata.name}`, `{.items[*].metadata.name}`,
//! `{range .items[*]}{.metadata.name}{"\n"}{end}`, filters `[?(@.type=="Ready")]`, slices
//! `[1:3]`, `[-1]`, unions `[0,2]`, `['key']`, wildcards `.*` and recursive descent `..`.
//! Each action's results print separated by spaces; maps and lists print as compact JSON,
//! strings raw, `null` for a JSON null. kubectl get runs templates with missing keys
//! allowed (`--allow-missing-template-keys` defaults to true), so a missing field prints
//! nothing. One difference: Go visits a map's keys in random order for `*` and `..`; kplay
//! visits them sorted, so that transcripts are reproducible.

use super::go_value;
use super::json::to_compact_json;
use serde_json::Value;
use std::cmp::Ordering;

/// A parsed template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    items: Vec<Item>,
}

/// One step of an action, as client-go's parser names its nodes.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Text(String),
    Field(String),
    Wildcard,
    Recursive,
    Array([Param; 3]),
    Union(Vec<Vec<Step>>),
    Filter {
        left: Vec<Step>,
        operator: String,
        right: Vec<Step>,
    },
    Int(i64),
    Float(f64),
    Bool(bool),
    Identifier(String),
}

/// A slice bound: `[start:end:step]`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Param {
    value: i64,
    known: bool,
    derived: bool,
}

/// Text and actions with `{range}...{end}` blocks resolved.
#[derive(Debug, Clone, PartialEq)]
enum Item {
    Text(String),
    Action(Vec<Step>),
    /// A range's action and body; `closed` is false when no `{end}` follows, in which case
    /// client-go runs the body once more at the outer level after the loop.
    Range {
        action: Vec<Step>,
        body: Vec<Item>,
        closed: bool,
    },
    /// An `{end}` outside any range: an error when reached.
    StrayEnd,
}

/// Parses a template; the error is client-go's (`unclosed action`, `unterminated array`).
pub fn parse(template: &str) -> Result<Template, String> {
    let nodes = parse_nodes(template)?;
    let mut iter = nodes.into_iter();
    let (items, _) = build(&mut iter, false);
    Ok(Template { items })
}

/// Runs `template` on `data`; the error is client-go's execution error
/// (`array index out of bounds: index 5, length 1`).
pub fn execute(
    template: &Template,
    data: &Value,
    allow_missing_keys: bool,
) -> Result<String, String> {
    let mut groups = Vec::new();
    run(&template.items, data, allow_missing_keys, &mut groups)?;
    let mut out = String::new();
    for group in groups {
        let texts: Vec<String> = group.iter().map(text_of).collect();
        out.push_str(&texts.join(" "));
    }
    Ok(out)
}

/// Parses and runs a template as kubectl's JSONPath printer does, with its error texts:
/// `error parsing jsonpath {.x, unclosed action` and `error executing jsonpath "...":
/// Error executing template: ... Printing more information for debugging the template:`
/// (cli-runtime `printers/jsonpath.go`; the execution error ends in three newlines, as the
/// local kubectl v1.32.4 prints it).
pub fn print(template: &str, data: &Value, allow_missing_keys: bool) -> Result<String, String> {
    if template.is_empty() {
        return Err("template format specified but no template given".into());
    }
    let parsed = parse(template).map_err(|e| format!("error parsing jsonpath {template}, {e}"))?;
    execute(&parsed, data, allow_missing_keys).map_err(|e| {
        format!(
            "error executing jsonpath {}: Error executing template: {e}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{template}\n\tobject given to jsonpath engine was:\n\t\t{}\n\n\n",
            kplay_core::quote::go_quote(template),
            go_value::sharp(data)
        )
    })
}

/// The results of one template as lists of values per action, as custom columns read them.
pub fn find_results(template: &Template, data: &Value) -> Result<Vec<Vec<Value>>, String> {
    let mut groups = Vec::new();
    run(&template.items, data, true, &mut groups)?;
    Ok(groups)
}

/// How `PrintResults` writes one value: maps and lists as JSON, the rest with `fmt.Fprint`.
fn text_of(value: &Value) -> String {
    match value {
        Value::Object(_) | Value::Array(_) => to_compact_json(value),
        Value::Null => "null".into(),
        other => go_value::plain(other),
    }
}

// ---- parsing (parser.go) ----

/// A top-level node: text, or an action's steps.
enum Node {
    Text(String),
    Action(Vec<Step>),
}

fn parse_nodes(template: &str) -> Result<Vec<Node>, String> {
    let chars: Vec<char> = template.chars().collect();
    let mut nodes = Vec::new();
    let mut pos = 0;
    loop {
        let open = chars[pos..].iter().position(|&c| c == '{').map(|i| i + pos);
        let end = open.unwrap_or(chars.len());
        if end > pos {
            nodes.push(Node::Text(chars[pos..end].iter().collect()));
        }
        let Some(open) = open else { break };
        let mut parser = ActionParser {
            chars: &chars,
            pos: open + 1,
            steps: Vec::new(),
        };
        parser.parse()?;
        pos = parser.pos;
        nodes.push(Node::Action(parser.steps));
    }
    Ok(nodes)
}

/// `parseAction`: the steps of `{text}`, for unions, `['key']` and filter sides.
fn parse_sub_action(text: &str) -> Result<Vec<Step>, String> {
    let nodes = parse_nodes(&format!("{{{text}}}"))?;
    Ok(match nodes.into_iter().next() {
        Some(Node::Action(steps)) => steps,
        _ => Vec::new(),
    })
}

struct ActionParser<'a> {
    chars: &'a [char],
    pos: usize,
    steps: Vec<Step>,
}

fn is_terminator(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => matches!(
            c,
            ' ' | '\t' | '\r' | '\n' | '.' | ',' | '[' | ']' | '$' | '@' | '{' | '}'
        ),
    }
}

/// jsonpath's `isAlphaNumeric` (Unicode letters and digits in Go): ASCII here, which every
/// field name and every valid label, annotation and data key of Kubernetes is made of; the
/// Unicode tables would cost the Wasm more than they could ever match.
fn is_alphanumeric(c: char) -> bool {
    c == '_' || c.is_ascii_alphanumeric()
}

impl ActionParser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn starts_with(&self, prefix: &str) -> bool {
        prefix
            .chars()
            .enumerate()
            .all(|(i, c)| self.chars.get(self.pos + i) == Some(&c))
    }

    /// `parseInsideAction` up to and including the closing brace.
    fn parse(&mut self) -> Result<(), String> {
        loop {
            if self.starts_with("}") {
                self.pos += 1;
                return Ok(());
            }
            if self.starts_with("[?(") {
                self.pos += 3;
                self.parse_filter()?;
                continue;
            }
            if self.starts_with("..") {
                if self.steps.last() == Some(&Step::Recursive) {
                    return Err("invalid multiple recursive descent".into());
                }
                self.pos += 2;
                self.steps.push(Step::Recursive);
                if self.peek().is_some_and(is_alphanumeric) {
                    self.parse_field();
                }
                continue;
            }
            let Some(c) = self.peek() else {
                return Err("unclosed action".into());
            };
            self.pos += 1;
            match c {
                '\r' | '\n' => return Err("unclosed action".into()),
                ' ' | '@' | '$' => {}
                '[' => self.parse_array()?,
                '"' | '\'' => self.parse_quote(c)?,
                '.' => self.parse_field(),
                '+' | '-' => {
                    self.pos -= 1;
                    self.parse_number()?;
                }
                c if c.is_ascii_digit() => {
                    self.pos -= 1;
                    self.parse_number()?;
                }
                c if is_alphanumeric(c) => {
                    self.pos -= 1;
                    self.parse_identifier();
                }
                c => {
                    return Err(format!(
                        "unrecognized character in action: U+{:04X} '{c}'",
                        u32::from(c)
                    ))
                }
            }
        }
    }

    fn take_until_terminator(&mut self) -> String {
        let start = self.pos;
        while !is_terminator(self.peek()) {
            self.pos += 1;
        }
        self.chars[start..self.pos].iter().collect()
    }

    fn parse_identifier(&mut self) {
        let value = self.take_until_terminator();
        self.steps.push(match value.as_str() {
            "true" => Step::Bool(true),
            "false" => Step::Bool(false),
            _ => Step::Identifier(value),
        });
    }

    fn parse_field(&mut self) {
        let start = self.pos;
        loop {
            match self.peek() {
                Some('\\') => self.pos = (self.pos + 2).min(self.chars.len()),
                c if is_terminator(c) => break,
                _ => self.pos += 1,
            }
        }
        let value: String = self.chars[start..self.pos].iter().collect();
        self.steps.push(if value == "*" {
            Step::Wildcard
        } else {
            Step::Field(value.replace('\\', ""))
        });
    }

    fn parse_number(&mut self) -> Result<(), String> {
        let start = self.pos;
        if matches!(self.peek(), Some('+' | '-')) {
            self.pos += 1;
        }
        while matches!(self.peek(), Some(c) if c == '.' || c.is_ascii_digit()) {
            self.pos += 1;
        }
        let value: String = self.chars[start..self.pos].iter().collect();
        if let Ok(i) = value.parse::<i64>() {
            self.steps.push(Step::Int(i));
        } else if let Some(f) = crate::float::parse(&value) {
            self.steps.push(Step::Float(f));
        } else {
            return Err(format!("cannot parse number {value}"));
        }
        Ok(())
    }

    fn parse_quote(&mut self, quote: char) -> Result<(), String> {
        let start = self.pos - 1;
        loop {
            match self.peek() {
                None | Some('\n') => return Err("unterminated quoted string".into()),
                Some(c) => {
                    self.pos += 1;
                    if c == quote && self.chars.get(self.pos - 2) != Some(&'\\') {
                        break;
                    }
                }
            }
        }
        let raw: String = self.chars[start..self.pos].iter().collect();
        let text =
            unquote(&raw).ok_or_else(|| format!("unquote string {raw} error invalid syntax"))?;
        self.steps.push(Step::Text(text));
        Ok(())
    }

    fn parse_array(&mut self) -> Result<(), String> {
        let start = self.pos;
        loop {
            match self.peek() {
                None | Some('\n') => return Err("unterminated array".into()),
                Some(']') => break,
                Some(_) => self.pos += 1,
            }
        }
        let mut text: String = self.chars[start..self.pos].iter().collect();
        self.pos += 1;
        if text == "*" {
            text = ":".into();
        }
        let parts: Vec<&str> = text.split(',').collect();
        if parts.len() > 1 {
            let mut union = Vec::new();
            for part in parts {
                union.push(parse_sub_action(&format!("[{}]", part.trim_matches(' ')))?);
            }
            self.steps.push(Step::Union(union));
            return Ok(());
        }
        if let Some(key) = text
            .strip_prefix('\'')
            .and_then(|t| t.strip_suffix('\''))
            .filter(|k| !k.contains('\'') && text.len() >= 2)
        {
            let steps = parse_sub_action(&format!(".{key}"))?;
            self.steps.extend(steps);
            return Ok(());
        }
        self.steps.push(Step::Array(slice_params(&text)?));
        Ok(())
    }

    /// `[?(left OP right)]` or `[?(@.field)]` (exists).
    fn parse_filter(&mut self) -> Result<(), String> {
        let start = self.pos;
        let (mut begin, mut end) = (false, false);
        let mut pair = '"';
        loop {
            let Some(c) = self.peek() else {
                return Err("unterminated filter".into());
            };
            self.pos += 1;
            match c {
                '\n' => return Err("unterminated filter".into()),
                '"' | '\'' if !begin => {
                    begin = true;
                    pair = c;
                }
                '"' | '\'' if self.chars.get(self.pos - 2) != Some(&'\\') && c == pair => {
                    end = true;
                }
                ')' if begin == end => break,
                _ => {}
            }
        }
        if self.peek() != Some(']') {
            return Err("unclosed array expect ]".into());
        }
        self.pos += 1;
        let text: String = self.chars[start..self.pos - 2].iter().collect();
        match split_comparison(&text) {
            None => self.steps.push(Step::Filter {
                left: parse_sub_action(&text)?,
                operator: "exists".into(),
                right: Vec::new(),
            }),
            Some((left, operator, right)) => self.steps.push(Step::Filter {
                left: parse_sub_action(left)?,
                operator: operator.to_string(),
                right: parse_sub_action(right)?,
            }),
        }
        Ok(())
    }
}

/// The filter regexp `^([^!<>=]+)([!<>=~]+)(.+?)$`: left side, operator, right side.
fn split_comparison(text: &str) -> Option<(&str, &str, &str)> {
    let is_op = |c: char| matches!(c, '!' | '<' | '>' | '=' | '~');
    let left_end = text.find(['!', '<', '>', '='])?;
    if left_end == 0 {
        return None;
    }
    let rest = &text[left_end..];
    let mut op_end = rest.find(|c: char| !is_op(c)).unwrap_or(rest.len());
    if op_end == rest.len() {
        // The right side needs one character: the greedy operator gives one back.
        op_end = op_end.checked_sub(1).filter(|&n| n > 0)?;
    }
    Some((&text[..left_end], &rest[..op_end], &rest[op_end..]))
}

/// The slice regexp `^(-?\d*)(:-?\d*)?(:-?\d*)?$` and its parameters.
fn slice_params(text: &str) -> Result<[Param; 3], String> {
    let groups: Vec<&str> = text.split(':').collect();
    let valid = |g: &str| {
        let digits = g.strip_prefix('-').unwrap_or(g);
        digits.bytes().all(|b| b.is_ascii_digit())
    };
    if groups.len() > 3 || !groups.iter().all(|g| valid(g)) {
        return Err(format!("invalid array index {text}"));
    }
    let mut params = [Param::default(); 3];
    for i in 0..3 {
        match groups.get(i) {
            Some(g) if !g.is_empty() || i > 0 => {
                if g.is_empty() {
                    continue;
                }
                params[i].known = true;
                params[i].value = g
                    .parse()
                    .map_err(|_| format!("array index {g} is not a number"))?;
            }
            _ if i == 1 => {
                params[1] = Param {
                    value: params[0].value + 1,
                    known: true,
                    derived: true,
                };
            }
            _ => {}
        }
    }
    Ok(params)
}

/// Go's `strconv.Unquote` (for single quotes too) for the escapes templates use.
fn unquote(raw: &str) -> Option<String> {
    let quote = raw.chars().next()?;
    let inner = raw.strip_prefix(quote)?.strip_suffix(quote)?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        out.push(match chars.next()? {
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            'a' => '\u{7}',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'v' => '\u{b}',
            c @ ('\\' | '\'' | '"') => c,
            _ => return None,
        });
    }
    Some(out)
}

/// Resolves `{range}` ... `{end}` blocks; returns the items and whether an `{end}` closed
/// the block being built.
fn build(nodes: &mut impl Iterator<Item = Node>, in_range: bool) -> (Vec<Item>, bool) {
    let mut items = Vec::new();
    while let Some(node) = nodes.next() {
        match node {
            Node::Text(t) => items.push(Item::Text(t)),
            Node::Action(steps) => {
                let has = |name: &str| {
                    steps
                        .iter()
                        .any(|s| matches!(s, Step::Identifier(n) if n == name))
                };
                if has("end") {
                    if in_range {
                        return (items, true);
                    }
                    items.push(Item::StrayEnd);
                } else if has("range") {
                    let (body, closed) = build(nodes, true);
                    items.push(Item::Range {
                        action: steps,
                        body,
                        closed,
                    });
                } else {
                    items.push(Item::Action(steps));
                }
            }
        }
    }
    (items, false)
}

// ---- execution (jsonpath.go) ----

fn run(
    items: &[Item],
    root: &Value,
    allow_missing: bool,
    out: &mut Vec<Vec<Value>>,
) -> Result<(), String> {
    for item in items {
        match item {
            Item::Text(t) => out.push(vec![Value::String(t.clone())]),
            Item::Action(steps) => out.push(eval(vec![root.clone()], steps, allow_missing)?),
            Item::Range {
                action,
                body,
                closed,
            } => {
                for value in eval(vec![root.clone()], action, allow_missing)? {
                    run(body, &value, allow_missing, out)?;
                }
                if !closed {
                    run(body, root, allow_missing, out)?;
                }
            }
            Item::StrayEnd => return Err("not in range, nothing to end".into()),
        }
    }
    Ok(())
}

fn eval(mut values: Vec<Value>, steps: &[Step], allow_missing: bool) -> Result<Vec<Value>, String> {
    for step in steps {
        values = walk(values, step, allow_missing)?;
    }
    Ok(values)
}

/// The children `*` and `..` visit: a map's values, a list's items, a string's bytes.
fn children(value: &Value) -> Vec<Value> {
    match value {
        Value::Object(map) => map.values().cloned().collect(),
        Value::Array(items) => items.clone(),
        Value::String(s) => s.bytes().map(Value::from).collect(),
        _ => Vec::new(),
    }
}

fn walk(input: Vec<Value>, step: &Step, allow_missing: bool) -> Result<Vec<Value>, String> {
    let non_null = || input.iter().filter(|v| !v.is_null());
    Ok(match step {
        Step::Text(t) => vec![Value::String(t.clone())],
        Step::Int(i) => vec![Value::from(*i); input.len()],
        Step::Float(f) => vec![Value::from(*f); input.len()],
        Step::Bool(b) => vec![Value::Bool(*b); input.len()],
        Step::Identifier(name) => match name.as_str() {
            "range" => input,
            "end" => Vec::new(),
            other => return Err(format!("unrecognized identifier {other}")),
        },
        Step::Field(name) => {
            let found: Vec<Value> = non_null()
                .filter_map(|v| v.as_object().and_then(|m| m.get(name)).cloned())
                .collect();
            if found.is_empty() && !input.is_empty() && !allow_missing {
                return Err(format!("{name} is not found"));
            }
            found
        }
        Step::Wildcard => non_null().flat_map(children).collect(),
        Step::Recursive => recursive(non_null().cloned().collect()),
        Step::Union(lists) => {
            let mut out = Vec::new();
            for list in lists {
                out.extend(eval(input.clone(), list, allow_missing)?);
            }
            out
        }
        Step::Array(params) => {
            let mut out = Vec::new();
            for value in non_null() {
                let Value::Array(items) = value else {
                    return Err(format!(
                        "{} is not array or slice",
                        go_value::type_name(value)
                    ));
                };
                out.extend(slice(items, *params)?);
            }
            out
        }
        Step::Filter {
            left,
            operator,
            right,
        } => {
            let mut out = Vec::new();
            for value in &input {
                let Value::Array(items) = value else {
                    let shown = if value.is_null() {
                        "<invalid reflect.Value>".to_string()
                    } else {
                        go_value::plain(value)
                    };
                    return Err(format!(
                        "{shown} is not array or slice and cannot be filtered"
                    ));
                };
                for item in items {
                    if filter_passes(item, left, operator, right, allow_missing)? {
                        out.push(item.clone());
                    }
                }
            }
            out
        }
    })
}

fn recursive(input: Vec<Value>) -> Vec<Value> {
    let mut out = Vec::new();
    for value in input {
        let kids: Vec<Value> = children(&value)
            .into_iter()
            .filter(|v| !v.is_null())
            .collect();
        if !kids.is_empty() {
            out.push(value);
            out.extend(recursive(kids));
        }
    }
    out
}

/// `evalArray` for one list: bounds as client-go checks them.
fn slice(items: &[Value], params: [Param; 3]) -> Result<Vec<Value>, String> {
    let len = i64::try_from(items.len()).unwrap_or(i64::MAX);
    let mut start = if params[0].known { params[0].value } else { 0 };
    if start < 0 {
        start += len;
    }
    let mut end = if params[1].known {
        params[1].value
    } else {
        len
    };
    if end < 0 || (end == 0 && params[1].derived) {
        end += len;
    }
    if end == start {
        return Ok(Vec::new());
    }
    if start >= len || start < 0 {
        return Err(format!(
            "array index out of bounds: index {start}, length {len}"
        ));
    }
    if end > len || end < 0 {
        return Err(format!(
            "array index out of bounds: index {}, length {len}",
            end - 1
        ));
    }
    if start > end {
        return Err(format!(
            "starting index {start} is greater than ending index {end}"
        ));
    }
    let step = if params[2].known {
        if params[2].value <= 0 {
            return Err("step must be > 0".into());
        }
        params[2].value
    } else {
        1
    };
    let (start, end, step) = (
        usize::try_from(start).unwrap_or(0),
        usize::try_from(end).unwrap_or(0),
        usize::try_from(step).unwrap_or(1),
    );
    Ok(items
        .get(start..end)
        .unwrap_or(&[])
        .iter()
        .step_by(step)
        .cloned()
        .collect())
}

fn filter_passes(
    item: &Value,
    left: &[Step],
    operator: &str,
    right: &[Step],
    allow_missing: bool,
) -> Result<bool, String> {
    let lefts = eval(vec![item.clone()], left, allow_missing);
    if operator == "exists" {
        return Ok(lefts.is_ok_and(|l| !l.is_empty()));
    }
    let lefts = lefts?;
    let left = match lefts.as_slice() {
        [] => return Ok(false),
        [one] => one,
        _ => return Err("can only compare one element at a time".into()),
    };
    let rights = eval(vec![item.clone()], right, allow_missing)?;
    let right = match rights.as_slice() {
        [] => return Ok(false),
        [one] => one,
        _ => return Err("can only compare one element at a time".into()),
    };
    let ordering = compare(left, right)?;
    Ok(match operator {
        "==" => ordering == Some(Ordering::Equal),
        "!=" => ordering != Some(Ordering::Equal),
        op => {
            let Some(ordering) = ordering else {
                return Err("invalid type for comparison".into());
            };
            match op {
                "<" => ordering.is_lt(),
                ">" => ordering.is_gt(),
                "<=" => ordering.is_le(),
                ">=" => ordering.is_ge(),
                other => return Err(format!("unrecognized filter operator {other}")),
            }
        }
    })
}

/// Go template's `eq`/`lt` on basic kinds: `Some(ordering)`, or `None` for bools (equal or
/// not, but not ordered; `Some(Equal)` when equal). Different kinds are incomparable.
fn compare(left: &Value, right: &Value) -> Result<Option<Ordering>, String> {
    let is_int = |n: &serde_json::Number| n.is_i64() || n.is_u64();
    match (left, right) {
        (Value::String(a), Value::String(b)) => Ok(Some(a.cmp(b))),
        (Value::Bool(a), Value::Bool(b)) => Ok((a == b).then_some(Ordering::Equal)),
        (Value::Number(a), Value::Number(b)) if is_int(a) == is_int(b) => Ok(if is_int(a) {
            a.as_i64().zip(b.as_i64()).map(|(a, b)| a.cmp(&b))
        } else {
            a.as_f64()
                .zip(b.as_f64())
                .and_then(|(a, b)| a.partial_cmp(&b))
        }),
        (Value::Null | Value::Object(_) | Value::Array(_), _)
        | (_, Value::Null | Value::Object(_) | Value::Array(_)) => {
            Err("invalid type for comparison".into())
        }
        _ => Err("incompatible types for comparison".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn deployment() -> Value {
        json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"creationTimestamp": null, "labels": {"app": "web"}, "name": "web"},
            "spec": {"replicas": 1, "template": {"spec": {"containers": [
                {"image": "nginx", "name": "nginx"},
                {"image": "busybox", "name": "side"}
            ]}}},
            "status": {"conditions": [
                {"type": "Available", "status": "True"},
                {"type": "Progressing", "status": "False"}
            ]}
        })
    }

    /// Expected texts as the local kubectl v1.32.4 prints them for the same template on a
    /// `create deployment --dry-run=client` object (with a second container added here).
    #[test]
    fn templates_print_as_kubectl_prints_them() {
        let cases: &[(&str, &str)] = &[
            ("{.metadata.name}", "web"),
            ("name: {.metadata.name}", "name: web"),
            ("{.metadata.name}{\"\\n\"}", "web\n"),
            ("{.metadata.labels}", "{\"app\":\"web\"}"),
            ("{.spec.replicas}", "1"),
            ("{.metadata.creationTimestamp}", "null"),
            ("{.spec.foo}", ""),
            ("{.spec.replicas.x}", ""),
            ("{.spec.template.spec.containers[*].name}", "nginx side"),
            (
                "{.spec.template.spec.containers[0]}",
                "{\"image\":\"nginx\",\"name\":\"nginx\"}",
            ),
            ("{.spec.template.spec.containers[-1].name}", "side"),
            ("{.spec.template.spec.containers[0:1].name}", "nginx"),
            (
                "{.spec.template.spec.containers[0,1].image}",
                "nginx busybox",
            ),
            (
                "{.spec.template.spec.containers[?(@.name==\"side\")].image}",
                "busybox",
            ),
            (
                "{.spec.template.spec.containers[?(@.name<\"z\")].name}",
                "nginx side",
            ),
            (
                "{.status.conditions[?(@.type==\"Available\")].status}",
                "True",
            ),
            ("{.status.conditions[?(@.nope)].type}", ""),
            ("{.status.conditions[0].status}", "True"),
            ("{..image}", "nginx busybox"),
            ("{.metadata.labels.*}", "web"),
            ("{.metadata['name']}", "web"),
            (
                "{range .spec.template.spec.containers[*]}{.name}:{.image}{\"\\n\"}{end}",
                "nginx:nginx\nside:busybox\n",
            ),
            // Without {end}, client-go runs the body once more at the outer level.
            (
                "{range .spec.template.spec.containers[0:1]}[{.name}]",
                "[nginx][]",
            ),
        ];
        for (template, want) in cases {
            assert_eq!(
                print(template, &deployment(), true).as_deref(),
                Ok(*want),
                "{template}"
            );
        }
    }

    #[test]
    fn errors_as_kubectl_prints_them() {
        let parse_errors: &[(&str, &str)] = &[
            ("{.x", "error parsing jsonpath {.x, unclosed action"),
            ("{.a[}", "error parsing jsonpath {.a[}, unterminated array"),
            (
                "{#}",
                "error parsing jsonpath {#}, unrecognized character in action: U+0023 '#'",
            ),
            (
                "{.a[x]}",
                "error parsing jsonpath {.a[x]}, invalid array index x",
            ),
            (
                "{\"abc}",
                "error parsing jsonpath {\"abc}, unterminated quoted string",
            ),
            (
                "{....a}",
                "error parsing jsonpath {....a}, invalid multiple recursive descent",
            ),
            (
                "{.a[?(@.x==\"y\"]}",
                "error parsing jsonpath {.a[?(@.x==\"y\"]}, unterminated filter",
            ),
            ("", "template format specified but no template given"),
        ];
        for (template, want) in parse_errors {
            assert_eq!(
                print(template, &deployment(), true),
                Err(want.to_string()),
                "{template}"
            );
        }
        let exec_errors: &[(&str, &str)] = &[
            ("{.spec.template.spec.containers[5]}", "array index out of bounds: index 5, length 2"),
            ("{.spec.template.spec.containers[1:0]}", "starting index 1 is greater than ending index 0"),
            ("{.spec.template.spec.containers[0:3]}", "array index out of bounds: index 2, length 2"),
            ("{.metadata[*]}", "map[string]interface {} is not array or slice"),
            (
                "{.metadata[?(@.a)]}",
                "map[creationTimestamp:<nil> labels:map[app:web] name:web] is not array or slice and cannot be filtered",
            ),
            ("{.spec.template.spec.containers[?(@.name==1)]}", "incompatible types for comparison"),
            ("{foo}", "unrecognized identifier foo"),
            ("{.metadata.name}{end}", "not in range, nothing to end"),
        ];
        for (template, want) in exec_errors {
            let parsed = parse(template).expect("valid template");
            assert_eq!(
                execute(&parsed, &deployment(), true),
                Err(want.to_string()),
                "{template}"
            );
        }
        let parsed = parse("{.spec.foo}").expect("valid template");
        assert_eq!(
            execute(&parsed, &deployment(), false),
            Err("foo is not found".to_string())
        );
        let full = print("{.a[1]}", &json!({"a": [], "b": "x"}), true);
        assert_eq!(
            full,
            Err("error executing jsonpath \"{.a[1]}\": Error executing template: array index out of bounds: index 1, length 0. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{.a[1]}\n\tobject given to jsonpath engine was:\n\t\tmap[string]interface {}{\"a\":[]interface {}{}, \"b\":\"x\"}\n\n\n".to_string())
        );
    }
}
