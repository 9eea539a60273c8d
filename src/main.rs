//! The `ingot` command line: a thin layer over the library.

fn main() {
    eprintln!("ingot: no commands yet");
    std::process::exit(2);
}
