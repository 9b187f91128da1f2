//! `kubectl describe` text, as `k8s.io/kubectl/pkg/describe/describe.go` (v1.32) writes it:
//! one describer per kind (`workload` for Deployments and ReplicaSets, `pod`, `node`,
//! `cluster` for Services and Namespaces), the pod-spec sections they share in
//! `pod_template`, the shared pieces (labels, annotations, the
//! Events table, RFC 1123 times) here, and Go's tabwriter in `tabwriter`.

mod cluster;
mod network_policy;
mod node;
mod pod;
mod pod_template;
mod quantity;
mod tabwriter;
mod workload;

use crate::event_order::first_occurrence;
use crate::printers::table::age;
use kplay_core::store::Store;
use kplay_core::time::format_rfc3339;
use kplay_core::types::{Event, ObjectMeta, Time};
use kplay_core::{Kind, Millis, Object};
use std::collections::BTreeMap;

/// The annotation describe never shows (`skipAnnotations`).
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";
/// Annotations longer than this are folded (`maxAnnotationLen`).
const MAX_ANNOTATION_LEN: usize = 140;

/// The full `kubectl describe` text of one stored object at virtual time `now`, with its
/// events unless `show_events` is false (`--show-events=false`); `None` for kinds kplay has
/// no describer for (events).
pub fn describe(store: &Store, object: &Object, now: Millis, show_events: bool) -> Option<String> {
    let mut w = Writer {
        text: String::new(),
        hide_events: !show_events,
    };
    match object {
        Object::Deployment(d) => workload::deployment(&mut w, store, d, now),
        Object::ReplicaSet(r) => workload::replica_set(&mut w, store, r, now),
        Object::Pod(p) => pod::pod(&mut w, store, p, now),
        Object::Node(n) => node::node(&mut w, store, n, now),
        Object::Service(s) => cluster::service(&mut w, store, s, now),
        Object::Namespace(n) => cluster::namespace(&mut w, n),
        Object::NetworkPolicy(p) => network_policy::network_policy(&mut w, p),
        Object::Event(_) | Object::Endpoints(_) | Object::EndpointSlice(_) => return None,
    }
    Some(tabwriter::align(&w.text))
}

/// A pod template (a `PodTemplateSpec` as API JSON) as `DescribePodTemplate` writes it
/// through a bare `PrefixWriter`, tabs kept: `kubectl rollout history --revision=N` prints
/// it without a tabwriter (history.go `printTemplate`).
pub(crate) fn pod_template(template: &serde_json::Value) -> String {
    let mut w = Writer::default();
    pod_template::describe_pod_template(&mut w, Some(template));
    w.text
}

/// describe.go's `PrefixWriter`: text at an indentation level of two spaces per level,
/// later laid out by the tabwriter.
#[derive(Default)]
struct Writer {
    text: String,
    /// `--show-events=false`: the describers leave the Events section out.
    hide_events: bool,
}

impl Writer {
    /// `Write(level, ...)`.
    fn write(&mut self, level: usize, text: &str) {
        for _ in 0..level {
            self.text.push_str("  ");
        }
        self.text.push_str(text);
    }

    /// `Write(level, "Title:\tvalue\n")`, the most common line.
    fn field(&mut self, level: usize, title: &str, value: &str) {
        self.write(level, &format!("{title}:\t{value}\n"));
    }
}

/// `printLabelsMultiline`: `Title:\tk=v`, further labels on their own lines, or `<none>`.
fn labels_multiline(w: &mut Writer, title: &str, labels: Option<&BTreeMap<String, String>>) {
    w.write(0, &format!("{title}:\t"));
    match labels.filter(|l| !l.is_empty()) {
        None => w.write(0, "<none>\n"),
        Some(labels) => {
            for (i, (k, v)) in labels.iter().enumerate() {
                if i != 0 {
                    w.write(0, "\t");
                }
                w.write(0, &format!("{k}={v}\n"));
            }
        }
    }
}

/// `printAnnotationsMultiline`: `key: value`, sorted, without the last-applied configuration;
/// long or multi-line values are folded under their key.
fn annotations_multiline(
    w: &mut Writer,
    title: &str,
    annotations: Option<&BTreeMap<String, String>>,
) {
    w.write(0, &format!("{title}:\t"));
    let shown: Vec<(&String, &String)> = annotations
        .into_iter()
        .flatten()
        .filter(|(k, _)| k.as_str() != LAST_APPLIED)
        .collect();
    if shown.is_empty() {
        w.write(0, "<none>\n");
        return;
    }
    for (i, (key, value)) in shown.into_iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        let value = value.strip_suffix('\n').unwrap_or(value);
        if value.len() + key.len() + 2 > MAX_ANNOTATION_LEN || value.contains('\n') {
            w.write(0, &format!("{key}:\n"));
            for line in value.split('\n') {
                w.write(
                    0,
                    &format!("\t  {}\n", shorten(line, MAX_ANNOTATION_LEN - 2)),
                );
            }
        } else {
            w.write(0, &format!("{key}: {value}\n"));
        }
    }
}

/// `shorten`: the first `max` bytes and `...`.
fn shorten(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &s[..end])
}

