//! The `tfparity` binary: parse arguments, run, map the result to an exit status.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(tfparity::run(std::env::args_os()))
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
