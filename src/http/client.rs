//! The one HTTP client a run shares: a connection pool with keep-alive, so thousands of
//! scenarios reuse a handful of connections instead of opening one each.

use std::sync::Once;

use crate::error::{Error, HttpCause};

/// How many redirects are followed before a request fails (a loop would never end otherwise).
pub const MAX_REDIRECTS: usize = 10;

/// A cheap-to-clone handle on the shared connection pool.
#[derive(Debug, Clone)]
pub struct HttpClient {
    pub inner: reqwest::Client,
    /// The same settings with no connection pool: every request opens a new connection.
    pub fresh: reqwest::Client,
}

static CRYPTO: Once = Once::new();

impl HttpClient {
    /// `insecure` turns off TLS certificate verification, for self-signed test servers only.
    pub fn new(insecure: bool) -> Result<Self, Error> {
        // rustls needs a process-wide crypto provider; ring is built in. Installing twice is an
        // error we can ignore, because the first provider stays in place.
        CRYPTO.call_once(|| {
            let _ = rustls::crypto::ring::default_provider().install_default();
        });
        let tls = crate::http::tls::client_config(insecure)
            .map_err(|e| Error::http(HttpCause::Setup, format!("cannot set up TLS: {e}")))?;
        let inner = build(tls.clone(), 64)?;
        // A client that keeps no connection, for sending a request again after a pooled
        // connection turned out closed: the pool might hand out another closed one.
        let fresh = build(tls, 0)?;
        Ok(HttpClient { inner, fresh })
    }
}

/// A client with apitest's settings, keeping at most `idle` connections per host.
fn build(tls: rustls::ClientConfig, idle: usize) -> Result<reqwest::Client, Error> {
    reqwest::Client::builder()
        // Redirects are followed by `send`, which strips every credential header on a
        // cross-origin hop; reqwest would forward `X-Api-Key` and the like. No `Referer`
        // either: it would carry the query (and any key in it) to the other origin.
        .redirect(reqwest::redirect::Policy::none())
        .referer(false)
        .pool_max_idle_per_host(idle)
        .tcp_nodelay(true)
        .tls_backend_preconfigured(tls)
        .dns_resolver(crate::http::resolve::SystemResolver)
        .build()
        .map_err(|e| {
            Error::http(
                HttpCause::Setup,
                format!("cannot create the HTTP client: {e}"),
            )
        })
}
