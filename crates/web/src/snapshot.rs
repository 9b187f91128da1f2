//! What the page shows, read from the store: nodes, and each Deployment with its ReplicaSets
//! and their pods. A snapshot is small, cheap to compare, and rebuilt only when the change feed
//! moved, so unchanged parts of the page keep equal props and are not re-rendered.
//!
//! This module only reads and groups objects (by owner reference, as `kubectl describe`
//! does); every status word comes from the objects themselves or from `kplay_kubectl`.

use crate::connectivity::Options;
use crate::palette::Palette;
use kplay_core::network::connect::{Origin, Outcome};
use kplay_core::network::traffic::WINDOW_SECONDS;
use kplay_core::store::Store;
use kplay_core::time::millis_of;
use kplay_core::types::IntOrString;
use kplay_core::types::ObjectMeta;
use kplay_core::types::{
    Deployment, Event, LabelSelector, PodSpec, PodTemplateSpec, ReplicaSet, Service, ToJson,
};
use kplay_core::types::{Node, Pod};
use kplay_core::vecmap::VecMap;
use kplay_core::ApiObject;
use kplay_core::{pod, Cluster, Millis};
use std::rc::Rc;
use yew::AttrValue;

/// The namespace the page shows (the one `kubectl` uses without `-n`).
pub const NAMESPACE: &str = "default";

/// The ReplicaSet annotation holding the Deployment revision it belongs to.
const REVISION_ANNOTATION: &str = "deployment.kubernetes.io/revision";

/// The annotation `kubectl rollout history` shows as CHANGE-CAUSE.
const CHANGE_CAUSE_ANNOTATION: &str = "kubernetes.io/change-cause";

/// The label the deployment controller adds to a ReplicaSet's template; it is not part of the
/// Deployment's template, so revision diffs leave it out (as `rollout undo` does).
const HASH_LABEL: &str = "pod-template-hash";

/// Pod STATUS values that mean the pod will not become ready without a change.
const STUCK_STATUSES: [&str; 4] = [
    "ErrImagePull",
    "ImagePullBackOff",
    "CrashLoopBackOff",
    "InvalidImageName",
];

/// The node label kubeadm puts on control-plane nodes.
const CONTROL_PLANE_LABEL: &str = "node-role.kubernetes.io/control-plane";

/// Everything the page draws from the cluster.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Snapshot {
    /// The nodes, in name order (control plane first).
    pub nodes: Rc<[NodeView]>,
    /// The Deployments, in name order.
    pub deployments: Vec<Rc<DeploymentView>>,
    /// Pods that belong to no Deployment (bare pods, or a ReplicaSet of its own).
    pub other_pods: Rc<[Rc<PodView>]>,
    /// Whether pods are drawn as small squares instead of tiles: above [`COMPACT_ABOVE`]
    /// pods on screen, so that the page stays light (one element per pod).
    pub compact: bool,
    /// The images of the pods on screen with their colours, for the legend.
    pub legend: Rc<[(AttrValue, u8)]>,
    /// The namespace's latest [`LATEST_EVENTS`] events, oldest first, as `kubectl events`
    /// lists them.
    pub events: Rc<[EventView]>,
    /// How many events the namespace has.
    pub events_total: usize,
    /// The Services with a selector, in name order.
    pub services: Rc<[ServiceView]>,
    /// The traffic sources and counters; the app re-reads them every frame they move.
    pub traffic: TrafficView,
    /// Who can connect to whom under the NetworkPolicies, once a Deployment exists.
    pub connectivity: Option<Rc<crate::connectivity::Connectivity>>,
}

/// The traffic the page draws: who sends to which Service, and the chart's counters.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TrafficView {
    /// The sources sending to Services of the page's namespace: (Service name, source).
    pub sources: Rc<[(AttrValue, SourceView)]>,
    /// The last [`WINDOW_SECONDS`] whole seconds before now, oldest first (a second without
    /// requests is all zero).
    pub seconds: Rc<[SecondView]>,
    /// Every version that ever answered: (version, colour, answered requests).
    pub versions: Rc<[(AttrValue, Option<u8>, u64)]>,
    /// Failed requests since the cluster started.
    pub failed_total: u64,
    /// Why the latest failed request failed, with its Service (`svc/web: dropped: ...`).
    pub last_failure: Option<AttrValue>,
}

/// One traffic source, as the Service card shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceView {
    /// Requests per second.
    pub rate: u32,
    /// `outside`, or the client pod's name.
    pub from: AttrValue,
}

/// One bar of the traffic chart.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SecondView {
    /// Answered requests: (version, its colour (`None`: never seen on a pod), count).
    pub answered: Vec<(AttrValue, Option<u8>, u32)>,
    /// Failed requests.
    pub failed: u32,
}

/// A Service drawn in front of the Deployments it selects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceView {
    /// The Service name.
    pub name: AttrValue,
    /// TYPE as `kubectl get svc` prints it.
    pub type_: AttrValue,
    /// CLUSTER-IP as `kubectl get svc` prints it.
    pub cluster_ip: AttrValue,
    /// EXTERNAL-IP as `kubectl get svc` prints it (`<none>`, `<pending>`, an address).
    pub external_ip: AttrValue,
    /// PORT(S) as `kubectl get svc` prints it (`80:31234/TCP`).
    pub ports: AttrValue,
    /// The selector, `app=web`.
    pub selector: AttrValue,
    /// The Deployments whose pods the selector matches, in name order.
    pub targets: Vec<AttrValue>,
}

