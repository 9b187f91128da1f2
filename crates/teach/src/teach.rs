//! The panel's root component: two tabs (the lessons, with the open lesson's live checks;
//! the strategy gallery and comparison) and the presenter switch.

use crate::bridge;
use crate::compare;
use crate::course::Course;
use crate::embed::Embed;
use crate::export;
use crate::faults;
use crate::overview;
use crate::pace::{self, Paced};
use crate::progress::{self, Progress, Record};
use crate::replica::Replica;
use crate::shipped;
use crate::shipped::SCENARIOS;
use crate::view;
use crate::view::strategies::{self, Comparison};
use crate::view::{classroom, lessons};
use gloo_timers::callback::Interval;
use kplay_lessons::lesson;
use yew::prelude::*;

/// The largest lesson file loaded from an address.
const MAX_LESSON: usize = 256 * 1024;

/// What the panel reacts to.
pub enum Msg {
    /// The page saved its session: its text.
    Session(String),
    /// Show or fold the panel.
    Show(bool),
    /// Open a shipped lesson by name.
    Pick(&'static str),
    /// A lesson loaded from an address (the address, and its text or why not).
    Fetched(String, Result<String, String>),
    /// Back to the list of lessons.
    List,
    /// Set up the cluster for the open lesson: from the start (`false`), or where the learner
    /// got to (`true`).
    Start(bool),
    /// The learner's prediction for the current step.
    Answer(usize),
    /// Run the current step's solution in the page.
    Solve,
    /// Go on to the next step.
    Next,
    /// A shortcut key pressed on the page (`l` unfold the panel, `n` next step, `p` presenter
    /// mode).
    Key(String),
    /// Turn presenter mode on or off.
    Presenter,
    /// Show a tab.
    Tab(Tab),
    /// Pick the scenario (its index) for one side (0 or 1) of the comparison.
    Choose(usize, usize),
    /// Run the two chosen scenarios and compare them.
    Compare,
    /// Play or pause the comparison's lanes.
    PlayLanes,
    /// Show this frame of the lanes.
    LaneFrame(usize),
    /// Run scenario (its index) in the page.
    Scenario(usize),
    /// Aim the faults at the Deployment at this index of [`faults::targets`].
    FaultTarget(usize),
    /// Run a fault's command in the page.
    Fault(String),
    /// The embed dialog's choices changed.
    Embed(Embed),
    /// Copy this text to the clipboard.
    Copy(String),
    /// Offer this text as a file of this name.
    Download(&'static str, String),
    /// Apply the YAML pasted into the import field.
    Import,
}

/// The panel's tabs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// Guided lessons.
    Lessons,
    /// The strategy gallery and comparison.
    Strategies,
    /// Presenter mode and faults.
    Classroom,
    /// Export as YAML and a shell script; import YAML.
    Export,
    /// One line per Deployment.
    Table,
}

/// A script the panel runs in the page at the clock's pace ("Run them for me").
struct Pacing {
    paced: Paced,
    /// How many recorded commands the replica must have run before the next batch: the
    /// page has then run the batches sent so far.
    after: usize,
    /// Whether a batch went out (from then on, a page that starts over ends the run).
    sent: bool,
}

impl Pacing {
    /// Paces `script` from when the replica has run `after` commands; `None` for a script that
    /// does not parse (the page's console reports it when typed).
    fn start(script: &str, after: usize) -> Option<Pacing> {
        Some(Pacing {
            paced: Paced::new(script).ok()?,
            after,
            sent: false,
        })
    }
}

/// The lessons and tools panel.
pub struct Teach {
    shown: bool,
    replica: Replica,
    progress: Progress,
    /// Whether progress can be kept in this browser.
    storage: bool,
    course: Option<Course>,
    /// A problem to tell the learner about (a lesson that could not be loaded).
    notice: Option<String>,
    presenter: bool,
    /// A script being run in the page at the clock's pace.
    pacing: Option<Pacing>,
    tab: Tab,
    /// The scenarios chosen for the comparison.
    picked: [usize; 2],
    comparison: Option<Comparison>,
    /// Moves the lanes on while they play.
    lanes_timer: Option<Interval>,
    /// The scenario last run in the page, while it is the page's story.
    running: Option<usize>,
    /// The Deployment the faults are aimed at (an index of [`faults::targets`]).
    fault_target: usize,
    /// The embed dialog's choices.
    embed: Embed,
}

impl Component for Teach {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let link = ctx.link().clone();
        bridge::follow_session(move |text| link.send_message(Msg::Session(text)));
        let link = ctx.link().clone();
        bridge::on_keys(move |key| link.send_message(Msg::Key(key)));
        bridge::flag("teach-loaded", true);
        let mut replica = Replica::default();
        // The page's text is always a session; before its first save there is none.
        let _ = replica.follow(&bridge::current());
        let (progress, notice) = match Progress::read(&bridge::load(progress::KEY)) {
            Ok(progress) => (progress, None),
            Err(reason) => (
                Progress::default(),
                Some(format!(
                    "Your saved lesson progress could not be read ({reason}); it starts afresh."
                )),
            ),
        };
        let mut teach = Teach {
            shown: true,
            replica,
            progress,
            storage: true,
            course: None,
            notice,
            presenter: false,
            pacing: None,
            tab: Tab::Lessons,
            picked: [0, 1],
            comparison: None,
            lanes_timer: None,
            running: None,
            fault_target: 0,
            embed: Embed::default(),
        };
        if let Some(wanted) = bridge::param("lesson") {
            match shipped::LESSONS.iter().find(|(name, _)| *name == wanted) {
                Some((name, text)) => teach.open(name, text),
                None => {
                    let link = ctx.link().clone();
                    let url = wanted.clone();
                    bridge::fetch(&wanted, MAX_LESSON, move |text| {
                        link.send_message(Msg::Fetched(url, text))
                    });
                }
            }
        }
        if let Some(wanted) = bridge::param("scenario") {
            match SCENARIOS.iter().position(|(name, _)| *name == wanted) {
                Some(index) => {
                    teach.tab = Tab::Strategies;
                    ctx.link().send_message(Msg::Scenario(index));
                }
                None => teach.notice = Some(format!("There is no strategy scenario \"{wanted}\".")),
            }
        }
        if let Some(key) = bridge::pending_key() {
            ctx.link().send_message(Msg::Key(key));
        }
        teach.show(!bridge::quiet());
        teach
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Session(text) => {
                let Ok(went_on) = self.replica.follow(&text) else {
                    return false;
                };
                self.pace(went_on);
                // The Classroom and Table tabs show the cluster as it is.
                self.check() | matches!(self.tab, Tab::Classroom | Tab::Table)
            }
            Msg::FaultTarget(index) => {
                self.fault_target = index;
                true
            }
            Msg::Embed(embed) => {
                self.embed = embed;
                true
            }
            Msg::Copy(text) => {
                bridge::copy(&text);
                false
            }
            Msg::Download(name, text) => {
                bridge::download(name, &text);
                false
            }
            Msg::Import => {
                let yaml = bridge::field_text("import-yaml");
                if !yaml.trim().is_empty() {
                    bridge::run(&kplay_kubectl::script::heredoc("kubectl apply -f -", &yaml));
                }
                false
            }
            Msg::Fault(command) => {
                if !command.is_empty() {
                    bridge::run(&command);
                }
                false
            }
            Msg::Tab(tab) => {
                self.tab = tab;
                true
            }
            Msg::Choose(side, index) => {
                if let Some(slot) = self.picked.get_mut(side) {
                    *slot = index.min(SCENARIOS.len() - 1);
                }
                false
            }
            Msg::Compare => {
                let runs = self
                    .picked
                    .map(|index| match shipped::parsed_scenarios().get(index) {
                        Some(scenario) => compare::run(scenario),
                        None => Err("no such scenario".into()),
                    });
                self.comparison = Some(Comparison {
                    picked: self.picked,
                    runs,
                    frame: 0,
                    playing: false,
                });
                if !bridge::reduced_motion() {
                    self.play_lanes(ctx, true);
                }
                true
            }
            Msg::PlayLanes => {
                let playing = self.comparison.as_ref().is_some_and(|c| c.playing);
                self.play_lanes(ctx, !playing);
                true
            }
            Msg::LaneFrame(frame) => {
                let Some(comparison) = &mut self.comparison else {
                    return false;
                };
                let last = comparison.frames().saturating_sub(1);
                comparison.frame = frame.min(last);
                if comparison.playing && frame >= last {
                    self.play_lanes(ctx, false);
                }
                true
            }
            Msg::Scenario(index) => {
                let Some(scenario) = shipped::parsed_scenarios().get(index) else {
                    return false;
                };
                let Some(step) = scenario.steps.first() else {
                    return false;
                };
                self.pacing = Pacing::start(&step.solution, pace::changes(&scenario.setup));
                self.running = Some(index);
                bridge::reset();
                bridge::run(&scenario.setup);
                true
            }
            Msg::Show(shown) => {
                self.show(shown);
                true
            }
            Msg::Pick(name) => {
                if let Some(text) = shipped::lesson(name) {
                    self.open(name, text);
                }
                true
            }
            Msg::Fetched(url, text) => {
                match text {
                    Ok(text) => self.open(&url, &text),
                    Err(reason) => {
                        self.notice = Some(format!(
                            "The lesson at {url} could not be loaded: {reason}."
                        ))
                    }
                }
                true
            }
            Msg::List => {
                self.course = None;
                true
            }
            Msg::Start(resume) => {
                let Some(course) = &mut self.course else {
                    return false;
                };
                let record = self.progress.get(&course.id);
                let reached = if resume {
                    record.done.min(course.lesson.steps.len())
                } else {
                    0
                };
                let mut script = course.lesson.setup.clone();
                for step in &course.lesson.steps[..reached] {
                    script.push_str(&step.solution);
                }
                course.step = reached.min(course.lesson.steps.len().saturating_sub(1));
                self.pacing = None;
                course.started = true;
                course.answers = if resume { record.answers } else { Vec::new() };
                course.answers.resize(course.lesson.steps.len(), None);
                if !resume {
                    self.keep(Record::default());
                }
                bridge::reset();
                bridge::run(&script);
                bridge::focus("lesson-step");
                true
            }
            Msg::Answer(choice) => {
                let Some(course) = &mut self.course else {
                    return false;
                };
                if let Some(answer) = course.answers.get_mut(course.step) {
                    *answer = Some(choice);
                }
                // The chosen button is disabled now: focus goes on to the commands.
                bridge::focus("lesson-commands");
                let record = Record {
                    done: self.progress.get(&course.id).done,
                    answers: course.answers.clone(),
                };
                self.keep(record);
                true
            }
            Msg::Solve => {
                if let Some(step) = self.course.as_ref().and_then(Course::current) {
                    self.pacing = Pacing::start(&step.solution, self.replica.ran());
                    self.pace(true);
                }
                false
            }
            // Next step only while the panel shows the step.
            Msg::Next => self.shown && self.next(),
            Msg::Key(key) => match key.as_str() {
                "n" => self.shown && self.next(),
                "p" => self.toggle_presenter(),
                "l" if !self.shown => {
                    self.show(true);
                    true
                }
                _ => false,
            },
            Msg::Presenter => self.toggle_presenter(),
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        if !self.shown {
            return html! {
                <button class="btn teach-tab" onclick={link.callback(|_| Msg::Show(true))}>
                    {"Lessons"}
                </button>
            };
        }
        let body = match (self.tab, &self.course) {
            (Tab::Strategies, _) => {
                strategies::gallery(self.picked, self.comparison.as_ref(), self.running, link)
            }
            (Tab::Lessons, Some(course)) => {
                lessons::course(course, &self.progress.get(&course.id), link)
            }
            (Tab::Lessons, None) => lessons::list(&self.progress, link),
            (Tab::Table, _) => view::table::table(&overview::rows(self.replica.cluster_ref())),
            (Tab::Export, _) => {
                let (session, end) = self.replica.session();
                let now = self.replica.now();
                view::export::export(
                    &export::manifests(self.replica.cluster_ref()),
                    &export::shell_script(session, end),
                    &format!("{}:{:02}", now / 60_000, now / 1_000 % 60),
                    link,
                )
            }
            (Tab::Classroom, _) => {
                let cluster = self.replica.cluster_ref();
                classroom::classroom(
                    self.presenter,
                    &faults::targets(cluster),
                    self.fault_target,
                    &faults::cordoned(cluster),
                    &self.embed,
                    link,
                )
            }
        };
        let tab = |tab: Tab, label: &'static str| {
            html! {
                <button role="tab" class="teach-tab-button" aria-selected={(self.tab == tab).to_string()}
                    onclick={link.callback(move |_| Msg::Tab(tab))}>{label}</button>
            }
        };
        html! {
            <aside class="teach" aria-label="Lessons">
                <div class="teach-bar">
                    <h2>{"Learn"}</h2>
                    <button class="btn" aria-pressed={self.presenter.to_string()}
                        title="Large, high-contrast, chrome hidden: for a projector (shortcut p)"
                        onclick={link.callback(|_| Msg::Presenter)}>{"Presenter mode"}</button>
                    <button class="btn" title="Fold the lessons away" aria-label="Close lessons"
                        onclick={link.callback(|_| Msg::Show(false))}>{"✕"}</button>
                </div>
                <div class="teach-tabs" role="tablist" aria-label="Learn">
                    { tab(Tab::Lessons, "Lessons") }
                    { tab(Tab::Strategies, "Strategies") }
                    { tab(Tab::Table, "Table") }
                    { tab(Tab::Classroom, "Classroom") }
                    { tab(Tab::Export, "Export") }
                </div>
                if let Some(notice) = &self.notice {
                    <p class="teach-notice" role="alert">{notice.clone()}</p>
                }
                if !self.storage {
                    <p class="hint">{"This browser does not keep your progress here (storage is unavailable): it lasts until the page closes."}</p>
                }
                { body }
                <details class="shortcuts">
                    <summary>{"Keyboard shortcuts"}</summary>
                    <dl>
                        <dt><kbd>{"Space"}</kbd></dt><dd>{"play or pause"}</dd>
                        <dt><kbd>{"."}</kbd></dt><dd>{"step one second"}</dd>
                        <dt><kbd>{"n"}</kbd></dt><dd>{"next lesson step, once done"}</dd>
                        <dt><kbd>{"p"}</kbd></dt><dd>{"presenter mode"}</dd>
                        <dt><kbd>{"l"}</kbd></dt><dd>{"open the lessons"}</dd>
                    </dl>
                </details>
            </aside>
        }
    }
}

