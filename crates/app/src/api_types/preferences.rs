//! `Preferences` (REST::PreferencesSerializer): the keys are upstream's, colons included.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Preferences {
    #[serde(rename = "posting:default:visibility")]
    pub visibility: String,
    #[serde(rename = "posting:default:sensitive")]
    pub sensitive: bool,
    #[serde(rename = "posting:default:language")]
    pub language: Option<String>,
    #[serde(rename = "posting:default:quote_policy")]
    pub quote_policy: String,
    #[serde(rename = "reading:expand:media")]
    pub expand_media: String,
    #[serde(rename = "reading:expand:spoilers")]
    pub expand_spoilers: bool,
    #[serde(rename = "reading:autoplay:gifs")]
    pub autoplay_gifs: bool,
}
