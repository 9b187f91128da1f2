//! `core/v1.Endpoints` and `discovery.k8s.io/v1.EndpointSlice`: the pod addresses behind a
//! Service, as the endpoints and endpointslice controllers write them.

use super::cluster::ObjectReference;
use super::json::api_struct;
use super::meta::ObjectMeta;

api_struct!(
    /// `core/v1.Endpoints`: one object per Service, named after it.
    Endpoints {
        metadata: ObjectMeta = "metadata",
        subsets: Option<Vec<EndpointSubset>> = "subsets",
    }
);

api_struct!(
    /// `core/v1.EndpointSubset`: addresses that share one set of ports.
    EndpointSubset {
        addresses: Option<Vec<EndpointAddress>> = "addresses",
        not_ready_addresses: Option<Vec<EndpointAddress>> = "notReadyAddresses",
        ports: Option<Vec<EndpointPort>> = "ports",
    }
);

api_struct!(
    /// `core/v1.EndpointAddress`: a pod's IP, its node and a reference to it.
    EndpointAddress {
        hostname: Option<String> = "hostname",
        ip: String = "ip",
        node_name: Option<String> = "nodeName",
        target_ref: Option<ObjectReference> = "targetRef",
    }
);

api_struct!(
    /// `core/v1.EndpointPort`: the Service port's name with the resolved target port.
    EndpointPort {
        name: Option<String> = "name",
        port: i32 = "port",
        protocol: Option<String> = "protocol",
    }
);

api_struct!(
    /// `discovery.k8s.io/v1.EndpointSlice`: a Service's endpoints with their conditions.
    EndpointSlice {
        address_type: String = "addressType",
        endpoints: Option<Vec<Endpoint>> = "endpoints",
        metadata: ObjectMeta = "metadata",
        ports: Option<Vec<SliceEndpointPort>> = "ports",
    }
);

api_struct!(
    /// `discovery.k8s.io/v1.Endpoint`: one pod of a slice.
    Endpoint {
        addresses: Vec<String> = "addresses",
        conditions: Option<EndpointConditions> = "conditions",
        node_name: Option<String> = "nodeName",
        target_ref: Option<ObjectReference> = "targetRef",
    }
);

api_struct!(
    /// `discovery.k8s.io/v1.EndpointConditions`: ready, serving, terminating.
    EndpointConditions {
        ready: Option<bool> = "ready",
        serving: Option<bool> = "serving",
        terminating: Option<bool> = "terminating",
    }
);

api_struct!(
    /// `discovery.k8s.io/v1.EndpointPort` (named apart from the core one).
    SliceEndpointPort {
        name: Option<String> = "name",
        port: Option<i32> = "port",
        protocol: Option<String> = "protocol",
    }
);
