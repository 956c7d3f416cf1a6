//! Properties of the text formats: arrow date formats (any pattern compiles or is refused,
//! fixed formats read back what they write for 1970..2100), Crockford Base32 (any text is
//! judged, every encoded number verifies, with its check symbol too) and XML (any body parses
//! or is refused, any short XPath is answered, never with a panic and never hanging).

use std::sync::mpsc;
use std::time::Duration;

use apitest::check::crockford;
use apitest::value::dates::DateFormat;
use apitest::xml::XmlDoc;
use chrono::{DateTime, FixedOffset, TimeDelta, TimeZone, Timelike, Utc};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

/// Patterns made of arrow tokens, brackets and separators.
fn pattern_soup() -> impl Strategy<Value = String> {
    prop_oneof![
        "[YMDdHhmsSAaXxZWo\\[\\] :/.,T+-]{0,16}",
        vec(
            select(
                &[
                    "YYYY", "YY", "MMMM", "MMM", "MM", "M", "DDDD", "DDD", "DD", "D", "Do", "dddd",
                    "ddd", "d", "HH", "H", "hh", "h", "mm", "m", "ss", "s", "S", "SSS", "SSSSSS",
                    "SSSSSSSS", "A", "a", "X", "x", "ZZZ", "ZZ", "Z", "W", "[at]", "[", "]", "-",
                    ":", " ", "T", ".",
                ][..]
            ),
            0..8,
        )
        .prop_map(|tokens| tokens.concat()),
    ]
}

/// Text that dates might be read from.
fn date_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9 :./TWZ+-]{0,24}",
        "[0-9A-Za-z :./+-]{0,24}",
    ]
}

fn utc_seconds(year: i32) -> i64 {
    Utc.with_ymd_and_hms(year, 1, 1, 0, 0, 0)
        .unwrap()
        .timestamp()
}

/// An instant in 1970..2100 in whole seconds, in a zone of whole minutes within ±14 hours.
fn instant() -> impl Strategy<Value = DateTime<FixedOffset>> {
    (utc_seconds(1970)..utc_seconds(2100), -14 * 60..=14 * 60i32).prop_map(|(secs, minutes)| {
        let offset = FixedOffset::east_opt(minutes * 60).unwrap();
        DateTime::from_timestamp(secs, 0)
            .unwrap()
            .with_timezone(&offset)
    })
}

/// Any instant chrono can represent, in any zone it can represent.
fn any_instant() -> impl Strategy<Value = DateTime<FixedOffset>> {
    (
        DateTime::<Utc>::MIN_UTC.timestamp()..=DateTime::<Utc>::MAX_UTC.timestamp(),
        0u32..1_000_000_000,
        -86_399..=86_399i32,
    )
        .prop_filter_map("representable", |(secs, nanos, offset)| {
            let offset = FixedOffset::east_opt(offset)?;
            let t = DateTime::from_timestamp(secs, nanos)?;
            // Local time must be representable too.
            t.naive_utc().checked_add_offset(offset)?;
            Some(t.with_timezone(&offset))
        })
}

/// What a format keeps of an instant: its precision and whether it keeps the zone.
#[derive(Debug, Clone, Copy)]
enum Keeps {
    /// Seconds, in the instant's own zone.
    Seconds,
    /// Microseconds, in the instant's own zone.
    Micros,
    /// Seconds, read back as UTC.
    SecondsUtc,
    /// Milliseconds (truncated), read back as UTC.
    MillisUtc,
    /// Microseconds, read back as UTC.
    MicrosUtc,
    /// Minutes, in the instant's own zone.
    Minutes,
}

