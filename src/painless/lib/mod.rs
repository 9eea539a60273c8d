//! The part of Painless's Java class library that ingest scripts use.
//!
//! One file per family: [`string`], [`collections`] (List, Map, Set, views,
//! iterators, streams), [`deque`] (Deque and Queue: ArrayDeque, and
//! LinkedList's), [`sorted`] (TreeMap and TreeSet: SortedMap, NavigableMap,
//! SortedSet, NavigableSet), [`comparator`] (Comparator, Comparable), [`number`]
//! (Math and the boxes), [`regex`] (Pattern,
//! Matcher), [`time`] (java.time), [`misc`] (Base64, Objects, StringBuilder,
//! Processors, exceptions), [`tokenizer`] (StringTokenizer), [`joiner`]
//! (StringJoiner), [`cidr`]
//! (Elasticsearch's CIDR), [`legacy_date`] (SimpleDateFormat, Date,
//! TimeZone, with the zone names of [`zone_names`]). Each file lists the names it implements; the
//! resolve pass consults those lists so a script that calls anything else is
//! refused at compile time.

pub mod cidr;
pub mod collections;
pub mod comparator;
pub mod deque;
pub mod joiner;
pub mod legacy_date;
pub mod misc;
pub mod number;
pub mod regex;
pub mod sorted;
pub mod string;
pub mod time;
pub mod tokenizer;
pub mod zone_names;

use super::ast::{ClassType, Prim, RegexLit};
use super::interp::Interp;
use super::val::*;
use super::Exc;
use std::cell::{Cell, RefCell};
use std::sync::Arc;

type R<T> = Result<T, Exc>;

