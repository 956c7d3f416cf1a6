//! Reading a step's arguments: every captured text passes through `World::value` (so `#var`,
//! `$ENV` and `@config` resolve the same way everywhere) and an error underlines the argument
//! it came from.

use serde_json::Value;

use super::{Args, Effect};
use crate::error::{Error, ErrorKind};
use crate::world::World;

impl<'a> Args<'a> {
    /// The `i`-th captured argument, unresolved (empty when the phrase has fewer).
    pub fn get(&self, i: usize) -> &'a str {
        self.captures.get(i).map_or("", String::as_str)
    }
}

impl<'a> Args<'a> {
    /// Resolves step argument `i` to text; an error underlines that argument.
    pub fn text(&self, w: &mut World, i: usize) -> Result<String, Error> {
        w.text(self.get(i)).map_err(|e| e.at_arg(i))
    }

    /// Resolves step argument `i`, keeping a reference's type; an error underlines it.
    pub fn value(&self, w: &mut World, i: usize) -> Result<Value, Error> {
        w.value(self.get(i)).map_err(|e| e.at_arg(i))
    }

    /// Resolves step argument `i` as the name to store a value under: it must not be empty.
    pub fn name(&self, w: &mut World, i: usize) -> Result<String, Error> {
        let name = self.text(w, i)?;
        if name.trim().is_empty() {
            return Err(Error::invalid("a stored value needs a name")
                .at_arg(i)
                .with_hint("write the name to read it back by, e.g. `under \"employee_no\"`, then use it as `#employee_no`"));
        }
        Ok(name)
    }

    /// One item of the list in step argument `i`, picked at random (`... is one of "a, b"`).
    pub fn pick_one(&self, w: &mut World, i: usize) -> Result<Value, Error> {
        let mut items = self.list(w, i)?;
        if items.is_empty() {
            return Err(Error::invalid("`one of` needs at least one value").at_arg(i));
        }
        Ok(items.swap_remove(fastrand::usize(..items.len())))
    }

    /// Resolves step argument `i` as a list: a referenced list (`@departments` from a
    /// ConfigObj list, `#tags`) keeps its items; text is split at commas and trimmed.
    pub fn list(&self, w: &mut World, i: usize) -> Result<Vec<Value>, Error> {
        Ok(match self.value(w, i)? {
            Value::Array(items) => items,
            Value::String(text) => crate::check::predicate::csv(&text)
                .into_iter()
                .map(Value::String)
                .collect(),
            other => vec![other],
        })
    }

    /// Resolves step argument `i` as a JSON integer (`"42"`); an error underlines it.
    pub fn integer(&self, w: &mut World, i: usize) -> Result<Value, Error> {
        let text = self.text(w, i)?;
        let t = text.trim();
        if let Ok(n) = t.parse::<i64>() {
            return Ok(Value::from(n));
        }
        // JSON integers go beyond i64: ids up to u64::MAX still read.
        if let Ok(n) = t.parse::<u64>() {
            return Ok(Value::from(n));
        }
        Err(Error::invalid(format!("`{text}` is not an integer")).at_arg(i))
    }

    /// Resolves step argument `i` as a JSON float (`"2"` gives `2.0`); an error underlines it.
    pub fn float(&self, w: &mut World, i: usize) -> Result<Value, Error> {
        let text = self.text(w, i)?;
        text.trim()
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| Error::invalid(format!("`{text}` is not a number")).at_arg(i))
    }

    /// Resolves step argument `i` as a Python literal (`42`, `['a', 'b']`, `{'k': None}`);
    /// an error underlines it.
    pub fn literal(&self, w: &mut World, i: usize) -> Result<Value, Error> {
        let text = self.text(w, i)?;
        crate::check::literal::parse(&text)
            .map_err(|e| Error::invalid(format!("`{text}` is not a literal value: {e}")).at_arg(i))
    }
}

/// `text` read as JSON; `what` names it in the error, which underlines argument `arg`.
pub(crate) fn parse_json(text: &str, what: &str, arg: usize) -> Result<Value, Error> {
    serde_json::from_str(text).map_err(|e| {
        Error::new(ErrorKind::InvalidJson {
            what: what.to_string(),
            error: e.to_string(),
        })
        .at_arg(arg)
    })
}

/// Passes when `lines` is empty; else fails with `<message> in N places`, listing the lines
/// (the differences or violations found) so that every one can be fixed in one run.
pub(crate) fn fail_listing(message: String, lines: Vec<String>) -> Result<Effect, Error> {
    if lines.is_empty() {
        return Ok(Effect::Done);
    }
    Err(Error::assertion(format!("{message} in {}", places(lines.len()))).with_diff(lines))
}

/// `1 place`, `3 places`.
pub(crate) fn places(n: usize) -> String {
    format!("{n} place{}", crate::error::plural(n))
}