/// A row of the events panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventView {
    /// When it last happened.
    pub last_seen: Millis,
    /// `Normal` or `Warning`.
    pub type_: AttrValue,
    /// The reason, e.g. `ScalingReplicaSet`.
    pub reason: AttrValue,
    /// `kind/name` of the object it is about, in lower case as kubectl prints it.
    pub object: AttrValue,
    /// The message.
    pub message: AttrValue,
    /// How many times it happened.
    pub count: i32,
}

/// A node in the nodes strip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeView {
    /// The node name.
    pub name: AttrValue,
    /// Whether it is a control-plane node.
    pub control_plane: bool,
    /// Whether its Ready condition is True.
    pub ready: bool,
    /// Whether it is cordoned (`spec.unschedulable`): kubectl shows `SchedulingDisabled`.
    pub unschedulable: bool,
    /// How many pods are bound to it.
    pub pods: u32,
}

/// A Deployment card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeploymentView {
    /// The Deployment name.
    pub name: AttrValue,
    /// `spec.replicas`.
    pub replicas: i32,
    /// `status.readyReplicas`.
    pub ready: i32,
    /// `status.updatedReplicas` (kubectl's UP-TO-DATE).
    pub up_to_date: i32,
    /// `status.availableReplicas`.
    pub available: i32,
    /// The strategy, e.g. `RollingUpdate (maxSurge 25%, maxUnavailable 25%)`.
    pub strategy: AttrValue,
    /// The first container's name, for `kubectl set image`.
    pub container: AttrValue,
    /// The first container's first declared port, the natural target of `kubectl expose`.
    pub container_port: Option<i32>,
    /// The first container's image in the pod template.
    pub image: AttrValue,
    /// The ReplicaSets it owns, newest revision first.
    pub replica_sets: Vec<ReplicaSetView>,
    /// `spec.paused`.
    pub paused: bool,
    /// `RollingUpdate` or `Recreate`.
    pub strategy_type: AttrValue,
    /// maxSurge as written (`25%` when unset).
    pub max_surge: AttrValue,
    /// maxUnavailable as written (`25%` when unset).
    pub max_unavailable: AttrValue,
    /// Where the rollout stands.
    pub rollout: RolloutView,
    /// The revisions, newest first.
    pub history: Vec<RevisionView>,
    /// The Deployment's pod template as YAML, to compare revisions against.
    pub template_yaml: AttrValue,
}

/// The state of a Deployment's rollout, as `kubectl rollout status` sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RolloutView {
    /// kubectl's sentence, e.g. `Waiting for deployment "web" rollout to finish: 1 of 3
    /// updated replicas are available...`.
    pub sentence: AttrValue,
    /// Whether `rollout status` would say the rollout is done.
    pub done: bool,
    /// Whether the Progressing condition says the deadline was exceeded.
    pub deadline_exceeded: bool,
    /// Available pods of the newest ReplicaSet, for the progress bar.
    pub updated_available: i32,
    /// Why the rollout cannot finish on its own, if it can tell: new pods whose STATUS
    /// (`ImagePullBackOff`, ...) means they will never become ready.
    pub stuck_pods: Vec<(AttrValue, AttrValue)>,
}

/// One revision of a Deployment: a ReplicaSet with its revision number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionView {
    /// The revision number.
    pub revision: i64,
    /// The ReplicaSet that holds it.
    pub replica_set: AttrValue,
    /// Its first container's image.
    pub image: AttrValue,
    /// Its `kubernetes.io/change-cause`, if set.
    pub change_cause: Option<AttrValue>,
    /// Its pod template as YAML, without the pod-template-hash label.
    pub template_yaml: AttrValue,
}

/// A ReplicaSet row inside a Deployment card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplicaSetView {
    /// The ReplicaSet name.
    pub name: AttrValue,
    /// The Deployment revision it holds (empty if unannotated).
    pub revision: AttrValue,
    /// `spec.replicas`.
    pub desired: i32,
    /// `status.replicas`.
    pub current: i32,
    /// `status.readyReplicas`.
    pub ready: i32,
    /// `status.availableReplicas`.
    pub available: i32,
    /// Its template's first container image.
    pub image: AttrValue,
    /// Its pods, oldest first. Shared, so that a pod that did not change keeps its view and
    /// comparing two snapshots compares pointers.
    pub pods: Rc<[Rc<PodView>]>,
}

/// A pod tile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodView {
    /// The pod name.
    pub name: AttrValue,
    /// The STATUS column of `kubectl get pods`.
    pub status: AttrValue,
    /// Whether the Ready condition is True.
    pub ready: bool,
    /// Whether it is being deleted.
    pub terminating: bool,
    /// The first container's image.
    pub image: AttrValue,
    /// The image's palette colour.
    pub colour: u8,
    /// The node it is bound to, if scheduled.
    pub node: Option<AttrValue>,
    /// Whether a controller (a ReplicaSet) owns it, so that deleting it gets it replaced.
    pub controlled: bool,
}

