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

/// `n` series in one pari passu rank, each owed and converting at its own
/// price ($1.00, $1.01, … : a "staircase"), non-participating: each
/// converts at its own exit, so the curve has a regime per series.
pub fn staircase(n: usize) -> String {
    let mut t = String::from(
        "charter \"Staircase\" { filed 2024-01-01 }\nstock Common { common outstanding 1_000 }\n",
    );
    for i in 0..n {
        let price = format!("${}.{:02}", 1 + i / 100, i % 100);
        t.push_str(&format!(
            "stock S{i} {{ preferred outstanding 10 original issue price {price} conversion price {price} }}\n"
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

/// `n` series in a chain, each senior to the one before, non-participating.
pub fn chain(n: usize) -> String {
    let mut t = String::from(
        "charter \"Chain\" { filed 2024-01-01 }\nstock Common { common outstanding 1_000 }\n",
    );
    for i in 0..n {
        t.push_str(&format!(
            "stock S{i} {{ preferred outstanding 10 original issue price $1 conversion price $1 }}\n"
        ));
    }
    let all: Vec<String> = (0..n).map(|i| format!("S{i}")).collect();
    t.push_str(&format!(
        "liquidation {{\n  preference {}: 1x original issue price\n",
        all.join(", ")
    ));
    for i in 1..n {
        t.push_str(&format!("  S{i} senior to S{}\n", i - 1));
    }
    t.push_str(&format!(
        "  {0} do not participate\n}}\nconversion {{ {0} convert at the holder's option }}\n",
        all.join(", ")
    ));
    t
}

/// `n` series in ranks of ten, each rank senior to the one before, pari
/// passu within it by full preferential amount, each participating up to
/// 3x its price in total (prices cycle $1.00 … $4.60).
pub fn mixed_ranks(n: usize) -> String {
    let mut t = String::from(
        "charter \"Mixed\" { filed 2024-01-01 }\nstock Common { common outstanding 100_000 }\n",
    );
    for i in 0..n {
        let price = format!("${}.{}0", 1 + (i % 37) / 10, (i % 37) % 10);
        t.push_str(&format!(
            "stock S{i} {{ preferred outstanding 1000 original issue price {price} conversion price {price} }}\n"
        ));
    }
    let all: Vec<String> = (0..n).map(|i| format!("S{i}")).collect();
    t.push_str(&format!(
        "liquidation {{\n  preference {}: 1x original issue price\n",
        all.join(", ")
    ));
    let ranks: Vec<Vec<String>> = all.chunks(10).map(<[String]>::to_vec).collect();
    for r in &ranks {
        if let [first, rest @ ..] = r.as_slice()
            && !rest.is_empty()
        {
            t.push_str(&format!("  {first} pari passu with {}\n", rest.join(", ")));
            t.push_str(&format!(
                "  shortfall {}: ratably by full preferential amount\n",
                r.join(", ")
            ));
        }
    }
    for w in ranks.windows(2) {
        if let [lower, upper] = w {
            t.push_str(&format!("  {} senior to {}\n", upper[0], lower[0]));
        }
    }
    t.push_str(&format!(
        "  {0} participate until 3x original issue price in total\n}}\nconversion {{ {0} convert at the holder's option }}\n",
        all.join(", ")
    ));
    t
}
