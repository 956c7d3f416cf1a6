//! Named date formats written in the token syntax of Python's `arrow` library,
//! so that feature files written for Zato's apitest run unchanged: compiling a
//! format (`YYYY-MM-DDTHH:mm:ss`, `[at]` escapes), writing an instant with it,
//! reading text back with `arrow.get(text, fmt)` semantics, picking random
//! instants inside a window, and the per-scenario registry of named formats
//! (`Given date format "short" "YYYY-MM-DD"`) with `default` pre-registered.
//!
//! Behaviour follows arrow 1.x (English locale) except where noted on the item:
//! reading requires the whole text (after trimming surrounding whitespace) to
//! match, brackets are always literal text (never regular expressions), and
//! only `UTC`, `local` and numeric offsets are understood as time zones,
//! because no time zone database is bundled.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use chrono::{
    DateTime, Datelike, FixedOffset, Local, Months, NaiveDate, NaiveDateTime, NaiveTime, Offset,
    TimeDelta, TimeZone, Timelike, Utc, Weekday,
};

/// The name of the format every scenario starts with.
pub const DEFAULT_FORMAT_NAME: &str = "default";

/// The pattern registered as [`DEFAULT_FORMAT_NAME`], as in Zato's apitest.
pub const DEFAULT_FORMAT_PATTERN: &str = "YYYY-MM-DDTHH:mm:ss";

/// How far [`random_after`] and [`random_before`] reach: five years, counted
/// in calendar months so that a window starting on a leap day stays five
/// calendar years long instead of drifting by a day.
pub const RANDOM_WINDOW_MONTHS: u32 = 60;

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const MONTH_ABBREVIATIONS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

const DAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

const DAY_ABBREVIATIONS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Zone names that `zoneinfo` resolves to a zero offset; accepted so that
/// `ZZZ` reads the common spellings of UTC without a time zone database.
const UTC_ALIASES: [&str; 13] = [
    "utc",
    "UTC",
    "GMT",
    "UCT",
    "Zulu",
    "Universal",
    "Greenwich",
    "Etc/UTC",
    "Etc/GMT",
    "Etc/UCT",
    "Etc/Zulu",
    "Etc/Universal",
    "Etc/Greenwich",
];

/// arrow's `MAX_TIMESTAMP`: `datetime.max` in seconds, which as a Python float
/// rounds to this whole number. An `x` value above it is read as milliseconds,
/// and from a thousand times it as microseconds.
const MAX_TIMESTAMP_SECONDS: i128 = 253_402_300_800;

/// Backtracking over variable-width tokens is exponential in the worst case;
/// real formats need a few dozen steps, so this only stops pathological input.
const MATCH_STEP_LIMIT: usize = 200_000;

/// A problem with a date format, a date text, or a random date window.
#[derive(Debug, Clone, PartialEq)]
pub struct DateError {
    pub message: String,
}

impl DateError {
    fn new(message: impl Into<String>) -> Self {
        DateError {
            message: message.into(),
        }
    }
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DateError {}

/// One arrow token. The variant names say what is written, the comments
/// give the arrow spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    /// `YYYY`
    Year4,
    /// `YY`
    Year2,
    /// `MMMM`
    MonthName,
    /// `MMM`
    MonthAbbr,
    /// `MM`
    Month2,
    /// `M`
    Month,
    /// `DDDD`
    DayOfYear3,
    /// `DDD`
    DayOfYear,
    /// `DD`
    Day2,
    /// `D`
    Day,
    /// `Do`
    DayOrdinal,
    /// `dddd`
    WeekdayName,
    /// `ddd`
    WeekdayAbbr,
    /// `d`
    IsoWeekday,
    /// `HH`
    Hour2,
    /// `H`
    Hour,
    /// `hh`
    Hour12Padded,
    /// `h`
    Hour12,
    /// `mm`
    Minute2,
    /// `m`
    Minute,
    /// `ss`
    Second2,
    /// `s`
    Second,
    /// `S`, `SS`, ... with the number of letters
    Fraction(usize),
    /// `A`
    MeridianUpper,
    /// `a`
    MeridianLower,
    /// `X`
    Timestamp,
    /// `x`
    TimestampMicros,
    /// `ZZZ`
    ZoneName,
    /// `ZZ`
    OffsetColon,
    /// `Z`
    Offset,
    /// `W`
    IsoWeekDate,
}

impl Field {
    /// The arrow spelling, with any run of `S` collapsed to one because
    /// arrow's parser treats every run alike; used for duplicate detection.
    fn name(self) -> &'static str {
        match self {
            Field::Year4 => "YYYY",
            Field::Year2 => "YY",
            Field::MonthName => "MMMM",
            Field::MonthAbbr => "MMM",
            Field::Month2 => "MM",
            Field::Month => "M",
            Field::DayOfYear3 => "DDDD",
            Field::DayOfYear => "DDD",
            Field::Day2 => "DD",
            Field::Day => "D",
            Field::DayOrdinal => "Do",
            Field::WeekdayName => "dddd",
            Field::WeekdayAbbr => "ddd",
            Field::IsoWeekday => "d",
            Field::Hour2 => "HH",
            Field::Hour => "H",
            Field::Hour12Padded => "hh",
            Field::Hour12 => "h",
            Field::Minute2 => "mm",
            Field::Minute => "m",
            Field::Second2 => "ss",
            Field::Second => "s",
            Field::Fraction(_) => "S",
            Field::MeridianUpper => "A",
            Field::MeridianLower => "a",
            Field::Timestamp => "X",
            Field::TimestampMicros => "x",
            Field::ZoneName => "ZZZ",
            Field::OffsetColon => "ZZ",
            Field::Offset => "Z",
            Field::IsoWeekDate => "W",
        }
    }

    /// What the reader expected, for error messages.
    fn describe(self) -> String {
        let what = match self {
            Field::Year4 => "a four-digit year",
            Field::Year2 => "a two-digit year",
            Field::MonthName => "a month name such as `January`",
            Field::MonthAbbr => "a month abbreviation such as `Jan`",
            Field::Month2 => "a two-digit month",
            Field::Month => "a month number",
            Field::DayOfYear3 => "a three-digit day of the year",
            Field::DayOfYear => "a day of the year",
            Field::Day2 => "a two-digit day",
            Field::Day => "a day of the month",
            Field::DayOrdinal => "an ordinal day such as `1st`",
            Field::WeekdayName => "a day name such as `Monday`",
            Field::WeekdayAbbr => "a day abbreviation such as `Mon`",
            Field::IsoWeekday => "a weekday number from 1 to 7",
            Field::Hour2 | Field::Hour12Padded => "a two-digit hour",
            Field::Hour | Field::Hour12 => "an hour",
            Field::Minute2 => "two-digit minutes",
            Field::Minute => "minutes",
            Field::Second2 => "two-digit seconds",
            Field::Second => "seconds",
            Field::Fraction(_) => "fractional seconds",
            Field::MeridianUpper | Field::MeridianLower => "`am` or `pm`",
            Field::Timestamp => "a unix timestamp in seconds",
            Field::TimestampMicros => "a unix timestamp in milliseconds or microseconds",
            Field::ZoneName => "a time zone such as `UTC`",
            Field::OffsetColon => "a utc offset such as `+01:00` or `Z`",
            Field::Offset => "a utc offset such as `+0100` or `Z`",
            Field::IsoWeekDate => "an iso week date such as `2024-W05-4`",
        };
        format!("{what} (`{}`)", self.name())
    }
}

