//! ladder-pack (see docs/architecture.md).
