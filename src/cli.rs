//! The command line: clap's types, with help text a newcomer can follow, and the dispatch to
//! `cmd/`, which holds one file per command.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};

use crate::cmd;
use crate::exit_code::{self, PASSED, USAGE};

const ABOUT: &str = "apitest runs API tests written in plain English (Gherkin feature files) \
against a running HTTP API, and reports the results on the console and as JUnit XML.";

const AFTER_HELP: &str = "Examples:
  apitest run --demo                 run ./features against the built-in demo API
  apitest run features/employee      run one folder of features
  apitest run --tags '@smoke and not @slow' --jobs 4
  apitest check                      find unknown steps and syntax errors, sending nothing
  apitest steps header               the steps that mention \"header\"
  apitest init my-api-tests          start a new project
  apitest generate api.yaml          scenarios from an OpenAPI document, into features/
  apitest demo                       serve the demo API on http://127.0.0.1:17010
  apitest completions bash           tab completion for bash (zsh, fish, powershell, elvish)";

#[derive(Debug, Parser)]
#[command(name = "apitest", version = env!("APITEST_VERSION"), about = ABOUT, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run feature files against an API.
    #[command(after_help = exit_code::HELP)]
    Run(Box<cmd::run::RunArgs>),
    /// Merge the Cucumber Messages streams of a run's shards (`apitest run --shard I/N`)
    /// into that run's reports: JUnit, HTML, Messages, Cucumber JSON and API coverage.
    #[command(after_help = MERGE_HELP)]
    Merge(Box<cmd::merge::MergeArgs>),
    /// Create a ready-to-run project: features/, an example feature, apitest.toml and reports/.
    Init {
        /// Folder to create the project in (created if missing).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Overwrite files that already exist.
        #[arg(long)]
        force: bool,
        /// Write the example feature with the Gherkin keywords of this language (`fr`, `de`,
        /// `ja`, ... as in `# language:`); step phrases stay English.
        #[arg(long, default_value = "en", value_name = "CODE")]
        language: String,
    },
    /// List the step phrases with their meaning and an example, optionally only those that
    /// mention TEXT.
    Steps {
        /// Show only steps whose phrase or meaning contains this text.
        text: Option<String>,
        /// `text` for the terminal, `markdown` for docs/steps.md.
        #[arg(long, default_value = "text", value_parser = ["text", "markdown"])]
        format: String,
    },
    /// Parse every feature and match every step, without sending anything; exit 2 on any
    /// problem (for pre-commit hooks and quick CI gates).
    #[command(
        after_help = "Exit codes:\n  0    every file parses and every step matches a phrase\n  2    a problem was found (each is listed with file and line)"
    )]
    Check {
        /// Feature files, folders of them, or a project folder holding `features/`.
        #[arg(default_value = "features")]
        paths: Vec<PathBuf>,
    },
    /// Write feature files from an OpenAPI document: per operation, a scenario for each
    /// documented response that can be reached without guessing, in plain steps.
    #[command(
        after_help = "Re-running leaves a file you edited alone and writes the new version beside it as NAME.feature.new (--force replaces it). A spec outside the project folder is copied to its contracts/.\n\nExample:\n  apitest generate contracts/employee.yaml --out features/generated\n  apitest run --demo features/generated"
    )]
    Generate {
        /// The OpenAPI 3.0 or 3.1 document (YAML or JSON).
        spec: PathBuf,
        /// The folder to write the feature files to (created if missing).
        #[arg(long, default_value = "features")]
        out: PathBuf,
        /// The tag every generated feature carries.
        #[arg(long, default_value = "@generated")]
        tag: String,
        /// Replace files that differ from what would be written.
        #[arg(long)]
        force: bool,
    },
    /// Serve the built-in demo API (an Employee API) in the foreground, on 127.0.0.1.
    Demo {
        /// Port to listen on (0 picks a free one).
        #[arg(long, default_value_t = crate::demo::DEFAULT_PORT)]
        port: u16,
    },
    /// Print a tab-completion script for bash, zsh, fish, PowerShell or Elvish.
    #[command(after_help = COMPLETIONS_HELP)]
    Completions {
        /// The shell to complete in.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `apitest man > apitest.1`, or `apitest man | man -l -`.
    Man,
}

const MERGE_HELP: &str =
    "Every shard 1..N of one plan must be given once, and every planned scenario
must have run in exactly one; run it from the folder the shards ran in, on the
same commit.

Exit codes:
  0    every scenario passed
  1    a scenario failed, or the coverage is below --coverage-min
  2    a shard is missing, doubled or of another plan, or a scenario ran in
       no shard or in two (every report then says so)

