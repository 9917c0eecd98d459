//! Seed data for the sandbox (placeholder).
