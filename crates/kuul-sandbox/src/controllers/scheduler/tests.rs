//! Unit tests for the scheduler controller.

use super::*;
