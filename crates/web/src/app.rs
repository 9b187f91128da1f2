//! The root component: owns the cluster, runs the animation loop, and turns every action into
//! a script line for [`command::run`].

use crate::clock::{self, format_elapsed, FrameClock, NORMAL_SPEED, SPEEDS};
use crate::command::{self, Entry, Tone};
use crate::connectivity::{self, Options};
use crate::keep;
use crate::palette::Palette;
use crate::snapshot::{self, Snapshot, SourceView};
use crate::view::{
    patterns_panel, policies_panel, Console, DeploymentCard, Editor, EmptyState, EventsPanel, Flow,
    Header, Inspected, Inspector, Legend, Nodes, OtherPods, Rollouts, ServiceCard, TrafficPanel,
};
use gloo_render::{request_animation_frame, AnimationFrame};
use kplay_core::{Cluster, Millis, DEFAULT_SEED};
use kplay_kubectl::commands::edit::{self, EditSession};
use kplay_kubectl::session::{self, Session};
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// How many transcript entries the console keeps.
const TRANSCRIPT_LIMIT: usize = 300;

/// The console's first words to a newcomer.
const WELCOME: &str = "\
# Welcome to kplay: a simulated Kubernetes cluster with one control-plane node and three workers.
# Type kubectl commands here, e.g. kubectl get nodes. `sleep 30s` jumps virtual time.
# Every button on the page runs its kubectl command here, so you can see what it does.
";

/// What the root component reacts to.
pub enum Msg {
    /// A requestAnimationFrame callback, with its timestamp in ms.
    Frame(f64),
    /// Run script text (a console line, or a button's kubectl command).
    Run(String),
    /// Play or pause virtual time.
    TogglePlay,
    /// Pick the speed at this index of [`SPEEDS`].
    Speed(usize),
    /// Pause and move virtual time on by one second (replaying what is due).
    Step,
    /// Go back (or forward, up to where the session got) to this virtual instant.
    Seek(Millis),
    /// Pack the session into a share link.
    Share,
    /// The share link, or why there is none.
    Shared(Result<String, String>),
    /// A share link's session text was unpacked (or could not be).
    Opened(Result<String, String>),
    /// Start over with a fresh cluster.
    Reset,
    /// Open the inspector on an object, or close it.
    Inspect(Option<Inspected>),
    /// Save the YAML editor's text (`kubectl edit`).
    SaveEdit(String),
    /// Close the YAML editor without changes.
    CancelEdit,
    /// The network policies panel's choices changed (rows of pods, the policy being written).
    Policies(Options),
    /// The lessons module's answer to an ask: the entry's id, then its transcript (see
    /// `teach::answers`).
    Answer(String),
    /// The frame that picked a request to animate was painted: its dot can be placed.
    PlaceDot,
}

/// An open `kubectl edit`: the session and kubectl's error for the last rejected save.
struct Editing {
    session: EditSession,
    error: Option<AttrValue>,
}

