//! The one HTTP client a run shares: a connection pool with keep-alive, so thousands of
//! scenarios reuse a handful of connections instead of opening one each.

use std::sync::Once;

use crate::error::{Error, HttpCause};
use crate::http::tls::TlsFiles;

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

/// How the run's client connects: TLS trust and identity, and HTTP/2 without negotiation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClientSettings {
    /// Turns off TLS certificate verification, for self-signed test servers only.
    pub insecure: bool,
    pub tls: TlsFiles,
    /// `[run] http2_prior_knowledge`: speak HTTP/2 from the first byte on cleartext
    /// connections (h2c), for servers that offer nothing else. Over TLS, HTTP/2 is
    /// negotiated by ALPN whatever this says.
    pub http2_prior_knowledge: bool,
}

impl HttpClient {
    /// A client with the default settings, verifying certificates unless `insecure`.
    pub fn new(insecure: bool) -> Result<Self, Error> {
        HttpClient::with(&ClientSettings {
            insecure,
            ..ClientSettings::default()
        })
    }

    pub fn with(settings: &ClientSettings) -> Result<Self, Error> {
        // rustls needs a process-wide crypto provider; ring is built in. Installing twice is an
        // error we can ignore, because the first provider stays in place.
        CRYPTO.call_once(|| {
            let _ = rustls::crypto::ring::default_provider().install_default();
        });
        let tls = crate::http::tls::client_config(settings.insecure, &settings.tls)
            .map_err(|e| Error::http(HttpCause::Setup, format!("cannot set up TLS: {e}")))?;
        let h2c = settings.http2_prior_knowledge;
        let inner = build(tls.clone(), 64, h2c)?;
        // A client that keeps no connection, for sending a request again after a pooled
        // connection turned out closed: the pool might hand out another closed one.
        let fresh = build(tls, 0, h2c)?;
        Ok(HttpClient { inner, fresh })
    }
}

/// A client with apitest's settings, keeping at most `idle` connections per host; `h2c`
/// speaks HTTP/2 on cleartext connections from the start.
fn build(tls: rustls::ClientConfig, idle: usize, h2c: bool) -> Result<reqwest::Client, Error> {
    let builder = reqwest::Client::builder();
    let builder = if h2c {
        builder.http2_prior_knowledge()
    } else {
        builder
    };
    builder
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