Example:
  apitest run --shard 1/2 && apitest run --shard 2/2    (on two machines)
  apitest merge reports/shard-*-of-2.ndjson";

const COMPLETIONS_HELP: &str = "Where each shell reads them:
  bash        apitest completions bash > ~/.local/share/bash-completion/completions/apitest
  zsh         apitest completions zsh > ~/.zfunc/_apitest   (with fpath+=~/.zfunc before compinit)
  fish        apitest completions fish > ~/.config/fish/completions/apitest.fish
  powershell  apitest completions powershell >> $PROFILE
  elvish      apitest completions elvish >> ~/.config/elvish/rc.elv";

/// Parses the command line, runs the command, and returns the exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return exit_code::code(if e.use_stderr() { USAGE } else { PASSED });
        }
    };
    // The commands that only print need no runtime.
    match &cli.command {
        Command::Completions { shell } => return print_completions(*shell),
        Command::Man => return print_man(),
        _ => {}
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            return exit_code::code(cmd::usage_error(
                &format!("cannot start the async runtime: {e}"),
                None,
            ));
        }
    };
    let code = runtime.block_on(async {
        match cli.command {
            Command::Run(args) => cmd::run::run(*args).await,
            Command::Merge(args) => cmd::merge::merge(*args),
            Command::Init {
                dir,
                force,
                language,
            } => cmd::init::init(&dir, force, &language),
            Command::Demo { port } => cmd::demo::demo(port).await,
            Command::Generate {
                spec,
                out,
                tag,
                force,
            } => cmd::generate::generate(&spec, &out, &tag, force),
            Command::Check { paths } => cmd::check::check(&paths),
            Command::Steps { text, format } => cmd::steps::steps(text.as_deref(), &format),
            Command::Completions { .. } | Command::Man => PASSED,
        }
    });
    // Background tasks (a demo server, idle connections) must not hold the exit.
    runtime.shutdown_timeout(Duration::from_millis(100));
    exit_code::code(code)
}

/// `apitest completions SHELL`: the script, on stdout.
fn print_completions(shell: clap_complete::Shell) -> ExitCode {
    let mut command = <Cli as clap::CommandFactory>::command();
    // Into memory first: the generator panics on a write error such as a closed pipe.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "apitest", &mut script);
    print_bytes(&script, "the completion script")
}

/// `apitest man`: the manual page (roff), on stdout.
fn print_man() -> ExitCode {
    let command = <Cli as clap::CommandFactory>::command();
    let mut page = Vec::new();
    if let Err(e) = clap_mangen::Man::new(command).render(&mut page) {
        return exit_code::code(cmd::usage_error(
            &format!("cannot render the manual page: {e}"),
            None,
        ));
    }
    print_bytes(&page, "the manual page")
}

/// Writes `bytes` to stdout; a reader that stops early (`| head`) is not an error.
fn print_bytes(bytes: &[u8], what: &str) -> ExitCode {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => exit_code::code(PASSED),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => exit_code::code(PASSED),
        Err(e) => exit_code::code(cmd::usage_error(&format!("cannot write {what}: {e}"), None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words of an example command line; `'...'` keeps spaces, as a shell does.
    fn words(line: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut word = String::new();
        let mut quoted = false;
        for c in line.chars() {
            match c {
                '\'' => quoted = !quoted,
                ' ' if !quoted => {
                    if !word.is_empty() {
                        out.push(std::mem::take(&mut word));
                    }
                }
                _ => word.push(c),
            }
        }
        if !word.is_empty() {
            out.push(word);
        }
        out
    }

    /// Every example `--help` shows is a command line clap accepts, so none can drift from
    /// the options as they are.
    #[test]
    fn every_help_example_parses() {
        let examples: Vec<&str> = AFTER_HELP
            .lines()
            .chain(COMPLETIONS_HELP.lines())
            .filter_map(|l| l.find("apitest ").and_then(|at| l.get(at..)))
            .collect();
        assert!(examples.len() >= 13, "{examples:?}");
        for example in examples {
            // What the example does is said after two spaces or more; a redirect ends it.
            let command = example.split("  ").next().unwrap_or(example);
            let command = command.split(" > ").next().unwrap_or(command);
            let command = command.split(" >> ").next().unwrap_or(command);
            let parsed = Cli::try_parse_from(words(command));
            assert!(parsed.is_ok(), "`{command}`: {:?}", parsed.err());
        }
        assert!(Cli::try_parse_from(["apitest", "run", "--no-such-option"]).is_err());
    }
}
