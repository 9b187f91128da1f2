//! One enum over every kind the store holds, and the trait that gives typed access to it.

use super::Kind;
use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::core::v1::{Event, Namespace, Node, Pod, Service};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

/// The store's key: kind, namespace (empty for cluster-scoped kinds) and name. Its ordering is
/// the store's iteration order, which makes every listing deterministic.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectKey {
    /// The kind.
    pub kind: Kind,
    /// The namespace, or `""` for cluster-scoped kinds.
    pub namespace: String,
    /// The name.
    pub name: String,
}

impl ObjectKey {
    /// A key; the namespace is dropped for cluster-scoped kinds.
    pub fn new(kind: Kind, namespace: &str, name: &str) -> Self {
        let namespace = if kind.namespaced() { namespace } else { "" };
        ObjectKey {
            kind,
            namespace: namespace.to_string(),
            name: name.to_string(),
        }
    }
}

/// A stored object of any kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Object {
    /// A namespace.
    Namespace(Box<Namespace>),
    /// A node.
    Node(Box<Node>),
    /// A pod.
    Pod(Box<Pod>),
    /// A service.
    Service(Box<Service>),
    /// A deployment.
    Deployment(Box<Deployment>),
    /// A replica set.
    ReplicaSet(Box<ReplicaSet>),
    /// An event.
    Event(Box<Event>),
}

/// A typed API object the store can hold: the bridge between [`Object`] and the
/// `k8s-openapi` type of each kind.
pub trait ApiObject: Clone + PartialEq + serde::Serialize + Sized {
    /// The kind.
    const KIND: Kind;
    /// Wraps the typed object.
    fn into_object(self) -> Object;
    /// Borrows the typed object out of an [`Object`] of the same kind.
    fn from_object(object: &Object) -> Option<&Self>;
    /// Takes the typed object out of an [`Object`] of the same kind.
    fn from_object_owned(object: Object) -> Option<Self>;
    /// The object's metadata.
    fn meta(&self) -> &ObjectMeta;
    /// The object's metadata, mutably.
    fn meta_mut(&mut self) -> &mut ObjectMeta;
    /// Whether `other` differs from `self` in what bumps `metadata.generation` (the spec).
    fn spec_differs(&self, other: &Self) -> bool;
}

macro_rules! api_object {
    ($ty:ident, spec: $has_spec:tt) => {
        impl ApiObject for $ty {
            const KIND: Kind = Kind::$ty;
            fn into_object(self) -> Object {
                Object::$ty(Box::new(self))
            }
            fn from_object(object: &Object) -> Option<&Self> {
                match object {
                    Object::$ty(o) => Some(o),
                    _ => None,
                }
            }
            fn from_object_owned(object: Object) -> Option<Self> {
                match object {
                    Object::$ty(o) => Some(*o),
                    _ => None,
                }
            }
            fn meta(&self) -> &ObjectMeta {
                &self.metadata
            }
            fn meta_mut(&mut self) -> &mut ObjectMeta {
                &mut self.metadata
            }
            fn spec_differs(&self, other: &Self) -> bool {
                api_object!(@spec $has_spec, self, other)
            }
        }
    };
    (@spec true, $a:ident, $b:ident) => { $a.spec != $b.spec };
    (@spec false, $a:ident, $b:ident) => { { let _ = ($a, $b); false } };
}

api_object!(Namespace, spec: true);
api_object!(Node, spec: true);
api_object!(Pod, spec: true);
api_object!(Service, spec: true);
api_object!(Deployment, spec: true);
api_object!(ReplicaSet, spec: true);
api_object!(Event, spec: false);

impl Object {
    /// The object's kind.
    pub fn kind(&self) -> Kind {
        match self {
            Object::Namespace(_) => Kind::Namespace,
            Object::Node(_) => Kind::Node,
            Object::Pod(_) => Kind::Pod,
            Object::Service(_) => Kind::Service,
            Object::Deployment(_) => Kind::Deployment,
            Object::ReplicaSet(_) => Kind::ReplicaSet,
            Object::Event(_) => Kind::Event,
        }
    }

    /// The object's metadata.
    pub fn meta(&self) -> &ObjectMeta {
        match self {
            Object::Namespace(o) => o.meta(),
            Object::Node(o) => o.meta(),
            Object::Pod(o) => o.meta(),
            Object::Service(o) => o.meta(),
            Object::Deployment(o) => o.meta(),
            Object::ReplicaSet(o) => o.meta(),
            Object::Event(o) => o.meta(),
        }
    }

    /// The object's metadata, mutably.
    pub fn meta_mut(&mut self) -> &mut ObjectMeta {
        match self {
            Object::Namespace(o) => o.meta_mut(),
            Object::Node(o) => o.meta_mut(),
            Object::Pod(o) => o.meta_mut(),
            Object::Service(o) => o.meta_mut(),
            Object::Deployment(o) => o.meta_mut(),
            Object::ReplicaSet(o) => o.meta_mut(),
            Object::Event(o) => o.meta_mut(),
        }
    }

    /// The object's name.
    pub fn name(&self) -> &str {
        self.meta().name.as_deref().unwrap_or("")
    }

    /// The object's namespace (empty for cluster-scoped kinds).
    pub fn namespace(&self) -> &str {
        self.meta().namespace.as_deref().unwrap_or("")
    }

    /// The store key of this object.
    pub fn key(&self) -> ObjectKey {
        ObjectKey::new(self.kind(), self.namespace(), self.name())
    }

    /// The object as JSON, in the API's shape (with `apiVersion` and `kind`).
    pub fn to_json(&self) -> serde_json::Value {
        let value = match self {
            Object::Namespace(o) => serde_json::to_value(o),
            Object::Node(o) => serde_json::to_value(o),
            Object::Pod(o) => serde_json::to_value(o),
            Object::Service(o) => serde_json::to_value(o),
            Object::Deployment(o) => serde_json::to_value(o),
            Object::ReplicaSet(o) => serde_json::to_value(o),
            Object::Event(o) => serde_json::to_value(o),
        };
        // Serializing these types into a `Value` cannot fail: they hold only strings, numbers,
        // maps and lists.
        value.unwrap_or(serde_json::Value::Null)
    }

    /// Decodes an object of `kind` from JSON in the API's shape.
    pub fn from_json(kind: Kind, value: serde_json::Value) -> Result<Object, serde_json::Error> {
        Ok(match kind {
            Kind::Namespace => Object::Namespace(Box::new(serde_json::from_value(value)?)),
            Kind::Node => Object::Node(Box::new(serde_json::from_value(value)?)),
            Kind::Pod => Object::Pod(Box::new(serde_json::from_value(value)?)),
            Kind::Service => Object::Service(Box::new(serde_json::from_value(value)?)),
            Kind::Deployment => Object::Deployment(Box::new(serde_json::from_value(value)?)),
            Kind::ReplicaSet => Object::ReplicaSet(Box::new(serde_json::from_value(value)?)),
            Kind::Event => Object::Event(Box::new(serde_json::from_value(value)?)),
        })
    }
}
