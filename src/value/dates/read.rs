//! Reading text back with a compiled format, with `arrow.get(text, fmt)` semantics: a
//! backtracking matcher standing in for arrow's regular expression, then arrow's
//! `_build_datetime`, step by step.

use super::*;

/// arrow's `MAX_TIMESTAMP`: `datetime.max` in seconds, which as a Python float
/// rounds to this whole number. An `x` value above it is read as milliseconds,
/// and from a thousand times it as microseconds.
pub(super) const MAX_TIMESTAMP_SECONDS: i128 = 253_402_300_800;

/// Backtracking over variable-width tokens is exponential in the worst case;
/// real formats need a few dozen steps, so this only stops pathological input.
pub(super) const MATCH_STEP_LIMIT: usize = 200_000;

/// Where reading stopped furthest into the text, and what it wanted there.
#[derive(Debug, Clone, Copy)]
pub(super) enum Expected {
    Token(usize),
    End,
}

/// A backtracking matcher standing in for arrow's regular expression: each
/// token offers the lengths it could take, longest first, as the regex's
/// greedy quantifiers would.
pub(super) struct Matcher<'a> {
    pub(super) tokens: &'a [Token],
    pub(super) text: &'a str,
    pub(super) steps: usize,
    pub(super) furthest: Option<(usize, Expected)>,
}

impl<'a> Matcher<'a> {
    pub(super) fn run(&mut self, index: usize, pos: usize, captures: &mut Vec<&'a str>) -> bool {
        self.steps += 1;
        if self.steps > MATCH_STEP_LIMIT {
            return false;
        }
        let tokens = self.tokens;
        let rest = self.text.get(pos..).unwrap_or_default();
        let Some(token) = tokens.get(index) else {
            if rest.is_empty() {
                return true;
            }
            self.note(pos, Expected::End);
            return false;
        };
        let lengths = match token {
            Token::Literal(literal) => literal_len(literal, rest).into_iter().collect(),
            Token::Field(field) => candidates(*field, rest),
        };
        if lengths.is_empty() {
            self.note(pos, Expected::Token(index));
        }
        for len in lengths {
            let Some(value) = rest.get(..len) else {
                continue;
            };
            let is_field = matches!(token, Token::Field(_));
            if is_field {
                captures.push(value);
            }
            if self.run(index + 1, pos + len, captures) {
                return true;
            }
            if is_field {
                captures.pop();
            }
        }
        false
    }

    pub(super) fn note(&mut self, pos: usize, expected: Expected) {
        if self.furthest.is_none_or(|(p, _)| pos > p) {
            self.furthest = Some((pos, expected));
        }
    }

    pub(super) fn explain(&self) -> String {
        if self.steps > MATCH_STEP_LIMIT {
            return "the text is too ambiguous to read with this format".to_string();
        }
        let Some((pos, expected)) = self.furthest else {
            return "the text does not fit the format".to_string();
        };
        let rest = self.text.get(pos..).unwrap_or_default();
        match expected {
            Expected::End => format!("unexpected text `{rest}` after the date"),
            Expected::Token(index) => {
                let wanted = match self.tokens.get(index) {
                    Some(Token::Literal(literal)) => format!("`{literal}`"),
                    Some(Token::Field(field)) => field.describe(),
                    None => "the end of the text".to_string(),
                };
                if rest.is_empty() {
                    format!("the text ends where {wanted} was expected")
                } else {
                    format!("expected {wanted} where the text has `{rest}`")
                }
            }
        }
    }
}

/// arrow compiles with `re.IGNORECASE`, so literal text matches in any case.
pub(super) fn chars_match(a: char, b: char) -> bool {
    a == b || a.to_lowercase().eq(b.to_lowercase())
}

/// Byte length of `literal` at the start of `text`, if it is there.
pub(super) fn literal_len(literal: &str, text: &str) -> Option<usize> {
    let mut text_chars = text.chars();
    let mut len = 0;
    for want in literal.chars() {
        let got = text_chars.next()?;
        if !chars_match(want, got) {
            return None;
        }
        len += got.len_utf8();
    }
    Some(len)
}

pub(super) fn leading_digits(text: &str) -> usize {
    text.bytes().take_while(u8::is_ascii_digit).count()
}

