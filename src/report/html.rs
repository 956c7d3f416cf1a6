//! The HTML report: one self-contained file (styles and script inline, nothing fetched), so
//! it opens from `file://`, from a CI artifact or an e-mail. It holds the summary, a
//! timeline of the parallel run, the API coverage table when a spec was used, and every
//! feature with its scenarios and steps; a failure shows the console's block (file:line,
//! carets, expected/actual, differences), the failing exchange and a `curl` line. Filters by
//! status and tag and a search by name run in the page.
//!
//! The page is built here, with every text escaped; the script only shows and hides what
//! is already there, so the report reads the same with scripts off.

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;
use std::time::SystemTime;

use crate::report::model::{
    at, by_position, called_steps, feature_title, not_run_reason, scenario_status, step_duration,
    step_status, test_name, transcript, warning_line,
};
use crate::report::{FileReport, RunEnd};
use crate::runner::result::{ScenarioResult, Status};
use crate::secret::redact;

pub fn reporter(path: PathBuf) -> FileReport {
    FileReport {
        what: "HTML report",
        path,
        write,
    }
}

/// The timeline shows at most this many scenarios: beyond, bars are thinner than a pixel.
const TIMELINE_MAX: usize = 2_000;

/// `text` safe inside HTML text and attribute values.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters HTML does not allow in text, shown as the console shows them.
            c if c.is_control() && c != '\n' && c != '\t' && c != '\r' => {
                let _ = write!(out, "\\u{{{:X}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

fn write(end: &RunEnd<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    let page = page(end);
    out.write_all(page.as_bytes())
}

/// The whole page.
pub fn page(end: &RunEnd<'_>) -> String {
    let summary = end.summary;
    let mut html = String::with_capacity(4096 + end.results.len() * 600);
    let verdict = if summary.scenarios_failed > 0 || !end.not_started.is_empty() {
        "failed"
    } else {
        "passed"
    };
    let when = chrono::Utc::now().format("%Y-%m-%d %H:%M:%S UTC");
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>apitest report: {} failed, {} passed</title>\n<style>{STYLE}</style>\n</head>\n\
         <body class=\"{verdict}\">\n<header>\n<h1>apitest report</h1>\n\
         <p class=\"when\">{when} · {:.2} s{}</p>\n",
        summary.scenarios_failed,
        summary.scenarios_passed,
        summary.elapsed.as_secs_f64(),
        if summary.interrupted {
            " · <strong>interrupted</strong>: scenarios that had not finished are shown as skipped"
        } else {
            ""
        }
    );
    let _ = write!(
        html,
        "<ul class=\"counts\" id=\"counts\">\
         <li class=\"passed\"><b>{}</b> passed</li>\
         <li class=\"failed\"><b>{}</b> failed</li>\
         <li class=\"skipped\"><b>{}</b> skipped</li>{}\
         <li><b>{}</b> steps ({} passed, {} failed, {} skipped)</li></ul>\n</header>\n",
        summary.scenarios_passed,
        summary.scenarios_failed,
        summary.scenarios_skipped,
        if summary.scenarios_flaky > 0 {
            format!(
                "<li class=\"flaky\"><b>{}</b> flaky (passed on a retry)</li>",
                summary.scenarios_flaky
            )
        } else {
            String::new()
        },
        summary.steps(),
        summary.steps_passed,
        summary.steps_failed,
        summary.steps_skipped
    );
    if !end.not_started.is_empty() {
        html.push_str("<section id=\"not-started\"><h2>The run did not start</h2><ul>");
        for reason in end.not_started {
            let _ = write!(html, "<li><pre>{}</pre></li>", esc(reason));
        }
        html.push_str(
            "</ul><p class=\"note\">Nothing was sent. Fix the above and run again.</p></section>\n",
        );
    }
    controls(&mut html, end);
    timeline(&mut html, end);
    coverage(&mut html, end);
    features(&mut html, end);
    let _ = write!(html, "<script>{SCRIPT}</script>\n</body>\n</html>\n");
    html
}

/// Status checkboxes, a tag list and a search box.
fn controls(html: &mut String, end: &RunEnd<'_>) {
    let mut tags: Vec<&str> = end
        .plan
        .features
        .iter()
        .flat_map(|f| {
            f.scenarios
                .iter()
                .flat_map(|s| s.tags.iter().map(String::as_str))
        })
        .collect();
    tags.sort_unstable();
    tags.dedup();
    html.push_str(
        "<nav id=\"controls\">\
         <label><input type=\"checkbox\" name=\"status\" value=\"failed\" checked> failed</label>\
         <label><input type=\"checkbox\" name=\"status\" value=\"passed\" checked> passed</label>\
         <label><input type=\"checkbox\" name=\"status\" value=\"skipped\" checked> skipped</label>\
         <select id=\"tag\"><option value=\"\">any tag</option>",
    );
    for tag in tags {
        let _ = write!(html, "<option value=\"{0}\">@{0}</option>", esc(tag));
    }
    html.push_str(
        "</select><input type=\"search\" id=\"search\" placeholder=\"search scenarios by name\">\
         <span id=\"shown\"></span></nav>\n",
    );
}

/// One bar per scenario on the lane it ran in, from its start to its end.
fn timeline(html: &mut String, end: &RunEnd<'_>) {
    let mut ran: Vec<(&ScenarioResult, SystemTime)> = end
        .results
        .iter()
        .filter_map(|r| r.started.map(|at| (r, at)))
        .collect();
    if ran.is_empty() {
        return;
    }
    ran.sort_by_key(|(_, at)| *at);
    let Some(&(_, first)) = ran.first() else {
        return;
    };
    let span = ran
        .iter()
        .map(|(r, at)| at.duration_since(first).unwrap_or_default() + r.duration)
        .max()
        .unwrap_or_default()
        .as_secs_f64()
        .max(1e-6);
    // Lanes: each scenario takes the first lane free when it starts.
    let mut lanes: Vec<SystemTime> = Vec::new();
    let mut bars = String::new();
    for (result, begun) in ran.iter().take(TIMELINE_MAX) {
        let finish = *begun + result.duration;
        let lane = match lanes.iter().position(|free| free <= begun) {
            Some(lane) => lane,
            None => {
                lanes.push(*begun);
                lanes.len() - 1
            }
        };
        if let Some(slot) = lanes.get_mut(lane) {
            *slot = finish;
        }
        let left = begun
            .duration_since(first)
            .unwrap_or_default()
            .as_secs_f64()
            / span
            * 100.0;
        let width = (result.duration.as_secs_f64() / span * 100.0).max(0.2);
        let name = at(end.plan, result.feature, result.scenario)
            .map_or_else(String::new, |(f, s)| {
                format!("{} ({}:{})", test_name(s), f.display, s.line)
            });
        let _ = write!(
            bars,
            "<div class=\"bar {}\" style=\"left:{left:.3}%;width:{width:.3}%;top:{}px\" title=\"{} · {} ms\"></div>",
            scenario_status(Some(result)),
            lane * 14,
            esc(&name),
            result.duration.as_millis()
        );
    }
    let shown = ran.len().min(TIMELINE_MAX);
    let _ = write!(
        html,
        "<section id=\"timeline\"><h2>Timeline</h2><p class=\"note\">{shown} scenario{} on {} lane{} over {:.2} s{}</p>\
         <div class=\"lanes\" style=\"height:{}px\">{bars}</div></section>",
        crate::error::plural(shown),
        lanes.len(),
        crate::error::plural(lanes.len()),
        span,
        if ran.len() > TIMELINE_MAX {
            format!(" (the first {TIMELINE_MAX} of {} are shown)", ran.len())
        } else {
            String::new()
        },
        lanes.len() * 14 + 2
    );
}

/// The API coverage table, when the run used an OpenAPI spec.
fn coverage(html: &mut String, end: &RunEnd<'_>) {
    let Some(report) = end.coverage else {
        return;
    };
    let secrets = end.all_secrets();
    html.push_str("<section id=\"coverage\"><h2>API coverage</h2>");
    for spec in &report.specs {
        let _ = write!(
            html,
            "<p>{}: {}/{} operations, {}/{} documented responses</p>\
             <table><thead><tr><th>operation</th><th>exercised</th><th>statuses seen</th><th>responses not seen</th><th>undocumented</th></tr></thead><tbody>",
            esc(&spec.spec),
            spec.operations_covered,
            spec.operations_total,
            spec.responses_covered,
            spec.responses_total
        );
        for op in &spec.operations {
            let join = |codes: &[u16]| {
                codes
                    .iter()
                    .map(u16::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let unseen: Vec<&str> = op
                .responses
                .iter()
                .filter(|r| !r.seen)
                .map(|r| r.response.as_str())
                .collect();
            let _ = write!(
                html,
                "<tr class=\"{}\"><td>{} {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                if op.exercised { "covered" } else { "missed" },
                esc(&op.method),
                esc(&op.path),
                if op.exercised { "yes" } else { "no" },
                join(&op.statuses_seen),
                esc(&unseen.join(", ")),
                join(&op.undocumented_statuses)
            );
        }
        html.push_str("</tbody></table>");
        for unmatched in &spec.unmatched {
            let _ = write!(
                html,
                "<p class=\"note\">not in the spec: {} (from {})</p>",
                esc(&redact(&unmatched.request, &secrets)),
                esc(&unmatched.scenario)
            );
        }
    }
    html.push_str("</section>\n");
}

/// Every feature with its scenarios, in file order; failed scenarios open.
fn features(html: &mut String, end: &RunEnd<'_>) {
    let slots = by_position(end.plan, end.results);
    let not_run = not_run_reason(end.summary.interrupted);
    // Step texts can hold a literal credential; names are the user's and stay as written.
    let secrets = end.all_secrets();
    html.push_str("<main id=\"features\">\n");
    for (feature, slots) in end.plan.features.iter().zip(&slots) {
        if feature.scenarios.is_empty() {
            continue;
        }
        let title = feature_title(feature);
        let _ = write!(
            html,
            "<section class=\"feature\"><h2>{} <small>{}</small></h2>",
            esc(title),
            esc(&feature.display)
        );
        for (scenario, &result) in feature.scenarios.iter().zip(slots) {
            let status = scenario_status(result);
            let tags = scenario.tags.join(" ");
            let _ = write!(
                html,
                "<details class=\"scenario {status}\" data-status=\"{status}\" data-tags=\" {} \" data-name=\"{}\"{}>\
                 <summary><span class=\"mark\">{}</span> {} <small>{}:{} · {} ms{}</small></summary>\n<ol class=\"steps\">",
                esc(&tags),
                esc(&test_name(scenario).to_lowercase()),
                if status == "failed" { " open" } else { "" },
                match status {
                    "passed" => "✔",
                    "failed" => "✘",
                    _ => "–",
                },
                esc(&test_name(scenario)),
                esc(&feature.display),
                scenario.line,
                result.map_or(0, |r| r.duration.as_millis()),
                scenario
                    .tags
                    .iter()
                    .map(|t| format!(" @{}", esc(t)))
                    .collect::<String>()
            );
            // Before the steps (of the last attempt), one line per failed attempt.
            if let Some(result) = result {
                let verdict = if result.is_flaky() {
                    "flaky"
                } else {
                    "retried"
                };
                for (_, text) in crate::report::model::retry_lines(result) {
                    let _ = write!(html, "<li class=\"retry {verdict}\">{}</li>", esc(&text));
                }
            }
            for (i, step) in scenario.steps.iter().enumerate() {
                let step_state = step_status(result, i, step).lower();
                let _ = write!(
                    html,
                    "<li class=\"{step_state}\"><b>{}</b> {} <small>line {} · {} · {} ms</small>",
                    esc(step.keyword),
                    esc(&redact(&step.text, &secrets)),
                    step.line,
                    step_state,
                    step_duration(result, i).as_millis()
                );
                if let Some(doc) = step.docstring.as_deref() {
                    let _ = write!(
                        html,
                        "<pre class=\"doc\">{}</pre>",
                        esc(&redact(doc, &secrets))
                    );
                }
                called_steps_html(html, result, i, step, &secrets);
                html.push_str("</li>");
            }
            html.push_str("</ol>\n");
            match result {
                None => {
                    let _ = write!(html, "<p class=\"note\">{}</p>", esc(not_run));
                }
                Some(result) => {
                    scenario_details(html, feature, scenario, result, end.summary.interrupted);
                }
            }
            html.push_str("</details>\n");
        }
        html.push_str("</section>\n");
    }
    html.push_str("</main>\n");
}

/// Under a call step, the steps of the scenario it ran, nested as the calls are.
fn called_steps_html(
    html: &mut String,
    result: Option<&ScenarioResult>,
    index: usize,
    step: crate::runner::plan::PlannedStep<'_>,
    secrets: &[String],
) {
    // Each deeper level is an `<ol>` inside the item of the step that called it.
    let mut depth = 0;
    for called in called_steps(result, index, step) {
        if called.depth > depth {
            while depth < called.depth {
                html.push_str("<ol class=\"steps called\">");
                depth += 1;
            }
        } else {
            html.push_str("</li>");
            while depth > called.depth {
                html.push_str("</ol></li>");
                depth -= 1;
            }
        }
        let state = called.status.lower();
        let _ = write!(
            html,
            "<li class=\"{state}\"><b>{}</b> {} <small>{}:{} · {state}</small>",
            esc(called.step.keyword),
            esc(&redact(&called.step.text, secrets)),
            esc(called.file),
            called.step.line,
        );
    }
    if depth > 0 {
        html.push_str("</li>");
        for _ in 1..depth {
            html.push_str("</ol></li>");
        }
        html.push_str("</ol>");
    }
}

/// A scenario's failure, exchange, warnings and transcript, secrets redacted.
fn scenario_details(
    html: &mut String,
    feature: &crate::runner::plan::PlannedFeature,
    scenario: &crate::runner::plan::PlannedScenario,
    result: &ScenarioResult,
    interrupted: bool,
) {
    if let Some(failure) = &result.failure {
        let block = crate::report::render::render_failure(
            feature,
            scenario,
            failure,
            &result.secrets,
            crate::report::render::Style::PLAIN,
        );
        let _ = write!(html, "<pre class=\"failure\">{}</pre>", esc(&block));
        if let Some(exchange) = &failure.exchange {
            let _ = write!(
                html,
                "<h4>The failing step's exchange</h4><pre class=\"exchange\">{}</pre>\
                 <h4>To send it again</h4><pre class=\"curl\">{}</pre>",
                esc(&redact(&exchange.text(), &result.secrets)),
                esc(&redact(&exchange.curl, &result.secrets))
            );
        }
    } else if result.status == Status::Skipped {
        let _ = write!(
            html,
            "<p class=\"note\">{}</p>",
            esc(not_run_reason(interrupted))
        );
    }
    for warning in &result.warnings {
        let line = warning_line(feature, scenario, result, warning);
        let _ = write!(html, "<p class=\"warning\">{}</p>", esc(&line));
    }
    if let Some(text) = transcript(result) {
        let _ = write!(
            html,
            "<h4>Transcript</h4><pre class=\"transcript\">{}</pre>",
            esc(&text)
        );
    }
}

const STYLE: &str = r#"
:root{--pass:#1a7f37;--fail:#cf222e;--skip:#9a6700;--bg:#fff;--fg:#1f2328;--dim:#656d76;--line:#d0d7de}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--dim:#8d96a0;--line:#30363d;--pass:#3fb950;--fail:#f85149;--skip:#d29922}}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1200px;padding:1em 2em;background:var(--bg);color:var(--fg)}
h1{margin:.2em 0}h2{font-size:1.15em;margin:1.2em 0 .4em}small,.note,.when{color:var(--dim)}
.counts{display:flex;gap:1.5em;list-style:none;padding:0;font-size:1.1em}
.counts .flaky b{color:var(--skip)}.steps li.retry{color:var(--skip)}.counts .passed b{color:var(--pass)}.counts .failed b{color:var(--fail)}.counts .skipped b{color:var(--skip)}
nav{position:sticky;top:0;background:var(--bg);padding:.5em 0;border-bottom:1px solid var(--line);display:flex;gap:1em;align-items:center;flex-wrap:wrap}
input[type=search]{flex:1;min-width:12em;padding:.3em}
details.scenario{border:1px solid var(--line);border-left:4px solid var(--dim);border-radius:4px;margin:.3em 0;padding:.2em .6em}
details.passed{border-left-color:var(--pass)}details.failed{border-left-color:var(--fail)}details.skipped{border-left-color:var(--skip)}
summary{cursor:pointer}.passed>summary .mark{color:var(--pass)}.failed>summary .mark{color:var(--fail)}.skipped>summary .mark{color:var(--skip)}
ol.steps{margin:.3em 0;padding-left:2em}ol.steps li.failed,ol.steps li.undefined,ol.steps li.ambiguous{color:var(--fail)}ol.steps li.skipped{color:var(--dim)}
pre{background:rgba(127,127,127,.1);padding:.6em;overflow-x:auto;white-space:pre-wrap;word-break:break-word;border-radius:4px}
pre.failure{border-left:3px solid var(--fail)}.warning{color:var(--skip)}
table{border-collapse:collapse;width:100%}th,td{border:1px solid var(--line);padding:.2em .5em;text-align:left}tr.missed td{color:var(--fail)}
.lanes{position:relative;border:1px solid var(--line);overflow:hidden}.bar{position:absolute;height:12px;border-radius:2px;background:var(--pass);opacity:.85}
.bar.failed{background:var(--fail)}.bar.skipped{background:var(--skip)}
[hidden]{display:none!important}
"#;

const SCRIPT: &str = r#"
(function(){
  var scenarios=[].slice.call(document.querySelectorAll('details.scenario'));
  var features=[].slice.call(document.querySelectorAll('section.feature'));
  var boxes=[].slice.call(document.querySelectorAll('input[name=status]'));
  var tag=document.getElementById('tag'),search=document.getElementById('search'),shown=document.getElementById('shown');
  function apply(){
    var statuses={};boxes.forEach(function(b){statuses[b.value]=b.checked;});
    var t=tag.value,q=search.value.trim().toLowerCase(),n=0;
    scenarios.forEach(function(s){
      var ok=statuses[s.dataset.status]&&(!t||s.dataset.tags.indexOf(' '+t+' ')>=0)&&(!q||s.dataset.name.indexOf(q)>=0);
      s.hidden=!ok;if(ok){n++;}
    });
    features.forEach(function(f){f.hidden=!f.querySelector('details.scenario:not([hidden])');});
    shown.textContent=n+' of '+scenarios.length+' scenarios shown';
  }
  boxes.forEach(function(b){b.addEventListener('change',apply);});
  tag.addEventListener('change',apply);search.addEventListener('input',apply);
  apply();
})();
"#;

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn text_is_escaped_for_html() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(esc("a\u{1b}[31mb\u{0}"), "a\\u{1B}[31mb\\u{0}");
    }
}
