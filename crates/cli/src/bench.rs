//! Benchmarks (being written).
#[derive(clap::Args, Debug)]
pub struct BenchArgs {}
pub async fn run(_args: BenchArgs) -> anyhow::Result<std::process::ExitCode> {
    anyhow::bail!("the benchmark is not available in this build")
}
