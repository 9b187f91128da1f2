//! The Kubernetes API types the simulation stores, written for size: each struct types the
//! fields the controllers, kubelet model and kubectl read or write, with the names
//! `k8s-openapi` gives them, and keeps every other real field of a manifest in `extra`.
//! Which fields are real, and their types, comes from the generated schema
//! ([`crate::api::schema`]).

pub mod json;

mod apps;
mod cluster;
mod endpoints;
mod meta;
mod networking;
mod pod;

pub use apps::*;
pub use cluster::*;
pub use endpoints::*;
pub use json::{FromJson, ToJson};
pub use meta::*;
pub use networking::*;
pub use pod::*;

#[cfg(test)]
mod tests {
    use super::json::Described;
    use super::*;
    use crate::api::schema::field_type;

    fn check<T: Described>(key: &str, problems: &mut Vec<String>) {
        for (field, ours) in T::fields() {
            match field_type(key, field) {
                None => problems.push(format!("{key}.{field} is not an API field")),
                // A nested struct is `@` here and `@key` in the schema.
                Some(theirs)
                    if !(theirs == ours || ours.ends_with('@') && theirs.starts_with(&ours)) =>
                {
                    problems.push(format!("{key}.{field}: ours {ours}, the API's {theirs}"))
                }
                Some(_) => {}
            }
        }
    }

    #[test]
    fn typed_fields_are_real_api_fields_of_the_right_type() {
        let mut problems = Vec::new();
        let p = &mut problems;
        check::<ObjectMeta>("meta.v1.ObjectMeta", p);
        check::<OwnerReference>("meta.v1.OwnerReference", p);
        check::<LabelSelector>("meta.v1.LabelSelector", p);
        check::<LabelSelectorRequirement>("meta.v1.LabelSelectorRequirement", p);
        check::<Deployment>("apps.v1.Deployment", p);
        check::<DeploymentSpec>("apps.v1.DeploymentSpec", p);
        check::<DeploymentStrategy>("apps.v1.DeploymentStrategy", p);
        check::<RollingUpdateDeployment>("apps.v1.RollingUpdateDeployment", p);
        check::<DeploymentStatus>("apps.v1.DeploymentStatus", p);
        check::<DeploymentCondition>("apps.v1.DeploymentCondition", p);
        check::<ReplicaSet>("apps.v1.ReplicaSet", p);
        check::<ReplicaSetSpec>("apps.v1.ReplicaSetSpec", p);
        check::<ReplicaSetStatus>("apps.v1.ReplicaSetStatus", p);
        check::<ReplicaSetCondition>("apps.v1.ReplicaSetCondition", p);
        check::<Pod>("core.v1.Pod", p);
        check::<PodTemplateSpec>("core.v1.PodTemplateSpec", p);
        check::<PodSpec>("core.v1.PodSpec", p);
        check::<PodReadinessGate>("core.v1.PodReadinessGate", p);
        check::<Container>("core.v1.Container", p);
        check::<ContainerPort>("core.v1.ContainerPort", p);
        check::<Probe>("core.v1.Probe", p);
        check::<HTTPGetAction>("core.v1.HTTPGetAction", p);
        check::<TCPSocketAction>("core.v1.TCPSocketAction", p);
        check::<ExecAction>("core.v1.ExecAction", p);
        check::<Lifecycle>("core.v1.Lifecycle", p);
        check::<LifecycleHandler>("core.v1.LifecycleHandler", p);
        check::<SleepAction>("core.v1.SleepAction", p);
        check::<ResourceRequirements>("core.v1.ResourceRequirements", p);
        check::<Toleration>("core.v1.Toleration", p);
        check::<PodStatus>("core.v1.PodStatus", p);
        check::<HostIP>("core.v1.HostIP", p);
        check::<PodIP>("core.v1.PodIP", p);
        check::<PodCondition>("core.v1.PodCondition", p);
        check::<ContainerStatus>("core.v1.ContainerStatus", p);
        check::<ContainerState>("core.v1.ContainerState", p);
        check::<ContainerStateRunning>("core.v1.ContainerStateRunning", p);
        check::<ContainerStateTerminated>("core.v1.ContainerStateTerminated", p);
        check::<ContainerStateWaiting>("core.v1.ContainerStateWaiting", p);
        check::<Node>("core.v1.Node", p);
        check::<NodeSpec>("core.v1.NodeSpec", p);
        check::<Taint>("core.v1.Taint", p);
        check::<NodeStatus>("core.v1.NodeStatus", p);
        check::<NodeAddress>("core.v1.NodeAddress", p);
        check::<NodeCondition>("core.v1.NodeCondition", p);
        check::<NodeSystemInfo>("core.v1.NodeSystemInfo", p);
        check::<Namespace>("core.v1.Namespace", p);
        check::<NamespaceSpec>("core.v1.NamespaceSpec", p);
        check::<NamespaceStatus>("core.v1.NamespaceStatus", p);
        check::<Service>("core.v1.Service", p);
        check::<ServiceSpec>("core.v1.ServiceSpec", p);
        check::<ServicePort>("core.v1.ServicePort", p);
        check::<ServiceStatus>("core.v1.ServiceStatus", p);
        check::<LoadBalancerStatus>("core.v1.LoadBalancerStatus", p);
        check::<LoadBalancerIngress>("core.v1.LoadBalancerIngress", p);
        check::<Endpoints>("core.v1.Endpoints", p);
        check::<EndpointSubset>("core.v1.EndpointSubset", p);
        check::<EndpointAddress>("core.v1.EndpointAddress", p);
        check::<EndpointPort>("core.v1.EndpointPort", p);
        check::<EndpointSlice>("discovery.v1.EndpointSlice", p);
        check::<Endpoint>("discovery.v1.Endpoint", p);
        check::<EndpointConditions>("discovery.v1.EndpointConditions", p);
        check::<SliceEndpointPort>("discovery.v1.EndpointPort", p);
        check::<Event>("core.v1.Event", p);
        check::<ObjectReference>("core.v1.ObjectReference", p);
        check::<EventSource>("core.v1.EventSource", p);
        check::<NetworkPolicy>("networking.v1.NetworkPolicy", p);
        check::<NetworkPolicySpec>("networking.v1.NetworkPolicySpec", p);
        check::<NetworkPolicyIngressRule>("networking.v1.NetworkPolicyIngressRule", p);
        check::<NetworkPolicyEgressRule>("networking.v1.NetworkPolicyEgressRule", p);
        check::<NetworkPolicyPeer>("networking.v1.NetworkPolicyPeer", p);
        check::<IPBlock>("networking.v1.IPBlock", p);
        check::<NetworkPolicyPort>("networking.v1.NetworkPolicyPort", p);
        assert!(problems.is_empty(), "{problems:#?}");
    }
}
