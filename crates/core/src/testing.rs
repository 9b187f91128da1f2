//! Manifests shared by the unit tests.

use serde_json::{json, Value};

/// Deployment `name` in `default`: `replicas` pods of one `nginx:1.0` container, labelled
/// `app: NAME`.
pub(crate) fn deployment(name: &str, replicas: i32) -> Value {
    json!({
        "metadata": {"name": name, "namespace": "default"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": "c", "image": "nginx:1.0"}]}
            }
        }
    })
}
