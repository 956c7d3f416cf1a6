//! Python literals, as Zato's `(with literal_eval)` and `variable ... is a list "..."` steps
//! read them: `42`, `2.5`, `'text'`, `"text"`, `True`, `False`, `None`, `[1, 'a']`, `(1, 2)`
//! and `{'k': 1}`, turned into JSON values (tuples become lists, `None` becomes null).
//!
//! Only literals are read, never evaluated: nothing here can run code.

use serde_json::{Map, Value};

/// Reads one Python literal; the error says what was expected and where.
pub fn parse(text: &str) -> Result<Value, String> {
    let mut reader = Reader {
        chars: text.chars().collect(),
        pos: 0,
        depth: 0,
    };
    let value = reader.value()?;
    reader.skip_space();
    if reader.pos < reader.chars.len() {
        return Err(format!(
            "unexpected `{}` at position {}",
            reader.rest(),
            reader.pos + 1
        ));
    }
    Ok(value)
}

struct Reader {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
}

/// Deep nesting is refused rather than allowed to exhaust the stack.
const MAX_DEPTH: usize = 64;

impl Reader {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn rest(&self) -> String {
        self.chars.iter().skip(self.pos).take(12).collect()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn value(&mut self) -> Result<Value, String> {
        self.skip_space();
        match self.peek() {
            None => Err("the literal is empty or ends too early".into()),
            Some('[') => self.sequence(']'),
            Some('(') => self.sequence(')'),
            Some('{') => self.dict(),
            Some(q @ ('\'' | '"')) => self.string(q).map(Value::String),
            Some(c) if c.is_ascii_digit() || c == '-' || c == '+' || c == '.' => self.number(),
            Some(_) => self.word(),
        }
    }

    fn enter(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(format!("the literal nests deeper than {MAX_DEPTH} levels"));
        }
        Ok(())
    }

    fn sequence(&mut self, close: char) -> Result<Value, String> {
        self.enter()?;
        self.pos += 1;
        let mut items = Vec::new();
        // `(x)` is grouping in Python, `(x,)` a tuple.
        let mut comma = false;
        loop {
            self.skip_space();
            if self.peek() == Some(close) {
                self.pos += 1;
                break;
            }
            items.push(self.value()?);
            self.skip_space();
            match self.peek() {
                Some(',') => {
                    comma = true;
                    self.pos += 1;
                }
                Some(c) if c == close => {}
                _ => {
                    return Err(format!(
                        "expected `,` or `{close}` at position {}",
                        self.pos + 1
                    ));
                }
            }
        }
        self.depth -= 1;
        if close == ')' && !comma && items.len() == 1 {
            return Ok(items.pop().unwrap_or(Value::Null));
        }
        Ok(Value::Array(items))
    }

    fn dict(&mut self) -> Result<Value, String> {
        self.enter()?;
        self.pos += 1;
        let mut map = Map::new();
        loop {
            self.skip_space();
            if self.peek() == Some('}') {
                self.pos += 1;
                break;
            }
            let key = match self.value()? {
                Value::String(s) => s,
                other => other.to_string(),
            };
            self.skip_space();
            if self.peek() != Some(':') {
                return Err(format!("expected `:` at position {}", self.pos + 1));
            }
            self.pos += 1;
            let value = self.value()?;
            map.insert(key, value);
            self.skip_space();
            match self.peek() {
                Some(',') => self.pos += 1,
                Some('}') => {}
                _ => return Err(format!("expected `,` or `}}` at position {}", self.pos + 1)),
            }
        }
        self.depth -= 1;
        Ok(Value::Object(map))
    }

    fn string(&mut self, quote: char) -> Result<String, String> {
        let start = self.pos + 1;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(format!(
                    "the string opened at position {start} is never closed"
                ));
            };
            self.pos += 1;
            match c {
                c if c == quote => return Ok(out),
                '\\' => {
                    let escaped = self.peek().ok_or("a string ends with `\\`")?;
                    self.pos += 1;
                    match escaped {
                        'n' => out.push('\n'),
                        't' => out.push('\t'),
                        'r' => out.push('\r'),
                        '0' => out.push('\0'),
                        'x' => out.push(self.hex_escape(2)?),
                        'u' => out.push(self.hex_escape(4)?),
                        other => out.push(other),
                    }
                }
                other => out.push(other),
            }
        }
    }

    /// `\xHH` and `\uHHHH`: the next `digits` hex digits as a character.
    fn hex_escape(&mut self, digits: usize) -> Result<char, String> {
        let hex: String = self.chars.iter().skip(self.pos).take(digits).collect();
        let code = u32::from_str_radix(&hex, 16)
            .ok()
            .filter(|_| hex.chars().count() == digits)
            .ok_or_else(|| format!("an escape needs {digits} hex digits, not `{hex}`"))?;
        self.pos += digits;
        char::from_u32(code).ok_or_else(|| format!("`{hex}` is not a character"))
    }

    fn number(&mut self) -> Result<Value, String> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '+' | '.' | '_'))
        {
            self.pos += 1;
        }
        let text: String = self
            .chars
            .get(start..self.pos)
            .unwrap_or_default()
            .iter()
            .filter(|&&c| c != '_')
            .collect();
        if let Ok(i) = text.parse::<i64>() {
            return Ok(Value::from(i));
        }
        if let Ok(u) = text.parse::<u64>() {
            return Ok(Value::from(u));
        }
        text.parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| format!("`{text}` is not a number"))
    }

    fn word(&mut self) -> Result<Value, String> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_alphanumeric() || c == '_') {
            self.pos += 1;
        }
        let word: String = self
            .chars
            .get(start..self.pos)
            .unwrap_or_default()
            .iter()
            .collect();
        match word.as_str() {
            "True" => Ok(Value::Bool(true)),
            "False" => Ok(Value::Bool(false)),
            "None" => Ok(Value::Null),
            "" => Err(format!(
                "unexpected `{}` at position {}",
                self.rest(),
                start + 1
            )),
            other => Err(format!(
                "`{other}` is not a Python literal (text needs quotes: '{other}')"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_python_literals() {
        let cases = [
            ("42", json!(42)),
            ("-7", json!(-7)),
            ("2.5", json!(2.5)),
            ("1e3", json!(1000.0)),
            ("'text'", json!("text")),
            ("\"it's\"", json!("it's")),
            ("True", json!(true)),
            ("None", json!(null)),
            ("['a', 'b']", json!(["a", "b"])),
            ("[\"a\", \"b\"]", json!(["a", "b"])),
            ("(1, 2,)", json!([1, 2])),
            (
                "{'k': 1, 'n': [None, False]}",
                json!({"k": 1, "n": [null, false]}),
            ),
            ("  [ ]  ", json!([])),
            ("(None)", json!(null)),
            ("(1,)", json!([1])),
            ("'\\x41\\u00e9'", json!("Aé")),
            ("'a\\'b'", json!("a'b")),
        ];
        for (text, expected) in cases {
            assert_eq!(parse(text).unwrap(), expected, "{text}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_literal() {
        for text in [
            "",
            "abc",
            "[1, 2",
            "'open",
            "{'k' 1}",
            "1 2",
            "__import__('os')",
            "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]",
        ] {
            assert!(parse(text).is_err(), "{text}");
        }
        assert!(parse("abc").unwrap_err().contains("text needs quotes"));
    }
}
