//! A payout chart drawn as SVG with plotters: stacked areas (or a line per
//! party) against the exit, breakpoints as thin numbered vertical lines with
//! their causes listed under the plot, axes in readable money, a legend in
//! declaration order. Fixed size and no timestamps, so the same chart is
//! the same file.
//!
//! Positions are `f64` (plotters draws in them); every figure printed on the
//! chart — the breakpoints' exits, the axis labels — is formatted from a
//! decimal. PNG is not offered: plotters rasterizes text only with a font
//! library, and the binary carries none.

use plotters::prelude::*;
use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};

use crate::analysis::chart::Chart;
use crate::diagnostic::Kind;
use crate::num;

/// Viridis at eight even steps: lightness rises from each to the next, so
/// the parties stay apart printed in grey.
const PALETTE: [(u8, u8, u8); 8] = [
    (0x44, 0x01, 0x54),
    (0x46, 0x32, 0x7e),
    (0x36, 0x5c, 0x8d),
    (0x27, 0x7f, 0x8e),
    (0x1f, 0xa1, 0x87),
    (0x4a, 0xc1, 0x6d),
    (0xa0, 0xda, 0x39),
    (0xfd, 0xe7, 0x25),
];

/// The breakpoints' lines: a grey no party is drawn in.
const MARKER: RGBColor = RGBColor(0x88, 0x88, 0x88);

/// The plot's size; the list of breakpoints adds a line each below it.
const WIDTH: u32 = 1000;
const HEIGHT: u32 = 600;
const NOTE_LINE: u32 = 18;

/// The colour of party `i`.
pub fn color(i: usize) -> RGBColor {
    let (r, g, b) = PALETTE
        .get(i.checked_rem(PALETTE.len()).unwrap_or(0))
        .copied()
        .unwrap_or((0, 0, 0));
    RGBColor(r, g, b)
}

/// A decimal as a drawing position.
fn pos(x: Decimal) -> f64 {
    x.to_f64().unwrap_or(0.0)
}

/// An axis label: `$0`, `$500K`, `$50M`, `$1.5B`; per share, `$1.25`.
pub fn axis_money(v: f64, per_share: bool) -> String {
    let d = Decimal::from_f64(v).unwrap_or_default();
    if per_share {
        return num::dollars(d.round_dp(2));
    }
    let units = [
        (Decimal::from(1_000_000_000), "B"),
        (Decimal::from(1_000_000), "M"),
        (Decimal::from(1_000), "K"),
    ];
    for (unit, suffix) in units {
        if d.abs() >= unit {
            let n = d
                .checked_div(unit)
                .unwrap_or_default()
                .round_dp(2)
                .normalize();
            return format!("${n}{suffix}");
        }
    }
    format!("${}", d.round_dp(0).normalize())
}

/// The chart as an SVG document.
pub fn svg(chart: &Chart) -> Result<String, Kind> {
    let mut out = String::new();
    let notes = u32::try_from(chart.markers.len()).unwrap_or(u32::MAX);
    let height = HEIGHT.saturating_add(NOTE_LINE.saturating_mul(notes.saturating_add(1)));
    draw(chart, &mut out, height)
        .map_err(|e| Kind::Impossible(format!("the chart could not be drawn: {e}")))?;
    Ok(out)
}

/// The highest value drawn: the largest stack, or the largest value.
fn top(chart: &Chart) -> f64 {
    let mut top = 0.0f64;
    for i in 0..chart.exits.len() {
        let at = chart
            .series
            .iter()
            .map(|s| pos(s.values.get(i).copied().unwrap_or_default()));
        let v = if chart.stacked {
            at.sum()
        } else {
            at.fold(0.0, f64::max)
        };
        top = top.max(v);
    }
    if top > 0.0 { top * 1.08 } else { 1.0 }
}

type DrawResult = Result<(), Box<dyn std::error::Error>>;

