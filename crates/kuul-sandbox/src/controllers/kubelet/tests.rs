//! Unit tests for the kubelet controller.

use super::*;
