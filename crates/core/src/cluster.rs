//! The cluster: the store behind an API layer, the virtual clock with its scheduled timers, and
//! the loop that runs the controllers to a fixpoint after every change.
//!
//! Time only moves in [`Cluster::advance`]. Timers (an image finishes pulling, a container
//! becomes ready, a grace period ends) fire in time order; after each timer and after each API
//! call the controllers reconcile at that same instant. Because timers depend only on the state,
//! advancing by `a` then `b` leaves exactly the state that advancing by `a + b` does.

use crate::api::{decode_strict, validation, ApiError, ApiObject, Kind, Object, ObjectKey};
use crate::limits::Limits;
use crate::random::SimRng;
use crate::store::Store;
use crate::time::{timestamp, Millis};
use crate::types::ObjectMeta;
use crate::types::{Event, EventSource, ObjectReference, Pod};
use crate::vecmap::VecMap;
use crate::{bootstrap, controller, kubelet, network};
use rand_core::Rng;
use std::collections::BTreeMap;

/// The documented default seed (`kplay run` without `--seed`, and the web app's first session).
pub const DEFAULT_SEED: u64 = 1;

/// Namespaces the API server refuses to delete (NamespaceLifecycle's `immortalNamespaces`).
const IMMORTAL_NAMESPACES: [&str; 3] = ["default", "kube-public", "kube-system"];

/// Something that happens at a virtual instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Timer {
    /// A step of the kubelet's model of one pod (identified by key and uid, so that a timer for
    /// a pod that was since replaced by a namesake does nothing).
    Pod {
        /// The pod.
        key: ObjectKey,
        /// The pod's uid when the timer was set.
        uid: String,
        /// What happens.
        step: kubelet::PodStep,
    },
    /// Wakes the controllers (e.g. when minReadySeconds passes).
    Resync,
    /// Wakes the controllers for one object's own deadline (`AddAfter` on its key, e.g. a
    /// Deployment's progress check); at most one per object, see [`Cluster::set_wake_up`].
    WakeUp(ObjectKey),
}

/// A simulated Kubernetes cluster. See the module documentation for the time model.
#[derive(Debug, Clone)]
pub struct Cluster {
    store: Store,
    now: Millis,
    seed: u64,
    rng: SimRng,
    timers: BTreeMap<(Millis, u64), Timer>,
    timer_seq: u64,
    /// Where each object's [`Timer::WakeUp`] sits in `timers`.
    wake_ups: VecMap<ObjectKey, (Millis, u64)>,
    /// The kubelet's in-memory state (back-offs, probe workers).
    kubelet: kubelet::Memory,
    /// The load-balancer provider's switch and the balancers being created.
    load_balancers: controller::load_balancer::State,
    /// kube-proxy's view, the traffic sources and counters, the access logs.
    network: network::State,
    /// kplay's limits on replicas and objects.
    limits: Limits,
    /// Where each controller left off: what the loop skips when nothing is new.
    progress: controller::Progress,
}

impl Cluster {
    /// A fresh cluster, as kind/kubeadm would leave it (see [`bootstrap`]), at virtual time 0.
    pub fn new(seed: u64) -> Self {
        Cluster::with_limits(seed, Limits::PLAYGROUND)
    }

    /// A fresh cluster with other limits than the playground's (for benchmarks of large
    /// Deployments, say).
    pub fn with_limits(seed: u64, limits: Limits) -> Self {
        let mut cluster = Cluster {
            store: Store::default(),
            now: 0,
            seed,
            rng: SimRng::new(seed, 0),
            timers: BTreeMap::new(),
            timer_seq: 0,
            wake_ups: VecMap::new(),
            kubelet: kubelet::Memory::default(),
            load_balancers: controller::load_balancer::State::default(),
            network: network::State::new(seed),
            limits,
            progress: controller::Progress::default(),
        };
        for object in bootstrap::initial_objects() {
            cluster.insert(object);
        }
        bootstrap::install_coredns(&mut cluster);
        // The controllers settle at time 0: kube-dns gets its endpoints, the Deployment and
        // ReplicaSet their status.
        cluster.reconcile();
        cluster
    }

    /// Where each controller left off.
    pub(crate) fn progress(&self) -> &controller::Progress {
        &self.progress
    }

    /// Where each controller left off, to record a run.
    pub(crate) fn progress_mut(&mut self) -> &mut controller::Progress {
        &mut self.progress
    }

