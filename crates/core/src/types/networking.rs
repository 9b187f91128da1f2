//! `networking.k8s.io/v1.NetworkPolicy`: which connections the network plugin allows to and
//! from the pods a policy selects.

use super::json::api_struct;
use super::meta::{IntOrString, LabelSelector, ObjectMeta};

api_struct!(
    /// `networking/v1.NetworkPolicy`.
    NetworkPolicy {
        metadata: ObjectMeta = "metadata",
        spec: Option<NetworkPolicySpec> = "spec",
    }
);

api_struct!(
    /// `networking/v1.NetworkPolicySpec`: the pods it selects in its namespace, the directions
    /// it isolates them in, and what it allows in each.
    NetworkPolicySpec {
        egress: Option<Vec<NetworkPolicyEgressRule>> = "egress",
        ingress: Option<Vec<NetworkPolicyIngressRule>> = "ingress",
        pod_selector: LabelSelector = "podSelector",
        policy_types: Option<Vec<String>> = "policyTypes",
    }
);

api_struct!(
    /// `networking/v1.NetworkPolicyIngressRule`: connections from these peers to these ports.
    NetworkPolicyIngressRule {
        from: Option<Vec<NetworkPolicyPeer>> = "from",
        ports: Option<Vec<NetworkPolicyPort>> = "ports",
    }
);

api_struct!(
    /// `networking/v1.NetworkPolicyEgressRule`: connections to these peers on these ports.
    NetworkPolicyEgressRule {
        ports: Option<Vec<NetworkPolicyPort>> = "ports",
        to: Option<Vec<NetworkPolicyPeer>> = "to",
    }
);

api_struct!(
    /// `networking/v1.NetworkPolicyPeer`: pods by label (in namespaces by label), or addresses.
    NetworkPolicyPeer {
        ip_block: Option<IPBlock> = "ipBlock",
        namespace_selector: Option<LabelSelector> = "namespaceSelector",
        pod_selector: Option<LabelSelector> = "podSelector",
    }
);

api_struct!(
    /// `networking/v1.IPBlock`: a CIDR, minus the CIDRs in `except`.
    IPBlock {
        cidr: String = "cidr",
        except: Option<Vec<String>> = "except",
    }
);

api_struct!(
    /// `networking/v1.NetworkPolicyPort`: a protocol and a port (number or the destination
    /// pod's port name), or a range up to `endPort`.
    NetworkPolicyPort {
        end_port: Option<i32> = "endPort",
        port: Option<IntOrString> = "port",
        protocol: Option<String> = "protocol",
    }
);
