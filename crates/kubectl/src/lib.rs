//! kubectl for the simulated cluster.