/// The playground page.
pub struct App {
    cluster: Cluster,
    palette: Palette,
    /// What the last snapshot read, reused for objects that have not changed since.
    memo: snapshot::Memo,
    snapshot: Snapshot,
    /// The feed head when `snapshot` was taken: the store changed iff the head moved.
    seen_head: u64,
    /// The whole virtual second the header shows.
    shown_second: u64,
    /// (virtual second, failed total) when `snapshot.traffic` was read; `None` forces a re-read.
    traffic_key: Option<(u64, u64)>,
    /// The request dots in flight.
    flow: Flow,
    /// Where each Deployment's current rollout started, for its failed-request count.
    rollouts: Rollouts,
    clock: FrameClock,
    frame: Option<AnimationFrame>,
    /// When (page clock, ms) a frame last ran out of time before virtual time caught up, while
    /// that is recent: the header then says virtual time is slowed.
    slowed: Option<f64>,
    /// What drawing a frame costs, left out of the simulation's share of the next one.
    drawing: clock::DrawingCost,
    speed: usize,
    transcript: Rc<Vec<Entry>>,
    next_entry: u64,
    inspected: Option<Inspected>,
    editing: Option<Editing>,
    /// The network policies panel's choices, which its model depends on.
    policies: Options,
    /// What the learner did, to replay, save and share.
    session: Session,
    /// The index in `session` of the next command a replay runs (its length when live).
    next_command: usize,
    /// How far the session got: the end of the timeline.
    end: Millis,
    /// Whether the browser's storage works here (else the page said why, once).
    autosave: bool,
    /// The whole virtual second last autosaved.
    saved_second: u64,
    // Callbacks made once, so that children's props stay equal between renders.
    run: Callback<String>,
    toggle_play: Callback<()>,
    set_speed: Callback<usize>,
    reset: Callback<()>,
    inspect: Callback<Inspected>,
    close_inspector: Callback<()>,
    save_edit: Callback<String>,
    cancel_edit: Callback<()>,
    set_policies: Callback<Options>,
    step: Callback<()>,
    seek: Callback<Millis>,
    share_link: Callback<()>,
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let link = ctx.link();
        let cluster = Cluster::new(DEFAULT_SEED);
        let mut palette = Palette::default();
        let mut memo = snapshot::Memo::default();
        let snapshot = snapshot::take(&cluster, &mut palette, &mut memo, &Options::default());
        let mut app = App {
            seen_head: cluster.store().feed().head(),
            shown_second: 0,
            traffic_key: None,
            flow: Flow::default(),
            rollouts: Rollouts::default(),
            cluster,
            palette,
            memo,
            snapshot,
            clock: FrameClock::default(),
            slowed: None,
            drawing: clock::DrawingCost::default(),
            frame: None,
            speed: NORMAL_SPEED,
            transcript: Rc::default(),
            next_entry: 0,
            inspected: None,
            editing: None,
            policies: Options::default(),
            session: Session::new(DEFAULT_SEED),
            next_command: 0,
            end: 0,
            autosave: true,
            saved_second: 0,
            run: link.callback(Msg::Run),
            toggle_play: link.callback(|()| Msg::TogglePlay),
            set_speed: link.callback(Msg::Speed),
            reset: link.callback(|()| Msg::Reset),
            inspect: link.callback(|target| Msg::Inspect(Some(target))),
            close_inspector: link.callback(|()| Msg::Inspect(None)),
            save_edit: link.callback(Msg::SaveEdit),
            cancel_edit: link.callback(|()| Msg::CancelEdit),
            set_policies: link.callback(Msg::Policies),
            step: link.callback(|()| Msg::Step),
            seek: link.callback(Msg::Seek),
            share_link: link.callback(|()| Msg::Share),
        };
        app.push_entry(WELCOME.to_string(), Tone::Note);
        let orders = ctx.link().clone();
        keep::take_orders(move |order| {
            let msg = match order.split_once('\n') {
                Some(("run", script)) => Msg::Run(script.to_string()),
                Some(("answer", answer)) => Msg::Answer(answer.to_string()),
                _ => match order.as_str() {
                    "play" => Msg::TogglePlay,
                    "step" => Msg::Step,
                    "reset" => Msg::Reset,
                    _ => return,
                },
            };
            orders.send_message(msg);
        });
        match keep::link_opened() {
            // A share link wins over the autosave; it is unpacked asynchronously.
            Some(code) => {
                let link = ctx.link().clone();
                keep::open(&code, session::MAX_TEXT, move |text| {
                    link.send_message(Msg::Opened(text))
                });
            }
            None => app.restore_autosave(),
        }
        app.request_frame(ctx);
        app
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Frame(timestamp) => {
                let Some((_, factor)) = SPEEDS.get(self.speed) else {
                    return false;
                };
                let ms = self.clock.tick(timestamp, *factor);
                let mut slowed_changed = false;
                if ms > 0 {
                    let start = clock::wall_ms();
                    let spent = clock::frame_budget(start, self.drawing.estimate());
                    let reached = self.advance_to(self.cluster.now() + ms, &spent);
                    // Shown from a frame cut short until a second without one.
                    let slowed = match (reached, self.slowed) {
                        (false, _) => Some(start),
                        (true, Some(cut)) if start - cut < 1_000.0 => Some(cut),
                        (true, _) => None,
                    };
                    slowed_changed = slowed.is_some() != self.slowed.is_some();
                    self.slowed = slowed;
                }
                self.request_frame(ctx);
                // Ends in `rendered`, if this frame draws.
                self.drawing.start(clock::wall_ms());
                let traffic = self.cluster.network().traffic();
                let dots = self.flow.step(traffic, timestamp);
                if self.flow.waiting() {
                    after_paint(ctx, Msg::PlaceDot);
                }
                self.refresh() | dots | slowed_changed
            }
            Msg::Run(source) => {
                if let Err(full) = self.session.room_for(self.cluster.now(), &source) {
                    self.push_entry(format!("$ {source}\n{full}"), Tone::Error);
                    return true;
                }
                // Only what changes the cluster or moves its clock starts a new story; a
                // `get` after a scrub back keeps what comes next, for Play to replay.
                let branching = command::changes(&source);
                if branching {
                    self.branch();
                }
                let before = self.session.len();
                let ran = command::run(&mut self.cluster, &source);
                for (at, command) in ran.commands {
                    self.session.record(at, command);
                }
                if branching {
                    self.next_command = self.session.len();
                }
                self.end = self.end.max(self.cluster.now());
                let first = self.next_entry;
                for (text, tone) in ran.entries {
                    self.push_entry(text, tone);
                }
                let text = self.session.text(self.cluster.now(), self.end);
                for ask in ran.asks {
                    let id = first + ask.entry as u64;
                    let commands = before + ask.after;
                    keep::ask(&format!(
                        "{id}\n{commands}\n{}\n{}\n{text}",
                        ask.at, ask.source
                    ));
                }
                if let Some(session) = ran.edit {
                    self.inspected = None;
                    self.editing = Some(Editing {
                        session,
                        error: None,
                    });
                }
                // A `kplay traffic` line changes the sources without moving the change feed.
                self.traffic_key = None;
                self.refresh();
                self.save();
                true
            }
            Msg::SaveEdit(text) => {
                let Some(editing) = &mut self.editing else {
                    return false;
                };
                let patch = edit::as_patch(&editing.session, &text);
                // Replayed, the edit is the patch it sent: it must fit in the session too.
                let room = patch.as_ref().map_or(Ok(()), |patch| {
                    self.session.room_for(self.cluster.now(), patch)
                });
                if let Err(full) = room {
                    editing.error = Some(full.into());
                    return true;
                }
                let output = edit::finish(&mut self.cluster, &editing.session, &text);
                let entry = format!("{}{}", output.stdout, output.stderr);
                if output.exit_code == 0 {
                    self.editing = None;
                    if let Some(patch) = patch {
                        // Replayed, the edit is the patch it sent.
                        self.branch();
                        self.session.record(self.cluster.now(), patch);
                        self.next_command = self.session.len();
                        self.save();
                    }
                } else {
                    editing.error = Some(entry.clone().into());
                }
                self.push_entry(entry, command::tone(&output));
                self.refresh();
                true
            }
            Msg::Answer(answer) => {
                let Some((Ok(id), text)) = answer
                    .split_once('\n')
                    .map(|(id, text)| (id.parse::<u64>(), text))
                else {
                    return false;
                };
                let (tone, text) = match text.strip_prefix("error\n") {
                    Some(failed) => (Tone::Error, failed),
                    None => (Tone::Ok, text),
                };
                let entries = Rc::make_mut(&mut self.transcript);
                let Some(entry) = entries.iter_mut().find(|e| e.id == id) else {
                    return false;
                };
                entry.text = text.to_string().into();
                entry.tone = tone;
                true
            }
            Msg::PlaceDot => {
                self.flow.place(&mut self.palette, clock::wall_ms());
                // Drawn by the next frame.
                false
            }
            Msg::CancelEdit => {
                if self.editing.take().is_some() {
                    self.push_entry("Edit cancelled, no changes made.\n".into(), Tone::Note);
                }
                true
            }
            Msg::Policies(options) => {
                if options == self.policies {
                    return false;
                }
                self.policies = options;
                self.snapshot.connectivity = connectivity::take(&self.cluster, &self.policies);
                true
            }
            Msg::TogglePlay => {
                if self.frame.take().is_none() {
                    self.request_frame(ctx);
                } else {
                    self.clock.pause();
                }
                true
            }
            Msg::Step => {
                self.pause();
                self.advance_to(self.cluster.now() + 1_000, &|| false);
                self.refresh();
                self.save();
                true
            }
            Msg::Seek(at) => {
                self.pause();
                let at = at.min(self.end);
                if at >= self.cluster.now() {
                    // Forward: replay from here, not from the start.
                    self.advance_to(at, &|| false);
                    self.refresh();
                } else {
                    self.seek(at);
                }
                self.push_entry(
                    format!(
                        "# At {} of {}: Play replays what happened from here; a command that changes the cluster starts over from here.\n",
                        format_elapsed(self.cluster.now()),
                        format_elapsed(self.end)
                    ),
                    Tone::Note,
                );
                self.save();
                true
            }
            Msg::Share => {
                let text = self.session.text(self.cluster.now(), self.end);
                let link = ctx.link().clone();
                keep::share(&text, move |url| {
                    let url = url.and_then(|u| {
                        if u.len() > keep::MAX_LINK {
                            Err(format!("the session is too long for a link ({} KB; a link carries at most {} KB): Reset, or go back to an earlier moment and share from there", u.len() / 1024, keep::MAX_LINK / 1024))
                        } else {
                            Ok(u)
                        }
                    });
                    link.send_message(Msg::Shared(url))
                });
                false
            }
            Msg::Shared(link) => {
                let (text, tone) = match link {
                    Ok(url) => {
                        keep::copy(&url);
                        (format!("# Share link (copied to the clipboard where the browser allows it): it opens the playground at {}, with everything you did replayed; nothing is uploaded, it is all in the link.\n{url}\n", format_elapsed(self.cluster.now())), Tone::Note)
                    }
                    Err(reason) => (format!("# No share link: {reason}.\n"), Tone::Error),
                };
                self.push_entry(text, tone);
                true
            }
            Msg::Opened(text) => {
                let opened = text.and_then(|t| Session::read(&t));
                match opened {
                    Ok((session, at, end)) => {
                        self.restore(session, at, end);
                        self.push_entry(
                            format!(
                                "# Opened the shared session at {} of {}: Play replays what happened next.\n",
                                format_elapsed(at),
                                format_elapsed(end)
                            ),
                            Tone::Note,
                        );
                        self.save();
                    }
                    Err(reason) => {
                        self.push_entry(
                            format!("# This share link could not be opened: {reason}. The playground starts fresh instead.\n"),
                            Tone::Error,
                        );
                        self.restore_autosave();
                    }
                }
                true
            }
            Msg::Speed(index) => {
                let changed = index != self.speed && index < SPEEDS.len();
                if changed {
                    self.speed = index;
                }
                changed
            }
            Msg::Inspect(target) => {
                self.inspected = target;
                true
            }
            Msg::Reset => {
                self.policies = Options::default();
                self.palette = Palette::default();
                self.clock.pause();
                self.restore(Session::new(DEFAULT_SEED), 0, 0);
                self.save();
                self.push_entry(
                    format!(
                        "# Reset: a fresh cluster (seed {DEFAULT_SEED}) at virtual time 0:00.\n"
                    ),
                    Tone::Note,
                );
                true
            }
        }
    }

    fn view(&self, _ctx: &Context<Self>) -> Html {
        let snapshot = &self.snapshot;
        let empty = snapshot.deployments.is_empty() && snapshot.other_pods.is_empty();
        // A pod without a Deployment that is up can be the client of a ClusterIP Service.
        let client = snapshot
            .other_pods
            .iter()
            .find(|p| p.ready && !p.terminating)
            .map(|p| p.name.clone());
        html! {
            <>
                <Header
                    playing={self.frame.is_some()}
                    speed={self.speed}
                    elapsed={AttrValue::from(format_elapsed(self.cluster.now()))}
                    slowed={self.slowed.is_some()}
                    on_toggle={&self.toggle_play}
                    on_speed={&self.set_speed}
                    on_reset={&self.reset}
                    now={self.cluster.now()}
                    end={self.end}
                    on_step={&self.step}
                    on_seek={&self.seek}
                    on_share={&self.share_link}
                />
                <main class="layout">
                    <section class="cluster" aria-label="Cluster">
                        <Nodes nodes={snapshot.nodes.clone()} inspect={&self.inspect} />
                        <Legend images={snapshot.legend.clone()} />
                        { self.traffic_panel() }
                        if empty {
                            <EmptyState run={&self.run} />
                        }
                        { for snapshot.deployments.iter().map(|d| html! {
                            <div key={d.name.as_str()}
                                class={classes!("workload", self.receives_traffic(&d.name).then_some("traffic-on"))}>
                                // Each Service is drawn once, in front of the first Deployment it selects.
                                { for snapshot.services.iter()
                                    .filter(|s| s.targets.first() == Some(&d.name))
                                    .map(|s| html! {
                                        <key={format!("svc-{}", s.name)}>
                                            <ServiceCard service={s.clone()}
                                                inspect={&self.inspect} source={self.source(&s.name)}
                                                client={client.clone()} run={&self.run} />
                                            { patterns_panel(&self.cluster, s, &snapshot.deployments, &self.run) }
                                        </>
                                    }) }
                                <DeploymentCard
                                    deployment={d.clone()}
                                    compact={snapshot.compact}
                                    run={&self.run}
                                    inspect={&self.inspect}
                                />
                            </div>
                        }) }
                        { for snapshot.services.iter().filter(|s| s.targets.is_empty()).map(|s| html! {
                            <ServiceCard key={format!("svc-{}", s.name)} service={s.clone()}
                                inspect={&self.inspect} source={self.source(&s.name)}
                                client={client.clone()} run={&self.run} />
                        }) }
                        if !snapshot.other_pods.is_empty() {
                            <OtherPods pods={snapshot.other_pods.clone()} compact={snapshot.compact} inspect={&self.inspect} />
                        }
                        { policies_panel(snapshot.connectivity.as_ref(), &self.policies, &self.set_policies, &self.run) }
                        <EventsPanel events={snapshot.events.clone()} total={snapshot.events_total} now={self.shown_second * 1_000} />
                        { self.flow.view() }
                    </section>
                    <Console entries={self.transcript.clone()} on_run={&self.run} />
                </main>
                { self.inspector() }
                { self.editor() }
                <footer class="footer">
                    {"Simulated cluster: image pull and start-up times are simplified."}
                </footer>
            </>
        }
    }

    fn rendered(&mut self, _ctx: &Context<Self>, _first_render: bool) {
        self.drawing.finish(clock::wall_ms());
    }
}

