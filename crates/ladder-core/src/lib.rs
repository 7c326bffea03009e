//! ladder-core (see docs/architecture.md).
