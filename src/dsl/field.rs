//! Typed field paths: what a processor reads and writes, with the mapping
//! type the index gives it, so the compiler can check writes and reads.
//!
//! ECS fields are constants in [`crate::dsl::ecs`]; the integration's own
//! fields are declared once with [`FieldDecl`] and used through the handle
//! it hands out.

use std::borrow::Cow;

/// Elasticsearch mapping types that package fields and ECS use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FieldType {
    Keyword,
    ConstantKeyword,
    Wildcard,
    Text,
    MatchOnlyText,
    Long,
    Integer,
    Short,
    Byte,
    Double,
    Float,
    HalfFloat,
    ScaledFloat,
    UnsignedLong,
    Date,
    DateNanos,
    Boolean,
    Ip,
    GeoPoint,
    Object,
    Nested,
    Flattened,
    Group,
    Binary,
    Version,
}

/// What kind of JSON value a mapping type accepts, for type checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueClass {
    /// Any scalar coerces into these (keyword, text, ...).
    String,
    Number,
    Bool,
    Date,
    Ip,
    Object,
    GeoPoint,
}

impl FieldType {
    pub const ALL: &'static [FieldType] = &[
        FieldType::Keyword,
        FieldType::ConstantKeyword,
        FieldType::Wildcard,
        FieldType::Text,
        FieldType::MatchOnlyText,
        FieldType::Long,
        FieldType::Integer,
        FieldType::Short,
        FieldType::Byte,
        FieldType::Double,
        FieldType::Float,
        FieldType::HalfFloat,
        FieldType::ScaledFloat,
        FieldType::UnsignedLong,
        FieldType::Date,
        FieldType::DateNanos,
        FieldType::Boolean,
        FieldType::Ip,
        FieldType::GeoPoint,
        FieldType::Object,
        FieldType::Nested,
        FieldType::Flattened,
        FieldType::Group,
        FieldType::Binary,
        FieldType::Version,
    ];

    /// The name in mappings and fields files.
    pub const fn as_str(self) -> &'static str {
        match self {
            FieldType::Keyword => "keyword",
            FieldType::ConstantKeyword => "constant_keyword",
            FieldType::Wildcard => "wildcard",
            FieldType::Text => "text",
            FieldType::MatchOnlyText => "match_only_text",
            FieldType::Long => "long",
            FieldType::Integer => "integer",
            FieldType::Short => "short",
            FieldType::Byte => "byte",
            FieldType::Double => "double",
            FieldType::Float => "float",
            FieldType::HalfFloat => "half_float",
            FieldType::ScaledFloat => "scaled_float",
            FieldType::UnsignedLong => "unsigned_long",
            FieldType::Date => "date",
            FieldType::DateNanos => "date_nanos",
            FieldType::Boolean => "boolean",
            FieldType::Ip => "ip",
            FieldType::GeoPoint => "geo_point",
            FieldType::Object => "object",
            FieldType::Nested => "nested",
            FieldType::Flattened => "flattened",
            FieldType::Group => "group",
            FieldType::Binary => "binary",
            FieldType::Version => "version",
        }
    }

    pub fn parse(name: &str) -> Option<FieldType> {
        FieldType::ALL.iter().copied().find(|t| t.as_str() == name)
    }

    /// The Rust path of the variant, for generated code.
    pub fn variant_name(self) -> String {
        self.as_str()
            .split('_')
            .map(|w| w[..1].to_uppercase() + &w[1..])
            .collect()
    }

    pub const fn class(self) -> ValueClass {
        match self {
            FieldType::Keyword
            | FieldType::ConstantKeyword
            | FieldType::Wildcard
            | FieldType::Text
            | FieldType::MatchOnlyText
            | FieldType::Binary
            | FieldType::Version => ValueClass::String,
            FieldType::Long
            | FieldType::Integer
            | FieldType::Short
            | FieldType::Byte
            | FieldType::Double
            | FieldType::Float
            | FieldType::HalfFloat
            | FieldType::ScaledFloat
            | FieldType::UnsignedLong => ValueClass::Number,
            FieldType::Date | FieldType::DateNanos => ValueClass::Date,
            FieldType::Boolean => ValueClass::Bool,
            FieldType::Ip => ValueClass::Ip,
            FieldType::GeoPoint => ValueClass::GeoPoint,
            FieldType::Object | FieldType::Nested | FieldType::Flattened | FieldType::Group => {
                ValueClass::Object
            }
        }
    }
}

