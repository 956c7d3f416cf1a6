//! Reports: one renderer places errors against the feature line (`render`), the console shows
//! progress and failures (`console`), JUnit XML goes to CI (`junit`), and every text passes
//! through `redact` on its way out.

pub mod console;
pub mod junit;
pub mod redact;
pub mod render;
