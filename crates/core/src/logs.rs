//! What `kubectl logs` reads: the lines a container printed, rebuilt from its status and the
//! image catalogue, and the kubelet's refusals (`validateContainerLogStatus` in
//! `pkg/kubelet/kubelet_pods.go`).
