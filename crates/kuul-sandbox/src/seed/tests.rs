//! Unit tests for the seeds.

use super::*;
