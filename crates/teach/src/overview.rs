//! The compact table view: one line per Deployment, as `kubectl get deployments -o wide`
//! reads plus its strategy and `kubectl rollout status`'s sentence, for following many
//! Deployments at a glance beside the animation.

use kplay_core::types::{Deployment, IntOrString};
use kplay_core::Cluster;

/// One Deployment's line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// `NAME`, or `NAMESPACE/NAME` outside the default namespace.
    pub name: String,
    /// READY: ready replicas / desired.
    pub ready: String,
    /// UP-TO-DATE.
    pub up_to_date: i32,
    /// AVAILABLE.
    pub available: i32,
    /// IMAGES, comma-separated.
    pub images: String,
    /// The strategy and its parameters.
    pub strategy: String,
    /// `kubectl rollout status`'s sentence.
    pub rollout: String,
}

/// Every Deployment outside `kube-system`, by namespace and name.
pub fn rows(cluster: &Cluster) -> Vec<Row> {
    cluster
        .store()
        .list::<Deployment>(None)
        .filter(|d| d.metadata.namespace.as_deref() != Some("kube-system"))
        .map(row)
        .collect()
}

fn row(d: &Deployment) -> Row {
    let namespace = d.metadata.namespace.as_deref().unwrap_or("default");
    let name = d.metadata.name.clone().unwrap_or_default();
    let status = d.status.clone().unwrap_or_default();
    let spec = d.spec.as_ref();
    let images: Vec<String> = spec
        .and_then(|s| s.template.spec.as_ref())
        .map(|p| {
            p.containers
                .iter()
                .filter_map(|c| c.image.clone())
                .collect()
        })
        .unwrap_or_default();
    let strategy = spec.and_then(|s| s.strategy.as_ref());
    let strategy = match strategy.and_then(|s| s.type_.as_deref()) {
        Some("Recreate") => "Recreate".to_string(),
        _ => {
            let rolling = strategy.and_then(|s| s.rolling_update.as_ref());
            let show = |v: Option<&IntOrString>| match v {
                Some(IntOrString::Int(n)) => n.to_string(),
                Some(IntOrString::String(s)) => s.clone(),
                None => "25%".to_string(),
            };
            format!(
                "RollingUpdate (surge {}, unavailable {})",
                show(rolling.and_then(|r| r.max_surge.as_ref())),
                show(rolling.and_then(|r| r.max_unavailable.as_ref()))
            )
        }
    };
    let rollout = match kplay_kubectl::commands::deployment_status(d) {
        Ok((sentence, _)) | Err(sentence) => sentence.trim_end().to_string(),
    };
    Row {
        name: if namespace == "default" {
            name
        } else {
            format!("{namespace}/{name}")
        },
        ready: format!(
            "{}/{}",
            status.ready_replicas.unwrap_or(0),
            spec.and_then(|s| s.replicas).unwrap_or(1)
        ),
        up_to_date: status.updated_replicas.unwrap_or(0),
        available: status.available_replicas.unwrap_or(0),
        images: images.join(","),
        strategy,
        rollout,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kplay_kubectl::script;

    #[test]
    fn one_line_per_deployment_as_kubectl_reads_it() {
        let mut cluster = Cluster::new(1);
        let source = "kubectl create deployment web --image=flask-app:1.0 --replicas=4\nkubectl create namespace team-a\nkubectl create deployment api -n team-a --image=nginx:1.27\nsleep 30s\nkubectl patch deployment web -p '{\"spec\":{\"strategy\":{\"rollingUpdate\":{\"maxSurge\":1,\"maxUnavailable\":0}}}}'\nsleep 30s\nkubectl set image deployment/web flask-app=flask-app:2.0\nsleep 1s\n";
        let parsed = script::parse(source).unwrap_or_else(|e| panic!("{e}"));
        script::run_script(&mut cluster, &parsed);
        let rows = rows(&cluster);
        assert_eq!(rows.len(), 2, "coredns is not listed: {rows:?}");
        let web = &rows[0];
        assert_eq!(
            (web.name.as_str(), web.ready.as_str(), web.images.as_str()),
            ("web", "4/4", "flask-app:2.0")
        );
        assert_eq!(web.strategy, "RollingUpdate (surge 1, unavailable 0)");
        assert!(web.up_to_date >= 1 && web.up_to_date < 4, "{web:?}");
        assert!(
            web.rollout
                .starts_with("Waiting for deployment \"web\" rollout to finish"),
            "{web:?}"
        );
        let api = &rows[1];
        assert_eq!(
            (api.name.as_str(), api.ready.as_str()),
            ("team-a/api", "1/1")
        );
        assert_eq!(api.strategy, "RollingUpdate (surge 25%, unavailable 25%)");
        assert_eq!(api.rollout, "deployment \"api\" successfully rolled out");
    }
}
