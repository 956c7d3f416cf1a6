//! Tag expressions that select which scenarios run. The Cucumber syntax
//! (`@smoke and not (@slow or @flaky)`) is the main form; behave's legacy
//! forms (`@a,@b` for "or", `~@slow` or `-@slow` for "not", and several
//! `--tags` options for "and") are accepted as well so that existing suites
//! keep their command lines.

use std::fmt;

/// A parsed tag expression; tag names are stored without the `@`.
#[derive(Debug, Clone, PartialEq)]
pub enum TagExpr {
    Tag(String),
    Not(Box<TagExpr>),
    And(Box<TagExpr>, Box<TagExpr>),
    Or(Box<TagExpr>, Box<TagExpr>),
}

/// Bounds the size of an expression: the tree is walked recursively, and a
/// limit keeps a hostile command line from exhausting the stack.
const MAX_TOKENS: usize = 1000;
const MAX_NESTING: usize = 100;

impl TagExpr {
    /// Parses a tag expression. Precedence is `not` over `and` over `or`
    /// (`,` counts as `or`), and `and`/`or` group from the left.
    pub fn parse(s: &str) -> Result<TagExpr, String> {
        let tokens = lex(s)?;
        if tokens.is_empty() {
            return Err("tag expression is empty; write a tag such as `@smoke`".to_string());
        }
        if tokens.len() > MAX_TOKENS {
            return Err(format!(
                "tag expression has more than {MAX_TOKENS} words; split it into several `--tags` options"
            ));
        }
        let mut parser = Parser {
            tokens,
            next: 0,
            depth: 0,
        };
        let expr = parser.or()?;
        match parser.peek() {
            None => Ok(expr),
            Some(token) => Err(parser.misplaced(token)),
        }
    }

    /// Whether a scenario with these tags (names without `@`) is selected.
    pub fn matches(&self, tags: &[String]) -> bool {
        match self {
            TagExpr::Tag(name) => tags.iter().any(|tag| tag == name),
            TagExpr::Not(inner) => !inner.matches(tags),
            TagExpr::And(left, right) => left.matches(tags) && right.matches(tags),
            TagExpr::Or(left, right) => left.matches(tags) || right.matches(tags),
        }
    }
}

/// Combines expressions given as separate `--tags` options, which behave
/// treats as "all of them must match". Returns `None` when there are none,
/// meaning every scenario is selected.
pub fn all(exprs: Vec<TagExpr>) -> Option<TagExpr> {
    exprs
        .into_iter()
        .reduce(|left, right| TagExpr::And(Box::new(left), Box::new(right)))
}

impl fmt::Display for TagExpr {
    /// Writes the expression in Cucumber syntax, adding parentheses only
    /// where precedence needs them, so that the output parses back to the
    /// same expression.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TagExpr::Tag(name) => {
                f.write_str("@")?;
                for c in name.chars() {
                    if c.is_whitespace() || matches!(c, '(' | ')' | ',' | '\\') {
                        f.write_str("\\")?;
                    }
                    write!(f, "{c}")?;
                }
                Ok(())
            }
            TagExpr::Not(inner) => match inner.as_ref() {
                TagExpr::Tag(_) | TagExpr::Not(_) => write!(f, "not {inner}"),
                _ => write!(f, "not ({inner})"),
            },
            TagExpr::And(left, right) => {
                write_operand(f, left, false)?;
                f.write_str(" and ")?;
                write_operand(f, right, true)
            }
            TagExpr::Or(left, right) => {
                write!(f, "{left} or ")?;
                match right.as_ref() {
                    TagExpr::Or(..) => write!(f, "({right})"),
                    _ => write!(f, "{right}"),
                }
            }
        }
    }
}

