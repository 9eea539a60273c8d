//! `java.util.Deque` and `java.util.Queue` as lang-painless's `java.util.txt`
//! whitelists them, for the two classes that implement them there:
//! `LinkedList` (a script list, see `collections`) and `ArrayDeque`
//! ([`Obj::ArrayDeque`]). Both keep their elements head first in a vector
//! and share [`deque_call`]; what differs is Java's: an `ArrayDeque` refuses
//! null elements, is no `List` (no `get(int)`; `remove(x)` is Deque's
//! `remove(Object)`), and keeps `Object`'s `equals` and `hashCode`.

use super::super::interp::Interp;
use super::super::val::*;
use super::super::Exc;
use super::Obj;
use std::cell::RefCell;
use std::ops::DerefMut;
use std::rc::Rc;

type R<T> = Result<T, Exc>;

pub const METHODS: &[&str] = &[
    "addFirst", "addLast", "offerFirst", "offerLast", "offer", "push", "getFirst", "getLast", "element", "peek", "peekFirst", "peekLast",
    "poll", "pollFirst", "pollLast", "pop", "removeFirst", "removeLast", "removeFirstOccurrence", "removeLastOccurrence", "descendingIterator",
];

/// The `Deque` and `Queue` methods of java.util.txt on the elements
/// `items` (head first) of `deque`, with the JDK's semantics (`LinkedList`'s and
/// `ArrayDeque`'s agree on them): the `get`/`remove`/`element`/`pop` forms
/// throw `NoSuchElementException` on an empty deque, the `peek`/`poll`
/// forms give null. `refuse_null`: `ArrayDeque`'s `NullPointerException`
/// (without a message, as OpenJDK 17's `addFirst`/`addLast` throw it) for a
/// null element. `None` for a method that is none of these.
pub fn deque_call<'a, L: DerefMut<Target = Vec<Val<'a>>>>(deque: &Val<'a>, items: &RefCell<L>, refuse_null: bool, name: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    let no_such_element = || Exc::bare("NoSuchElementException");
    if let ("addFirst" | "push" | "offerFirst" | "addLast" | "offer" | "offerLast", [item]) = (name, args) {
        if refuse_null && item.is_null() {
            return Some(Err(Exc::bare("NullPointerException")));
        }
    }
    let len = items.borrow().len();
    Some(Ok(match (name, args) {
        ("addFirst" | "push", [item]) => {
            items.borrow_mut().insert(0, item.clone().owned());
            Val::Null
        }
        ("offerFirst", [item]) => {
            items.borrow_mut().insert(0, item.clone().owned());
            Val::Bool(true)
        }
        ("addLast", [item]) => {
            items.borrow_mut().push(item.clone().owned());
            Val::Null
        }
        ("offer" | "offerLast", [item]) => {
            items.borrow_mut().push(item.clone().owned());
            Val::Bool(true)
        }
        ("getFirst" | "element", []) => match items.borrow().first() {
            Some(first) => first.clone(),
            None => return Some(Err(no_such_element())),
        },
        ("getLast", []) => match items.borrow().last() {
            Some(last) => last.clone(),
            None => return Some(Err(no_such_element())),
        },
        ("peek" | "peekFirst", []) => items.borrow().first().cloned().unwrap_or(Val::Null),
        ("peekLast", []) => items.borrow().last().cloned().unwrap_or(Val::Null),
        ("removeFirst" | "remove" | "pop" | "removeLast", []) if len == 0 => return Some(Err(no_such_element())),
        ("poll" | "pollFirst" | "pollLast", []) if len == 0 => Val::Null,
        ("removeFirst" | "remove" | "pop" | "poll" | "pollFirst", []) => items.borrow_mut().remove(0),
        ("removeLast" | "pollLast", []) => items.borrow_mut().pop().unwrap_or(Val::Null),
        ("removeFirstOccurrence" | "removeLastOccurrence", [item]) => {
            let found = {
                let items = items.borrow();
                match name {
                    "removeFirstOccurrence" => items.iter().position(|v| item.java_equals(v)),
                    _ => items.iter().rposition(|v| item.java_equals(v)),
                }
            };
            if let Some(i) = found {
                items.borrow_mut().remove(i);
            }
            Val::Bool(found.is_some())
        }
        ("descendingIterator", []) => {
            let reversed: Vec<Val<'a>> = items.borrow().iter().rev().cloned().collect();
            let len = reversed.len();
            super::collections::new_iterator(reversed, super::collections::IterFrom::Backward(deque.clone(), len))
        }
        _ => return None,
    }))
}

