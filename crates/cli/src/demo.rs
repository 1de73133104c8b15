//! The demo port (being written).
use guomen_store::Store;
pub async fn run(_store: &Store) -> anyhow::Result<String> {
    anyhow::bail!("the demo is not available in this build")
}
