//! Snippet drivers: Python and Rust statements timed by a long-lived child
//! process through [`super::DriverRoutine`]. (Being written.)
