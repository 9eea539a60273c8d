//! The NDJSON stream run on worker threads.
//!
//! The caller's thread reads lines into chunks, hands them to the workers
//! and writes the finished chunks in input order; it keeps reading and
//! writing, so neither the input nor the output has to be `Send`. At most
//! [`chunks_in_flight`] chunks exist at once (read, queued, running or
//! waiting for an earlier one to be written), and their buffers are reused,
//! so memory stays flat whatever the input size.

use super::{LineRunner, Malformed, StreamCounts};
use crate::pipeline::Pipeline;
use std::any::Any;
use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Mutex;

/// A chunk ends at the first line that takes it to this many bytes: large
/// enough that handing it over costs nothing next to running it, small
/// enough that many of them stay cheap.
const CHUNK_BYTES: usize = 32 * 1024;
/// ... or at this many lines, for inputs of very short lines.
const CHUNK_LINES: usize = 512;
/// A buffer that grew past this (a very long line) is not kept for reuse.
const KEEP_CAPACITY: usize = 8 * CHUNK_BYTES;

/// The main thread's usual stack size.
const WORKER_STACK: usize = 8 << 20;

/// Enough chunks that every worker has one running and one waiting while
/// the writer waits for the oldest.
fn chunks_in_flight(threads: usize) -> usize {
    threads * 2
}

/// Lines read together, and what running them gave.
#[derive(Default)]
struct Chunk {
    /// Position in the input, counting from 0.
    seq: u64,
    /// The number of the line before the chunk's first (lines count from 1).
    line_before: u64,
    /// The lines as read, newlines included.
    input: Vec<u8>,
    output: String,
    counts: StreamCounts,
    malformed: Vec<Malformed>,
}

impl Chunk {
    fn reset(&mut self, seq: u64, line_before: u64) {
        self.seq = seq;
        self.line_before = line_before;
        if self.input.capacity() > KEEP_CAPACITY || self.output.capacity() > 4 * KEEP_CAPACITY {
            *self = Chunk { seq, line_before, ..Chunk::default() };
            return;
        }
        self.input.clear();
        self.output.clear();
        self.counts = StreamCounts::default();
        self.malformed.clear();
    }

    fn run(&mut self, runner: &mut LineRunner) {
        let mut line_no = self.line_before;
        for raw in self.input.split_inclusive(|b| *b == b'\n') {
            line_no += 1;
            if let Some(m) = runner.run_line(raw, line_no, &mut self.output, &mut self.counts) {
                self.malformed.push(m);
            }
        }
    }
}

/// What a worker sends back: the chunk run, or the panic that stopped it.
type Done = Result<Chunk, Box<dyn Any + Send>>;

pub(super) fn run<R: BufRead, W: Write>(
    pipeline: &Pipeline,
    input: R,
    output: W,
    threads: usize,
    on_malformed: impl FnMut(&Malformed),
) -> io::Result<StreamCounts> {
    let (work_tx, work_rx) = mpsc::channel::<Chunk>();
    let work_rx = Mutex::new(work_rx);
    let (done_tx, done_rx) = mpsc::channel::<Done>();
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let mut spawned = 0;
        for i in 0..threads {
            let done_tx = done_tx.clone();
            let (work_rx, stop) = (&work_rx, &stop);
            // As much stack as the main thread: a document or script that
            // runs on one thread must run on the workers too.
            let worker = std::thread::Builder::new()
                .name(format!("simulate-{i}"))
                .stack_size(WORKER_STACK)
                .spawn_scoped(scope, move || work(pipeline, work_rx, done_tx, stop));
            spawned += usize::from(worker.is_ok());
        }
        drop(done_tx);
        if spawned == 0 {
            return super::simulate_ndjson(pipeline, input, output, on_malformed);
        }
        let max_in_flight = chunks_in_flight(spawned);
        let result = Driver { input, output, on_malformed, work_tx, done_rx, max_in_flight }.drive();
        // A failed write leaves queued chunks that no one will write: the
        // workers skip them.
        stop.store(true, Ordering::Relaxed);
        result
    })
}

