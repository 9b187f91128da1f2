//! A Service card, drawn in front of the Deployments it selects: its type, ClusterIP,
//! external IP and ports as `kubectl get svc` prints them, and what each means.

use super::inspector::{inspect_button, Inspected};
use super::traffic::TrafficControls;
use crate::snapshot::{ServiceView, SourceView};
use kplay_core::Kind;
use yew::prelude::*;

/// Props of [`ServiceCard`].
#[derive(Properties, PartialEq)]
pub struct ServiceCardProps {
    /// The Service.
    pub service: ServiceView,
    /// Opens the inspector.
    pub inspect: Callback<Inspected>,
    /// Its traffic source, while traffic is on.
    pub source: Option<SourceView>,
    /// A pod that can send it traffic from inside the cluster.
    pub client: Option<AttrValue>,
    /// Runs a command line.
    pub run: Callback<String>,
}

/// What a Service's type means, in a learner's words.
fn explain(service: &ServiceView) -> String {
    let node_port = service
        .ports
        .split(',')
        .find_map(|p| {
            p.split_once(':')
                .map(|(_, rest)| rest.split('/').next().unwrap_or(""))
        })
        .filter(|p| !p.is_empty())
        .map_or_else(|| "a node port".to_string(), |p| format!("port {p}"));
    match service.type_.as_str() {
        "NodePort" => format!(
            "Reachable inside the cluster at {} and from outside on {node_port} of every node.",
            service.cluster_ip
        ),
        "LoadBalancer" if service.external_ip.as_str() == "<pending>" => format!(
            "EXTERNAL-IP stays <pending> until a load-balancer controller (a cloud provider, \
             MetalLB...) assigns one. Underneath it is a NodePort Service: {node_port} of \
             every node already reaches the pods."
        ),
        "LoadBalancer" => format!(
            "Clients outside reach {}; the load balancer forwards to {node_port} of the nodes, \
             which forward to ready pods.",
            service.external_ip
        ),
        "ExternalName" => format!(
            "No proxying: cluster DNS answers {} with a CNAME to {}.",
            service.name, service.external_ip
        ),
        _ if service.cluster_ip.as_str() == "None" => {
            "Headless: no virtual IP; cluster DNS answers with the ready pods' own IPs.".into()
        }
        _ => format!(
            "Reachable only inside the cluster, at {} or the DNS name {}.",
            service.cluster_ip, service.name
        ),
    }
}

/// One Service.
#[function_component]
pub fn ServiceCard(props: &ServiceCardProps) -> Html {
    let s = &props.service;
    html! {
        <article class="card service" data-testid={format!("service-{}", s.name)}
            aria-label={format!("Service {}", s.name)}>
            <header class="service-head">
                <h2>{ inspect_button(&props.inspect, Kind::Service, &s.name, "service/") }</h2>
                <span class="badge">{s.type_.clone()}</span>
            </header>
            <dl class="service-facts">
                <div><dt>{"CLUSTER-IP"}</dt><dd>{s.cluster_ip.clone()}</dd></div>
                <div><dt>{"EXTERNAL-IP"}</dt><dd data-testid={format!("external-ip-{}", s.name)}>{s.external_ip.clone()}</dd></div>
                <div><dt>{"PORT(S)"}</dt><dd>{s.ports.clone()}</dd></div>
                <div><dt>{"SELECTOR"}</dt><dd>{s.selector.clone()}</dd></div>
            </dl>
            <p class="hint">{explain(s)}</p>
            if s.targets.is_empty() {
                <p class="hint">{"Its selector matches no Deployment's pods: it has no endpoints."}</p>
            } else {
                <p class="service-targets">{"Sends traffic to the ready pods of "}
                    { for s.targets.iter().map(|t| html! { <code key={t.as_str()}>{format!("deployment/{t} ")}</code> }) }
                </p>
            }
            <TrafficControls service={s.name.clone()} type_={s.type_.clone()}
                source={props.source.clone()} client={props.client.clone()} run={&props.run} />
            // Where requests pass the Service on their way from the client to the pods below:
            // the card's lower edge, so that the dots cross no text.
            <span class="hub" data-hub={s.name.clone()} aria-hidden="true"></span>
        </article>
    }
}