    /// The limits this cluster enforces.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// `Forbidden` when the cluster holds as many objects as its limit allows, in the words
    /// of a ResourceQuota that is used up; Events are always recorded.
    pub(crate) fn check_room(&self, key: &ObjectKey) -> Result<(), ApiError> {
        if key.kind == Kind::Event || self.store.count_without_events() < self.limits.objects {
            return Ok(());
        }
        Err(ApiError::forbidden(
            key.kind,
            &key.name,
            format!(
                "{} \"{}\" is forbidden: exceeded kplay's limit of {} objects in the cluster",
                key.kind.qualified_resource(),
                key.name,
                self.limits.objects
            ),
        ))
    }

    /// Virtual milliseconds since the cluster started.
    pub fn now(&self) -> Millis {
        self.now
    }

    /// The seed the cluster was created with.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Turns the simulated cloud load-balancer provider on (the default) or off, as
    /// `kplay cluster load-balancers on|off` does; off, LoadBalancer Services stay pending as
    /// on a bare kubeadm cluster (see [`controller::load_balancer`]).
    pub fn set_load_balancers(&mut self, on: bool) {
        self.load_balancers.set_enabled(on);
        self.reconcile();
    }

    /// Whether LoadBalancer Services get external addresses.
    pub fn load_balancers(&self) -> bool {
        self.load_balancers.enabled()
    }

    /// Read access to every object.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Creates an object, as `POST` to the API server: defaulting, validation, then the
    /// controllers react at the same instant.
    pub fn create(&mut self, object: Object) -> Result<Object, ApiError> {
        let key = object.key();
        validation::validate_name(&object)?;
        self.check_namespace(&key)?;
        if self.store.get_object(&key).is_some() {
            return Err(ApiError::already_exists(key.kind, &key.name));
        }
        let mut object = object;
        validation::default_object(&mut object);
        validation::validate(&object, None, &self.limits)?;
        self.check_room(&key)?;
        clear_server_fields(&mut object);
        if let Object::Service(service) = &mut object {
            crate::service::allocate(&self.store, &mut self.rng, service, None)?;
        }
        let created = self.insert(object);
        self.reconcile();
        Ok(created)
    }

    /// Decodes a manifest strictly (unknown fields rejected) and creates it.
    pub fn create_json(
        &mut self,
        kind: Kind,
        manifest: serde_json::Value,
    ) -> Result<Object, ApiError> {
        let object = decode_strict(kind, manifest)?;
        self.create(object)
    }

    /// Replaces an object's metadata and spec, as `PUT` does; the status is the server's and is
    /// kept. Generation is bumped when the spec changed.
    pub fn update(&mut self, object: Object) -> Result<Object, ApiError> {
        let key = object.key();
        let old = self
            .store
            .get_object(&key)
            .cloned()
            .ok_or_else(|| ApiError::not_found(key.kind, &key.name))?;
        let mut object = object;
        validation::default_object(&mut object);
        validation::validate(&object, Some(&old), &self.limits)?;
        keep_server_fields(&mut object, &old);
        if let (Object::Service(service), Object::Service(old)) = (&mut object, &old) {
            crate::service::allocate(&self.store, &mut self.rng, service, Some(old))?;
        }
        let updated = self.write_object(object);
        self.reconcile();
        Ok(updated)
    }

    /// Deletes an object, as `DELETE` with background propagation: pods terminate gracefully,
    /// dependents (ReplicaSets of a Deployment, pods of a ReplicaSet) are garbage collected.
    pub fn delete(&mut self, kind: Kind, namespace: &str, name: &str) -> Result<Object, ApiError> {
        self.delete_with_grace(kind, namespace, name, None)
    }

    /// [`Cluster::delete`] with `DeleteOptions.gracePeriodSeconds`: a pod's grace period for
    /// this deletion instead of its `terminationGracePeriodSeconds` (0 removes it at once),
    /// as `kubectl delete --grace-period=N`, `--now` and `--force` send it.
    pub fn delete_with_grace(
        &mut self,
        kind: Kind,
        namespace: &str,
        name: &str,
        grace_seconds: Option<i64>,
    ) -> Result<Object, ApiError> {
        let key = ObjectKey::new(kind, namespace, name);
        // The NamespaceLifecycle admission plugin's immortal namespaces.
        if kind == Kind::Namespace && IMMORTAL_NAMESPACES.contains(&name) {
            return Err(ApiError::forbidden(
                kind,
                name,
                format!("namespaces \"{name}\" is forbidden: this namespace may not be deleted"),
            ));
        }
        let object = self
            .store
            .get_object(&key)
            .cloned()
            .ok_or_else(|| ApiError::not_found(kind, name))?;
        let result = match object {
            Object::Pod(pod) => {
                kubelet::begin_termination_with_grace(self, *pod, grace_seconds).into_object()
            }
            other => {
                self.store.remove(&key, self.now);
                if kind == Kind::Service {
                    controller::endpoints::service_deleted(self, namespace, name);
                }
                other
            }
        };
        self.reconcile();
        Ok(result)
    }