/// `new ArrayDeque()` and `new ArrayDeque(Collection)` (java.util.txt's
/// two): the collection's elements in its iteration order, a null among
/// them refused as `addLast` refuses it.
pub fn construct<'a>(args: &[Val<'a>]) -> R<Val<'a>> {
    let items = match args {
        [] => Vec::new(),
        // OpenJDK 17's `ArrayDeque(Collection c)` starts with `c.size()`.
        [Val::Null] => return Err(Exc::npe("Cannot invoke \"java.util.Collection.size()\" because \"c\" is null")),
        [c] => iter_items(c).ok_or_else(|| super::super::interp::jvm_cast_error(&c.class_name(), "java.util.Collection"))?,
        _ => return Err(Exc::illegal_arg(format!("constructor [ArrayDeque/{}] not found", args.len()))),
    };
    if items.iter().any(Val::is_null) {
        return Err(Exc::bare("NullPointerException"));
    }
    Ok(new_array_deque(items))
}

fn new_array_deque<'a>(items: Vec<Val<'a>>) -> Val<'a> {
    Val::Obj(Rc::new(Obj::ArrayDeque(RefCell::new(JList::from(items.into_iter().map(Val::owned).collect::<Vec<_>>())))))
}

/// A method of an `ArrayDeque` (`recv`, holding `items`): Deque's and
/// Queue's, then Collection's (`add` is `addLast`, `remove(x)` Deque's
/// `remove(Object)`), `clone`; Object's `equals` and `hashCode` are left to
/// the caller, as identity.
pub fn call_array_deque<'a>(it: &mut Interp<'a>, recv: &Val<'a>, items: &RefCell<JList<'a>>, name: &str, args: &[Val<'a>]) -> Option<R<Val<'a>>> {
    if let Some(r) = deque_call(recv, items, true, name, args) {
        return Some(r);
    }
    let r = match (name, args) {
        ("add", [item]) if item.is_null() => Err(Exc::bare("NullPointerException")),
        ("add", [item]) => {
            items.borrow_mut().push(item.clone().owned());
            Ok(Val::Bool(true))
        }
        // `ArrayDeque.addAll` adds each element with `addLast`: those before
        // a null stay in.
        ("addAll", [other]) => (|| {
            let other = iter_items(other).ok_or_else(|| super::super::interp::jvm_cast_error(&other.class_name(), "java.util.Collection"))?;
            let changed = !other.is_empty();
            for item in other {
                if item.is_null() {
                    return Err(Exc::bare("NullPointerException"));
                }
                items.borrow_mut().push(item.owned());
            }
            Ok(Val::Bool(changed))
        })(),
        ("remove", [item]) => deque_call(recv, items, true, "removeFirstOccurrence", std::slice::from_ref(item))?,
        ("clear", []) => {
            items.borrow_mut().clear();
            Ok(Val::Null)
        }
        ("removeIf" | "removeAll" | "retainAll", [arg]) => remove_where(it, items, name, arg),
        ("clone", []) => Ok(new_array_deque(items.borrow().to_vec())),
        _ => return super::collections::collection_common(it, recv, name, args),
    };
    Some(r)
}

/// `removeIf(p)`, `removeAll(c)`, `retainAll(c)`: the elements picked
/// (tested on a copy, so the predicate may read the deque) leave it.
fn remove_where<'a>(it: &mut Interp<'a>, items: &RefCell<JList<'a>>, name: &str, arg: &Val<'a>) -> R<Val<'a>> {
    let current = items.borrow().to_vec();
    let mut doomed = Vec::with_capacity(current.len());
    match name {
        "removeIf" => {
            for item in &current {
                doomed.push(super::collections::predicate(it, arg, &mut [item.clone()])?);
            }
        }
        _ => {
            let other = iter_items(arg).ok_or_else(|| super::super::interp::jvm_cast_error(&arg.class_name(), "java.util.Collection"))?;
            let retain = name == "retainAll";
            doomed.extend(current.iter().map(|item| other.iter().any(|o| item.java_equals(o)) != retain));
        }
    }
    let removed = doomed.contains(&true);
    if removed && items.borrow().len() == doomed.len() {
        let mut i = 0;
        items.borrow_mut().retain(|_| {
            i += 1;
            !doomed[i - 1]
        });
    }
    Ok(Val::Bool(removed))
}

#[cfg(test)]
mod tests {
    use super::super::super::script_outcome as run;

    const NPE: &str = "null_pointer_exception: ";
    const NO_SUCH_ELEMENT: &str = "no_such_element_exception: ";

