//! NodeInfo 2.0: the discovery document and the document itself.

use serde::Serialize;
use serde_json::{Value, json};

pub const SCHEMA_2_0: &str = "http://nodeinfo.diaspora.software/ns/schema/2.0";

/// `/.well-known/nodeinfo`.
pub fn discovery(base: &str) -> Value {
    json!({"links": [{"rel": SCHEMA_2_0, "href": format!("{base}/nodeinfo/2.0")}]})
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeInfo {
    pub version: &'static str,
    pub software: Software,
    pub protocols: Vec<&'static str>,
    pub services: Services,
    pub usage: Usage,
    pub open_registrations: bool,
    pub metadata: Value,
}

#[derive(Debug, Clone, Serialize)]
pub struct Software {
    pub name: &'static str,
    pub version: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Services {
    pub outbound: Vec<String>,
    pub inbound: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Usage {
    pub users: Users,
    pub local_posts: i64,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Users {
    pub total: i64,
    pub active_month: i64,
    pub active_halfyear: i64,
}

impl NodeInfo {
    pub fn new(version: String, usage: Usage, open_registrations: bool) -> Self {
        Self {
            version: "2.0",
            software: Software {
                name: "woolly",
                version,
            },
            protocols: vec!["activitypub"],
            services: Services {
                outbound: Vec::new(),
                inbound: Vec::new(),
            },
            usage,
            open_registrations,
            metadata: json!({}),
        }
    }
}