/// A piece of a compiled format: text written and read as is, or a token.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Literal(String),
    Field(Field),
}

/// A date format in arrow's token syntax, compiled once.
#[derive(Debug, Clone, PartialEq)]
pub struct DateFormat {
    pattern: String,
    tokens: Vec<Token>,
}

impl fmt::Display for DateFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.pattern)
    }
}

impl DateFormat {
    /// Compiles `pattern`. Tokens are recognised greedily from left to right
    /// exactly as arrow's formatter does (so `YYYYY` is `YYYY` then a literal
    /// `Y`, and `Do` wins over `D` followed by `o`); `[...]` is literal text and
    /// every other character is literal.
    ///
    /// Unlike arrow, spellings that arrow silently formats as nothing and then
    /// refuses to parse (`YYY`, `dd`), an unclosed `[` and an empty pattern are
    /// rejected here, because such a format can only produce wrong dates.
    pub fn parse(pattern: &str) -> Result<DateFormat, DateError> {
        if pattern.is_empty() {
            return Err(DateError::new("a date format must not be empty"));
        }
        Ok(DateFormat {
            pattern: pattern.to_string(),
            tokens: tokenize(pattern)?,
        })
    }

    /// The pattern this format was compiled from.
    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// Writes `t` in this format, in `t`'s own time zone.
    ///
    /// `ZZZ` writes the offset's own name where it has one (`UTC` for
    /// [`chrono::Utc`]); a bare numeric offset is named the way Python names a
    /// fixed `timezone` (`UTC` when zero, otherwise `UTC+01:30`).
    pub fn format<Tz: TimeZone>(&self, t: &DateTime<Tz>) -> String
    where
        Tz::Offset: fmt::Display,
    {
        let mut out = String::new();
        for token in &self.tokens {
            match token {
                Token::Literal(text) => out.push_str(text),
                Token::Field(field) => format_field(*field, t, &mut out),
            }
        }
        out
    }

    /// Parses text written in this format, with the semantics of
    /// `arrow.get(text, fmt)`: a missing year is 1, a missing month or day is
    /// 1, a missing time is midnight, no zone token means UTC; `X` and `x`
    /// override every other token; `dddd`/`ddd` without a day pick the first
    /// such weekday on or after the first of the month (year 1970 if absent);
    /// `d` is matched but, as in arrow, does not change the date.
    ///
    /// Unlike arrow, which searches for the date anywhere in the text, the
    /// whole text must match (surrounding whitespace aside), so trailing text
    /// is reported instead of ignored.
    pub fn parse_datetime(&self, text: &str) -> Result<DateTime<FixedOffset>, DateError> {
        let fail = |reason: String| {
            DateError::new(format!(
                "`{text}` does not match the date format `{}`: {reason}",
                self.pattern
            ))
        };
        self.check_readable()?;
        let trimmed = text.trim();
        let mut matcher = Matcher {
            tokens: &self.tokens,
            text: trimmed,
            steps: 0,
            furthest: None,
        };
        let mut captures = Vec::new();
        if !matcher.run(0, 0, &mut captures) {
            return Err(fail(matcher.explain()));
        }
        let fields = self.tokens.iter().filter_map(|token| match token {
            Token::Field(field) => Some(*field),
            Token::Literal(_) => None,
        });
        let mut parts = Parts::default();
        for (field, value) in fields.zip(captures) {
            parts.read(field, value).map_err(fail)?;
        }
        parts.build().map_err(fail)
    }

    /// arrow compiles a format into one regular expression with a named group
    /// per token, so a token used twice cannot be read; say so up front
    /// rather than silently keeping one of two possibly different values.
    fn check_readable(&self) -> Result<(), DateError> {
        let mut seen: Vec<&str> = Vec::new();
        for token in &self.tokens {
            if let Token::Field(field) = token {
                let name = field.name();
                if seen.contains(&name) {
                    return Err(DateError::new(format!(
                        "the date format `{}` uses `{name}` more than once, so dates cannot be read with it",
                        self.pattern
                    )));
                }
                seen.push(name);
            }
        }
        Ok(())
    }

    /// `YYYY-MM-DDTHH:mm:ss`, built without parsing so that creating the
    /// registry cannot fail; a test checks it equals the parsed pattern.
    fn default_format() -> DateFormat {
        let lit = |s: &str| Token::Literal(s.to_string());
        DateFormat {
            pattern: DEFAULT_FORMAT_PATTERN.to_string(),
            tokens: vec![
                Token::Field(Field::Year4),
                lit("-"),
                Token::Field(Field::Month2),
                lit("-"),
                Token::Field(Field::Day2),
                lit("T"),
                Token::Field(Field::Hour2),
                lit(":"),
                Token::Field(Field::Minute2),
                lit(":"),
                Token::Field(Field::Second2),
            ],
        }
    }
}

/// Splits a pattern into tokens the way arrow's formatter regex does.
fn tokenize(pattern: &str) -> Result<Vec<Token>, DateError> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut tokens = Vec::new();
    let mut literal = String::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c == '[' {
            let rest = chars.get(i + 1..).unwrap_or(&[]);
            let Some(close) = rest.iter().position(|&x| x == ']') else {
                return Err(DateError::new(format!(
                    "the date format `{pattern}` has a `[` without a closing `]`"
                )));
            };
            literal.extend(rest.iter().take(close));
            i += close + 2;
            continue;
        }
        let run = chars
            .get(i..)
            .unwrap_or(&[])
            .iter()
            .take_while(|&&x| x == c)
            .count();
        let unsupported = |token: &str, hint: &str| {
            DateError::new(format!(
                "the date format `{pattern}` uses `{token}`, which is not a date token; {hint}"
            ))
        };
        let found = match c {
            'Y' => match run {
                1 => None,
                2 => Some((Field::Year2, 2)),
                3 => {
                    return Err(unsupported(
                        "YYY",
                        "use `YYYY` for a four-digit year or `YY` for two digits",
                    ));
                }
                _ => Some((Field::Year4, 4)),
            },
            'M' => Some(match run {
                1 => (Field::Month, 1),
                2 => (Field::Month2, 2),
                3 => (Field::MonthAbbr, 3),
                _ => (Field::MonthName, 4),
            }),
            'D' if chars.get(i + 1) == Some(&'o') => Some((Field::DayOrdinal, 2)),
            'D' => Some(match run {
                1 => (Field::Day, 1),
                2 => (Field::Day2, 2),
                3 => (Field::DayOfYear, 3),
                _ => (Field::DayOfYear3, 4),
            }),
            'd' => match run {
                1 => Some((Field::IsoWeekday, 1)),
                2 => {
                    return Err(unsupported(
                        "dd",
                        "use `d` (1-7), `ddd` (Mon) or `dddd` (Monday)",
                    ));
                }
                3 => Some((Field::WeekdayAbbr, 3)),
                _ => Some((Field::WeekdayName, 4)),
            },
            'H' => Some(pick(run, Field::Hour, Field::Hour2)),
            'h' => Some(pick(run, Field::Hour12, Field::Hour12Padded)),
            'm' => Some(pick(run, Field::Minute, Field::Minute2)),
            's' => Some(pick(run, Field::Second, Field::Second2)),
            'S' => Some((Field::Fraction(run), run)),
            'Z' => Some(match run {
                1 => (Field::Offset, 1),
                2 => (Field::OffsetColon, 2),
                _ => (Field::ZoneName, 3),
            }),
            'a' => Some((Field::MeridianLower, 1)),
            'A' => Some((Field::MeridianUpper, 1)),
            'X' => Some((Field::Timestamp, 1)),
            'x' => Some((Field::TimestampMicros, 1)),
            'W' => Some((Field::IsoWeekDate, 1)),
            _ => None,
        };
        match found {
            Some((field, len)) => {
                if !literal.is_empty() {
                    tokens.push(Token::Literal(std::mem::take(&mut literal)));
                }
                tokens.push(Token::Field(field));
                i += len;
            }
            None => {
                literal.push(c);
                i += 1;
            }
        }
    }
    if !literal.is_empty() {
        tokens.push(Token::Literal(literal));
    }
    Ok(tokens)
}