fn draw(chart: &Chart, out: &mut String, height: u32) -> DrawResult {
    let root = SVGBackend::with_string(out, (WIDTH, height)).into_drawing_area();
    root.fill(&WHITE)?;
    let (plot, below) = root.split_vertically(HEIGHT);
    let per_share = !chart.stacked && chart.measure != "payout";
    let ymax = top(chart);
    let mut cc = ChartBuilder::on(&plot)
        .caption(&chart.title, ("sans-serif", 20))
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(90)
        .build_cartesian_2d(pos(chart.from)..pos(chart.to), 0.0..ymax)?;
    cc.configure_mesh()
        .x_labels(6)
        .y_labels(6)
        .max_light_lines(0)
        .x_label_formatter(&|v| axis_money(*v, false))
        .y_label_formatter(&|v| axis_money(*v, per_share))
        .x_desc("exit value")
        .y_desc(&chart.measure)
        .draw()?;
    parties(chart, &mut cc)?;
    // The legend in declaration order, whatever order the areas were drawn in.
    for s in &chart.series {
        let c = color(s.color);
        let dashed = s.dashed;
        cc.draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())?
            .label(s.name.as_str())
            .legend(move |(x, y)| {
                // A thin bar for a dashed line, a block for an area or line.
                let half = if dashed { 1 } else { 5 };
                Rectangle::new(
                    [
                        (x, y.saturating_sub(half)),
                        (x.saturating_add(14), y.saturating_add(half)),
                    ],
                    c.filled(),
                )
            });
    }
    markers(chart, &mut cc, ymax)?;
    cc.configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()?;
    let style = ("sans-serif", 12).into_font().color(&BLACK);
    for (n, m) in chart.markers.iter().enumerate() {
        let mut label = m.label.clone();
        if label.chars().count() > 120 {
            label = label.chars().take(119).collect::<String>() + "…";
        }
        let line = format!(
            "{}  {}  {label}",
            n.saturating_add(1),
            super::curve::exit(m.exit)
        );
        let y = i32::try_from(n.saturating_mul(NOTE_LINE as usize)).unwrap_or(i32::MAX);
        below.draw_text(&line, &style, (20, y))?;
    }
    root.present()?;
    Ok(())
}

/// The chart's cartesian plot, as plotters builds it.
type Plot<'a, 'b> = ChartContext<
    'a,
    SVGBackend<'b>,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// Each party's area (stacked) or line.
fn parties(chart: &Chart, cc: &mut Plot) -> DrawResult {
    let xs: Vec<f64> = chart.exits.iter().map(|x| pos(*x)).collect();
    if chart.stacked {
        // Each party's band is the stack up to it less the one below: drawn
        // from the whole stack down, each area over the one before.
        let mut stacks: Vec<Vec<f64>> = Vec::new();
        let mut running = vec![0.0f64; xs.len()];
        for s in &chart.series {
            for (r, v) in running.iter_mut().zip(&s.values) {
                *r += pos(*v);
            }
            stacks.push(running.clone());
        }
        for (s, stack) in chart.series.iter().zip(&stacks).rev() {
            let points: Vec<(f64, f64)> = xs.iter().copied().zip(stack.iter().copied()).collect();
            cc.draw_series(AreaSeries::new(points, 0.0, color(s.color).filled()))?;
        }
    } else {
        for s in &chart.series {
            let points: Vec<(f64, f64)> = xs
                .iter()
                .copied()
                .zip(s.values.iter().map(|v| pos(*v)))
                .collect();
            let style = color(s.color).stroke_width(2);
            if s.dashed {
                cc.draw_series(DashedLineSeries::new(points, 8, 5, style))?;
            } else {
                cc.draw_series(LineSeries::new(points, style))?;
            }
        }
    }
    Ok(())
}

/// Each breakpoint's thin grey line, numbered at the top.
fn markers(chart: &Chart, cc: &mut Plot, ymax: f64) -> DrawResult {
    for (n, m) in chart.markers.iter().enumerate() {
        let x = pos(m.exit);
        cc.draw_series(LineSeries::new(
            [(x, 0.0), (x, ymax)],
            MARKER.stroke_width(1),
        ))?;
        cc.draw_series(std::iter::once(Text::new(
            format!("{}", n.saturating_add(1)),
            (x, ymax),
            ("sans-serif", 12).into_font().color(&MARKER),
        )))?;
    }
    Ok(())
}
