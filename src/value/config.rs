//! The project config: `apitest.toml` for new projects, `features/config.ini` for Zato's layout.
//!
//! Both feed the `[user]` values that steps read as `@key`. `apitest.toml` also holds run
//! settings (jobs, state scope, timeouts, TLS); command-line options override it. A Zato
//! `config.ini` is read as Zato reads it (ConfigObj: an unquoted value with a comma is a list),
//! and its `[behave]` options, which configure a Python runner, are noted and ignored.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;

/// Where scenario state lives: one World per scenario, or one per feature (Zato's model).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Each scenario starts from a clean state; all scenarios may run in parallel.
    #[default]
    Scenario,
    /// Scenarios of one feature run in order and share state until `context is cleaned up`.
    Feature,
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Scope::Scenario => "scenario",
            Scope::Feature => "feature",
        })
    }
}

/// Everything read from the project's config files.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The files that were read, for messages.
    pub sources: Vec<PathBuf>,
    /// `[user]` values, read by steps as `@key`.
    pub user: HashMap<String, Value>,
    pub jobs: Option<usize>,
    pub scope: Option<Scope>,
    pub timeout: Option<Duration>,
    /// `[run] retry`: times a failed scenario is run again.
    pub retry: Option<u32>,
    pub tags: Option<String>,
    pub junit: Option<PathBuf>,
    /// Accept TLS certificates that do not verify (self-signed test servers).
    pub insecure: bool,
    /// The most bytes of a response body that are read.
    pub max_body: Option<u64>,
    /// `[run] ca_cert`, `client_cert`, `client_key`: PEM files, relative to the project folder.
    pub ca_cert: Option<String>,
    pub client_cert: Option<String>,
    pub client_key: Option<String>,
    /// `[run] http2_prior_knowledge`: HTTP/2 from the first byte on cleartext connections.
    pub http2_prior_knowledge: bool,
    /// `[run] max_connections_per_host`: requests in flight to one host at once.
    pub max_connections_per_host: Option<usize>,
    /// Extra variable names whose values are redacted, beyond the naming rule.
    pub secret_names: Vec<String>,
    /// True when the project is in Zato's layout (`features/config.ini`).
    pub zato_layout: bool,
    /// One-line notices for the user (ignored settings and the like).
    pub notes: Vec<String>,
    /// `[reports] junit_file_attribute`: a `file` attribute on each JUnit `<testcase>`, which
    /// GitLab shows and the Jenkins xUnit schema refuses.
    pub junit_file_attribute: bool,
    /// `[reports] html`, `messages`, `cucumber_json`: where those reports go (an empty path
    /// turns the HTML report off).
    pub html: Option<PathBuf>,
    pub messages: Option<PathBuf>,
    pub cucumber_json: Option<PathBuf>,
    /// `[contract] openapi`: the OpenAPI document in effect from every scenario's start.
    pub openapi: Option<String>,
    /// `[contract] coverage_min`: the least share of operations (and of documented
    /// responses) a run must exercise, in percent.
    pub coverage_min: Option<CoverageMin>,
    /// The variables of the project's `.env` file, read after the process environment (which
    /// wins): by `${VAR}` in config values and by `$VAR` in steps.
    pub dotenv: HashMap<String, String>,
    /// The environment selected with `--env` / `APITEST_ENV`, whose `[env.NAME]` keys
    /// override `[user]`.
    pub env: Option<String>,
    /// The environments the config files define, for messages.
    pub environments: Vec<String>,
}

/// What the command line adds to the config files.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--env NAME` (or `APITEST_ENV`): the `[env.NAME]` section whose keys override `[user]`.
    pub env: Option<String>,
    /// `--set KEY=VALUE`, applied last: `section.key` (`run.jobs=8`) or a bare `[user]` key.
    pub sets: Vec<String>,
}

