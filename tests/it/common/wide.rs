//! Wide charters for the tests and benchmarks of size: `n` series each with
//! a preference and a conversion price, joined into one rank by a single
//! `pari passu` clause (a chain of joins for the checker).

/// The charter text of `n` such series (and common).
pub fn pari_passu_series(n: usize) -> String {
    let mut t = String::from(
        "charter \"Wide\" { filed 2024-01-01 }\nstock Common { common outstanding 1_000 }\n",
    );
    for i in 0..n {
        t.push_str(&format!(
            "stock S{i} {{ preferred outstanding 10 original issue price $1 conversion price $1 }}\n"
        ));
    }
    let all: Vec<String> = (0..n).map(|i| format!("S{i}")).collect();
    t.push_str(&format!(
        "liquidation {{\n  preference {0}: 1x original issue price\n  S0 pari passu with {1}\n  shortfall {0}: ratably by shares\n  {0} do not participate\n}}\nconversion {{ {0} convert at the holder's option }}\n",
        all.join(", "),
        all.get(1..).unwrap_or_default().join(", ")
    ));
    t
}