/// Items grouped by their owner's uid. A page has few owners, so a list does, and it keeps the
/// wasm free of three more `BTreeMap` instantiations.
struct Groups<'a, T>(Vec<(&'a str, Vec<T>)>);

impl<T> Default for Groups<'_, T> {
    fn default() -> Self {
        Groups(Vec::new())
    }
}

impl<'a, T> Groups<'a, T> {
    /// Adds `item` to the group of `owner`.
    fn push(&mut self, owner: &'a str, item: T) {
        match self.0.iter_mut().find(|(o, _)| *o == owner) {
            Some((_, items)) => items.push(item),
            None => self.0.push((owner, vec![item])),
        }
    }

    /// Takes the group of `owner` out (empty when there is none).
    fn take(&mut self, owner: Option<&str>) -> Vec<T> {
        let found = self.0.iter_mut().find(|(o, _)| Some(*o) == owner);
        found
            .map(|(_, items)| std::mem::take(items))
            .unwrap_or_default()
    }

    /// Every item not taken.
    fn rest(self) -> impl Iterator<Item = T> + use<'a, T> {
        self.0.into_iter().flat_map(|(_, items)| items)
    }
}

/// The most pods drawn as full tiles; more are drawn compact (see [`Snapshot::compact`]).
pub const COMPACT_ABOVE: usize = 60;

/// What the last snapshots read, kept to skip the work for objects that have not changed:
/// during a rollout of 300 pods a frame sees a few pods change, and rebuilding every tile's
/// status and every template's YAML was a fifth of the page's time. Belongs to one timeline
/// of one cluster: start a new one whenever the cluster is replaced, since a replayed or
/// branched cluster can reuse a name, uid and resourceVersion for different content.
#[derive(Debug, Default)]
pub struct Memo {
    /// Pod views with the uid and resourceVersion they were read at, in pod name order.
    pods: Vec<PodMemo>,
    /// Where the next pod is looked for first: pods are read in name order, so it is usually
    /// the one after the last.
    next: usize,
    /// Pod templates as YAML by owner uid, with the owner's generation (a template is spec,
    /// so it changes only with the generation) and whether this snapshot read it.
    templates: VecMap<String, (i64, AttrValue, bool)>,
}

/// One pod's view in the [`Memo`].
#[derive(Debug)]
struct PodMemo {
    uid: String,
    resource_version: String,
    view: Rc<PodView>,
    /// Whether the snapshot being taken read it (the others are gone at its end).
    read: bool,
}

impl Memo {
    /// The view of `p`, read again only if it changed since the last snapshot. Allocates
    /// nothing for a pod that did not change.
    fn pod(&mut self, p: &Pod, palette: &mut Palette) -> Rc<PodView> {
        let meta = &p.metadata;
        let name = meta.name.as_deref().unwrap_or_default();
        let uid = meta.uid.as_deref().unwrap_or_default();
        let version = meta.resource_version.as_deref().unwrap_or_default();
        let at = match self.pods.get(self.next) {
            Some(memo) if memo.view.name == name => Ok(self.next),
            _ => self
                .pods
                .binary_search_by(|m| m.view.name.as_str().cmp(name)),
        };
        self.next = at.map_or_else(|i| i, |i| i + 1);
        if let Ok(i) = at {
            if let Some(memo) = self.pods.get_mut(i) {
                if memo.uid == uid && memo.resource_version == version {
                    // Colours are handed out in order of first sight: the palette sees it too.
                    palette.colour(&memo.view.image);
                    memo.read = true;
                    return memo.view.clone();
                }
            }
        }
        let view = Rc::new(pod_view(p, palette));
        let memo = PodMemo {
            uid: uid.to_string(),
            resource_version: version.to_string(),
            view: view.clone(),
            read: true,
        };
        match at {
            Ok(i) => {
                if let Some(slot) = self.pods.get_mut(i) {
                    *slot = memo;
                }
            }
            Err(i) => {
                self.pods.insert(i, memo);
                self.next = i + 1;
            }
        }
        view
    }

    /// Forgets what the snapshot just taken did not read (it is gone), ready for the next.
    fn forget_unread(&mut self) {
        self.pods
            .retain_mut(|memo| std::mem::replace(&mut memo.read, false));
        self.next = 0;
        (self.templates).retain(|_, (_, _, read)| std::mem::replace(read, false));
    }

    /// The pod template of the object `meta` describes, as YAML, converted again only when
    /// its generation moved.
    fn template(&mut self, meta: &ObjectMeta, template: Option<&PodTemplateSpec>) -> AttrValue {
        let uid = meta.uid.as_deref().unwrap_or_default();
        let generation = meta.generation.unwrap_or(0);
        if let Some((seen, yaml, read)) = self.templates.get_mut(uid) {
            if *seen == generation {
                *read = true;
                return yaml.clone();
            }
        }
        let yaml = template_yaml(template);
        (self.templates).insert(uid.to_string(), (generation, yaml.clone(), true));
        yaml
    }
}

