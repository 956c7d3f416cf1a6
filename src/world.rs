//! `World`: the state a scenario builds and checks: the request being built, the last
//! response, stored variables and the secrets seen so far.
//!
//! By default each scenario gets a fresh World (the Cucumber convention, which lets scenarios
//! run in parallel); in feature scope (Zato's model) one World lives through a whole feature.
//! Everything shared by all Worlds of a run (config, the HTTP client, options) sits behind one
//! `Arc<RunContext>`, so making a World is cheap.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::error::{Error, ErrorKind};
use crate::http::{ClientSettings, HttpClient, RequestSpec, Response};
use crate::secret::{self, Secrets};
use crate::value::{self, Config, Lookup};

/// What every World of one run shares.
#[derive(Debug)]
pub struct RunContext {
    pub config: Config,
    /// Folder of the feature files; data files (`json/request/...`) are found below it.
    pub features_dir: PathBuf,
    /// The project folder: data file paths may not escape it.
    pub project_dir: PathBuf,
    pub client: HttpClient,
    /// The settings `client` was made with; the insecure client shares all but verification.
    pub client_settings: ClientSettings,
    /// A client that does not verify TLS certificates, made on first use by a scenario that
    /// turns verification off (`Given TLS certificates are not verified`).
    pub insecure_client: std::sync::OnceLock<HttpClient>,
    /// Variables given with `--var NAME=VALUE`, present in every World from the start.
    pub initial_vars: HashMap<String, Value>,
    /// The credential-named values among `initial_vars`, found once for the whole run.
    pub initial_secrets: std::sync::OnceLock<Secrets>,
    pub timeout: Duration,
    pub max_body: u64,
    /// Record every request and response in the scenario's transcript.
    pub verbose: bool,
    /// Zato compatibility: where Zato's apitest passes a check that apitest's own meaning
    /// would fail (`is not empty` on "", `1 == True`), pass it with a warning. On for projects
    /// in Zato's layout unless `--strict`.
    pub compat: bool,
    /// The OpenAPI documents of the run and the coverage they record.
    pub contracts: crate::contract::Contracts,
    /// JSON Schema files compiled so far, so a schema used by many steps is built once.
    pub schemas: std::sync::Mutex<HashMap<PathBuf, Arc<jsonschema::Validator>>>,
}

impl RunContext {
    /// A context for unit tests and tools that do not send requests from config.
    pub fn for_tests(features_dir: PathBuf) -> Result<Self, Error> {
        Ok(RunContext {
            config: Config::default(),
            project_dir: features_dir.clone(),
            features_dir,
            client: HttpClient::new(false)?,
            client_settings: ClientSettings::default(),
            insecure_client: std::sync::OnceLock::new(),
            initial_vars: HashMap::new(),
            initial_secrets: std::sync::OnceLock::new(),
            timeout: Duration::from_secs(30),
            max_body: crate::http::DEFAULT_MAX_BODY,
            verbose: false,
            compat: false,
            contracts: crate::contract::Contracts::default(),
            schemas: Default::default(),
        })
    }
}

/// The state of one scenario (or one feature, in feature scope).
#[derive(Debug)]
pub struct World {
    pub request: RequestSpec,
    pub response: Option<Response>,
    /// The last request as it was sent, with the `Cookie` header the jar gave it, for the
    /// report of a failure (a later step may change `request`).
    pub sent: Option<Box<(RequestSpec, Option<String>)>>,
    pub vars: HashMap<String, Value>,
    /// Values that must never appear in a report: tokens, passwords, Authorization headers.
    pub secrets: Secrets,
    /// Request/response records and `context is logged` output, shown with `--verbose`.
    pub transcript: Vec<String>,
    /// Warnings raised by the step now running; the runner files them under that step.
    pub warnings: Vec<String>,
    pub oauth: crate::http::oauth::OAuth2,
    /// The cookies the responses set (and `Given cookie` steps), sent back by domain, path,
    /// secure and expiry rules: per scenario, or per feature in feature scope.
    pub cookies: cookie_store::CookieStore,
    /// Named date formats (`date format "short" "YYYY-MM-DD"`); `default` is always there.
    pub date_formats: crate::value::dates::DateFormats,
    /// XPath namespace prefixes (`namespace prefix "p" of "uri"`).
    pub namespaces: crate::xml::Namespaces,
    /// The OpenAPI document contract checks and coverage use (`Given OpenAPI spec`).
    pub openapi: Option<Arc<crate::contract::Spec>>,
    /// Feature and scenario (indices in the plan) now running, for the coverage report.
    pub at: (usize, usize),
    pub run: Arc<RunContext>,
}

impl RunContext {
    /// The naming rule for secrets, plus the names listed under `[secrets]` in the config.
    pub fn is_secret_name(&self, name: &str) -> bool {
        secret::is_secret_name(name) || self.config.secret_names.iter().any(|n| n == name)
    }

    /// The secrets among the `--var` values, every World's first secrets.
    pub fn initial_secrets(&self) -> &Secrets {
        self.initial_secrets.get_or_init(|| {
            let mut secrets = Secrets::default();
            for (name, value) in &self.initial_vars {
                if self.is_secret_name(name) {
                    secrets.add(&value::to_text(value));
                }
            }
            secrets
        })
    }

