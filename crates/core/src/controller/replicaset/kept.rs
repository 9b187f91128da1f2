//! The ReplicaSet controller's surveys, kept between syncs: each owned pod's [`Share`], added
//! up, and brought up to date from the change feed. A sync of a ReplicaSet of 10,000 pods
//! then reads the few pods that changed since the last one instead of walking all of them
//! (the real controller walks its informer's cache on every sync; kplay syncs far more often,
//! on every pass a pod changed). A survey from here always equals [`Survey::of`]; debug builds
//! check it on every sync.

use super::{orphans_to_adopt, owned_pods, Share, Survey};
use crate::api::{Kind, ObjectKey};
use crate::feed::WatchEventType;
use crate::owner::controller_of;
use crate::types::{LabelSelector, Pod, ReplicaSet};
use crate::vecmap::VecMap;
use crate::Cluster;
use std::collections::BTreeMap;

/// The kept surveys, by ReplicaSet (namespace, name), and how far they have read the feed.
#[derive(Debug, Clone, Default)]
pub(crate) struct Surveys {
    read_until: u64,
    tallies: VecMap<(String, String), Tally>,
}

/// One ReplicaSet's owned pods and what they add up to.
#[derive(Debug, Clone, Default)]
struct Tally {
    /// What the shares were counted against.
    basis: Basis,
    /// The shares of the owned pods, by pod name.
    shares: VecMap<String, Share>,
    /// The shares added up (its `to_release` and the order of its `wake_ups` aside).
    sum: Survey,
    /// How many owned pods the selector no longer matches.
    unselected: usize,
}

/// The parts of a ReplicaSet a pod's share depends on: when one changes, every share is
/// counted again.
#[derive(Debug, Clone, Default, PartialEq)]
struct Basis {
    uid: Option<String>,
    selector: Option<LabelSelector>,
    template_labels: Option<BTreeMap<String, String>>,
    min_ready_seconds: Option<i32>,
}

impl Basis {
    fn of(rs: &ReplicaSet) -> Basis {
        let spec = rs.spec.as_ref();
        let template = spec.and_then(|s| s.template.as_ref()?.metadata.as_ref());
        Basis {
            uid: rs.metadata.uid.clone(),
            selector: spec.map(|s| s.selector.clone()),
            template_labels: template.and_then(|m| m.labels.clone()),
            min_ready_seconds: spec.and_then(|s| s.min_ready_seconds),
        }
    }
}

impl Tally {
    /// Counts `rs`'s pods with one walk.
    fn walk(cluster: &Cluster, rs: &ReplicaSet) -> Tally {
        let mut tally = Tally {
            basis: Basis::of(rs),
            shares: VecMap::new(),
            sum: Survey::default(),
            unselected: 0,
        };
        for p in owned_pods(cluster, rs) {
            let share = Share::of(rs, p, cluster.now());
            tally.add(p.metadata.name.clone().unwrap_or_default(), share);
        }
        tally
    }

    fn add(&mut self, pod: String, share: Share) {
        self.sum.add(share, 1);
        self.unselected += usize::from(!share.selected);
        self.shares.insert(pod, share);
    }

    /// Counts `pod` with `share`, in place of its share so far.
    fn count(&mut self, pod: &str, share: Share) {
        match self.shares.get_mut(pod) {
            Some(kept) => {
                let before = std::mem::replace(kept, share);
                self.sum.add(before, -1);
                self.unselected -= usize::from(!before.selected);
                self.sum.add(share, 1);
                self.unselected += usize::from(!share.selected);
            }
            None => self.add(pod.to_string(), share),
        }
    }

    fn forget(&mut self, pod: &str) {
        if let Some(share) = self.shares.remove(pod) {
            self.sum.add(share, -1);
            self.unselected -= usize::from(!share.selected);
        }
    }

    /// Counts again the pods that were ready but not yet available (their minReadySeconds
    /// may have passed), and lists their wake-ups in pod name order, as a walk would.
    fn recount_waiting(&mut self, cluster: &Cluster, rs: &ReplicaSet) {
        let namespace = rs.metadata.namespace.as_deref().unwrap_or_default();
        let waiting: Vec<String> = (self.shares.iter())
            .filter(|(_, share)| share.wake_at.is_some())
            .map(|(name, _)| name.clone())
            .collect();
        for name in waiting {
            match cluster.store().get::<Pod>(namespace, &name) {
                Some(p) => self.count(&name, Share::of(rs, p, cluster.now())),
                None => self.forget(&name),
            }
        }
        self.sum.wake_ups = self.shares.values().filter_map(|s| s.wake_at).collect();
    }
}

impl Surveys {
    /// `rs`'s survey now: what [`Survey::of`] would find, from the kept tally.
    pub(super) fn survey(cluster: &mut Cluster, rs: &ReplicaSet) -> Survey {
        if rs.metadata.uid.is_none() {
            // Not stored yet: it owns nothing a tally could follow.
            return Survey::of(cluster, rs);
        }
        let mut kept = std::mem::take(&mut cluster.progress_mut().surveys);
        kept.catch_up(cluster);
        let key = (
            rs.metadata.namespace.clone().unwrap_or_default(),
            rs.metadata.name.clone().unwrap_or_default(),
        );
        // A default tally's basis has no uid, so it is never taken for `rs`'s.
        let tally = kept.tallies.entry_or_default(key);
        if tally.basis != Basis::of(rs) {
            *tally = Tally::walk(cluster, rs);
        }
        if !tally.sum.wake_ups.is_empty() {
            tally.recount_waiting(cluster, rs);
        }
        let survey = Survey {
            adoptable: orphans_to_adopt(cluster, rs).next().is_some(),
            to_release: tally.unselected > 0,
            ..tally.sum.clone()
        };
        cluster.progress_mut().surveys = kept;
        survey
    }

