//! The Export tab: everything the learner made, as YAML for a real cluster and as a shell
//! script of the session; and Import, which applies pasted YAML in the playground.

use crate::teach::{Msg, Teach};
use yew::html::Scope;
use yew::prelude::*;

/// What the tab shows: the exports as of a virtual moment, and the import text.
pub fn export(yaml: &str, script: &str, moment: &str, link: &Scope<Teach>) -> Html {
    let block = |id: &'static str,
                 title: &'static str,
                 hint: &'static str,
                 text: String,
                 file: &'static str| {
        let copy = text.clone();
        let save = text.clone();
        html! {
            <section class="export" aria-labelledby={id}>
                <h3 {id}>{title}</h3>
                <p class="hint">{hint}</p>
                <textarea readonly=true rows="10" aria-label={title} value={text} />
                <div class="lesson-actions">
                    <button class="btn" onclick={link.callback(move |_| Msg::Copy(copy.clone()))}>{"Copy"}</button>
                    <button class="btn" onclick={link.callback(move |_| Msg::Download(file, save.clone()))}>{format!("Download {file}")}</button>
                </div>
            </section>
        }
    };
    let empty = yaml.is_empty();
    html! {
        <>
            <p class="hint">{format!("As of {moment} of virtual time. ")}
                <button class="btn-link" onclick={link.callback(|_| Msg::Tab(crate::teach::Tab::Export))}>{"Refresh"}</button></p>
            if empty {
                <p>{"Nothing to export yet: the objects you create (Deployments, Services, NetworkPolicies, namespaces, bare pods) appear here."}</p>
            } else {
                { block("export-yaml", "Objects as YAML", "What you made, without what the cluster set (status, uids, versions, allocated IPs and node ports): kubectl apply -f accepts it on a real cluster.", yaml.to_string(), "kplay-objects.yaml") }
            }
            { block("export-script", "The session as a shell script", "Every command you ran, for a real cluster: waits become kubectl rollout status, generated pod names become lookups by label, kplay's own lines become comments.", script.to_string(), "kplay-session.sh") }
            <section class="export" aria-labelledby="import-title">
                <h3 id="import-title">{"Import YAML"}</h3>
                <p class="hint">{"Paste manifests (several, separated by ---): they are applied with kubectl apply in the console, which reports each document."}</p>
                <textarea id="import-yaml" rows="8" aria-label="YAML to import" spellcheck="false" />
                <button class="btn btn-primary" onclick={link.callback(|_| Msg::Import)}>{"Apply to the playground"}</button>
            </section>
        </>
    }
}
