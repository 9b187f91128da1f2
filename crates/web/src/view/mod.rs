//! The page's components, one per part of the screen. Each takes small props (values from the
//! [`crate::snapshot`] and stable callbacks) so that Yew skips the parts that did not change.

mod console;
mod deployment;
mod editor;
mod empty;
mod events;
mod expose;
mod flow;
mod form;
mod header;
mod history;
mod inspector;
mod legend;
mod nodes;
mod patterns;
mod pod;
mod policies;
mod rollout;
mod service;
mod strategy;
mod traffic;

pub use console::Console;
pub use deployment::DeploymentCard;
pub use editor::Editor;
pub use empty::EmptyState;
pub use events::EventsPanel;
pub use flow::Flow;
pub use header::Header;
pub use inspector::{Inspected, Inspector};
pub use legend::Legend;
pub use nodes::Nodes;
pub use patterns::panel as patterns_panel;
pub use pod::OtherPods;
pub use policies::panel as policies_panel;
pub use service::ServiceCard;
pub use traffic::{Rollouts, TrafficPanel};
