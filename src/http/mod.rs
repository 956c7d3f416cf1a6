//! HTTP: one shared client (`client`), the request a scenario builds (`request`), the answer it
//! checks (`response`), and sending one for the other (`send`).

pub mod client;
pub mod exchange;
pub mod oauth;
pub mod request;
pub mod resolve;
pub mod response;
pub mod send;
pub mod tls;

pub use client::{ClientSettings, HttpClient};
pub use exchange::Exchange;
pub use request::{Body, Format, RequestSpec, WireBody, url_component};
pub use response::{RequestSummary, Response};
pub use send::send;
pub use tls::TlsFiles;

/// Response bodies larger than this are refused unless the config raises the limit.
pub const DEFAULT_MAX_BODY: u64 = 50 * 1024 * 1024;
