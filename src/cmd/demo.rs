//! `apitest demo`: the built-in demo API in the foreground.

use crate::cmd::usage_error;
use crate::exit_code::PASSED;

/// Serves the demo API on 127.0.0.1:`port` until the process is stopped.
pub async fn demo(port: u16) -> u8 {
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    match crate::demo::serve_forever(addr).await {
        Ok(()) => PASSED,
        Err(e) => usage_error(
            &format!("cannot serve the demo API on {addr}: {e}"),
            Some("is another program using that port? try `--port 0`"),
        ),
    }
}