/// A config file that cannot be used, with its path and (where known) its line.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct TomlFile {
    #[serde(default)]
    user: toml::Table,
    #[serde(default)]
    run: RunSection,
    #[serde(default)]
    secrets: SecretsSection,
    #[serde(default)]
    contract: ContractSection,
    #[serde(default)]
    reports: ReportsSection,
    /// `[env.NAME]`: `[user]` keys for one environment.
    #[serde(default)]
    env: std::collections::BTreeMap<String, toml::Table>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ReportsSection {
    #[serde(default)]
    junit_file_attribute: bool,
    junit: Option<PathBuf>,
    html: Option<PathBuf>,
    messages: Option<PathBuf>,
    cucumber_json: Option<PathBuf>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ContractSection {
    /// An OpenAPI document, relative to the project folder.
    openapi: Option<String>,
    /// Fail the run below this share of exercised operations, in percent (`80`), or of
    /// operations and responses (`"ops:80,responses:60"`).
    coverage_min: Option<MinSetting>,
}

/// `coverage_min` as written: a number, or the text form with `ops:` and `responses:`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum MinSetting {
    Number(f64),
    Text(String),
}

/// The coverage a run must reach: a share of the documented operations, of the documented
/// responses, or both, each in percent.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CoverageMin {
    pub operations: Option<f64>,
    pub responses: Option<f64>,
}

impl CoverageMin {
    /// Reads `80` (operations), `80%`, `ops:80`, `responses:60` or `ops:80,responses:60`.
    pub fn parse(text: &str) -> Result<CoverageMin, String> {
        let mut min = CoverageMin::default();
        for part in text.split(',').map(str::trim) {
            let (which, value) = match part.split_once(':') {
                Some((which, value)) => (which.trim(), value.trim()),
                None => ("ops", part),
            };
            let value = percent(value)?;
            let slot = match which {
                "ops" | "operations" => &mut min.operations,
                "responses" => &mut min.responses,
                other => {
                    return Err(format!(
                        "`{other}` is not a coverage measure; write `ops:PCT`, `responses:PCT` or both, e.g. `ops:80,responses:60`"
                    ));
                }
            };
            if slot.replace(value).is_some() {
                return Err(format!("`{which}` is given twice"));
            }
        }
        Ok(min)
    }
}

