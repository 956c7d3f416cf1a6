//! Values that step arguments refer to: references (`resolve`) and the project config (`config`).

pub mod config;
pub mod dates;
pub mod interpolate;
pub mod random;
pub mod resolve;

pub use crate::secret::is_secret_name;
pub use config::{Config, Scope};
pub use resolve::{Lookup, Resolved, resolve, resolve_text, to_text};