/// Where a field's definition comes from, which decides where it is emitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Origin {
    /// An ECS field: referenced with `external: ecs`.
    Ecs,
    /// Declared by the integration: emitted in `fields.yml`.
    Package,
    /// Scratch space inside the pipeline (`_temp_`, `_conf`): never indexed,
    /// so it needs no declaration, but the pipeline must remove it.
    Temp,
    /// Known only by name (a grok capture, a csv column): the compiler
    /// classifies it against ECS and the declarations.
    Named,
}

/// A typed field path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field {
    name: Cow<'static, str>,
    ty: FieldType,
    origin: Origin,
    /// ECS `normalize: [array]`: the field is expected to hold a list.
    array: bool,
}

impl Field {
    /// An ECS field; used by the generated constants.
    pub const fn ecs(name: &'static str, ty: FieldType, array: bool) -> Field {
        Field {
            name: Cow::Borrowed(name),
            ty,
            origin: Origin::Ecs,
            array,
        }
    }

    /// A scratch field under a temporary root such as `_temp_`.
    pub fn temp(name: impl Into<String>) -> Field {
        Field {
            name: Cow::Owned(name.into()),
            ty: FieldType::Object,
            origin: Origin::Temp,
            array: false,
        }
    }

    /// A field known by name only; see [`Origin::Named`].
    pub fn named(name: impl Into<String>) -> Field {
        Field {
            name: Cow::Owned(name.into()),
            ty: FieldType::Object,
            origin: Origin::Named,
            array: false,
        }
    }

    pub(crate) fn package(name: String, ty: FieldType) -> Field {
        Field {
            name: Cow::Owned(name),
            ty,
            origin: Origin::Package,
            array: false,
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn ty(&self) -> FieldType {
        self.ty
    }

    pub fn origin(&self) -> Origin {
        self.origin
    }

    pub fn is_array(&self) -> bool {
        self.array
    }

    /// A sub-field of a temp or object field, e.g. a key under `_temp_`.
    pub fn child(&self, name: &str) -> Field {
        Field {
            name: Cow::Owned(format!("{}.{name}", self.name)),
            ty: FieldType::Object,
            origin: self.origin,
            array: false,
        }
    }
}

impl From<&Field> for Field {
    fn from(f: &Field) -> Field {
        f.clone()
    }
}

/// A field the integration declares, with what the fields file says of it.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDecl {
    /// The group it is declared under (`microsoft.online_message_trace`), if any.
    pub group: Option<String>,
    /// Its name inside the group.
    pub local_name: String,
    pub ty: FieldType,
    pub description: Option<String>,
    pub unit: Option<String>,
    pub metric_type: Option<String>,
    pub example: Option<String>,
    /// The value of a `constant_keyword`.
    pub value: Option<String>,
    /// The typed handle, so a declaration reads as its field in conditions.
    handle: Field,
}

impl FieldDecl {
    pub fn new(name: &str, ty: FieldType) -> FieldDecl {
        FieldDecl::in_group(None, name, ty)
    }

    fn in_group(group: Option<&str>, name: &str, ty: FieldType) -> FieldDecl {
        let full = match group {
            Some(g) => format!("{g}.{name}"),
            None => name.to_string(),
        };
        FieldDecl {
            group: group.map(str::to_string),
            local_name: name.to_string(),
            ty,
            description: None,
            unit: None,
            metric_type: None,
            example: None,
            value: None,
            handle: Field::package(full, ty),
        }
    }