impl Teach {
    /// Opens lesson `id` from its text, or says why it cannot be read.
    fn open(&mut self, id: &str, text: &str) {
        match lesson::parse(text) {
            Ok(lesson) if lesson.steps.is_empty() => {
                self.notice = Some(format!("The lesson {id} has no steps."));
            }
            Ok(lesson) => {
                self.notice = None;
                self.course = Some(Course::new(id, lesson));
                self.show(true);
            }
            Err(error) => {
                self.notice = Some(format!("The lesson {id} could not be read: {error}."));
            }
        }
    }

    /// Shows or folds the panel.
    fn show(&mut self, shown: bool) {
        self.shown = shown;
        bridge::flag("teaching", shown);
    }

    /// Checks the current step against the replica; notes the step done once all its checks
    /// hold. Whether anything shown changed.
    fn check(&mut self) -> bool {
        let Some(course) = &mut self.course else {
            return false;
        };
        if !course.started {
            return false;
        }
        let results = course.check(self.replica.cluster());
        if results == course.results {
            return false;
        }
        course.results = results;
        let done = course.step_done().then_some(course.step + 1);
        let id = course.id.clone();
        let answers = course.answers.clone();
        let record = self.progress.get(&id);
        if let Some(done) = done.filter(|d| *d > record.done) {
            self.keep(Record { done, answers });
        }
        true
    }

