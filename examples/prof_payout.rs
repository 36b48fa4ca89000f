fn main() {
    let text = std::fs::read_to_string("tests/cases/good/twenty_series.charter").unwrap();
    let c = charter::check::load(&charter::diagnostic::Source::new("t", text)).unwrap();
    for _ in 0..20 {
        std::hint::black_box(charter::query::run(&c, "q", "payout $600M").unwrap());
    }
}