    /// An `ArrayDeque` as OpenJDK 17's: head-first order and `toString`, a
    /// Deque, Queue and Collection but no List, `Object`'s `equals`, and
    /// an array when stored. Each expected value is what a small Java
    /// program printed for the same calls on JDK 17.
    #[test]
    fn array_deques_are_deques_not_lists() {
        let d = "def d = new ArrayDeque(); d.add(1); d.addFirst('x'); d.push(2); d.offerLast(3)";
        assert_eq!(run(&format!("{d}; d.toString()")), r#""[2, x, 1, 3]""#);
        assert_eq!(run(&format!("{d}; d")), r#"[2,"x",1,3]"#);
        assert_eq!(
            run(&format!("{d}; [d instanceof ArrayDeque, d instanceof Deque, d instanceof Queue, d instanceof Collection, d instanceof Iterable, d instanceof List, d instanceof LinkedList]")),
            "[true,true,true,true,true,false,false]"
        );
        // ArrayDeque keeps Object's equals: equal contents are not enough.
        assert_eq!(run(&format!("{d}; [d.equals(d), d.equals(new ArrayDeque(d)), d == d.clone(), [2, 'x', 1, 3].equals(d)]")), "[true,false,false,false]");
        assert_eq!(run("def d = new ArrayDeque(); d.add(d); d.toString()"), r#""[(this Collection)]""#);
        assert_eq!(run("def d = new ArrayDeque([1, 2]); d.get(0)"), "illegal_argument_exception: dynamic method [java.util.ArrayDeque, get/1] not found");
        // Iterated, copied and streamed head first.
        assert_eq!(run("def d = new ArrayDeque([1, 2, 3]); def out = []; for (def x : d) { out.add(x) } out.add(new ArrayList(d)); out.add(d.stream().map(x -> x * 2).collect(Collectors.toList())); out"), "[1,2,3,[1,2,3],[2,4,6]]");
        assert_eq!(run("Deque d = new ArrayDeque(); d.push('a'); Queue q = d; [q.poll(), q.size(), d.isEmpty()]"), r#"["a",0,true]"#);
    }

    /// Deque's and Queue's methods, with the JDK's `NoSuchElementException`
    /// on an empty deque and `NullPointerException` for a null element.
    #[test]
    fn array_deque_methods_follow_the_jdk() {
        assert_eq!(
            run("def d = new ArrayDeque([1, 2, 3, 4, 5]); [d.peek(), d.peekFirst(), d.peekLast(), d.getFirst(), d.getLast(), d.element(), d.poll(), d.pollLast(), d.pop(), d.removeFirst(), d.remove(), d.size()]"),
            "[1,1,5,1,5,1,1,5,2,3,4,0]"
        );
        assert_eq!(run("def d = new ArrayDeque(); [d.offer(1), d.offerFirst(0), d.offerLast(2), d.removeLast(), d.pollFirst(), d]"), "[true,true,true,2,0,[1]]");
        // `remove(x)` is Deque's `remove(Object)`, not List's `remove(int)`.
        assert_eq!(run("def d = new ArrayDeque([1, 2, 1]); [d.remove(1), d.remove(null), d.contains(null), d.removeLastOccurrence(1), d.removeFirstOccurrence(9), d]"), "[true,false,false,true,false,[2]]");
        assert_eq!(run("def d = new ArrayDeque([1, 2, 3]); def i = d.descendingIterator(); def out = []; while (i.hasNext()) { out.add(i.next()) } def r = out; r"), "[3,2,1]");
        assert_eq!(run("def d = new ArrayDeque([1, 2, 3]); [d.removeIf(x -> x > 1), d.removeAll([9]), d.retainAll([1]), d]"), "[true,false,false,[1]]");
        assert_eq!(run("def d = new ArrayDeque([1, 2]); d.clear(); [d.isEmpty(), d.peek(), d.poll(), d.pollLast()]"), "[true,null,null,null]");
        for method in ["getFirst", "getLast", "element", "remove", "removeFirst", "removeLast", "pop"] {
            assert_eq!(run(&format!("new ArrayDeque().{method}()")), NO_SUCH_ELEMENT, "{method}");
        }
        for add in ["add", "addFirst", "addLast", "offer", "offerFirst", "offerLast", "push"] {
            assert_eq!(run(&format!("new ArrayDeque().{add}(null)")), NPE, "{add}");
        }
        assert_eq!(run("new ArrayDeque([1, null])"), NPE);
        // `addAll` adds with `addLast`: what precedes the null stays.
        assert_eq!(run("def d = new ArrayDeque(); try { d.addAll([1, null, 2]) } catch (NullPointerException e) { d.add('caught') } def r = d; r"), r#"[1,"caught"]"#);
        assert_eq!(run("new ArrayDeque(null)"), r#"null_pointer_exception: Cannot invoke "java.util.Collection.size()" because "c" is null"#);
        assert_eq!(run("def d = new ArrayDeque(['b']); def c = d.clone(); c.add('c'); [d, c, c instanceof ArrayDeque]"), r#"[["b"],["b","c"],true]"#);
    }

    /// `descendingIterator`, now on a `LinkedList` too.
    #[test]
    fn linked_lists_iterate_descending() {
        assert_eq!(run("def l = new LinkedList([1, 2, 3]); def i = l.descendingIterator(); def out = []; while (i.hasNext()) { out.add(i.next()) } def r = out; r"), "[3,2,1]");
    }
}
