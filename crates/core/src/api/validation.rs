//! Defaulting and validation, as the API server applies them before storing an object.
//!
//! Defaults follow the `SetDefaults_*` functions of `pkg/apis/{apps,core}/v1/defaults.go`;
//! validation follows `pkg/apis/apps/validation/validation.go` and
//! `pkg/apis/core/validation/validation.go`, and every message is worded as the API server
//! words it (`k8s.io/apimachinery/pkg/util/validation/field/errors.go` `ErrorBody`), so that
//! kubectl prints exactly what a real cluster prints.

use super::{ApiError, Cause, Kind, Object};
use crate::labels::{selector_is_empty, selector_matches};
use crate::limits::Limits;
use crate::network::policy::{self, Cidr, Direction};
use crate::quote::go_quote;
use crate::types::IntOrString;
use crate::types::LabelSelector;
use crate::types::{
    Container, PodSecurityContext, PodSpec, PodTemplateSpec, ResourceRequirements, ServiceSpec,
    Toleration,
};
use crate::types::{DeploymentSpec, DeploymentStrategy, ReplicaSetSpec, RollingUpdateDeployment};
use crate::types::{IPBlock, NetworkPolicyPort, NetworkPolicySpec};
use std::collections::BTreeMap;

// ----- names -----

const DNS1123_LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_SUBDOMAIN_FMT: &str =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1035_LABEL_FMT: &str = "[a-z]([-a-z0-9]*[a-z0-9])?";

/// Checks the object's name with the rule of its kind (`ValidateObjectMeta` with the kind's
/// name function): namespaces are DNS-1123 labels (`ValidateNamespaceName`), services DNS-1035
/// labels (`ValidateServiceName`), everything else DNS-1123 subdomains.
pub fn validate_name(object: &Object) -> Result<(), ApiError> {
    let name = object.name();
    let kind = object.kind();
    let causes: Vec<Cause> = if name.is_empty() {
        vec![required(
            "metadata.name",
            "name or generateName is required",
        )]
    } else {
        let problems = match kind {
            Kind::Namespace => dns1123_label_errors(name),
            Kind::Service => dns1035_label_errors(name),
            _ => dns1123_subdomain_errors(name),
        };
        problems
            .iter()
            .map(|p| invalid("metadata.name", &go_quote(name), p))
            .collect()
    };
    if causes.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid(kind, name, causes))
    }
}

/// `RegexError` of apimachinery: the message, examples and the regex.
fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    let examples: Vec<String> = examples.iter().map(|e| format!("'{e}', ")).collect();
    format!(
        "{msg} (e.g. {}regex used for validation is '{fmt}')",
        examples.join(" or ")
    )
}

fn is_dns1123_label(s: &str) -> bool {
    let bytes = s.as_bytes();
    let alnum = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) => {
            alnum(first) && alnum(last) && bytes.iter().all(|b| alnum(b) || *b == b'-')
        }
        _ => false,
    }
}

fn is_dns1123_subdomain(s: &str) -> bool {
    s.split('.').all(is_dns1123_label)
}

/// `IsDNS1123Subdomain`.
fn dns1123_subdomain_errors(s: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if s.len() > 253 {
        errors.push("must be no more than 253 characters".to_string());
    }
    if !is_dns1123_subdomain(s) {
        errors.push(regex_error(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \
             '-' or '.', and must start and end with an alphanumeric character",
            DNS1123_SUBDOMAIN_FMT,
            &["example.com"],
        ));
    }
    errors
}

/// `IsDNS1123Label`.
fn dns1123_label_errors(s: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if s.len() > 63 {
        errors.push("must be no more than 63 characters".to_string());
    }
    if !is_dns1123_label(s) {
        if is_dns1123_subdomain(s) {
            errors.push("must not contain dots".to_string());
        } else {
            errors.push(regex_error(
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters \
                 or '-', and must start and end with an alphanumeric character",
                DNS1123_LABEL_FMT,
                &["my-name", "123-abc"],
            ));
        }
    }
    errors
}

/// `IsDNS1035Label`.
fn dns1035_label_errors(s: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if s.len() > 63 {
        errors.push("must be no more than 63 characters".to_string());
    }
    let starts_with_letter = s.as_bytes().first().is_some_and(u8::is_ascii_lowercase);
    if !(starts_with_letter && is_dns1123_label(s)) {
        errors.push(regex_error(
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start \
             with an alphabetic character, and end with an alphanumeric character",
            DNS1035_LABEL_FMT,
            &["my-name", "abc-123"],
        ));
    }
    errors
}

// ----- labels -----

const QUALIFIED_NAME_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const QUALIFIED_NAME_ERR_MSG: &str = "must consist of alphanumeric characters, '-', '_' or '.', \
     and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
const LABEL_VALUE_ERR_MSG: &str = "a valid label must be an empty string or consist of \
     alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric \
     character";

/// Whether `s` matches `^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$`.
fn is_qualified_name_part(s: &str) -> bool {
    let bytes = s.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) => {
            first.is_ascii_alphanumeric()
                && last.is_ascii_alphanumeric()
                && bytes
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        }
        _ => false,
    }
}

/// apimachinery's `IsQualifiedName`, the rule for label keys: an optional DNS-1123
/// subdomain prefix and `/`, then a name part of at most 63 characters. Public for
/// kubectl's label selectors, which apply the same rule client-side.
pub fn qualified_name_errors(value: &str) -> Vec<String> {
    let mut errors = Vec::new();
    let parts: Vec<&str> = value.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errors.push("prefix part must be non-empty".to_string());
            } else {
                let problems = dns1123_subdomain_errors(prefix);
                errors.extend(problems.iter().map(|p| format!("prefix part {p}")));
            }
            *name
        }
        _ => {
            return vec![format!(
                "a qualified name {} with an optional DNS subdomain prefix and '/' (e.g. \
                 'example.com/MyName')",
                regex_error(
                    QUALIFIED_NAME_ERR_MSG,
                    QUALIFIED_NAME_FMT,
                    &["MyName", "my.name", "123-abc"]
                )
            )]
        }
    };
    if name.is_empty() {
        errors.push("name part must be non-empty".to_string());
    } else if name.len() > 63 {
        errors.push("name part must be no more than 63 characters".to_string());
    }
    if !is_qualified_name_part(name) {
        errors.push(format!(
            "name part {}",
            regex_error(
                QUALIFIED_NAME_ERR_MSG,
                QUALIFIED_NAME_FMT,
                &["MyName", "my.name", "123-abc"]
            )
        ));
    }
    errors
}

/// apimachinery's `IsValidLabelValue`: empty, or at most 63 characters of the qualified-name
/// alphabet starting and ending with an alphanumeric character. Public for kubectl's
/// `label` and label selectors, which apply the same rule client-side.
pub fn label_value_errors(value: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if value.len() > 63 {
        errors.push("must be no more than 63 characters".to_string());
    }
    if !value.is_empty() && !is_qualified_name_part(value) {
        errors.push(regex_error(
            LABEL_VALUE_ERR_MSG,
            LABEL_VALUE_FMT,
            &["MyValue", "my_value", "12345"],
        ));
    }
    errors
}