    /// Moves virtual time forward by `dt` milliseconds, firing every timer due on the way in
    /// time order and reconciling after each, and sending the traffic sources' requests in
    /// between (a request at the instant of a timer goes after it).
    pub fn advance(&mut self, dt: Millis) {
        self.advance_within(dt, &|| false);
    }

    /// [`Cluster::advance`], but stopping early, between two timers or request batches, once
    /// `spent()` says the caller's time budget is used up (at least one is handled per call,
    /// so time always moves). Returns whether it got all the way to `now + dt`; if not, the
    /// clock stays at the last thing that happened. The state it stops in is one that
    /// `advance` passes through, so a later call goes on exactly as one call would have: the
    /// page uses this to keep each frame short, the simulation slowing instead of the page.
    pub fn advance_within(&mut self, dt: Millis, spent: &dyn Fn() -> bool) -> bool {
        let target = self.now.saturating_add(dt);
        let mut handled = false;
        loop {
            let timer = self
                .timers
                .first_key_value()
                .map(|(&key, _)| key)
                .filter(|&(at, _)| at <= target);
            let request = network::traffic::next_request_at(self).filter(|&at| at <= target);
            if (timer.is_some() || request.is_some()) && handled && spent() {
                return false;
            }
            match (timer, request) {
                (Some((at, _)), Some(sent)) if sent < at => self.send_requests(sent),
                (None, Some(sent)) => self.send_requests(sent),
                (Some((at, seq)), _) => {
                    let Some(timer) = self.timers.remove(&(at, seq)) else {
                        break;
                    };
                    self.now = at;
                    self.fire(timer);
                    self.reconcile();
                }
                (None, None) => break,
            }
            handled = true;
        }
        self.now = target;
        true
    }

    fn send_requests(&mut self, at: Millis) {
        self.now = at;
        network::traffic::send_due(self);
    }

    /// The virtual time of the next scheduled timer, if any: when something will next happen
    /// without a command.
    pub fn next_timer_at(&self) -> Option<Millis> {
        self.timers.first_key_value().map(|(&(at, _), _)| at)
    }

    /// A 64-bit FNV-1a hash of the whole state (every object as canonical JSON, and the clock),
    /// used to check that native and Wasm builds simulate identically.
    pub fn state_hash(&self) -> u64 {
        let mut hash = Fnv1a::default();
        hash.write(&self.now.to_le_bytes());
        // Settings enter the hash only when they differ from a fresh cluster's.
        if !self.load_balancers.enabled() {
            hash.write(b"load-balancers off");
        }
        for object in self.store.all() {
            hash.write(object.to_json().to_string().as_bytes());
        }
        let traffic = self.network.traffic();
        if !traffic.is_idle() {
            for (version, count) in traffic.answered_total() {
                hash.write(format!("{version}={count}").as_bytes());
            }
            hash.write(&traffic.failed_total().to_le_bytes());
        }
        hash.0
    }

    // ----- the controllers' side of the API (crate-internal) -----

    /// The seeded random generator; every random choice of the simulation draws from it.
    pub(crate) fn rng(&mut self) -> &mut SimRng {
        &mut self.rng
    }

    /// What the kubelet model keeps in memory (when each app came up), for `kubectl logs`.
    pub fn kubelet_memory(&self) -> &kubelet::Memory {
        &self.kubelet
    }

    /// The network: kube-proxy's view, traffic sources and counters, access logs.
    pub fn network(&self) -> &network::State {
        &self.network
    }

    /// The network, to update.
    pub(crate) fn network_mut(&mut self) -> &mut network::State {
        &mut self.network
    }

    /// The load-balancer controller's memory.
    pub(crate) fn load_balancer_state(&self) -> &controller::load_balancer::State {
        &self.load_balancers
    }

