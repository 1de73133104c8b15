//! Command-line arguments and the commands that are not a server.

use anyhow::{anyhow, bail, Context};
use clap::{Args, Parser, Subcommand};
use guomen_domain::party::{Actor, Role};
use guomen_domain::risk::RuleSet;
use guomen_domain::types::CustomsCode;
use guomen_domain::Refusal;
use guomen_store::keys::Keyring;
use guomen_store::{secrets, Location, Store, StoreError};
use guomen_store::{AdminCommand, RiskCommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(name = "guomen", version, about = "Guomen (国门) customs clearance and inspection-quarantine platform")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Cmd,
}

/// Where the data lives: a directory (embedded SQLite) or a database URL.
#[derive(Args, Debug, Clone)]
pub struct DataArgs {
    /// Data directory; the embedded SQLite database lives here and is created on first use.
    #[arg(long, default_value = "guomen-data", env = "GUOMEN_DATA")]
    pub data: PathBuf,
    /// Database URL (postgres://…) to use instead of the embedded SQLite database.
    #[arg(long, env = "GUOMEN_DATABASE")]
    pub database: Option<String>,
    /// File of the signing keys (made with mode 0600 if missing); default DATA/keys.json.
    #[arg(long, env = "GUOMEN_SIGNING_KEYS")]
    pub signing_keys: Option<PathBuf>,
}

impl DataArgs {
    pub fn location(&self) -> anyhow::Result<Location> {
        match &self.database {
            Some(url) => Location::parse(url).map_err(|e| anyhow!(e)),
            None => Location::sqlite_in(&self.data).with_context(|| format!("cannot create data directory {}", self.data.display())),
        }
    }

    /// The file of the signing keys: `--signing-keys`, or `DATA/keys.json`.
    pub fn keys_file(&self) -> PathBuf {
        self.signing_keys.clone().unwrap_or_else(|| self.data.join("keys.json"))
    }

    /// The keyring in [`DataArgs::keys_file`].
    pub fn keyring(&self) -> anyhow::Result<Keyring> {
        Keyring::open(&self.keys_file()).map_err(|e| anyhow!("{e}"))
    }

    pub async fn open(&self) -> anyhow::Result<Store> {
        let location = self.location()?;
        Store::open_with(&location, self.keyring()?).await.map_err(|e| anyhow!("{e}"))
    }
}

/// The security settings of `serve`.
#[derive(Args, Debug, Clone)]
pub struct SecurityArgs {
    /// Where security events go as JSON lines (`-` for standard error); default DATA/security.log.
    #[arg(long, env = "GUOMEN_SECURITY_LOG")]
    pub security_log: Option<String>,
    /// Days a new API token lasts unless its issuer says otherwise (1–3650).
    #[arg(long, env = "GUOMEN_TOKEN_DAYS", default_value_t = guomen_domain::token::DEFAULT_DAYS)]
    pub token_days: u32,
    /// A reverse proxy (address or network, e.g. 10.0.0.0/8) whose X-Forwarded-For and
    /// X-Forwarded-Proto are believed; repeat or separate with commas. None by default.
    #[arg(long = "trusted-proxy", env = "GUOMEN_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<String>,
    /// The address users reach the console at; `https://…` marks its cookies Secure.
    #[arg(long, env = "GUOMEN_PUBLIC_URL")]
    pub public_url: Option<String>,
}

/// When `serve` signs a checkpoint of the journal's Merkle tree.
#[derive(Args, Debug, Clone)]
pub struct CheckpointArgs {
    /// Sign a checkpoint once this many journal entries wait for one (1 or more).
    #[arg(long, env = "GUOMEN_CHECKPOINT_ENTRIES", default_value_t = guomen_store::CheckpointPolicy::DEFAULT_ENTRIES, value_parser = clap::value_parser!(u64).range(1..))]
    pub checkpoint_entries: u64,
    /// Sign a checkpoint this many seconds after the last, if any entry waits for one (1 or more).
    #[arg(long, env = "GUOMEN_CHECKPOINT_SECONDS", default_value_t = guomen_store::CheckpointPolicy::DEFAULT_SECONDS, value_parser = clap::value_parser!(u64).range(1..))]
    pub checkpoint_seconds: u64,
}

