//! Errors in the shape of the API server's `metav1.Status`: kubectl turns them into its words.

use super::Kind;

/// The `reason` of a failed API call, as in `metav1.StatusReason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusReason {
    /// 404: the object does not exist.
    NotFound,
    /// 409: an object with that name exists already.
    AlreadyExists,
    /// 409: a conflicting change (e.g. a stale resourceVersion).
    Conflict,
    /// 422: the object failed validation; the causes say which fields.
    Invalid,
    /// 400: the request itself is malformed (e.g. an unknown field under strict decoding).
    BadRequest,
    /// 403: the request is refused (e.g. creating in a namespace that is terminating).
    Forbidden,
    /// 500: the server failed (e.g. a Service allocator's range is full).
    InternalError,
}

impl StatusReason {
    /// The HTTP status code the API server answers with.
    pub fn code(self) -> u16 {
        match self {
            StatusReason::NotFound => 404,
            StatusReason::AlreadyExists | StatusReason::Conflict => 409,
            StatusReason::Invalid => 422,
            StatusReason::BadRequest => 400,
            StatusReason::Forbidden => 403,
            StatusReason::InternalError => 500,
        }
    }

    /// The reason as the API server spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            StatusReason::NotFound => "NotFound",
            StatusReason::AlreadyExists => "AlreadyExists",
            StatusReason::Conflict => "Conflict",
            StatusReason::Invalid => "Invalid",
            StatusReason::BadRequest => "BadRequest",
            StatusReason::Forbidden => "Forbidden",
            StatusReason::InternalError => "InternalError",
        }
    }
}

/// One field-level cause of an `Invalid` error, e.g.
/// `spec.replicas: Invalid value: -1: must be greater than or equal to 0`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cause {
    /// The field path, e.g. `spec.replicas`.
    pub field: String,
    /// The full cause text after the field, e.g. `Invalid value: -1: must be ...`.
    pub message: String,
}

/// A rejected API call. Nothing in the store changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// Why the call failed.
    pub reason: StatusReason,
    /// The kind of the object concerned.
    pub kind: Kind,
    /// The object's name (may be empty when unknown).
    pub name: String,
    /// The `message` of the Status, as the API server writes it.
    pub message: String,
    /// Field causes for `Invalid`.
    pub causes: Vec<Cause>,
}

impl ApiError {
    /// `deployments.apps "web" not found`.
    pub fn not_found(kind: Kind, name: &str) -> Self {
        ApiError {
            reason: StatusReason::NotFound,
            kind,
            name: name.to_string(),
            message: format!("{} \"{}\" not found", kind.qualified_resource(), name),
            causes: Vec::new(),
        }
    }

    /// `deployments.apps "web" already exists`.
    pub fn already_exists(kind: Kind, name: &str) -> Self {
        ApiError {
            reason: StatusReason::AlreadyExists,
            kind,
            name: name.to_string(),
            message: format!("{} \"{}\" already exists", kind.qualified_resource(), name),
            causes: Vec::new(),
        }
    }

    /// An `Invalid` error with its field causes; the message is the API server's
    /// `Deployment.apps "web" is invalid: [cause, cause]` form.
    pub fn invalid(kind: Kind, name: &str, causes: Vec<Cause>) -> Self {
        let group_kind = match kind.group() {
            "" => kind.name().to_string(),
            g => format!("{}.{}", kind.name(), g),
        };
        let list: Vec<String> = causes
            .iter()
            .map(|c| format!("{}: {}", c.field, c.message))
            .collect();
        let joined = if list.len() == 1 {
            list[0].clone()
        } else {
            format!("[{}]", list.join(", "))
        };
        ApiError {
            reason: StatusReason::Invalid,
            kind,
            name: name.to_string(),
            message: format!("{group_kind} \"{name}\" is invalid: {joined}"),
            causes,
        }
    }

    /// A `BadRequest` with the given message (e.g. strict decoding errors).
    pub fn bad_request(kind: Kind, name: &str, message: String) -> Self {
        ApiError {
            reason: StatusReason::BadRequest,
            kind,
            name: name.to_string(),
            message,
            causes: Vec::new(),
        }
    }

    /// A `Forbidden` with the given message.
    pub fn forbidden(kind: Kind, name: &str, message: String) -> Self {
        ApiError {
            reason: StatusReason::Forbidden,
            kind,
            name: name.to_string(),
            message,
            causes: Vec::new(),
        }
    }
}

impl ApiError {
    /// `errors.NewInternalError`: `Internal error occurred: <detail>`.
    pub fn internal(kind: Kind, name: &str, detail: &str) -> Self {
        ApiError {
            reason: StatusReason::InternalError,
            kind,
            name: name.to_string(),
            message: format!("Internal error occurred: {detail}"),
            causes: Vec::new(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}
