//! Executes a plan: scenarios run concurrently (at most `jobs` at a time), each step calls
//! its step function, and the I/O a step asks for (sending the request, sleeping) happens
//! here. Results stream out through a channel as scenarios finish, so a report can be
//! written from whatever has finished, even when the run is interrupted.
//!
//! In scenario scope every scenario gets a fresh World. In feature scope (Zato's model) one
//! World lives through all scenarios of a feature, which then run in file order; different
//! features still run in parallel.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};
use thin_vec::ThinVec;

use tokio::sync::{Semaphore, mpsc};
use tokio::task::JoinSet;

use crate::error::Error;
use crate::http;
use crate::runner::plan::{Plan, PlannedStep, Steps};
use crate::runner::result::{Attempt, Failure, Progress, ScenarioResult, Status, StepCounts};
use crate::steps::{Args, Effect, REGISTRY};
use crate::value::Scope;
use crate::world::{RunContext, World};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunOptions {
    pub jobs: usize,
    pub fail_fast: bool,
    pub scope: Scope,
    /// Times a failed scenario is run again (`--retry`, `[run] retry`); `@retry(N)` on a
    /// scenario or its feature says otherwise for it. Scenario scope only.
    pub retry: u32,
}

/// Runs every scenario of `plan`, sending each result to `results` as it finishes. Every
/// scenario yields exactly one result: run, skipped by `--fail-fast` or by `stop` (set by the
/// caller on a signal: no scenario starts after it), or failed by a panic.
pub async fn execute(
    plan: Arc<Plan>,
    ctx: Arc<RunContext>,
    options: RunOptions,
    stop: Arc<AtomicBool>,
    results: mpsc::UnboundedSender<Progress>,
) {
    let permits = Arc::new(Semaphore::new(
        options.jobs.clamp(1, Semaphore::MAX_PERMITS),
    ));
    let mut tasks = JoinSet::new();
    // Which scenarios each task covers, so a task that panics still yields results.
    let mut owners: Owners = HashMap::new();

    // A unit is what one task runs with one World: a scenario, or a whole feature.
    let units = || {
        plan.features.iter().enumerate().flat_map(|(fi, feature)| {
            let count = feature.scenarios.len();
            let units: Box<dyn Iterator<Item = Range<usize>>> = match options.scope {
                Scope::Scenario => Box::new((0..count).map(|si| si..si + 1)),
                Scope::Feature if count == 0 => Box::new(std::iter::empty()),
                Scope::Feature => Box::new(std::iter::once(0..count)),
            };
            units.map(move |unit| (fi, unit))
        })
    };
    // `@serial` units never run at the same time as each other: one task runs them in turn,
    // beside the others, taking a job slot for each.
    let serial = |&(fi, ref unit): &(usize, Range<usize>)| {
        plan.features
            .get(fi)
            .and_then(|f| f.scenarios.get(unit.clone()))
            .is_some_and(|s| s.iter().any(|s| s.tags.iter().any(|t| t == SERIAL_TAG)))
    };
    let lane: Vec<(usize, Range<usize>)> = units().filter(serial).collect();
    if !lane.is_empty() {
        let (plan2, ctx2, stop2, tx, permits2) = (
            Arc::clone(&plan),
            Arc::clone(&ctx),
            Arc::clone(&stop),
            results.clone(),
            Arc::clone(&permits),
        );
        let covered = lane.clone();
        let handle = tasks.spawn(async move {
            for (fi, unit) in lane {
                let Ok(_permit) = Arc::clone(&permits2).acquire_owned().await else {
                    break;
                };
                run_unit(&plan2, &ctx2, &stop2, &tx, options, fi, unit).await;
            }
        });
        owners.insert(handle.id(), covered);
    }
    for (fi, unit) in units().filter(|u| !serial(u)) {
        let Ok(permit) = Arc::clone(&permits).acquire_owned().await else {
            break;
        };
        let (plan2, ctx2, stop2, tx) = (
            Arc::clone(&plan),
            Arc::clone(&ctx),
            Arc::clone(&stop),
            results.clone(),
        );
        let scenarios = unit.clone();
        let handle = tasks.spawn(async move {
            let _permit = permit;
            run_unit(&plan2, &ctx2, &stop2, &tx, options, fi, scenarios).await;
        });
        owners.insert(handle.id(), vec![(fi, unit)]);
        // Reap finished tasks as we go, so a run of many scenarios holds only the
        // bookkeeping of the ones still running.
        while let Some(done) = tasks.try_join_next_with_id() {
            reap(done, &mut owners, &plan, &results);
        }
    }
    while let Some(done) = tasks.join_next_with_id().await {
        reap(done, &mut owners, &plan, &results);
    }
}

