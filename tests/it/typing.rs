//! Nothing typed on the command line is misread: percentages carry `%`, a
//! term its unit, the shorthand flags mean what their long forms do, a party
//! is found by the name the tables show, a negative rate is a rate (checked
//! against a valuation by numerical integration that shares no code with
//! the program), and a refused target never reads as the figure asked for.
//! (Amounts and their `$`: `first_hour.rs`.)

use crate::common::{self, charter, stdout};

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// `value.rs`'s two series pari passu, common and warrants (its
/// breakpoints are worked by hand there), with 200,000 of A held by a fund.
fn small() -> String {
    crate::value::SMALL.replacen(
        "liquidation {",
        "holders {\n  \"Fund, L.P.\" 200_000 A\n}\nliquidation {",
        1,
    )
}

/// `charter value` on SMALL with these market arguments, as JSON.
fn value_json(file: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["value", file, "--equity", "$3M", "--json"];
    args.extend_from_slice(extra);
    let o = charter(&args);
    assert!(o.status.success(), "{extra:?}: {}", stderr(&o));
    serde_json::from_str(stdout(&o).trim()).unwrap()
}

/// `charter value` of $3M at 60%, two years and 4%, with `flag`'s value
/// replaced by `typed`.
fn valuation(file: &str, flag: &str, typed: &str) -> std::process::Output {
    let mut args = vec![
        "value",
        file,
        "--equity",
        "$3M",
        "--volatility",
        "60%",
        "--term",
        "2",
        "--rate",
        "4%",
    ];
    let at = args.iter().position(|a| *a == flag).unwrap() + 1;
    args[at] = typed;
    charter(&args)
}

#[test]
fn a_percentage_carries_its_sign_and_a_bare_one_is_refused_with_its_reading() {
    let file = common::written("small.charter", &small());
    for (flag, typed, guess) in [
        ("--volatility", "0.5", "did you mean 50%?"),
        ("--rate", "0.04", "did you mean 4%?"),
    ] {
        let o = valuation(&file, flag, typed);
        assert_eq!(o.status.code(), Some(1));
        assert!(stdout(&o).is_empty());
        let err = stderr(&o);
        assert!(err.contains("charter::cli::bare_percent"), "{err}");
        assert!(err.contains(guess), "{err}");
    }
}