/// The one- or two-letter choice shared by `H`, `h`, `m` and `s`.
fn pick(run: usize, one: Field, two: Field) -> (Field, usize) {
    if run >= 2 { (two, 2) } else { (one, 1) }
}

fn month_name(month: u32, names: &[&'static str; 12]) -> &'static str {
    names
        .get((month as usize).wrapping_sub(1))
        .copied()
        .unwrap_or_default()
}

fn day_name(weekday: Weekday, names: &[&'static str; 7]) -> &'static str {
    names
        .get(weekday.num_days_from_monday() as usize)
        .copied()
        .unwrap_or_default()
}

/// English ordinal, as arrow's English locale writes it (`1st`, `11th`, `22nd`).
fn ordinal(n: u32) -> String {
    let suffix = if matches!(n % 100, 11..=13) {
        "th"
    } else {
        match n % 10 {
            1 => "st",
            2 => "nd",
            3 => "rd",
            _ => "th",
        }
    };
    format!("{n}{suffix}")
}

/// Microseconds since the epoch; i128 because seconds times a million
/// overflows i64 near chrono's extreme years.
fn timestamp_micros<Tz: TimeZone>(t: &DateTime<Tz>) -> i128 {
    i128::from(t.timestamp()) * 1_000_000 + i128::from(t.timestamp_subsec_micros() % 1_000_000)
}

/// Python's `repr(float)`, which arrow's `X` writes: shortest round-trip
/// digits, always a `.0` on whole numbers, exponent form below `1e-4`.
fn python_float_repr(value: f64) -> String {
    if value != 0.0 && value.abs() < 1e-4 {
        let text = format!("{value:e}");
        if let Some((mantissa, exponent)) = text.split_once('e') {
            let (sign, digits) = match exponent.strip_prefix('-') {
                Some(digits) => ('-', digits),
                None => ('+', exponent),
            };
            return format!("{mantissa}e{sign}{digits:0>2}");
        }
        return text;
    }
    let text = format!("{value}");
    if text.contains('.') {
        text
    } else {
        format!("{text}.0")
    }
}

/// `+HH:MM`-style offset as arrow's `ZZ` (with colon) and `Z` write it.
fn format_offset(seconds: i32, separator: &str) -> String {
    // Python truncates the minutes toward zero before taking the sign.
    let total_minutes = seconds / 60;
    let sign = if total_minutes >= 0 { '+' } else { '-' };
    let total_minutes = total_minutes.unsigned_abs();
    format!(
        "{sign}{:02}{separator}{:02}",
        total_minutes / 60,
        total_minutes % 60
    )
}

/// Python's name for a fixed `timezone`: `UTC`, or `UTC+01:30`.
fn python_zone_name(seconds: i32) -> String {
    if seconds == 0 {
        return "UTC".to_string();
    }
    let sign = if seconds < 0 { '-' } else { '+' };
    let abs = seconds.unsigned_abs();
    let mut name = format!("UTC{sign}{:02}:{:02}", abs / 3600, abs % 3600 / 60);
    if !abs.is_multiple_of(60) {
        let _ = write!(name, ":{:02}", abs % 60);
    }
    name
}

fn format_field<Tz: TimeZone>(field: Field, t: &DateTime<Tz>, out: &mut String)
where
    Tz::Offset: fmt::Display,
{
    // Writing to a String cannot fail, so the fmt::Result is ignored.
    let _ = match field {
        Field::Year4 => write!(out, "{:04}", t.year()),
        Field::Year2 => {
            // arrow takes the last characters of the four-digit form.
            let full = format!("{:04}", t.year());
            out.push_str(full.get(2..).unwrap_or_default());
            Ok(())
        }
        Field::MonthName => write!(out, "{}", month_name(t.month(), &MONTH_NAMES)),
        Field::MonthAbbr => write!(out, "{}", month_name(t.month(), &MONTH_ABBREVIATIONS)),
        Field::Month2 => write!(out, "{:02}", t.month()),
        Field::Month => write!(out, "{}", t.month()),
        Field::DayOfYear3 => write!(out, "{:03}", t.ordinal()),
        Field::DayOfYear => write!(out, "{}", t.ordinal()),
        Field::Day2 => write!(out, "{:02}", t.day()),
        Field::Day => write!(out, "{}", t.day()),
        Field::DayOrdinal => write!(out, "{}", ordinal(t.day())),
        Field::WeekdayName => write!(out, "{}", day_name(t.weekday(), &DAY_NAMES)),
        Field::WeekdayAbbr => write!(out, "{}", day_name(t.weekday(), &DAY_ABBREVIATIONS)),
        Field::IsoWeekday => write!(out, "{}", t.weekday().number_from_monday()),
        Field::Hour2 => write!(out, "{:02}", t.hour()),
        Field::Hour => write!(out, "{}", t.hour()),
        Field::Hour12Padded => write!(out, "{:02}", hour12(t.hour())),
        Field::Hour12 => write!(out, "{}", hour12(t.hour())),
        Field::Minute2 => write!(out, "{:02}", t.minute()),
        Field::Minute => write!(out, "{}", t.minute()),
        Field::Second2 => write!(out, "{:02}", t.second()),
        Field::Second => write!(out, "{}", t.second()),
        Field::Fraction(count) => {
            // A leap second keeps its fraction within the second.
            let micros = t.nanosecond() % 1_000_000_000 / 1_000;
            // arrow's formatter knows runs of at most six `S`; longer runs
            // are consumed six at a time, each writing the leading digits.
            let mut remaining = count;
            while remaining > 0 {
                let digits = remaining.min(6);
                let divisor = 10u32.pow(6 - digits as u32);
                let _ = write!(out, "{:0width$}", micros / divisor, width = digits);
                remaining -= digits;
            }
            Ok(())
        }
        Field::MeridianUpper => out.write_str(if t.hour() < 12 { "AM" } else { "PM" }),
        Field::MeridianLower => out.write_str(if t.hour() < 12 { "am" } else { "pm" }),
        // Python converts exactly: an integer count of microseconds divided
        // by a million, correctly rounded, which is what this computes too.
        Field::Timestamp => out.write_str(&python_float_repr(timestamp_micros(t) as f64 / 1e6)),
        Field::TimestampMicros => write!(out, "{}", timestamp_micros(t)),
        Field::ZoneName => {
            let name = t.offset().to_string();
            if name.starts_with(['+', '-']) {
                out.write_str(&python_zone_name(t.offset().fix().local_minus_utc()))
            } else {
                out.write_str(&name)
            }
        }
        Field::OffsetColon => {
            out.write_str(&format_offset(t.offset().fix().local_minus_utc(), ":"))
        }
        Field::Offset => out.write_str(&format_offset(t.offset().fix().local_minus_utc(), "")),
        Field::IsoWeekDate => {
            let week = t.iso_week();
            write!(
                out,
                "{}-W{:02}-{}",
                week.year(),
                week.week(),
                t.weekday().number_from_monday()
            )
        }
    };
}

/// arrow's 12-hour clock: 0 and 12 are both written as 12.
fn hour12(hour: u32) -> u32 {
    if (1..=12).contains(&hour) {
        hour
    } else {
        hour.abs_diff(12)
    }
}

/// Where reading stopped furthest into the text, and what it wanted there.
#[derive(Debug, Clone, Copy)]
enum Expected {
    Token(usize),
    End,
}

/// A backtracking matcher standing in for arrow's regular expression: each
/// token offers the lengths it could take, longest first, as the regex's
/// greedy quantifiers would.
struct Matcher<'a> {
    tokens: &'a [Token],
    text: &'a str,
    steps: usize,
    furthest: Option<(usize, Expected)>,
}

impl<'a> Matcher<'a> {
    fn run(&mut self, index: usize, pos: usize, captures: &mut Vec<&'a str>) -> bool {
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

    fn note(&mut self, pos: usize, expected: Expected) {
        if self.furthest.is_none_or(|(p, _)| pos > p) {
            self.furthest = Some((pos, expected));
        }
    }

    fn explain(&self) -> String {
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
fn chars_match(a: char, b: char) -> bool {
    a == b || a.to_lowercase().eq(b.to_lowercase())
}

/// Byte length of `literal` at the start of `text`, if it is there.
fn literal_len(literal: &str, text: &str) -> Option<usize> {
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

fn leading_digits(text: &str) -> usize {
    text.bytes().take_while(u8::is_ascii_digit).count()
}

/// `\d{min,max}`, greedy.
fn digits(text: &str, min: usize, max: usize) -> Vec<usize> {
    let n = leading_digits(text).min(max);
    if n < min {
        return Vec::new();
    }
    (min..=n).rev().collect()
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

/// An alternation of names, tried in order like arrow's `(January|...)`.
fn choices(text: &str, names: &[&str]) -> Vec<usize> {
    names
        .iter()
        .filter(|name| starts_with_ignore_case(text, name))
        .map(|name| name.len())
        .collect()
}

fn byte_at(text: &str, index: usize) -> Option<u8> {
    text.as_bytes().get(index).copied()
}

/// `([\+\-])(\d{2})(?:\:?(\d{2}))?|Z` with the colon required (`ZZ`) or
/// absent (`Z`); `colon = None` accepts either, for the `ZZZ` extension.
fn offset_candidates(text: &str, colon: Option<bool>) -> Vec<usize> {
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

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `\w[\w+\-/]+` (zone names), plus numeric offsets with or without a `UTC`
/// prefix so that what `ZZZ` writes for a fixed offset reads back.
fn zone_candidates(text: &str) -> Vec<usize> {
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
fn timestamp_candidates(text: &str, fraction: bool) -> Vec<usize> {
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
fn ordinal_candidates(text: &str) -> Vec<usize> {
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
fn week_date_candidates(text: &str) -> Vec<usize> {
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
fn candidates(field: Field, text: &str) -> Vec<usize> {
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
enum Meridian {
    Am,
    Pm,
}

/// What the tokens said, before it is turned into an instant; mirrors
/// arrow's `_Parts` so that `build` can follow `_build_datetime` step by step.
#[derive(Debug, Default)]
struct Parts {
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

fn number(value: &str) -> Result<i64, String> {
    value
        .parse::<i64>()
        .map_err(|_| format!("`{value}` is not a number"))
}

/// arrow reads at most six fraction digits and rounds on the seventh,
/// half-to-even on the sixth (ignoring digits after the seventh).
fn fraction_micros(value: &str) -> Result<i64, String> {
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
fn offset_seconds(value: &str) -> Option<i64> {
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

fn utc_offset() -> FixedOffset {
    Utc.fix()
}

fn zone(value: &str, named: bool) -> Result<FixedOffset, String> {
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
    fn read(&mut self, field: Field, value: &str) -> Result<(), String> {
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
    fn build(mut self) -> Result<DateTime<FixedOffset>, String> {
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

    fn set_date(&mut self, date: NaiveDate) {
        self.year = Some(i64::from(date.year()));
        self.month = Some(i64::from(date.month()));
        self.day = Some(i64::from(date.day()));
    }
}

fn from_micros(micros: i128) -> Result<DateTime<FixedOffset>, String> {
    i64::try_from(micros)
        .ok()
        .and_then(DateTime::from_timestamp_micros)
        .map(|t| t.fixed_offset())
        .ok_or_else(|| "the timestamp is out of range".to_string())
}

/// `X`: seconds with an optional fraction, to whole microseconds with the
/// same rounding as `S`.
fn read_timestamp(value: &str) -> Result<i128, String> {
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
fn check_year(year: i64) -> Result<(), String> {
    if (1..=9999).contains(&year) {
        Ok(())
    } else {
        Err(format!("year {year} is out of range"))
    }
}

fn make_date(year: i64, month: i64, day: i64) -> Result<NaiveDate, String> {
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

fn make_time(hour: i64, minute: i64, second: i64, microsecond: i64) -> Result<NaiveTime, String> {
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

/// The registry of named formats a scenario has, with `default` pre-registered.
#[derive(Debug, Clone)]
pub struct DateFormats {
    formats: BTreeMap<String, DateFormat>,
}

impl Default for DateFormats {
    fn default() -> Self {
        let mut formats = BTreeMap::new();
        formats.insert(
            DEFAULT_FORMAT_NAME.to_string(),
            DateFormat::default_format(),
        );
        DateFormats { formats }
    }
}

impl DateFormats {
    /// Registers (or replaces, as a later `Given date format` step does in
    /// Zato) the format `pattern` under `name`.
    pub fn register(&mut self, name: &str, pattern: &str) -> Result<(), DateError> {
        if name.trim().is_empty() {
            return Err(DateError::new(format!(
                "the date format `{pattern}` needs a name, as in `Given date format \"short\" \"{pattern}\"`"
            )));
        }
        let format = DateFormat::parse(pattern)?;
        self.formats.insert(name.to_string(), format);
        Ok(())
    }

    /// Looks a format up by name; an unknown name is an error listing the
    /// known names and saying how to register it.
    pub fn get(&self, name: &str) -> Result<&DateFormat, DateError> {
        self.formats.get(name).ok_or_else(|| {
            let known: Vec<String> = self.formats.keys().map(|k| format!("`{k}`")).collect();
            DateError::new(format!(
                "there is no date format named `{name}` (known: {}); register it first with `Given date format \"{name}\" \"YYYY-MM-DD\"`",
                known.join(", ")
            ))
        })
    }

    /// The registered names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.formats.keys().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(hours: i32, minutes: i32) -> FixedOffset {
        FixedOffset::east_opt(hours * 3600 + minutes * 60).unwrap()
    }

    fn at(
        offset: FixedOffset,
        (y, mo, d): (i32, u32, u32),
        (h, mi, s): (u32, u32, u32),
        micro: u32,
    ) -> DateTime<FixedOffset> {
        let naive = NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_micro_opt(h, mi, s, micro)
            .unwrap();
        offset.from_local_datetime(&naive).unwrap()
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<FixedOffset> {
        at(fixed(0, 0), (y, mo, d), (h, mi, s), 0)
    }

    fn fmt(pattern: &str) -> DateFormat {
        DateFormat::parse(pattern).unwrap()
    }

    fn read(pattern: &str, text: &str) -> DateTime<FixedOffset> {
        fmt(pattern).parse_datetime(text).unwrap()
    }

    fn read_err(pattern: &str, text: &str) -> String {
        fmt(pattern).parse_datetime(text).unwrap_err().message
    }

    /// 2024-03-05T14:07:09.123456+01:30, a Tuesday in ISO week 10.
    fn sample() -> DateTime<FixedOffset> {
        at(fixed(1, 30), (2024, 3, 5), (14, 7, 9), 123_456)
    }

    #[test]
    fn formats_every_token_like_arrow() {
        // Expected values were produced by arrow 1.4.0 for the same instant.
        let cases = [
            ("YYYY", "2024"),
            ("YY", "24"),
            ("MMMM", "March"),
            ("MMM", "Mar"),
            ("MM", "03"),
            ("M", "3"),
            ("DDDD", "065"),
            ("DDD", "65"),
            ("DD", "05"),
            ("D", "5"),
            ("Do", "5th"),
            ("dddd", "Tuesday"),
            ("ddd", "Tue"),
            ("d", "2"),
            ("HH", "14"),
            ("H", "14"),
            ("hh", "02"),
            ("h", "2"),
            ("mm", "07"),
            ("m", "7"),
            ("ss", "09"),
            ("s", "9"),
            ("S", "1"),
            ("SS", "12"),
            ("SSS", "123"),
            ("SSSS", "1234"),
            ("SSSSS", "12345"),
            ("SSSSSS", "123456"),
            ("SSSSSSS", "1234561"),
            ("X", "1709642229.123456"),
            ("x", "1709642229123456"),
            ("ZZZ", "UTC+01:30"),
            ("ZZ", "+01:30"),
            ("Z", "+0130"),
            ("a", "pm"),
            ("A", "PM"),
            ("W", "2024-W10-2"),
        ];
        for (pattern, expected) in cases {
            assert_eq!(fmt(pattern).format(&sample()), expected, "token {pattern}");
        }
    }

    #[test]
    fn formats_the_default_pattern() {
        let formats = DateFormats::default();
        let default = formats.get("default").unwrap();
        assert_eq!(default.format(&sample()), "2024-03-05T14:07:09");
        assert_eq!(default.pattern(), DEFAULT_FORMAT_PATTERN);
        assert_eq!(*default, fmt(DEFAULT_FORMAT_PATTERN));
    }

    #[test]
    fn formats_in_the_instants_own_zone() {
        let t = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(
            fmt("hh h A X x ZZZ ZZ Z").format(&t),
            "12 12 AM 1704067200.0 1704067200000000 UTC +00:00 +0000"
        );
        let minus_five = at(fixed(-5, 0), (2024, 1, 1), (0, 0, 0), 10);
        assert_eq!(
            fmt("X x ZZ Z hh").format(&minus_five),
            "1704085200.00001 1704085200000010 -05:00 -0500 12"
        );
        assert_eq!(fmt("ZZZ").format(&utc(2024, 1, 1, 0, 0, 0)), "UTC");
        assert_eq!(
            fmt("ZZ").format(&at(fixed(-3, -30), (2024, 1, 1), (0, 0, 0), 0)),
            "-03:30"
        );
    }

    #[test]
    fn formats_timestamps_as_python_floats() {
        let tiny = at(fixed(0, 0), (1970, 1, 1), (0, 0, 0), 10);
        assert_eq!(fmt("X").format(&tiny), "1e-05");
        let before_epoch = at(fixed(0, 0), (1969, 12, 31), (23, 59, 58), 500_000);
        assert_eq!(fmt("X x").format(&before_epoch), "-1.5 -1500000");
        assert_eq!(fmt("X").format(&utc(1970, 1, 1, 0, 0, 0)), "0.0");
    }

    #[test]
    fn formats_the_twelve_hour_clock_around_noon_and_midnight() {
        let f = fmt("hh h a A");
        assert_eq!(f.format(&utc(2024, 3, 5, 0, 0, 0)), "12 12 am AM");
        assert_eq!(f.format(&utc(2024, 3, 5, 12, 0, 0)), "12 12 pm PM");
        assert_eq!(f.format(&utc(2024, 3, 5, 23, 0, 0)), "11 11 pm PM");
        assert_eq!(f.format(&utc(2024, 3, 5, 1, 0, 0)), "01 1 am AM");
    }

    #[test]
    fn formats_ordinals_and_small_years() {
        let f = fmt("Do");
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31]
            .iter()
            .map(|&d| f.format(&utc(2024, 1, d, 0, 0, 0)))
            .collect();
        assert_eq!(
            got,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "31st"
            ]
        );
        assert_eq!(fmt("YYYY YY").format(&utc(3, 1, 1, 0, 0, 0)), "0003 03");
        assert_eq!(fmt("W").format(&utc(2024, 12, 30, 0, 0, 0)), "2025-W01-1");
        assert_eq!(
            fmt("W DDDD DDD").format(&utc(2021, 1, 3, 0, 0, 0)),
            "2020-W53-7 003 3"
        );
    }

    #[test]
    fn brackets_escape_tokens_and_other_text_is_literal() {
        let t = utc(2024, 1, 1, 0, 0, 0);
        assert_eq!(
            fmt("[YYYY] YYYY [at] Y T h[h]").format(&t),
            "YYYY 2024 at Y T 12h"
        );
        assert_eq!(
            fmt("YYYY-MM-DD [at] h:mm a [YYYY]").format(&sample()),
            "2024-03-05 at 2:07 pm YYYY"
        );
        // Unescaped letters that are tokens stay tokens, as in arrow.
        assert_eq!(fmt("at").format(&t), "amt");
        assert_eq!(fmt("YYYYY").format(&t), "2024Y");
        assert_eq!(fmt("DDo").format(&t), "01o");
        assert_eq!(fmt("[]").format(&t), "");
        assert_eq!(fmt("ü/YYYY").format(&t), "ü/2024");
    }

    #[test]
    fn rejects_broken_patterns() {
        let err = DateFormat::parse("[at YYYY").unwrap_err();
        assert_eq!(
            err.message,
            "the date format `[at YYYY` has a `[` without a closing `]`"
        );
        assert!(
            DateFormat::parse("YYY-MM")
                .unwrap_err()
                .message
                .contains("uses `YYY`, which is not a date token")
        );
        assert!(
            DateFormat::parse("dd MMM")
                .unwrap_err()
                .message
                .contains("use `d` (1-7), `ddd` (Mon) or `dddd` (Monday)")
        );
        assert_eq!(
            DateFormat::parse("").unwrap_err().to_string(),
            "a date format must not be empty"
        );
    }

    #[test]
    fn reads_back_what_it_writes() {
        let rich = "YYYY-MM-DDTHH:mm:ss.SSSSSSZZ";
        assert_eq!(read(rich, "2024-03-05T14:07:09.123456+01:30"), sample());
        let words = "dddd, Do MMMM YYYY h:mm:ss A Z";
        let text = fmt(words).format(&sample());
        assert_eq!(text, "Tuesday, 5th March 2024 2:07:09 PM +0130");
        assert_eq!(
            read(words, &text),
            at(fixed(1, 30), (2024, 3, 5), (14, 7, 9), 0)
        );
        let named = "ZZZ YYYY-MM-DD HH:mm";
        let text = fmt(named).format(&sample());
        assert_eq!(text, "UTC+01:30 2024-03-05 14:07");
        assert_eq!(
            read(named, &text),
            at(fixed(1, 30), (2024, 3, 5), (14, 7, 0), 0)
        );
    }

    #[test]
    fn missing_fields_default_like_arrow_get() {
        assert_eq!(read("HH", "10"), utc(1, 1, 1, 10, 0, 0));
        assert_eq!(read("MMM", "Feb"), utc(1, 2, 1, 0, 0, 0));
        assert_eq!(read("YYYY-MM-DD", "2024-01-31"), utc(2024, 1, 31, 0, 0, 0));
        assert_eq!(read("YYYY-MM-DD", "2024-01-31").offset(), &fixed(0, 0));
        assert_eq!(
            read("YYYY-MM-DD", "  2024-01-31\n"),
            utc(2024, 1, 31, 0, 0, 0)
        );
    }

    #[test]
    fn reads_offsets_and_zone_names() {
        let base = "YYYY-MM-DDTHH:mm:ss";
        let cases = [
            ("Z", "+0530", fixed(5, 30)),
            ("Z", "-05", fixed(-5, 0)),
            ("ZZ", "-05:30", fixed(-5, -30)),
            ("ZZ", "+05", fixed(5, 0)),
            ("ZZ", "Z", fixed(0, 0)),
            (" ZZZ", " UTC", fixed(0, 0)),
            (" ZZZ", " Etc/UTC", fixed(0, 0)),
            (" ZZZ", " +02:00", fixed(2, 0)),
            (" ZZZ", " UTC-03:30", fixed(-3, -30)),
        ];
        for (zone, suffix, offset) in cases {
            let got = read(
                &format!("{base}{zone}"),
                &format!("2024-01-01T10:00:00{suffix}"),
            );
            assert_eq!(
                got,
                at(offset, (2024, 1, 1), (10, 0, 0), 0),
                "{zone} {suffix}"
            );
            assert_eq!(got.offset(), &offset);
        }
        // Literal text is matched regardless of case, as arrow's IGNORECASE does.
        assert_eq!(
            read("YYYY-MM-DDTHH:mm:ssZZ", "2024-01-01t10:00:00z"),
            utc(2024, 1, 1, 10, 0, 0)
        );
        assert!(
            read_err("HH:mm ZZZ", "10:00 Europe/Prague")
                .ends_with("the time zone `Europe/Prague` cannot be read: only `UTC`, `local` and offsets such as `+01:00` are understood, as no time zone database is bundled")
        );
        assert!(read_err("HH ZZ", "10 +24:00").contains("the utc offset `+24:00` is out of range"));
        let local = read("HH ZZZ", "10 local");
        assert_eq!(local.offset(), &Local::now().offset().fix());
    }

    #[test]
    fn reads_names_ordinals_and_meridians_in_any_case() {
        assert_eq!(
            read("Do MMMM YYYY", "5th march 2024"),
            utc(2024, 3, 5, 0, 0, 0)
        );
        assert_eq!(
            read("Do MMM YYYY", "1ST jan 2024"),
            utc(2024, 1, 1, 0, 0, 0)
        );
        assert_eq!(
            read("Do MMM YYYY", "22nd Feb 2024"),
            utc(2024, 2, 22, 0, 0, 0)
        );
        assert!(read_err("Do MMM YYYY", "22th Feb 2024").contains("expected an ordinal day"));
        assert_eq!(read("h a", "12 am"), utc(1, 1, 1, 0, 0, 0));
        assert_eq!(read("h a", "12 pm"), utc(1, 1, 1, 12, 0, 0));
        assert_eq!(read("h A", "1 PM"), utc(1, 1, 1, 13, 0, 0));
        assert_eq!(read("h A", "1 pm"), utc(1, 1, 1, 13, 0, 0));
        assert!(read_err("H a", "13 am").ends_with("hour 13 cannot be combined with `am`"));
    }

    #[test]
    fn reads_fractions_with_arrows_rounding() {
        let micro = |text: &str| read("S", text).timestamp_subsec_micros();
        assert_eq!(micro("5"), 500_000);
        assert_eq!(micro("0000005"), 0);
        assert_eq!(micro("00000050"), 0);
        assert_eq!(micro("1234564"), 123_456);
        assert_eq!(micro("1234565"), 123_456);
        assert_eq!(micro("1234575"), 123_458);
        // Rounding up into the next second carries, as in arrow.
        assert_eq!(read("S", "9999995"), utc(1, 1, 1, 0, 0, 1));
    }

    #[test]
    fn reads_timestamps() {
        let t = |pattern: &str, text: &str| read(pattern, text).to_rfc3339();
        assert_eq!(t("X", "1.5"), "1970-01-01T00:00:01.500+00:00");
        assert_eq!(t("X", "-1.5"), "1969-12-31T23:59:58.500+00:00");
        assert_eq!(t("X", "1709642229"), "2024-03-05T12:37:09+00:00");
        assert_eq!(t("x", "1569980330813"), "2019-10-02T01:38:50.813+00:00");
        assert_eq!(
            t("x", "1569980330813221"),
            "2019-10-02T01:38:50.813221+00:00"
        );
        assert_eq!(t("x", "1569980330"), "2019-10-02T01:38:50+00:00");
        // A timestamp wins over the other tokens and is always UTC.
        assert_eq!(t("YYYY X ZZ", "1999 0 +05:00"), "1970-01-01T00:00:00+00:00");
        assert!(read_err("x", "99999999999999999999").contains("is too large"));
        let instant = sample();
        assert_eq!(read("X", &fmt("X").format(&instant)), instant);
        assert_eq!(read("x", &fmt("x").format(&instant)), instant);
    }

    #[test]
    fn reads_iso_week_dates() {
        assert_eq!(read("W", "2024-W05-4"), utc(2024, 2, 1, 0, 0, 0));
        assert_eq!(read("W", "2024W05"), utc(2024, 1, 29, 0, 0, 0));
        assert_eq!(read("W HH", "2024-W05 10"), utc(2024, 1, 29, 10, 0, 0));
        assert!(read_err("W", "2021-W53").ends_with("2021 has no iso week 53"));
        assert!(read_err("W", "2024-W05-9").ends_with("weekday 9 is out of range"));
    }

    #[test]
    fn reads_days_of_the_year() {
        assert_eq!(read("YYYY-DDDD", "2024-366"), utc(2024, 12, 31, 0, 0, 0));
        assert_eq!(read("YYYY-DDD", "2024-32"), utc(2024, 2, 1, 0, 0, 0));
        assert!(
            read_err("YYYY-DDDD", "2023-366").ends_with("day 366 of the year 2023 does not exist")
        );
        assert!(read_err("DDDD", "100").ends_with("needs a year in the format"));
        assert!(
            read_err("YYYY-MM-DDDD", "2024-01-100").ends_with("cannot be combined with a month")
        );
    }

    #[test]
    fn reads_weekdays_without_a_day_as_the_next_such_day() {
        assert_eq!(read("ddd", "Tue"), utc(1970, 1, 6, 0, 0, 0));
        assert_eq!(read("dddd YYYY", "Tuesday 2024"), utc(2024, 1, 2, 0, 0, 0));
        assert_eq!(
            read("YYYY dddd", "2024 Wednesday"),
            utc(2024, 1, 3, 0, 0, 0)
        );
        assert_eq!(
            read("dddd MMMM YYYY", "Sunday March 2024"),
            utc(2024, 3, 3, 0, 0, 0)
        );
        // With a day present the weekday is not checked, as in arrow.
        assert_eq!(
            read("ddd YYYY-MM-DD", "Mon 2024-03-05"),
            utc(2024, 3, 5, 0, 0, 0)
        );
        // `d` is matched but unused, as in arrow.
        assert_eq!(read("d", "7"), utc(1, 1, 1, 0, 0, 0));
    }

    #[test]
    fn reads_midnight_at_the_end_of_the_day() {
        assert_eq!(
            read("YYYY-MM-DD HH:mm", "2024-12-31 24:00"),
            utc(2025, 1, 1, 0, 0, 0)
        );
        assert!(read_err("HH:mm", "24:01").contains("midnight at the end of the day"));
    }

    #[test]
    fn reads_two_digit_years_with_arrows_pivot() {
        assert_eq!(read("YY", "69").year(), 1969);
        assert_eq!(read("YY", "68").year(), 2068);
        assert_eq!(read("YY", "00").year(), 2000);
    }

    #[test]
    fn backtracks_between_variable_width_tokens() {
        assert_eq!(read("MD", "112"), utc(1, 11, 2, 0, 0, 0));
        assert_eq!(read("MD", "13"), utc(1, 1, 3, 0, 0, 0));
        assert_eq!(read("YYYY-M-D", "2024-1-9"), utc(2024, 1, 9, 0, 0, 0));
        assert_eq!(
            read("YYYY-M-D H:m:s", "2024-12-19 7:5:3"),
            utc(2024, 12, 19, 7, 5, 3)
        );
        assert_eq!(
            read("YYYY-MM-DD [at] HH", "2024-01-01 at 10"),
            utc(2024, 1, 1, 10, 0, 0)
        );
    }

    #[test]
    fn explains_text_that_does_not_match() {
        assert_eq!(
            read_err("YYYY-MM-DD", "2024-1-01"),
            "`2024-1-01` does not match the date format `YYYY-MM-DD`: expected a two-digit month (`MM`) where the text has `1-01`"
        );
        assert_eq!(
            read_err("YYYY-MM-DD", "yesterday"),
            "`yesterday` does not match the date format `YYYY-MM-DD`: expected a four-digit year (`YYYY`) where the text has `yesterday`"
        );
        assert_eq!(
            read_err("YYYY-MM-DD", "2024/01/01"),
            "`2024/01/01` does not match the date format `YYYY-MM-DD`: expected `-` where the text has `/01/01`"
        );
        assert_eq!(
            read_err("YYYY-MM-DD HH", "2024-01-01"),
            "`2024-01-01` does not match the date format `YYYY-MM-DD HH`: the text ends where ` ` was expected"
        );
        assert_eq!(
            read_err("YYYY-MM-DD", "2024-01-01 extra"),
            "`2024-01-01 extra` does not match the date format `YYYY-MM-DD`: unexpected text ` extra` after the date"
        );
        assert_eq!(
            read_err("YYYY-MM-DD", "2024-01-011"),
            "`2024-01-011` does not match the date format `YYYY-MM-DD`: unexpected text `1` after the date"
        );
        assert_eq!(
            read_err("YYYY-MM-DD", ""),
            "`` does not match the date format `YYYY-MM-DD`: the text ends where a four-digit year (`YYYY`) was expected"
        );
    }

    #[test]
    fn explains_values_out_of_range() {
        assert_eq!(
            read_err("YYYY-MM-DD", "2024-13-01"),
            "`2024-13-01` does not match the date format `YYYY-MM-DD`: month 13 is out of range"
        );
        assert_eq!(
            read_err("YYYY-MM-DD", "2023-02-29"),
            "`2023-02-29` does not match the date format `YYYY-MM-DD`: day 29 is out of range for February 2023"
        );
        assert!(
            read_err("YYYY-MM-DD", "2024-04-31").ends_with("day 31 is out of range for April 2024")
        );
        assert!(read_err("YYYY-MM-DD", "2024-00-10").ends_with("month 0 is out of range"));
        assert!(
            read_err("YYYY-MM-DD", "2024-01-00")
                .ends_with("day 0 is out of range for January 2024")
        );
        assert!(read_err("YYYY-MM-DD", "0000-01-01").ends_with("year 0 is out of range"));
        assert!(read_err("HH:mm:ss", "25:00:00").ends_with("hour 25 is out of range"));
        assert!(read_err("HH:mm:ss", "10:60:00").ends_with("minute 60 is out of range"));
        assert!(read_err("HH:mm:ss", "10:00:60").ends_with("second 60 is out of range"));
        assert_eq!(read("YYYY-MM-DD", "2024-02-29"), utc(2024, 2, 29, 0, 0, 0));
    }

    #[test]
    fn refuses_to_read_with_a_token_used_twice() {
        let f = fmt("YYYY YYYY");
        assert_eq!(f.format(&sample()), "2024 2024");
        assert_eq!(
            f.parse_datetime("2024 2024").unwrap_err().message,
            "the date format `YYYY YYYY` uses `YYYY` more than once, so dates cannot be read with it"
        );
        // Different spellings of one field are different tokens, as in arrow.
        assert_eq!(read("MM M", "03 4"), utc(1, 4, 1, 0, 0, 0));
    }

    #[test]
    fn random_between_stays_strictly_inside() {
        let start = utc(2024, 1, 1, 0, 0, 0);
        let end = utc(2024, 12, 31, 0, 0, 0);
        let mut seen_early = false;
        let mut seen_late = false;
        for _ in 0..1_000 {
            let t = random_between(start, end).unwrap();
            assert!(t > start && t < end, "{t}");
            assert_eq!(t.timestamp_subsec_nanos(), 0);
            assert_eq!(t.offset(), start.offset());
            seen_early |= t < utc(2024, 4, 1, 0, 0, 0);
            seen_late |= t > utc(2024, 10, 1, 0, 0, 0);
        }
        assert!(seen_early && seen_late, "draws should spread over the year");
    }

    #[test]
    fn random_between_handles_tiny_and_mixed_offset_windows() {
        let start = utc(2024, 1, 1, 0, 0, 0);
        let two_seconds = start + TimeDelta::seconds(2);
        for _ in 0..100 {
            assert_eq!(
                random_between(start, two_seconds).unwrap(),
                start + TimeDelta::seconds(1)
            );
        }
        let one_second = start + TimeDelta::seconds(1);
        for _ in 0..100 {
            let t = random_between(start, one_second).unwrap();
            assert!(t > start && t < one_second);
        }
        let one_nano = start + TimeDelta::nanoseconds(1);
        assert!(
            random_between(start, one_nano)
                .unwrap_err()
                .message
                .starts_with("there is no instant strictly between")
        );
        // Bounds in different offsets compare as instants.
        let end = at(fixed(5, 0), (2024, 1, 1), (5, 0, 10), 0);
        for _ in 0..100 {
            let t = random_between(start, end).unwrap();
            assert!(t > start && t < end);
        }
    }

    #[test]
    fn random_between_rejects_reversed_or_equal_bounds() {
        let start = utc(2024, 1, 1, 0, 0, 0);
        let end = utc(2023, 1, 1, 0, 0, 0);
        let err = random_between(start, end).unwrap_err();
        assert!(
            err.message
                .starts_with("the end date must be after the start date")
        );
        assert!(err.message.contains("`2024-01-01T00:00:00+00:00`"));
        assert!(random_between(start, start).is_err());
    }

    #[test]
    fn random_after_and_before_use_a_five_year_window() {
        let anchor = utc(2024, 2, 29, 12, 0, 0);
        let five_later = utc(2029, 2, 28, 12, 0, 0);
        let five_earlier = utc(2019, 2, 28, 12, 0, 0);
        for _ in 0..1_000 {
            let after = random_after(anchor).unwrap();
            assert!(after > anchor && after < five_later, "{after}");
            let before = random_before(anchor).unwrap();
            assert!(before > five_earlier && before < anchor, "{before}");
        }
        let last = DateTime::<Utc>::MAX_UTC.fixed_offset();
        assert!(random_after(last).unwrap_err().message.contains("too late"));
        let first = DateTime::<Utc>::MIN_UTC.fixed_offset();
        assert!(
            random_before(first)
                .unwrap_err()
                .message
                .contains("too early")
        );
    }

    #[test]
    fn registry_has_default_and_registers_formats() {
        let mut formats = DateFormats::default();
        assert_eq!(formats.names().collect::<Vec<_>>(), ["default"]);
        formats.register("short", "YYYY-MM-DD").unwrap();
        assert_eq!(
            formats.get("short").unwrap().format(&sample()),
            "2024-03-05"
        );
        formats.register("short", "DD/MM/YYYY").unwrap();
        assert_eq!(
            formats.get("short").unwrap().format(&sample()),
            "05/03/2024"
        );
        formats.register("default", "YYYY").unwrap();
        assert_eq!(formats.get("default").unwrap().format(&sample()), "2024");
        assert!(formats.register("bad", "YYY").is_err());
        assert!(formats.get("bad").is_err());
        assert!(
            formats
                .register(" ", "YYYY")
                .unwrap_err()
                .message
                .contains("needs a name")
        );
    }

    #[test]
    fn registry_explains_unknown_names() {
        let mut formats = DateFormats::default();
        formats.register("short", "YYYY-MM-DD").unwrap();
        assert_eq!(
            formats.get("long").unwrap_err().to_string(),
            "there is no date format named `long` (known: `default`, `short`); register it first with `Given date format \"long\" \"YYYY-MM-DD\"`"
        );
    }

    #[test]
    fn zato_steps_work_end_to_end() {
        let mut formats = DateFormats::default();
        formats.register("short", "YYYY-MM-DD").unwrap();
        let short = formats.get("short").unwrap();
        let start = short.parse_datetime("2024-01-01").unwrap();
        let end = short.parse_datetime("2024-12-31").unwrap();
        for _ in 0..200 {
            let text = short.format(&random_between(start, end).unwrap());
            let back = short.parse_datetime(&text).unwrap();
            assert!(back >= start && back <= end, "{text}");
        }
        let now = formats.get("default").unwrap().format(&Utc::now());
        assert_eq!(now.len(), "2024-01-01T00:00:00".len());
        let local = formats.get("default").unwrap().format(&Local::now());
        assert_eq!(local.len(), now.len());
        let hour_ago = Utc::now() - TimeDelta::hours(1);
        assert!(
            formats
                .get("default")
                .unwrap()
                .parse_datetime(&formats.get("default").unwrap().format(&hour_ago))
                .is_ok()
        );
    }

    /// A deterministic random instant in 1970..2100, in whole seconds.
    fn any_instant(rng: &mut fastrand::Rng, offset: FixedOffset) -> DateTime<FixedOffset> {
        let low = utc(1970, 1, 1, 0, 0, 0).timestamp();
        let high = utc(2100, 1, 1, 0, 0, 0).timestamp();
        let secs = rng.i64(low..high);
        DateTime::from_timestamp(secs, 0)
            .unwrap()
            .with_timezone(&offset)
    }

    #[test]
    fn property_default_format_round_trips_1970_to_2100() {
        let mut rng = fastrand::Rng::with_seed(7);
        let default = fmt(DEFAULT_FORMAT_PATTERN);
        for _ in 0..5_000 {
            let t = any_instant(&mut rng, fixed(0, 0));
            assert_eq!(default.parse_datetime(&default.format(&t)).unwrap(), t);
        }
    }

    #[test]
    fn property_rich_formats_round_trip_with_offsets_and_fractions() {
        let mut rng = fastrand::Rng::with_seed(11);
        let patterns = [
            "YYYY-MM-DDTHH:mm:ss.SSSSSSZZ",
            "dddd, Do MMMM YYYY hh:mm:ss.SSSSSS a Z",
            "ddd DD MMM YYYY H:m:s.SSSSSS A ZZZ",
            "YYYY-DDDD HH:mm:ss.SSSSSS ZZ",
            "X",
        ];
        for pattern in patterns {
            let f = fmt(pattern);
            for _ in 0..1_000 {
                let offset = FixedOffset::east_opt(rng.i32(-14 * 60..=14 * 60) * 60).unwrap();
                let micros = rng.u32(0..1_000_000);
                let t = any_instant(&mut rng, offset) + TimeDelta::microseconds(i64::from(micros));
                let text = f.format(&t);
                let back = f.parse_datetime(&text).unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(back, t, "{pattern}: {text}");
            }
        }
    }

    #[test]
    fn property_microsecond_timestamps_round_trip_after_1978() {
        // arrow tells seconds, milliseconds and microseconds apart by size, so
        // a microsecond `x` before 1978-01-11 reads back as milliseconds.
        let f = fmt("x");
        let mut rng = fastrand::Rng::with_seed(5);
        let low = utc(1978, 1, 12, 0, 0, 0).timestamp_micros();
        let high = utc(2100, 1, 1, 0, 0, 0).timestamp_micros();
        for _ in 0..2_000 {
            let t = DateTime::from_timestamp_micros(rng.i64(low..high)).unwrap();
            assert_eq!(f.parse_datetime(&f.format(&t)).unwrap(), t);
        }
        assert_eq!(
            read("x", "1000000").to_rfc3339(),
            "1970-01-12T13:46:40+00:00"
        );
        assert_eq!(
            read("x", "253402300800000").to_rfc3339(),
            "1978-01-11T21:31:40.800+00:00"
        );
        assert!(read_err("x", "253402300800000000").ends_with("is too large"));
    }

    #[test]
    fn property_date_only_formats_give_midnight_utc() {
        let mut rng = fastrand::Rng::with_seed(3);
        for pattern in ["YYYY-MM-DD", "DD/MM/YYYY", "M/D/YYYY", "YYYYMMDD", "W"] {
            let f = fmt(pattern);
            for _ in 0..500 {
                let t = any_instant(&mut rng, fixed(0, 0));
                let back = f.parse_datetime(&f.format(&t)).unwrap();
                assert_eq!(back.date_naive(), t.date_naive(), "{pattern}");
                assert_eq!(back.time(), NaiveTime::MIN);
            }
        }
    }
}
