//! The panel's views, as functions of its state that send [`crate::teach::Msg`]s.

pub mod classroom;
pub mod export;
pub mod lessons;
pub mod strategies;
pub mod table;
