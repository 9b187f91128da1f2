//! kubectl's words for failures, as `k8s.io/kubectl/pkg/cmd/util/helpers.go` (`CheckErr`,
//! `StandardErrorMessage`, `MultilineError`, `AddSourceToErr`) prints them in v1.32.

use kplay_core::api::StatusReason;
use kplay_core::ApiError;

/// One API error as `CheckErr` prints it when it is the command's only error: `Invalid`
/// errors with causes become `The Deployment "x" is invalid: <cause>` (one cause) or a
/// `* cause` list; everything else is `Error from server (Reason): message`.
pub fn api_error(err: &ApiError) -> String {
    if err.reason == StatusReason::Invalid && !err.causes.is_empty() {
        let head = format!("The {} \"{}\" is invalid: ", err.kind.name(), err.name);
        return match err.causes.as_slice() {
            [one] => format!("{head}{}: {}\n", one.field, one.message),
            many => {
                let mut text = format!("{head}\n");
                for cause in many {
                    text.push_str(&format!("* {}: {}\n", cause.field, cause.message));
                }
                text
            }
        };
    }
    standard_message(err)
}

/// `StandardErrorMessage` for an API status error: `Error from server (NotFound): ...`.
/// This is also how each error of an aggregate (several failed documents) is printed.
pub fn standard_message(err: &ApiError) -> String {
    format!(
        "Error from server ({}): {}\n",
        err.reason.as_str(),
        err.message
    )
}

/// `AddSourceToErr`: the API error's message gains `error when creating "FILE": `, keeping
/// its reason and causes (so an `Invalid` error alone still prints `The X "y" is invalid`).
pub fn with_source(verb: &str, source: &str, err: ApiError) -> ApiError {
    ApiError {
        message: format!("error when {verb} \"{source}\": {}", err.message),
        ..err
    }
}

/// A non-API error as `CheckErr` prints it: `error: ` is added unless present.
pub fn plain(message: &str) -> String {
    if message.starts_with("error: ") {
        format!("{message}\n")
    } else {
        format!("error: {message}\n")
    }
}

/// A flag or argument error as kubectl's `FlagErrorFunc` (templater.go) wraps it, then
/// `CheckErr` prints it: `error: unknown flag: --bogus` + `See 'kubectl get --help' for usage.`
pub fn usage(command_path: &str, message: &str) -> String {
    format!("error: {message}\nSee '{command_path} --help' for usage.\n")
}

/// `cmdutil.UsageErrorf`: `error: MSG` + `See 'kubectl scale -h' for help and examples`.
pub fn usage_examples(command_path: &str, message: &str) -> String {
    format!("error: {message}\nSee '{command_path} -h' for help and examples\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use kplay_core::api::Cause;
    use kplay_core::Kind;

    #[test]
    fn messages_as_kubectl_prints_them() {
        let cause = |f: &str, m: &str| Cause {
            field: f.into(),
            message: m.into(),
        };
        let cases: Vec<(ApiError, &str)> = vec![
            (
                ApiError::not_found(Kind::Deployment, "x"),
                "Error from server (NotFound): deployments.apps \"x\" not found\n",
            ),
            (
                ApiError::already_exists(Kind::Deployment, "web"),
                "Error from server (AlreadyExists): deployments.apps \"web\" already exists\n",
            ),
            (
                ApiError::invalid(
                    Kind::Deployment,
                    "web",
                    vec![cause("spec.replicas", "Invalid value: -1: must be greater than or equal to 0")],
                ),
                "The Deployment \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n",
            ),
            (
                ApiError::invalid(
                    Kind::Deployment,
                    "Bad_Name",
                    vec![cause("metadata.name", "Invalid value: \"Bad_Name\": bad"), cause("spec.replicas", "Required value")],
                ),
                "The Deployment \"Bad_Name\" is invalid: \n* metadata.name: Invalid value: \"Bad_Name\": bad\n* spec.replicas: Required value\n",
            ),
            (
                with_source("creating", "STDIN", ApiError::bad_request(Kind::Deployment, "web", "Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.replica\"".into())),
                "Error from server (BadRequest): error when creating \"STDIN\": Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.replica\"\n",
            ),
        ];
        for (err, want) in cases {
            assert_eq!(api_error(&err), want);
        }
        assert_eq!(
            usage("kubectl get", "unknown flag: --bogus"),
            "error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n"
        );
    }
}
