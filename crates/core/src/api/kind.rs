//! The resource kinds of the simulation with the facts the API server knows about them.

use std::fmt;

/// A resource kind the simulated API server serves. The order is the order in which
/// `kubectl get all` style listings and state hashes visit kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// `v1/Namespace`, cluster-scoped.
    Namespace,
    /// `v1/Node`, cluster-scoped.
    Node,
    /// `v1/Pod`.
    Pod,
    /// `v1/Service`.
    Service,
    /// `v1/Endpoints`.
    Endpoints,
    /// `discovery.k8s.io/v1/EndpointSlice`.
    EndpointSlice,
    /// `apps/v1/Deployment`.
    Deployment,
    /// `apps/v1/ReplicaSet`.
    ReplicaSet,
    /// `networking.k8s.io/v1/NetworkPolicy`.
    NetworkPolicy,
    /// `v1/Event`.
    Event,
}

impl Kind {
    /// Every kind, in a fixed order.
    pub const ALL: [Kind; 10] = [
        Kind::Namespace,
        Kind::Node,
        Kind::Pod,
        Kind::Service,
        Kind::Endpoints,
        Kind::EndpointSlice,
        Kind::Deployment,
        Kind::ReplicaSet,
        Kind::NetworkPolicy,
        Kind::Event,
    ];

    /// The kind's position in [`Kind::ALL`], for tables indexed by kind.
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The `kind` field value, e.g. `Deployment`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Namespace => "Namespace",
            Kind::Node => "Node",
            Kind::Pod => "Pod",
            Kind::Service => "Service",
            Kind::Endpoints => "Endpoints",
            Kind::EndpointSlice => "EndpointSlice",
            Kind::Deployment => "Deployment",
            Kind::ReplicaSet => "ReplicaSet",
            Kind::NetworkPolicy => "NetworkPolicy",
            Kind::Event => "Event",
        }
    }

    /// The API group (empty for the core group), e.g. `apps`.
    pub fn group(self) -> &'static str {
        match self {
            Kind::Deployment | Kind::ReplicaSet => "apps",
            Kind::EndpointSlice => "discovery.k8s.io",
            Kind::NetworkPolicy => "networking.k8s.io",
            _ => "",
        }
    }

    /// The `apiVersion` field value, e.g. `apps/v1`.
    pub fn api_version(self) -> &'static str {
        match self.group() {
            "apps" => "apps/v1",
            "discovery.k8s.io" => "discovery.k8s.io/v1",
            "networking.k8s.io" => "networking.k8s.io/v1",
            _ => "v1",
        }
    }

    /// The lower-case plural resource name, e.g. `deployments`.
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Namespace => "namespaces",
            Kind::Node => "nodes",
            Kind::Pod => "pods",
            Kind::Service => "services",
            Kind::Endpoints => "endpoints",
            Kind::EndpointSlice => "endpointslices",
            Kind::Deployment => "deployments",
            Kind::ReplicaSet => "replicasets",
            Kind::NetworkPolicy => "networkpolicies",
            Kind::Event => "events",
        }
    }

    /// `resource.group` as the API server writes it in errors, e.g. `deployments.apps`
    /// or `pods`.
    pub fn qualified_resource(self) -> String {
        match self.group() {
            "" => self.plural().to_string(),
            group => format!("{}.{}", self.plural(), group),
        }
    }

    /// Whether objects of this kind live in a namespace.
    pub fn namespaced(self) -> bool {
        !matches!(self, Kind::Namespace | Kind::Node)
    }

    /// The kind whose `kind` field is `name`, if the simulation serves it.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::Kind;

    #[test]
    fn index_is_the_position_in_all() {
        for (i, kind) in Kind::ALL.into_iter().enumerate() {
            assert_eq!(kind.index(), i, "{kind:?}");
        }
    }
}
