//! The registry of procedure families: the one place that names them all. It says what every
//! command is ([`Command`]), what it can produce ([`Outcome`]), what the families keep in the
//! writer's memory ([`State`]) and buffer per batch ([`Rows`]), and hands each command to its
//! family's handler with exactly the parts of the others that handler may use.
//!
//! Adding a family: its module beside the others (commands, handler, its tables), one variant
//! in `Command` and `Outcome`, one arm in `execute`, its tables in `TABLES`, and its file in
//! `replay/` so `verify --views` rebuilds its rows. The kernel does not change.

use crate::admin::{AdminCommand, AdminOutcome, AdminRows, AdminState, Parties};
use crate::ceb::rows::CebRows;
use crate::ceb::state::CebState;
use crate::ceb::{Ceb, CebAnswer, CebCommand, CebOutcome};
use crate::console::{ConsoleCommand, ConsoleOutcome};
use crate::declaration::{DeclarationCommand, DeclarationOutcome, DeclarationRows, Spine};
use crate::delivery::DeliveryCommand;
use crate::field::{FieldCommand, FieldOutcome};
use crate::kernel::{Families, Handled, Journal, Tx};
use crate::mandate::{MandateBook, MandateCommand};
use crate::origin::OriginCommand;
use crate::phyto::{PhytoCommand, PhytoOutcome};
use crate::quarantine::{Permits, QuarantineCommand, QuarantineOutcome};
use crate::risk::{RiskCommand, RiskRows, RiskState, Targeting};
use guomen_domain::declaration::Declaration;
use guomen_domain::event::Subscription;
use guomen_domain::field::appointment::{Appointment, Schedule};
use guomen_domain::field::evidence::RemoteInspection;
use guomen_domain::field::survey::SurveyPlan;
use guomen_domain::party::Enterprise;
use guomen_domain::quarantine::lab::Sample;
use guomen_domain::quarantine::permit::Permit;
use guomen_domain::risk::RuleSet;
use sqlx::AnyConnection;
use std::sync::Arc;

/// Every change Guomen can make, by family. A command is moved once into the writer's queue,
/// so the filing's size is not worth a box.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)]
pub enum Command {
    /// Enterprises, users, API tokens, webhook subscriptions.
    Admin(AdminCommand),
    /// The rule set targeting decides with.
    Risk(RiskCommand),
    /// The declaration spine: filing to release, and the declaration's quarantine steps.
    Declaration(DeclarationCommand),
    /// Quarantine permits and laboratory samples.
    Quarantine(QuarantineCommand),
    /// Field surveys, appointments and remote inspection.
    Field(FieldCommand),
    /// Cross-border e-commerce messages, officers' steps on inventory lists, guarantees.
    Ceb(CebCommand),
    /// Console sessions and sign-in lock-outs.
    Console(ConsoleCommand),
    /// Mandates enterprises give agents (委托), and their revocation.
    Mandate(MandateCommand),
    /// Certificates of origin: applications, amendments, officers' decisions.
    Origin(OriginCommand),
    /// Phytosanitary certificates: applications, issue, replacement, withdrawal, receipt.
    Phyto(PhytoCommand),
    /// Delivery bookkeeping from the webhook dispatcher.
    Delivery(DeliveryCommand),
}

macro_rules! command_from {
    ($($family:ident($command:ty)),* $(,)?) => {
        $(impl From<$command> for Command {
            fn from(c: $command) -> Self {
                Command::$family(c)
            }
        })*
    };
}

command_from!(
    Admin(AdminCommand),
    Risk(RiskCommand),
    Declaration(DeclarationCommand),
    Quarantine(QuarantineCommand),
    Field(FieldCommand),
    Ceb(CebCommand),
    Console(ConsoleCommand),
    Mandate(MandateCommand),
    Origin(OriginCommand),
    Phyto(PhytoCommand),
    Delivery(DeliveryCommand),
);

/// What a command produced.
#[derive(Debug, Clone)]
pub enum Outcome {
    Done,
    Enterprise(Enterprise),
    Subscription(Subscription),
    /// An API token as issued or revoked.
    Token(crate::admin::tokens::TokenRow),
    Rules(Arc<RuleSet>),
    Declaration {
        record: Box<Declaration>,
        replayed: bool,
    },
    Declarations(Vec<Declaration>),
    Permit(Box<Permit>),
    /// A sample, and its declaration when the step changed it.
    Sample {
        sample: Box<Sample>,
        declaration: Option<Box<Declaration>>,
    },
    SurveyPlan(Box<SurveyPlan>),
    Schedule(Schedule),
    Appointment(Box<Appointment>),
    Remote(Box<RemoteInspection>),
    /// The answers to a cross-border e-commerce message.
    Ceb(CebAnswer),
    Inventory(Box<guomen_domain::ceb::InventoryRecord>),
    Guarantee(guomen_domain::ceb::Guarantee),
    Console(ConsoleOutcome),
    Mandate(Box<guomen_domain::mandate::Mandate>),
    Origin(Box<guomen_domain::origin::OriginCertificate>),
    Phyto(Box<guomen_domain::phyto::PhytoCertificate>),
    /// A phytosanitary certificate received, and whether it is new.
    PhytoReceived {
        certificate: Box<guomen_domain::phyto::ReceivedCertificate>,
        new: bool,
    },
}