/// apimachinery's `ValidateLabels` (meta/v1/validation): every key (`ValidateLabelName`) and
/// value of a label map, each problem an `Invalid` cause at `path` itself, keys in order.
fn validate_labels(labels: Option<&BTreeMap<String, String>>, path: &str, causes: &mut Vec<Cause>) {
    for (key, value) in labels.into_iter().flatten() {
        validate_label_name(key, path, causes);
        for problem in label_value_errors(value) {
            causes.push(invalid(path, &go_quote(value), &problem));
        }
    }
}

/// `ValidateLabelName`: a label key as a qualified name.
fn validate_label_name(key: &str, path: &str, causes: &mut Vec<Cause>) {
    for problem in qualified_name_errors(key) {
        causes.push(invalid(path, &go_quote(key), &problem));
    }
}

// ----- field errors, worded as field.Error.ErrorBody -----

/// `field.Invalid`: `Invalid value: VALUE: DETAIL` (`value` already printed the Go way).
fn invalid(field: &str, value: &str, detail: &str) -> Cause {
    Cause {
        field: field.to_string(),
        message: format!("Invalid value: {value}: {detail}"),
    }
}

/// `field.Required`: `Required value` with an optional detail.
fn required(field: &str, detail: &str) -> Cause {
    Cause {
        field: field.to_string(),
        message: if detail.is_empty() {
            "Required value".to_string()
        } else {
            format!("Required value: {detail}")
        },
    }
}

/// `field.Forbidden`.
fn forbidden(field: &str, detail: &str) -> Cause {
    Cause {
        field: field.to_string(),
        message: format!("Forbidden: {detail}"),
    }
}

/// `field.NotSupported`: `Unsupported value: "X": supported values: "A", "B"`.
fn not_supported(field: &str, value: &str, supported: &[&str]) -> Cause {
    let list: Vec<String> = supported.iter().map(|s| go_quote(s)).collect();
    Cause {
        field: field.to_string(),
        message: format!(
            "Unsupported value: {}: supported values: {}",
            go_quote(value),
            list.join(", ")
        ),
    }
}

/// `field.Duplicate`.
fn duplicate(field: &str, value: &str) -> Cause {
    Cause {
        field: field.to_string(),
        message: format!("Duplicate value: {}", go_quote(value)),
    }
}

/// `ValidateNonnegativeField`.
fn nonnegative(field: &str, value: i64, causes: &mut Vec<Cause>) {
    if value < 0 {
        causes.push(invalid(
            field,
            &value.to_string(),
            "must be greater than or equal to 0",
        ));
    }
}

/// A label map as Go's `%#v` prints `map[string]string` (keys sorted).
fn go_map(labels: Option<&BTreeMap<String, String>>) -> String {
    match labels {
        None => "map[string]string(nil)".to_string(),
        Some(map) => {
            let pairs: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}:{}", go_quote(k), go_quote(v)))
                .collect();
            format!("map[string]string{{{}}}", pairs.join(", "))
        }
    }
}

/// A selector as Go's `%#v` prints a `v1.LabelSelector` (expressions abridged to their count,
/// which real messages print as pointers and addresses anyway).
fn go_selector(selector: &LabelSelector) -> String {
    let expressions = match &selector.match_expressions {
        None => "[]v1.LabelSelectorRequirement(nil)".to_string(),
        Some(list) => format!("[]v1.LabelSelectorRequirement{{/* {} */}}", list.len()),
    };
    format!(
        "v1.LabelSelector{{MatchLabels:{}, MatchExpressions:{}}}",
        go_map(selector.match_labels.as_ref()),
        expressions
    )
}

/// An `IntOrString` as its `String()` method prints it (unquoted).
fn int_or_string(value: &IntOrString) -> String {
    match value {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(s) => s.clone(),
    }
}

// ----- defaulting -----

/// The default `maxSurge` and `maxUnavailable` of a RollingUpdate Deployment in apps/v1.
const DEFAULT_ROLLING_PERCENT: &str = "25%";

/// Fills in the defaults the API server sets (`SetDefaults_Deployment`, `SetDefaults_ReplicaSet`,
/// `SetDefaults_PodSpec`, `SetDefaults_Container`, `SetDefaults_Service`, ...), so that stored
/// objects look like a real cluster's `-o yaml`.
pub fn default_object(object: &mut Object) {
    match object {
        Object::Deployment(d) => {
            let spec = d.spec.get_or_insert_with(DeploymentSpec::default);
            default_deployment_spec(spec);
        }
        Object::ReplicaSet(rs) => {
            let spec = rs.spec.get_or_insert_with(ReplicaSetSpec::default);
            spec.replicas.get_or_insert(1);
            default_template(spec.template.get_or_insert_with(Default::default));
        }
        Object::Pod(pod) => {
            let spec = pod.spec.get_or_insert_with(PodSpec::default);
            default_pod_spec(spec);
            default_pod_only(spec);
        }
        Object::Service(svc) => default_service_spec(svc.spec.get_or_insert_with(Default::default)),
        Object::Namespace(ns) => {
            // SetDefaults_Namespace adds the immutable name label; the namespace strategy
            // adds the `kubernetes` finalizer and the Active phase.
            let name = ns.metadata.name.clone().unwrap_or_default();
            ns.metadata
                .labels
                .get_or_insert_with(BTreeMap::new)
                .insert("kubernetes.io/metadata.name".into(), name);
            ns.spec
                .get_or_insert_with(Default::default)
                .finalizers
                .get_or_insert_with(|| vec!["kubernetes".into()]);
            ns.status.get_or_insert_with(Default::default).phase = Some("Active".into());
        }
        Object::NetworkPolicy(policy) => {
            if let Some(spec) = policy.spec.as_mut() {
                default_network_policy_spec(spec);
            }
        }
        Object::Node(_) | Object::Event(_) | Object::Endpoints(_) | Object::EndpointSlice(_) => {}
    }
}

/// networking/v1 `SetDefaults_NetworkPolicy` and `SetDefaults_NetworkPolicyPort`: the policy
/// types (`Ingress`, and `Egress` when there are egress rules) and TCP for every port.
fn default_network_policy_spec(spec: &mut NetworkPolicySpec) {
    if spec.policy_types.is_none() {
        let mut types = vec!["Ingress".to_string()];
        if spec.egress.as_ref().is_some_and(|e| !e.is_empty()) {
            types.push("Egress".into());
        }
        spec.policy_types = Some(types);
    }
    let ingress_ports = spec.ingress.iter_mut().flatten().map(|r| &mut r.ports);
    let egress_ports = spec.egress.iter_mut().flatten().map(|r| &mut r.ports);
    for port in ingress_ports.chain(egress_ports).flatten().flatten() {
        port.protocol.get_or_insert_with(|| "TCP".into());
    }
}

