//! Random values for the steps that generate test data, in the shapes Zato's apitest gives
//! them, so suites that parse them keep working.

use serde_json::Value;

/// `a` followed by 32 hex characters (a valid identifier that never starts with a digit).
pub fn string() -> String {
    format!("a{}", uuid::Uuid::new_v4().simple())
}

/// An integer from 0 to 99.
pub fn integer() -> Value {
    Value::from(fastrand::u32(0..100))
}

/// A float from 0 to 100.
pub fn float() -> Value {
    serde_json::Number::from_f64(fastrand::f64() * 100.0).map_or(Value::from(0), Value::Number)
}

/// A UUID4 written as 32 hex characters, without dashes.
pub fn uuid4() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let s = string();
        assert_eq!(s.len(), 33);
        assert!(s.starts_with('a'));
        assert!(s.chars().skip(1).all(|c| c.is_ascii_hexdigit()));
        for _ in 0..200 {
            let i = integer().as_u64().unwrap();
            assert!(i < 100);
            let f = float().as_f64().unwrap();
            assert!((0.0..100.0).contains(&f));
        }
        let u = uuid4();
        assert_eq!(u.len(), 32);
        assert_eq!(uuid::Uuid::try_parse(&u).unwrap().get_version_num(), 4);
    }
}
