//! The command line's arguments, as clap reads them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Reads corporate charters written in the charter language and answers
/// questions about them.
#[derive(Debug, Parser)]
#[command(name = "charter", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Read the charter under another of the readings its file offers,
    /// `--reading 'day count=actual/actual'` (repeatable); `charter check`
    /// lists them.
    #[arg(long = "reading", global = true, value_name = "READING=ALTERNATIVE")]
    pub readings: Vec<String>,
}

/// Output formats.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// Aligned tables and an explanation.
    Table,
    /// JSON: one object per answer, each on its own line.
    Json,
}

/// Output formats of the figures-only commands (`payout`, `breakpoints`, `curve`).
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Figures {
    /// Aligned tables and an explanation.
    Table,
    /// One JSON object.
    Json,
    /// Comma-separated values with a header row.
    Csv,
}

/// `--format table|json` and its shorthand `--json`.
#[derive(Debug, Clone, Copy, Args)]
pub struct FormatArg {
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Shorthand for `--format json`.
    #[arg(long, conflicts_with = "format")]
    json: bool,
}

impl FormatArg {
    /// The format asked for.
    pub fn get(self) -> Format {
        if self.json { Format::Json } else { self.format }
    }
}

/// `--format table|json|csv` and its shorthands `--json`, `--csv`.
#[derive(Debug, Clone, Copy, Args)]
pub struct FiguresArg {
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Figures,
    /// Shorthand for `--format json`.
    #[arg(long, conflicts_with_all = ["format", "csv"])]
    json: bool,
    /// Shorthand for `--format csv`.
    #[arg(long, conflicts_with = "format")]
    csv: bool,
}

impl FiguresArg {
    /// The format asked for.
    pub fn get(self) -> Figures {
        match (self.json, self.csv) {
            (true, _) => Figures::Json,
            (_, true) => Figures::Csv,
            _ => self.format,
        }
    }
}

/// The formats a cap table is imported from.
#[derive(Debug, Subcommand)]
pub enum ImportFrom {
    /// The Open Cap Format: a manifest and the JSON files it names, a
    /// folder holding one manifest, or a single OCF file.
    Ocf {
        /// The OCF manifest, folder or file.
        path: PathBuf,
        /// The `.charter` file to write (printed when not given).
        #[arg(long, short = 'o')]
        out: Option<PathBuf>,
        /// Replace the `--out` file if it exists (a charter whose gaps are
        /// filled in is not overwritten by accident).
        #[arg(long)]
        force: bool,
    },
}