/// Reads the snapshot of `cluster`, colouring images with `palette` and reusing what `memo`
/// read before for objects that have not changed.
pub fn take(
    cluster: &Cluster,
    palette: &mut Palette,
    memo: &mut Memo,
    policies: &Options,
) -> Snapshot {
    let store = cluster.store();
    let mut pods_by_owner = Groups::default();
    for p in store.list::<Pod>(Some(NAMESPACE)) {
        let owner = controller_uid(&p.metadata).unwrap_or_default();
        let created = p.metadata.creation_timestamp.as_ref().map_or(0, millis_of);
        pods_by_owner.push(owner, (created, memo.pod(p, palette)));
    }
    let mut sets_by_owner = Groups::default();
    let mut revisions_by_owner = Groups::default();
    for rs in store.list::<ReplicaSet>(Some(NAMESPACE)) {
        let pods = pods_by_owner.take(uid(&rs.metadata));
        let owner = controller_uid(&rs.metadata).unwrap_or_default();
        let template = rs.spec.as_ref().and_then(|s| s.template.as_ref());
        let revision = revision_view(rs, || memo.template(&rs.metadata, template));
        if let Some(revision) = revision {
            revisions_by_owner.push(owner, revision);
        }
        sets_by_owner.push(owner, replica_set_view(rs, pods));
    }
    let deployments = store
        .list::<Deployment>(Some(NAMESPACE))
        .map(|d| {
            let owner = uid(&d.metadata);
            let sets = sets_by_owner.take(owner);
            let history = revisions_by_owner.take(owner);
            let template = d.spec.as_ref().map(|s| &s.template);
            let template_yaml = memo.template(&d.metadata, template);
            Rc::new(deployment_view(d, sets, history, template_yaml))
        })
        .collect::<Vec<_>>();
    memo.forget_unread();
    // Whatever was not placed under a Deployment: bare pods and pods of unowned ReplicaSets.
    let mut other: Vec<(Millis, Rc<PodView>)> = pods_by_owner.rest().collect();
    other.extend(
        sets_by_owner
            .rest()
            .flat_map(|rs| rs.pods.iter().cloned().map(|p| (0, p)).collect::<Vec<_>>()),
    );
    let other_pods = sorted_pods(other);

    // Each (image, colour) once: a page shows few images, so a list finds them.
    let mut legend: Vec<(AttrValue, u8)> = Vec::new();
    let mut shown = 0;
    let pods = deployments
        .iter()
        .flat_map(|d| d.replica_sets.iter().flat_map(|rs| rs.pods.iter()))
        .chain(other_pods.iter());
    for p in pods {
        shown += 1;
        if !legend.iter().any(|(i, c)| *c == p.colour && *i == p.image) {
            legend.push((p.image.clone(), p.colour));
        }
    }
    let compact = shown > COMPACT_ABOVE;
    kplay_core::sort::sort_by(&mut legend, |a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));

    Snapshot {
        nodes: node_views(cluster).into(),
        deployments,
        other_pods: other_pods.into(),
        compact,
        legend: legend.into(),
        events: latest_events(store).into(),
        events_total: store.event_count(NAMESPACE),
        services: service_views(cluster).into(),
        traffic: traffic(cluster, palette),
        connectivity: crate::connectivity::take(cluster, policies),
    }
}

/// The traffic sources and counters of `cluster`, with versions coloured by `palette`.
pub fn traffic(cluster: &Cluster, palette: &Palette) -> TrafficView {
    let counters = cluster.network().traffic();
    let sources: Vec<(AttrValue, SourceView)> = counters
        .sources()
        .iter()
        .filter(|((namespace, _), _)| namespace == NAMESPACE)
        .map(|((_, name), source)| {
            let from = match &source.from {
                Origin::Outside => "outside".to_string(),
                Origin::Pod(_, pod) => pod.clone(),
            };
            let view = SourceView {
                rate: source.rate,
                from: from.into(),
            };
            (AttrValue::from(name.clone()), view)
        })
        .collect();
    // Whole seconds only: the current one is still filling up.
    let now = cluster.now() / 1_000;
    let mut seconds = vec![SecondView::default(); WINDOW_SECONDS];
    for counted in counters.seconds() {
        // The second just before now is the last bar; one WINDOW_SECONDS old is the first.
        let slot = now
            .checked_sub(counted.second)
            .filter(|age| *age >= 1)
            .and_then(|age| WINDOW_SECONDS.checked_sub(usize::try_from(age).ok()?));
        if let Some(bar) = slot.and_then(|i| seconds.get_mut(i)) {
            bar.failed = counted.failed;
            bar.answered = counted
                .answered
                .iter()
                .map(|(version, n)| {
                    let colour = palette.version_colour(version);
                    (AttrValue::from(version.clone()), colour, *n)
                })
                .collect();
        }
    }
    let versions: Vec<(AttrValue, Option<u8>, u64)> = counters
        .answered_total()
        .iter()
        .map(|(version, n)| {
            let colour = palette.version_colour(version);
            (AttrValue::from(version.clone()), colour, *n)
        })
        .collect();
    let last_failure = counters
        .recent()
        .iter()
        .rev()
        .filter(|r| r.service.0 == NAMESPACE)
        .find_map(|r| {
            let why = match &r.outcome {
                Outcome::Answered(_) => return None,
                Outcome::Refused => {
                    "refused: no ready endpoint, or nothing listens on the target port".into()
                }
                Outcome::TimedOut => "timed out: the address leads nowhere".into(),
                Outcome::Dropped(dropped) => dropped.verdict.to_string(),
            };
            Some(AttrValue::from(format!("svc/{}: {why}", r.service.1)))
        });
    TrafficView {
        sources: sources.into(),
        seconds: seconds.into(),
        versions: versions.into(),
        failed_total: counters.failed_total(),
        last_failure,
    }
}

