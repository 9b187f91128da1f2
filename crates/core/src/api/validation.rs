//! Defaulting and validation, as the API server applies them before storing an object.

use super::{ApiError, Object};

/// Checks the object's name.
pub fn validate_name(_object: &Object) -> Result<(), ApiError> {
    Ok(())
}

/// Fills in the defaults the API server sets.
pub fn default_object(_object: &mut Object) {}

/// Validates an object (on update, `old` is the stored object).
pub fn validate(_object: &Object, _old: Option<&Object>) -> Result<(), ApiError> {
    Ok(())
}
