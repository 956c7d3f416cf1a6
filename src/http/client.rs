//! The one HTTP client a run shares: a connection pool with keep-alive, so thousands of
//! scenarios reuse a handful of connections instead of opening one each.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Once};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::{Error, HttpCause};
use crate::http::tls::TlsFiles;

/// How many redirects are followed before a request fails (a loop would never end otherwise).
pub const MAX_REDIRECTS: usize = 10;

/// Requests in flight to one host at a time, by default (see `[run] max_connections_per_host`).
pub const DEFAULT_MAX_PER_HOST: usize = 32;

/// A cheap-to-clone handle on the shared connection pool.
#[derive(Debug, Clone)]
pub struct HttpClient {
    pub inner: reqwest::Client,
    /// The same settings with no connection pool: every request opens a new connection.
    pub fresh: reqwest::Client,
    /// How many requests may be in flight to each host at once.
    pub limits: Arc<HostLimits>,
}

/// One semaphore per origin (scheme, host, port), so that however many scenarios run at
/// once, a host sees at most `per_host` requests at a time (on HTTP/1.1, as many
/// connections): a small staging server is not flooded by a suite's concurrency.
#[derive(Debug)]
pub struct HostLimits {
    per_host: usize,
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
}

impl HostLimits {
    pub fn new(per_host: usize) -> Self {
        HostLimits {
            per_host: per_host.clamp(1, Semaphore::MAX_PERMITS),
            hosts: Mutex::new(HashMap::new()),
        }
    }

    /// Waits for a free slot at `url`'s origin; the slot is held until the permit drops.
    pub async fn acquire(&self, url: &reqwest::Url) -> Option<OwnedSemaphorePermit> {
        let key = format!(
            "{}://{}:{}",
            url.scheme(),
            url.host_str().unwrap_or(""),
            url.port_or_known_default().unwrap_or(0)
        );
        let semaphore = {
            let mut hosts = self
                .hosts
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            Arc::clone(
                hosts
                    .entry(key)
                    .or_insert_with(|| Arc::new(Semaphore::new(self.per_host))),
            )
        };
        semaphore.acquire_owned().await.ok()
    }
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
    /// Requests in flight to one host at once; 0 means [`DEFAULT_MAX_PER_HOST`].
    pub max_per_host: usize,
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
        let per_host = match settings.max_per_host {
            0 => DEFAULT_MAX_PER_HOST,
            n => n,
        };
        // As many idle connections kept per host as may be busy at once.
        let inner = build(tls.clone(), per_host, h2c)?;
        // A client that keeps no connection, for sending a request again after a pooled
        // connection turned out closed: the pool might hand out another closed one.
        let fresh = build(tls, 0, h2c)?;
        Ok(HttpClient {
            inner,
            fresh,
            limits: Arc::new(HostLimits::new(per_host)),
        })
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
