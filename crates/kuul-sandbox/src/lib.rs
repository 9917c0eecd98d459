//! Emulated Kubernetes API server (placeholder; see the sandbox issue).