impl App {
    /// Moves virtual time to `target`, running the recorded commands due on the way (after a
    /// scrub back, Play replays what happened), each shown in the console. Stops early, the
    /// clock short of `target`, once `spent()` says the caller's time is up (see
    /// [`Cluster::advance_within`]): a frame then shows less virtual time instead of taking
    /// longer.
    fn advance_to(&mut self, target: Millis, spent: &dyn Fn() -> bool) -> bool {
        // A session spans at most MAX_TIME, so that it can be saved and shared.
        if target > session::MAX_TIME {
            self.pause();
            self.push_entry(
                "# The clock stops at 4 hours, kplay's limit for a session: Reset starts a new one.\n".into(),
                Tone::Note,
            );
        }
        let target = target.min(session::MAX_TIME);
        let mut reached = true;
        loop {
            let due = self
                .session
                .command(self.next_command)
                .map(|(at, _)| at)
                .filter(|&at| at <= target);
            let until = due.unwrap_or(target);
            let dt = until.saturating_sub(self.cluster.now());
            if !self.cluster.advance_within(dt, spent) {
                reached = false;
                break;
            }
            let Some(at) = due else {
                break;
            };
            let text = self
                .session
                .run_command(&mut self.cluster, self.next_command);
            self.next_command += 1;
            self.push_entry(
                format!("# replay at {}\n{text}", format_elapsed(at)),
                Tone::Note,
            );
        }
        self.end = self.end.max(self.cluster.now());
        if self.cluster.now() / 1_000 != self.saved_second {
            self.save();
        }
        reached
    }