/// Runs a failed scenario again, each time from a fresh World, while it fails in a way a
/// retry may mend and retries are left; the failed attempts go into the last result. Only in
/// scenario scope: in feature scope the World is the feature's, so one scenario cannot be
/// run again alone (see the README).
async fn retry(
    plan: &Plan,
    ctx: &Arc<RunContext>,
    stop: &AtomicBool,
    run_retry: u32,
    mut result: ScenarioResult,
) -> ScenarioResult {
    let (fi, si) = (result.feature, result.scenario);
    let retries = retries_for(plan, fi, si, run_retry) as usize;
    let mut failed = Vec::new();
    while failed.len() < retries && !stop.load(Ordering::Relaxed) {
        let Some(failure) = result.failure.take_if(|f| retryable(&f.error)) else {
            break;
        };
        failed.push(Attempt {
            failure,
            started: result.started,
            duration: result.duration,
            secrets: std::mem::take(&mut result.secrets),
        });
        let mut world = World::new(Arc::clone(ctx));
        result = run_scenario(plan, fi, si, &mut world, SystemTime::now()).await;
        if result.status != Status::Failed {
            break;
        }
    }
    result.retries = failed.into();
    result
}

/// How many times a failed scenario is run again: `@retry(N)` (or `@retry`, meaning
/// [`DEFAULT_TAG_RETRY`]) on the scenario or anything it inherits tags from, else the run's.
fn retries_for(plan: &Plan, fi: usize, si: usize, run: u32) -> u32 {
    let Some(scenario) = plan.features.get(fi).and_then(|f| f.scenarios.get(si)) else {
        return run;
    };
    scenario
        .tags
        .iter()
        .filter_map(|t| retry_tag(t))
        .max()
        .unwrap_or(run)
}

/// Retries a bare `@retry` tag asks for.
pub const DEFAULT_TAG_RETRY: u32 = 2;

/// `retry` → the default, `retry(3)` → 3; any other tag → None.
pub fn retry_tag(tag: &str) -> Option<u32> {
    if tag == "retry" {
        return Some(DEFAULT_TAG_RETRY);
    }
    let n = tag.strip_prefix("retry(")?.strip_suffix(')')?;
    n.trim()
        .parse::<u32>()
        .ok()
        .map(|n| n.min(crate::value::config::MAX_RETRY))
}

/// Whether a failure may pass when tried again (a scenario's retry, a polling attempt): a
/// failed check or exchange may (the API was not ready, a connection dropped); a step that
/// matches nothing or an argument that is wrong never will.
fn retryable(error: &Error) -> bool {
    use crate::error::ErrorKind;
    error.is_assertion() || matches!(*error.kind, ErrorKind::Http { .. })
}

/// The tag (without `@`) of scenarios that never run at the same time as each other.
pub const SERIAL_TAG: &str = "serial";

