//! Random instants inside a window, for `is a random date ...`.

use super::*;

/// A random instant strictly between `start` and `end`, in `start`'s offset.
///
/// The pick is uniform over whole seconds after `start` (so a start written
/// with second precision gives second-precision results); when fewer than two
/// seconds separate the bounds it falls back to nanoseconds so that a result
/// strictly inside still exists.
pub fn random_between(
    start: DateTime<FixedOffset>,
    end: DateTime<FixedOffset>,
) -> Result<DateTime<FixedOffset>, DateError> {
    if end <= start {
        return Err(DateError::new(format!(
            "the end date must be after the start date (start `{}`, end `{}`)",
            start.to_rfc3339(),
            end.to_rfc3339()
        )));
    }
    let span = end.signed_duration_since(start);
    let seconds = span.num_seconds();
    let step = if seconds >= 2 {
        TimeDelta::try_seconds(fastrand::i64(1..seconds))
    } else {
        match span.num_nanoseconds() {
            Some(nanos) if nanos >= 2 => Some(TimeDelta::nanoseconds(fastrand::i64(1..nanos))),
            _ => None,
        }
    };
    step.and_then(|step| start.checked_add_signed(step))
        .ok_or_else(|| {
            DateError::new(format!(
                "there is no instant strictly between `{}` and `{}`",
                start.to_rfc3339(),
                end.to_rfc3339()
            ))
        })
}

/// Zato's `is a random date after "..."`: a random instant strictly between
/// `start` and five calendar years ([`RANDOM_WINDOW_MONTHS`]) after it, so
/// that the result stays a plausible date instead of anything up to year 9999.
pub fn random_after(start: DateTime<FixedOffset>) -> Result<DateTime<FixedOffset>, DateError> {
    let end = start
        .checked_add_months(Months::new(RANDOM_WINDOW_MONTHS))
        .ok_or_else(|| {
            DateError::new(format!(
                "`{}` is too late to pick a date after it",
                start.to_rfc3339()
            ))
        })?;
    random_between(start, end)
}

/// Zato's `is a random date before "..."`: a random instant strictly between
/// five calendar years ([`RANDOM_WINDOW_MONTHS`]) before `end` and `end`.
pub fn random_before(end: DateTime<FixedOffset>) -> Result<DateTime<FixedOffset>, DateError> {
    let start = end
        .checked_sub_months(Months::new(RANDOM_WINDOW_MONTHS))
        .ok_or_else(|| {
            DateError::new(format!(
                "`{}` is too early to pick a date before it",
                end.to_rfc3339()
            ))
        })?;
    random_between(start, end)
}
