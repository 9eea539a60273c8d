//! Validation against the package-spec JSON schemas (placeholder filled below).