/// Runs one unit (a scenario, or a feature's scenarios in turn) with one World, sending each
/// result as it finishes; after `stop`, the rest are reported as not run.
async fn run_unit(
    plan: &Plan,
    ctx: &Arc<RunContext>,
    stop: &AtomicBool,
    tx: &mpsc::UnboundedSender<Progress>,
    options: RunOptions,
    fi: usize,
    scenarios: Range<usize>,
) {
    let fail_fast = options.fail_fast;
    // One World per unit: per scenario in scenario scope, per feature otherwise.
    let mut world = World::new(Arc::clone(ctx));
    for si in scenarios {
        if stop.load(Ordering::Relaxed) {
            let _ = tx.send(Progress::Finished(not_run(plan, fi, si)));
            continue;
        }
        let wall = SystemTime::now();
        let _ = tx.send(Progress::Started(fi, si, wall));
        let mut result = run_scenario(plan, fi, si, &mut world, wall).await;
        if result.status == Status::Failed && options.scope == Scope::Scenario {
            result = retry(plan, ctx, stop, options.retry, result).await;
        }
        if result.status == Status::Failed && fail_fast {
            stop.store(true, Ordering::Relaxed);
        }
        let _ = tx.send(Progress::Finished(result));
    }
}

/// Which scenarios each task covers: (feature, scenarios) per unit.
type Owners = HashMap<tokio::task::Id, Vec<(usize, Range<usize>)>>;

type Joined = Result<(tokio::task::Id, ()), tokio::task::JoinError>;

fn reap(done: Joined, owners: &mut Owners, plan: &Plan, results: &mpsc::UnboundedSender<Progress>) {
    match done {
        Ok((id, ())) => {
            owners.remove(&id);
        }
        Err(e) => {
            // A panic is a bug in apitest, never the user's fault; say so rather than lose
            // the scenario. Results the task already sent are kept by the receiver; the ones
            // it did not reach are reported here.
            for (fi, scenarios) in owners.remove(&e.id()).into_iter().flatten() {
                for si in scenarios {
                    let mut result = not_run(plan, fi, si);
                    result.status = Status::Failed;
                    result.failure = Some(Box::new(Failure::at(0, Error::internal(e.to_string()))));
                    let _ = results.send(Progress::Finished(result));
                }
            }
        }
    }
}

/// The result of a scenario that was not run.
pub fn not_run(plan: &Plan, fi: usize, si: usize) -> ScenarioResult {
    let steps = plan
        .features
        .get(fi)
        .and_then(|f| f.scenarios.get(si))
        .map_or(0, |s| s.steps.len());
    ScenarioResult {
        feature: fi,
        scenario: si,
        status: Status::Skipped,
        steps: StepCounts::skipped(steps),
        failure: None,
        duration: Duration::ZERO,
        started: None,
        step_micros: Box::default(),
        secrets: ThinVec::new(),
        transcript: ThinVec::new(),
        warnings: ThinVec::new(),
        retries: ThinVec::new(),
    }
}

async fn run_scenario(
    plan: &Plan,
    fi: usize,
    si: usize,
    world: &mut World,
    wall: SystemTime,
) -> ScenarioResult {
    let Some(scenario) = plan.features.get(fi).and_then(|f| f.scenarios.get(si)) else {
        return not_run(plan, fi, si);
    };
    let started = Instant::now();
    world.at = (fi, si);
    world.sent = None;
    let count = scenario.steps.len();
    // A step that matches no phrase fails the scenario before anything is sent: running the
    // steps before it would only send requests whose checks can never all run.
    if let Some((index, nested, error)) = first_unmatched(&scenario.steps) {
        let steps = StepCounts::refused(count);
        let mut failure = Failure::at(index, error);
        failure.nested = nested;
        let failure = Some(Box::new(failure));
        return finish(
            fi,
            si,
            world,
            steps,
            failure,
            (wall, started.elapsed(), Vec::new()),
        );
    }
    let mut failure = None;
    let mut warnings = Vec::new();
    let mut micros = Vec::with_capacity(count);
    for (index, step) in scenario.steps.iter().enumerate() {
        let step_started = Instant::now();
        let outcome = run_planned(world, step).await;
        micros.push(u32::try_from(step_started.elapsed().as_micros()).unwrap_or(u32::MAX));
        warnings.extend(world.warnings.drain(..).map(|w| (index, w)));
        if let Err((error, nested)) = outcome {
            // With no response (the request could not be sent), name the request that was
            // attempted, so "connection refused" says where.
            let request = match &world.response {
                Some(r) => Some(r.summary.clone()),
                None if matches!(*error.kind, crate::error::ErrorKind::Http { .. }) => world
                    .request
                    .url()
                    .ok()
                    .map(|url| crate::http::RequestSummary {
                        method: world.request.method.clone(),
                        url: url.to_string(),
                        path: url.path().to_string(),
                        status: None,
                        elapsed: Duration::ZERO,
                    }),
                None => None,
            };
            let exchange = request.as_ref().map(|_| capture(world));
            failure = Some(Box::new(Failure {
                step: index,
                nested,
                error,
                request,
                exchange,
            }));
            break;
        }
    }
    let steps = StepCounts::of(count, failure.as_ref().map(|f| f.step));
    let mut result = finish(
        fi,
        si,
        world,
        steps,
        failure,
        (wall, started.elapsed(), micros),
    );
    result.warnings = warnings.into();
    result
}