/// apps/v1 `SetDefaults_Deployment`.
fn default_deployment_spec(spec: &mut DeploymentSpec) {
    spec.replicas.get_or_insert(1);
    let strategy = spec
        .strategy
        .get_or_insert_with(DeploymentStrategy::default);
    let strategy_type = strategy.type_.get_or_insert_with(|| "RollingUpdate".into());
    if strategy_type == "RollingUpdate" {
        let rolling = strategy
            .rolling_update
            .get_or_insert_with(RollingUpdateDeployment::default);
        rolling
            .max_unavailable
            .get_or_insert_with(|| IntOrString::String(DEFAULT_ROLLING_PERCENT.into()));
        rolling
            .max_surge
            .get_or_insert_with(|| IntOrString::String(DEFAULT_ROLLING_PERCENT.into()));
    }
    spec.revision_history_limit.get_or_insert(10);
    spec.progress_deadline_seconds.get_or_insert(600);
    default_template(&mut spec.template);
}

fn default_template(template: &mut PodTemplateSpec) {
    default_pod_spec(template.spec.get_or_insert_with(PodSpec::default));
}

/// core/v1 `SetDefaults_PodSpec` and `SetDefaults_Container` (also for pod templates).
fn default_pod_spec(spec: &mut PodSpec) {
    spec.dns_policy.get_or_insert_with(|| "ClusterFirst".into());
    spec.restart_policy.get_or_insert_with(|| "Always".into());
    spec.termination_grace_period_seconds.get_or_insert(30);
    spec.security_context
        .get_or_insert_with(PodSecurityContext::default);
    spec.scheduler_name
        .get_or_insert_with(|| "default-scheduler".into());
    let init = spec.init_containers.iter_mut().flatten();
    for container in spec.containers.iter_mut().chain(init) {
        default_container(container);
    }
}

fn default_container(container: &mut Container) {
    container
        .termination_message_path
        .get_or_insert_with(|| "/dev/termination-log".into());
    container
        .termination_message_policy
        .get_or_insert_with(|| "File".into());
    // SetDefaults_Container: `Always` for `:latest` or no tag, else `IfNotPresent`.
    let image = container.image.clone().unwrap_or_default();
    container
        .image_pull_policy
        .get_or_insert_with(|| match crate::images::tag(&image) {
            None | Some("latest") if !image.contains('@') => "Always".into(),
            _ => "IfNotPresent".into(),
        });
    container
        .resources
        .get_or_insert_with(ResourceRequirements::default);
    for port in container.ports.iter_mut().flatten() {
        port.protocol.get_or_insert_with(|| "TCP".into());
    }
    for probe in [
        &mut container.readiness_probe,
        &mut container.liveness_probe,
    ]
    .into_iter()
    .flatten()
    {
        default_probe(probe);
    }
}

/// `SetDefaults_Probe` and `SetDefaults_HTTPGetAction`: timeout 1 s, period 10 s, success
/// threshold 1, failure threshold 3 (initialDelaySeconds stays unset, meaning 0); an httpGet
/// gets path `/` and scheme HTTP.
fn default_probe(probe: &mut crate::types::Probe) {
    probe.timeout_seconds.get_or_insert(1);
    probe.period_seconds.get_or_insert(10);
    probe.success_threshold.get_or_insert(1);
    probe.failure_threshold.get_or_insert(3);
    if let Some(get) = probe.http_get.as_mut() {
        get.path.get_or_insert_with(|| "/".into());
        get.scheme.get_or_insert_with(|| "HTTP".into());
    }
}

/// Defaults a pod gets that a template does not: `SetDefaults_Pod` (enableServiceLinks), the
/// Priority admission plugin (priority 0, PreemptLowerPriority), the ServiceAccount plugin
/// (`default`) and DefaultTolerationSeconds (tolerate not-ready/unreachable nodes for 300s).
fn default_pod_only(spec: &mut PodSpec) {
    spec.enable_service_links.get_or_insert(true);
    spec.priority.get_or_insert(0);
    spec.preemption_policy
        .get_or_insert_with(|| "PreemptLowerPriority".into());
    spec.service_account_name
        .get_or_insert_with(|| "default".into());
    spec.service_account.get_or_insert_with(|| "default".into());
    let tolerations = spec.tolerations.get_or_insert_with(Vec::new);
    for key in [
        "node.kubernetes.io/not-ready",
        "node.kubernetes.io/unreachable",
    ] {
        if !tolerations.iter().any(|t| t.key.as_deref() == Some(key)) {
            tolerations.push(Toleration {
                effect: Some("NoExecute".into()),
                key: Some(key.into()),
                operator: Some("Exists".into()),
                toleration_seconds: Some(300),
                value: None,
                ..Default::default()
            });
        }
    }
}

/// core/v1 `SetDefaults_Service` and `SetDefaults_ServicePort`.
fn default_service_spec(spec: &mut ServiceSpec) {
    let service_type = spec.type_.get_or_insert_with(|| "ClusterIP".into()).clone();
    spec.session_affinity.get_or_insert_with(|| "None".into());
    if service_type != "ExternalName" {
        spec.internal_traffic_policy
            .get_or_insert_with(|| "Cluster".into());
    }
    if service_type == "NodePort" || service_type == "LoadBalancer" {
        spec.external_traffic_policy
            .get_or_insert_with(|| "Cluster".into());
    }
    if service_type == "LoadBalancer" {
        spec.allocate_load_balancer_node_ports.get_or_insert(true);
    }
    for port in spec.ports.iter_mut().flatten() {
        port.protocol.get_or_insert_with(|| "TCP".into());
        port.target_port.get_or_insert(IntOrString::Int(port.port));
    }
}

// ----- validation -----