/// The Services that select pods, with kubectl's own cells for them and the Deployments whose
/// pod templates they match. (The `kubernetes` Service has no selector: it is not drawn.)
fn service_views(cluster: &Cluster) -> Vec<ServiceView> {
    let store = cluster.store();
    let deployments: Vec<&Deployment> = store.list::<Deployment>(Some(NAMESPACE)).collect();
    store
        .list::<Service>(Some(NAMESPACE))
        .filter_map(|svc| {
            let selector = svc
                .spec
                .as_ref()?
                .selector
                .clone()
                .filter(|s| !s.is_empty())?;
            let name = svc.metadata.name.clone().unwrap_or_default();
            let object = svc.clone().into_object();
            // NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE, as `kubectl get svc` prints them.
            let cells =
                kplay_kubectl::printers::table::row(&object, name.clone(), cluster.now(), false);
            let cell = |i: usize| AttrValue::from(cells.get(i).cloned().unwrap_or_default());
            let as_selector = LabelSelector {
                match_labels: Some(selector.clone()),
                ..LabelSelector::default()
            };
            let targets = deployments
                .iter()
                .filter(|d| {
                    let labels = d
                        .spec
                        .as_ref()
                        .and_then(|s| s.template.metadata.as_ref()?.labels.as_ref());
                    kplay_core::labels::selector_matches(&as_selector, labels)
                })
                .filter_map(|d| d.metadata.name.clone().map(AttrValue::from))
                .collect();
            Some(ServiceView {
                name: name.into(),
                type_: cell(1),
                cluster_ip: cell(2),
                external_ip: cell(3),
                ports: cell(4),
                selector: selector
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(",")
                    .into(),
                targets,
            })
        })
        .collect()
}

/// How many of the latest events the snapshot carries: what the events panel shows. (A long
/// session has thousands; reading them all every frame cost more than drawing the pods.)
pub const LATEST_EVENTS: usize = 10;

/// The namespace's latest [`LATEST_EVENTS`] events in `kubectl events` order: by last time
/// seen, oldest first.
fn latest_events(store: &Store) -> Vec<EventView> {
    let mut events: Vec<EventView> = store
        .events_by_last_seen()
        .rev()
        .filter(|key| key.namespace == NAMESPACE)
        .filter_map(|key| store.get::<Event>(&key.namespace, &key.name))
        .take(LATEST_EVENTS)
        .map(|e| {
            let involved = &e.involved_object;
            EventView {
                last_seen: kplay_core::store::last_seen(e),
                type_: e.type_.clone().unwrap_or_default().into(),
                reason: e.reason.clone().unwrap_or_default().into(),
                object: format!(
                    "{}/{}",
                    involved.kind.as_deref().unwrap_or("").to_ascii_lowercase(),
                    involved.name.as_deref().unwrap_or("")
                )
                .into(),
                message: e.message.clone().unwrap_or_default().into(),
                count: e.count.unwrap_or(1),
            }
        })
        .collect();
    events.reverse();
    events
}

/// A pod template as YAML, without the controller's pod-template-hash label.
fn template_yaml(template: Option<&PodTemplateSpec>) -> AttrValue {
    let mut template = template.cloned().unwrap_or_default();
    if let Some(labels) = template.metadata.as_mut().and_then(|m| m.labels.as_mut()) {
        labels.remove(HASH_LABEL);
    }
    kplay_kubectl::printers::yaml::to_yaml(&template.to_json()).into()
}

/// A ReplicaSet's revision, if it has one, with its template's YAML from `template_yaml`.
fn revision_view(
    rs: &ReplicaSet,
    template_yaml: impl FnOnce() -> AttrValue,
) -> Option<RevisionView> {
    let annotations = rs.metadata.annotations.as_ref();
    let revision = annotations?.get(REVISION_ANNOTATION)?.parse::<i64>().ok()?;
    let template = rs.spec.as_ref().and_then(|s| s.template.as_ref());
    Some(RevisionView {
        revision,
        replica_set: rs.metadata.name.clone().unwrap_or_default().into(),
        image: first_image(template.and_then(|t| t.spec.as_ref())).into(),
        change_cause: annotations
            .and_then(|a| a.get(CHANGE_CAUSE_ANNOTATION))
            .map(|c| AttrValue::from(c.clone())),
        template_yaml: template_yaml(),
    })
}

fn first_image(spec: Option<&PodSpec>) -> String {
    spec.and_then(|s| s.containers.first())
        .and_then(|c| c.image.clone())
        .unwrap_or_default()
}

