//! The history against real databases (an SQLite file, a PostgreSQL
//! server started by the test) and the change-point detector against
//! seeded simulations.

mod changepoint;
mod fixtures;
mod server;
mod store;