/// The first step that matches no phrase (or calls a scenario that cannot be run), looking
/// into called scenarios: its index, its place in the calls, and why.
fn first_unmatched(steps: &Steps) -> Option<(usize, Vec<usize>, Error)> {
    steps.iter().enumerate().find_map(|(i, step)| {
        if let Err(e) = &*step.matched {
            return Some((i, Vec::new(), e.clone()));
        }
        let (j, mut nested, e) = first_unmatched(&step.call.as_ref()?.steps)?;
        nested.insert(0, j);
        Some((i, nested, e))
    })
}

/// A step, and when it calls a scenario, that scenario's steps after it; a failure says
/// where in the calls it happened.
async fn run_planned(world: &mut World, step: PlannedStep<'_>) -> Result<(), (Error, Vec<usize>)> {
    run_step(world, step).await.map_err(|e| (e, Vec::new()))?;
    match &step.call {
        Some(called) => run_called(world, called).await,
        None => Ok(()),
    }
}

type Called<'a> =
    std::pin::Pin<Box<dyn Future<Output = Result<(), (Error, Vec<usize>)>> + Send + 'a>>;

/// The steps of a called scenario, in the caller's World (boxed: calls nest).
fn run_called<'a>(world: &'a mut World, called: &'a crate::runner::plan::Called) -> Called<'a> {
    Box::pin(async move {
        for (j, step) in called.steps.iter().enumerate() {
            if let Err((error, mut nested)) = run_planned(world, step).await {
                nested.insert(0, j);
                return Err((error, nested));
            }
        }
        Ok(())
    })
}

/// The credentials written in the parts of the plan's feature files this run did not run
/// (scenarios left out by tags, lines, names or a shard), found by building their requests
/// without sending them. A report shows a feature's whole source, so those literals must
/// be masked as they are in a run of the whole file (`Basic Auth "hr" "<password>"`).
pub fn secrets_not_run(plan: &Plan, ctx: &Arc<RunContext>) -> Vec<String> {
    let mut found = crate::secret::Secrets::default();
    for feature in plan
        .features
        .iter()
        .filter(|f| f.scenarios.len() < f.written)
    {
        let whole = crate::runner::plan::build_check_plan(std::slice::from_ref(&feature.path));
        for scenario in whole.features.iter().flat_map(|f| &f.scenarios) {
            let mut world = World::new(Arc::clone(ctx));
            for step in &scenario.steps {
                build_without_sending(&mut world, step, 0);
            }
            world.note_request_secrets();
            for secret in world.secrets.as_slice() {
                found.add(secret);
            }
        }
    }
    found.as_slice().to_vec()
}

