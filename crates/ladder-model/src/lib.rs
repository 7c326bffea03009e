//! ladder-model (see docs/architecture.md).