/// Validates an object after defaulting (on update, `old` is the stored object), collecting
/// every cause as the API server does before it answers `422 Invalid`.
pub fn validate(object: &Object, old: Option<&Object>, limits: &Limits) -> Result<(), ApiError> {
    let mut causes = Vec::new();
    // ValidateObjectMeta, for every kind, on create and on update.
    validate_labels(
        object.meta().labels.as_ref(),
        "metadata.labels",
        &mut causes,
    );
    match object {
        Object::Deployment(d) => {
            let spec = d.spec.clone().unwrap_or_default();
            validate_replicas(spec.replicas, limits.replicas, &mut causes);
            validate_deployment_spec(&spec, &mut causes);
            if let Some(Object::Deployment(old)) = old {
                let old_selector = old.spec.as_ref().map(|s| &s.selector);
                immutable_selector(&spec.selector, old_selector, &mut causes);
            }
        }
        Object::ReplicaSet(rs) => {
            let spec = rs.spec.clone().unwrap_or_default();
            validate_replicas(spec.replicas, limits.replicas, &mut causes);
            validate_replica_set_spec(&spec, &mut causes);
            if let Some(Object::ReplicaSet(old)) = old {
                let old_selector = old.spec.as_ref().map(|s| &s.selector);
                immutable_selector(&spec.selector, old_selector, &mut causes);
            }
        }
        Object::Pod(pod) => {
            let spec = pod.spec.clone().unwrap_or_default();
            validate_pod_spec(&spec, "spec", &mut causes);
        }
        Object::Service(svc) => {
            let spec = svc.spec.clone().unwrap_or_default();
            validate_service_spec(&spec, &mut causes);
        }
        Object::NetworkPolicy(policy) => {
            validate_network_policy_spec(&policy.spec.clone().unwrap_or_default(), &mut causes);
        }
        Object::Namespace(_)
        | Object::Node(_)
        | Object::Event(_)
        | Object::Endpoints(_)
        | Object::EndpointSlice(_) => {}
    }
    if causes.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid(object.kind(), object.name(), causes))
    }
}

/// `ValidateNonnegativeField` on `spec.replicas` (the spec's first check), plus kplay's
/// limit ([`Limits::replicas`]): above it the API answers `Invalid`, like any other bad value.
fn validate_replicas(replicas: Option<i32>, limit: i32, causes: &mut Vec<Cause>) {
    let replicas = replicas.unwrap_or(1);
    nonnegative("spec.replicas", i64::from(replicas), causes);
    if replicas > limit {
        causes.push(invalid(
            "spec.replicas",
            &replicas.to_string(),
            &format!("must be less than or equal to {limit} (kplay's limit)"),
        ));
    }
}

/// `ValidateDeploymentSpec`.
fn validate_deployment_spec(spec: &DeploymentSpec, causes: &mut Vec<Cause>) {
    validate_selector_and_template(Some(&spec.selector), &spec.template, causes);
    if let Some(strategy) = &spec.strategy {
        validate_strategy(strategy, causes);
    }
    let min_ready = spec.min_ready_seconds.unwrap_or(0);
    nonnegative("spec.minReadySeconds", i64::from(min_ready), causes);
    if let Some(limit) = spec.revision_history_limit {
        nonnegative("spec.revisionHistoryLimit", i64::from(limit), causes);
    }
    if let Some(deadline) = spec.progress_deadline_seconds {
        nonnegative("spec.progressDeadlineSeconds", i64::from(deadline), causes);
        if deadline <= min_ready {
            causes.push(invalid(
                "spec.progressDeadlineSeconds",
                &deadline.to_string(),
                "must be greater than minReadySeconds",
            ));
        }
    }
}

/// `ValidateReplicaSetSpec`.
fn validate_replica_set_spec(spec: &ReplicaSetSpec, causes: &mut Vec<Cause>) {
    nonnegative(
        "spec.minReadySeconds",
        i64::from(spec.min_ready_seconds.unwrap_or(0)),
        causes,
    );
    let template = spec.template.clone().unwrap_or_default();
    validate_selector_and_template(Some(&spec.selector), &template, causes);
}

/// The selector checks of `ValidateDeploymentSpec`/`ValidateReplicaSetSpec` and
/// `ValidatePodTemplateSpecForReplicaSet`. A missing selector decodes as an empty one, which
/// the API server rejects as missing; it then matches nothing, so the template check fails too
/// (the familiar pair `spec.selector: Required value, spec.template.metadata.labels: ...`).
fn validate_selector_and_template(
    selector: Option<&LabelSelector>,
    template: &PodTemplateSpec,
    causes: &mut Vec<Cause>,
) {
    let selector = selector.filter(|s| !selector_is_empty(s));
    match selector {
        None => causes.push(required("spec.selector", "")),
        Some(s) => {
            // ValidateLabelSelector; a selector with any problem does not convert
            // (LabelSelectorAsSelector), so the template is not checked against it.
            let mut problems = Vec::new();
            validate_labels(
                s.match_labels.as_ref(),
                "spec.selector.matchLabels",
                &mut problems,
            );
            validate_selector_expressions(s, &mut problems);
            if !problems.is_empty() {
                causes.extend(problems);
                causes.push(invalid(
                    "spec.selector",
                    &go_selector(s),
                    "invalid label selector",
                ));
                return;
            }
        }
    }
    let labels = template.metadata.as_ref().and_then(|m| m.labels.as_ref());
    if !selector.is_some_and(|s| selector_matches(s, labels)) {
        causes.push(invalid(
            "spec.template.metadata.labels",
            &go_map(labels),
            "`selector` does not match template `labels`",
        ));
    }
    // ValidatePodTemplateSpec checks the template's labels at `spec.template.labels`
    // (sic: its path is the template's, without `metadata`).
    validate_labels(labels, "spec.template.labels", causes);
    let spec = template.spec.clone().unwrap_or_default();
    validate_pod_spec(&spec, "spec.template.spec", causes);
    let restart = spec.restart_policy.as_deref().unwrap_or("Always");
    if restart != "Always" {
        causes.push(not_supported(
            "spec.template.spec.restartPolicy",
            restart,
            &["Always"],
        ));
    }
}

/// `ValidateLabelSelectorRequirement`: the operator and its values, the key, each value.
fn validate_selector_expressions(selector: &LabelSelector, causes: &mut Vec<Cause>) {
    for (i, req) in selector.match_expressions.iter().flatten().enumerate() {
        let path = format!("spec.selector.matchExpressions[{i}]");
        let has_values = req.values.as_ref().is_some_and(|v| !v.is_empty());
        match req.operator.as_str() {
            "In" | "NotIn" if !has_values => causes.push(required(
                &format!("{path}.values"),
                "must be specified when `operator` is 'In' or 'NotIn'",
            )),
            "Exists" | "DoesNotExist" if has_values => causes.push(forbidden(
                &format!("{path}.values"),
                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            )),
            "In" | "NotIn" | "Exists" | "DoesNotExist" => {}
            other => causes.push(invalid(
                &format!("{path}.operator"),
                &go_quote(other),
                "not a valid selector operator",
            )),
        }
        validate_label_name(&req.key, &format!("{path}.key"), causes);
        for (j, value) in req.values.iter().flatten().enumerate() {
            for problem in label_value_errors(value) {
                causes.push(invalid(
                    &format!("{path}.values[{j}]"),
                    &go_quote(value),
                    &problem,
                ));
            }
        }
    }
}

