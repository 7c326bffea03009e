//! ladder-engine (see docs/architecture.md).
