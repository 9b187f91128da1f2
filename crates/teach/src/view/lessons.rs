//! The lesson list and an open lesson: its steps one at a time, each with its explanation, the
//! "predict what will happen" question before the commands show, and its checks as they stand.

use crate::course::Course;
use crate::progress::{Progress, Record};
use crate::shipped;
use crate::teach::{Msg, Teach};
use kplay_lessons::lesson::Predict;
use yew::html::Scope;
use yew::prelude::*;

/// The shipped lessons, each with its progress.
pub fn list(progress: &Progress, link: &Scope<Teach>) -> Html {
    html! {
        <>
            <p class="hint">{"Each lesson sets up a fresh cluster, then asks you to do something with kubectl or the page's buttons. Its checks read the cluster live, so any way of getting there counts."}</p>
            <ol class="lesson-list">
                { for shipped::LESSONS.iter().zip(shipped::parsed_lessons()).map(|((name, _), lesson)| {
                    let record = progress.get(name);
                    let steps = lesson.steps.len();
                    let state = match record.done {
                        0 => format!("{steps} steps"),
                        d if d >= steps => format!("{steps} steps · ✓ completed"),
                        d => format!("{steps} steps · {d} done"),
                    };
                    let name: &'static str = name;
                    html! {
                        <li>
                            <button class="lesson-pick" onclick={link.callback(move |_| Msg::Pick(name))}>
                                <span class="lesson-title">{lesson.title.as_str()}</span>
                                <span class="lesson-meta">{state}</span>
                            </button>
                        </li>
                    }
                }) }
            </ol>
            <p class="hint">{"Course authors can write their own lessons (see www/lessons/README.md) and open one with "}<code>{"?lesson=URL"}</code>{"."}</p>
        </>
    }
}

/// An open lesson: its start screen, its current step, or its end.
pub fn course(course: &Course, record: &Record, link: &Scope<Teach>) -> Html {
    let lesson = &course.lesson;
    let steps = lesson.steps.len();
    let body = if !course.started {
        let start = link.callback(|_| Msg::Start(false));
        let actions = match record.done {
            0 => {
                html! { <button class="btn btn-primary" onclick={start}>{"Start the lesson"}</button> }
            }
            d if d >= steps => html! {
                <>
                    <p class="lesson-done">{"✓ You completed this lesson."}</p>
                    <button class="btn btn-primary" onclick={start}>{"Do it again"}</button>
                </>
            },
            d => html! {
                <>
                    <button class="btn btn-primary" onclick={link.callback(|_| Msg::Start(true))}>
                        {format!("Continue at step {}", d + 1)}
                    </button>
                    <button class="btn" onclick={start}>{"Start over"}</button>
                </>
            },
        };
        html! {
            <>
                <p>{format!("{steps} steps. Starting replaces the cluster with a fresh one set up for the lesson (the console shows how).")}</p>
                <details class="lesson-setup">
                    <summary>{"The setup script"}</summary>
                    <pre>{lesson.setup.trim_end()}</pre>
                </details>
                <div class="lesson-actions">{actions}</div>
            </>
        }
    } else {
        match course.current() {
            None => html! {
                <>
                    <p class="lesson-done" role="status">{format!("✓ Lesson complete: all {steps} steps done.")}</p>
                    <button class="btn btn-primary" onclick={link.callback(|_| Msg::List)}>{"Choose another lesson"}</button>
                </>
            },
            Some(step) => {
                let answer = course.answers.get(course.step).copied().flatten();
                let asked = step.predict.as_ref();
                let open = asked.is_none() || answer.is_some();
                let done = course.step_done();
                let last = course.step + 1 == steps;
                html! {
                    <div id="lesson-step" class="lesson-step" tabindex="-1" key={course.step.to_string()}>
                        <p class="lesson-count">{format!("Step {} of {steps}", course.step + 1)}</p>
                        <progress max={steps.to_string()} value={course.step.to_string()} aria-hidden="true"></progress>
                        <h4>{step.title.clone()}</h4>
                        { for step.text.iter().map(|t| html! { <p>{t.clone()}</p> }) }
                        if let Some(predict) = asked {
                            { prediction(predict, answer, done, link) }
                        }
                        if open {
                            <details class="solution">
                                <summary id="lesson-commands">{"Show the commands"}</summary>
                                <pre>{step.solution.trim_end()}</pre>
                                <button class="btn" onclick={link.callback(|_| Msg::Solve)}>{"Run them for me"}</button>
                                <p class="hint">{"The waits (sleep, rollout status) are left to the clock, so you see it happen: Speed makes it quicker."}</p>
                            </details>
                            <h5 class="checks-title">{"Done when"}</h5>
                            <ul class="checks" aria-label="Checks">
                                { for step.checks.iter().zip(course.results.iter().map(Some).chain(std::iter::repeat(None))).map(|(check, result)| {
                                    let (mark, class, found) = match result {
                                        Some(Ok(())) => ("✓", "check-ok", None),
                                        Some(Err(found)) => ("○", "check-wait", Some(found.clone())),
                                        None => ("○", "check-wait", None),
                                    };
                                    html! {
                                        <li class={class}>
                                            <span class="check-mark" aria-label={if class == "check-ok" { "met" } else { "not yet" }}>{mark}</span>
                                            <code>{check.text.trim_start_matches("kplay expect ").to_string()}</code>
                                            if let Some(found) = found { <span class="check-found">{format!("now: {found}")}</span> }
                                        </li>
                                    }
                                }) }
                            </ul>
                        }
                        <div role="status" class="step-status">
                            if done {
                                <p class="lesson-done">{"✓ Step done."}</p>
                            }
                        </div>
                        if done {
                            <button class="btn btn-primary" title="Shortcut: n" onclick={link.callback(|_| Msg::Next)}>
                                {if last { "Finish the lesson" } else { "Next step" }}
                            </button>
                        }
                    </div>
                }
            }
        }
    };
    html! {
        <section class="lesson" aria-labelledby="lesson-title">
            <button class="btn-link" onclick={link.callback(|_| Msg::List)}>{"← All lessons"}</button>
            <h3 id="lesson-title">{lesson.title.clone()}</h3>
            { body }
        </section>
    }
}

/// The "predict what will happen" question: the choices until one is made, then the choice,
/// and once the step is done the right answer beside it.
fn prediction(predict: &Predict, answer: Option<usize>, done: bool, link: &Scope<Teach>) -> Html {
    let right = predict
        .options
        .get(predict.answer)
        .cloned()
        .unwrap_or_default();
    let verdict = match (answer, done) {
        (None, _) => "Choose an answer: then the commands show.".to_string(),
        (Some(_), false) => "Noted. Now do the step and watch what happens.".to_string(),
        (Some(a), true) if a == predict.answer => format!("You predicted right: {right}."),
        (Some(_), true) => format!("The answer was: {right}."),
    };
    html! {
        <fieldset class="predict">
            <legend>{format!("Predict: {}", predict.question)}</legend>
            <div class="predict-options">
                { for predict.options.iter().enumerate().map(|(i, option)| {
                    let right = done && i == predict.answer;
                    html! {
                        <button class={classes!("btn", "predict-option", right.then_some("predict-right"))}
                            aria-pressed={(answer == Some(i)).to_string()}
                            disabled={answer.is_some()}
                            onclick={link.callback(move |_| Msg::Answer(i))}>
                            {option.clone()}
                            if right { {" ✓"} }
                        </button>
                    }
                }) }
            </div>
            <p class="hint" aria-live="polite">{verdict}</p>
        </fieldset>
    }
}