    pub fn full_name(&self) -> String {
        match &self.group {
            Some(g) => format!("{g}.{}", self.local_name),
            None => self.local_name.clone(),
        }
    }

    /// The typed handle processors use.
    pub fn field(&self) -> Field {
        self.handle.clone()
    }

    pub fn description(mut self, text: &str) -> FieldDecl {
        self.description = Some(text.to_string());
        self
    }

    /// One of the package spec's units: byte, percent, d, h, m, s, ms, micros, nanos.
    pub fn unit(mut self, unit: &str) -> FieldDecl {
        self.unit = Some(unit.to_string());
        self
    }

    /// `counter` or `gauge`.
    pub fn metric_type(mut self, metric_type: &str) -> FieldDecl {
        self.metric_type = Some(metric_type.to_string());
        self
    }

    pub fn example(mut self, example: &str) -> FieldDecl {
        self.example = Some(example.to_string());
        self
    }

    pub fn value(mut self, value: &str) -> FieldDecl {
        self.value = Some(value.to_string());
        self
    }
}

/// A declaration stands for its field: `level.eq_ignore_case("error")`.
impl std::ops::Deref for FieldDecl {
    type Target = Field;
    fn deref(&self) -> &Field {
        &self.handle
    }
}

impl From<&FieldDecl> for Field {
    fn from(d: &FieldDecl) -> Field {
        d.field()
    }
}

/// A group of declared fields sharing a prefix, as `type: group` in fields.yml.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub name: String,
    pub description: Option<String>,
}

impl Group {
    pub fn new(name: &str) -> Group {
        Group {
            name: name.to_string(),
            description: None,
        }
    }

    pub fn description(mut self, text: &str) -> Group {
        self.description = Some(text.to_string());
        self
    }

    /// The group itself as a write target (e.g. `json`'s `target_field`).
    pub fn field(&self) -> Field {
        Field::package(self.name.clone(), FieldType::Group)
    }

    pub fn declare(&self, name: &str, ty: FieldType) -> FieldDecl {
        FieldDecl::in_group(Some(&self.name), name, ty)
    }

    pub fn keyword(&self, name: &str) -> FieldDecl {
        self.declare(name, FieldType::Keyword)
    }
    pub fn long(&self, name: &str) -> FieldDecl {
        self.declare(name, FieldType::Long)
    }
    pub fn double(&self, name: &str) -> FieldDecl {
        self.declare(name, FieldType::Double)
    }
    pub fn boolean(&self, name: &str) -> FieldDecl {
        self.declare(name, FieldType::Boolean)
    }
    pub fn date(&self, name: &str) -> FieldDecl {
        self.declare(name, FieldType::Date)
    }
    pub fn date_nanos(&self, name: &str) -> FieldDecl {
        self.declare(name, FieldType::DateNanos)
    }
    pub fn ip(&self, name: &str) -> FieldDecl {
        self.declare(name, FieldType::Ip)
    }
    pub fn text(&self, name: &str) -> FieldDecl {
        self.declare(name, FieldType::Text)
    }
}

impl From<&Group> for Field {
    fn from(g: &Group) -> Field {
        g.field()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_round_trip_through_their_names() {
        for t in FieldType::ALL {
            assert_eq!(FieldType::parse(t.as_str()), Some(*t));
        }
        assert_eq!(FieldType::parse("array"), None);
        assert_eq!(FieldType::MatchOnlyText.variant_name(), "MatchOnlyText");
    }

    #[test]
    fn group_members_carry_full_names() {
        let g = Group::new("microsoft.trace");
        let size = g.long("Size").unit("byte");
        assert_eq!(size.full_name(), "microsoft.trace.Size");
        assert_eq!(size.field().ty(), FieldType::Long);
        assert_eq!(size.field().origin(), Origin::Package);
        assert_eq!(size.name(), "microsoft.trace.Size");
    }
}
