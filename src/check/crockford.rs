//! Crockford's Base32 (https://www.crockford.com/base32.html), for `path ... is a BASE32
//! Crockford, checksum "true"`: the value must decode, and with a checksum its last symbol
//! must be the value modulo 37.
//!
//! Decoding is lenient as the spec asks: letters in any case, `I`/`L` read as 1, `O` as 0,
//! hyphens ignored. The checksum is computed digit by digit, so values of any length work.

const SYMBOLS: &str = "0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U";

/// The value (0..37) of a symbol, or None.
fn symbol_value(c: char, allow_check_symbols: bool) -> Option<u32> {
    let c = match c.to_ascii_uppercase() {
        'I' | 'L' => '1',
        'O' => '0',
        other => other,
    };
    let index = SYMBOLS.find(c)? as u32;
    (index < 32 || allow_check_symbols).then_some(index)
}

/// Checks `text`: `Ok(())` when it is valid Crockford Base32 (with its check symbol when
/// `checksum`), else a reason.
pub fn verify(text: &str, checksum: bool) -> Result<(), String> {
    let symbols: Vec<char> = text.chars().filter(|&c| c != '-').collect();
    let (body, check) = match (checksum, symbols.split_last()) {
        (_, None) => return Err("the value is empty".into()),
        (true, Some((last, rest))) => (rest, Some(*last)),
        (false, Some(_)) => (symbols.as_slice(), None),
    };
    if body.is_empty() {
        return Err("there is no data before the check symbol".into());
    }
    let mut remainder: u32 = 0;
    for &c in body {
        let value = symbol_value(c, false)
            .ok_or_else(|| format!("`{c}` is not a Crockford Base32 symbol"))?;
        remainder = (remainder * 32 + value) % 37;
    }
    if let Some(c) = check {
        let expected = symbol_value(c, true)
            .ok_or_else(|| format!("`{c}` is not a Crockford check symbol"))?;
        if expected != remainder {
            let wanted = SYMBOLS.chars().nth(remainder as usize).unwrap_or('?');
            return Err(format!(
                "the check symbol is `{c}` but the data needs `{wanted}`"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_values() {
        assert!(verify("16J", false).is_ok());
        assert!(verify("16j", false).is_ok());
        assert!(verify("1-6-J", false).is_ok());
        // 1234 = 16J in Crockford; 1234 % 37 = 13 = `D`.
        assert!(verify("16JD", true).is_ok());
        assert!(verify("0", false).is_ok());
        // Long values: the checksum is computed without overflow.
        assert!(verify(&"Z".repeat(200), false).is_ok());
    }

    #[test]
    fn refuses_invalid_values() {
        assert!(verify("", false).is_err());
        assert!(verify("U1", false).unwrap_err().contains("not a Crockford"));
        assert!(verify("16JE", true).unwrap_err().contains("needs `D`"));
        assert!(verify("16J!", true).is_err());
        assert!(verify("D", true).is_err());
    }
}