/// Where the rollout stands: kubectl's sentence, and the new pods that cannot become ready.
fn rollout_view(d: &Deployment, newest: Option<&ReplicaSetView>) -> RolloutView {
    let (sentence, done, deadline_exceeded) = match kplay_kubectl::commands::deployment_status(d) {
        Ok((sentence, done)) => (sentence, done, false),
        Err(error) => (error, false, true),
    };
    let stuck_pods = newest
        .map(|rs| {
            rs.pods
                .iter()
                .filter(|p| STUCK_STATUSES.contains(&p.status.as_str()))
                .map(|p| (p.name.clone(), p.status.clone()))
                .collect()
        })
        .unwrap_or_default();
    RolloutView {
        sentence: sentence.trim_end().to_string().into(),
        done,
        deadline_exceeded,
        updated_available: newest.map_or(0, |rs| rs.available),
        stuck_pods,
    }
}

fn node_views(cluster: &Cluster) -> Vec<NodeView> {
    let store = cluster.store();
    // Pods per node, counted in one pass over the pods.
    let nodes: Vec<&Node> = store.list::<Node>(None).collect();
    let mut counts = vec![0_u32; nodes.len()];
    for p in store.list::<Pod>(None) {
        let node = p.spec.as_ref().and_then(|s| s.node_name.as_deref());
        let i = nodes
            .iter()
            .position(|n| n.metadata.name.as_deref() == node);
        if let Some(count) = i.and_then(|i| counts.get_mut(i)) {
            *count += 1;
        }
    }
    nodes
        .into_iter()
        .zip(counts)
        .map(|(n, pods)| {
            let name = n.metadata.name.clone().unwrap_or_default();
            let ready = n
                .status
                .as_ref()
                .and_then(|s| s.conditions.as_ref())
                .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.status == "True"));
            NodeView {
                pods,
                control_plane: n
                    .metadata
                    .labels
                    .as_ref()
                    .is_some_and(|l| l.contains_key(CONTROL_PLANE_LABEL)),
                ready,
                unschedulable: n
                    .spec
                    .as_ref()
                    .and_then(|s| s.unschedulable)
                    .unwrap_or(false),
                name: name.into(),
            }
        })
        .collect()
}

fn deployment_view(
    d: &Deployment,
    mut replica_sets: Vec<ReplicaSetView>,
    mut history: Vec<RevisionView>,
    template_yaml: AttrValue,
) -> DeploymentView {
    let spec = d.spec.as_ref();
    let status = d.status.as_ref();
    let container = spec.and_then(|s| s.template.spec.as_ref()?.containers.first());
    let strategy = spec.and_then(|s| s.strategy.as_ref());
    let rolling = strategy.and_then(|s| s.rolling_update.as_ref());
    let show = |v: Option<&IntOrString>| match v {
        Some(IntOrString::Int(n)) => n.to_string(),
        Some(IntOrString::String(s)) => s.clone(),
        None => "25%".to_string(),
    };
    let max_surge = show(rolling.and_then(|r| r.max_surge.as_ref()));
    let max_unavailable = show(rolling.and_then(|r| r.max_unavailable.as_ref()));
    let recreate = strategy.and_then(|s| s.type_.as_deref()) == Some("Recreate");
    let strategy_type = if recreate {
        "Recreate"
    } else {
        "RollingUpdate"
    };
    let strategy = if recreate {
        "Recreate".to_string()
    } else {
        format!("RollingUpdate (maxSurge {max_surge}, maxUnavailable {max_unavailable})")
    };
    // Newest revision on top: during a rollout the new ReplicaSet grows above the old one.
    kplay_core::sort::sort_by(&mut replica_sets, |a, b| {
        let revision = |rs: &ReplicaSetView| rs.revision.parse::<i64>().unwrap_or(0);
        revision(b)
            .cmp(&revision(a))
            .then_with(|| a.name.cmp(&b.name))
    });
    kplay_core::sort::sort_by(&mut history, |a, b| b.revision.cmp(&a.revision));
    let rollout = rollout_view(d, replica_sets.first());
    DeploymentView {
        name: d.metadata.name.clone().unwrap_or_default().into(),
        replicas: spec.and_then(|s| s.replicas).unwrap_or(1),
        ready: status.and_then(|s| s.ready_replicas).unwrap_or(0),
        up_to_date: status.and_then(|s| s.updated_replicas).unwrap_or(0),
        available: status.and_then(|s| s.available_replicas).unwrap_or(0),
        strategy: strategy.into(),
        container: container.map(|c| c.name.clone()).unwrap_or_default().into(),
        container_port: container
            .and_then(|c| c.ports.as_ref()?.first())
            .map(|p| p.container_port),
        image: container
            .and_then(|c| c.image.clone())
            .unwrap_or_default()
            .into(),
        replica_sets,
        paused: spec.and_then(|s| s.paused).unwrap_or(false),
        strategy_type: strategy_type.into(),
        max_surge: max_surge.into(),
        max_unavailable: max_unavailable.into(),
        rollout,
        history,
        template_yaml,
    }
}

