//! Wide charters for the tests and benchmarks of size: `n` series each with
//! a preference and a conversion price, joined into one rank by a single
//! `pari passu` clause (a chain of joins for the checker).

/// The charter text of `n` such series (and common).
pub fn pari_passu_series(n: usize) -> String {
    one_rank(n, "Wide", |_| "$1".to_string())
}

/// `n` series in one pari passu rank, each owed and converting at its own
/// price ($1.00, $1.01, … : a "staircase"), non-participating: each
/// converts at its own exit, so the curve has a regime per series.
pub fn staircase(n: usize) -> String {
    one_rank(n, "Staircase", cents_price)
}

/// $1.00 + i cents.
pub fn cents_price(i: usize) -> String {
    format!("${}.{:02}", 1 + i / 100, i % 100)
}

/// The opening of a generated charter and its `n` series of 10 shares, S{i}
/// at `price(i)`.
fn series(n: usize, title: &str, price: impl Fn(usize) -> String) -> (String, Vec<String>) {
    let mut t = format!(
        "charter \"{title}\" {{ filed 2024-01-01 }}\nstock Common {{ common outstanding 1_000 }}\n"
    );
    for i in 0..n {
        let p = price(i);
        t.push_str(&format!(
            "stock S{i} {{ preferred outstanding 10 original issue price {p} conversion price {p} }}\n"
        ));
    }
    (t, (0..n).map(|i| format!("S{i}")).collect())
}

/// `n` series at `price(i)` in one pari passu rank, shortfall by shares,
/// non-participating, each converting at the holder's option.
fn one_rank(n: usize, title: &str, price: impl Fn(usize) -> String) -> String {
    let (mut t, all) = series(n, title, price);
    t.push_str(&format!(
        "liquidation {{\n  preference {0}: 1x original issue price\n  S0 pari passu with {1}\n  shortfall {0}: ratably by shares\n  {0} do not participate\n}}\nconversion {{ {0} convert at the holder's option }}\n",
        all.join(", "),
        all.get(1..).unwrap_or_default().join(", ")
    ));
    t
}

/// `n` series in a chain, each senior to the one before, non-participating,
/// at $1 and converting at the holder's option.
pub fn chain(n: usize) -> String {
    chain_of(n, |_| "$1".to_string(), "convert at the holder's option")
}

/// `n` series in a chain, S{i} at `price(i)`, each senior to the one before,
/// non-participating, whose conversion is `converts` (`do not convert`).
pub fn chain_of(n: usize, price: impl Fn(usize) -> String, converts: &str) -> String {
    let (mut t, all) = series(n, "Chain", price);
    t.push_str(&format!(
        "liquidation {{\n  preference {}: 1x original issue price\n",
        all.join(", ")
    ));
    for i in 1..n {
        t.push_str(&format!("  S{i} senior to S{}\n", i - 1));
    }
    t.push_str(&format!(
        "  {0} do not participate\n}}\nconversion {{ {0} {converts} }}\n",
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