impl From<PhytoOutcome> for Outcome {
    fn from(o: PhytoOutcome) -> Self {
        match o {
            PhytoOutcome::Certificate(c) => Outcome::Phyto(c),
            PhytoOutcome::Received(certificate, new) => Outcome::PhytoReceived { certificate, new },
        }
    }
}

impl From<AdminOutcome> for Outcome {
    fn from(o: AdminOutcome) -> Self {
        match o {
            AdminOutcome::Enterprise(e) => Outcome::Enterprise(e),
            AdminOutcome::Subscription(s) => Outcome::Subscription(s),
            AdminOutcome::Token(t) => Outcome::Token(t),
            AdminOutcome::Done => Outcome::Done,
        }
    }
}

impl From<DeclarationOutcome> for Outcome {
    fn from(o: DeclarationOutcome) -> Self {
        match o {
            DeclarationOutcome::Record { record, replayed } => Outcome::Declaration { record, replayed },
            DeclarationOutcome::Arrived(v) => Outcome::Declarations(v),
        }
    }
}

impl From<QuarantineOutcome> for Outcome {
    fn from(o: QuarantineOutcome) -> Self {
        match o {
            QuarantineOutcome::Permit(p) => Outcome::Permit(p),
            QuarantineOutcome::Sample { sample, declaration } => Outcome::Sample { sample, declaration },
        }
    }
}

impl From<FieldOutcome> for Outcome {
    fn from(o: FieldOutcome) -> Self {
        match o {
            FieldOutcome::Plan(p) => Outcome::SurveyPlan(p),
            FieldOutcome::Schedule(s) => Outcome::Schedule(s),
            FieldOutcome::Appointment(a) => Outcome::Appointment(a),
            FieldOutcome::Remote(r) => Outcome::Remote(r),
        }
    }
}

impl From<CebOutcome> for Outcome {
    fn from(o: CebOutcome) -> Self {
        match o {
            CebOutcome::Answer(a) => Outcome::Ceb(a),
            CebOutcome::Inventory(i) => Outcome::Inventory(i),
            CebOutcome::Guarantee(g) => Outcome::Guarantee(g),
        }
    }
}

/// What the families keep in the writer's memory between batches.
pub struct State {
    pub admin: AdminState,
    pub risk: RiskState,
    pub ceb: CebState,
    pub mandates: MandateBook,
    /// The signing keys documents are signed with when issued (set by `Store::open_with`; not
    /// reloaded after a failed batch).
    pub keys: Arc<crate::keys::Keyring>,
}

/// What one batch buffers for the families.
#[derive(Default)]
pub struct Rows {
    admin: AdminRows,
    risk: RiskRows,
    declaration: DeclarationRows,
    ceb: CebRows,
}

/// Every table a family writes and the tables of others it reads (the kernel's own — journal,
/// outbox, deliveries, idempotency, counters — are the kernel's). `tidy_sql_stays_in_its_family`
/// holds each family's SQL to them.
#[cfg(test)]
pub(crate) const TABLES: &[(&str, &[&str], &[&str])] = &[
    ("admin", crate::admin::WRITES, crate::admin::READS),
    ("risk", crate::risk::WRITES, crate::risk::READS),
    ("declaration", crate::declaration::WRITES, crate::declaration::READS),
    ("quarantine", crate::quarantine::WRITES, crate::quarantine::READS),
    ("field", crate::field::WRITES, crate::field::READS),
    ("ceb", crate::ceb::WRITES, crate::ceb::READS),
    ("console", crate::console::WRITES, crate::console::READS),
    ("delivery", crate::delivery::WRITES, crate::delivery::READS),
    ("mandate", crate::mandate::WRITES, crate::mandate::READS),
    ("origin", crate::origin::WRITES, crate::origin::READS),
    ("phyto", crate::phyto::WRITES, crate::phyto::READS),
];

fn into<T: Into<Outcome>>(h: Handled<T>) -> Handled<Outcome> {
    h.map(|r| r.map(Into::into))
}

/// The store's families, as the kernel's writer runs them.
pub struct Registry;

impl Families for Registry {
    type Command = Command;
    type Outcome = Outcome;
    type State = State;
    type Rows = Rows;