fn replica_set_view(rs: &ReplicaSet, pods: Vec<(Millis, Rc<PodView>)>) -> ReplicaSetView {
    let revision = rs
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(REVISION_ANNOTATION))
        .cloned()
        .unwrap_or_default();
    let status = rs.status.as_ref();
    ReplicaSetView {
        name: rs.metadata.name.clone().unwrap_or_default().into(),
        revision: revision.into(),
        desired: rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1),
        current: status.map_or(0, |s| s.replicas),
        ready: status.and_then(|s| s.ready_replicas).unwrap_or(0),
        available: status.and_then(|s| s.available_replicas).unwrap_or(0),
        image: first_image(
            rs.spec
                .as_ref()
                .and_then(|s| s.template.as_ref())
                .and_then(|t| t.spec.as_ref()),
        )
        .into(),
        pods: sorted_pods(pods).into(),
    }
}

fn pod_view(p: &Pod, palette: &mut Palette) -> PodView {
    let spec = p.spec.as_ref();
    let image = spec
        .and_then(|s| s.containers.first())
        .and_then(|c| c.image.clone())
        .unwrap_or_default();
    PodView {
        name: p.metadata.name.clone().unwrap_or_default().into(),
        status: kplay_kubectl::status::pod_status(p).into(),
        ready: pod::is_ready(p),
        terminating: pod::is_terminating(p),
        colour: palette.colour(&image),
        image: image.into(),
        node: spec.and_then(|s| s.node_name.clone()).map(AttrValue::from),
        controlled: controller_uid(&p.metadata).is_some(),
    }
}

/// Pods in creation order (names break ties), so that a new pod joins at the end of its row
/// instead of pushing the others around.
fn sorted_pods(mut pods: Vec<(Millis, Rc<PodView>)>) -> Vec<Rc<PodView>> {
    kplay_core::sort::sort_by(&mut pods, |a, b| {
        a.0.cmp(&b.0).then_with(|| a.1.name.cmp(&b.1.name))
    });
    pods.into_iter().map(|(_, p)| p).collect()
}

fn uid(meta: &ObjectMeta) -> Option<&str> {
    meta.uid.as_deref()
}

/// The uid of the object's managing controller (the owner reference with `controller: true`).
fn controller_uid(meta: &ObjectMeta) -> Option<&str> {
    kplay_core::owner::controller_of(meta).map(|o| o.uid.as_str())
}

