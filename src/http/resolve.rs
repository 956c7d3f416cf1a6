//! Name resolution for requests: the system's resolver, except that names under the reserved
//! `.invalid` top-level domain (RFC 6761) fail at once without asking any server, as the RFC
//! intends. Suites can rely on `http://anything.invalid` to exercise an unresolvable host,
//! and apitest's own tests do so without sending a DNS query off the machine.

use std::io;
use std::net::SocketAddr;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

#[derive(Debug, Clone, Copy, Default)]
pub struct SystemResolver;

impl Resolve for SystemResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let lower = host.trim_end_matches('.').to_ascii_lowercase();
            if lower == "invalid" || lower.ends_with(".invalid") {
                return Err(io::Error::new(
                    io::ErrorKind::NotFound,
                    format!("failed to lookup address information: `{host}` is under the reserved `.invalid` domain"),
                )
                .into());
            }
            // The port is replaced by the connector; 0 is a placeholder for the look-up.
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let addrs: Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}
