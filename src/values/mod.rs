//! What single values mean: how Java reads integers and booleans, shapes (GUIDs, addresses, placeholders),
//! the token URL, the scope, Quartz cron expressions.

pub mod cron;
pub mod java;
pub mod scope;
pub mod token_url;