    /// Before the learner changes the cluster at an earlier moment than the session got to:
    /// what came after is forgotten, and the session goes on from here.
    fn branch(&mut self) {
        self.session.truncate(self.next_command);
        self.end = self.cluster.now();
    }

    /// Pauses virtual time.
    fn pause(&mut self) {
        self.frame = None;
        self.clock.pause();
    }

    /// Shows the cluster as it was at `at`, replayed from the session.
    fn seek(&mut self, at: Millis) {
        self.next_command = self.session.count_until(at);
        self.cluster = self.session.replay(self.next_command, at);
        self.inspected = None;
        self.editing = None;
        self.flow.clear();
        self.rollouts = Rollouts::default();
        self.traffic_key = None;
        // A replayed cluster may reuse names, uids and resourceVersions for other content.
        self.memo = snapshot::Memo::default();
        self.snapshot = snapshot::take(
            &self.cluster,
            &mut self.palette,
            &mut self.memo,
            &self.policies,
        );
        self.seen_head = self.cluster.store().feed().head();
        self.shown_second = self.cluster.now() / 1_000;
    }

    /// Replaces the session with `session`, shown at `at`, ending at `end`: paused there when
    /// there is more to replay, so that the moment can be looked at first.
    fn restore(&mut self, session: Session, at: Millis, end: Millis) {
        if at < end {
            self.pause();
        }
        self.session = session;
        self.end = end;
        self.seek(at);
    }

