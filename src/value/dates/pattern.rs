//! Compiling a format: arrow's tokens (`YYYY`, `Do`, `ZZ`, `[escaped]`) and the names
//! they write and read (months, weekdays, the spellings of UTC).

use super::*;

pub(super) const MONTH_NAMES: [&str; 12] = [
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

pub(super) const MONTH_ABBREVIATIONS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

pub(super) const DAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

pub(super) const DAY_ABBREVIATIONS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Zone names that `zoneinfo` resolves to a zero offset; accepted so that
/// `ZZZ` reads the common spellings of UTC without a time zone database.
pub(super) const UTC_ALIASES: [&str; 13] = [
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

/// One arrow token. The variant names say what is written, the comments
/// give the arrow spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
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
    pub(super) fn name(self) -> &'static str {
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
    pub(super) fn describe(self) -> String {
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
pub(super) enum Token {
    Literal(String),
    Field(Field),
}

/// Splits a pattern into tokens the way arrow's formatter regex does.
pub(super) fn tokenize(pattern: &str) -> Result<Vec<Token>, DateError> {
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
pub(super) fn pick(run: usize, one: Field, two: Field) -> (Field, usize) {
    if run >= 2 { (two, 2) } else { (one, 1) }
}