    /// The load-balancer controller's memory, to update.
    pub(crate) fn load_balancer_state_mut(&mut self) -> &mut controller::load_balancer::State {
        &mut self.load_balancers
    }

    /// The kubelet model's memory.
    pub(crate) fn kubelet(&mut self) -> &mut kubelet::Memory {
        &mut self.kubelet
    }

    /// Schedules `timer` at virtual time `at` (clamped to now).
    pub(crate) fn schedule(&mut self, at: Millis, timer: Timer) {
        let at = at.max(self.now);
        self.timer_seq += 1;
        self.timers.insert((at, self.timer_seq), timer);
    }

    /// Schedules `timer` at `at` unless the same timer is already due then: controllers that
    /// re-run at a fixpoint ask for the same wake-up (e.g. minReadySeconds) on every pass.
    pub(crate) fn schedule_once(&mut self, at: Millis, timer: Timer) {
        let at = at.max(self.now);
        let pending = self
            .timers
            .range((at, 0)..=(at, u64::MAX))
            .any(|(_, t)| *t == timer);
        if !pending {
            self.schedule(at, timer);
        }
    }

    /// Sets (or with `None` cancels) the one wake-up of the object `key`, replacing any earlier
    /// one, so that a deadline that moved leaves no stale timer behind.
    pub(crate) fn set_wake_up(&mut self, key: &ObjectKey, at: Option<Millis>) {
        let at = at.map(|at| at.max(self.now));
        let current = self.wake_ups.get(key).copied();
        if current.map(|(t, _)| t) == at {
            return;
        }
        if let Some(slot) = current {
            self.timers.remove(&slot);
            self.wake_ups.remove(key);
        }
        if let Some(at) = at {
            self.schedule(at, Timer::WakeUp(key.clone()));
            self.wake_ups.insert(key.clone(), (at, self.timer_seq));
        }
    }

    /// Inserts a new object created by the system (assigns a uid).
    pub(crate) fn insert(&mut self, mut object: Object) -> Object {
        let uid = self.new_uid();
        object.meta_mut().uid = Some(uid);
        self.store.insert(object, self.now)
    }

    /// Writes an object as a controller does (spec and status). Returns the stored object.
    pub(crate) fn write<T: ApiObject>(&mut self, object: T) -> Option<T> {
        self.store.replace(object, self.now)
    }

    /// [`Cluster::write`] for a writer that does not read the stored object again (no copy is
    /// made to hand back).
    pub(crate) fn put<T: ApiObject>(&mut self, object: T) {
        self.store.put(object, self.now);
    }

    /// [`Store::edit`] now: changes a stored object in place; whether it changed.
    pub(crate) fn edit<T: ApiObject>(
        &mut self,
        key: &ObjectKey,
        edit: impl FnOnce(&mut T) -> bool,
    ) -> bool {
        self.store.edit(key, self.now, edit)
    }

    fn write_object(&mut self, object: Object) -> Object {
        macro_rules! write_as {
            ($o:expr) => {
                self.write(*$o.clone())
                    .map(ApiObject::into_object)
                    .unwrap_or_else(|| $o.into_object())
            };
        }
        match object {
            Object::Namespace(o) => write_as!(o),
            Object::Node(o) => write_as!(o),
            Object::Pod(o) => write_as!(o),
            Object::Service(o) => write_as!(o),
            Object::Endpoints(o) => write_as!(o),
            Object::EndpointSlice(o) => write_as!(o),
            Object::Deployment(o) => write_as!(o),
            Object::ReplicaSet(o) => write_as!(o),
            Object::NetworkPolicy(o) => write_as!(o),
            Object::Event(o) => write_as!(o),
        }
    }

    /// Removes an object for good.
    pub(crate) fn remove(&mut self, key: &ObjectKey) -> Option<Object> {
        self.store.remove(key, self.now)
    }