/// Library objects that are not collections or boxes.
#[derive(Debug)]
pub enum Obj<'a> {
    Pattern(Arc<RegexLit>),
    Matcher(RefCell<regex::MatcherState>),
    Exception { class: &'static str, message: Option<String> },
    Optional(Option<Val<'a>>),
    /// Streams are evaluated eagerly: each stage produces the next list.
    Stream(RefCell<Vec<Val<'a>>>),
    /// A `Collector`: its kind and the arguments it was built with.
    Collector(&'static str, Vec<Val<'a>>),
    StringBuilder(RefCell<String>),
    // Boxed: these rarely used objects would otherwise widen every `Obj`.
    StringTokenizer(Box<RefCell<tokenizer::Tokenizer>>),
    StringJoiner(Box<RefCell<joiner::Joiner>>),
    Cidr(Box<cidr::Cidr>),
    Iterator(Box<RefCell<collections::IterState<'a>>>),
    Time(time::Time),
    /// `Base64.getEncoder()` and friends: `encoder`, `decoder`, `url-encoder`, `url-decoder`.
    Base64(&'static str),
    /// A `java.util.Locale` constant (its language tag); case mapping ignores it.
    Locale(&'static str),
    /// A document's integer beyond a `long` (see [`crate::value::BigInteger`]).
    BigInteger(crate::value::BigInteger),
    /// A comparator the library built (`Comparator.naturalOrder()`, ...).
    Comparator(comparator::Comparator<'a>),
    /// A `java.util.ArrayDeque`, head first: a `Deque`, not a `List`.
    ArrayDeque(RefCell<JList<'a>>),
    SimpleDateFormat(Box<RefCell<legacy_date::SimpleDateFormat>>),
    /// A `java.util.Date`: milliseconds since the epoch (`setTime` changes it).
    Date(Cell<i64>),
    TimeZone(Box<legacy_date::TimeZone>),
}

impl<'a> Obj<'a> {
    pub fn class_name(&self) -> &'static str {
        match self {
            Obj::Pattern(_) => "java.util.regex.Pattern",
            Obj::Matcher(_) => "java.util.regex.Matcher",
            Obj::Exception { class, .. } => exception_qualified(class),
            Obj::Optional(_) => "java.util.Optional",
            Obj::Stream(_) => "java.util.stream.ReferencePipeline",
            Obj::Collector(..) => "java.util.stream.Collectors$CollectorImpl",
            Obj::StringBuilder(_) => "java.lang.StringBuilder",
            Obj::StringTokenizer(_) => "java.util.StringTokenizer",
            Obj::StringJoiner(_) => "java.util.StringJoiner",
            Obj::Cidr(_) => "org.elasticsearch.painless.api.CIDR",
            Obj::Iterator(_) => "java.util.ArrayList$Itr",
            Obj::Time(t) => t.class_name(),
            Obj::Base64(kind) if kind.ends_with("encoder") => "java.util.Base64$Encoder",
            Obj::Base64(_) => "java.util.Base64$Decoder",
            Obj::Locale(_) => "java.util.Locale",
            Obj::BigInteger(_) => "java.math.BigInteger",
            Obj::Comparator(c) => c.class_name(),
            Obj::ArrayDeque(_) => "java.util.ArrayDeque",
            Obj::SimpleDateFormat(_) => "java.text.SimpleDateFormat",
            Obj::Date(_) => "java.util.Date",
            Obj::TimeZone(_) => "sun.util.calendar.ZoneInfo",
        }
    }

    pub fn to_java_string(&self) -> String {
        match self {
            Obj::Pattern(p) => p.pattern.clone(),
            Obj::Exception { class, message } => match message {
                Some(m) => format!("{}: {m}", exception_qualified(class)),
                None => exception_qualified(class).to_string(),
            },
            Obj::Optional(Some(v)) => format!("Optional[{}]", v.to_java_string()),
            Obj::Optional(None) => "Optional.empty".into(),
            Obj::StringBuilder(s) => s.borrow().clone(),
            Obj::StringJoiner(j) => j.borrow().to_java_string(),
            Obj::Time(t) => t.to_java_string(),
            Obj::Locale(tag) => tag.to_string(),
            Obj::BigInteger(n) => n.text().to_string(),
            Obj::Date(ms) => legacy_date::date_to_string(ms.get()),
            other => format!("{}@1", other.class_name()),
        }
    }

    pub fn equals(&self, other: &Obj<'a>) -> bool {
        match (self, other) {
            (Obj::Time(a), Obj::Time(b)) => a == b,
            (Obj::BigInteger(a), Obj::BigInteger(b)) => a == b,
            (Obj::Comparator(a), Obj::Comparator(b)) => a.equals(b),
            (Obj::Date(a), Obj::Date(b)) => a.get() == b.get(),
            (Obj::TimeZone(a), Obj::TimeZone(b)) => a == b,
            (Obj::Optional(a), Obj::Optional(b)) => match (a, b) {
                (Some(x), Some(y)) => x.java_equals(y),
                (None, None) => true,
                _ => false,
            },
            _ => std::ptr::eq(self, other),
        }
    }

    pub fn iter_items(&self) -> Option<Vec<Val<'a>>> {
        match self {
            Obj::Stream(s) => Some(s.borrow().clone()),
            Obj::ArrayDeque(d) => Some(d.borrow().to_vec()),
            _ => None,
        }
    }
}

/// Dispatches an instance method on `recv` (never null here).
pub fn call_method<'a>(it: &mut Interp<'a>, recv: &Val<'a>, name: &str, args: &[Val<'a>]) -> R<Val<'a>> {
    // String has no `equals` of its own: straight to Object's, which the
    // string methods would only have been searched for in vain.
    if let (Val::Str(_), "equals", [other]) = (recv, name, args) {
        return Ok(Val::Bool(recv.java_equals(other)));
    }
    // Object's `toString` of a string is the string itself, uncopied.
    if let (Val::Str(_), "toString", []) = (recv, name, args) {
        return Ok(recv.clone());
    }
    let result = match recv {
        Val::Str(s) => string::call_on(it, s, name, args),
        Val::List(_) | Val::Set(_) | Val::View(..) | Val::Map(_) | Val::Entry(_) | Val::Array(_) => collections::call(it, recv, name, args),
        Val::Obj(o) => match &**o {
            Obj::Pattern(_) | Obj::Matcher(_) => regex::call(it, o, name, args),
            Obj::Stream(_) | Obj::Optional(_) | Obj::Iterator(_) => collections::call_obj(it, o, name, args),
            Obj::Time(t) => time::call(t, name, args),
            Obj::StringBuilder(_) | Obj::Exception { .. } | Obj::Base64(_) | Obj::Locale(_) => misc::call(it, o, name, args),
            Obj::Collector(..) => None,
            Obj::BigInteger(n) => number::call_big_integer(n, name, args),
            Obj::StringTokenizer(t) => tokenizer::call(t, name, args),
            Obj::StringJoiner(j) => joiner::call(recv, j, name, args),
            Obj::Cidr(c) => cidr::call(c, name, args),
            Obj::Comparator(_) => comparator::call(it, recv, name, args),
            Obj::ArrayDeque(d) => deque::call_array_deque(it, recv, d, name, args),
            Obj::SimpleDateFormat(_) | Obj::Date(_) | Obj::TimeZone(_) => legacy_date::call(o, name, args),
        },
        Val::Func(_) => match name {
            "apply" | "accept" | "test" | "compare" | "get" | "applyAsInt" | "applyAsLong" | "applyAsDouble" => Some(it.call_func(recv, &mut args.to_vec())),
            // Comparator's default methods, on a lambda standing for one.
            _ => comparator::call(it, recv, name, args),
        },
        _ => number::call(recv, name, args),
    };
    if let Some(r) = result {
        return r;
    }
    // Methods of java.lang.Object that every class has.
    match (name, args.len()) {
        ("toString", 0) => Ok(Val::string(recv.to_java_string())),
        ("equals", 1) => Ok(Val::Bool(recv.java_equals(&args[0]))),
        ("hashCode", 0) => Ok(Val::Int(misc::hash_code(recv))),
        _ => Err(Exc::illegal_arg(format!("dynamic method [{}, {name}/{}] not found", recv.class_name(), args.len()))),
    }
}

pub fn call_static<'a>(it: &mut Interp<'a>, class: &str, name: &str, args: &[Val<'a>]) -> R<Val<'a>> {
    let r = match class {
        "Math" | "StrictMath" | "Integer" | "Long" | "Double" | "Float" | "Boolean" | "Character" | "Short" | "Byte" => number::call_static(class, name, args),
        "String" => string::call_static(class, name, args),
        "Pattern" => regex::call_static(name, args),
        "Comparator" => comparator::call_static(class, name, args),
        "Collections" if name == "reverseOrder" => comparator::call_static(class, name, args),
        "Collections" | "Arrays" | "Collectors" | "List" | "Map" | "Set" | "Optional" | "Stream" => collections::call_static(it, class, name, args),
        "ZonedDateTime" | "Instant" | "LocalDateTime" | "LocalDate" | "LocalTime" | "Duration" | "ChronoUnit" | "DateTimeFormatter" | "ZoneId" | "ZoneOffset" | "OffsetDateTime" => {
            time::call_static(class, name, args)
        }
        "TimeZone" | "Date" => legacy_date::call_static(class, name, args),
        _ => misc::call_static(it, class, name, args),
    };
    r.unwrap_or_else(|| Err(Exc::illegal_arg(format!("static method [{class}, {name}/{}] not found", args.len()))))
}

pub fn construct<'a>(it: &mut Interp<'a>, class: &str, args: &[Val<'a>]) -> R<Val<'a>> {
    if let Some(r) = collections::construct(it, class, args) {
        return r;
    }
    if let Some(r) = misc::construct(class, args) {
        return r;
    }
    if class == "StringTokenizer" {
        return tokenizer::construct(args);
    }
    if class == "StringJoiner" {
        return joiner::construct(args);
    }
    if class == "CIDR" {
        return cidr::construct(args);
    }
    if class == "ArrayDeque" {
        return deque::construct(args);
    }
    if let Some(r) = legacy_date::construct(class, args) {
        return r;
    }
    Err(Exc::illegal_arg(format!("constructor [{class}/{}] not found", args.len())))
}

pub fn static_field<'a>(class: &str, name: &str) -> R<Val<'a>> {
    number::static_field(class, name)
        .or_else(|| time::static_field(class, name))
        .or_else(|| misc::static_field(class, name))
        .unwrap_or_else(|| Err(Exc::illegal_arg(format!("static field [{class}, {name}] not found"))))
}

// ---- the registry the resolve pass checks ----

const CLASSES: &[(&str, &str)] = &[
    ("Object", "java.lang.Object"),
    ("String", "java.lang.String"),
    ("CharSequence", "java.lang.CharSequence"),
    ("Number", "java.lang.Number"),
    ("BigInteger", "java.math.BigInteger"),
    ("Integer", "java.lang.Integer"),
    ("Long", "java.lang.Long"),
    ("Double", "java.lang.Double"),
    ("Float", "java.lang.Float"),
    ("Short", "java.lang.Short"),
    ("Byte", "java.lang.Byte"),
    ("Boolean", "java.lang.Boolean"),
    ("Character", "java.lang.Character"),
    ("Math", "java.lang.Math"),
    ("StrictMath", "java.lang.StrictMath"),
    ("StringBuilder", "java.lang.StringBuilder"),
    ("Iterable", "java.lang.Iterable"),
    ("Comparable", "java.lang.Comparable"),
    ("Comparator", "java.util.Comparator"),
    ("Collection", "java.util.Collection"),
    ("List", "java.util.List"),
    ("AbstractList", "java.util.AbstractList"),
    ("ArrayList", "java.util.ArrayList"),
    ("LinkedList", "java.util.LinkedList"),
    ("Deque", "java.util.Deque"),
    ("Queue", "java.util.Queue"),
    ("ArrayDeque", "java.util.ArrayDeque"),
    ("Map", "java.util.Map"),
    ("AbstractMap", "java.util.AbstractMap"),
    ("HashMap", "java.util.HashMap"),
    ("LinkedHashMap", "java.util.LinkedHashMap"),
    ("TreeMap", "java.util.TreeMap"),
    ("SortedMap", "java.util.SortedMap"),
    ("NavigableMap", "java.util.NavigableMap"),
    ("Map.Entry", "java.util.Map$Entry"),
    ("Set", "java.util.Set"),
    ("HashSet", "java.util.HashSet"),
    ("LinkedHashSet", "java.util.LinkedHashSet"),
    ("TreeSet", "java.util.TreeSet"),
    ("SortedSet", "java.util.SortedSet"),
    ("NavigableSet", "java.util.NavigableSet"),
    ("Iterator", "java.util.Iterator"),
    ("StringTokenizer", "java.util.StringTokenizer"),
    ("StringJoiner", "java.util.StringJoiner"),
    ("CIDR", "org.elasticsearch.painless.api.CIDR"),
    ("Collections", "java.util.Collections"),
    ("Arrays", "java.util.Arrays"),
    ("Objects", "java.util.Objects"),
    ("Optional", "java.util.Optional"),
    ("Base64", "java.util.Base64"),
    ("Collectors", "java.util.stream.Collectors"),
    ("Stream", "java.util.stream.Stream"),
    ("Pattern", "java.util.regex.Pattern"),
    ("Matcher", "java.util.regex.Matcher"),
    ("Function", "java.util.function.Function"),
    ("Predicate", "java.util.function.Predicate"),
    ("Processors", "org.elasticsearch.painless.api.Processors"),
    ("Debug", "org.elasticsearch.painless.api.Debug"),
    ("Locale", "java.util.Locale"),
    ("ZonedDateTime", "java.time.ZonedDateTime"),
    ("OffsetDateTime", "java.time.OffsetDateTime"),
    ("Instant", "java.time.Instant"),
    ("LocalDateTime", "java.time.LocalDateTime"),
    ("LocalDate", "java.time.LocalDate"),
    ("LocalTime", "java.time.LocalTime"),
    ("Duration", "java.time.Duration"),
    ("ZoneId", "java.time.ZoneId"),
    ("ZoneOffset", "java.time.ZoneOffset"),
    ("ChronoUnit", "java.time.temporal.ChronoUnit"),
    ("DateTimeFormatter", "java.time.format.DateTimeFormatter"),
    ("SimpleDateFormat", "java.text.SimpleDateFormat"),
    ("DateFormat", "java.text.DateFormat"),
    ("Date", "java.util.Date"),
    ("TimeZone", "java.util.TimeZone"),
    ("ParseException", "java.text.ParseException"),
    ("Exception", "java.lang.Exception"),
    ("RuntimeException", "java.lang.RuntimeException"),
    ("IllegalArgumentException", "java.lang.IllegalArgumentException"),
    ("IllegalStateException", "java.lang.IllegalStateException"),
    ("NullPointerException", "java.lang.NullPointerException"),
    ("ClassCastException", "java.lang.ClassCastException"),
    ("NumberFormatException", "java.lang.NumberFormatException"),
    ("ArithmeticException", "java.lang.ArithmeticException"),
    ("IndexOutOfBoundsException", "java.lang.IndexOutOfBoundsException"),
    ("ArrayIndexOutOfBoundsException", "java.lang.ArrayIndexOutOfBoundsException"),
    ("StringIndexOutOfBoundsException", "java.lang.StringIndexOutOfBoundsException"),
    ("UnsupportedOperationException", "java.lang.UnsupportedOperationException"),
    ("DateTimeParseException", "java.time.format.DateTimeParseException"),
    ("DateTimeException", "java.time.DateTimeException"),
    ("PatternSyntaxException", "java.util.regex.PatternSyntaxException"),
    ("NoSuchElementException", "java.util.NoSuchElementException"),
    ("ConcurrentModificationException", "java.util.ConcurrentModificationException"),
];

/// Classes usable as a static receiver (`Math.max`, `Collectors.toList()`).
pub fn is_class(name: &str) -> bool {
    CLASSES.iter().any(|(c, _)| *c == name) && name != "Map.Entry"
}

/// Types usable in declarations, casts and `instanceof`.
pub fn is_type(name: &str) -> bool {
    CLASSES.iter().any(|(c, _)| *c == name) || name == "void"
}

pub fn qualified_class(name: &str) -> String {
    CLASSES.iter().find(|(c, _)| *c == name).map(|(_, q)| q.to_string()).unwrap_or_else(|| name.to_string())
}

const EXCEPTIONS: &[&str] = &[
    "Exception",
    "RuntimeException",
    "IllegalArgumentException",
    "IllegalStateException",
    "NullPointerException",
    "ClassCastException",
    "NumberFormatException",
    "ArithmeticException",
    "IndexOutOfBoundsException",
    "ArrayIndexOutOfBoundsException",
    "StringIndexOutOfBoundsException",
    "UnsupportedOperationException",
    "DateTimeParseException",
    "DateTimeException",
    "PatternSyntaxException",
    "NoSuchElementException",
    "ConcurrentModificationException",
    "ParseException",
    "NegativeArraySizeException",
    "StackOverflowError",
    "PainlessError",
];

pub fn is_exception_class(name: &str) -> bool {
    EXCEPTIONS.contains(&name) && !name.ends_with("Error")
}

pub fn static_exception_name(name: &str) -> Option<&'static str> {
    EXCEPTIONS.iter().find(|e| **e == name).copied()
}

fn exception_qualified(class: &str) -> &'static str {
    match class {
        "DateTimeParseException" => "java.time.format.DateTimeParseException",
        "DateTimeException" => "java.time.DateTimeException",
        "PatternSyntaxException" => "java.util.regex.PatternSyntaxException",
        "PainlessError" => "org.elasticsearch.painless.PainlessError",
        other => {
            let q = CLASSES.iter().find(|(c, _)| *c == other).map(|(_, q)| *q);
            q.unwrap_or("java.lang.Exception")
        }
    }
}

/// Does a thrown exception of class `thrown` match `catch (class e)`?
pub fn exception_is_a(thrown: &str, class: &str) -> bool {
    if thrown == class {
        return true;
    }
    match class {
        // ParseException is a checked exception, no RuntimeException.
        "Exception" => !thrown.ends_with("Error"),
        "RuntimeException" => !thrown.ends_with("Error") && thrown != "ParseException",
        "IllegalArgumentException" => matches!(thrown, "NumberFormatException" | "PatternSyntaxException"),
        "IndexOutOfBoundsException" => matches!(thrown, "ArrayIndexOutOfBoundsException" | "StringIndexOutOfBoundsException"),
        "DateTimeException" => thrown == "DateTimeParseException",
        _ => false,
    }
}

pub fn boxed_prim(class: &str) -> Option<Prim> {
    Some(match class {
        "Integer" => Prim::Int,
        "Long" => Prim::Long,
        "Double" => Prim::Double,
        "Float" => Prim::Float,
        "Short" => Prim::Short,
        "Byte" => Prim::Byte,
        "Character" => Prim::Char,
        "Boolean" => Prim::Boolean,
        _ => return None,
    })
}

/// What a value must be to be an instance of a class: one variant per
/// family of classes that `instanceof` tells apart by the value's variant,
/// and `ByName` for the library objects, compared by their class name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClassTest {
    Object,
    Number,
    Integer,
    Long,
    Double,
    Float,
    Short,
    Byte,
    Character,
    Boolean,
    String,
    CharSequence,
    Map,
    List,
    Set,
    Collection,
    MapEntry,
    Function,
    /// `HashMap`: every map but a `TreeMap` (a `LinkedHashMap` is one),
    /// a script's `ctx` and the document's maps as a condition sees them.
    HashMap,
    LinkedHashMap,
    TreeMap,
    /// `AbstractMap`: `HashMap`, `TreeMap` and the `IngestCtxMap` extend it.
    AbstractMap,
    /// `AbstractList`: every list a script holds (`ArrayList` and
    /// `LinkedList` extend it), not the document's lists as a condition
    /// sees them (`UnmodifiableIngestList implements List` directly).
    AbstractList,
    /// `ArrayList`: every list but a `LinkedList` and the document's lists
    /// as a condition sees them.
    ArrayList,
    /// `LinkedList`.
    LinkedList,
    /// `Deque` and `Queue`: a `LinkedList` or an `ArrayDeque`.
    Deque,
    ByName,
}

impl ClassTest {
    pub fn of(class: &str) -> ClassTest {
        match class {
            "Object" => ClassTest::Object,
            "Number" => ClassTest::Number,
            "Integer" => ClassTest::Integer,
            "Long" => ClassTest::Long,
            "Double" => ClassTest::Double,
            "Float" => ClassTest::Float,
            "Short" => ClassTest::Short,
            "Byte" => ClassTest::Byte,
            "Character" => ClassTest::Character,
            "Boolean" => ClassTest::Boolean,
            "String" => ClassTest::String,
            "CharSequence" => ClassTest::CharSequence,
            "Map" => ClassTest::Map,
            "HashMap" => ClassTest::HashMap,
            "LinkedHashMap" => ClassTest::LinkedHashMap,
            "TreeMap" => ClassTest::TreeMap,
            "AbstractMap" => ClassTest::AbstractMap,
            "LinkedList" => ClassTest::LinkedList,
            "Deque" | "Queue" => ClassTest::Deque,
            "List" => ClassTest::List,
            "ArrayList" => ClassTest::ArrayList,
            "AbstractList" => ClassTest::AbstractList,
            "Set" => ClassTest::Set,
            "Collection" | "Iterable" => ClassTest::Collection,
            "Map.Entry" => ClassTest::MapEntry,
            "Function" | "Predicate" => ClassTest::Function,
            _ => ClassTest::ByName,
        }
    }
}

/// `v instanceof class`: a test of the value's variant, inlined where
/// scripts test types; library objects by name in `is_instance_by_name`.
#[inline(always)]
pub fn is_instance(v: &Val<'_>, class: &ClassType) -> bool {
    match class.test {
        ClassTest::Object => !v.is_null(),
        ClassTest::Number => (v.is_numeric() && !matches!(v, Val::Char(_))) || v.is_big_integer(),
        ClassTest::Integer => matches!(v, Val::Int(_)),
        ClassTest::Long => matches!(v, Val::Long(_)),
        ClassTest::Double => matches!(v, Val::Double(_)),
        ClassTest::Float => matches!(v, Val::Float(_)),
        ClassTest::Short => matches!(v, Val::Short(_)),
        ClassTest::Byte => matches!(v, Val::Byte(_)),
        ClassTest::Character => matches!(v, Val::Char(_)),
        ClassTest::Boolean => matches!(v, Val::Bool(_)),
        ClassTest::String => matches!(v, Val::Str(_)),
        ClassTest::CharSequence => matches!(v, Val::Str(_)) || matches!(v, Val::Obj(o) if matches!(&**o, Obj::StringBuilder(_))),
        ClassTest::Map => matches!(v, Val::Map(_)),
        // A borrowed document map or list (`MapRef::Doc`, `ListRef::Doc`) is
        // what a condition reads from `ctx` (and `params` itself):
        // Elasticsearch hands conditions the document wrapped read-only
        // (ConditionalProcessor's `UnmodifiableIngestData implements Map`,
        // `UnmodifiableIngestList implements List`), and `params` is a
        // `Collections.unmodifiableMap`: none is a `HashMap` or `ArrayList`.
        ClassTest::HashMap => matches!(v, Val::Map(m @ MapRef::Own(_)) if !matches!(m.kind(), MapKind::Tree | MapKind::Ctx)),
        ClassTest::LinkedHashMap => matches!(v, Val::Map(m @ MapRef::Own(_)) if m.kind() == MapKind::Linked),
        ClassTest::TreeMap => matches!(v, Val::Map(m @ MapRef::Own(_)) if m.kind() == MapKind::Tree),
        ClassTest::List => matches!(v, Val::List(_)),
        ClassTest::AbstractMap => matches!(v, Val::Map(MapRef::Own(_))),
        ClassTest::AbstractList => matches!(v, Val::List(ListRef::Own(_))),
        ClassTest::ArrayList => matches!(v, Val::List(ListRef::Own(l)) if l.try_borrow().is_ok_and(|l| !l.linked)),
        ClassTest::LinkedList => matches!(v, Val::List(ListRef::Own(l)) if l.try_borrow().is_ok_and(|l| l.linked)),
        ClassTest::Set => matches!(v, Val::Set(_) | Val::View(_, ViewKind::Keys | ViewKind::Entries)),
        ClassTest::Collection => match v {
            Val::List(_) | Val::Set(_) | Val::View(..) => true,
            Val::Obj(o) => matches!(&**o, Obj::ArrayDeque(_)),
            _ => false,
        },
        ClassTest::Deque => match v {
            Val::List(ListRef::Own(l)) => l.try_borrow().is_ok_and(|l| l.linked),
            Val::Obj(o) => matches!(&**o, Obj::ArrayDeque(_)),
            _ => false,
        },
        ClassTest::MapEntry => matches!(v, Val::Entry(_)),
        ClassTest::Function => matches!(v, Val::Func(_)),
        ClassTest::ByName => is_instance_by_name(v, class),
    }
}

#[inline(never)]
fn is_instance_by_name(v: &Val<'_>, class: &ClassType) -> bool {
    match class.name.as_str() {
        "Comparable" => return comparator::is_comparable(v),
        "Comparator" => return comparator::is_comparator(v),
        "DateFormat" => return matches!(v, Val::Obj(o) if matches!(&**o, Obj::SimpleDateFormat(_))),
        "TimeZone" => return matches!(v, Val::Obj(o) if matches!(&**o, Obj::TimeZone(_))),
        // An iterator's class is the collection's own (`ArrayList$Itr`,
        // `HashMap$EntryIterator`, ...), which implements `Iterator`.
        "Iterator" => return matches!(v, Val::Obj(o) if matches!(&**o, Obj::Iterator(_))),
        "SortedMap" | "NavigableMap" => return matches!(v, Val::Map(m @ MapRef::Own(_)) if m.kind() == MapKind::Tree),
        // A `LinkedHashSet` is a `HashSet`.
        "HashSet" | "LinkedHashSet" | "TreeSet" | "SortedSet" | "NavigableSet" => {
            let Some(kind) = (match v {
                Val::Set(s) => s.try_borrow().ok().map(|s| s.kind),
                _ => None,
            }) else {
                return false;
            };
            return match class.name.as_str() {
                "HashSet" => kind != SetKind::Tree,
                "LinkedHashSet" => kind == SetKind::Linked,
                _ => kind == SetKind::Tree,
            };
        }
        _ => {}
    }
    match v {
        Val::Obj(o) => match &**o {
            Obj::Exception { class: thrown, .. } => exception_is_a(thrown, &class.name),
            _ => o.class_name() == qualified_class(&class.name),
        },
        _ => false,
    }
}

pub fn known_method(name: &str, _arity: usize) -> bool {
    known_method_any(name)
}

pub fn known_method_any(name: &str) -> bool {
    const OBJECT: &[&str] = &["toString", "equals", "hashCode", "apply", "accept", "test", "compare", "get"];
    OBJECT.contains(&name)
        || string::METHODS.contains(&name)
        || collections::METHODS.contains(&name)
        || number::METHODS.contains(&name)
        || regex::METHODS.contains(&name)
        || time::METHODS.contains(&name)
        || misc::METHODS.contains(&name)
        || tokenizer::METHODS.contains(&name)
        || joiner::METHODS.contains(&name)
        || comparator::METHODS.contains(&name)
        || deque::METHODS.contains(&name)
        || sorted::METHODS.contains(&name)
        || legacy_date::METHODS.contains(&name)
}

pub fn known_static(class: &str, name: &str, _arity: usize) -> bool {
    known_static_any(class, name)
}

pub fn known_static_any(class: &str, name: &str) -> bool {
    [number::STATICS, string::STATICS, regex::STATICS, collections::STATICS, time::STATICS, misc::STATICS, comparator::STATICS, legacy_date::STATICS]
        .iter()
        .any(|list| list.iter().any(|(c, m)| *c == class && *m == name))
}

pub fn known_static_field(class: &str, name: &str) -> bool {
    [number::FIELDS, time::FIELDS, misc::FIELDS].iter().any(|list| list.iter().any(|(c, m)| *c == class && *m == name))
}

pub fn known_constructor(class: &str, arity: usize) -> bool {
    // java.lang.txt whitelists only `String()`.
    if class == "String" {
        return arity == 0;
    }
    // java.util.txt gives StringJoiner `(CharSequence)` and
    // `(CharSequence,CharSequence,CharSequence)` only.
    if class == "StringJoiner" {
        return matches!(arity, 1 | 3);
    }
    // java.text.txt: `SimpleDateFormat()`, `(String)`, `(String,Locale)`;
    // java.util.txt: `Date()`, `Date(long)`.
    match class {
        "SimpleDateFormat" => return arity <= 2,
        "Date" => return arity <= 1,
        _ => {}
    }
    collections::CONSTRUCTORS.contains(&class) || misc::CONSTRUCTORS.contains(&class) || matches!(class, "StringTokenizer" | "CIDR" | "ArrayDeque")
}

/// Whether the method `name/arity` of a value of class `class` returns
/// void, from the whitelist (java.lang.txt, java.util.txt,
/// java.util.stream.txt): Iterable's `forEach`, Collection's `clear`,
/// List's `add(int,def)`, `replaceAll`, `sort`, Deque's `addFirst`,
/// `addLast`, `push`, Map's `clear`, `forEach`, `putAll`, `replaceAll`,
/// Iterator's `remove`, `forEachRemaining`, Optional's `ifPresent`,
/// Stream's `forEach`, StringBuilder's `setLength`, `setCharAt`,
/// `getChars`, String's `getChars`.
pub fn void_method(class: &str, name: &str, arity: usize) -> bool {
    let iterable = matches!((name, arity), ("forEach", 1));
    let collection = iterable || matches!((name, arity), ("clear", 0));
    let list = collection || matches!((name, arity), ("add", 2) | ("replaceAll" | "sort", 1));
    let deque = collection || matches!((name, arity), ("addFirst" | "addLast" | "push", 1));
    match class {
        "Iterable" => iterable,
        "Collection" | "Set" | "HashSet" | "LinkedHashSet" | "TreeSet" | "SortedSet" | "NavigableSet" | "Queue" => collection,
        "List" | "AbstractList" | "ArrayList" => list,
        "Deque" | "ArrayDeque" => deque,
        "LinkedList" => list || deque,
        "Map" | "HashMap" | "LinkedHashMap" | "TreeMap" | "SortedMap" | "NavigableMap" | "AbstractMap" => matches!((name, arity), ("clear", 0) | ("forEach" | "putAll" | "replaceAll", 1)),
        "Iterator" => matches!((name, arity), ("remove", 0) | ("forEachRemaining", 1)),
        "Optional" => matches!((name, arity), ("ifPresent", 1)),
        "Stream" => matches!((name, arity), ("forEach" | "forEachOrdered", 1)),
        "StringBuilder" => matches!((name, arity), ("setLength", 1) | ("setCharAt", 2) | ("getChars", 4)),
        "String" => matches!((name, arity), ("getChars", 4)),
        "SimpleDateFormat" | "DateFormat" => matches!((name, arity), ("setTimeZone" | "setLenient" | "applyPattern", 1)),
        "Date" => matches!((name, arity), ("setTime", 1)),
        _ => false,
    }
}

/// Whether the static method `class.name/arity` returns void
/// (java.util.txt's `Collections`).
pub fn void_static(class: &str, name: &str, arity: usize) -> bool {
    class == "Collections"
        && matches!((name, arity), ("sort", 1 | 2) | ("reverse", 1) | ("shuffle", 1 | 2) | ("swap", 3) | ("fill" | "copy" | "rotate", 2))
}

/// A Java-typed argument check used by the library files.
pub fn arg_str<'v, 'a>(args: &'v [Val<'a>], i: usize, method: &str) -> R<&'v str> {
    match args.get(i) {
        Some(Val::Str(s)) => Ok(s),
        Some(Val::Null) => Err(Exc::npe(format!("Cannot invoke \"String.length()\" because the argument of [{method}] is null"))),
        Some(other) => Err(super::interp::jvm_cast_error(&other.class_name(), "java.lang.String")),
        None => Err(Exc::illegal_arg(format!("missing argument to [{method}]"))),
    }
}

pub fn arg_int(args: &[Val<'_>], i: usize) -> R<i64> {
    match args.get(i) {
        Some(v) => super::interp::as_index(v),
        None => Err(Exc::illegal_arg("missing argument")),
    }
}