/// A time as Go's `time.RFC1123Z` layout prints it in UTC: `Wed, 01 Jan 2025 00:00:00 +0000`.
fn rfc1123z(time: &Time) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    // format_rfc3339 gives `2025-01-01T00:00:00Z`; 1970-01-01 was a Thursday.
    let text = format_rfc3339(time.0);
    let days = time.0.div_euclid(1000).div_euclid(86_400);
    let weekday = DAYS
        .get(usize::try_from(days.rem_euclid(7)).unwrap_or(0))
        .copied()
        .unwrap_or("");
    let month = text
        .get(5..7)
        .and_then(|m| m.parse::<usize>().ok())
        .and_then(|m| MONTHS.get(m.wrapping_sub(1)))
        .copied()
        .unwrap_or("");
    format!(
        "{weekday}, {} {month} {} {} +0000",
        text.get(8..10).unwrap_or(""),
        text.get(0..4).unwrap_or(""),
        text.get(11..19).unwrap_or("")
    )
}

/// `printController`: `Kind/name` of the controller owner reference, if any.
fn controlled_by(meta: &ObjectMeta) -> Option<String> {
    kplay_core::owner::controller_of(meta).map(|r| format!("{}/{}", r.kind, r.name))
}

/// `searchEvents`: the events about one object — same name, namespace, kind (when given)
/// and uid — from the object's namespace, or from every namespace for cluster-scoped kinds.
fn events_for<'a>(store: &'a Store, kind: Option<Kind>, meta: &'a ObjectMeta) -> Vec<&'a Event> {
    let namespace = meta.namespace.as_deref().filter(|ns| !ns.is_empty());
    store
        .list::<Event>(namespace)
        .filter(|e| {
            let o = &e.involved_object;
            o.name == meta.name
                && o.uid == meta.uid
                && kind.is_none_or(|k| o.kind.as_deref() == Some(k.name()))
                && (namespace.is_none() || o.namespace.as_deref() == namespace)
        })
        .collect()
}

/// The time kubectl sorts an event by (`eventTime` in `pkg/util/event`): its lastTimestamp,
/// in the whole seconds the API returns.
fn event_time(e: &Event) -> i64 {
    e.last_timestamp.map_or(0, |t| t.0.div_euclid(1000))
}

/// `DescribeEvents`: the Events table, oldest last-seen first, or `Events:\t<none>`.
/// Equal times keep the order of the first occurrence, which is the order of the event
/// names (`<object>.<unix nanos in hex>`) the API server lists them in.
fn describe_events(w: &mut Writer, mut events: Vec<&Event>, now: Millis) {
    if w.hide_events {
        return;
    }
    if events.is_empty() {
        w.write(0, "Events:\t<none>\n");
        return;
    }
    kplay_core::sort::sort_by(&mut events, |a, b| {
        (event_time(a), first_occurrence(a)).cmp(&(event_time(b), first_occurrence(b)))
    });
    w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    w.write(1, "----\t------\t----\t----\t-------\n");
    for e in events {
        let first = age(e.first_timestamp.as_ref(), now);
        let count = e.count.unwrap_or(0);
        let interval = if count > 1 {
            format!(
                "{} (x{count} over {first})",
                age(e.last_timestamp.as_ref(), now)
            )
        } else {
            first
        };
        let source = e
            .source
            .as_ref()
            .and_then(|s| s.component.clone())
            .filter(|c| !c.is_empty())
            .or_else(|| e.reporting_component.clone())
            .unwrap_or_default();
        w.write(
            1,
            &format!(
                "{}\t{}\t{interval}\t{source}\t{}\n",
                e.type_.as_deref().unwrap_or(""),
                e.reason.as_deref().unwrap_or(""),
                e.message.as_deref().unwrap_or("").trim()
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_print_as_rfc1123z() {
        let cases = [
            (
                kplay_core::time::START_UNIX_MS,
                "Wed, 01 Jan 2025 00:00:00 +0000",
            ),
            (
                kplay_core::time::START_UNIX_MS + 90_061_000,
                "Thu, 02 Jan 2025 01:01:01 +0000",
            ),
            (951_782_400_000, "Tue, 29 Feb 2000 00:00:00 +0000"),
            (0, "Thu, 01 Jan 1970 00:00:00 +0000"),
        ];
        for (ms, want) in cases {
            assert_eq!(rfc1123z(&Time(ms)), want);
        }
    }

    #[test]
    fn labels_and_annotations_are_multiline() {
        let map = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let mut w = Writer::default();
        labels_multiline(&mut w, "Labels", Some(&map(&[("b", "2"), ("a", "1")])));
        labels_multiline(&mut w, "  Labels", None);
        annotations_multiline(
            &mut w,
            "Annotations",
            Some(&map(&[
                (LAST_APPLIED, "{}"),
                ("deployment.kubernetes.io/revision", "2"),
            ])),
        );
        annotations_multiline(&mut w, "Annotations", Some(&map(&[(LAST_APPLIED, "{}")])));
        assert_eq!(
            w.text,
            "Labels:\ta=1\n\tb=2\n  Labels:\t<none>\nAnnotations:\tdeployment.kubernetes.io/revision: 2\nAnnotations:\t<none>\n"
        );
    }
}