    /// Records an Event about `object`, as a component's event recorder does: a repeat of the
    /// same reason and message bumps `count` and `lastTimestamp` instead of adding an event.
    pub(crate) fn record_event(
        &mut self,
        involved: &Object,
        event_type: &str,
        reason: &str,
        message: String,
        component: &str,
    ) {
        let namespace = match involved.namespace() {
            "" => "default".to_string(),
            ns => ns.to_string(),
        };
        let involved_uid = involved.meta().uid.clone();
        let existing = self
            .store
            .event_about(&namespace, involved_uid.as_deref(), reason, &message)
            .cloned();
        if let Some(mut event) = existing {
            event.count = Some(event.count.unwrap_or(1) + 1);
            event.last_timestamp = Some(timestamp(self.now));
            self.write(event);
            return;
        }
        let suffix: u64 = self.rng.next_u64();
        let event = Event {
            metadata: ObjectMeta {
                name: Some(format!("{}.{:016x}", involved.name(), suffix)),
                namespace: Some(namespace),
                ..ObjectMeta::default()
            },
            involved_object: ObjectReference {
                api_version: Some(involved.kind().api_version().to_string()),
                kind: Some(involved.kind().name().to_string()),
                name: Some(involved.name().to_string()),
                namespace: involved.meta().namespace.clone(),
                uid: involved_uid,
                resource_version: involved.meta().resource_version.clone(),
                ..ObjectReference::default()
            },
            reason: Some(reason.to_string()),
            message: Some(message),
            type_: Some(event_type.to_string()),
            count: Some(1),
            first_timestamp: Some(timestamp(self.now)),
            last_timestamp: Some(timestamp(self.now)),
            source: Some(EventSource {
                component: Some(component.to_string()),
                host: None,
                ..Default::default()
            }),
            ..Event::default()
        };
        self.insert(event.into_object());
    }

    fn new_uid(&mut self) -> String {
        let mut bytes = [0u8; 16];
        self.rng.fill_bytes(&mut bytes);
        // A random (version 4, RFC 4122 variant) UUID, as the API server generates uids.
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        )
    }

    fn check_namespace(&self, key: &ObjectKey) -> Result<(), ApiError> {
        if !key.kind.namespaced() {
            return Ok(());
        }
        match self
            .store
            .get_object(&ObjectKey::new(Kind::Namespace, "", &key.namespace))
        {
            Some(_) => Ok(()),
            None => Err(ApiError::not_found(Kind::Namespace, &key.namespace)),
        }
    }

    fn fire(&mut self, timer: Timer) {
        match timer {
            Timer::Pod { key, uid, step } => {
                let current = self.store.get::<Pod>(&key.namespace, &key.name);
                if let Some(pod) =
                    current.filter(|p| p.metadata.uid.as_deref() == Some(uid.as_str()))
                {
                    let pod = pod.clone();
                    kubelet::step(self, pod, step);
                }
            }
            Timer::Resync => self.progress.wakes.resyncs += 1,
            Timer::WakeUp(key) => {
                self.wake_ups.remove(&key);
                self.progress.wakes.woken.push(key);
            }
        }
    }

    /// Runs the controllers until none has anything left to do at this instant.
    fn reconcile(&mut self) {
        controller::run_to_fixpoint(self);
        network::observe(self);
    }
}

/// Fields only the server sets, cleared from what a client sends on create.
fn clear_server_fields(object: &mut Object) {
    let meta = object.meta_mut();
    meta.uid = None;
    meta.resource_version = None;
    meta.creation_timestamp = None;
    meta.deletion_timestamp = None;
    meta.generation = None;
    meta.extra.remove("managedFields");
    match object {
        Object::Deployment(d) => d.status = None,
        Object::ReplicaSet(r) => r.status = None,
        Object::Pod(p) => p.status = None,
        _ => {}
    }
}

/// On update the server keeps its own fields and the status (status is a subresource).
fn keep_server_fields(object: &mut Object, old: &Object) {
    let old_meta = old.meta().clone();
    let meta = object.meta_mut();
    meta.uid = old_meta.uid;
    meta.creation_timestamp = old_meta.creation_timestamp;
    meta.deletion_timestamp = old_meta.deletion_timestamp;
    meta.owner_references = meta.owner_references.take().or(old_meta.owner_references);
    match (object, old) {
        (Object::Deployment(d), Object::Deployment(o)) => d.status = o.status.clone(),
        (Object::ReplicaSet(r), Object::ReplicaSet(o)) => r.status = o.status.clone(),
        (Object::Pod(p), Object::Pod(o)) => p.status = o.status.clone(),
        (Object::Node(n), Object::Node(o)) => n.status = o.status.clone(),
        (Object::Namespace(n), Object::Namespace(o)) => n.status = o.status.clone(),
        (Object::Service(s), Object::Service(o)) => s.status = o.status.clone(),
        _ => {}
    }
}

/// 64-bit FNV-1a: tiny, portable and stable across platforms and releases.
#[derive(Debug)]
struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv1a {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}
