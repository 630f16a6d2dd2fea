//! One storage test suite, run on both backends: SQLite in a temporary directory and a fresh,
//! uniquely named PostgreSQL database on the server on this machine (`LEGCRAMPS_TEST_PG`,
//! default `postgres://postgres@127.0.0.1:5432/test`). PostgreSQL is required: set
//! `LEGCRAMPS_SKIP_POSTGRES=1` to run the SQLite half alone on a machine without it.

mod carried_over;
mod suite;
mod support;
