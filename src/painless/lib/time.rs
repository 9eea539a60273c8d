//! java.time (placeholder while the engine core settles).

use super::super::val::*;
use super::super::Exc;

type R<T> = Result<T, Exc>;

pub const METHODS: &[&str] = &[];
pub const STATICS: &[(&str, &str)] = &[];
pub const FIELDS: &[(&str, &str)] = &[];

#[derive(Debug, Clone, PartialEq)]
pub enum Time {}

impl Time {
    pub fn class_name(&self) -> &'static str {
        match *self {}
    }
    pub fn to_java_string(&self) -> String {
        match *self {}
    }
    pub fn compare(&self, _other: &Time) -> std::cmp::Ordering {
        match *self {}
    }
}

pub fn call<'a>(t: &Time, _name: &str, _args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    match *t {}
}

pub fn call_static<'a>(_class: &str, _name: &str, _args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    None
}

pub fn static_field<'a>(_class: &str, _name: &str) -> Option<R<Val<'a>>> {
    None
}