    /// Restores the session autosaved by an earlier visit, or says why it cannot.
    fn restore_autosave(&mut self) {
        let (note, tone) = match keep::saved() {
            Err(reason) => {
                self.autosave = false;
                (format!("# This page cannot use the browser's storage here ({reason}): it works, but a reload will start over.\n"), Tone::Note)
            }
            Ok(text) if text.is_empty() => return,
            Ok(text) => match Session::read(&text) {
                Ok((session, _, _)) if session.is_empty() => return,
                Ok((session, at, end)) => {
                    self.restore(session, at, end);
                    (format!("# Restored your session from this browser, at {} of {}. Reset starts over.\n", format_elapsed(at), format_elapsed(end)), Tone::Note)
                }
                Err(reason) => {
                    let aside = match keep::set_aside(&text) {
                        Ok(()) => {
                            format!("it was set aside as {} in this site's storage", keep::ASIDE)
                        }
                        Err(e) => format!("it could not be set aside ({e})"),
                    };
                    (format!("# Your saved session could not be read ({reason}); {aside}. The playground starts fresh.\n"), Tone::Error)
                }
            },
        };
        self.push_entry(note, tone);
    }

    /// Saves the session for the next visit (where the browser's storage works) and tells the
    /// lessons and tools where it got.
    fn save(&mut self) {
        self.saved_second = self.cluster.now() / 1_000;
        let text = self.session.text(self.cluster.now(), self.end);
        keep::publish(&text);
        if !self.autosave {
            return;
        }
        if let Err(reason) = keep::save(&text) {
            self.autosave = false;
            self.push_entry(
                format!("# Your session can no longer be saved in this browser ({reason}): a reload will start over.\n"),
                Tone::Note,
            );
        }
    }

