//! The global allocator of the `ingot` binary and the benches: mimalloc,
//! asked for memory the way std's `System` allocator asks malloc.
//!
//! The `mimalloc` crate sends every request through `mi_malloc_aligned`,
//! which checks the alignment and looks for a suitably aligned block before
//! it allocates: about 45 instructions where `mi_malloc` takes about 20, on
//! the million and a half allocations a thousand events make. A block from
//! `mi_malloc` is aligned to 16 bytes (`MI_MAX_ALIGN_SIZE`) when its size is
//! at least 16, and to the size's own alignment below that (size classes are
//! multiples of 8, and of 16 from 16 bytes on). A Rust layout's size is a
//! multiple of its alignment, so an alignment of at most 16 that is no
//! larger than the size is met by `mi_malloc`, std's rule for malloc;
//! anything else takes the aligned path. Blocks of up to 1 KiB, almost
//! all of them, come from `mi_malloc_small`, `mi_malloc`'s fast path
//! without its size test and call into the general function.

use core::alloc::{GlobalAlloc, Layout};
use core::ffi::c_void;
use libmimalloc_sys::{mi_free, mi_malloc, mi_malloc_aligned, mi_realloc, mi_realloc_aligned, mi_zalloc, mi_zalloc_aligned};

/// The alignment every `mi_malloc` block of at least this size has.
const MALLOC_ALIGNMENT: usize = 16;

/// The largest block `mi_malloc_small` gives (mimalloc's `MI_SMALL_SIZE_MAX`).
const SMALL_SIZE_MAX: usize = 128 * core::mem::size_of::<*mut c_void>();

// libmimalloc-sys binds this only with its `extended` feature, which brings
// another crate; the function is in the library it builds either way.
unsafe extern "C" {
    /// `mi_malloc` of at most [`SMALL_SIZE_MAX`] bytes, the same block from
    /// the same size class: its fast path inlined, where `mi_malloc` tests
    /// the size and calls into a general function. Almost every request is
    /// this small.
    fn mi_malloc_small(size: usize) -> *mut c_void;
}

/// mimalloc as the global allocator: `#[global_allocator] static A: Mimalloc = Mimalloc;`.
pub struct Mimalloc;

/// Whether `mi_malloc` (and `mi_realloc`, `mi_zalloc`) give a block of
/// `size` bytes the alignment `align` asks for.
#[inline]
fn malloc_aligns(align: usize, size: usize) -> bool {
    align <= MALLOC_ALIGNMENT && align <= size
}

// SAFETY: every block comes from mimalloc and goes back to it through
// `mi_free`, which takes blocks from both the plain and the aligned calls;
// the alignment of the plain calls is argued in the module documentation.
unsafe impl GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if malloc_aligns(layout.align(), layout.size()) {
            if layout.size() <= SMALL_SIZE_MAX {
                mi_malloc_small(layout.size()) as *mut u8
            } else {
                mi_malloc(layout.size()) as *mut u8
            }
        } else {
            mi_malloc_aligned(layout.size(), layout.align()) as *mut u8
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if malloc_aligns(layout.align(), layout.size()) {
            mi_zalloc(layout.size()) as *mut u8
        } else {
            mi_zalloc_aligned(layout.size(), layout.align()) as *mut u8
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        mi_free(ptr as *mut c_void);
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if malloc_aligns(layout.align(), new_size) {
            mi_realloc(ptr as *mut c_void, new_size) as *mut u8
        } else {
            mi_realloc_aligned(ptr as *mut c_void, new_size, layout.align()) as *mut u8
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Blocks of many sizes (every size class up to 1 KiB, and large ones),
    /// at alignments on both sides of the plain calls' limit, come back
    /// aligned, zeroed when asked, and keep their bytes when they move.
    #[test]
    fn plain_calls_give_the_alignment_asked_for() {
        let a = Mimalloc;
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            let sizes = (1..=1024 / align).map(|k| k * align).chain([65_536, 1 << 21]);
            for size in sizes {
                let layout = Layout::from_size_align(size, align).unwrap();
                unsafe {
                    let p = a.alloc(layout);
                    assert!(!p.is_null() && p as usize % align == 0, "alloc {size} {align}");
                    p.write_bytes(0xa5, size);
                    let grown = a.realloc(p, layout, size * 2);
                    assert!(!grown.is_null() && grown as usize % align == 0, "grow {size} {align}");
                    assert_eq!(*grown.add(size - 1), 0xa5);
                    let shrunk = a.realloc(grown, Layout::from_size_align(size * 2, align).unwrap(), size);
                    assert!(shrunk as usize % align == 0, "shrink {size} {align}");
                    a.dealloc(shrunk, layout);
                    let z = a.alloc_zeroed(layout);
                    assert!(z as usize % align == 0, "zeroed {size} {align}");
                    assert!((0..size).all(|i| *z.add(i) == 0));
                    a.dealloc(z, layout);
                }
            }
        }
    }
}