    /// Goes on to the next step once the current one is done.
    fn next(&mut self) -> bool {
        let Some(course) = &mut self.course else {
            return false;
        };
        if !course.started || !course.step_done() {
            return false;
        }
        course.step += 1;
        course.results.clear();
        bridge::focus("lesson-step");
        self.check();
        true
    }

    /// Starts or stops the comparison's lanes (from the start when they had reached the end).
    fn play_lanes(&mut self, ctx: &Context<Self>, play: bool) {
        let Some(comparison) = &mut self.comparison else {
            return;
        };
        comparison.playing = play;
        self.lanes_timer = None;
        if play {
            if comparison.frame + 1 >= comparison.frames() {
                comparison.frame = 0;
            }
            let link = ctx.link().clone();
            let mut frame = comparison.frame;
            // Five times as fast as the cluster: a tick of 500 ms every 100 ms.
            self.lanes_timer = Some(Interval::new(100, move || {
                frame += 1;
                link.send_message(Msg::LaneFrame(frame));
            }));
        }
    }

    /// Sends the paced script's commands that are due, once the page ran the ones before; a
    /// page that started over (`went_on` false) after the script began ends it.
    fn pace(&mut self, went_on: bool) {
        let Some(pacing) = &mut self.pacing else {
            return;
        };
        if !went_on && pacing.sent {
            self.pacing = None;
            return;
        }
        if self.replica.ran() < pacing.after {
            return;
        }
        let batch = pacing.paced.due(self.replica.cluster());
        if !batch.text.is_empty() {
            pacing.after = self.replica.ran() + batch.changes;
            pacing.sent = true;
            bridge::run(&batch.text);
        }
        if pacing.paced.finished() {
            self.pacing = None;
        }
    }

    /// Saves the open lesson's record.
    fn keep(&mut self, record: Record) {
        let Some(course) = &self.course else {
            return;
        };
        self.progress.set(&course.id, record);
        self.storage = bridge::store(progress::KEY, &self.progress.text());
    }

    /// Presenter mode on or off; turning it on folds the panel, so the cluster has the room.
    fn toggle_presenter(&mut self) -> bool {
        self.presenter = !self.presenter;
        bridge::flag("presenter", self.presenter);
        if self.presenter {
            self.show(false);
        }
        true
    }
}