#[test]
fn a_term_is_read_in_years_or_months() {
    let file = common::written("small.charter", &small());
    let market = |term: &str| {
        let v = value_json(
            &file,
            &["--volatility", "60%", "--rate", "4%", "--term", term],
        );
        (v["term"].clone(), v["classes"].clone())
    };
    let two_years = market("2");
    assert_eq!(two_years.0, "2");
    for same in ["2y", "2 years", "2 year", "24 months", "24m", "24mo"] {
        assert_eq!(market(same), two_years, "{same}");
    }
    let eighteen = market("18m");
    assert_eq!(eighteen.0, "1.5");
    assert_eq!(market("1.5"), eighteen);
    let o = valuation(&file, "--term", "2 weeks");
    assert!(
        stderr(&o).contains("`2 weeks` is not a term"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn shorthand_flags_mean_their_long_forms() {
    let file = common::written("small.charter", &small());
    let run = |args: &[&str]| {
        let o = charter(args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        stdout(&o)
    };
    for command in [&["payout", &file, "$3M"][..], &["breakpoints", &file][..]] {
        let with = |extra: &[&str]| run(&[command, extra].concat());
        assert_eq!(with(&["--json"]), with(&["--format", "json"]));
        assert_eq!(with(&["--csv"]), with(&["--format", "csv"]));
        assert!(with(&["--json"]).starts_with('{'));
    }
    let q = run(&["query", &file, "payout $3M", "--json"]);
    assert!(q.starts_with("{\"assumptions\""), "{q}");
    let out = std::env::temp_dir().join(format!("typing-{}.svg", std::process::id()));
    let svg = out.to_string_lossy().to_string();
    run(&["chart", &file, "-o", &svg]);
    assert!(std::fs::read_to_string(&out).unwrap().starts_with("<svg"));
    std::fs::remove_file(&out).unwrap();
    // An option misspelled is named with the closest one.
    let o = charter(&["compare", &file, &file, "--holdrs"]);
    assert!(
        stderr(&o).contains("a similar argument exists: '--holders'"),
        "{}",
        stderr(&o)
    );
    // `compare --holders` compares holders (it answered "missing <TO>").
    let table = run(&["compare", &file, &file, "--holders"]);
    assert!(table.contains("Fund, L.P."), "{table}");
    assert!(table.contains("other holders of"), "{table}");
}

#[test]
fn a_party_is_found_by_the_name_the_tables_show() {
    let file = common::written("small.charter", &small());
    let market = ["--volatility", "60%", "--term", "2", "--rate", "4%"];
    for who in ["Lender (warrants)", "Fund, L.P.", "Series A", "A"] {
        let backsolve = format!("{who}=$0.60");
        let mut args = vec!["value", &file, "--backsolve", &backsolve];
        args.extend_from_slice(&market);
        let o = charter(&args);
        assert!(o.status.success(), "{who}: {}", stderr(&o));
        let shown = who
            .replace("A", "Series A")
            .replace("Series Series A", "Series A");
        assert!(
            stdout(&o).contains(&format!("at which {shown} is worth $0.60 a share")),
            "{who}: {}",
            stdout(&o)
        );
    }
}

/// The standard normal density.
fn phi(z: f64) -> f64 {
    (-z * z / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// Series A's payout at exit `s` in SMALL, by hand (`value.rs`): half of
/// the first $2M, then its $1M preference, and from $4.1M (where its
/// 500,000 shares at (S + $100,000) / 2,100,000 are worth $2) 5/21 of
/// S + $100,000 as converted.
fn series_a(s: f64) -> f64 {
    if s < 2.0e6 {
        s / 2.0
    } else if s < 4.1e6 {
        1.0e6
    } else {
        5.0 / 21.0 * (s + 1.0e5)
    }
}

/// e^(−rT) E[A(S_T)] with S_T = V e^((r − σ²/2)T + σ√T Z): Simpson's rule
/// over Z on each stretch between A's kinks (where the integrand is
/// smooth), from −12 to 12 standard deviations.
fn series_a_by_integration(v: f64, sigma: f64, t: f64, r: f64) -> f64 {
    let sd = sigma * t.sqrt();
    let drift = (r - sigma * sigma / 2.0) * t;
    let z_of = |k: f64| ((k / v).ln() - drift) / sd;
    let mut cuts = [-12.0, z_of(2.0e6), z_of(4.1e6), 12.0];
    cuts.sort_by(f64::total_cmp);
    let f = |z: f64| series_a(v * (drift + sd * z).exp()) * phi(z);
    let mut total = 0.0;
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let n = 20_000;
        let h = (b - a) / n as f64;
        let mut sum = f(a) + f(b);
        for i in 1..n {
            sum += f(a + h * i as f64) * if i % 2 == 1 { 4.0 } else { 2.0 };
        }
        total += sum * h / 3.0;
    }
    (-r * t).exp() * total
}

#[test]
fn a_negative_rate_is_a_rate() {
    let file = common::written("small.charter", &small());
    for rate in ["-1%", "-0.5%", "4%"] {
        let v = value_json(
            &file,
            &["--volatility", "60%", "--term", "2", "--rate", rate],
        );
        let a = v["classes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "Series A")
            .unwrap()["value"]
            .as_str()
            .unwrap()
            .parse::<f64>()
            .unwrap();
        let r: f64 = rate.trim_end_matches('%').parse::<f64>().unwrap() / 100.0;
        let reference = series_a_by_integration(3.0e6, 0.6, 2.0, r);
        assert!(
            (a - reference).abs() < 0.02,
            "rate {rate}: charter {a}, integration {reference}"
        );
    }
    // The 4% case is the one worked from the formula in value.rs.
    assert!((series_a_by_integration(3.0e6, 0.6, 2.0, 0.04) - 936_379.11).abs() < 0.02);
}

/// A preference that never converts is worth, as the equity grows without
/// end, its amount discounted: $1.00 × e^(−4% × 2) = $0.9231163 a share. A
/// target just above that is refused, and the message shows the most the
/// class is worth to as many places as it takes to read below the target.
#[test]
fn a_target_beyond_reach_never_reads_as_reached() {
    let file = common::written(
        "capped.charter",
        "charter \"Capped, Inc.\" { filed 2020-01-01 }\n\
         stock Common { common outstanding 1_000_000 }\n\
         stock A \"Series A\" { preferred outstanding 1_000_000 original issue price $1.00 }\n\
         liquidation { preference A: 1x original issue price  A does not participate }\n\
         conversion { A does not convert }\n",
    );
    for (price, most) in [
        ("$0.93", "$0.92 at $10^16"),
        ("$0.9232", "$0.9231 at $10^16"),
        // $0.9231163 reads as $0.92312 to five places: shown to six.
        ("$0.92312", "$0.923116 at $10^16"),
    ] {
        let backsolve = format!("A={price}");
        let o = charter(&[
            "value",
            &file,
            "--backsolve",
            &backsolve,
            "--volatility",
            "50%",
            "--term",
            "2",
            "--rate",
            "4%",
        ]);
        assert_eq!(o.status.code(), Some(1), "{price}");
        let err = stderr(&o).replace('\n', " ").replace("│", "");
        let err = err.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(err.contains(&format!("worth {price} a share")), "{err}");
        assert!(err.contains(most), "{price}: {err}");
    }
    // Just below the limit, it is reached.
    let o = charter(&[
        "value",
        &file,
        "--backsolve",
        "A=$0.92",
        "--volatility",
        "50%",
        "--term",
        "2",
        "--rate",
        "4%",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("Series A is worth $0.92 a share"),
        "{}",
        stdout(&o)
    );
}