const ROUND_TRIP_FORMATS: &[(&str, Keeps)] = &[
    ("YYYY-MM-DDTHH:mm:ss", Keeps::SecondsUtc),
    ("YYYY-MM-DDTHH:mm:ss.SSSSSSZZ", Keeps::Micros),
    ("YYYY-MM-DD HH:mm:ssZ", Keeps::Seconds),
    ("dddd, Do MMMM YYYY hh:mm:ss.SSSSSS a Z", Keeps::Micros),
    ("ddd DD MMM YYYY H:m:s.SSSSSS A ZZZ", Keeps::Micros),
    ("YYYY-DDDD HH:mm:ss.SSSSSS ZZ", Keeps::Micros),
    ("YYYYMMDDHHmmss", Keeps::SecondsUtc),
    ("M/D/YYYY h:mm:ss A", Keeps::SecondsUtc),
    ("[on] MMMM D, YYYY [at] HH:mm ZZ", Keeps::Minutes),
    ("W HH:mm:ss", Keeps::SecondsUtc),
    ("YYYY-MM-DD HH:mm:ss.SSS", Keeps::MillisUtc),
    ("X", Keeps::MicrosUtc),
];

fn expected(t: DateTime<FixedOffset>, keeps: Keeps) -> DateTime<FixedOffset> {
    let utc = FixedOffset::east_opt(0).unwrap();
    let micros = t.nanosecond() / 1_000;
    match keeps {
        Keeps::Micros => t.with_nanosecond(micros * 1_000).unwrap(),
        Keeps::Seconds => t.with_nanosecond(0).unwrap(),
        Keeps::SecondsUtc => t.with_nanosecond(0).unwrap().with_timezone(&utc),
        Keeps::MillisUtc => t
            .with_nanosecond(micros / 1_000 * 1_000_000)
            .unwrap()
            .with_timezone(&utc),
        Keeps::MicrosUtc => t
            .with_nanosecond(micros * 1_000)
            .unwrap()
            .with_timezone(&utc),
        Keeps::Minutes => t.with_second(0).unwrap().with_nanosecond(0).unwrap(),
    }
}

proptest! {
    #![proptest_config(crate::config())]

    #[test]
    fn date_formats_never_panic(
        pattern in prop_oneof![any::<String>(), pattern_soup()],
        t in any_instant(),
        text in date_text(),
    ) {
        let Ok(format) = DateFormat::parse(&pattern) else {
            return Ok(());
        };
        prop_assert_eq!(format.pattern(), pattern.as_str());
        let written = format.format(&t);
        let _ = format.parse_datetime(&written);
        let _ = format.parse_datetime(&text);
        let _ = format.format(&t.with_timezone(&Utc));
    }

    #[test]
    fn fixed_formats_read_back_what_they_write(
        which in 0..ROUND_TRIP_FORMATS.len(),
        t in instant(),
        micros in 0i64..1_000_000,
    ) {
        let (pattern, keeps) = ROUND_TRIP_FORMATS[which];
        let format = DateFormat::parse(pattern).unwrap();
        // A zone the format cannot write is not part of the round trip.
        let t = match keeps {
            Keeps::SecondsUtc | Keeps::MillisUtc | Keeps::MicrosUtc => {
                t.with_timezone(&FixedOffset::east_opt(0).unwrap())
            }
            _ => t,
        };
        let t = t + TimeDelta::microseconds(micros);
        let text = format.format(&t);
        let back = format.parse_datetime(&text);
        prop_assert!(back.is_ok(), "{} wrote {:?} for {}, read back as {:?}", pattern, text, t, back);
        let back = back.unwrap();
        let want = expected(t, keeps);
        prop_assert_eq!(back, want, "{} wrote {:?} for {}", pattern, text, t);
        prop_assert_eq!(back.offset(), want.offset(), "{} wrote {:?} for {}", pattern, text, t);
    }
}

// ---------------------------------------------------------------------------------------------
// Crockford Base32
// ---------------------------------------------------------------------------------------------

const SYMBOLS: &[u8; 37] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U";

fn encode(mut n: u64) -> String {
    let mut digits = Vec::new();
    loop {
        digits.push(SYMBOLS[(n % 32) as usize]);
        n /= 32;
        if n == 0 {
            break;
        }
    }
    digits.reverse();
    String::from_utf8(digits).unwrap()
}

fn check_symbol(n: u64) -> char {
    char::from(SYMBOLS[(n % 37) as usize])
}

