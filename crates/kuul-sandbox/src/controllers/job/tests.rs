//! Unit tests for the job controller.

use super::*;
