//! Terraform's built-in functions over evaluated values. (Being written.)
