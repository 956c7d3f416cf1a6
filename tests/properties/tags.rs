//! Properties of tag expressions: any text parses or is refused without a panic, what parses
//! prints back to itself, and a generated expression over `@a`, `@b` and `@c`, written with
//! any mix of the Cucumber and behave spellings, selects exactly what a reference evaluator
//! selects.

use apitest::gherkin::TagExpr;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

/// A reference tag expression.
#[derive(Debug, Clone)]
enum Expr {
    Tag(&'static str),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
}

impl Expr {
    fn eval(&self, tags: &[String]) -> bool {
        match self {
            Expr::Tag(name) => tags.iter().any(|t| t == name),
            Expr::Not(inner) => !inner.eval(tags),
            Expr::And(l, r) => l.eval(tags) && r.eval(tags),
            Expr::Or(l, r) => l.eval(tags) || r.eval(tags),
        }
    }

    /// Binding strength: `or` 1, `and` 2, `not` 3, a tag 4.
    fn strength(&self) -> u8 {
        match self {
            Expr::Or(..) => 1,
            Expr::And(..) => 2,
            Expr::Not(_) => 3,
            Expr::Tag(_) => 4,
        }
    }
}

fn expr() -> impl Strategy<Value = Expr> {
    let leaf = select(&["a", "b", "c"][..]).prop_map(Expr::Tag);
    leaf.prop_recursive(5, 24, 2, |inner| {
        prop_oneof![
            inner.clone().prop_map(|e| Expr::Not(Box::new(e))),
            (inner.clone(), inner.clone()).prop_map(|(l, r)| Expr::And(Box::new(l), Box::new(r))),
            (inner.clone(), inner).prop_map(|(l, r)| Expr::Or(Box::new(l), Box::new(r))),
        ]
    })
}

/// Writes an expression with only the parentheses precedence needs, plus some extra ones,
/// choosing spellings and spacing from `noise`.
struct Printer {
    noise: Vec<u8>,
    at: usize,
}

impl Printer {
    fn next(&mut self) -> usize {
        if self.noise.is_empty() {
            return 0;
        }
        let byte = self.noise[self.at % self.noise.len()];
        self.at += 1;
        usize::from(byte)
    }

    fn space(&mut self) -> &'static str {
        [" ", "  ", "\t", " \n "][self.next() % 4]
    }

    /// `e` in a place that needs at least binding strength `min`.
    fn print(&mut self, e: &Expr, min: u8) -> String {
        let extra = self.next().is_multiple_of(6);
        let body = match e {
            Expr::Tag(name) => format!("@{name}"),
            Expr::Not(inner) => {
                let operand = self.print(inner, 3);
                match self.next() % 3 {
                    0 => format!("~{operand}"),
                    1 if operand.starts_with('@') => format!("-{operand}"),
                    _ => format!("not{}{operand}", self.space()),
                }
            }
            Expr::And(l, r) => {
                let l = self.print(l, 2);
                let (s1, s2) = (self.space(), self.space());
                let r = self.print(r, 3);
                format!("{l}{s1}and{s2}{r}")
            }
            Expr::Or(l, r) => {
                let l = self.print(l, 1);
                let comma = self.next().is_multiple_of(3);
                let (s1, s2) = (self.space(), self.space());
                let r = self.print(r, 2);
                if comma {
                    let s1 = if self.next().is_multiple_of(2) {
                        ""
                    } else {
                        s1
                    };
                    format!("{l}{s1},{s2}{r}")
                } else {
                    format!("{l}{s1}or{s2}{r}")
                }
            }
        };
        if extra || e.strength() < min {
            let (s1, s2) = if self.next().is_multiple_of(2) {
                ("", "")
            } else {
                (" ", " ")
            };
            format!("({s1}{body}{s2})")
        } else {
            body
        }
    }
}

fn tag_set() -> impl Strategy<Value = Vec<String>> {
    vec(
        select(&["a", "b", "c", "d", "ab"][..]).prop_map(str::to_string),
        0..5,
    )
}

proptest! {
    #![proptest_config(crate::config())]

    #[test]
    fn parse_never_panics_and_what_parses_prints_back(
        text in prop_oneof![
            any::<String>(),
            "[@abc ()~,\\\\-]{0,24}",
            vec(select(&["@a", "@b", "and", "or", "not", "(", ")", ",", "~", "-@c", "@", "\\", " ", "AND", "@x\\ y"][..]), 0..16)
                .prop_map(|words| words.join(" ")),
        ],
        tags in tag_set(),
    ) {
        if let Ok(parsed) = TagExpr::parse(&text) {
            let _ = parsed.matches(&tags);
            let shown = parsed.to_string();
            let again = TagExpr::parse(&shown);
            prop_assert_eq!(again.as_ref(), Ok(&parsed), "{:?} printed as {:?}", text, shown);
        }
    }

    #[test]
    fn matches_agrees_with_a_reference_evaluation(
        e in expr(),
        noise in vec(any::<u8>(), 0..32),
        tags in tag_set(),
    ) {
        let text = Printer { noise, at: 0 }.print(&e, 1);
        let parsed = TagExpr::parse(&text);
        prop_assert!(parsed.is_ok(), "{:?} was refused: {:?}", text, parsed);
        let parsed = parsed.unwrap();
        prop_assert_eq!(parsed.matches(&tags), e.eval(&tags), "{:?} on {:?} ({:?})", text, tags, parsed);
    }
}