/// `\d{min,max}`, greedy.
pub(super) fn digits(text: &str, min: usize, max: usize) -> Vec<usize> {
    let n = leading_digits(text).min(max);
    if n < min {
        return Vec::new();
    }
    (min..=n).rev().collect()
}

pub(super) fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

/// An alternation of names, tried in order like arrow's `(January|...)`.
pub(super) fn choices(text: &str, names: &[&str]) -> Vec<usize> {
    names
        .iter()
        .filter(|name| starts_with_ignore_case(text, name))
        .map(|name| name.len())
        .collect()
}

pub(super) fn byte_at(text: &str, index: usize) -> Option<u8> {
    text.as_bytes().get(index).copied()
}

/// `([\+\-])(\d{2})(?:\:?(\d{2}))?|Z` with the colon required (`ZZ`) or
/// absent (`Z`); `colon = None` accepts either, for the `ZZZ` extension.
pub(super) fn offset_candidates(text: &str, colon: Option<bool>) -> Vec<usize> {
    let mut out = Vec::new();
    if matches!(byte_at(text, 0), Some(b'+' | b'-'))
        && leading_digits(text.get(1..).unwrap_or_default()) >= 2
    {
        let after = text.get(3..).unwrap_or_default();
        if colon != Some(false)
            && after.starts_with(':')
            && leading_digits(after.get(1..).unwrap_or_default()) >= 2
        {
            out.push(6);
        }
        if colon != Some(true) && leading_digits(after) >= 2 {
            out.push(5);
        }
        out.push(3);
    } else if matches!(byte_at(text, 0), Some(b'Z' | b'z')) {
        out.push(1);
    }
    out
}

pub(super) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `\w[\w+\-/]+` (zone names), plus numeric offsets with or without a `UTC`
/// prefix so that what `ZZZ` writes for a fixed offset reads back.
pub(super) fn zone_candidates(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut chars = text.char_indices();
    if let Some((_, first)) = chars.next()
        && is_word_char(first)
    {
        let mut ends = vec![first.len_utf8()];
        for (at, c) in chars {
            if is_word_char(c) || matches!(c, '+' | '-' | '/') {
                ends.push(at + c.len_utf8());
            } else {
                break;
            }
        }
        out.extend(ends.into_iter().skip(1));
    }
    out.extend(offset_candidates(text, None).into_iter().filter(|&n| n > 1));
    if starts_with_ignore_case(text, "UTC") {
        let rest = text.get(3..).unwrap_or_default();
        out.extend(
            offset_candidates(rest, None)
                .into_iter()
                .filter(|&n| n > 1)
                .map(|n| n + 3),
        );
    }
    out.sort_unstable_by(|a, b| b.cmp(a));
    out.dedup();
    out
}

/// `-?\d+(\.\d+)?`; arrow's own pattern also needs two digits and the whole
/// text, which would make `X` unusable next to other tokens.
pub(super) fn timestamp_candidates(text: &str, fraction: bool) -> Vec<usize> {
    let sign = usize::from(text.starts_with('-'));
    let whole = leading_digits(text.get(sign..).unwrap_or_default());
    let mut out = Vec::new();
    if whole == 0 {
        return out;
    }
    let after = sign + whole;
    if fraction && byte_at(text, after) == Some(b'.') {
        let frac = leading_digits(text.get(after + 1..).unwrap_or_default());
        out.extend((1..=frac).rev().map(|n| after + 1 + n));
    }
    out.extend((1..=whole).rev().map(|n| sign + n));
    out
}

/// arrow's English `Do` pattern: the suffix must suit the number
/// (`1st`, `2nd`, `3rd`, `11th`), in any case.
pub(super) fn ordinal_candidates(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    for len in [2, 1] {
        let Some(number) = text.get(..len) else {
            continue;
        };
        if leading_digits(number) != len {
            continue;
        }
        let Some(suffix) = text.get(len..len + 2) else {
            continue;
        };
        let bytes = number.as_bytes();
        let (tens, last) = match bytes {
            [t, l] => (Some(*t), *l),
            [l] => (None, *l),
            _ => continue,
        };
        let wanted = match (tens, last) {
            (Some(b'1'), b'1'..=b'3') => "th",
            (Some(b'2' | b'3') | None, b'1') => "st",
            (Some(b'2' | b'3') | None, b'2') => "nd",
            (Some(b'2' | b'3') | None, b'3') => "rd",
            (Some(b'1'..=b'3') | None, b'0' | b'4'..=b'9') => "th",
            _ => continue,
        };
        if suffix.eq_ignore_ascii_case(wanted) {
            out.push(len + 2);
        }
    }
    out
}