/// A percentage from 0 to 100, with or without `%`.
fn percent(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .trim_end_matches('%')
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    if (0.0..=100.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!("{value} is not a percentage from 0 to 100"))
    }
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RunSection {
    jobs: Option<usize>,
    scope: Option<Scope>,
    /// Seconds per request.
    timeout: Option<f64>,
    /// Times a failed scenario is run again.
    retry: Option<u32>,
    tags: Option<String>,
    junit: Option<PathBuf>,
    #[serde(default)]
    insecure: bool,
    /// Mebibytes.
    max_body_mib: Option<u64>,
    ca_cert: Option<String>,
    client_cert: Option<String>,
    client_key: Option<String>,
    #[serde(default)]
    http2_prior_knowledge: bool,
    max_connections_per_host: Option<usize>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct SecretsSection {
    #[serde(default)]
    names: Vec<String>,
}

pub const TOML_NAME: &str = "apitest.toml";
pub const INI_NAME: &str = "config.ini";

impl Config {
    /// Reads `explicit` if given; otherwise `features_dir/config.ini` and `project_dir/apitest.toml`
    /// where they exist (the TOML file's values win over the INI file's). The `.env` file beside
    /// them is read first, for `${VAR}` in their values; `overrides` are applied last.
    pub fn load(
        project_dir: &Path,
        features_dir: &Path,
        explicit: Option<&Path>,
        overrides: &Overrides,
    ) -> Result<Config, ConfigError> {
        let mut config = Config {
            env: overrides.env.clone(),
            ..Config::default()
        };
        let env_dirs: Vec<&Path> = match explicit {
            Some(path) => vec![path.parent().unwrap_or(Path::new("."))],
            None => vec![project_dir, features_dir],
        };
        config.read_dotenv(&env_dirs)?;
        if let Some(path) = explicit {
            let is_ini = path.extension().is_some_and(|e| e == "ini");
            if is_ini {
                config.read_ini(path)?;
            } else {
                config.read_toml(path)?;
            }
        } else {
            let ini = features_dir.join(INI_NAME);
            if ini.is_file() {
                config.read_ini(&ini)?;
            }
            let toml_path = project_dir.join(TOML_NAME);
            if toml_path.is_file() {
                config.read_toml(&toml_path)?;
            }
        }
        for set in &overrides.sets {
            config.apply_set(set)?;
        }
        config
            .check_env(explicit.map_or_else(|| project_dir.join(TOML_NAME), Path::to_path_buf))?;
        Ok(config)
    }

    /// An environment variable as `${VAR}` in the config and `$VAR` in steps read it: the
    /// process environment, else the project's `.env` (which never overrides it).
    pub fn env_var(&self, name: &str) -> Option<String> {
        std::env::var(name)
            .ok()
            .or_else(|| self.dotenv.get(name).cloned())
    }

    /// Whether [`Config::env_var`] finds the variable at all (also set to bytes that are not
    /// UTF-8), to tell "not set" from "not text".
    pub fn env_is_set(&self, name: &str) -> bool {
        std::env::var_os(name).is_some() || self.dotenv.contains_key(name)
    }

    /// Reads the first `.env` file found in `dirs`. Variables already set in the process
    /// environment win over it (as `dotenvy` does), which `env_var` applies.
    fn read_dotenv(&mut self, dirs: &[&Path]) -> Result<(), ConfigError> {
        let Some(path) = dirs.iter().map(|d| d.join(".env")).find(|p| p.is_file()) else {
            return Ok(());
        };
        let iter = dotenvy::from_path_iter(&path).map_err(|e| ConfigError {
            path: path.clone(),
            line: None,
            message: format!("cannot read the .env file: {e}"),
        })?;
        for item in iter {
            let (name, value) = item.map_err(|e| dotenv_error(&path, &e))?;
            self.dotenv.entry(name).or_insert(value);
        }
        self.sources.push(path);
        Ok(())
    }

    /// `--env NAME` must name an environment some config file defines.
    fn check_env(&self, shown: PathBuf) -> Result<(), ConfigError> {
        let Some(name) = &self.env else {
            return Ok(());
        };
        if self.environments.iter().any(|e| e == name) {
            return Ok(());
        }
        let message = if self.environments.is_empty() {
            format!(
                "no environment `{name}` (--env / APITEST_ENV): the config defines none; add an `[env.{name}]` section whose keys override `[user]`"
            )
        } else {
            let mut known = self.environments.clone();
            known.sort_by(|a, b| {
                strsim::levenshtein(a, name)
                    .cmp(&strsim::levenshtein(b, name))
                    .then(a.cmp(b))
            });
            known.dedup();
            format!(
                "no environment `{name}` (--env / APITEST_ENV); the config defines `{}`",
                known.join("`, `")
            )
        };
        Err(ConfigError {
            path: self.sources.last().cloned().unwrap_or(shown),
            line: None,
            message,
        })
    }

    /// One `--set KEY=VALUE`. The value is read as TOML when it is a TOML value (`8`, `true`,
    /// `[1, 2]`, `"text"`), else as text.
    fn apply_set(&mut self, set: &str) -> Result<(), ConfigError> {
        let origin = PathBuf::from(format!("--set {set}"));
        let fail = |message: String| ConfigError {
            path: origin.clone(),
            line: None,
            message,
        };
        let Some((key, raw)) = set.split_once('=') else {
            return Err(fail(
                "needs the form KEY=VALUE, e.g. `--set run.timeout=5` or `--set address=http://127.0.0.1:8080`"
                    .into(),
            ));
        };
        let key = key.trim();
        let (section, name) = key.split_once('.').unwrap_or(("user", key));
        let sections = ["user", "run", "reports", "contract", "secrets"];
        if !sections.contains(&section) {
            return Err(fail(format!(
                "`{section}` is not a config section; use one of `{}` (a key without a section is a `[user]` key)",
                sections.join("`, `")
            )));
        }
        if name.is_empty() || name.contains('.') {
            return Err(fail(format!("`{key}` is not a config key")));
        }
        let value = toml::from_str::<toml::Table>(&format!("v = {raw}"))
            .ok()
            .and_then(|mut t| t.remove("v"))
            .unwrap_or_else(|| toml::Value::String(raw.to_string()));
        let mut inner = toml::Table::new();
        inner.insert(name.to_string(), value);
        let mut table = toml::Table::new();
        table.insert(section.to_string(), toml::Value::Table(inner));
        let file: TomlFile = toml::Value::Table(table)
            .try_into()
            .map_err(|e: toml::de::Error| fail(e.message().to_string()))?;
        let sources = self.sources.len();
        self.apply(file, &origin)?;
        self.sources.truncate(sources);
        Ok(())
    }

    fn read_toml(&mut self, path: &Path) -> Result<(), ConfigError> {
        let text = read(path)?;
        let at = |e: toml::de::Error| ConfigError {
            path: path.to_path_buf(),
            line: e.span().map(|span| line_of(&text, span.start)),
            message: e.message().to_string(),
        };
        // Parsed as the file's shape first, so that a misspelt key is named at its line.
        let _: TomlFile = toml::from_str(&text).map_err(at)?;
        let mut table: toml::Table = toml::from_str(&text).map_err(at)?;
        // Only the chosen environment is expanded: staging's variables need not be set to
        // run against a local server.
        if let Some(toml::Value::Table(envs)) = table.get_mut("env") {
            self.environments.extend(envs.keys().cloned());
            envs.retain(|name, _| self.env.as_deref() == Some(name));
        }
        expand_table(&mut table, &|name| self.env_var(name)).map_err(|e| ConfigError {
            path: path.to_path_buf(),
            line: text.find(&e.needle()).map(|at| line_of(&text, at)),
            message: e.to_string(),
        })?;
        let file: TomlFile =
            toml::Value::Table(table)
                .try_into()
                .map_err(|e: toml::de::Error| ConfigError {
                    path: path.to_path_buf(),
                    line: None,
                    message: e.message().to_string(),
                })?;
        self.apply(file, path)
    }

    /// Takes in the settings of one TOML file (or one `--set`).
    fn apply(&mut self, file: TomlFile, path: &Path) -> Result<(), ConfigError> {
        for (key, value) in file.user {
            self.user.insert(key, toml_to_json(value));
        }
        // `read_toml` keeps only the chosen environment's table.
        for table in file.env.into_values() {
            for (key, value) in table {
                self.user.insert(key, toml_to_json(value));
            }
        }
        let run = file.run;
        let in_range = |key: &str, value: u64, (low, high): (u64, u64)| {
            if (low..=high).contains(&value) {
                Ok(())
            } else {
                Err(ConfigError {
                    path: path.to_path_buf(),
                    line: None,
                    message: format!("`[run] {key}` must be from {low} to {high}, not {value}"),
                })
            }
        };
        let max_jobs = MAX_JOBS as u64;
        if let Some(jobs) = run.jobs {
            in_range("jobs", jobs as u64, (1, max_jobs))?;
            self.jobs = Some(jobs);
        }
        self.scope = run.scope.or(self.scope);
        if let Some(retry) = run.retry {
            in_range("retry", u64::from(retry), (0, u64::from(MAX_RETRY)))?;
            self.retry = Some(retry);
        }
        if let Some(seconds) = run.timeout {
            self.timeout = Some(seconds_to_duration(seconds).ok_or_else(|| ConfigError {
                path: path.to_path_buf(),
                line: None,
                message: format!(
                    "`[run] timeout` must be a positive number of seconds, not `{seconds}`"
                ),
            })?);
        }
        self.tags = run.tags.or(self.tags.take());
        self.junit = run.junit.or(self.junit.take());
        self.insecure |= run.insecure;
        self.http2_prior_knowledge |= run.http2_prior_knowledge;
        if let Some(limit) = run.max_connections_per_host {
            in_range("max_connections_per_host", limit as u64, (1, max_jobs))?;
            self.max_connections_per_host = Some(limit);
        }
        self.ca_cert = run.ca_cert.or(self.ca_cert.take());
        self.client_cert = run.client_cert.or(self.client_cert.take());
        self.client_key = run.client_key.or(self.client_key.take());
        if self.client_key.is_some() && self.client_cert.is_none() {
            return Err(ConfigError {
                path: path.to_path_buf(),
                line: None,
                message: "`[run] client_key` is set without `client_cert`: name the \
                          certificate the key belongs to"
                    .into(),
            });
        }
        if let Some(mib) = run.max_body_mib {
            in_range("max_body_mib", mib, (1, MAX_BODY_MIB))?;
            self.max_body = Some(mib.saturating_mul(1024 * 1024));
        }
        self.secret_names.extend(file.secrets.names);
        let reports = file.reports;
        self.junit_file_attribute |= reports.junit_file_attribute;
        self.junit = reports.junit.or(self.junit.take());
        self.html = reports.html.or(self.html.take());
        self.messages = reports.messages.or(self.messages.take());
        self.cucumber_json = reports.cucumber_json.or(self.cucumber_json.take());
        self.openapi = file.contract.openapi.or(self.openapi.take());
        if let Some(min) = file.contract.coverage_min {
            let parsed = match min {
                MinSetting::Number(n) => CoverageMin::parse(&n.to_string()),
                MinSetting::Text(text) => CoverageMin::parse(&text),
            };
            let min = parsed.map_err(|e| ConfigError {
                path: path.to_path_buf(),
                line: None,
                message: format!("`[contract] coverage_min`: {e}"),
            })?;
            self.coverage_min = Some(min);
        }
        self.sources.push(path.to_path_buf());
        Ok(())
    }

    fn read_ini(&mut self, path: &Path) -> Result<(), ConfigError> {
        let text = read(path)?;
        // Quotes are ConfigObj's business (a quoted value with a comma is not a list), so the
        // INI reader must hand them over untouched.
        let options = ini::ParseOption {
            enabled_quote: false,
            enabled_escape: false,
            ..ini::ParseOption::default()
        };
        let ini = ini::Ini::load_from_str_opt(&text, options).map_err(|e| ConfigError {
            path: path.to_path_buf(),
            line: Some(e.line),
            message: e.msg.to_string(),
        })?;
        self.zato_layout = true;
        let expand = |value: &str| {
            crate::value::interpolate::expand(value, &|name| self.env_var(name)).map_err(|e| {
                ConfigError {
                    path: path.to_path_buf(),
                    line: text.find(&e.needle()).map(|at| line_of(&text, at)),
                    message: e.to_string(),
                }
            })
        };
        let mut user = Vec::new();
        let mut chosen = Vec::new();
        let mut environments = Vec::new();
        let mut notes = Vec::new();
        for (section, props) in ini.iter() {
            match section {
                Some("user") => {
                    for (key, value) in props.iter() {
                        user.push((key.to_string(), configobj_value(&expand(value)?)));
                    }
                }
                Some(name) if name.starts_with("env.") => {
                    let name = name.trim_start_matches("env.");
                    environments.push(name.to_string());
                    // Only the chosen environment is expanded.
                    if self.env.as_deref() == Some(name) {
                        for (key, value) in props.iter() {
                            chosen.push((key.to_string(), configobj_value(&expand(value)?)));
                        }
                    }
                }
                Some("behave") => {
                    let options = props.get("options").unwrap_or("").trim();
                    if !options.is_empty() {
                        notes.push(format!(
                            "{}: `[behave] options = {options}` configure Python's behave and are ignored; use apitest's own options (see `apitest run --help`)",
                            path.display()
                        ));
                    }
                }
                _ => {}
            }
        }
        // An environment's keys win over `[user]` wherever the sections stand in the file.
        self.user.extend(user);
        self.user.extend(chosen);
        self.environments.extend(environments);
        self.notes.extend(notes);
        self.sources.push(path.to_path_buf());
        Ok(())
    }
}

/// The most times a scenario may be run again: retries hide faults, and more than a few
/// only make a broken run slow.
pub const MAX_RETRY: u32 = 10;

fn read(path: &Path) -> Result<String, ConfigError> {
    std::fs::read_to_string(path).map_err(|e| ConfigError {
        path: path.to_path_buf(),
        line: None,
        message: format!("cannot read the config file: {e}"),
    })
}

/// A `.env` line that cannot be read, at its line.
fn dotenv_error(path: &Path, e: &dotenvy::Error) -> ConfigError {
    let (line, message) = match e {
        dotenvy::Error::LineParse(text, _) => {
            let line = std::fs::read_to_string(path)
                .ok()
                .and_then(|all| all.lines().position(|l| l.contains(text.trim())))
                .map(|i| i + 1);
            (
                line,
                format!("cannot read `{}`: write NAME=value", text.trim()),
            )
        }
        other => (None, format!("cannot read the .env file: {other}")),
    };
    ConfigError {
        path: path.to_path_buf(),
        line,
        message,
    }
}

/// Expands `${VAR}` in every string of a TOML table (keys are left alone).
fn expand_table(
    table: &mut toml::Table,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<(), crate::value::interpolate::Unexpanded> {
    fn walk(
        value: &mut toml::Value,
        lookup: &dyn Fn(&str) -> Option<String>,
    ) -> Result<(), crate::value::interpolate::Unexpanded> {
        match value {
            toml::Value::String(s) => *s = crate::value::interpolate::expand(s, lookup)?,
            toml::Value::Array(items) => {
                for item in items {
                    walk(item, lookup)?;
                }
            }
            toml::Value::Table(table) => {
                for (_, item) in table.iter_mut() {
                    walk(item, lookup)?;
                }
            }
            _ => {}
        }
        Ok(())
    }
    for (_, value) in table.iter_mut() {
        walk(value, lookup)?;
    }
    Ok(())
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(1, |before| before.matches('\n').count() + 1)
}

/// The most scenarios that may run at once (`--jobs` has the same range).
pub const MAX_JOBS: usize = 1024;

/// The largest body limit, in MiB: a response is held in memory whole.
pub const MAX_BODY_MIB: u64 = 4096;

pub fn seconds_to_duration(seconds: f64) -> Option<Duration> {
    (seconds.is_finite() && seconds > 0.0 && seconds < 1e9)
        .then(|| Duration::from_secs_f64(seconds))
}

/// ConfigObj's reading of a value: quotes are stripped, and an unquoted value that contains a
/// comma is a list of trimmed strings.
fn configobj_value(raw: &str) -> Value {
    let raw = raw.trim();
    for quote in ['"', '\''] {
        if let Some(inner) = raw.strip_prefix(quote).and_then(|r| r.strip_suffix(quote)) {
            return Value::String(inner.to_string());
        }
    }
    if raw.contains(',') {
        let items = raw
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| Value::String(s.to_string()))
            .collect();
        return Value::Array(items);
    }
    Value::String(raw.to_string())
}

fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Value::Object(
            table
                .into_iter()
                .map(|(k, v)| (k, toml_to_json(v)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("apitest-config-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("features")).unwrap();
        dir
    }

    #[test]
    fn reads_zato_config_ini_with_configobj_lists() {
        let dir = temp_dir("ini");
        std::fs::write(
            dir.join("features/config.ini"),
            "[behave]\noptions=--format pretty\n\n[user]\naddress=http://127.0.0.1:17010\nnames = a, b ,c\nquoted = \"x, y\"\n",
        )
        .unwrap();
        let config =
            Config::load(&dir, &dir.join("features"), None, &Overrides::default()).unwrap();
        assert!(config.zato_layout);
        assert_eq!(config.user["address"], json!("http://127.0.0.1:17010"));
        assert_eq!(config.user["names"], json!(["a", "b", "c"]));
        assert_eq!(config.user["quoted"], json!("x, y"));
        assert_eq!(config.notes.len(), 1);
        assert!(config.notes[0].contains("--format pretty"));
    }

    #[test]
    fn reads_apitest_toml_and_it_wins_over_the_ini() {
        let dir = temp_dir("toml");
        std::fs::write(
            dir.join("features/config.ini"),
            "[user]\naddress=http://ini\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("apitest.toml"),
            "[user]\naddress = \"http://toml\"\nid = 7\n\n[run]\njobs = 3\nscope = \"feature\"\ntimeout = 2.5\n\n[secrets]\nnames = [\"session\"]\n",
        )
        .unwrap();
        let config =
            Config::load(&dir, &dir.join("features"), None, &Overrides::default()).unwrap();
        assert_eq!(config.user["address"], json!("http://toml"));
        assert_eq!(config.user["id"], json!(7));
        assert_eq!(config.jobs, Some(3));
        assert_eq!(config.scope, Some(Scope::Feature));
        assert_eq!(config.timeout, Some(Duration::from_millis(2500)));
        assert_eq!(config.secret_names, vec!["session".to_string()]);
    }

    #[test]
    fn a_bad_toml_file_names_its_line() {
        let dir = temp_dir("bad");
        std::fs::write(
            dir.join("apitest.toml"),
            "[user]\naddress = \"x\"\n[run]\njobz = 3\n",
        )
        .unwrap();
        let err =
            Config::load(&dir, &dir.join("features"), None, &Overrides::default()).unwrap_err();
        assert_eq!(err.line, Some(4), "{err}");
        assert!(err.message.contains("jobz"), "{err}");
    }

    #[test]
    fn zero_jobs_is_refused() {
        let dir = temp_dir("jobs");
        std::fs::write(dir.join("apitest.toml"), "[run]\njobs = 0\n").unwrap();
        let err =
            Config::load(&dir, &dir.join("features"), None, &Overrides::default()).unwrap_err();
        assert_eq!(err.message, "`[run] jobs` must be from 1 to 1024, not 0");
    }

    fn overrides(env: Option<&str>, sets: &[&str]) -> Overrides {
        Overrides {
            env: env.map(str::to_string),
            sets: sets.iter().map(|s| (*s).to_string()).collect(),
        }
    }

    #[test]
    fn an_environment_overrides_user_and_set_overrides_both() {
        let dir = temp_dir("env");
        std::fs::write(
            dir.join("apitest.toml"),
            "[env.staging]\naddress = \"https://staging\"\nunset = \"${APITEST_TEST_SURELY_UNSET}\"\n\n[user]\naddress = \"http://local\"\nid = 1\n\n[env.prod]\naddress = \"${APITEST_TEST_SURELY_UNSET:-https://prod}\"\n",
        )
        .unwrap();
        let features = dir.join("features");
        let load = |o: &Overrides| Config::load(&dir, &features, None, o);
        let plain = load(&Overrides::default()).unwrap();
        assert_eq!(plain.user["address"], json!("http://local"));
        let prod = load(&overrides(Some("prod"), &[])).unwrap();
        assert_eq!(prod.user["address"], json!("https://prod"), "the default");
        assert_eq!(
            prod.user["id"],
            json!(1),
            "keys the environment leaves alone stay"
        );
        let err = load(&overrides(Some("staging"), &[])).unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
        assert!(err.message.contains("APITEST_TEST_SURELY_UNSET"), "{err}");
        let set = load(&overrides(
            Some("prod"),
            &["address=http://set", "run.jobs=8", "id=\"7\""],
        ))
        .unwrap();
        assert_eq!(set.user["address"], json!("http://set"));
        assert_eq!(
            set.user["id"],
            json!("7"),
            "a quoted TOML value is a string"
        );
        assert_eq!(set.jobs, Some(8));
        let err = load(&overrides(Some("dev"), &[])).unwrap_err();
        assert!(err.message.contains("defines `prod`, `staging`"), "{err}");
        let err = load(&overrides(None, &["run.jobs=0"])).unwrap_err();
        assert!(err.to_string().starts_with("--set run.jobs=0: "), "{err}");
    }

    #[test]
    fn dotenv_fills_in_without_overriding_the_environment() {
        let dir = temp_dir("dotenv");
        // PATH is always set; the .env value must not replace it.
        std::fs::write(
            dir.join(".env"),
            "APITEST_TEST_FROM_DOTENV=http://dotenv\nPATH=/nowhere\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("apitest.toml"),
            "[user]\naddress = \"${APITEST_TEST_FROM_DOTENV}\"\npath = \"${PATH}\"\nliteral = \"$${HOME}\"\n",
        )
        .unwrap();
        let config =
            Config::load(&dir, &dir.join("features"), None, &Overrides::default()).unwrap();
        assert_eq!(config.user["address"], json!("http://dotenv"));
        assert_ne!(config.user["path"], json!("/nowhere"));
        assert_eq!(config.user["literal"], json!("${HOME}"));
    }
}