/// The live YAML of `kind/name` in the page's namespace, as `kubectl get -o yaml` prints it.
pub fn object_yaml(cluster: &Cluster, kind: kplay_core::Kind, name: &str) -> Option<AttrValue> {
    let key = kplay_core::ObjectKey::new(kind, NAMESPACE, name);
    let object = cluster.store().get_object(&key)?;
    Some(kplay_kubectl::printers::yaml::to_yaml(&object.to_json()).into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use kplay_core::DEFAULT_SEED;

    /// A snapshot taken without a memo, as the first one of a page is.
    fn fresh_snapshot(cluster: &Cluster, palette: &mut Palette) -> Snapshot {
        take(cluster, palette, &mut Memo::default(), &Options::default())
    }

    fn kubectl(cluster: &mut Cluster, line: &str) {
        let args: Vec<String> = line.split_whitespace().map(String::from).collect();
        let output = kplay_kubectl::run(cluster, &args, None);
        assert_eq!(output.exit_code, 0, "{line}: {}", output.stderr);
    }

    #[test]
    fn traffic_counts_whole_seconds_by_version_for_the_chart() {
        let mut cluster = Cluster::new(DEFAULT_SEED);
        let mut palette = Palette::default();
        assert_eq!(
            fresh_snapshot(&cluster, &mut palette).traffic,
            TrafficView {
                seconds: vec![SecondView::default(); WINDOW_SECONDS].into(),
                ..TrafficView::default()
            }
        );
        kubectl(
            &mut cluster,
            "create deployment web --image=flask-app:1.0 --replicas=2 --port=5000",
        );
        cluster.advance(60_000);
        kubectl(
            &mut cluster,
            "expose deployment web --port=80 --target-port=5000 --type=NodePort",
        );
        cluster.advance(5_000);
        let started = cluster.now();
        kplay_core::network::traffic::start(&mut cluster, NAMESPACE, "web", Origin::Outside, 5)
            .expect("a NodePort Service is reachable from outside");
        cluster.advance(10_000);
        let traffic = fresh_snapshot(&cluster, &mut palette).traffic;
        assert_eq!(
            traffic.sources.to_vec(),
            [(
                AttrValue::from("web"),
                SourceView {
                    rate: 5,
                    from: "outside".into()
                }
            )]
        );
        // 5 a second from `started`: every whole second since then has 5, all answered by 1.0.
        let whole = usize::try_from((cluster.now() / 1_000) - started.div_ceil(1_000))
            .expect("ten seconds fit a usize");
        let last = &traffic.seconds[WINDOW_SECONDS - whole..];
        assert!(whole >= 9, "{whole}");
        assert!(last
            .iter()
            .all(|s| s.answered == [("1.0".into(), Some(0), 5)] && s.failed == 0));
        assert_eq!(traffic.failed_total, 0);
        let answered = cluster
            .network()
            .traffic()
            .answered_total()
            .get("1.0")
            .copied()
            .unwrap_or(0);
        assert_eq!(
            traffic.versions.to_vec(),
            [("1.0".into(), Some(0), answered)]
        );
        // A request every 200 ms over 10 s, the first at `started` and the last at its end.
        assert_eq!(answered, 51);
    }

    #[test]
    fn latest_events_are_the_last_of_kubectl_events_order() {
        let mut cluster = Cluster::new(DEFAULT_SEED);
        let mut palette = Palette::default();
        kubectl(
            &mut cluster,
            "create deployment web --image=nginx:1.0 --replicas=6",
        );
        cluster.advance(30_000);
        kubectl(&mut cluster, "scale deployment web --replicas=2");
        cluster.advance(30_000);
        let snapshot = fresh_snapshot(&cluster, &mut palette);
        // `kubectl events` order: every event of the namespace sorted (stably, from name
        // order) by when it was last seen; the snapshot carries the last ten of it.
        let mut all: Vec<(Millis, String, String)> = cluster
            .store()
            .list::<Event>(Some(NAMESPACE))
            .map(|e| {
                let seen = e.last_timestamp.as_ref().map_or(0, millis_of);
                let reason = e.reason.clone().unwrap_or_default();
                (seen, reason, e.message.clone().unwrap_or_default())
            })
            .collect();
        kplay_core::sort::sort_by(&mut all, |a, b| a.0.cmp(&b.0));
        assert!(all.len() > LATEST_EVENTS, "{} events", all.len());
        assert_eq!(snapshot.events_total, all.len());
        let shown: Vec<(Millis, String, String)> = snapshot
            .events
            .iter()
            .map(|e| (e.last_seen, e.reason.to_string(), e.message.to_string()))
            .collect();
        assert_eq!(shown, all[all.len() - LATEST_EVENTS..]);
    }

    #[test]
    fn groups_pods_under_their_deployment_and_replica_set() {
        let mut cluster = Cluster::new(DEFAULT_SEED);
        let mut palette = Palette::default();
        let empty = fresh_snapshot(&cluster, &mut palette);
        assert!(empty.deployments.is_empty() && empty.other_pods.is_empty());
        let control_planes: Vec<bool> = empty.nodes.iter().map(|n| n.control_plane).collect();
        assert_eq!(control_planes, [true, false, false, false]);

        kubectl(
            &mut cluster,
            "create deployment web --image=flask-app:1.0 --replicas=3",
        );
        let created = fresh_snapshot(&cluster, &mut palette);
        let web = &created.deployments[0];
        assert_eq!((web.name.as_str(), web.replicas, web.ready), ("web", 3, 0));
        assert_eq!(
            (web.container.as_str(), web.image.as_str()),
            ("flask-app", "flask-app:1.0")
        );
        assert_eq!(web.replica_sets.len(), 1);
        let pods = &web.replica_sets[0].pods;
        assert_eq!(pods.len(), 3);
        assert!(pods.iter().all(|p| !p.ready && p.colour == 0));
        assert_eq!(
            created.legend.to_vec(),
            [(AttrValue::from("flask-app:1.0"), 0)]
        );

        cluster.advance(60_000);
        kubectl(
            &mut cluster,
            "set image deployment/web flask-app=flask-app:2.0",
        );
        let rolling = fresh_snapshot(&cluster, &mut palette);
        let revisions: Vec<&str> = rolling.deployments[0]
            .replica_sets
            .iter()
            .map(|rs| rs.revision.as_str())
            .collect();
        assert_eq!(revisions, ["2", "1"], "newest revision first");
        let new_pods = &rolling.deployments[0].replica_sets[0].pods;
        assert!(new_pods
            .iter()
            .all(|p| p.image == "flask-app:2.0" && p.colour == 1));
        // maxSurge 25% of 3 rounds up to 1: three old pods and one new one, on nodes that also
        // run kube-system's two CoreDNS pods.
        assert_eq!(new_pods.len(), 1);
        assert_eq!(rolling.nodes.iter().map(|n| n.pods).sum::<u32>(), 4 + 2);
    }

    #[test]
    fn a_memo_changes_nothing_but_the_work() {
        let mut cluster = Cluster::new(DEFAULT_SEED);
        // The memo and its palette follow the cluster frame by frame, as the page does.
        let (mut palette, mut memo) = (Palette::default(), Memo::default());
        let mut check = |cluster: &Cluster, moment: &str| {
            let kept = take(cluster, &mut palette, &mut memo, &Options::default());
            let fresh = fresh_snapshot(cluster, &mut palette.clone());
            assert_eq!(kept, fresh, "{moment}");
        };
        kubectl(
            &mut cluster,
            "create deployment web --image=nginx:1.0 --replicas=4",
        );
        check(&cluster, "created");
        for step in 0..80 {
            cluster.advance(500);
            check(&cluster, &format!("step {step}"));
            match step {
                20 => kubectl(&mut cluster, "set image deployment/web nginx=nginx:1.1"),
                40 => kubectl(&mut cluster, "rollout undo deployment/web"),
                50 => kubectl(&mut cluster, "scale deployment/web --replicas=2"),
                60 => kubectl(&mut cluster, "delete deployment web"),
                61 => kubectl(
                    &mut cluster,
                    "create deployment web --image=busybox --replicas=2",
                ),
                _ => continue,
            }
            check(&cluster, &format!("after the command at step {step}"));
        }
    }
}
