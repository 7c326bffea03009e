//! ladder-store (see docs/architecture.md).