    async fn load(conn: &mut AnyConnection) -> Result<State, sqlx::Error> {
        let admin = AdminState::load(conn).await?;
        let risk = RiskState::load(conn).await?;
        let ceb = CebState::load(conn, crate::kernel::now_ms(), risk.rules.identity_guard.window_ms()).await?;
        let mandates = MandateBook::load(conn).await?;
        Ok(State { admin, risk, ceb, mandates, keys: Arc::new(crate::keys::Keyring::ephemeral()) })
    }

    fn reload(state: &mut State, loaded: State) {
        state.admin.replace(loaded.admin);
        state.risk.replace(loaded.risk);
        state.ceb = loaded.ceb;
        state.mandates = loaded.mandates;
    }

    async fn execute<'a>(tx: &'a mut Tx<'_>, st: &'a mut State, rows: &'a mut Rows, command: &'a Command) -> Handled<Outcome> {
        let parties = Parties { directory: &st.admin.directory, registered: &rows.admin.registered };
        match command {
            Command::Admin(c) => into(crate::admin::execute(tx, &st.admin, &mut rows.admin, c).await),
            Command::Risk(c) => crate::risk::execute(tx, &mut st.risk, &mut rows.risk, c).await.map(|r| r.map(Outcome::Rules)),
            Command::Declaration(c) => {
                let mut spine = Spine { rows: &mut rows.declaration };
                let mut targeting = Targeting::new(&st.risk, &mut rows.risk);
                into(crate::declaration::execute(tx, &mut spine, &parties, &st.mandates, &mut targeting, Permits, c).await)
            }
            Command::Quarantine(c) => {
                let mut spine = Spine { rows: &mut rows.declaration };
                into(crate::quarantine::execute(tx, &mut spine, &parties, c).await)
            }
            Command::Field(c) => {
                let spine = Spine { rows: &mut rows.declaration };
                into(crate::field::execute(tx, &spine, &parties, &st.mandates, c).await)
            }
            Command::Ceb(c) => {
                let mut ceb = Ceb {
                    state: &mut st.ceb,
                    rows: &mut rows.ceb,
                    targeting: Targeting::new(&st.risk, &mut rows.risk),
                    parties,
                    mandates: &st.mandates,
                };
                into(crate::ceb::execute(tx, &mut ceb, c).await)
            }
            Command::Console(c) => crate::console::execute(tx, c).await.map(|r| r.map(Outcome::Console)),
            Command::Mandate(c) => {
                crate::mandate::execute(tx, &mut st.mandates, &parties, c).await.map(|r| r.map(|m| Outcome::Mandate(Box::new(m))))
            }
            Command::Origin(c) => {
                crate::origin::execute(tx, &parties, &st.risk.rules, &st.keys, c).await.map(|r| r.map(|c| Outcome::Origin(Box::new(c))))
            }
            Command::Phyto(c) => {
                let spine = Spine { rows: &mut rows.declaration };
                into(crate::phyto::execute(tx, &spine, &parties, &st.keys, c).await)
            }
            Command::Delivery(c) => crate::delivery::execute(tx, c).await.map(|r| r.map(|()| Outcome::Done)),
        }
    }

    fn before_flush(journal: &mut Journal<'_>, state: &mut State, now_ms: i64) {
        crate::ceb::before_flush(journal, &mut state.ceb, now_ms);
    }

    async fn flush<'a>(rows: &'a mut Rows, conn: &'a mut AnyConnection) -> Result<(), sqlx::Error> {
        rows.ceb.flush(conn).await?;
        rows.declaration.flush(conn).await?;
        rows.risk.flush(conn).await
    }

    fn after_commit(state: &mut State, rows: &Rows) {
        state.risk.after_commit(&rows.risk);
        let mut directory = state.admin.directory.write().expect("directory lock");
        for e in &rows.admin.registered {
            directory.remember(e);
        }
    }
}

#[cfg(test)]
mod tidy {
    use super::TABLES;
    use std::collections::BTreeSet;
    use std::path::Path;