fn work(pipeline: &Pipeline, chunks: &Mutex<Receiver<Chunk>>, done: Sender<Done>, stop: &AtomicBool) {
    let mut runner = LineRunner::new(pipeline);
    loop {
        // A poisoned lock only means another worker panicked holding it; the
        // receiver itself is fine.
        let next = chunks.lock().unwrap_or_else(|e| e.into_inner()).recv();
        let Ok(mut chunk) = next else { return };
        if stop.load(Ordering::Relaxed) {
            return;
        }
        // The panic is the caller's to see, as it would be on one thread: the
        // writer resumes it instead of waiting for a chunk that never comes.
        let ran = panic::catch_unwind(AssertUnwindSafe(|| chunk.run(&mut runner)));
        let panicked = ran.is_err();
        if done.send(ran.map(|()| chunk)).is_err() || panicked {
            return;
        }
    }
}

struct Driver<R, W, F> {
    input: R,
    output: W,
    on_malformed: F,
    work_tx: Sender<Chunk>,
    done_rx: Receiver<Done>,
    max_in_flight: usize,
}

impl<R: BufRead, W: Write, F: FnMut(&Malformed)> Driver<R, W, F> {
    fn drive(mut self) -> io::Result<StreamCounts> {
        let mut counts = StreamCounts::default();
        let mut spare: Vec<Chunk> = Vec::new();
        // Chunks run but not written yet, because an earlier one is not back.
        let mut finished: BTreeMap<u64, Chunk> = BTreeMap::new();
        let (mut next_seq, mut next_to_write, mut line_no) = (0u64, 0u64, 0u64);
        let mut read_error = None;
        let mut at_end = false;
        loop {
            while !at_end && next_seq - next_to_write < self.max_in_flight as u64 {
                let mut chunk = spare.pop().unwrap_or_default();
                chunk.reset(next_seq, line_no);
                match read_chunk(&mut self.input, &mut chunk.input, &mut line_no) {
                    Ok(more) => at_end = !more,
                    // The lines read before the failure are still run and
                    // written, as on one thread.
                    Err(e) => {
                        read_error = Some(e);
                        at_end = true;
                    }
                }
                if chunk.input.is_empty() {
                    spare.push(chunk);
                    break;
                }
                if self.work_tx.send(chunk).is_err() {
                    return Err(io::Error::other("the simulate worker threads stopped"));
                }
                next_seq += 1;
            }
            if next_to_write == next_seq {
                break;
            }
            let chunk = match self.done_rx.recv() {
                Ok(Ok(chunk)) => chunk,
                Ok(Err(panic)) => panic::resume_unwind(panic),
                Err(_) => return Err(io::Error::other("the simulate worker threads stopped")),
            };
            finished.insert(chunk.seq, chunk);
            while let Some(chunk) = finished.remove(&next_to_write) {
                for m in &chunk.malformed {
                    (self.on_malformed)(m);
                }
                counts.add(&chunk.counts);
                self.output.write_all(chunk.output.as_bytes())?;
                next_to_write += 1;
                spare.push(chunk);
            }
        }
        if let Some(e) = read_error {
            return Err(e);
        }
        self.output.flush()?;
        Ok(counts)
    }
}

