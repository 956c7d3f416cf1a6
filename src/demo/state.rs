//! The demo API's in-memory state: the employee store, the bearer tokens that
//! `/api/login` and `/oauth/token` hand out, and the precomputed gzip body.
//!
//! Everything lives behind short, synchronous locks that are never held across
//! an `.await`, because the server doubles as a benchmark target and the
//! critical sections are a handful of map operations. A poisoned lock is
//! recovered rather than propagated: no code path panics while holding one, so
//! the data behind it is always consistent.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use flate2::Compression;
use flate2::write::GzEncoder;

/// Lifetime of every issued token, in seconds, as reported by `expires_in`.
pub(crate) const TOKEN_TTL_SECS: u64 = 3600;

/// The first number handed to an employee created through the API.
pub(crate) const FIRST_NEW_EMPLOYEE_NO: i64 = 1000;

/// Seeded employees that may be read but never changed, so that test runs in
/// parallel can rely on them without disturbing each other.
pub(crate) const READ_ONLY_EMPLOYEES: [i64; 2] = [123, 124];

/// The JSON document that `/api/gzip` serves compressed.
const GZIP_PAYLOAD: &[u8] = br#"{"compressed":true}"#;

/// The token map is swept for expired entries only once it reaches this size,
/// and afterwards at twice its surviving size, which keeps sweeping amortised
/// constant-time even when a benchmark logs in thousands of times a second.
const TOKEN_SWEEP_MIN: usize = 10_000;

/// One employee record; the number is the key of the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Employee {
    pub(crate) name: String,
    pub(crate) department: String,
}

/// Why an update or delete was refused.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum StoreError {
    /// No employee has that number.
    NotFound,
    /// The employee is one of the seeded, read-only ones.
    ReadOnly,
}

/// Issued tokens and the bookkeeping that bounds their sweeping cost.
struct TokenStore {
    expiry_by_token: HashMap<String, Instant>,
    sweep_at: usize,
}

/// State shared by every handler through `State<Arc<AppState>>`.
pub(crate) struct AppState {
    employees: RwLock<BTreeMap<i64, Employee>>,
    next_employee_no: AtomicI64,
    tokens: Mutex<TokenStore>,
    gzip_body: Bytes,
    /// For `/api/eventually/{key}` and `/api/flaky/{key}`: when each key was first asked
    /// for, and how many times.
    calls: Mutex<HashMap<String, (Instant, u32)>>,
    /// For `/api/inflight/{key}`: requests being answered now per key, and the most at once.
    in_flight: Mutex<HashMap<String, (u32, u32)>>,
}

/// One request counted in flight for a key until it drops (also when the client goes away
/// and the handler is cancelled).
pub(crate) struct InFlight<'s> {
    state: &'s AppState,
    key: String,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        let mut map = self
            .state
            .in_flight
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(entry) = map.get_mut(&self.key) {
            entry.0 = entry.0.saturating_sub(1);
        }
    }
}

/// The most keys `calls` remembers; past that it starts again, so that no client can grow
/// it without bound.
const MAX_CALL_KEYS: usize = 10_000;

impl AppState {
    /// Builds the seeded state; fails only if compressing the gzip body fails.
    pub(crate) fn new() -> io::Result<AppState> {
        let mut employees = BTreeMap::new();
        employees.insert(
            123,
            Employee {
                name: "John Doe".to_owned(),
                department: "HR".to_owned(),
            },
        );
        employees.insert(
            124,
            Employee {
                name: "Jane Roe".to_owned(),
                department: "Payroll".to_owned(),
            },
        );
        Ok(AppState {
            employees: RwLock::new(employees),
            next_employee_no: AtomicI64::new(FIRST_NEW_EMPLOYEE_NO),
            tokens: Mutex::new(TokenStore {
                expiry_by_token: HashMap::new(),
                sweep_at: TOKEN_SWEEP_MIN,
            }),
            gzip_body: Bytes::from(gzip(GZIP_PAYLOAD)?),
            calls: Mutex::new(HashMap::new()),
            in_flight: Mutex::new(HashMap::new()),
        })
    }

    /// Counts one call for `key`: how long ago its first call was, and which call this is
    /// (1 for the first).
    pub(crate) fn call(&self, key: &str) -> (Duration, u32) {
        let mut calls = self.calls.lock().unwrap_or_else(PoisonError::into_inner);
        if calls.len() >= MAX_CALL_KEYS && !calls.contains_key(key) {
            calls.clear();
        }
        let entry = calls
            .entry(key.to_owned())
            .or_insert_with(|| (Instant::now(), 0));
        entry.1 = entry.1.saturating_add(1);
        (entry.0.elapsed(), entry.1)
    }

    /// Counts a request in flight for `key` (until the guard drops): how many are now.
    pub(crate) fn enter(&self, key: &str) -> (InFlight<'_>, u32) {
        let mut map = self
            .in_flight
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if map.len() >= MAX_CALL_KEYS && !map.contains_key(key) {
            map.retain(|_, (now, _)| *now > 0);
        }
        let entry = map.entry(key.to_owned()).or_insert((0, 0));
        entry.0 = entry.0.saturating_add(1);
        entry.1 = entry.1.max(entry.0);
        let now = entry.0;
        let guard = InFlight {
            state: self,
            key: key.to_owned(),
        };
        (guard, now)
    }

    /// The most requests for `key` in flight at once so far.
    pub(crate) fn most_in_flight(&self, key: &str) -> u32 {
        let map = self
            .in_flight
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        map.get(key).map_or(0, |entry| entry.1)
    }

    /// The gzip-compressed body of `/api/gzip`, computed once at start-up.
    pub(crate) fn gzip_body(&self) -> Bytes {
        self.gzip_body.clone()
    }