/// `\d{4}-?W\d{2}-?\d?`, greedy, as arrow's `W` pattern.
pub(super) fn week_date_candidates(text: &str) -> Vec<usize> {
    let mut at = 4;
    if leading_digits(text) < 4 {
        return Vec::new();
    }
    if byte_at(text, at) == Some(b'-') {
        at += 1;
    }
    if !matches!(byte_at(text, at), Some(b'W' | b'w')) {
        return Vec::new();
    }
    at += 1;
    if leading_digits(text.get(at..).unwrap_or_default()) < 2 {
        return Vec::new();
    }
    at += 2;
    let mut out = Vec::new();
    let is_digit = |i: usize| byte_at(text, i).is_some_and(|b| b.is_ascii_digit());
    if byte_at(text, at) == Some(b'-') {
        if is_digit(at + 1) {
            out.push(at + 2);
        }
        out.push(at + 1);
    } else if is_digit(at) {
        out.push(at + 1);
    }
    out.push(at);
    out
}

/// The lengths `field` could take at the start of `text`, preferred first.
pub(super) fn candidates(field: Field, text: &str) -> Vec<usize> {
    match field {
        Field::Year4 => digits(text, 4, 4),
        Field::Year2 | Field::Month2 | Field::Day2 | Field::Hour2 | Field::Hour12Padded => {
            digits(text, 2, 2)
        }
        Field::Minute2 | Field::Second2 => digits(text, 2, 2),
        Field::Month | Field::Day | Field::Hour | Field::Hour12 | Field::Minute | Field::Second => {
            digits(text, 1, 2)
        }
        Field::DayOfYear3 => digits(text, 3, 3),
        Field::DayOfYear => digits(text, 1, 3),
        Field::Fraction(_) => digits(text, 1, usize::MAX),
        Field::MonthName => choices(text, &MONTH_NAMES),
        Field::MonthAbbr => choices(text, &MONTH_ABBREVIATIONS),
        Field::WeekdayName => choices(text, &DAY_NAMES),
        Field::WeekdayAbbr => choices(text, &DAY_ABBREVIATIONS),
        Field::DayOrdinal => ordinal_candidates(text),
        Field::IsoWeekday => match byte_at(text, 0) {
            Some(b'1'..=b'7') => vec![1],
            _ => Vec::new(),
        },
        Field::MeridianUpper | Field::MeridianLower => choices(text, &["am", "pm"]),
        Field::Timestamp => timestamp_candidates(text, true),
        Field::TimestampMicros => timestamp_candidates(text, false),
        Field::ZoneName => zone_candidates(text),
        Field::OffsetColon => offset_candidates(text, Some(true)),
        Field::Offset => offset_candidates(text, Some(false)),
        Field::IsoWeekDate => week_date_candidates(text),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Meridian {
    Am,
    Pm,
}

/// What the tokens said, before it is turned into an instant; mirrors
/// arrow's `_Parts` so that `build` can follow `_build_datetime` step by step.
#[derive(Debug, Default)]
pub(super) struct Parts {
    year: Option<i64>,
    month: Option<i64>,
    day_of_year: Option<i64>,
    day: Option<i64>,
    day_of_week: Option<u32>,
    hour: Option<i64>,
    minute: Option<i64>,
    second: Option<i64>,
    microsecond: Option<i64>,
    /// `X`, in microseconds.
    timestamp: Option<i128>,
    /// `x`, as written (seconds, milliseconds or microseconds).
    expanded_timestamp: Option<i128>,
    offset: Option<FixedOffset>,
    meridian: Option<Meridian>,
    /// `W`: year, week, weekday.
    week_date: Option<(i64, i64, Option<i64>)>,
}

pub(super) fn number(value: &str) -> Result<i64, String> {
    value
        .parse::<i64>()
        .map_err(|_| format!("`{value}` is not a number"))
}

/// arrow reads at most six fraction digits and rounds on the seventh,
/// half-to-even on the sixth (ignoring digits after the seventh).
pub(super) fn fraction_micros(value: &str) -> Result<i64, String> {
    let mut padded: String = value.chars().take(7).collect();
    while padded.len() < 7 {
        padded.push('0');
    }
    let six = number(padded.get(..6).unwrap_or_default())?;
    let seventh = number(padded.get(6..7).unwrap_or_default())?;
    let rounding = match seventh {
        5 => six % 2,
        6..=9 => 1,
        _ => 0,
    };
    Ok(six + rounding)
}

/// The offset at the start of `value` (`+01:00`, `-0530`, `01`), as arrow's
/// `TzinfoParser` reads it; a leading `UTC` is accepted so that what `ZZZ`
/// writes for a fixed offset reads back.
pub(super) fn offset_seconds(value: &str) -> Option<i64> {
    let mut rest = value;
    for prefix in ["(UTC", "UTC"] {
        if let Some(head) = rest.get(..prefix.len())
            && head.eq_ignore_ascii_case(prefix)
        {
            rest = rest.get(prefix.len()..).unwrap_or_default();
            break;
        }
    }
    let negative = rest.starts_with('-');
    if rest.starts_with(['+', '-']) {
        rest = rest.get(1..).unwrap_or_default();
    }
    if leading_digits(rest) < 2 {
        return None;
    }
    let hours = rest.get(..2)?.parse::<i64>().ok()?;
    rest = rest.get(2..).unwrap_or_default();
    if rest.starts_with(':') {
        rest = rest.get(1..).unwrap_or_default();
    }
    let minutes = if leading_digits(rest) >= 2 {
        rest.get(..2)?.parse::<i64>().ok()?
    } else {
        0
    };
    let seconds = hours * 3600 + minutes * 60;
    Some(if negative { -seconds } else { seconds })
}

pub(super) fn utc_offset() -> FixedOffset {
    Utc.fix()
}

pub(super) fn zone(value: &str, named: bool) -> Result<FixedOffset, String> {
    if value == "Z" || value == "z" || (named && UTC_ALIASES.contains(&value)) {
        return Ok(utc_offset());
    }
    if named && value == "local" {
        // arrow takes the machine's current offset, not the one at the date.
        return Ok(Local::now().offset().fix());
    }
    match offset_seconds(value) {
        Some(seconds) => i32::try_from(seconds)
            .ok()
            .and_then(FixedOffset::east_opt)
            .ok_or_else(|| format!("the utc offset `{value}` is out of range")),
        None => Err(format!(
            "the time zone `{value}` cannot be read: only `UTC`, `local` and offsets such as `+01:00` are understood, as no time zone database is bundled"
        )),
    }
}

impl Parts {
    pub(super) fn read(&mut self, field: Field, value: &str) -> Result<(), String> {
        match field {
            Field::Year4 => self.year = Some(number(value)?),
            Field::Year2 => {
                // arrow's pivot: 69-99 are 1900s, 00-68 are 2000s.
                let short = number(value)?;
                self.year = Some(if short > 68 {
                    1900 + short
                } else {
                    2000 + short
                });
            }
            Field::MonthName | Field::MonthAbbr => {
                let names = if field == Field::MonthName {
                    &MONTH_NAMES
                } else {
                    &MONTH_ABBREVIATIONS
                };
                let index = names
                    .iter()
                    .position(|name| name.eq_ignore_ascii_case(value))
                    .ok_or_else(|| format!("`{value}` is not a month"))?;
                self.month = Some(index as i64 + 1);
            }
            Field::Month2 | Field::Month => self.month = Some(number(value)?),
            Field::DayOfYear3 | Field::DayOfYear => self.day_of_year = Some(number(value)?),
            Field::Day2 | Field::Day => self.day = Some(number(value)?),
            Field::DayOrdinal => {
                let len = leading_digits(value);
                self.day = Some(number(value.get(..len).unwrap_or_default())?);
            }
            Field::WeekdayName | Field::WeekdayAbbr => {
                let names = if field == Field::WeekdayName {
                    &DAY_NAMES
                } else {
                    &DAY_ABBREVIATIONS
                };
                let index = names
                    .iter()
                    .position(|name| name.eq_ignore_ascii_case(value))
                    .ok_or_else(|| format!("`{value}` is not a day of the week"))?;
                self.day_of_week = u32::try_from(index).ok();
            }
            // arrow matches `d` but never uses it.
            Field::IsoWeekday => {}
            Field::Hour2 | Field::Hour | Field::Hour12Padded | Field::Hour12 => {
                self.hour = Some(number(value)?);
            }
            Field::Minute2 | Field::Minute => self.minute = Some(number(value)?),
            Field::Second2 | Field::Second => self.second = Some(number(value)?),
            Field::Fraction(_) => self.microsecond = Some(fraction_micros(value)?),
            Field::MeridianUpper | Field::MeridianLower => {
                self.meridian = Some(if value.eq_ignore_ascii_case("am") {
                    Meridian::Am
                } else {
                    Meridian::Pm
                });
            }
            Field::Timestamp => self.timestamp = Some(read_timestamp(value)?),
            Field::TimestampMicros => {
                let parsed = value
                    .parse::<i128>()
                    .map_err(|_| format!("the timestamp `{value}` is too large"))?;
                self.expanded_timestamp = Some(parsed);
            }
            Field::ZoneName => self.offset = Some(zone(value, true)?),
            Field::OffsetColon | Field::Offset => self.offset = Some(zone(value, false)?),
            Field::IsoWeekDate => {
                let digits: Vec<char> = value.chars().filter(char::is_ascii_digit).collect();
                let year: String = digits.iter().take(4).collect();
                let week: String = digits.iter().skip(4).take(2).collect();
                let day: String = digits.iter().skip(6).collect();
                let day = if day.is_empty() {
                    None
                } else {
                    Some(number(&day)?)
                };
                self.week_date = Some((number(&year)?, number(&week)?, day));
            }
        }
        Ok(())
    }

    /// arrow's `_build_datetime`, in the same order.
    pub(super) fn build(mut self) -> Result<DateTime<FixedOffset>, String> {
        if let Some((year, week, day)) = self.week_date {
            let day = day.unwrap_or(1);
            let weekday = u8::try_from(day)
                .ok()
                .filter(|d| (1..=7).contains(d))
                .and_then(|d| Weekday::try_from(d - 1).ok())
                .ok_or_else(|| format!("weekday {day} is out of range"))?;
            let date = i32::try_from(year)
                .ok()
                .zip(u32::try_from(week).ok())
                .and_then(|(y, w)| NaiveDate::from_isoywd_opt(y, w, weekday))
                .ok_or_else(|| format!("{year} has no iso week {week}"))?;
            self.set_date(date);
        }
        if let Some(micros) = self.timestamp {
            return from_micros(micros);
        }
        if let Some(value) = self.expanded_timestamp {
            let micros = if value <= MAX_TIMESTAMP_SECONDS {
                value * 1_000_000
            } else if value < MAX_TIMESTAMP_SECONDS * 1_000 {
                value * 1_000
            } else if value < MAX_TIMESTAMP_SECONDS * 1_000_000 {
                value
            } else {
                return Err(format!("the timestamp `{value}` is too large"));
            };
            return from_micros(micros);
        }
        if let Some(day_of_year) = self.day_of_year {
            let Some(year) = self.year else {
                return Err("a day of the year (`DDDD`, `DDD`) needs a year in the format".into());
            };
            if self.month.is_some() {
                return Err(
                    "a day of the year (`DDDD`, `DDD`) cannot be combined with a month".into(),
                );
            }
            check_year(year)?;
            // Python's strptime rolls day 366 of a common year into the next
            // year; that is almost surely a typo, so it is refused instead.
            let date = i32::try_from(year)
                .ok()
                .zip(u32::try_from(day_of_year).ok())
                .and_then(|(y, d)| NaiveDate::from_yo_opt(y, d))
                .ok_or_else(|| format!("day {day_of_year} of the year {year} does not exist"))?;
            self.set_date(date);
        }
        if let (Some(weekday), None) = (self.day_of_week, self.day) {
            let year = self.year.unwrap_or(1970);
            let month = self.month.unwrap_or(1);
            let first = make_date(year, month, 1)?;
            let ahead = (7 + weekday - first.weekday().num_days_from_monday()) % 7;
            let date = first
                .checked_add_days(chrono::Days::new(u64::from(ahead)))
                .ok_or_else(|| format!("no such weekday after {first}"))?;
            self.set_date(date);
        }
        let mut hour = self.hour.unwrap_or(0);
        match self.meridian {
            Some(Meridian::Am) if hour > 12 => {
                return Err(format!("hour {hour} cannot be combined with `am`"));
            }
            Some(Meridian::Am) if hour == 12 => hour = 0,
            Some(Meridian::Pm) if hour < 12 => hour += 12,
            _ => {}
        }
        let minute = self.minute.unwrap_or(0);
        let second = self.second.unwrap_or(0);
        let mut microsecond = self.microsecond.unwrap_or(0);
        let mut extra_seconds = 0;
        if hour == 24 {
            // arrow reads `24:00` as midnight at the end of the day.
            if minute != 0 || second != 0 || microsecond != 0 {
                return Err("midnight at the end of the day (`24`) must not have minutes, seconds or fractions".into());
            }
            hour = 0;
            extra_seconds += 86_400;
        }
        if microsecond == 1_000_000 {
            // Rounding the seventh fraction digit can carry into the second.
            microsecond = 0;
            extra_seconds += 1;
        }
        let date = make_date(
            self.year.unwrap_or(1),
            self.month.unwrap_or(1),
            self.day.unwrap_or(1),
        )?;
        let time = make_time(hour, minute, second, microsecond)?;
        let offset = self.offset.unwrap_or_else(utc_offset);
        let local = offset
            .from_local_datetime(&NaiveDateTime::new(date, time))
            .single()
            .ok_or_else(|| "the date is out of range".to_string())?;
        TimeDelta::try_seconds(extra_seconds)
            .and_then(|delta| local.checked_add_signed(delta))
            .ok_or_else(|| "the date is out of range".to_string())
    }

    pub(super) fn set_date(&mut self, date: NaiveDate) {
        self.year = Some(i64::from(date.year()));
        self.month = Some(i64::from(date.month()));
        self.day = Some(i64::from(date.day()));
    }
}

pub(super) fn from_micros(micros: i128) -> Result<DateTime<FixedOffset>, String> {
    i64::try_from(micros)
        .ok()
        .and_then(DateTime::from_timestamp_micros)
        .map(|t| t.fixed_offset())
        .ok_or_else(|| "the timestamp is out of range".to_string())
}

/// `X`: seconds with an optional fraction, to whole microseconds with the
/// same rounding as `S`.
pub(super) fn read_timestamp(value: &str) -> Result<i128, String> {
    let negative = value.starts_with('-');
    let unsigned = value.trim_start_matches('-');
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let too_large = || format!("the timestamp `{value}` is too large");
    let seconds = whole.parse::<i128>().map_err(|_| too_large())?;
    let micros = if fraction.is_empty() {
        0
    } else {
        i128::from(fraction_micros(fraction)?)
    };
    let total = seconds
        .checked_mul(1_000_000)
        .and_then(|s| s.checked_add(micros))
        .ok_or_else(too_large)?;
    Ok(if negative { -total } else { total })
}

/// Python's `datetime` limits, checked in its order so the first problem in
/// the text is the one reported.
pub(super) fn check_year(year: i64) -> Result<(), String> {
    if (1..=9999).contains(&year) {
        Ok(())
    } else {
        Err(format!("year {year} is out of range"))
    }
}

pub(super) fn make_date(year: i64, month: i64, day: i64) -> Result<NaiveDate, String> {
    check_year(year)?;
    if !(1..=12).contains(&month) {
        return Err(format!("month {month} is out of range"));
    }
    let date = i32::try_from(year)
        .ok()
        .zip(u32::try_from(month).ok())
        .zip(u32::try_from(day).ok())
        .and_then(|((y, m), d)| NaiveDate::from_ymd_opt(y, m, d));
    date.ok_or_else(|| {
        let name = u32::try_from(month)
            .map(|m| month_name(m, &MONTH_NAMES))
            .unwrap_or_default();
        format!("day {day} is out of range for {name} {year}")
    })
}

pub(super) fn make_time(
    hour: i64,
    minute: i64,
    second: i64,
    microsecond: i64,
) -> Result<NaiveTime, String> {
    for (what, value, max) in [
        ("hour", hour, 23),
        ("minute", minute, 59),
        ("second", second, 59),
        ("microsecond", microsecond, 999_999),
    ] {
        if !(0..=max).contains(&value) {
            return Err(format!("{what} {value} is out of range"));
        }
    }
    let part = |v: i64| u32::try_from(v).unwrap_or_default();
    NaiveTime::from_hms_micro_opt(part(hour), part(minute), part(second), part(microsecond))
        .ok_or_else(|| "the time of day is out of range".to_string())
}