/// Writes one side of an `and`: an `or` always needs parentheses, and so
/// does an `and` on the right, because `and` groups from the left.
fn write_operand(f: &mut fmt::Formatter<'_>, expr: &TagExpr, right: bool) -> fmt::Result {
    match expr {
        TagExpr::Or(..) => write!(f, "({expr})"),
        TagExpr::And(..) if right => write!(f, "({expr})"),
        _ => write!(f, "{expr}"),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Open,
    Close,
    And,
    Or,
    Not,
    Tag(String),
}

#[derive(Debug, Clone, PartialEq)]
struct Token {
    kind: Kind,
    /// The token as written, for error messages.
    text: String,
    /// 1-based character position of the token's first character.
    position: usize,
}

/// Splits an expression into tokens. A backslash makes the next character
/// part of a tag name, so `@a\ b` is the tag `a b`.
fn lex(s: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut chars = s.chars().enumerate().peekable();
    while let Some((index, c)) = chars.next() {
        let position = index + 1;
        let simple = |kind: Kind| Token {
            kind,
            text: c.to_string(),
            position,
        };
        match c {
            c if c.is_whitespace() => {}
            '(' => tokens.push(simple(Kind::Open)),
            ')' => tokens.push(simple(Kind::Close)),
            ',' => tokens.push(simple(Kind::Or)),
            '~' => tokens.push(simple(Kind::Not)),
            '-' if chars.peek().is_some_and(|(_, next)| *next == '@') => {
                tokens.push(simple(Kind::Not));
            }
            first => {
                let mut word = String::new();
                let mut current = Some(first);
                while let Some(c) = current {
                    if c == '\\' {
                        match chars.next() {
                            Some((_, escaped)) => word.push(escaped),
                            None => {
                                return Err(format!(
                                    "expression ends with a lone `\\` at position {}; remove it or escape it as `\\\\`",
                                    char_len(s)
                                ));
                            }
                        }
                    } else {
                        word.push(c);
                    }
                    current = chars
                        .next_if(|(_, next)| !ends_word(*next))
                        .map(|(_, next)| next);
                }
                tokens.push(word_token(word, position)?);
            }
        }
    }
    Ok(tokens)
}

fn ends_word(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | ',')
}

fn word_token(word: String, position: usize) -> Result<Token, String> {
    let kind = match word.as_str() {
        "and" => Kind::And,
        "or" => Kind::Or,
        "not" => Kind::Not,
        "@" => {
            return Err(format!(
                "tag name missing after `@` at position {position}; write `@name`"
            ));
        }
        _ => match word.strip_prefix('@') {
            Some(name) => Kind::Tag(name.to_string()),
            None => {
                let operator = word.to_lowercase();
                let advice = if matches!(operator.as_str(), "and" | "or" | "not") {
                    format!("operators are lowercase: write `{operator}`")
                } else {
                    format!("write `@{word}`")
                };
                return Err(format!(
                    "tag `{word}` must start with `@` (at position {position}); {advice}"
                ));
            }
        },
    };
    Ok(Token {
        kind,
        text: word,
        position,
    })
}

