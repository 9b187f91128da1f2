//! One enum over every kind the store holds, and the trait that gives typed access to it.

use super::Kind;
use crate::types::{
    Deployment, EndpointSlice, Endpoints, Event, FromJson, Namespace, NetworkPolicy, Node,
    ObjectMeta, Pod, ReplicaSet, Service, ToJson,
};
use serde_json::Value;

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
    /// The endpoints of a service.
    Endpoints(Box<Endpoints>),
    /// An endpoint slice of a service.
    EndpointSlice(Box<EndpointSlice>),
    /// A deployment.
    Deployment(Box<Deployment>),
    /// A replica set.
    ReplicaSet(Box<ReplicaSet>),
    /// A network policy.
    NetworkPolicy(Box<NetworkPolicy>),
    /// An event.
    Event(Box<Event>),
}

/// A typed API object the store can hold: the bridge between [`Object`] and the
/// typed struct of each kind.
pub trait ApiObject: Clone + PartialEq + ToJson + Sized {
    /// The kind.
    const KIND: Kind;
    /// Wraps the typed object.
    fn into_object(self) -> Object;
    /// Borrows the typed object out of an [`Object`] of the same kind.
    fn from_object(object: &Object) -> Option<&Self>;
    /// Takes the typed object out of an [`Object`] of the same kind.
    fn from_object_owned(object: Object) -> Option<Self>;
    /// Borrows the typed object out of an [`Object`] of the same kind, to change it in place.
    fn from_object_mut(object: &mut Object) -> Option<&mut Self>;
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
            fn from_object_mut(object: &mut Object) -> Option<&mut Self> {
                match object {
                    Object::$ty(o) => Some(o),
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
api_object!(Endpoints, spec: false);
api_object!(EndpointSlice, spec: false);
api_object!(Deployment, spec: true);
api_object!(ReplicaSet, spec: true);
api_object!(NetworkPolicy, spec: true);
api_object!(Event, spec: false);

impl Object {
    /// The object's kind.
    pub fn kind(&self) -> Kind {
        match self {
            Object::Namespace(_) => Kind::Namespace,
            Object::Node(_) => Kind::Node,
            Object::Pod(_) => Kind::Pod,
            Object::Service(_) => Kind::Service,
            Object::Endpoints(_) => Kind::Endpoints,
            Object::EndpointSlice(_) => Kind::EndpointSlice,
            Object::Deployment(_) => Kind::Deployment,
            Object::ReplicaSet(_) => Kind::ReplicaSet,
            Object::NetworkPolicy(_) => Kind::NetworkPolicy,
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
            Object::Endpoints(o) => o.meta(),
            Object::EndpointSlice(o) => o.meta(),
            Object::Deployment(o) => o.meta(),
            Object::ReplicaSet(o) => o.meta(),
            Object::NetworkPolicy(o) => o.meta(),
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
            Object::Endpoints(o) => o.meta_mut(),
            Object::EndpointSlice(o) => o.meta_mut(),
            Object::Deployment(o) => o.meta_mut(),
            Object::ReplicaSet(o) => o.meta_mut(),
            Object::NetworkPolicy(o) => o.meta_mut(),
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
    pub fn to_json(&self) -> Value {
        let mut value = match self {
            Object::Namespace(o) => o.to_json(),
            Object::Node(o) => o.to_json(),
            Object::Pod(o) => o.to_json(),
            Object::Service(o) => o.to_json(),
            Object::Endpoints(o) => o.to_json(),
            Object::EndpointSlice(o) => o.to_json(),
            Object::Deployment(o) => o.to_json(),
            Object::ReplicaSet(o) => o.to_json(),
            Object::NetworkPolicy(o) => o.to_json(),
            Object::Event(o) => o.to_json(),
        };
        if let Value::Object(map) = &mut value {
            let kind = self.kind();
            map.insert("apiVersion".into(), kind.api_version().into());
            map.insert("kind".into(), kind.name().into());
        }
        value
    }

    /// Builds an object of `kind` from JSON in the API's shape that the schema check
    /// ([`super::schema::check`]) has accepted; `apiVersion` and `kind` come from `kind`.
    pub fn from_json(kind: Kind, value: Value) -> Object {
        let mut value = value;
        if let Value::Object(map) = &mut value {
            map.remove("apiVersion");
            map.remove("kind");
        }
        match kind {
            Kind::Namespace => Object::Namespace(Box::new(FromJson::from_json(value))),
            Kind::Node => Object::Node(Box::new(FromJson::from_json(value))),
            Kind::Pod => Object::Pod(Box::new(FromJson::from_json(value))),
            Kind::Service => Object::Service(Box::new(FromJson::from_json(value))),
            Kind::Endpoints => Object::Endpoints(Box::new(FromJson::from_json(value))),
            Kind::EndpointSlice => Object::EndpointSlice(Box::new(FromJson::from_json(value))),
            Kind::Deployment => Object::Deployment(Box::new(FromJson::from_json(value))),
            Kind::ReplicaSet => Object::ReplicaSet(Box::new(FromJson::from_json(value))),
            Kind::NetworkPolicy => Object::NetworkPolicy(Box::new(FromJson::from_json(value))),
            Kind::Event => Object::Event(Box::new(FromJson::from_json(value))),
        }
    }
}
