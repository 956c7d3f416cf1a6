//! Third-party servers on 127.0.0.1, for behaviour the demo API never shows: httpbin under
//! gunicorn and a FastAPI app under uvicorn, installed from `tests/servers/requirements.txt`
//! (every version pinned) into `target/servers-venv` on first use, so `cargo test` needs
//! nothing but python3. Each test starts its own server on a free port; it stops when the
//! returned guard drops.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};

use crate::harness::root;

/// A running server; killed when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        // The whole process group: a server that forks workers (hypercorn spawns one) would
        // otherwise leave them running, listening, after the test.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    pub fn address(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

/// The virtualenv's `bin/`, made once per test process (and reused across runs).
pub fn venv_bin() -> PathBuf {
    static READY: OnceLock<PathBuf> = OnceLock::new();
    static LOCK: Mutex<()> = Mutex::new(());
    READY
        .get_or_init(|| {
            let _held = LOCK.lock().unwrap();
            let venv = root().join("target/servers-venv");
            let requirements = root().join("tests/servers/requirements.txt");
            let stamp = venv.join("installed.txt");
            let wanted = std::fs::read_to_string(&requirements).unwrap();
            if std::fs::read_to_string(&stamp).ok().as_deref() != Some(wanted.as_str()) {
                let _ = std::fs::remove_dir_all(&venv);
                let made = Command::new("python3")
                    .args(["-m", "venv"])
                    .arg(&venv)
                    .status()
                    .expect("python3 is installed");
                assert!(made.success(), "python3 -m venv failed");
                let installed = Command::new(venv.join("bin/pip"))
                    .args(["install", "--quiet", "--disable-pip-version-check"])
                    .args(["--only-binary", ":all:", "-r"])
                    .arg(&requirements)
                    .status()
                    .unwrap();
                assert!(installed.success(), "installing the test servers failed");
                std::fs::write(&stamp, wanted).unwrap();
            }
            venv.join("bin")
        })
        .clone()
}

/// Starts `program args` and waits for the line in its log that names its port.
fn start(program: &str, args: &[&str], dir: PathBuf, marker: &str) -> Server {
    let mut command = Command::new(venv_bin().join(program));
    command.args(args).current_dir(dir);
    listening(command, false, marker)
}

/// The built-in demo API as its own process (`apitest demo --port 0`), for runs that must not
/// use `--demo` (which points `@address` at it and so hides what the config says).
pub fn demo() -> Server {
    let mut command = Command::new(crate::harness::bin());
    command.args(["demo", "--port", "0"]);
    listening(command, true, "listening on http://127.0.0.1:")
}

/// Spawns `command` and reads its stdout (or stderr) up to the line that names its port.
fn listening(mut command: Command, on_stdout: bool, marker: &str) -> Server {
    // Its own process group, so that dropping the server stops its workers too.
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let (out, err) = if on_stdout {
        (Stdio::piped(), Stdio::null())
    } else {
        (Stdio::null(), Stdio::piped())
    };
    let mut child = command.stdout(out).stderr(err).spawn().unwrap();
    let log: Box<dyn std::io::Read + Send> = if on_stdout {
        Box::new(child.stdout.take().unwrap())
    } else {
        Box::new(child.stderr.take().unwrap())
    };
    let mut lines = BufReader::new(log).lines();
    let mut seen = String::new();
    let port = loop {
        let Some(Ok(line)) = lines.next() else {
            let _ = child.kill();
            panic!("{command:?} stopped before it listened:\n{seen}");
        };
        seen.push_str(&line);
        seen.push('\n');
        if let Some(at) = line.find(marker) {
            let digits: String = line[at + marker.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            break digits.parse::<u16>().unwrap();
        }
    };
    // Keep draining the log so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server { child, port }
}

/// httpbin (0.10.4) on gunicorn's threaded worker, which keeps connections alive.
pub fn httpbin() -> Server {
    start(
        "gunicorn",
        &[
            "-b",
            "127.0.0.1:0",
            "-w",
            "1",
            "--threads",
            "8",
            "--no-control-socket",
            "httpbin:app",
        ],
        root(),
        "Listening at: http://127.0.0.1:",
    )
}

/// The FastAPI app of `tests/servers/items_app.py` on uvicorn, with a 1 s keep-alive, so a
/// pooled connection is soon closed by the server.
pub fn fastapi() -> Server {
    start(
        "uvicorn",
        &[
            "items_app:app",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--http",
            "h11",
            "--loop",
            "asyncio",
            "--timeout-keep-alive",
            "1",
        ],
        root().join("tests/servers"),
        "Uvicorn running on http://127.0.0.1:",
    )
}

/// Hypercorn serving `tests/servers/tls_app.py` over TLS (HTTP/2 offered by ALPN, HTTP/1.1
/// too) with a certificate from a test authority, asking for a client certificate when
/// `client_certs` is set; and the folder of PEM files (`ca.pem`, `client.pem`, `client.key`,
/// `client-and-key.pem`, `other-ca.pem`) a project uses to trust it and be trusted.
pub fn hypercorn_tls(name: &str, client_certs: bool) -> (Server, PathBuf) {
    let certs = root().join("target/tls-certs").join(name);
    let made = Command::new(venv_bin().join("python"))
        .arg("tls_app.py")
        .arg("certs")
        .arg(&certs)
        .current_dir(root().join("tests/servers"))
        .status()
        .unwrap();
    assert!(made.success(), "making the test certificates failed");
    let port = free_port();
    let bind = format!("127.0.0.1:{port}");
    let (cert, key, ca) = (
        certs.join("server.pem"),
        certs.join("server.key"),
        certs.join("ca.pem"),
    );
    let mut args = vec![
        "--bind",
        &bind,
        "--certfile",
        cert.to_str().unwrap(),
        "--keyfile",
        key.to_str().unwrap(),
    ];
    if client_certs {
        args.extend([
            "--ca-certs",
            ca.to_str().unwrap(),
            "--verify-mode",
            "CERT_REQUIRED",
        ]);
    }
    args.push("tls_app:app");
    let server = start(
        "hypercorn",
        &args,
        root().join("tests/servers"),
        "Running on https://127.0.0.1:",
    );
    (server, certs)
}

/// Hypercorn serving `tests/servers/tls_app.py` over cleartext HTTP/1.1 and h2c.
pub fn hypercorn_plain() -> Server {
    let bind = format!("127.0.0.1:{}", free_port());
    start(
        "hypercorn",
        &["--bind", &bind, "tls_app:app"],
        root().join("tests/servers"),
        "Running on http://127.0.0.1:",
    )
}

/// A port nothing listens on now (Hypercorn does not say which port `:0` gave it).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