    /// The traffic source sending to Service `name`, if any.
    fn source(&self, name: &str) -> Option<SourceView> {
        let mut sources = self.snapshot.traffic.sources.iter();
        sources.find(|(n, _)| n == name).map(|(_, s)| s.clone())
    }

    /// Whether a Service with traffic on selects the pods of Deployment `name`.
    fn receives_traffic(&self, name: &str) -> bool {
        self.snapshot
            .services
            .iter()
            .any(|s| s.targets.iter().any(|t| t == name) && self.source(&s.name).is_some())
    }

    /// The traffic chart and counters, once any traffic was sent or is on.
    fn traffic_panel(&self) -> Html {
        let traffic = &self.snapshot.traffic;
        if traffic.sources.is_empty() && traffic.versions.is_empty() && traffic.failed_total == 0 {
            return html! {};
        }
        let rollouts: Vec<(AttrValue, AttrValue, u64)> = self
            .snapshot
            .deployments
            .iter()
            .filter(|d| self.receives_traffic(&d.name))
            .filter_map(|d| {
                let (revision, failed) = self.rollouts.failed(&d.name, traffic.failed_total)?;
                Some((d.name.clone(), revision, failed))
            })
            .collect();
        html! { <TrafficPanel traffic={traffic.clone()} rollouts={Rc::from(rollouts)} /> }
    }

