//! The root component: owns the cluster, runs the animation loop, and turns every action into
//! a script line for [`command::run`].

use crate::clock::{format_elapsed, FrameClock, NORMAL_SPEED, SPEEDS};
use crate::command::{self, Entry, Tone};
use crate::connectivity::{self, Options};
use crate::palette::Palette;
use crate::snapshot::{self, Snapshot, SourceView};
use crate::view::{
    patterns_panel, policies_panel, Console, DeploymentCard, Editor, EmptyState, EventsPanel, Flow,
    Header, Inspected, Inspector, Legend, Nodes, OtherPods, Rollouts, ServiceCard, TrafficPanel,
};
use gloo_render::{request_animation_frame, AnimationFrame};
use kplay_core::{Cluster, DEFAULT_SEED};
use kplay_kubectl::commands::edit::{self, EditSession};
use std::rc::Rc;
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
    speed: usize,
    transcript: Rc<Vec<Entry>>,
    next_entry: u64,
    inspected: Option<Inspected>,
    editing: Option<Editing>,
    /// The network policies panel's choices, which its model depends on.
    policies: Options,
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
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let link = ctx.link();
        let cluster = Cluster::new(DEFAULT_SEED);
        let mut palette = Palette::default();
        let snapshot = snapshot::take(&cluster, &mut palette, &Options::default());
        let mut app = App {
            seen_head: cluster.store().feed().head(),
            shown_second: 0,
            traffic_key: None,
            flow: Flow::default(),
            rollouts: Rollouts::default(),
            cluster,
            palette,
            snapshot,
            clock: FrameClock::default(),
            frame: None,
            speed: NORMAL_SPEED,
            transcript: Rc::default(),
            next_entry: 0,
            inspected: None,
            editing: None,
            policies: Options::default(),
            run: link.callback(Msg::Run),
            toggle_play: link.callback(|()| Msg::TogglePlay),
            set_speed: link.callback(Msg::Speed),
            reset: link.callback(|()| Msg::Reset),
            inspect: link.callback(|target| Msg::Inspect(Some(target))),
            close_inspector: link.callback(|()| Msg::Inspect(None)),
            save_edit: link.callback(Msg::SaveEdit),
            cancel_edit: link.callback(|()| Msg::CancelEdit),
            set_policies: link.callback(Msg::Policies),
        };
        app.push_entry(WELCOME.to_string(), Tone::Note);
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
                if ms > 0 {
                    self.cluster.advance(ms);
                }
                self.request_frame(ctx);
                let traffic = self.cluster.network().traffic();
                let dots = self.flow.step(traffic, &mut self.palette, timestamp);
                self.refresh() | dots
            }
            Msg::Run(source) => {
                let ran = command::run(&mut self.cluster, &source);
                for (text, tone) in ran.entries {
                    self.push_entry(text, tone);
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
                true
            }
            Msg::SaveEdit(text) => {
                let Some(editing) = &mut self.editing else {
                    return false;
                };
                let output = edit::finish(&mut self.cluster, &editing.session, &text);
                let entry = format!("{}{}", output.stdout, output.stderr);
                if output.exit_code == 0 {
                    self.editing = None;
                } else {
                    editing.error = Some(entry.clone().into());
                }
                self.push_entry(entry, command::tone(&output));
                self.refresh();
                true
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
                self.inspected = None;
                self.editing = None;
                self.policies = Options::default();
                self.cluster = Cluster::new(DEFAULT_SEED);
                self.palette = Palette::default();
                self.flow.clear();
                self.rollouts = Rollouts::default();
                self.traffic_key = None;
                self.clock.pause();
                self.snapshot = snapshot::take(&self.cluster, &mut self.palette, &self.policies);
                self.seen_head = self.cluster.store().feed().head();
                self.shown_second = 0;
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
                    on_toggle={&self.toggle_play}
                    on_speed={&self.set_speed}
                    on_reset={&self.reset}
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
                            <OtherPods pods={snapshot.other_pods.clone()} inspect={&self.inspect} />
                        }
                        { policies_panel(snapshot.connectivity.as_ref(), &self.policies, &self.set_policies, &self.run) }
                        <EventsPanel events={snapshot.events.clone()} now={self.shown_second * 1_000} />
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
}

impl App {
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
            self.snapshot = snapshot::take(&self.cluster, &mut self.palette, &self.policies);
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
