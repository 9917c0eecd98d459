//! Core of kubectl-kuul (placeholder).
