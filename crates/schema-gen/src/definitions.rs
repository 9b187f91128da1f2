//! Runs schemars over k8s-openapi's root types: the JSON Schema definitions of every type the
//! simulation stores, and of everything they reference.

use k8s_openapi::api::{
    apps::v1 as apps, core::v1 as core, discovery::v1 as discovery, networking::v1 as networking,
};
use schemars::{generate::SchemaSettings, JsonSchema, SchemaGenerator};
use serde_json::{Map, Value};

/// Where schemars puts the definitions in draft 2020-12, as it appears in `$ref` values.
pub const REF_PREFIX: &str = "#/$defs/";

/// The definitions reachable from the root kinds, keyed by schema name
/// (`io.k8s.api.core.v1.PodSpec`), and the root kinds' schema names.
pub struct Definitions {
    /// Every non-inlined schema schemars generated, by schema name.
    pub schemas: Map<String, Value>,
    /// The schema names of the kinds the simulation stores, the roots of the walk.
    pub roots: Vec<String>,
}

/// Generates the definitions for the kinds kplay-core serves.
pub fn generate() -> Definitions {
    let mut generator = SchemaSettings::draft2020_12().into_generator();
    let mut roots = Vec::new();
    add::<core::Namespace>(&mut generator, &mut roots);
    add::<core::Node>(&mut generator, &mut roots);
    add::<core::Pod>(&mut generator, &mut roots);
    add::<core::Service>(&mut generator, &mut roots);
    add::<core::Event>(&mut generator, &mut roots);
    add::<core::Endpoints>(&mut generator, &mut roots);
    add::<core::ConfigMap>(&mut generator, &mut roots);
    add::<apps::Deployment>(&mut generator, &mut roots);
    add::<apps::ReplicaSet>(&mut generator, &mut roots);
    add::<networking::NetworkPolicy>(&mut generator, &mut roots);
    add::<discovery::EndpointSlice>(&mut generator, &mut roots);
    Definitions {
        schemas: generator.take_definitions(true),
        roots,
    }
}

/// Adds `T` (and, transitively, the types it references) to the generator's definitions.
fn add<T: JsonSchema>(generator: &mut SchemaGenerator, roots: &mut Vec<String>) {
    generator.subschema_for::<T>();
    roots.push(T::schema_name().into_owned());
}