    /// The client for a request: the shared one, or the one that skips TLS verification.
    pub fn client_for(&self, insecure: bool) -> Result<&HttpClient, Error> {
        if !insecure {
            return Ok(&self.client);
        }
        if let Some(client) = self.insecure_client.get() {
            return Ok(client);
        }
        let client = HttpClient::with(&ClientSettings {
            insecure: true,
            ..self.client_settings.clone()
        })?;
        Ok(self.insecure_client.get_or_init(|| client))
    }
}

impl World {
    pub fn new(run: Arc<RunContext>) -> Self {
        let secrets = run.initial_secrets().clone();
        World {
            request: RequestSpec::default(),
            response: None,
            sent: None,
            vars: run.initial_vars.clone(),
            secrets,
            transcript: Vec::new(),
            warnings: Vec::new(),
            oauth: crate::http::oauth::OAuth2::default(),
            cookies: cookie_store::CookieStore::default(),
            date_formats: crate::value::dates::DateFormats::default(),
            namespaces: Vec::new(),
            openapi: run.contracts.default.clone(),
            at: (0, 0),
            run,
        }
    }

    /// Forgets everything but the run's shared context (`context is cleaned up`).
    pub fn reset(&mut self) {
        let at = self.at;
        *self = World::new(Arc::clone(&self.run));
        self.at = at;
    }

    /// Resolves a step argument, keeping the type of a whole reference (`#id` stays a number).
    pub fn value(&mut self, raw: &str) -> Result<Value, Error> {
        let resolved = value::resolve(raw, self)?;
        for secret in &resolved.secrets {
            self.add_secret(secret);
        }
        Ok(resolved.value)
    }

    /// Resolves a step argument to text.
    pub fn text(&mut self, raw: &str) -> Result<String, Error> {
        let value = self.value(raw)?;
        Ok(value::to_text(&value))
    }

    /// Registers the credentials in the request being built: JSON, form and query fields
    /// named like credentials. (Credential headers are masked by name wherever shown.)
    pub fn note_request_secrets(&mut self) {
        let run = Arc::clone(&self.run);
        let is_secret = |name: &str| run.is_secret_name(name);
        let mut found = Vec::new();
        if let crate::http::Body::Json(doc) = &self.request.body {
            found = secret::in_json(doc, &is_secret);
        }
        found.extend(secret::in_query(&self.request.query, &is_secret));
        // A query written inside `URL path` (`/items?api_key=...`) is a query too.
        if let Some((_, query)) = self.request.path.split_once('?') {
            found.extend(secret::in_query(query, &is_secret));
        }
        // A password in the address (`http://user:pass@host`); the URL is only parsed here
        // when the address can hold one.
        if self
            .request
            .address
            .as_deref()
            .is_some_and(|a| a.contains('@'))
            && let Ok(url) = self.request.url()
            && let Some(password) = url.password()
        {
            let decoded = percent_encoding::percent_decode_str(password).decode_utf8_lossy();
            found.push(decoded.into_owned());
            found.push(password.to_string());
        }
        for (name, value) in &self.request.form {
            if is_secret(name) {
                found.push(value.clone());
            }
        }
        for value in found {
            self.secrets.add(&value);
        }
    }

    /// Registers the credentials a response carries: JSON fields named like credentials, and
    /// the values of credential headers (`Set-Cookie: sid=...`), wherever they appear later.
    pub fn note_response_secrets(&mut self, response: &Response) {
        let run = Arc::clone(&self.run);
        if let Ok(doc) = response.json() {
            for value in secret::in_json(doc, &|name| run.is_secret_name(name)) {
                self.secrets.add(&value);
            }
        }
        let headers = response
            .headers
            .iter()
            .filter(|(name, _)| secret::is_secret_header(name.as_str()))
            .filter_map(|(_, value)| value.to_str().ok());
        for value in headers {
            for found in secret::in_credential_header(value) {
                self.secrets.add(&found);
            }
        }
    }

    /// Marks a value as secret for the rest of the run's reports.
    pub fn add_secret(&mut self, value: &str) {
        self.secrets.add(value);
    }

    /// The last response, or the error that says to invoke the URL first.
    pub fn response(&self) -> Result<&Response, Error> {
        self.response
            .as_ref()
            .ok_or_else(|| Error::new(ErrorKind::NoResponse))
    }

    /// Stores a variable (`I store ... under "name"`).
    pub fn store(&mut self, name: &str, value: Value) {
        let secret = self.is_secret_name(name);
        if secret {
            self.add_secret(&value::to_text(&value));
        }
        self.vars.insert(name.to_string(), value);
    }
}

impl Lookup for World {
    fn variable(&self, name: &str) -> Option<&Value> {
        self.vars.get(name)
    }

    fn config(&self, key: &str) -> Option<&Value> {
        self.run.config.user.get(key)
    }

    fn is_secret_name(&self, name: &str) -> bool {
        self.run.is_secret_name(name)
    }