/// `ValidateDeploymentStrategy` and `ValidateRollingUpdateDeployment`. Values are judged raw,
/// before rounding: `maxSurge: 0, maxUnavailable: 10%` is valid even for 5 replicas.
fn validate_strategy(strategy: &DeploymentStrategy, causes: &mut Vec<Cause>) {
    match strategy.type_.as_deref().unwrap_or("RollingUpdate") {
        "Recreate" => {
            if strategy.rolling_update.is_some() {
                causes.push(forbidden(
                    "spec.strategy.rollingUpdate",
                    "may not be specified when strategy `type` is 'Recreate'",
                ));
            }
        }
        "RollingUpdate" => {
            let rolling = strategy.rolling_update.clone().unwrap_or_default();
            let unavailable = rolling.max_unavailable.unwrap_or(IntOrString::Int(0));
            let surge = rolling.max_surge.unwrap_or(IntOrString::Int(0));
            let base = "spec.strategy.rollingUpdate";
            positive_int_or_percent(&unavailable, &format!("{base}.maxUnavailable"), causes);
            positive_int_or_percent(&surge, &format!("{base}.maxSurge"), causes);
            if int_or_percent_value(&unavailable) == 0 && int_or_percent_value(&surge) == 0 {
                causes.push(invalid(
                    &format!("{base}.maxUnavailable"),
                    &int_or_string(&unavailable),
                    "may not be 0 when `maxSurge` is 0",
                ));
            }
            if percent_value(&unavailable).is_some_and(|p| p > 100) {
                causes.push(invalid(
                    &format!("{base}.maxUnavailable"),
                    &int_or_string(&unavailable),
                    "must not be greater than 100%",
                ));
            }
        }
        other => {
            // NotSupported prints the whole internal strategy struct with Go's `%#v`.
            let rolling = match strategy.rolling_update {
                None => "(*apps.RollingUpdateDeployment)(nil)",
                Some(_) => "(*apps.RollingUpdateDeployment)(0xc000010000)",
            };
            causes.push(Cause {
                field: "spec.strategy".into(),
                message: format!(
                    "Unsupported value: apps.DeploymentStrategy{{Type:{}, RollingUpdate:{rolling}}}: \
                     supported values: \"Recreate\", \"RollingUpdate\"",
                    go_quote(other)
                ),
            });
        }
    }
}

/// `ValidatePositiveIntOrPercent`.
fn positive_int_or_percent(value: &IntOrString, field: &str, causes: &mut Vec<Cause>) {
    match value {
        IntOrString::Int(i) => nonnegative(field, i64::from(*i), causes),
        IntOrString::String(s) => {
            if percent_value(value).is_none() {
                causes.push(invalid(
                    field,
                    s,
                    &regex_error(
                        "a valid percent string must be a numeric string followed by an ending '%'",
                        "[0-9]+%",
                        &["1%", "93%"],
                    ),
                ));
            }
        }
    }
}