/// One step of `secrets_not_run`: the steps that build a request or set credentials run;
/// sending only notes the request's credentials; checks are skipped; errors (a variable a
/// response would have set) are ignored.
fn build_without_sending(world: &mut World, step: PlannedStep<'_>, depth: usize) {
    use crate::steps::Family;
    let Ok(matched) = step.matched.as_ref() else {
        return;
    };
    let Some(def) = REGISTRY.defs.get(matched.index) else {
        return;
    };
    match def.family {
        Family::Request | Family::Auth | Family::Variables | Family::Cookies => {
            let args = Args {
                captures: &matched.captures,
                docstring: step.docstring.as_deref(),
                table: step.table.as_deref(),
            };
            let _ = def.run.call(world, args);
        }
        Family::Send => world.note_request_secrets(),
        _ => {}
    }
    // Calls nest; the plan has refused cycles, the bound only keeps this a loop.
    if let Some(called) = step.call.as_deref()
        && depth < 64
    {
        for inner in &called.steps {
            build_without_sending(world, inner, depth + 1);
        }
    }
}

/// The exchange a failing step concerned: the request as it was sent (with the cookies the
/// jar sent with it) or, when none was sent yet, as set up; and the answer if one came.
fn capture(world: &World) -> http::Exchange {
    match world.sent.as_deref() {
        Some((request, cookies)) => {
            http::Exchange::capture(request, cookies.as_deref(), world.response.as_ref())
        }
        None => {
            let cookies = cookie_header(world, &world.request);
            http::Exchange::capture(&world.request, cookies.as_deref(), world.response.as_ref())
        }
    }
}

/// The `Cookie` header the jar sends with `request`; `None` when the jar is empty.
fn cookie_header(world: &World, request: &http::RequestSpec) -> Option<String> {
    world.cookies.iter_any().next()?;
    let url = request.url().ok()?;
    let pairs: Vec<String> = world
        .cookies
        .get_request_values(&url)
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    (!pairs.is_empty()).then(|| pairs.join("; "))
}

fn finish(
    fi: usize,
    si: usize,
    world: &mut World,
    steps: StepCounts,
    failure: Option<Box<Failure>>,
    (started, duration, micros): (SystemTime, Duration, Vec<u32>),
) -> ScenarioResult {
    let status = if failure.is_some() {
        Status::Failed
    } else {
        Status::Passed
    };
    // A check of the request before it was sent (`request matches the OpenAPI spec`) can
    // quote a credential the request holds; it is a secret before it is sent, too.
    if failure.is_some() || !world.transcript.is_empty() {
        world.note_request_secrets();
    }
    ScenarioResult {
        feature: fi,
        scenario: si,
        status,
        steps,
        failure,
        duration,
        started: Some(started),
        step_micros: micros.into_boxed_slice(),
        secrets: world.secrets.as_slice().iter().cloned().collect(),
        transcript: std::mem::take(&mut world.transcript).into(),
        warnings: ThinVec::new(),
        retries: ThinVec::new(),
    }
}

async fn run_step(world: &mut World, step: PlannedStep<'_>) -> Result<(), Error> {
    let matched = (*step.matched).as_ref().map_err(Clone::clone)?;
    let Some(def) = REGISTRY.defs.get(matched.index) else {
        return Err(Error::internal("a planned step has no definition"));
    };
    let args = Args {
        captures: &matched.captures,
        docstring: step.docstring.as_deref(),
        table: step.table.as_deref(),
    };
    match def.run.call(world, args)? {
        Effect::Done => Ok(()),
        Effect::Sleep(duration) => {
            tokio::time::sleep(duration).await;
            Ok(())
        }
        Effect::FetchToken(name) => {
            let ctx = Arc::clone(&world.run);
            let oauth = world.oauth.clone();
            let transcript = ctx.verbose.then_some(&mut world.transcript);
            let client = ctx.client_for(world.request.insecure)?;
            // The token request obeys the scenario's timeout, as every other request does.
            let timeout = world.request.timeout.unwrap_or(ctx.timeout);
            // The token request counts in API coverage while a spec is in effect.
            let (spec, at) = (world.openapi.as_ref(), world.at);
            let sent = |response: &http::Response| count_in_coverage(&ctx, spec, at, response);
            let token =
                http::oauth::fetch_token(client, &oauth, timeout, ctx.max_body, transcript, sent)
                    .await?;
            world.add_secret(&token.access);
            for secret in &token.secrets {
                world.add_secret(secret);
            }
            world.store(&name, serde_json::Value::String(token.access));
            Ok(())
        }
        Effect::Invoke => invoke(world, None).await,
        Effect::Poll(poll) => poll_until(world, &poll).await,
    }
}