    /// The tables a piece of source text's SQL writes and reads: the identifier after
    /// `INSERT INTO`, `UPDATE` (not `DO UPDATE`) and `DELETE FROM`, and after `FROM` and `JOIN`;
    /// a table declared for writing (`Table { name: "…", … }`, whose statements are made at run
    /// time) is written too.
    fn tables(text: &str) -> (BTreeSet<String>, BTreeSet<String>) {
        let mut declared = BTreeSet::new();
        for (i, _) in text.match_indices("Table {") {
            let rest = text[i + "Table {".len()..].trim_start();
            if let Some(name) = rest.strip_prefix("name:").map(str::trim_start).and_then(|r| r.strip_prefix('"')) {
                declared.extend(name.split('"').next().map(str::to_owned));
            }
        }
        // `{name}` in a format string is a table chosen at run time, not a table name: it reads
        // as `RUNTIME`, which no table is called. Other braces (blocks, struct literals) stay.
        let mut plain = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(i) = rest.find('{') {
            plain.push_str(&rest[..i]);
            let after = &rest[i + 1..];
            let arg = after.find('}').filter(|&j| after[..j].chars().all(|c| c.is_ascii_alphanumeric() || "_.:".contains(c)));
            match arg {
                Some(j) => {
                    plain.push_str(" RUNTIME ");
                    rest = &after[j + 1..];
                }
                None => {
                    plain.push('{');
                    rest = after;
                }
            }
        }
        plain.push_str(rest);
        let text = plain.as_str();
        let words: Vec<&str> = text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).filter(|w| !w.is_empty()).collect();
        let table = |w: Option<&&str>| w.filter(|w| w.chars().all(|c| c.is_ascii_lowercase() || c == '_')).map(|w| w.to_string());
        let (mut writes, mut reads) = (BTreeSet::new(), BTreeSet::new());
        for i in 0..words.len() {
            let prev = if i > 0 { words[i - 1] } else { "" };
            match words[i] {
                "INTO" if prev == "INSERT" => writes.extend(table(words.get(i + 1))),
                "UPDATE" if prev != "DO" => writes.extend(table(words.get(i + 1))),
                "FROM" if prev == "DELETE" => writes.extend(table(words.get(i + 1))),
                "FROM" | "JOIN" => reads.extend(table(words.get(i + 1))),
                _ => {}
            }
        }
        writes.extend(declared);
        (writes, reads)
    }

    fn source_of(dir: &Path, out: &mut String) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                source_of(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push_str(&std::fs::read_to_string(&path).unwrap());
            }
        }
    }

    /// Each family writes only its own tables and reads only its own and those it declares.
    #[test]
    fn sql_stays_in_its_family() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut owner = std::collections::BTreeMap::new();
        for (family, writes, _) in TABLES {
            for t in *writes {
                assert!(owner.insert(*t, *family).is_none(), "table {t} is written by two families");
            }
        }
        // Start-up markers (which one-off rebuilds were done) may be set by any family.
        const SHARED: &[&str] = &["console_state"];
        let mut wrong = Vec::new();
        for (family, writes, reads) in TABLES {
            let mut text = String::new();
            source_of(&src.join(family), &mut text);
            assert!(!text.is_empty(), "no source for family {family}");
            let (w, r) = tables(&text);
            for t in w.iter().filter(|t| !writes.contains(&t.as_str()) && !SHARED.contains(&t.as_str())) {
                wrong.push(format!("family {family} writes {t}, which is not one of its tables {writes:?}"));
            }
            for t in r.iter().filter(|t| !writes.contains(&t.as_str()) && !reads.contains(&t.as_str()) && !SHARED.contains(&t.as_str())) {
                let whose = owner.get(t.as_str()).map(|f| format!("a table of {f}")).unwrap_or_else(|| "not a family's table".into());
                wrong.push(format!("family {family} reads {t} ({whose}), which it does not declare"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    /// `verify --views` (`replay/`) is no family: it writes nothing, and reads only the tables
    /// it declares (`replay::READS`).
    #[test]
    fn the_views_check_writes_nothing_and_reads_what_it_declares() {
        let mut text = String::new();
        source_of(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src/replay"), &mut text);
        assert!(!text.is_empty(), "no source for replay/");
        let (w, r) = tables(&text);
        assert!(w.is_empty(), "replay/ writes {w:?}");
        let undeclared: Vec<&String> = r.iter().filter(|t| !crate::replay::READS.contains(&t.as_str())).collect();
        assert!(undeclared.is_empty(), "replay/ reads {undeclared:?}, which replay::READS does not declare");
    }

    #[test]
    fn the_scanner_sees_writes_and_reads() {
        let (w, r) = tables("\"INSERT INTO a (x) VALUES ($1) ON CONFLICT (x) DO UPDATE SET x = 1\"; \"UPDATE b SET\"; \"DELETE FROM c\"; \"SELECT x FROM d JOIN e ON\"");
        assert_eq!(w.into_iter().collect::<Vec<_>>(), ["a", "b", "c"]);
        assert_eq!(r.into_iter().collect::<Vec<_>>(), ["d", "e"]);
        let (w, _) = tables("const T: Table =\n    Table { name: \"t\", columns: &[\"a\"], key: 1 };");
        assert_eq!(w.into_iter().collect::<Vec<_>>(), ["t"]);
        let (w, r) = tables("fn f() { q(&format!(\"SELECT doc FROM {table}\")); q(\"DELETE FROM g WHERE {x:?}\") }");
        assert_eq!((w.into_iter().collect::<Vec<_>>(), r.into_iter().collect::<Vec<_>>()), (vec!["g".to_owned()], vec![]));
    }
}
