//! The built-in demo API that `apitest`'s example features and integration
//! tests run against: the Employee API of the REST tutorial that Zato's
//! apitest features are written for, its Basic-Auth, login-token and OAuth2
//! variants, and a set of HTTP test helpers (echo, statuses, headers, XML,
//! text, delays, redirects, gzip).
//!
//! [`DemoServer`] runs it in the background on the caller's tokio runtime, for
//! tests; [`serve_forever`] runs it in the foreground for `apitest demo`. All
//! state is in memory and starts afresh with every server. The server is also
//! a benchmark target, so it does no per-request logging and its handlers only
//! touch short in-memory locks.

mod auth;
mod echo;
mod employee;
mod envelope;
mod helpers;
mod input;
mod state;

#[cfg(test)]
mod tests;

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{Method, Uri};
use axum::routing::{MethodRouter, any, get, post};
use axum::serve::ListenerExt;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use state::AppState;

/// The port `apitest demo` listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 17010;

/// User of the Basic-Auth protected endpoint `/api/secure/employee/get/{n}`.
pub const BASIC_USER: &str = "hr";
/// Password of [`BASIC_USER`].
pub const BASIC_PASSWORD: &str = "hr-secret-pw";
/// User accepted by `/api/login` and by the `password` grant of `/oauth/token`.
pub const LOGIN_USER: &str = "alice";
/// Password of [`LOGIN_USER`].
pub const LOGIN_PASSWORD: &str = "alice-secret-pw";
/// OAuth2 client accepted by `/oauth/token`.
pub const OAUTH_CLIENT_ID: &str = "demo-client";
/// Secret of [`OAUTH_CLIENT_ID`].
pub const OAUTH_CLIENT_SECRET: &str = "demo-client-secret";

/// Every route, as `METHODS path`, in the order `apitest demo` lists them.
pub const ENDPOINTS: &[&str] = &[
    "ANY /api/employee/get/{n}",
    "ANY /api/employee/create",
    "ANY /api/employee/update",
    "ANY /api/employee/delete",
    "ANY /api/employee/list",
    "ANY /api/secure/employee/get/{n}",
    "GET /api/secure/digest",
    "POST /api/login",
    "POST /api/email/send",
    "POST /oauth/token",
    "ANY /api/echo[/...]",
    "ANY /api/status/{code}",
    "GET /api/headers/set",
    "GET /api/xml/employee/{n}",
    "POST /api/xml/echo",
    "GET /api/text",
    "GET /api/delay/{ms}",
    "GET /api/eventually/{key}",
    "GET /api/flaky/{key}",
    "GET /api/inflight/{key}",
    "GET /api/redirect/{n}",
    "GET /api/gzip",
    "GET /api/loop",
    "GET /api/bytes/{n}",
    "GET /api/binary",
];

/// How long [`DemoServer::shutdown`] lets in-flight requests finish before it
/// abandons them; long enough for normal calls, short enough that a pending
/// `/api/delay/60000` cannot hold a test suite hostage.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// A demo API server running as a task on the current tokio runtime.
///
/// Dropping it without [`DemoServer::shutdown`] leaves the server running
/// until the runtime itself ends.
#[derive(Debug)]
pub struct DemoServer {
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<io::Result<()>>,
}

impl DemoServer {
    /// Binds `addr` (use `127.0.0.1:0` for an ephemeral port), spawns the
    /// server on the current tokio runtime and returns once it is listening.
    pub async fn start(addr: SocketAddr) -> io::Result<DemoServer> {
        let state = Arc::new(AppState::new()?);
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let listener = listener.tap_io(|stream| {
            // Small JSON answers must not wait for Nagle's algorithm; failing
            // to disable it costs only latency, so the error is ignored.
            let _ignored = stream.set_nodelay(true);
        });
        let (stop, stopped) = oneshot::channel::<()>();
        let shutdown_signal = async move {
            // A dropped sender means the DemoServer was dropped rather than
            // shut down, which by contract leaves the server running.
            if stopped.await.is_err() {
                std::future::pending::<()>().await;
            }
        };
        let app = router(state);
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(shutdown_signal)
                .await
        });
        Ok(DemoServer { addr, stop, task })
    }

    /// The address the server is bound to, with the actual port.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The URL to prefix paths with, e.g. `http://127.0.0.1:17010`. A server
    /// bound to the unspecified address is reached through loopback.
    pub fn base_url(&self) -> String {
        let ip = match self.addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        format!("http://{}", SocketAddr::new(ip, self.addr.port()))
    }

    /// Stops accepting connections, lets in-flight requests finish for up to
    /// a few seconds, and returns once the server is gone.
    pub async fn shutdown(self) {
        let DemoServer { stop, mut task, .. } = self;
        // The receiver is gone only if the server task already ended, in
        // which case there is nothing left to stop.
        let _ignored = stop.send(());
        if tokio::time::timeout(SHUTDOWN_GRACE, &mut task)
            .await
            .is_err()
        {
            task.abort();
        }
    }
}

