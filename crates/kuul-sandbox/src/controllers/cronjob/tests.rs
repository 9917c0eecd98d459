//! Unit tests for the cronjob controller.

use super::*;