    /// The process environment, then the project's `.env` file (which never overrides it).
    fn env(&self, name: &str) -> Option<String> {
        self.run.config.env_var(name)
    }

    fn env_is_set(&self, name: &str) -> bool {
        self.run.config.env_is_set(name)
    }
}

/// Which kind of data file a step reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataKind {
    Request,
    Response,
}

impl World {
    /// Finds a data file as Zato does: `features/<format>/<request|response>/<name>`, where the
    /// format folder is the one the scenario set (`json`, `xml`, ...). With no format set, the
    /// `json`, `xml`, `raw` and `form` folders are tried in turn. A name that would leave the
    /// project folder (`../../etc/passwd`) is refused.
    pub fn data_file(&self, kind: DataKind, name: &str) -> Result<PathBuf, Error> {
        use crate::http::Format;
        let sub = match kind {
            DataKind::Request => "request",
            DataKind::Response => "response",
        };
        let chosen = match kind {
            DataKind::Request => self.request.format.or(self.request.response_format),
            DataKind::Response => self.request.response_format.or(self.request.format),
        };
        let formats: Vec<Format> = match chosen {
            Some(f) => vec![f],
            None => vec![Format::Json, Format::Xml, Format::Raw, Format::Form],
        };
        self.find_data_file(sub, &formats, name)
    }

    /// An upload for `request file "field" is "name"`: always `features/form/request/<name>`.
    pub fn upload_file(&self, name: &str) -> Result<PathBuf, Error> {
        self.find_data_file("request", &[crate::http::Format::Form], name)
    }

    fn find_data_file(
        &self,
        sub: &str,
        formats: &[crate::http::Format],
        name: &str,
    ) -> Result<PathBuf, Error> {
        let relative = std::path::Path::new(name);
        if leaves_folder(relative) {
            return Err(Error::file(format!(
                "data file `{name}` is refused: it points outside the project folder"
            ))
            .at_arg(0)
            .with_hint(format!(
                "put the file under features/<format>/{sub}/ and name it relative to that folder"
            )));
        }
        let tried: Vec<PathBuf> = formats
            .iter()
            .map(|f| {
                self.run
                    .features_dir
                    .join(f.folder())
                    .join(sub)
                    .join(relative)
            })
            .collect();
        for path in &tried {
            if path.is_file() {
                let inside = self.inside_project(path).map_err(|e| {
                    Error::file(format!("cannot read data file `{}`: {e}", path.display()))
                })?;
                if !inside {
                    return Err(Error::file(format!(
                        "data file `{}` is refused: it resolves outside the project folder",
                        path.display()
                    ))
                    .at_arg(0));
                }
                return Ok(path.clone());
            }
        }
        let shown: Vec<String> = tried.iter().map(|p| format!("`{}`", p.display())).collect();
        Err(Error::file(format!(
            "data file `{name}` not found (looked for {})",
            shown.join(", ")
        ))
        .at_arg(0)
        .with_hint(format!(
            "create it under features/<format>/{sub}/, or check `Given format`"
        )))
    }

    /// Reads a data file as text.
    pub fn read_data_file(&self, kind: DataKind, name: &str) -> Result<(PathBuf, String), Error> {
        let path = self.data_file(kind, name)?;
        let bytes = std::fs::read(&path).map_err(|e| {
            Error::file(format!("cannot read data file `{}`: {e}", path.display())).at_arg(0)
        })?;
        let text = String::from_utf8(bytes).map_err(|_| {
            Error::file(format!("data file `{}` is not valid UTF-8", path.display())).at_arg(0)
        })?;
        Ok((path, text))
    }
}

impl World {
    /// Whether an existing file's real path (links followed) lies inside the project folder.
    fn inside_project(&self, path: &std::path::Path) -> std::io::Result<bool> {
        let real = path.canonicalize()?;
        let root = self
            .run
            .project_dir
            .canonicalize()
            .unwrap_or_else(|_| self.run.project_dir.clone());
        Ok(real.starts_with(root))
    }
}

/// Whether a name given in a step would leave the folder it is looked up in.
fn leaves_folder(relative: &std::path::Path) -> bool {
    relative.is_absolute()
        || relative
            .components()
            .any(|c| matches!(c, std::path::Component::ParentDir))
}

impl World {
    /// A file named relative to the project folder (`schemas/employee.json`). Names that would
    /// leave the folder are refused, as for data files.
    pub fn project_file(&self, name: &str) -> Result<PathBuf, Error> {
        let relative = std::path::Path::new(name);
        if leaves_folder(relative) {
            return Err(Error::file(format!(
                "`{name}` is refused: it points outside the project folder"
            ))
            .with_hint(
                "name the file relative to the project folder, e.g. `schemas/employee.json`",
            ));
        }
        let path = self.run.project_dir.join(relative);
        if !path.is_file() {
            return Err(
                Error::file(format!("`{}` not found", path.display())).with_hint(
                    "name the file relative to the project folder (where apitest.toml is)",
                ),
            );
        }
        match self.inside_project(&path) {
            Ok(true) => Ok(path),
            _ => Err(Error::file(format!(
                "`{}` is refused: it resolves outside the project folder",
                path.display()
            ))),
        }
    }
}