/// Sends the request being built and keeps the response. `cap` bounds the request's timeout
/// (a polling step's time left).
async fn invoke(world: &mut World, cap: Option<Duration>) -> Result<(), Error> {
    world.response = None;
    world.note_request_secrets();
    // What was sent, as it was: a later step may change the request being built.
    let cookies = cookie_header(world, &world.request);
    world.sent = Some(Box::new((world.request.clone(), cookies)));
    let ctx = Arc::clone(&world.run);
    let transcript = ctx.verbose.then_some(&mut world.transcript);
    let client = ctx.client_for(world.request.insecure)?;
    let own = world.request.timeout;
    if let Some(cap) = cap {
        world.request.timeout = Some(own.unwrap_or(ctx.timeout).min(cap));
    }
    let response = http::send(
        client,
        &world.request,
        ctx.timeout,
        ctx.max_body,
        transcript,
        Some(&mut world.cookies),
    )
    .await;
    world.request.timeout = own;
    let response = response?;
    world.note_response_secrets(&response);
    count_in_coverage(&ctx, world.openapi.as_ref(), world.at, &response);
    world.response = Some(response);
    Ok(())
}

/// The shortest timeout a polling attempt gets, so that the last one can still be answered.
const MIN_ATTEMPT: Duration = Duration::from_millis(100);

/// A polling step: sends the request and runs the check until it holds, an attempt at a time,
/// while the next attempt can start before the time limit. A check that cannot run (a bad
/// argument) stops at once; a failed check or a failed exchange (refused, timed out) is
/// tried again. The last failure is the step's, with the number of attempts.
async fn poll_until(world: &mut World, poll: &crate::steps::Poll) -> Result<(), Error> {
    let Some(def) = REGISTRY.defs.get(poll.check) else {
        return Err(Error::internal("a polling step's check has no definition"));
    };
    let started = Instant::now();
    let mut attempts = 0u32;
    loop {
        attempts += 1;
        let left = poll
            .within
            .saturating_sub(started.elapsed())
            .max(MIN_ATTEMPT);
        let args = Args {
            captures: &poll.captures,
            docstring: None,
            table: None,
        };
        let outcome = invoke(world, Some(left))
            .await
            .and_then(|()| def.run.call(world, args));
        let mut error = match outcome {
            Ok(_) => return Ok(()),
            Err(e) => e,
        };
        if !retryable(&error) {
            return Err(error);
        }
        if started.elapsed() + poll.every < poll.within {
            tokio::time::sleep(poll.every).await;
            continue;
        }
        if let Some(response) = world.response.as_ref()
            && !error.extra.iter().any(|(label, _)| *label == "body")
        {
            error = error.with_detail("last response", response.excerpt(400));
        }
        let mut error = error.with_detail(
            "attempts",
            format!(
                "{attempts} in {:.1} s (every {} s, within {} s)",
                started.elapsed().as_secs_f64(),
                poll.every.as_secs_f64(),
                poll.within.as_secs_f64()
            ),
        );
        // The check's own argument numbers do not apply to the polling step's text.
        error.arg = Some(2);
        if error.hint.is_none() {
            error.hint = Some(
                "the check still did not hold when time was up; give the API longer (the first number) or check what the last response says"
                    .to_string(),
            );
        }
        return Err(error);
    }
}

/// Counts a request in API coverage when an OpenAPI document is in effect.
fn count_in_coverage(
    ctx: &RunContext,
    spec: Option<&Arc<crate::contract::Spec>>,
    at: (usize, usize),
    response: &http::Response,
) {
    if let Some(spec) = spec {
        let summary = &response.summary;
        ctx.contracts
            .record(spec, at, &summary.method, &summary.path, response.status);
    }
}