    /// Reads the change feed: each changed pod is counted again where it belongs now; a
    /// deleted ReplicaSet's tally goes. After a gap in the feed every tally starts over.
    fn catch_up(&mut self, cluster: &Cluster) {
        let (events, missed) = cluster.store().feed().since(self.read_until);
        if missed {
            self.tallies = VecMap::new();
        } else {
            for event in events {
                match event.key.kind {
                    Kind::Pod => self.recount(cluster, &event.key),
                    Kind::ReplicaSet if event.event_type == WatchEventType::Deleted => {
                        let key = &event.key;
                        self.tallies
                            .remove(&(key.namespace.clone(), key.name.clone()));
                    }
                    _ => {}
                }
            }
        }
        self.read_until = cluster.store().feed().head();
    }

    /// Counts pod `key` again: out of the tally that had it, into the one of the ReplicaSet
    /// that controls it now (found by uid, as [`owned_pods`] finds pods).
    fn recount(&mut self, cluster: &Cluster, key: &ObjectKey) {
        let store = cluster.store();
        let p = store.get::<Pod>(&key.namespace, &key.name);
        let uid = p
            .and_then(|p| controller_of(&p.metadata))
            .map(|r| r.uid.as_str());
        for ((namespace, name), tally) in self.tallies.iter_mut() {
            if *namespace != key.namespace {
                continue;
            }
            let owner = uid.is_some() && tally.basis.uid.as_deref() == uid;
            let rs = owner
                .then(|| store.get::<ReplicaSet>(namespace, name))
                .flatten();
            match (p, rs) {
                (Some(p), Some(rs)) => tally.count(&key.name, Share::of(rs, p, cluster.now())),
                _ => tally.forget(&key.name),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ApiObject;
    use serde_json::json;

    /// Every ReplicaSet's kept survey against a walk over its pods; those of `default`.
    fn check(cluster: &mut Cluster, when: &str) -> Vec<Survey> {
        let sets: Vec<ReplicaSet> = cluster.store().list::<ReplicaSet>(None).cloned().collect();
        let mut surveys = Vec::new();
        for rs in sets {
            let kept = Surveys::survey(cluster, &rs);
            assert_eq!(kept, Survey::of(cluster, &rs), "{when}");
            if rs.metadata.namespace.as_deref() == Some("default") {
                surveys.push(kept);
            }
        }
        surveys
    }

    fn relabel(cluster: &mut Cluster, pod: &str, app: &str) {
        let mut p = (cluster.store().get::<Pod>("default", pod).cloned()).expect("the pod");
        let labels = p.metadata.labels.get_or_insert_with(Default::default);
        labels.insert("app".into(), app.into());
        assert!(cluster.update(p.into_object()).is_ok());
    }

    #[test]
    fn kept_surveys_count_what_a_walk_counts() {
        let mut cluster = Cluster::new(5);
        let mut deployment = crate::testing::deployment("web", 4);
        deployment["spec"]["minReadySeconds"] = json!(3);
        assert!(cluster.create_json(Kind::Deployment, deployment).is_ok());
        // Pods start, become ready, then available 3 s later: the waiting ones are counted
        // again as time passes.
        let mut waited = false;
        for step in 0..60 {
            cluster.advance(250);
            let surveys = check(&mut cluster, &format!("at step {step}"));
            waited |= surveys.iter().any(|s| !s.wake_ups.is_empty());
        }
        assert!(waited, "some ready pod waited for minReadySeconds");
        let web = |c: &Cluster| {
            let pods = c.store().list::<Pod>(Some("default"));
            pods.filter(|p| !crate::pod::is_terminating(p)).count()
        };
        assert_eq!(web(&cluster), 4);
        // A pod relabelled out of the selector is released (and replaced); relabelled back,
        // it is adopted again (and the surplus deleted).
        let first = cluster.store().list::<Pod>(Some("default")).next().cloned();
        let name = first.and_then(|p| p.metadata.name).expect("a pod");
        relabel(&mut cluster, &name, "other");
        check(&mut cluster, "after the release");
        cluster.advance(5_000);
        check(&mut cluster, "after the replacement");
        relabel(&mut cluster, &name, "web");
        check(&mut cluster, "after the adoption");
        cluster.advance(5_000);
        check(&mut cluster, "after the surplus went");
        assert_eq!(web(&cluster), 4);
        // A copy that lost its place in the feed counts everything again.
        cluster.progress_mut().surveys = Surveys::default();
        let surveys = check(&mut cluster, "after starting over");
        assert_eq!(surveys.iter().map(|s| s.available).sum::<i32>(), 4);
        // The Deployment goes: its ReplicaSets' tallies go with them.
        assert!(cluster.delete(Kind::Deployment, "default", "web").is_ok());
        cluster.advance(60_000);
        assert!(check(&mut cluster, "after the deletion").is_empty());
        let tallies = &cluster.progress().surveys.tallies;
        assert!(tallies
            .keys()
            .all(|(namespace, _)| namespace == "kube-system"));
    }
}