/// A recursive-descent parser over the tokens, one method per precedence
/// level.
struct Parser {
    tokens: Vec<Token>,
    next: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.next)
    }

    fn advance(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.next).cloned();
        if token.is_some() {
            self.next += 1;
        }
        token
    }

    /// The text of the last token consumed, for "ends after" messages.
    fn previous_text(&self) -> String {
        self.next
            .checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .map_or_else(String::new, |t| t.text.clone())
    }

    fn or(&mut self) -> Result<TagExpr, String> {
        let mut left = self.and()?;
        while self.peek().is_some_and(|t| t.kind == Kind::Or) {
            self.advance();
            let right = self.and()?;
            left = TagExpr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<TagExpr, String> {
        let mut left = self.not()?;
        while self.peek().is_some_and(|t| t.kind == Kind::And) {
            self.advance();
            let right = self.not()?;
            left = TagExpr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<TagExpr, String> {
        if self.peek().is_some_and(|t| t.kind == Kind::Not) {
            self.advance();
            self.descend()?;
            let inner = self.not()?;
            self.depth -= 1;
            return Ok(TagExpr::Not(Box::new(inner)));
        }
        self.operand()
    }

    fn operand(&mut self) -> Result<TagExpr, String> {
        let Some(token) = self.advance() else {
            return Err(format!("expression ends after `{}`", self.previous_text()));
        };
        match token.kind {
            Kind::Tag(name) => Ok(TagExpr::Tag(name)),
            Kind::Open => {
                self.descend()?;
                let inner = self.or()?;
                self.depth -= 1;
                match self.advance() {
                    Some(Token {
                        kind: Kind::Close, ..
                    }) => Ok(inner),
                    Some(other) => Err(self.misplaced(&other)),
                    None => Err(format!(
                        "unclosed `(` at position {}; add a `)`",
                        token.position
                    )),
                }
            }
            Kind::Close | Kind::And | Kind::Or | Kind::Not => Err(format!(
                "unexpected `{}` at position {}; expected a tag or `(`",
                token.text, token.position
            )),
        }
    }

    /// The error for a token that appears where an operator was expected.
    fn misplaced(&self, token: &Token) -> String {
        match token.kind {
            Kind::Close => format!("unexpected `)` at position {}", token.position),
            _ => format!(
                "expected `and` or `or` before `{}` at position {}",
                token.text, token.position
            ),
        }
    }

    fn descend(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(format!(
                "tag expression nests deeper than {MAX_NESTING} levels; simplify it"
            ));
        }
        Ok(())
    }
}

fn char_len(s: &str) -> usize {
    s.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(name: &str) -> TagExpr {
        TagExpr::Tag(name.to_string())
    }

    fn not(e: TagExpr) -> TagExpr {
        TagExpr::Not(Box::new(e))
    }

    fn and(a: TagExpr, b: TagExpr) -> TagExpr {
        TagExpr::And(Box::new(a), Box::new(b))
    }

    fn or(a: TagExpr, b: TagExpr) -> TagExpr {
        TagExpr::Or(Box::new(a), Box::new(b))
    }

    fn tags(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    fn parse(s: &str) -> TagExpr {
        TagExpr::parse(s).unwrap()
    }

    fn error(s: &str) -> String {
        TagExpr::parse(s).unwrap_err()
    }

    #[test]
    fn parses_single_tags() {
        assert_eq!(parse("@smoke"), tag("smoke"));
        assert_eq!(parse("  @smoke  "), tag("smoke"));
        assert_eq!(parse("@a:b-c.d"), tag("a:b-c.d"));
        assert_eq!(parse(r"@with\ space\(x\)"), tag("with space(x)"));
    }

    #[test]
    fn applies_precedence_not_and_or() {
        assert_eq!(
            parse("@smoke and not @slow"),
            and(tag("smoke"), not(tag("slow")))
        );
        assert_eq!(
            parse("@a or @b and @c"),
            or(tag("a"), and(tag("b"), tag("c")))
        );
        assert_eq!(
            parse("@a and @b or @c"),
            or(and(tag("a"), tag("b")), tag("c"))
        );
        assert_eq!(parse("not @a and @b"), and(not(tag("a")), tag("b")));
        assert_eq!(
            parse("(@a or @b) and not @c"),
            and(or(tag("a"), tag("b")), not(tag("c")))
        );
        assert_eq!(parse("not not @a"), not(not(tag("a"))));
        assert_eq!(parse("not (@a or @b)"), not(or(tag("a"), tag("b"))));
        assert_eq!(
            parse("@a and @b and @c"),
            and(and(tag("a"), tag("b")), tag("c"))
        );
        assert_eq!(parse("((@a))"), tag("a"));
        assert_eq!(parse("(@a)and(@b)"), and(tag("a"), tag("b")));
    }

    #[test]
    fn evaluates_expressions() {
        let e = parse("(@a or @b) and not @c");
        assert!(e.matches(&tags(&["a"])));
        assert!(e.matches(&tags(&["b", "x"])));
        assert!(!e.matches(&tags(&["a", "c"])));
        assert!(!e.matches(&tags(&[])));
        assert!(!e.matches(&tags(&["c"])));

        let e = parse("@a or @b and @c");
        assert!(e.matches(&tags(&["a"])));
        assert!(!e.matches(&tags(&["b"])));
        assert!(e.matches(&tags(&["b", "c"])));

        assert!(parse("not @slow").matches(&tags(&[])));
        assert!(!parse("@smoke").matches(&tags(&["smoke-test"])));
    }

    #[test]
    fn accepts_behave_legacy_forms() {
        assert_eq!(parse("@a,@b"), or(tag("a"), tag("b")));
        assert_eq!(parse("~@slow"), not(tag("slow")));
        assert_eq!(parse("-@slow"), not(tag("slow")));
        assert_eq!(parse("~@a,@b"), or(not(tag("a")), tag("b")));
        assert_eq!(parse("@a, ~@b"), or(tag("a"), not(tag("b"))));
        let e = parse("@wip,~@slow");
        assert!(e.matches(&tags(&["wip", "slow"])));
        assert!(e.matches(&tags(&[])));
        assert!(!e.matches(&tags(&["slow"])));
    }

    #[test]
    fn combines_separate_options_with_and() {
        assert_eq!(all(Vec::new()), None);
        assert_eq!(all(vec![tag("a")]), Some(tag("a")));
        let combined = all(vec![parse("@a,@b"), parse("~@slow"), parse("@c")]).unwrap();
        assert_eq!(
            combined,
            and(and(or(tag("a"), tag("b")), not(tag("slow"))), tag("c"))
        );
        assert!(combined.matches(&tags(&["b", "c"])));
        assert!(!combined.matches(&tags(&["b", "c", "slow"])));
        assert!(!combined.matches(&tags(&["b"])));
    }

    #[test]
    fn reports_errors_with_positions() {
        assert_eq!(
            error("smoke"),
            "tag `smoke` must start with `@` (at position 1); write `@smoke`"
        );
        assert!(error("@a AND @b").contains("operators are lowercase: write `and`"));
        assert_eq!(error("(@a or @b))"), "unexpected `)` at position 11");
        assert_eq!(error("@smoke and @a)"), "unexpected `)` at position 14");
        assert_eq!(error("@smoke and"), "expression ends after `and`");
        assert_eq!(error("@a or not"), "expression ends after `not`");
        assert_eq!(error("@a,"), "expression ends after `,`");
        assert_eq!(error("(@a"), "unclosed `(` at position 1; add a `)`");
        assert_eq!(
            error("@a @b"),
            "expected `and` or `or` before `@b` at position 4"
        );
        assert_eq!(
            error("(@a @b)"),
            "expected `and` or `or` before `@b` at position 5"
        );
        assert_eq!(
            error("@a and or @b"),
            "unexpected `or` at position 8; expected a tag or `(`"
        );
        assert_eq!(
            error(")"),
            "unexpected `)` at position 1; expected a tag or `(`"
        );
        assert_eq!(
            error("@a and @"),
            "tag name missing after `@` at position 8; write `@name`"
        );
        assert!(error("").starts_with("tag expression is empty"));
        assert!(error("   ").starts_with("tag expression is empty"));
        assert!(error("@a\\").contains("lone `\\`"));
    }

    #[test]
    fn counts_positions_in_characters() {
        assert_eq!(
            error("@é @b"),
            "expected `and` or `or` before `@b` at position 4"
        );
    }

    #[test]
    fn limits_nesting_and_length() {
        let deep = format!("{}@a{}", "(".repeat(200), ")".repeat(200));
        assert!(error(&deep).contains("nests deeper than"));
        let nots = format!("{}@a", "not ".repeat(200));
        assert!(error(&nots).contains("nests deeper than"));
        let long = vec!["@a"; 600].join(" or ");
        assert!(error(&long).contains("more than 1000 words"));
        let fine = vec!["@a"; 400].join(" or ");
        assert!(parse(&fine).matches(&tags(&["a"])));
    }

    #[test]
    fn displays_expressions_that_parse_back() {
        let cases = [
            ("@a", "@a"),
            ("not @a", "not @a"),
            ("(@a or @b) and not @c", "(@a or @b) and not @c"),
            ("@a or @b and @c", "@a or @b and @c"),
            ("not (@a and @b)", "not (@a and @b)"),
            ("@a and (@b and @c)", "@a and (@b and @c)"),
            ("@a or (@b or @c)", "@a or (@b or @c)"),
            ("~@a,@b", "not @a or @b"),
            (r"@x\ y", r"@x\ y"),
        ];
        for (input, shown) in cases {
            let expr = parse(input);
            assert_eq!(expr.to_string(), shown, "for {input:?}");
            assert_eq!(parse(shown), expr, "round trip of {input:?}");
        }
    }
}