/// The number of a valid percent string (`getPercentValue`), e.g. `25%` gives 25.
fn percent_value(value: &IntOrString) -> Option<i64> {
    let IntOrString::String(s) = value else {
        return None;
    };
    let digits = s.strip_suffix('%')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// `getIntOrPercentValue`: the percent number, the integer, or 0 for anything else.
fn int_or_percent_value(value: &IntOrString) -> i64 {
    match value {
        IntOrString::Int(i) => i64::from(*i),
        IntOrString::String(s) => percent_value(value).unwrap_or_else(|| s.parse().unwrap_or(0)),
    }
}

/// `ValidateImmutableField` on `spec.selector` (apps/v1 Deployments and ReplicaSets).
fn immutable_selector(new: &LabelSelector, old: Option<&LabelSelector>, causes: &mut Vec<Cause>) {
    if old.is_some_and(|old| old != new) {
        causes.push(invalid(
            "spec.selector",
            &go_selector(new),
            "field is immutable",
        ));
    }
}

/// The container checks of `ValidatePodSpec` (`validateContainers`, `validateContainerCommon`).
fn validate_pod_spec(spec: &PodSpec, path: &str, causes: &mut Vec<Cause>) {
    if spec.containers.is_empty() {
        causes.push(required(&format!("{path}.containers"), ""));
    }
    let mut seen: Vec<&str> = Vec::new();
    for (i, container) in spec.containers.iter().enumerate() {
        let cpath = format!("{path}.containers[{i}]");
        if container.name.is_empty() {
            causes.push(required(&format!("{cpath}.name"), ""));
        } else {
            for problem in dns1123_label_errors(&container.name) {
                causes.push(invalid(
                    &format!("{cpath}.name"),
                    &go_quote(&container.name),
                    &problem,
                ));
            }
            if seen.contains(&container.name.as_str()) {
                causes.push(duplicate(&format!("{cpath}.name"), &container.name));
            }
            seen.push(&container.name);
        }
        if container.image.as_deref().unwrap_or("").is_empty() {
            causes.push(required(&format!("{cpath}.image"), ""));
        }
        for (j, port) in container.ports.iter().flatten().enumerate() {
            if !(1..=65535).contains(&port.container_port) {
                causes.push(invalid(
                    &format!("{cpath}.ports[{j}].containerPort"),
                    &port.container_port.to_string(),
                    "must be between 1 and 65535, inclusive",
                ));
            }
        }
        if let Some(policy) = container.image_pull_policy.as_deref() {
            if !matches!(policy, "Always" | "IfNotPresent" | "Never") {
                causes.push(not_supported(
                    &format!("{cpath}.imagePullPolicy"),
                    policy,
                    &["Always", "IfNotPresent", "Never"],
                ));
            }
        }
    }
    if let Some(restart) = spec.restart_policy.as_deref() {
        if !matches!(restart, "Always" | "OnFailure" | "Never") {
            causes.push(not_supported(
                &format!("{path}.restartPolicy"),
                restart,
                &["Always", "OnFailure", "Never"],
            ));
        }
    }
}

/// The common checks of `ValidateService`.
fn validate_service_spec(spec: &ServiceSpec, causes: &mut Vec<Cause>) {
    let service_type = spec.type_.as_deref().unwrap_or("ClusterIP");
    if !matches!(
        service_type,
        "ClusterIP" | "ExternalName" | "LoadBalancer" | "NodePort"
    ) {
        causes.push(not_supported(
            "spec.type",
            service_type,
            &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"],
        ));
    }
    let ports = spec.ports.as_deref().unwrap_or_default();
    let headless = spec.cluster_ip.as_deref() == Some("None");
    if ports.is_empty() && !headless && service_type != "ExternalName" {
        causes.push(required("spec.ports", ""));
    }
    for (i, port) in ports.iter().enumerate() {
        let ppath = format!("spec.ports[{i}]");
        if ports.len() > 1 && port.name.as_deref().unwrap_or("").is_empty() {
            causes.push(required(&format!("{ppath}.name"), ""));
        }
        if !(1..=65535).contains(&port.port) {
            causes.push(invalid(
                &format!("{ppath}.port"),
                &port.port.to_string(),
                "must be between 1 and 65535, inclusive",
            ));
        }
        let protocol = port.protocol.as_deref().unwrap_or("TCP");
        if !matches!(protocol, "TCP" | "UDP" | "SCTP") {
            causes.push(not_supported(
                &format!("{ppath}.protocol"),
                protocol,
                &["SCTP", "TCP", "UDP"],
            ));
        }
        if port.node_port.is_some() && service_type == "ClusterIP" {
            causes.push(forbidden(
                &format!("{ppath}.nodePort"),
                "may not be used when `type` is 'ClusterIP'",
            ));
        }
    }
}

/// networking `ValidateNetworkPolicySpec`: policy types, and each rule's ports and peers, in
/// the API server's words (pkg/apis/networking/validation).
fn validate_network_policy_spec(spec: &NetworkPolicySpec, causes: &mut Vec<Cause>) {
    let directions = [
        (Direction::Ingress, "spec.ingress", "from"),
        (Direction::Egress, "spec.egress", "to"),
    ];
    let rules = directions
        .into_iter()
        .flat_map(|(direction, list, peers_field)| {
            let rules = policy::rules(spec, direction).into_iter().enumerate();
            rules
                .map(move |(i, (peers, ports))| (format!("{list}[{i}]"), peers_field, peers, ports))
        });
    for (path, peers_field, peers, ports) in rules {
        for (j, port) in ports.into_iter().flatten().enumerate() {
            validate_network_policy_port(port, &format!("{path}.ports[{j}]"), causes);
        }
        for (j, peer) in peers.into_iter().flatten().enumerate() {
            let ppath = format!("{path}.{peers_field}[{j}]");
            let selectors = usize::from(peer.pod_selector.is_some())
                + usize::from(peer.namespace_selector.is_some());
            if let Some(block) = &peer.ip_block {
                validate_ip_block(block, &format!("{ppath}.ipBlock"), causes);
            }
            match (&peer.ip_block, selectors) {
                (None, 0) => causes.push(required(&ppath, "must specify a peer")),
                (Some(_), 1..) => causes.push(forbidden(
                    &ppath,
                    "may not specify both ipBlock and another peer",
                )),
                _ => {}
            }
        }
    }
    let types = spec.policy_types.as_deref().unwrap_or_default();
    if types.len() > 2 {
        causes.push(invalid(
            "spec.policyTypes",
            &format!("[{}]", types.join(" ")),
            "may not specify more than two policyTypes",
        ));
    }
    for (i, policy_type) in types.iter().enumerate() {
        if !matches!(policy_type.as_str(), "Ingress" | "Egress") {
            causes.push(not_supported(
                &format!("spec.policyTypes[{i}]"),
                policy_type,
                &["Ingress", "Egress"],
            ));
        }
    }
}

/// `ValidateNetworkPolicyPort`: the protocol, and a port number (or range) or port name.
fn validate_network_policy_port(port: &NetworkPolicyPort, path: &str, causes: &mut Vec<Cause>) {
    let protocol = port.protocol.as_deref().unwrap_or("TCP");
    if !matches!(protocol, "TCP" | "UDP" | "SCTP") {
        causes.push(not_supported(
            &format!("{path}.protocol"),
            protocol,
            &["TCP", "UDP", "SCTP"],
        ));
    }
    let range = "must be between 1 and 65535, inclusive";
    match (&port.port, port.end_port) {
        (Some(IntOrString::Int(number)), end) => {
            if !(1..=65535).contains(number) {
                causes.push(invalid(&format!("{path}.port"), &number.to_string(), range));
            }
            if let Some(end) = end {
                if end < *number {
                    causes.push(invalid(
                        &format!("{path}.endPort"),
                        &number.to_string(),
                        "must be greater than or equal to `port`",
                    ));
                }
                if !(1..=65535).contains(&end) {
                    causes.push(invalid(&format!("{path}.endPort"), &end.to_string(), range));
                }
            }
        }
        (Some(IntOrString::String(name)), end) => {
            if let Some(end) = end {
                causes.push(invalid(
                    &format!("{path}.endPort"),
                    &end.to_string(),
                    "may not be specified when `port` is non-numeric",
                ));
            }
            for problem in port_name_errors(name) {
                causes.push(invalid(&format!("{path}.port"), &go_quote(name), problem));
            }
        }
        (None, Some(end)) => causes.push(invalid(
            &format!("{path}.endPort"),
            &end.to_string(),
            "may not be specified when `port` is not specified",
        )),
        (None, None) => {}
    }
}

/// apimachinery's `IsValidPortName` (an IANA service name: at most 15 lower-case letters,
/// digits and hyphens, with a letter, no hyphen at either end or twice in a row), its
/// messages in its order (`util/validation/validation.go`).
pub fn port_name_errors(name: &str) -> Vec<&'static str> {
    let mut problems = Vec::new();
    if name.len() > 15 {
        problems.push("must be no more than 15 characters");
    }
    let charset = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-';
    if name.is_empty() || !name.bytes().all(charset) {
        problems.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }
    if !name.bytes().any(|b| b.is_ascii_lowercase()) {
        problems.push("must contain at least one letter (a-z)");
    }
    if name.contains("--") {
        problems.push("must not contain consecutive hyphens");
    }
    if name.starts_with('-') || name.ends_with('-') {
        problems.push("must not begin or end with a hyphen");
    }
    problems
}