    /// Looks up one employee.
    pub(crate) fn employee(&self, employee_no: i64) -> Option<Employee> {
        let employees = self
            .employees
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        employees.get(&employee_no).cloned()
    }

    /// Lists employees ordered by number, optionally only one department.
    pub(crate) fn employees(&self, department: Option<&str>) -> Vec<(i64, Employee)> {
        let employees = self
            .employees
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        employees
            .iter()
            .filter(|(_, employee)| department.is_none_or(|wanted| employee.department == wanted))
            .map(|(no, employee)| (*no, employee.clone()))
            .collect()
    }

    /// Stores a new employee and returns its freshly allocated number.
    pub(crate) fn create_employee(&self, name: String, department: String) -> i64 {
        // The counter is separate from the map so that numbers are unique even
        // if a created employee is deleted again.
        let employee_no = self.next_employee_no.fetch_add(1, Ordering::Relaxed);
        let mut employees = self
            .employees
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        employees.insert(employee_no, Employee { name, department });
        employee_no
    }

    /// Changes the given fields of an employee, leaving `None` fields alone.
    pub(crate) fn update_employee(
        &self,
        employee_no: i64,
        name: Option<String>,
        department: Option<String>,
    ) -> Result<(), StoreError> {
        let mut employees = self
            .employees
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        let employee = employees
            .get_mut(&employee_no)
            .ok_or(StoreError::NotFound)?;
        if READ_ONLY_EMPLOYEES.contains(&employee_no) {
            return Err(StoreError::ReadOnly);
        }
        if let Some(name) = name {
            employee.name = name;
        }
        if let Some(department) = department {
            employee.department = department;
        }
        Ok(())
    }

    /// Removes an employee.
    pub(crate) fn delete_employee(&self, employee_no: i64) -> Result<(), StoreError> {
        let mut employees = self
            .employees
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        if !employees.contains_key(&employee_no) {
            return Err(StoreError::NotFound);
        }
        if READ_ONLY_EMPLOYEES.contains(&employee_no) {
            return Err(StoreError::ReadOnly);
        }
        employees.remove(&employee_no);
        Ok(())
    }

    /// Issues a new random bearer token valid for [`TOKEN_TTL_SECS`].
    pub(crate) fn issue_token(&self) -> String {
        let token = uuid::Uuid::new_v4().simple().to_string();
        let now = Instant::now();
        let mut tokens = self.tokens.lock().unwrap_or_else(PoisonError::into_inner);
        if tokens.expiry_by_token.len() >= tokens.sweep_at {
            tokens.expiry_by_token.retain(|_, expiry| *expiry > now);
            tokens.sweep_at = TOKEN_SWEEP_MIN.max(tokens.expiry_by_token.len().saturating_mul(2));
        }
        tokens
            .expiry_by_token
            .insert(token.clone(), now + Duration::from_secs(TOKEN_TTL_SECS));
        token
    }

    /// Tells whether a token was issued here and has not expired yet.
    pub(crate) fn token_is_valid(&self, token: &str) -> bool {
        let tokens = self.tokens.lock().unwrap_or_else(PoisonError::into_inner);
        tokens
            .expiry_by_token
            .get(token)
            .is_some_and(|expiry| *expiry > Instant::now())
    }

    /// Number of tokens currently held, expired or not; used by tests.
    #[cfg(test)]
    pub(crate) fn token_count(&self) -> usize {
        let tokens = self.tokens.lock().unwrap_or_else(PoisonError::into_inner);
        tokens.expiry_by_token.len()
    }

    /// Marks every held token as expired; used by tests of expiry and sweeping.
    #[cfg(test)]
    pub(crate) fn expire_all_tokens(&self) {
        let mut tokens = self.tokens.lock().unwrap_or_else(PoisonError::into_inner);
        let past = Instant::now();
        for expiry in tokens.expiry_by_token.values_mut() {
            *expiry = past;
        }
    }
}

/// Compresses `payload` into a complete gzip member.
fn gzip(payload: &[u8]) -> io::Result<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(payload)?;
    encoder.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_employees_are_present_and_read_only() {
        let state = AppState::new().unwrap();
        assert_eq!(state.employee(123).unwrap().name, "John Doe");
        assert_eq!(state.employee(124).unwrap().department, "Payroll");
        assert_eq!(
            state.update_employee(123, Some("X".into()), None),
            Err(StoreError::ReadOnly)
        );
        assert_eq!(state.delete_employee(124), Err(StoreError::ReadOnly));
        assert_eq!(state.delete_employee(5), Err(StoreError::NotFound));
        assert_eq!(state.employee(123).unwrap().name, "John Doe");
    }

    #[test]
    fn new_employee_numbers_start_at_1000_and_never_repeat() {
        let state = AppState::new().unwrap();
        let first = state.create_employee("A".into(), "X".into());
        assert_eq!(first, FIRST_NEW_EMPLOYEE_NO);
        state.delete_employee(first).unwrap();
        let second = state.create_employee("B".into(), "X".into());
        assert_eq!(second, FIRST_NEW_EMPLOYEE_NO + 1);
    }

    #[test]
    fn expired_tokens_are_rejected_and_swept() {
        let state = AppState::new().unwrap();
        let token = state.issue_token();
        assert!(state.token_is_valid(&token));
        assert!(!state.token_is_valid("nope"));
        state.expire_all_tokens();
        assert!(!state.token_is_valid(&token));
        // Fill the map up to the sweep threshold with tokens that then expire.
        for _ in 1..TOKEN_SWEEP_MIN {
            state.issue_token();
        }
        state.expire_all_tokens();
        let fresh = state.issue_token();
        assert_eq!(state.token_count(), 1);
        assert!(state.token_is_valid(&fresh));
    }
}