/// The formats a charter is exported to.
#[derive(Debug, Subcommand)]
pub enum ExportTo {
    /// The Open Cap Format: a manifest, stock classes, stakeholders, stock
    /// plans and transactions.
    Ocf {
        /// The `.charter` file.
        file: PathBuf,
        /// The folder to write the OCF files into (default: the charter's
        /// name with `-ocf`, beside it; made if missing, not the folders
        /// it is in).
        #[arg(long, short = 'o')]
        out: Option<PathBuf>,
        /// Replace OCF files already in the folder.
        #[arg(long)]
        force: bool,
        /// Statements run first, in order (`--after 'issue 2_000_000 Common
        /// at $3.00 on 2024-03-01'`); the conversion-ratio adjustments and
        /// splits they make are exported as dated transactions.
        #[arg(long = "after", value_name = "STATEMENT")]
        after: Vec<String>,
        /// The issuer's formation date, which a charter does not state
        /// (default: the charter's filing date, noted in the issuer's
        /// comments).
        #[arg(long, value_name = "YYYY-MM-DD")]
        formation_date: Option<String>,
    },
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a charter file and report every problem in it.
    Check {
        /// The `.charter` file.
        file: PathBuf,
    },
    /// Who receives what when the company is sold or liquidated.
    Payout {
        /// The `.charter` file.
        file: PathBuf,
        /// Amount distributed, with its dollar sign in single quotes:
        /// `'$50M'`, `'$1.5B'`, `'$750K'`, `'$50,000,000'`.
        #[arg(allow_hyphen_values = true)]
        amount: String,
        /// A deemed liquidation event (`merger`, `asset-sale`, or its name in the charter).
        #[arg(long)]
        event: Option<String>,
        #[command(flatten)]
        format: FiguresArg,
    },
    /// Every exit value at which a payout bends (or jumps), why, and who
    /// takes the next dollar.
    Breakpoints {
        /// The `.charter` file.
        file: PathBuf,
        /// A deemed liquidation event (`merger`, `asset-sale`, or its name in the charter).
        #[arg(long)]
        event: Option<String>,
        /// Only the breakpoints up to this exit (`'$100M'`).
        #[arg(long)]
        to: Option<String>,
        #[command(flatten)]
        format: FiguresArg,
    },
    /// Payouts per class, pool and named holder along a range of exits,
    /// written row by row.
    Curve {
        /// The `.charter` file.
        file: PathBuf,
        /// The first exit: `0`, `'$10M'`.
        #[arg(allow_hyphen_values = true)]
        from: String,
        /// The last exit: `'$200M'`.
        #[arg(allow_hyphen_values = true)]
        to: String,
        /// So many equal steps (100 unless `--by` is given).
        #[arg(long, conflicts_with = "by")]
        steps: Option<u64>,
        /// A fixed step: `'$1M'`.
        #[arg(long)]
        by: Option<String>,
        /// A deemed liquidation event (`merger`, `asset-sale`, or its name in the charter).
        #[arg(long)]
        event: Option<String>,
        #[command(flatten)]
        format: FiguresArg,
        /// Write a curve of more than 1 GB of output.
        #[arg(long)]
        force: bool,
    },
    /// The least exit at which a class, named holder, pool or group receives
    /// a target: `charter solve FILE 'Series B receives $10M'` (or `3x its
    /// investment`, `$2.50 per share`; `'"Ada" and "Ben" receive $20M'`).
    Solve {
        /// The `.charter` file.
        file: PathBuf,
        /// Who receives what: `'B receives $10M'`, `'"Fund, L.P." receives 2x its investment'`.
        goal: String,
        /// A deemed liquidation event (`merger`, `asset-sale`, or its name in the charter).
        #[arg(long)]
        event: Option<String>,
        /// Statements run first, in order, to set the scenario: `--after
        /// 'issue 1_000_000 C at $2.00'` (repeatable).
        #[arg(long = "after", value_name = "STATEMENT")]
        after: Vec<String>,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Two charters side by side: each party's payout under A and B (classes
    /// and pools, or with `--holders` holders, groups and pools: every
    /// dollar) and the difference at every breakpoint of either, where each
    /// gains and loses most, and which clauses differ.
    Compare {
        /// Charter A (the baseline).
        a: PathBuf,
        /// Charter B.
        b: PathBuf,
        /// The first exit (`0`); with TO, the range compared (else $0 to a
        /// little past the last breakpoint).
        #[arg(requires = "to")]
        from: Option<String>,
        /// The last exit (`'$200M'`).
        to: Option<String>,
        /// A deemed liquidation event both charters state.
        #[arg(long)]
        event: Option<String>,
        /// Statements run first on both charters, in order (repeatable).
        #[arg(long = "after", value_name = "STATEMENT")]
        after: Vec<String>,
        #[command(flatten)]
        format: FiguresArg,
        /// Named holders (and the rest of each class) instead of classes;
        /// pools either way.
        #[arg(long)]
        holders: bool,
        /// Also draw each class under A (solid) and B (dashed) as SVG.
        #[arg(long, value_name = "FILE.svg")]
        chart: Option<PathBuf>,
        /// Replace the `--chart` file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Draw each class's payout against the exit as an SVG chart, the
    /// breakpoints marked and their causes listed.
    Chart {
        /// The `.charter` file.
        file: PathBuf,
        /// The first exit (`0`); with TO, the range drawn (else $0 to a
        /// little past the last breakpoint).
        #[arg(requires = "to")]
        from: Option<String>,
        /// The last exit (`'$200M'`).
        to: Option<String>,
        /// A deemed liquidation event (`merger`, `asset-sale`, or its name in the charter).
        #[arg(long)]
        event: Option<String>,
        /// Value per common-equivalent share instead of amounts (drawn as lines).
        #[arg(long)]
        per_share: bool,
        /// Named holders (and the rest of each class) instead of classes.
        #[arg(long)]
        holders: bool,
        /// A line per party instead of stacked areas.
        #[arg(long)]
        lines: bool,
        /// Statements run first, in order, to set the scenario (repeatable).
        #[arg(long = "after", value_name = "STATEMENT")]
        after: Vec<String>,
        /// The SVG file to write.
        #[arg(long, short = 'o', value_name = "FILE.svg")]
        out: PathBuf,
        /// Replace the `--out` file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Each class's, pool's and named holder's value by the option pricing
    /// method, with the tranches behind it.
    Value {
        /// The `.charter` file.
        file: PathBuf,
        /// Total equity value today: `'$100M'`.
        #[arg(
            long,
            required_unless_present = "backsolve",
            conflicts_with = "backsolve"
        )]
        equity: Option<String>,
        /// Instead of `--equity`: the equity value at which a class (or pool,
        /// named holder or group, as the tables name it) is worth a price a
        /// share, `'Series B=$2.10'`, `'2024 Plan (options)=$0.40'`.
        #[arg(long, value_name = "PARTY=PRICE")]
        backsolve: Option<String>,
        /// Volatility a year: `55%`.
        #[arg(long)]
        volatility: String,
        /// Time to the exit: `3.5` or `3y` (years), `36 months` or `18m`.
        #[arg(long)]
        term: String,
        /// Risk-free rate a year: `4.2%` (or negative, `-0.5%`).
        #[arg(long, allow_hyphen_values = true)]
        rate: String,
        /// A deemed liquidation event (`merger`, `asset-sale`, or its name in the charter).
        #[arg(long)]
        event: Option<String>,
        /// Statements run first, in order, to set the scenario (repeatable).
        #[arg(long = "after", value_name = "STATEMENT")]
        after: Vec<String>,
        #[command(flatten)]
        format: FiguresArg,
    },
    /// Serve a local web page (127.0.0.1 only) for reading and asking a
    /// charter: an editor checked as you type, an exit explorer, and the
    /// JSON API it uses. The first line printed is the address.
    Serve {
        /// A folder of `.charter` files, or one file (the current folder if
        /// none).
        path: Option<PathBuf>,
        /// The port; 0 picks a free one.
        #[arg(long, default_value_t = 8080)]
        port: u16,
    },
    /// Read a cap table from another format into a `.charter` file.
    Import {
        /// The format.
        #[command(subcommand)]
        from: ImportFrom,
    },
    /// Write a charter's stock classes (and what scenario events did to
    /// them) in another format.
    Export {
        /// The format.
        #[command(subcommand)]
        to: ExportTo,
    },
    /// Print a shell's completion script: `charter completions bash >
    /// ~/.local/share/bash-completion/completions/charter`.
    Completions {
        /// The shell: bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// Write a commented template of a one-series charter, NAME.charter,
    /// that checks clean and explains each block.
    Init {
        /// The file's name (and the company's): `acme` writes `acme.charter`.
        #[arg(default_value = "company")]
        name: String,
    },
    /// Ask a charter questions interactively.
    Repl {
        /// The `.charter` file to load.
        file: Option<PathBuf>,
    },
    /// Whose consent an action needs and, given the votes, whether it passes.
    Approve {
        /// The `.charter` file.
        file: PathBuf,
        /// The action: `merger`, `asset-sale`, `create-senior-stock`, ...
        action: String,
        /// The votes for, as the statement writes them after `with`:
        /// `'Series A 100%, F 60% and "Fund, L.P." yes'`; or
        /// `'Series A=100%,F=60%,Fund L.P.=yes'`.
        #[arg(long)]
        yes: Option<String>,
        /// The price per share the action pays (`'$5.00'`), for provisions
        /// that depend on it.
        #[arg(long)]
        at: Option<String>,
        /// The date of the action (`2003-06-30`).
        #[arg(long)]
        on: Option<String>,
        /// The series the action affects differently: `'C, D'`.
        #[arg(long)]
        affecting: Option<String>,
        /// The share of the surviving entity the stockholders keep (`60%`),
        /// for consents a merger needs only when they do not keep control.
        #[arg(long)]
        keep: Option<String>,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Run the `expect` blocks of charters, and of their companion
    /// `NAME.charter.test` files; the last line is `N passed, M failed`.
    Test {
        /// Charter files, their `.charter.test` files, or folders to search
        /// for `.charter` files (the current folder if none).
        paths: Vec<PathBuf>,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Compare the answers of `snapshot` blocks with those recorded in
    /// `NAME.charter.snap` beside each charter, and show each difference.
    Snapshot {
        /// Charter files or folders (the current folder if none).
        paths: Vec<PathBuf>,
        /// Record every answer as it now is.
        #[arg(long, conflicts_with = "review")]
        update: bool,
        /// Show each difference and ask whether to accept it.
        #[arg(long)]
        review: bool,
    },
    /// Run statements of the query language in order, each argument one
    /// statement: `charter query FILE 'issue 1_000_000 Common at $2' 'conversion prices'`.
    Query {
        /// The `.charter` file.
        file: PathBuf,
        /// The statements.
        #[arg(required = true)]
        statements: Vec<String>,
        #[command(flatten)]
        format: FormatArg,
    },
}
