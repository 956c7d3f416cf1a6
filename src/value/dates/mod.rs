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
//!
//! `pattern` compiles a format, `write` writes an instant with it, `read` reads text back,
//! `random` picks instants inside a window; this file holds the compiled format and the
//! registry of named formats.

mod pattern;
mod random;
mod read;
mod write;

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use chrono::{
    DateTime, Datelike, FixedOffset, Local, Months, NaiveDate, NaiveDateTime, NaiveTime, Offset,
    TimeDelta, TimeZone, Timelike, Utc, Weekday,
};

use pattern::*;
pub use random::{random_after, random_before, random_between};
use read::*;
use write::*;

/// The name of the format every scenario starts with.
pub const DEFAULT_FORMAT_NAME: &str = "default";

/// The pattern registered as [`DEFAULT_FORMAT_NAME`], as in Zato's apitest.
pub const DEFAULT_FORMAT_PATTERN: &str = "YYYY-MM-DDTHH:mm:ss";

/// How far [`random_after`] and [`random_before`] reach: five years, counted
/// in calendar months so that a window starting on a leap day stays five
/// calendar years long instead of drifting by a day.
pub const RANDOM_WINDOW_MONTHS: u32 = 60;

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
