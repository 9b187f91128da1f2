//! Owner references: which object controls which (`metav1.GetControllerOf`), the links the
//! controllers claim objects by and the garbage collector follows.

use crate::api::ApiObject;
use crate::types::{ObjectMeta, OwnerReference};

/// The owner reference marked `controller: true`, if any (`metav1.GetControllerOf`).
pub fn controller_of(meta: &ObjectMeta) -> Option<&OwnerReference> {
    meta.owner_references
        .iter()
        .flatten()
        .find(|r| r.controller == Some(true))
}

/// Whether the object's controller is the object with `uid`
/// (`metav1.GetControllerOf(...).UID == uid`).
pub fn is_controlled_by(meta: &ObjectMeta, uid: &str) -> bool {
    controller_of(meta).is_some_and(|r| r.uid == uid)
}

/// `metav1.NewControllerRef`: the reference a controller puts on what it creates or adopts,
/// marked as the controller and blocking the owner's foreground deletion.
pub fn new_controller_ref<T: ApiObject>(owner: &T) -> OwnerReference {
    let meta = owner.meta();
    OwnerReference {
        api_version: T::KIND.api_version().to_string(),
        kind: T::KIND.name().to_string(),
        name: meta.name.clone().unwrap_or_default(),
        uid: meta.uid.clone().unwrap_or_default(),
        controller: Some(true),
        block_owner_deletion: Some(true),
        ..Default::default()
    }
}