/// Appends whole lines to `buf` until it holds a chunk's worth, counting
/// them in `line_no`. False when the input is at its end.
fn read_chunk(input: &mut impl BufRead, buf: &mut Vec<u8>, line_no: &mut u64) -> io::Result<bool> {
    for _ in 0..CHUNK_LINES {
        let before = buf.len();
        match input.read_until(b'\n', buf) {
            Ok(0) => return Ok(false),
            Ok(_) => *line_no += 1,
            Err(e) => {
                // A line cut short by the failure is not run, as on one thread.
                buf.truncate(before);
                return Err(e);
            }
        }
        if buf.len() >= CHUNK_BYTES {
            break;
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{BuildContext, ConfiguredProcessor, RunContext};
    use crate::processors::{Flow, Processor};
    use crate::simulate::{simulate_ndjson, simulate_ndjson_parallel, SIMULATED_PIPELINE_ID};
    use crate::value::Value;
    use std::cell::Cell;
    use std::rc::Rc;

    fn pipeline(processors: &str) -> Pipeline {
        let definition = Value::from_json_str(&format!(r#"{{"processors":{processors}}}"#)).unwrap();
        Pipeline::from_value(SIMULATED_PIPELINE_ID, &definition, &BuildContext::default()).unwrap()
    }

    /// Drops, fails and keeps documents, through conditions and a script
    /// (Painless values are per thread).
    fn mixed_pipeline() -> Pipeline {
        pipeline(
            r#"[
                {"drop": {"if": "ctx.drop == true"}},
                {"script": {"source": "if (ctx.tags != null) { ctx.tags.add('seen') } ctx.n = ctx.i * 2"}},
                {"set": {"field": "b", "copy_from": "a"}}
            ]"#,
        )
    }

    /// Kept, failing, dropped, blank, malformed (JSON, type, UTF-8), CRLF,
    /// long lines, and a last line without its newline.
    fn mixed_input(lines: usize) -> Vec<u8> {
        let mut input = Vec::new();
        for i in 0..lines {
            let line = match i % 13 {
                0 => String::new(),
                1 => "not json".to_string(),
                2 => "[1,2]".to_string(),
                3 => format!(r#"{{"i":{i},"drop":true}}"#),
                4 => format!(r#"{{"i":{i}}}"#),
                5 => format!("{{\"i\":{i},\"a\":\"x\"}}\r"),
                6 => format!(r#"{{"i":{i},"a":"{}","tags":["t"]}}"#, "y".repeat(i % 7 * 9000)),
                7 => "   ".to_string(),
                _ => format!(r#"{{"i":{i},"a":{i},"tags":[]}}"#),
            };
            input.extend_from_slice(line.as_bytes());
            if i % 13 == 9 {
                input.extend_from_slice(b"\n{\"i\":\xff}");
            }
            input.push(b'\n');
        }
        input.extend_from_slice(br#"{"a":"last"}"#);
        input
    }

    type Run = (io::Result<StreamCounts>, Vec<u8>, Vec<Malformed>);

    fn run_with(pipeline: &Pipeline, input: impl BufRead, threads: usize) -> Run {
        let mut out = Vec::new();
        let mut malformed = Vec::new();
        let result = simulate_ndjson_parallel(pipeline, input, &mut out, threads, |m| malformed.push(m.clone()));
        (result, out, malformed)
    }

    fn sequential(pipeline: &Pipeline, input: impl BufRead) -> Run {
        let mut out = Vec::new();
        let mut malformed = Vec::new();
        let result = simulate_ndjson(pipeline, input, &mut out, |m| malformed.push(m.clone()));
        (result, out, malformed)
    }

    #[test]
    fn parallel_output_is_the_sequential_output() {
        let p = mixed_pipeline();
        let input = mixed_input(3000);
        let (counts, out, malformed) = sequential(&p, input.as_slice());
        let counts = counts.unwrap();
        assert!(counts.output > 0 && counts.failed > 0 && counts.dropped > 0 && counts.malformed > 0, "{counts:?}");
        assert!(input.len() > 10 * CHUNK_BYTES, "several chunks");
        // Only dates could differ, and no output carries one.
        assert!(!String::from_utf8_lossy(&out).contains("_ingest"));
        for threads in [2, 3, 8] {
            let (p_counts, p_out, p_malformed) = run_with(&p, input.as_slice(), threads);
            assert_eq!(p_counts.unwrap(), counts, "{threads} threads");
            assert!(p_out == out, "{threads} threads: output differs");
            assert_eq!(p_malformed, malformed, "{threads} threads");
        }
    }

    #[test]
    fn one_thread_and_empty_inputs() {
        let p = mixed_pipeline();
        let input = mixed_input(50);
        let (counts, out, _) = sequential(&p, input.as_slice());
        let (one, one_out, _) = run_with(&p, input.as_slice(), 1);
        assert_eq!((one.unwrap(), one_out), (counts.unwrap(), out));
        for empty in ["", "\n\n  \n"] {
            let (counts, out, _) = run_with(&p, empty.as_bytes(), 4);
            assert_eq!(counts.unwrap(), StreamCounts { input: 0, ..StreamCounts::default() });
            assert!(out.is_empty());
        }
    }

    /// Hands out generated lines one at a time, counting them, and fails
    /// after `fail_after` lines if asked to.
    struct Lines {
        next: u64,
        total: u64,
        fail_after: Option<u64>,
        buf: Vec<u8>,
        pos: usize,
        served: Rc<Cell<u64>>,
    }

    impl Lines {
        fn new(total: u64, served: Rc<Cell<u64>>) -> Lines {
            Lines { next: 0, total, fail_after: None, buf: Vec::new(), pos: 0, served }
        }
    }

    impl io::Read for Lines {
        fn read(&mut self, into: &mut [u8]) -> io::Result<usize> {
            let n = {
                let available = self.fill_buf()?;
                let n = available.len().min(into.len());
                into[..n].copy_from_slice(&available[..n]);
                n
            };
            self.consume(n);
            Ok(n)
        }
    }

    impl BufRead for Lines {
        fn fill_buf(&mut self) -> io::Result<&[u8]> {
            if self.pos == self.buf.len() && self.next < self.total {
                if self.fail_after == Some(self.next) {
                    return Err(io::Error::other("the disk is on fire"));
                }
                self.buf.clear();
                self.pos = 0;
                let i = self.next;
                let line = if i % 5 == 0 { format!("{{\"i\":{i},\"drop\":true}}\n") } else { format!("{{\"i\":{i},\"a\":1}}\n") };
                self.buf.extend_from_slice(line.as_bytes());
                self.next += 1;
                self.served.set(self.next);
            }
            Ok(&self.buf[self.pos..])
        }

        fn consume(&mut self, n: usize) {
            self.pos += n;
        }
    }

    /// Counts output lines, checking at each write how far reading is ahead.
    struct Watch {
        written: u64,
        served: Rc<Cell<u64>>,
        most_ahead: u64,
    }

    impl Write for Watch {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.written += buf.iter().filter(|b| **b == b'\n').count() as u64;
            self.most_ahead = self.most_ahead.max(self.served.get() - self.written);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn reading_runs_a_bounded_number_of_chunks_ahead_of_writing() {
        let p = mixed_pipeline();
        let served = Rc::new(Cell::new(0));
        let total = 200_000;
        let threads = 2;
        let mut watch = Watch { written: 0, served: served.clone(), most_ahead: 0 };
        let counts = simulate_ndjson_parallel(&p, Lines::new(total, served), &mut watch, threads, |_| {}).unwrap();
        assert_eq!(counts.input, total);
        assert_eq!(watch.written, total);
        let bound = (chunks_in_flight(threads) * CHUNK_LINES) as u64 + 1;
        assert!(watch.most_ahead <= bound, "read {} lines ahead of writing (bound {bound})", watch.most_ahead);
    }

    #[test]
    fn a_read_error_ends_the_run_after_the_lines_before_it() {
        let p = mixed_pipeline();
        let lines = |served| Lines { fail_after: Some(1500), ..Lines::new(3000, served) };
        let (seq, seq_out, _) = sequential(&p, lines(Rc::default()));
        assert_eq!(seq.unwrap_err().to_string(), "the disk is on fire");
        assert_eq!(seq_out.iter().filter(|b| **b == b'\n').count(), 1500);
        let (par, par_out, _) = run_with(&p, lines(Rc::default()), 3);
        assert_eq!(par.unwrap_err().to_string(), "the disk is on fire");
        assert!(par_out == seq_out);
    }

    #[test]
    fn a_write_error_stops_the_run() {
        struct Full(usize);
        impl Write for Full {
            fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
                if self.0 == 0 {
                    return Err(io::Error::new(io::ErrorKind::BrokenPipe, "closed"));
                }
                self.0 -= 1;
                Ok(buf.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let p = mixed_pipeline();
        let input = mixed_input(3000);
        let err = simulate_ndjson_parallel(&p, input.as_slice(), Full(2), 4, |_| {}).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::BrokenPipe);
    }

    #[derive(Debug)]
    struct PanicOn(i64);

    impl Processor for PanicOn {
        fn execute(&self, doc: &mut crate::document::IngestDocument, _run: &mut RunContext) -> Result<Flow, crate::error::EsError> {
            if doc.ctx.get("i") == Some(&Value::Int(self.0 as i32)) {
                panic!("processor bug on document {}", self.0);
            }
            Ok(Flow::Continue)
        }
    }

    #[test]
    fn a_panic_on_a_worker_reaches_the_caller() {
        let mut p = mixed_pipeline();
        p.processors.push(ConfiguredProcessor {
            kind: "panic",
            tag: None,
            description: None,
            condition: None,
            ignore_failure: false,
            on_failure: Vec::new(),
            processor: Box::new(PanicOn(1000)),
        });
        let input = mixed_input(3000);
        let caught = panic::catch_unwind(AssertUnwindSafe(|| run_with(&p, input.as_slice(), 3)));
        let payload = caught.err().expect("the panic reaches the caller");
        assert_eq!(payload.downcast_ref::<String>().map(String::as_str), Some("processor bug on document 1000"));
    }
}