/// The value of a symbol read leniently, or `None`.
fn symbol(c: char, check: bool) -> Option<u64> {
    let c = match c.to_ascii_uppercase() {
        'I' | 'L' => '1',
        'O' => '0',
        c => c,
    };
    let index = SYMBOLS.iter().position(|&s| char::from(s) == c)?;
    (index < 32 || check).then_some(index as u64)
}

/// Crockford's rules, written independently: data symbols, then the check symbol if any.
fn reference_verify(text: &str, checksum: bool) -> bool {
    let symbols: Vec<char> = text.chars().filter(|&c| c != '-').collect();
    let (data, check) = if checksum {
        match symbols.split_last() {
            Some((last, data)) => (data, Some(*last)),
            None => return false,
        }
    } else {
        (symbols.as_slice(), None)
    };
    if data.is_empty() {
        return false;
    }
    let mut remainder = 0;
    for &c in data {
        let Some(value) = symbol(c, false) else {
            return false;
        };
        remainder = (remainder * 32 + value) % 37;
    }
    check.is_none_or(|c| symbol(c, true) == Some(remainder))
}

/// Writes `text` the lenient ways the spec allows: any case, `I`/`L` for 1, `O` for 0, and
/// hyphens anywhere.
fn lenient(text: &str, noise: &[u8]) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        let n = noise.get(i).copied().unwrap_or(0);
        let c = match (c, n % 3) {
            ('1', 1) => 'I',
            ('1', 2) => 'l',
            ('0', 1) => 'O',
            ('0', 2) => 'o',
            (c, _) if n % 2 == 1 => c.to_ascii_lowercase(),
            (c, _) => c,
        };
        if n % 5 == 0 {
            out.push('-');
        }
        out.push(c);
    }
    out
}

proptest! {
    #![proptest_config(crate::config())]

    #[test]
    fn crockford_never_panics(
        text in prop_oneof![any::<String>(), "[0-9A-Za-z*~$=U!-]{0,16}"],
        checksum in any::<bool>(),
    ) {
        let result = crockford::verify(&text, checksum);
        prop_assert_eq!(result.is_ok(), reference_verify(&text, checksum), "{:?}: {:?}", text, result);
    }

    #[test]
    fn every_encoded_number_verifies(n in any::<u64>(), noise in vec(any::<u8>(), 0..16)) {
        let text = encode(n);
        prop_assert_eq!(crockford::verify(&text, false), Ok(()), "{}", text);
        let with_check = format!("{text}{}", check_symbol(n));
        prop_assert_eq!(crockford::verify(&with_check, true), Ok(()), "{} for {}", with_check, n);
        let loose = format!("{}{}", lenient(&text, &noise), check_symbol(n).to_ascii_lowercase());
        prop_assert_eq!(crockford::verify(&loose, true), Ok(()), "{} for {}", loose, n);
    }

    #[test]
    fn a_wrong_check_symbol_is_refused(n in any::<u64>(), wrong in 0usize..37) {
        prop_assume!(wrong as u64 != n % 37);
        let text = format!("{}{}", encode(n), char::from(SYMBOLS[wrong]));
        prop_assert!(crockford::verify(&text, true).is_err(), "{} for {}", text, n);
    }
}

// ---------------------------------------------------------------------------------------------
// XML and XPath
// ---------------------------------------------------------------------------------------------

/// How long one parse or query may take before it counts as hanging (debug builds are slow).
const XML_TIMEOUT: Duration = Duration::from_secs(20);

/// Runs `job` on its own thread and fails the case if it panics or takes too long.
fn bounded<T: Send + 'static>(
    what: String,
    job: impl FnOnce() -> T + Send + 'static,
) -> Result<T, TestCaseError> {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(job());
    });
    match receive.recv_timeout(XML_TIMEOUT) {
        Ok(value) => Ok(value),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(TestCaseError::fail(format!(
            "{what}: no answer after {XML_TIMEOUT:?}"
        ))),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            Err(TestCaseError::fail(format!("{what}: panicked")))
        }
    }
}