/// Runs the demo API in the foreground until Ctrl-C, after printing one line
/// with its URL, its endpoints and the demo credentials.
pub async fn serve_forever(addr: SocketAddr) -> io::Result<()> {
    let server = DemoServer::start(addr).await?;
    let _ = io::Write::write_all(
        &mut io::stdout().lock(),
        format!("{}\n", banner(&server.base_url())).as_bytes(),
    );
    let interrupted = tokio::signal::ctrl_c().await;
    server.shutdown().await;
    interrupted
}

/// The one-line summary that `apitest demo` prints.
fn banner(base_url: &str) -> String {
    format!(
        "apitest demo API listening on {base_url} | endpoints: {} | credentials: \
         basic {BASIC_USER}/{BASIC_PASSWORD}, login {LOGIN_USER}/{LOGIN_PASSWORD}, \
         oauth2 client {OAUTH_CLIENT_ID}/{OAUTH_CLIENT_SECRET} | Ctrl-C to stop",
        ENDPOINTS.join(", ")
    )
}

/// Lets a route answer other methods with an enveloped 405 instead of axum's
/// empty one, so that every error of the demo API looks the same.
fn restricted(
    route: MethodRouter<Arc<AppState>>,
    allow: &'static str,
) -> MethodRouter<Arc<AppState>> {
    route.fallback(move |method: Method, uri: Uri| async move {
        envelope::method_not_allowed(&method, &uri, allow)
    })
}

/// Builds the complete application.
fn router(state: Arc<AppState>) -> Router {
    const GET: &str = "GET, HEAD";
    const POST: &str = "POST";
    Router::new()
        .route("/api/employee/get/{n}", any(employee::get))
        .route("/api/employee/create", any(employee::create))
        .route("/api/employee/update", any(employee::update))
        .route("/api/employee/delete", any(employee::delete))
        .route("/api/employee/list", any(employee::list))
        .route("/api/secure/employee/get/{n}", any(employee::secure_get))
        .route("/api/secure/digest", restricted(get(auth::digest), GET))
        .route("/api/login", restricted(post(auth::login), POST))
        .route("/api/email/send", restricted(post(auth::send_email), POST))
        .route("/oauth/token", restricted(post(auth::oauth_token), POST))
        .route("/api/echo", any(echo::echo))
        .route("/api/echo/", any(echo::echo))
        .route("/api/echo/{*rest}", any(echo::echo))
        .route("/api/status/{code}", any(helpers::status))
        .route(
            "/api/headers/set",
            restricted(get(helpers::set_headers), GET),
        )
        .route(
            "/api/xml/employee/{n}",
            restricted(get(employee::xml_get), GET),
        )
        .route("/api/xml/echo", restricted(post(helpers::xml_echo), POST))
        .route("/api/text", restricted(get(helpers::text), GET))
        .route("/api/delay/{ms}", restricted(get(helpers::delay), GET))
        .route(
            "/api/eventually/{key}",
            restricted(get(helpers::eventually), GET),
        )
        .route("/api/flaky/{key}", restricted(get(helpers::flaky), GET))
        .route(
            "/api/inflight/{key}",
            restricted(get(helpers::in_flight), GET),
        )
        .route("/api/redirect/{n}", restricted(get(helpers::redirect), GET))
        .route("/api/gzip", restricted(get(helpers::gzip), GET))
        .route("/api/loop", restricted(get(helpers::redirect_loop), GET))
        .route("/api/bytes/{n}", restricted(get(helpers::bytes), GET))
        .route("/api/binary", restricted(get(helpers::binary), GET))
        .fallback(envelope::not_found)
        .layer(axum::middleware::map_response(envelope::ensure_request_id))
        .with_state(state)
}