    /// The YAML editor, while a `kubectl edit` is open.
    fn editor(&self) -> Html {
        let Some(editing) = &self.editing else {
            return html! {};
        };
        let session = &editing.session;
        let title = kplay_kubectl::printers::name::name(session.kind, &session.name);
        html! {
            <Editor
                title={AttrValue::from(title.trim_end().to_string())}
                original={AttrValue::from(session.original.clone())}
                error={editing.error.clone()}
                on_save={&self.save_edit}
                on_cancel={&self.cancel_edit}
            />
        }
    }

    /// The inspector dialog, when an object is being inspected.
    fn inspector(&self) -> Html {
        let Some(target) = &self.inspected else {
            return html! {};
        };
        let controlled = self
            .snapshot
            .deployments
            .iter()
            .flat_map(|d| d.replica_sets.iter().flat_map(|rs| rs.pods.iter()))
            .chain(self.snapshot.other_pods.iter())
            .any(|p| p.name == target.name && p.controlled);
        html! {
            <Inspector
                object={target.clone()}
                yaml={snapshot::object_yaml(&self.cluster, target.kind, &target.name)}
                {controlled}
                run={&self.run}
                on_close={&self.close_inspector}
            />
        }
    }

    fn request_frame(&mut self, ctx: &Context<Self>) {
        let link = ctx.link().clone();
        self.frame = Some(request_animation_frame(move |timestamp| {
            link.send_message(Msg::Frame(timestamp));
        }));
    }

    /// Re-reads the store if the change feed moved; returns whether anything on screen changed.
    fn refresh(&mut self) -> bool {
        let mut changed = false;
        let head = self.cluster.store().feed().head();
        let traffic = self.cluster.network().traffic();
        let traffic_key = Some((self.cluster.now() / 1_000, traffic.failed_total()));
        if head != self.seen_head {
            self.snapshot = snapshot::take(
                &self.cluster,
                &mut self.palette,
                &mut self.memo,
                &self.policies,
            );
            self.seen_head = head;
            self.rollouts
                .note(&self.snapshot.deployments, traffic.failed_total());
            changed = true;
        } else if traffic_key != self.traffic_key {
            // Traffic moves every frame: re-read its counters once a virtual second, or at once
            // when a request failed, without re-reading the store.
            let view = snapshot::traffic(&self.cluster, &self.palette);
            changed |= view != self.snapshot.traffic;
            self.snapshot.traffic = view;
        }
        self.traffic_key = traffic_key;
        let second = self.cluster.now() / 1_000;
        if second != self.shown_second {
            self.shown_second = second;
            changed = true;
        }
        changed
    }

    fn push_entry(&mut self, text: String, tone: Tone) {
        let transcript = Rc::make_mut(&mut self.transcript);
        if transcript.len() >= TRANSCRIPT_LIMIT {
            transcript.remove(0);
        }
        transcript.push(Entry {
            id: self.next_entry,
            text: text.into(),
            tone,
        });
        self.next_entry += 1;
    }
}

/// Sends `msg` in a task of its own after the current one: after the frame being drawn now
/// is painted, when reading where things are on the page costs no style or layout work.
fn after_paint(ctx: &Context<App>, msg: Msg) {
    let link = ctx.link().clone();
    let callback = Closure::once_into_js(move || link.send_message(msg));
    if let Some(window) = web_sys::window() {
        // Fails only without a function to call; the next frame asks again.
        let _ = window.set_timeout_with_callback(callback.unchecked_ref());
    }
}