impl SecurityArgs {
    /// The settings, with the security log opened (`DATA/security.log` unless told otherwise).
    pub fn settings(&self, data_dir: &std::path::Path) -> anyhow::Result<guomen_store::security::SecuritySettings> {
        use guomen_store::security::{Network, SecurityLog, SecuritySettings};
        guomen_domain::token::check_days("--token-days", i64::from(self.token_days)).map_err(|e| anyhow!("--token-days: {}", e.en))?;
        let trusted_proxies = self
            .trusted_proxies
            .iter()
            .filter(|p| !p.trim().is_empty())
            .map(|p| Network::parse(p).map_err(|e| anyhow!("--trusted-proxy: {e}")))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let public_https = match self.public_url.as_deref().map(str::trim) {
            None | Some("") => false,
            Some(u) if u.starts_with("https://") => true,
            Some(u) if u.starts_with("http://") => false,
            Some(u) => bail!("--public-url {u:?}: an absolute http:// or https:// URL"),
        };
        let log = match self.security_log.as_deref() {
            Some(spec) => SecurityLog::open(spec).with_context(|| format!("cannot open the security log {spec}"))?,
            None => {
                let path = data_dir.join("security.log");
                SecurityLog::file(&path).with_context(|| format!("cannot open the security log {}", path.display()))?
            }
        };
        Ok(SecuritySettings { log, trusted_proxies, public_https, token_days: self.token_days })
    }
}

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Serve the HTTP API (and deliver notices to webhooks).
    Serve {
        #[command(flatten)]
        data: DataArgs,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// Fill the data directory with the demo port first, if it is empty.
        #[arg(long)]
        demo: bool,
        /// Let webhooks reach loopback, private, link-local and other internal addresses (a
        /// single machine delivering to itself); also GUOMEN_WEBHOOK_ALLOW_PRIVATE=true.
        #[arg(long)]
        webhook_allow_private: bool,
        #[command(flatten)]
        security: SecurityArgs,
        #[command(flatten)]
        checkpoints: CheckpointArgs,
    },
    /// Fill DIR with a realistic demo port and print the demo users.
    Demo {
        #[command(flatten)]
        data: DataArgs,
    },
    /// Verify the journal's hash chain (and with --views every view against the journal, with
    /// --checkpoint that it extends a checkpoint kept elsewhere); exits non-zero on any break or
    /// difference.
    Verify {
        #[command(flatten)]
        data: DataArgs,
        /// Also rebuild every view from the journal and report each stored row that differs.
        #[arg(long)]
        views: bool,
        /// Most differences listed (all are counted).
        #[arg(long, default_value_t = 1000)]
        limit: usize,
        /// A checkpoint as `GET /api/v1/journal/checkpoint` serves it: check its signature, then
        /// that the journal extends it (not truncated below it, not rewritten).
        #[arg(long)]
        checkpoint: Option<PathBuf>,
        /// The public keys to check the checkpoint's signature with, as `GET /api/v1/keys`
        /// serves them; default the data directory's key file.
        #[arg(long, requires = "checkpoint")]
        keys: Option<PathBuf>,
    },
    /// The journal's transparency log: its signed checkpoints.
    Journal {
        #[command(subcommand)]
        command: crate::journal_cmd::JournalCmd,
    },
    /// Manage enterprises.
    Enterprise {
        #[command(subcommand)]
        command: EnterpriseCmd,
    },
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCmd,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCmd,
    },
    /// Manage risk-targeting rules.
    Rules {
        #[command(subcommand)]
        command: RulesCmd,
    },
    /// Measure end-to-end filing throughput against the raw insert rate.
    Bench(crate::bench::BenchArgs),
    /// Cross-border e-commerce (CEB) messages.
    Ceb {
        #[command(subcommand)]
        command: crate::ceb_cmd::CebCmd,
    },
    /// General guarantees (总担保).
    Guarantee {
        #[command(subcommand)]
        command: crate::ceb_cmd::GuaranteeCmd,
    },
    /// Mandates (委托) an enterprise gives an agent to declare in its name.
    Mandate {
        #[command(subcommand)]
        command: crate::mandate_cmd::MandateCmd,
    },
    /// The signing keys' public parts (current and retired); `keys rotate` makes new ones.
    #[command(args_conflicts_with_subcommands = true)]
    Keys {
        #[command(subcommand)]
        command: Option<KeysCmd>,
        #[command(flatten)]
        data: DataArgs,
        /// Print the public key set as JSON, as `GET /api/v1/keys` serves it.
        #[arg(long)]
        json: bool,
    },
    /// Phytosanitary certificates (ePhyto): receive SPSCertificate files, print one as XML.
    Phyto {
        #[command(subcommand)]
        command: crate::document_cmd::PhytoCmd,
    },
    /// Verify a document offline with the public keys alone: an SPSCertificate (XML) or the public
    /// record of a document (JSON, as `GET /api/v1/public/documents/{number}` serves it). Exits 0
    /// when valid, 1 when not, 2 when a file cannot be read.
    VerifyDocument {
        /// The document: FILE.xml or FILE.json.
        file: PathBuf,
        /// The public keys, as `GET /api/v1/keys` serves them (`guomen keys --json`).
        #[arg(long)]
        keys: PathBuf,
    },
    /// The refusal catalogue: every refusal kind and rule code with its HTTP status and meaning.
    Refusals {
        /// Write the Markdown page kept as docs/REFUSALS.md.
        #[arg(long)]
        markdown: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum EnterpriseCmd {
    /// Register an enterprise.
    Add {
        #[command(flatten)]
        data: DataArgs,
        /// 10-character customs code.
        #[arg(long)]
        code: String,
        /// 18-character unified social credit code.
        #[arg(long)]
        credit_code: String,
        /// Name (Chinese).
        #[arg(long)]
        name: String,
        /// Name (English).
        #[arg(long, default_value = "")]
        name_en: String,
        /// advanced | registered | untrustworthy
        #[arg(long)]
        grade: String,
        /// Supervision-site code, for terminals and yards.
        #[arg(long)]
        site_code: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCmd {
    /// Create a user.
    Add {
        #[command(flatten)]
        data: DataArgs,
        #[arg(long)]
        username: String,
        #[arg(long)]
        password: String,
        /// declarant | terminal | laboratory | officer | risk-analyst | admin
        #[arg(long)]
        role: String,
        /// The enterprise (customs code) a declarant, terminal or laboratory acts for.
        #[arg(long)]
        enterprise: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum TokenCmd {
    /// Issue an API token and print it alone on standard output.
    Issue {
        #[command(flatten)]
        data: DataArgs,
        #[arg(long)]
        role: String,
        #[arg(long)]
        enterprise: Option<String>,
        #[arg(long)]
        label: Option<String>,
        /// Days the token lasts (1–3650).
        #[arg(long, env = "GUOMEN_TOKEN_DAYS", default_value_t = guomen_domain::token::DEFAULT_DAYS)]
        days: u32,
    },
    /// List API tokens (never their secrets): id, label, role, enterprise, issued, expires, last used, state.
    List {
        #[command(flatten)]
        data: DataArgs,
    },
    /// Revoke an API token: it is refused from now on (by a running server within seconds).
    Revoke {
        #[command(flatten)]
        data: DataArgs,
        /// The token's id (the part after `gm_` of the token, or as listed).
        id: String,
        #[arg(long)]
        reason: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum KeysCmd {
    /// Retire the active key of an issuing office (`--office CODE`) or of the journal
    /// (`journal`) and make a new one; the retired key stays published, so what it signed stays
    /// verifiable. A running server signs with the new key from its next signature.
    Rotate {
        /// `journal`, for the key that signs the journal's checkpoints.
        owner: Option<String>,
        /// The issuing office (4-digit customs code) whose key to rotate.
        #[arg(long)]
        office: Option<String>,
        #[command(flatten)]
        data: DataArgs,
    },
}

#[derive(Subcommand, Debug)]
pub enum RulesCmd {
    /// Publish the rule set in FILE (JSON) as a new version.
    Load {
        #[command(flatten)]
        data: DataArgs,
        file: PathBuf,
        /// Why the rules change (recorded with the version).
        #[arg(long)]
        reason: Option<String>,
    },
}

/// The actor recorded for changes made from the command line.
pub fn cli_actor() -> Actor {
    let who = std::env::var("USER").unwrap_or_else(|_| "operator".into());
    Actor { id: format!("cli:{who}"), role: Some(Role::Admin), enterprise: None }
}

/// Prints a refusal the way the API would word it, in both languages.
fn refusal_text(r: &Refusal) -> String {
    let mut s = format!("{} / {}", r.detail_en, r.detail_zh);
    for e in &r.errors {
        s.push_str(&format!("\n  {}: {} / {}", if e.path.is_empty() { "(body)" } else { &e.path }, e.en, e.zh));
    }
    s
}

/// What `verify --views` found, for an operator.
fn print_views(v: &guomen_store::ViewsReport) {
    if v.ok() {
        println!("views verified: {} rows of {} tables rebuilt from the journal match what is stored", v.rows, v.tables.len());
    } else {
        println!("views DIFFER from the journal: {} difference(s) in {} rows rebuilt from the journal", v.total, v.rows);
        for d in &v.differences {
            println!("  {d}");
        }
        let more = v.total - v.differences.len() as u64;
        if more > 0 {
            println!("  … and {more} more");
        }
    }
    let skipped: Vec<&str> = guomen_store::NOT_CHECKED.iter().map(|(what, _, _)| *what).collect();
    println!("not in the journal by design, so not checked: {}", skipped.join(", "));
}

/// Refuses a data directory that holds no database (rather than making an empty one).
pub fn require_database(data: &DataArgs) -> anyhow::Result<()> {
    if data.database.is_none() && !data.data.join("guomen.db").exists() {
        bail!("{} holds no Guomen database to verify", data.data.display());
    }
    Ok(())
}

fn store_err(e: StoreError) -> anyhow::Error {
    match e {
        StoreError::Refused(r) => anyhow!("{}", refusal_text(&r)),
        other => anyhow!("{other}"),
    }
}

fn api_err(e: impl Into<guomen_service::Failure>) -> anyhow::Error {
    match e.into() {
        guomen_service::Failure::Refused(r) | guomen_service::Failure::RefusedWith(r, _) => anyhow!("{}", refusal_text(&r)),
        other => anyhow!("{other:?}"),
    }
}

fn parse_role(s: &str) -> anyhow::Result<Role> {
    Role::parse(s).ok_or_else(|| anyhow!("unknown role {s:?}: declarant, terminal, laboratory, officer, risk-analyst or admin"))
}

fn parse_code(s: Option<&str>) -> anyhow::Result<Option<CustomsCode>> {
    s.map(|c| CustomsCode::parse(c).map_err(|e| anyhow!("{} / {}", e.en, e.zh))).transpose()
}

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Cmd::Serve { data, listen, demo, webhook_allow_private, security, checkpoints } => {
            crate::serve::run(&data, &listen, demo, webhook_allow_private, &security, &checkpoints).await
        }
        Cmd::Demo { data } => {
            let store = data.open().await?;
            if store.count("declarations").await.map_err(store_err)? > 0 {
                bail!("{} already holds declarations; the demo fills an empty data directory", data.data.display());
            }
            let summary = crate::demo::run(&store).await?;
            println!("{summary}");
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Verify { data, views, limit, checkpoint, keys } => {
            require_database(&data)?;
            let store = Store::open_read_only(&data.location()?).await.map_err(|e| anyhow!("{e}"))?;
            let mut ok = match checkpoint {
                // The chain is walked there too, with the tree recomputed beside it.
                Some(file) => crate::journal_cmd::verify_against(&store, &data, &file, keys.as_deref()).await?,
                None => {
                    let r = store.verify().await.map_err(store_err)?;
                    match r.first_break {
                        None => {
                            println!("journal verified: {} entries, chain intact", r.checked);
                            true
                        }
                        Some(b) => {
                            println!("journal BROKEN after {} good entries: {b}", r.checked);
                            false
                        }
                    }
                }
            };
            if views {
                let v = store.verify_views(limit.max(1)).await.map_err(store_err)?;
                print_views(&v);
                ok &= v.ok();
            }
            Ok(if ok { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Cmd::Enterprise { command: EnterpriseCmd::Add { data, code, credit_code, name, name_en, grade, site_code } } => {
            let e = guomen_service::admin::parse_enterprise(&code, &credit_code, &name, &name_en, &grade, site_code.as_deref())
                .map_err(|errors| anyhow!("{}", refusal_text(&Refusal::validation(errors))))?;
            let store = data.open().await?;
            store.execute(cli_actor(), AdminCommand::RegisterEnterprise(e.clone())).await.map_err(store_err)?;
            println!("enterprise {} registered ({})", e.code, e.grade.as_str());
            Ok(ExitCode::SUCCESS)
        }
        Cmd::User { command: UserCmd::Add { data, username, password, role, enterprise } } => {
            let errors = guomen_service::admin::check_user(&username, &password);
            if !errors.is_empty() {
                bail!("{}", refusal_text(&Refusal::validation(errors)));
            }
            let role = parse_role(&role)?;
            let enterprise = parse_code(enterprise.as_deref())?;
            let store = data.open().await?;
            let password_hash = secrets::hash_password(&password);
            store
                .execute(cli_actor(), AdminCommand::CreateUser { username: username.clone(), password_hash, role, enterprise })
                .await
                .map_err(store_err)?;
            println!("user {username} created ({})", role.as_str());
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Token { command: TokenCmd::Issue { data, role, enterprise, label, days } } => {
            let (command, token) =
                guomen_service::admin::token_command(&role, enterprise.as_deref(), label, Some(i64::from(days)), days).map_err(api_err)?;
            let store = data.open().await?;
            store.execute(cli_actor(), command).await.map_err(store_err)?;
            println!("{token}");
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Token { command: TokenCmd::List { data } } => {
            let store = data.open().await?;
            let now = (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64;
            let when = |ms: i64| {
                time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
                    .map(|t| t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default())
                    .unwrap_or_default()
            };
            println!("id\tlabel\trole\tenterprise\tissued\texpires\tlast used\tstate");
            for t in store.tokens(&guomen_domain::token::TokenScope::All).await.map_err(store_err)? {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    t.id,
                    t.label.as_deref().unwrap_or("-"),
                    t.role,
                    t.enterprise.as_deref().unwrap_or("-"),
                    when(t.created_at_ms),
                    when(t.expires_at_ms),
                    t.last_used_at_ms.map_or_else(|| "-".to_owned(), when),
                    t.state(now).as_str()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Token { command: TokenCmd::Revoke { data, id, reason } } => {
            let command = guomen_service::admin::revoke_command(&id, reason.as_deref()).map_err(api_err)?;
            let store = data.open().await?;
            match store.execute(cli_actor(), command).await.map_err(store_err)? {
                guomen_store::Outcome::Token(t) => println!("token {} revoked", t.id),
                other => bail!("unexpected outcome {other:?}"),
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Rules { command: RulesCmd::Load { data, file, reason } } => {
            let text = std::fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let de = &mut serde_json::Deserializer::from_str(&text);
            let ruleset: RuleSet =
                serde_path_to_error::deserialize(de).map_err(|e| anyhow!("{}: at {}: {}", file.display(), e.path(), e.inner()))?;
            let store = data.open().await?;
            let reason = reason.unwrap_or_else(|| format!("loaded from {}", file.display()));
            match store.execute(cli_actor(), RiskCommand::PublishRules { ruleset, reason }).await.map_err(store_err)? {
                guomen_store::Outcome::Rules(r) => println!("rule set version {} published with {} criteria", r.version, r.criteria.len()),
                other => bail!("unexpected outcome {other:?}"),
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Journal { command } => crate::journal_cmd::run(command).await,
        Cmd::Bench(args) => crate::bench::run(args).await,
        Cmd::Ceb { command } => crate::ceb_cmd::run(command).await,
        Cmd::Guarantee { command } => crate::ceb_cmd::guarantee(command).await,
        Cmd::Mandate { command } => crate::mandate_cmd::run(command).await,
        Cmd::Keys { command: None, data, json } => {
            let set = data.keyring()?.public_keys().map_err(|e| anyhow!("{e}"))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&set)?);
            } else {
                println!("key id\towner\tcreated\tretired\tpublic key (Ed25519, base64)");
                for k in &set.keys {
                    println!("{}\t{}\t{}\t{}\t{}", k.key_id, k.owner, k.created, k.retired.as_deref().unwrap_or("-"), k.public_key);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Keys { command: Some(KeysCmd::Rotate { owner, office, data }), .. } => {
            let owner = match (owner.as_deref(), office.as_deref()) {
                (Some(o), None) if o.eq_ignore_ascii_case("journal") => guomen_domain::signing::Owner::Journal,
                (None, Some(code)) => guomen_domain::signing::Owner::Office(
                    guomen_domain::types::OfficeCode::parse(code).map_err(|e| anyhow!("--office: {} / {}", e.en, e.zh))?,
                ),
                _ => bail!("name the key to rotate: `guomen keys rotate journal` or `guomen keys rotate --office CODE`"),
            };
            let ring = data.keyring()?;
            let r = ring.rotate(&owner).map_err(|e| anyhow!("{e}"))?;
            match r.retired {
                Some(old) => println!("key {old} retired (still published); {} now signs for {owner}", r.key_id),
                None => println!("{owner} had no key; {} now signs for it", r.key_id),
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Phyto { command } => crate::document_cmd::phyto(command).await,
        Cmd::VerifyDocument { file, keys } => crate::document_cmd::verify_document(&file, &keys),
        Cmd::Refusals { markdown } => {
            print!("{}", crate::refusals::text(markdown));
            Ok(ExitCode::SUCCESS)
        }
    }
}