/// The library turns a panic of its XML engine into an error; that is still a panic found.
fn no_caught_panic(what: &str, message: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        !message.contains("panicked"),
        "{} made the XML library panic: {}",
        what,
        message
    );
    Ok(())
}

const XML_FRAGMENTS: &[&str] = &[
    "<?xml version=\"1.0\"?>",
    "<?xml version='1.0' encoding='UTF-8'?>",
    "<a>",
    "</a>",
    "<b x='1' y=\"2\">",
    "</b>",
    "<c/>",
    "<p:d xmlns:p='urn:p'>",
    "</p:d>",
    "<e xmlns='urn:e'>",
    "</e>",
    "<!-- c -->",
    "<?pi data?>",
    "<![CDATA[x<y]]>",
    "&amp;",
    "&lt;",
    "&#x41;",
    "&#0;",
    "&#xD800;",
    "&undefined;",
    "<!DOCTYPE a>",
    "<!DOCTYPE a [<!ENTITY e 'x'>]>",
    "text",
    " ",
    "\n",
    "é",
    "<",
    ">",
    "\u{feff}",
    "<a xmlns:xml='http://www.w3.org/XML/1998/namespace'>",
    "<f xml:lang='en'>",
    "</f>",
];

fn xml_soup() -> impl Strategy<Value = String> {
    vec(select(XML_FRAGMENTS), 0..16).prop_map(|parts| parts.concat())
}

const DOCUMENT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<employee id="42" active="true" xmlns:m="urn:m">
  <name>John Doe</name>
  <!-- a comment -->
  <items>
    <item id="1"><price>3</price></item>
    <item id="2"><price>9.5</price><m:tag>x</m:tag></item>
  </items>
</employee>"#;

const XPATH_WORDS: &[&str] = &[
    "/",
    "//",
    "employee",
    "item",
    "items",
    "price",
    "name",
    "@id",
    "@*",
    "*",
    ".",
    "..",
    "[",
    "]",
    "(",
    ")",
    "1",
    "2",
    "0",
    "-1",
    "'a'",
    "\"b\"",
    "=",
    "!=",
    "<",
    ">=",
    "+",
    "-",
    "*",
    "div",
    "mod",
    "and",
    "or",
    "|",
    ",",
    "count(",
    "sum(",
    "text()",
    "node()",
    "last()",
    "position()",
    "string(",
    "number(",
    "concat(",
    "string-join(",
    "m:",
    "x:",
    "ns:",
    "for ",
    "$x",
    " in ",
    " return ",
    "if (",
    ") then ",
    " else ",
    "let $x := ",
    "1e308",
    "9999999999999999999",
    "ancestor::",
    "following-sibling::",
    "::",
    "array {",
    "map {",
    "}",
    "?",
    "!",
    "=>",
    "#",
];

fn xpath() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,24}",
        vec(select(XPATH_WORDS), 1..10).prop_map(|words| words.concat()),
    ]
}

proptest! {
    #![proptest_config(crate::slow_config(32))]

    #[test]
    fn xml_parse_never_panics_or_hangs(text in prop_oneof![any::<String>(), xml_soup()]) {
        let what = format!("parsing {text:?}");
        let input = text.clone();
        let result = bounded(what.clone(), move || XmlDoc::parse(&input))?;
        if let Err(error) = &result {
            no_caught_panic(&what, &error.message)?;
        }
    }

    #[test]
    fn xpath_queries_never_panic_or_hang(
        expression in xpath(),
        namespaces in proptest::option::of(("[a-z]{0,2}", "[a-z:]{0,6}")),
    ) {
        let doc = XmlDoc::parse(DOCUMENT).unwrap();
        let namespaces: Vec<(String, String)> = namespaces.into_iter().collect();
        let what = format!("querying {expression:?} with {namespaces:?}");
        let input = expression.clone();
        let result = bounded(what.clone(), move || doc.query(&input, &namespaces))?;
        if let Err(error) = &result {
            no_caught_panic(&what, &error.message)?;
        }
    }
}
