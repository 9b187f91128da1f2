//! Resource names as kubectl accepts them (plural, singular, short names, `kind.group`) and
//! the `TYPE NAME...` / `TYPE/NAME` argument forms of `kubectl get|delete|scale`.

use kplay_core::Kind;

/// The kind a resource word names: `deployments`, `deployment`, `deploy`,
/// `deployments.apps`, `Deployment` (kubectl lower-cases it first), or `None` if the
/// simulated API server has no such resource.
pub fn kind_of(word: &str) -> Option<Kind> {
    let word = word.to_ascii_lowercase();
    // `deployments.apps` and `deployments.v1.apps` name the group explicitly.
    let (resource, group) = match word.split_once('.') {
        Some((r, g)) => (r, Some(g.rsplit('.').next().unwrap_or(g))),
        None => (word.as_str(), None),
    };
    let kind = match resource {
        "pods" | "pod" | "po" => Kind::Pod,
        "services" | "service" | "svc" => Kind::Service,
        "endpoints" | "ep" => Kind::Endpoints,
        "endpointslices" | "endpointslice" => Kind::EndpointSlice,
        "deployments" | "deployment" | "deploy" => Kind::Deployment,
        "replicasets" | "replicaset" | "rs" => Kind::ReplicaSet,
        "nodes" | "node" | "no" => Kind::Node,
        "namespaces" | "namespace" | "ns" => Kind::Namespace,
        "events" | "event" | "ev" => Kind::Event,
        "networkpolicies" | "networkpolicy" | "netpol" => Kind::NetworkPolicy,
        _ => return None,
    };
    match group {
        Some(g) if g != kind.group() && !(g == "v1" && kind.group().is_empty()) => None,
        _ => Some(kind),
    }
}

/// `kind.group` in lower case as the name printer writes it: `deployment.apps`, `pod`.
pub fn kind_group(kind: Kind) -> String {
    match kind.group() {
        "" => kind.name().to_ascii_lowercase(),
        group => format!("{}.{group}", kind.name().to_ascii_lowercase()),
    }
}

/// What a command's resource arguments ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// The resource words as typed (`deploy`, `all`), in order, without duplicates.
    pub types: Vec<String>,
    /// `(type word, name)` pairs; empty means "every object of the types".
    pub names: Vec<(String, String)>,
}

/// Splits `TYPE[,TYPE...] [NAME...]` or `TYPE/NAME...` into a [`Selection`], with kubectl's
/// error for mixing the two forms.
pub fn select(args: &[String]) -> Result<Selection, String> {
    let Some(first) = args.first() else {
        return Ok(Selection {
            types: Vec::new(),
            names: Vec::new(),
        });
    };
    if args.iter().any(|a| a.contains('/')) {
        if !first.contains('/') {
            return Err(
                "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'"
                    .to_string(),
            );
        }
        let mut types = Vec::new();
        let mut names = Vec::new();
        for arg in args {
            let (t, n) = arg.split_once('/').unwrap_or((arg.as_str(), ""));
            if t.is_empty() || n.is_empty() {
                return Err(
                    "arguments in resource/name form must have a single resource and name"
                        .to_string(),
                );
            }
            if !types.iter().any(|x| x == t) {
                types.push(t.to_string());
            }
            names.push((t.to_string(), n.to_string()));
        }
        return Ok(Selection { types, names });
    }
    let mut types: Vec<String> = Vec::new();
    for t in first.split(',').filter(|t| !t.is_empty()) {
        if !types.iter().any(|x| x == t) {
            types.push(t.to_string());
        }
    }
    let mut names = Vec::new();
    for name in &args[1..] {
        for t in &types {
            names.push((t.clone(), name.clone()));
        }
    }
    Ok(Selection { types, names })
}

/// kubectl's error for a resource word the server does not serve.
pub fn unknown_type_error(word: &str) -> String {
    format!("error: the server doesn't have a resource type \"{word}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_words() {
        let cases: &[(&str, Option<Kind>)] = &[
            ("deploy", Some(Kind::Deployment)),
            ("Deployments", Some(Kind::Deployment)),
            ("deployments.apps", Some(Kind::Deployment)),
            ("deployments.v1.apps", Some(Kind::Deployment)),
            ("rs", Some(Kind::ReplicaSet)),
            ("po", Some(Kind::Pod)),
            ("no", Some(Kind::Node)),
            ("ns", Some(Kind::Namespace)),
            ("svc", Some(Kind::Service)),
            ("pods.apps", None),
            ("foo", None),
        ];
        for (word, kind) in cases {
            assert_eq!(kind_of(word), *kind, "{word}");
        }
        assert_eq!(kind_group(Kind::Deployment), "deployment.apps");
        assert_eq!(kind_group(Kind::Service), "service");
    }

    #[test]
    fn argument_forms() {
        let a = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        let s = select(&a("deploy,rs web")).expect("ok");
        assert_eq!(s.types, a("deploy rs"));
        assert_eq!(s.names.len(), 2);
        let s = select(&a("deployment/web pod/x")).expect("ok");
        assert_eq!(
            s.names,
            vec![
                ("deployment".into(), "web".into()),
                ("pod".into(), "x".into())
            ]
        );
        assert!(select(&a("deployment deployment/web")).is_err());
    }
}
