//! The panel's own copy of the page's cluster, kept up to date from the session text the page
//! publishes. The core is deterministic, so replaying the same commands at the same instants
//! gives the same cluster; when the page only went on (new commands, time passed) the replica
//! goes on too instead of replaying from the start.

use kplay_core::{Cluster, Millis, DEFAULT_SEED};
use kplay_kubectl::session::Session;

/// The replayed cluster and the session it replayed.
pub struct Replica {
    session: Session,
    /// Where the page's session ends (after a scrub back, later than now).
    end: Millis,
    /// How many of `session`'s commands `cluster` ran.
    ran: usize,
    cluster: Cluster,
}

impl Default for Replica {
    fn default() -> Self {
        Replica {
            session: Session::new(DEFAULT_SEED),
            end: 0,
            ran: 0,
            cluster: Cluster::new(DEFAULT_SEED),
        }
    }
}

impl Replica {
    /// Brings the replica to the moment the page's session `text` shows: `Ok(true)` when the
    /// page went on from where the replica was, `Ok(false)` when it had to replay from the
    /// start (a reset, a scrub back, another session). A text that is not a session leaves it
    /// as it was and says why.
    pub fn follow(&mut self, text: &str) -> Result<bool, String> {
        let (session, at, end) = Session::read(text)?;
        let due = session.count_until(at);
        let goes_on = due >= self.ran
            && at >= self.cluster.now()
            && session.continues(&self.session, self.ran);
        if goes_on {
            for index in self.ran..due {
                session.run_command(&mut self.cluster, index);
            }
            self.cluster.advance(at.saturating_sub(self.cluster.now()));
        } else {
            self.cluster = session.replay(due, at);
        }
        self.ran = due;
        self.session = session;
        self.end = end;
        Ok(goes_on)
    }

    /// The replayed cluster (mutable: kubectl reads go through the API server's handlers).
    pub fn cluster(&mut self) -> &mut Cluster {
        &mut self.cluster
    }

    /// The page's session and where it ends.
    pub fn session(&self) -> (&Session, Millis) {
        (&self.session, self.end)
    }

    /// The replayed cluster, to read.
    pub fn cluster_ref(&self) -> &Cluster {
        &self.cluster
    }

    /// How many of the page's recorded commands the replica ran.
    pub fn ran(&self) -> usize {
        self.ran
    }

    /// The virtual instant the replica is at.
    pub fn now(&self) -> Millis {
        self.cluster.now()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "# kplay session 1\n# seed 1\n";

    #[test]
    fn follows_the_page_forwards_backwards_and_after_a_reset() {
        let mut replica = Replica::default();
        let script = "kubectl create deployment web --image=nginx:1.27 --replicas=2\nsleep 30s\nkubectl scale deployment web --replicas=4\nsleep 30s\n";
        // The page at 10s, at 60s, back at 20s, then reset to an empty cluster.
        let steps = [
            (format!("{HEAD}# at 10s\n{script}"), 10_000, true),
            (format!("{HEAD}# at 60s\n{script}"), 60_000, true),
            (format!("{HEAD}# at 20s\n{script}"), 20_000, false),
            (format!("{HEAD}# at 0s\n"), 0, false),
        ];
        for (text, at, goes_on) in &steps {
            assert_eq!(replica.follow(text), Ok(*goes_on), "at {at}");
            let (session, _, _) = Session::read(text).unwrap_or_else(|e| panic!("{e}"));
            let replayed = session.replay(session.count_until(*at), *at);
            assert_eq!(replica.now(), *at);
            assert_eq!(
                replica.cluster().state_hash(),
                replayed.state_hash(),
                "at {at}"
            );
        }
    }

    #[test]
    fn text_that_is_not_a_session_changes_nothing() {
        let mut replica = Replica::default();
        let text =
            format!("{HEAD}# at 5s\nkubectl create deployment web --image=nginx\nsleep 5s\n");
        replica.follow(&text).unwrap_or_else(|e| panic!("{e}"));
        let before = replica.cluster().state_hash();
        assert!(replica.follow("not a session").is_err());
        assert_eq!(replica.cluster().state_hash(), before);
        assert_eq!(replica.now(), 5_000);
    }
}
