//! The page's components, one per part of the screen. Each takes small props (values from the
//! [`crate::snapshot`] and stable callbacks) so that Yew skips the parts that did not change.

mod console;
mod deployment;
mod empty;
mod header;
mod legend;
mod nodes;
mod pod;

pub use console::Console;
pub use deployment::DeploymentCard;
pub use empty::EmptyState;
pub use header::Header;
pub use legend::Legend;
pub use nodes::Nodes;
pub use pod::OtherPods;