/// `ValidateIPBlock`: a valid CIDR, and each `except` a strict subset of it.
fn validate_ip_block(block: &IPBlock, path: &str, causes: &mut Vec<Cause>) {
    if block.cidr.is_empty() {
        causes.push(required(&format!("{path}.cidr"), ""));
        return;
    }
    let Some(cidr) = Cidr::parse(&block.cidr) else {
        causes.push(invalid(
            &format!("{path}.cidr"),
            &go_quote(&block.cidr),
            "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
        ));
        return;
    };
    for (i, except) in block.except.iter().flatten().enumerate() {
        let epath = format!("{path}.except[{i}]");
        match Cidr::parse(except) {
            None => causes.push(invalid(&epath, &go_quote(except), "must be a valid CIDR")),
            Some(e) if !cidr.strictly_contains(&e) => causes.push(invalid(
                &epath,
                &go_quote(except),
                "must be a strict subset of `cidr`",
            )),
            Some(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_names_are_judged_as_apimachinery_does() {
        // Messages as IsValidPortName (apimachinery v0.32) returns them, in its order.
        let table: [(&str, &[&str]); 6] = [
            ("serve-80-tcp", &[]),
            ("http", &[]),
            (
                "a-very-long-port-name",
                &["must be no more than 15 characters"],
            ),
            (
                "Http",
                &["must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"],
            ),
            ("80", &["must contain at least one letter (a-z)"]),
            (
                "-a--b",
                &[
                    "must not contain consecutive hyphens",
                    "must not begin or end with a hyphen",
                ],
            ),
        ];
        for (name, problems) in table {
            assert_eq!(port_name_errors(name), problems, "{name}");
        }
    }
    use crate::api::ApiObject;
    use crate::types::{Deployment, FromJson};
    use crate::types::{Namespace, Service};
    use serde_json::json;

    fn deployment(spec: serde_json::Value) -> Object {
        let value = json!({"metadata": {"name": "web", "namespace": "default"}, "spec": spec});
        let d = Deployment::from_json(value);
        d.into_object()
    }

    fn base_spec() -> serde_json::Value {
        json!({
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}
            }
        })
    }

    fn with(path: &[&str], value: serde_json::Value) -> serde_json::Value {
        let mut spec = base_spec();
        let mut cursor = &mut spec;
        for key in &path[..path.len() - 1] {
            cursor = &mut cursor[*key];
        }
        cursor[path[path.len() - 1]] = value;
        spec
    }

    fn error_of(object: Object) -> String {
        let mut object = object;
        default_object(&mut object);
        match validate(&object, None, &Limits::PLAYGROUND) {
            Ok(()) => String::new(),
            Err(e) => e.message,
        }
    }

    #[test]
    fn names_are_checked_per_kind_in_the_api_servers_words() {
        let subdomain = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric \
            characters, '-' or '.', and must start and end with an alphanumeric character (e.g. \
            'example.com', regex used for validation is \
            '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
        let dep = |name: &str| {
            let mut d = Deployment::default();
            d.metadata.name = Some(name.into());
            d.into_object()
        };
        let table: Vec<(Object, String)> = vec![
            (dep("web"), String::new()),
            (dep("web.v1"), String::new()),
            (
                dep("Bad_Name"),
                format!(
                    "Deployment.apps \"Bad_Name\" is invalid: metadata.name: Invalid value: \
                     \"Bad_Name\": {subdomain}"
                ),
            ),
            (
                dep(""),
                "Deployment.apps \"\" is invalid: metadata.name: Required value: name or \
                 generateName is required"
                    .into(),
            ),
            (
                {
                    let mut s = Service::default();
                    s.metadata.name = Some("1web".into());
                    s.into_object()
                },
                "Service \"1web\" is invalid: metadata.name: Invalid value: \"1web\": a DNS-1035 \
                 label must consist of lower case alphanumeric characters or '-', start with an \
                 alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or \
                 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
                    .into(),
            ),
            (
                {
                    let mut n = Namespace::default();
                    n.metadata.name = Some("a.b".into());
                    n.into_object()
                },
                "Namespace \"a.b\" is invalid: metadata.name: Invalid value: \"a.b\": must not \
                 contain dots"
                    .into(),
            ),
        ];
        for (object, expected) in table {
            let got = validate_name(&object)
                .err()
                .map(|e| e.message)
                .unwrap_or_default();
            assert_eq!(got, expected);
        }
    }

    #[test]
    fn deployments_get_apps_v1_defaults() {
        let mut object = deployment(json!({
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": {},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [
                    {"name": "a", "image": "nginx", "ports": [{"containerPort": 80}]},
                    {"name": "b", "image": "nginx:1.27"},
                    {"name": "c", "image": "nginx:latest"}
                ]}
            }
        }));
        default_object(&mut object);
        let json = object.to_json();
        let spec = &json["spec"];
        assert_eq!(spec["replicas"], 1);
        assert_eq!(spec["revisionHistoryLimit"], 10);
        assert_eq!(spec["progressDeadlineSeconds"], 600);
        assert_eq!(
            spec["strategy"],
            json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}})
        );
        let pod = &spec["template"]["spec"];
        assert_eq!(pod["restartPolicy"], "Always");
        assert_eq!(pod["terminationGracePeriodSeconds"], 30);
        assert_eq!(pod["dnsPolicy"], "ClusterFirst");
        assert_eq!(pod["schedulerName"], "default-scheduler");
        assert_eq!(pod["securityContext"], json!({}));
        let c = &pod["containers"];
        assert_eq!(c[0]["imagePullPolicy"], "Always");
        assert_eq!(c[1]["imagePullPolicy"], "IfNotPresent");
        assert_eq!(c[2]["imagePullPolicy"], "Always");
        assert_eq!(c[0]["terminationMessagePath"], "/dev/termination-log");
        assert_eq!(c[0]["terminationMessagePolicy"], "File");
        assert_eq!(c[0]["resources"], json!({}));
        assert_eq!(c[0]["ports"][0]["protocol"], "TCP");
    }

    #[test]
    fn services_get_defaults() {
        let svc = Service::from_json(json!({
            "metadata": {"name": "web"},
            "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}
        }));
        let mut object = svc.into_object();
        default_object(&mut object);
        let spec = &object.to_json()["spec"];
        assert_eq!(spec["type"], "ClusterIP");
        assert_eq!(spec["sessionAffinity"], "None");
        assert_eq!(
            spec["ports"][0],
            json!({"port": 80, "protocol": "TCP", "targetPort": 80})
        );
    }

    #[test]
    fn deployment_specs_are_validated_in_the_api_servers_words() {
        let prefix = "Deployment.apps \"web\" is invalid: ";
        let rolling = |surge: serde_json::Value, unavailable: serde_json::Value| {
            with(
                &["strategy"],
                json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": surge, "maxUnavailable": unavailable}}),
            )
        };
        let table: Vec<(&str, serde_json::Value, &str)> = vec![
            ("valid", base_spec(), ""),
            ("surge 0, unavailable 10% is valid", rolling(json!(0), json!("10%")), ""),
            (
                "negative replicas",
                with(&["replicas"], json!(-1)),
                "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
            ),
            (
                "replicas at kplay's limit",
                with(&["replicas"], json!(Limits::PLAYGROUND.replicas)),
                "",
            ),
            (
                "replicas above kplay's limit",
                with(&["replicas"], json!(999_999_999)),
                "spec.replicas: Invalid value: 999999999: must be less than or equal to 1000 (kplay's limit)",
            ),
            (
                "both zero",
                rolling(json!(0), json!(0)),
                "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0",
            ),
            (
                "both zero percent",
                rolling(json!("0%"), json!("0%")),
                "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0%: may not be 0 when `maxSurge` is 0",
            ),
            (
                "unavailable over 100%",
                rolling(json!(1), json!("150%")),
                "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 150%: must not be greater than 100%",
            ),
            (
                "bad percent",
                rolling(json!("oops"), json!(1)),
                "spec.strategy.rollingUpdate.maxSurge: Invalid value: oops: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
            ),
            (
                "rollingUpdate with Recreate",
                with(&["strategy"], json!({"type": "Recreate", "rollingUpdate": {"maxSurge": 1}})),
                "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
            ),
            (
                "selector does not match",
                with(&["selector"], json!({"matchLabels": {"app": "other"}})),
                "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`",
            ),
            (
                "selector missing",
                with(&["selector"], json!({})),
                "[spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`]",
            ),
            (
                "container without image",
                with(&["template", "spec", "containers"], json!([{"name": "web"}])),
                "spec.template.spec.containers[0].image: Required value",
            ),
            (
                "no containers",
                with(&["template", "spec", "containers"], json!([])),
                "spec.template.spec.containers: Required value",
            ),
            (
                "restartPolicy Never",
                with(&["template", "spec", "restartPolicy"], json!("Never")),
                "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"",
            ),
        ];
        for (name, spec, expected) in table {
            let expected = if expected.is_empty() {
                String::new()
            } else {
                format!("{prefix}{expected}")
            };
            assert_eq!(error_of(deployment(spec)), expected, "{name}");
        }
    }

    #[test]
    fn selector_is_immutable_on_update() {
        let mut old = deployment(base_spec());
        default_object(&mut old);
        let mut new = deployment(with(
            &["selector"],
            json!({"matchLabels": {"app": "web", "v": "2"}}),
        ));
        default_object(&mut new);
        let message = validate(&new, Some(&old), &Limits::PLAYGROUND)
            .err()
            .map(|e| e.message);
        assert_eq!(
            message.as_deref(),
            Some(
                "Deployment.apps \"web\" is invalid: [spec.template.metadata.labels: Invalid value: \
                 map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`, \
                 spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\
                 \"app\":\"web\", \"v\":\"2\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: \
                 field is immutable]"
            )
        );
    }

    #[test]
    fn label_keys_and_values_as_apimachinery_judges_them() {
        // apimachinery pkg/util/validation/validation_test.go TestIsQualifiedName and
        // TestIsValidLabelValue: (text, valid as a key, valid as a value).
        let long_prefix = format!("{}/{}", "a".repeat(253), "b".repeat(63));
        let too_long_prefix = format!("{}/abc", "a".repeat(254));
        let a63 = "a".repeat(63);
        let a64 = "a".repeat(64);
        let table: Vec<(&str, bool, bool)> = vec![
            ("simple", true, true),
            ("now-with-dashes", true, true),
            ("1-starts-with-num", true, true),
            ("1234", true, true),
            ("simple/simple", true, false),
            ("now-with-dashes/now-with-dashes", true, false),
            ("now.with.dots/now-with-dashes", true, false),
            ("123.abc/now-with.dashes-and.dots", true, false),
            ("Now-With_Underscores.And.Capitals", true, true),
            (&a63, true, true),
            (&long_prefix, true, false),
            ("", false, true),
            ("nospecialchars%^=@", false, false),
            ("cantendwithadash-", false, false),
            ("-cantstartwithadash-", false, false),
            (".starts.with.dot", false, false),
            ("only/one/slash", false, false),
            ("Example.com/abc", false, false),
            ("example_com/abc", false, false),
            ("example.com/", false, false),
            ("/simple", false, false),
            ("Tama-nui-te-rā.is_the_Māori_sun", false, false),
            (&a64, false, false),
            (&too_long_prefix, false, false),
        ];
        for (text, key_ok, value_ok) in table {
            assert_eq!(
                qualified_name_errors(text).is_empty(),
                key_ok,
                "key {text:?}"
            );
            assert_eq!(
                label_value_errors(text).is_empty(),
                value_ok,
                "value {text:?}"
            );
        }
        // The messages, as IsQualifiedName and IsValidLabelValue word them.
        let name_part = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
        let messages: Vec<(String, Vec<String>)> = vec![
            ("bad key!".into(), vec![name_part.into()]),
            ("".into(), vec!["name part must be non-empty".into(), name_part.into()]),
            ("example.com/".into(), vec!["name part must be non-empty".into(), name_part.into()]),
            ("/simple".into(), vec!["prefix part must be non-empty".into()]),
            (a64.clone(), vec!["name part must be no more than 63 characters".into()]),
            (
                "Example.com/abc".into(),
                vec!["prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')".into()],
            ),
            (
                "only/one/slash".into(),
                vec!["a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')".into()],
            ),
        ];
        for (key, want) in messages {
            assert_eq!(qualified_name_errors(&key), want, "key {key:?}");
        }
        assert_eq!(
            label_value_errors(&format!("{a63}-")),
            vec![
                "must be no more than 63 characters".to_string(),
                "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')".to_string(),
            ]
        );
    }

    #[test]
    fn labels_are_validated_on_every_kind_and_in_selectors_and_templates() {
        let name_part = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
        let value_msg = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
        let with_meta_labels = |labels: serde_json::Value| {
            let value = json!({"metadata": {"name": "web", "namespace": "default", "labels": labels}, "spec": base_spec()});
            Deployment::from_json(value).into_object()
        };
        let table: Vec<(&str, Object, String)> = vec![
            ("valid labels", with_meta_labels(json!({"app": "web", "example.com/tier": "", "v": "1.0_a-b"})), String::new()),
            (
                "bad metadata key",
                with_meta_labels(json!({"bad key!": "x"})),
                format!("Deployment.apps \"web\" is invalid: metadata.labels: Invalid value: \"bad key!\": {name_part}"),
            ),
            (
                "long metadata value",
                with_meta_labels(json!({"app": "a".repeat(64)})),
                format!("Deployment.apps \"web\" is invalid: metadata.labels: Invalid value: \"{}\": must be no more than 63 characters", "a".repeat(64)),
            ),
            (
                "bad template key",
                deployment(with(&["template", "metadata", "labels"], json!({"app": "web", "-x": "1"}))),
                format!("Deployment.apps \"web\" is invalid: spec.template.labels: Invalid value: \"-x\": {name_part}"),
            ),
            (
                "bad selector value: the selector does not convert, the template is not checked",
                deployment(with(&["selector"], json!({"matchLabels": {"app": "web_"}}))),
                format!("Deployment.apps \"web\" is invalid: [spec.selector.matchLabels: Invalid value: \"web_\": {value_msg}, spec.selector: Invalid value: v1.LabelSelector{{MatchLabels:map[string]string{{\"app\":\"web_\"}}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}}: invalid label selector]"),
            ),
            (
                "bad expression key",
                deployment(with(&["selector"], json!({"matchLabels": {"app": "web"}, "matchExpressions": [{"key": "a b", "operator": "Exists"}]}))),
                format!("Deployment.apps \"web\" is invalid: [spec.selector.matchExpressions[0].key: Invalid value: \"a b\": {name_part}, spec.selector: Invalid value: v1.LabelSelector{{MatchLabels:map[string]string{{\"app\":\"web\"}}, MatchExpressions:[]v1.LabelSelectorRequirement{{/* 1 */}}}}: invalid label selector]"),
            ),
            (
                "a namespace",
                Namespace::from_json(json!({"metadata": {"name": "dev", "labels": {"team": "-a"}}})).into_object(),
                format!("Namespace \"dev\" is invalid: metadata.labels: Invalid value: \"-a\": {value_msg}"),
            ),
        ];
        for (name, object, want) in table {
            assert_eq!(error_of(object), want, "{name}");
        }
    }
}
