//! A payout chart drawn as SVG with plotters: stacked areas (or a line per
//! party) against the exit, breakpoints as thin vertical lines numbered
//! above the plot, axes in readable money; under the plot the legend in
//! declaration order and each breakpoint's exit and causes, wrapped to the
//! width. 1000 pixels wide, as tall as the legend and the causes need, and
//! no timestamps, so the same chart is the same file.
//!
//! Positions are `f64` (plotters draws in them); every figure printed on the
//! chart — the breakpoints' exits, the axis labels — is formatted from a
//! decimal. PNG is not offered: plotters rasterizes text only with a font
//! library, and the binary carries none.

mod layout;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};

use crate::analysis::chart::Chart;
use crate::diagnostic::Kind;
use crate::num;
use layout::{Entry, Notes};

/// Okabe and Ito's eight colours, which people with any common colour
/// blindness still tell apart (orange, sky blue, bluish green, yellow, blue,
/// vermilion, reddish purple, black), then eight of Paul Tol's muted scheme,
/// made for the same (indigo, cyan, teal, green, olive, sand, wine, purple).
const PALETTE: [(u8, u8, u8); 16] = [
    (0xe6, 0x9f, 0x00),
    (0x56, 0xb4, 0xe9),
    (0x00, 0x9e, 0x73),
    (0xf0, 0xe4, 0x42),
    (0x00, 0x72, 0xb2),
    (0xd5, 0x5e, 0x00),
    (0xcc, 0x79, 0xa7),
    (0x00, 0x00, 0x00),
    (0x33, 0x22, 0x88),
    (0x88, 0xcc, 0xee),
    (0x44, 0xaa, 0x99),
    (0x11, 0x77, 0x33),
    (0x99, 0x99, 0x33),
    (0xdd, 0xcc, 0x77),
    (0x88, 0x22, 0x55),
    (0xaa, 0x44, 0x99),
];

/// The breakpoints' lines: a grey no party is drawn in.
const MARKER: RGBColor = RGBColor(0x88, 0x88, 0x88);
/// Their numbers, darker to be read.
const NUMBER: RGBColor = RGBColor(0x44, 0x44, 0x44);

/// The drawing's width; its parts' heights, top to bottom: the title, a row
/// per row of breakpoint numbers, the plot (with its axes), a row per row
/// of the legend, a line per line of the breakpoints' causes.
const WIDTH: u32 = 1000;
const TITLE: f64 = 36.0;
const NUMBER_LINE: f64 = 15.0;
const PLOT: f64 = 560.0;
const LEGEND_LINE: f64 = 22.0;
const NOTE_LINE: f64 = 17.0;
/// The room left and right of the title, legend and causes.
const PAD: f64 = 20.0;

/// The plot's margins: right, room for half the last axis label (centred
/// on the axis's end), and left, the vertical axis's labels.
const MARGIN: u32 = 16;
const MARGIN_RIGHT: u32 = 40;
const Y_LABELS: u32 = 90;
const X_LABELS: u32 = 44;
/// The plot's top edge below the top of its area.
const MARGIN_TOP: u32 = 6;

/// Font sizes, in plotters' units (the SVG's pixels times 1.24).
const TITLE_SIZE: f64 = 22.0;
const TICK_SIZE: f64 = 14.0;
const TEXT_SIZE: f64 = 15.0;

/// The colour of party `i`: the palette's sixteen in turn.
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

/// A position in whole pixels.
fn px(v: f64) -> i32 {
    v.round() as i32
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

/// Where everything goes, worked out before drawing.
struct Layout {
    height: u32,
    title_size: f64,
    /// The top of the plot's area (the title and the numbers above it).
    plot_top: f64,
    /// Each breakpoint number's row, 0 next to the plot.
    rows: Vec<usize>,
    legend: Vec<Entry>,
    legend_top: f64,
    notes: Notes,
    notes_top: f64,
}

fn plan(chart: &Chart) -> Layout {
    let room = f64::from(WIDTH) - 2.0 * PAD;
    let title_size = (TITLE_SIZE * room / layout::width(&chart.title, TITLE_SIZE)).min(TITLE_SIZE);
    // The breakpoints' pixels, as plotters will map them.
    let left = f64::from(MARGIN.saturating_add(Y_LABELS));
    let right = f64::from(WIDTH.saturating_sub(MARGIN_RIGHT));
    let (from, to) = (pos(chart.from), pos(chart.to));
    let span = if to > from { to - from } else { 1.0 };
    let xs: Vec<f64> = chart
        .markers
        .iter()
        .map(|m| left + (pos(m.exit) - from) / span * (right - left))
        .collect();
    let rows = layout::number_rows(&xs, TEXT_SIZE);
    let bands = rows
        .iter()
        .max()
        .map_or(0.0, |r| r.saturating_add(1) as f64);
    let plot_top = TITLE + bands * NUMBER_LINE;
    let names: Vec<&str> = chart.series.iter().map(|s| s.name.as_str()).collect();
    let legend = layout::legend(&names, TEXT_SIZE, PAD, f64::from(WIDTH) - PAD);
    let legend_rows = legend.iter().map(|e| e.row.saturating_add(1)).max();
    let legend_top = plot_top + PLOT + 4.0;
    let notes_top = legend_top + legend_rows.unwrap_or(0) as f64 * LEGEND_LINE + 10.0;
    let breakpoints: Vec<(String, String)> = chart
        .markers
        .iter()
        .map(|m| (super::curve::exit(m.exit), m.label.clone()))
        .collect();
    let notes = layout::notes(&breakpoints, TEXT_SIZE, PAD, f64::from(WIDTH) - PAD);
    let bottom = notes_top + notes.lines() as f64 * NOTE_LINE + 8.0;
    Layout {
        height: bottom.ceil() as u32,
        title_size,
        plot_top,
        rows,
        legend,
        legend_top,
        notes,
        notes_top,
    }
}

/// The chart as an SVG document.
pub fn svg(chart: &Chart) -> Result<String, Kind> {
    let mut out = String::new();
    draw(chart, &plan(chart), &mut out)
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

/// The root of the drawing, where the title, numbers, legend and list go.
type Root<'b> = DrawingArea<SVGBackend<'b>, plotters::coord::Shift>;

fn draw(chart: &Chart, at: &Layout, out: &mut String) -> DrawResult {
    let root = SVGBackend::with_string(out, (WIDTH, at.height)).into_drawing_area();
    root.fill(&WHITE)?;
    let title = ("sans-serif", at.title_size)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Center, VPos::Top));
    root.draw_text(&chart.title, &title, (px(f64::from(WIDTH) / 2.0), 10))?;
    let (_, rest) = root.split_vertically(px(at.plot_top));
    let (plot, _) = rest.split_vertically(px(PLOT));
    let per_share = !chart.stacked && chart.measure != "payout";
    let ymax = top(chart);
    let mut cc = ChartBuilder::on(&plot)
        .margin(MARGIN)
        .margin_top(MARGIN_TOP)
        .margin_right(MARGIN_RIGHT)
        .x_label_area_size(X_LABELS)
        .y_label_area_size(Y_LABELS)
        .build_cartesian_2d(pos(chart.from)..pos(chart.to), 0.0..ymax)?;
    let tick = ("sans-serif", TICK_SIZE).into_font();
    let text = ("sans-serif", TEXT_SIZE).into_font();
    cc.configure_mesh()
        .x_labels(6)
        .y_labels(6)
        .max_light_lines(0)
        .label_style(tick)
        .axis_desc_style(text.clone())
        .x_label_formatter(&|v| axis_money(*v, false))
        .y_label_formatter(&|v| axis_money(*v, per_share))
        .x_desc("exit value")
        .y_desc(&chart.measure)
        .draw()?;
    parties(chart, &mut cc)?;
    markers(chart, &mut cc, ymax)?;
    numbers(at, &cc, &root, chart, ymax)?;
    legend(chart, at, &root)?;
    notes(at, &root)?;
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

/// Each breakpoint's thin grey line, the plot's full height.
fn markers(chart: &Chart, cc: &mut Plot, ymax: f64) -> DrawResult {
    for m in &chart.markers {
        let x = pos(m.exit);
        cc.draw_series(LineSeries::new(
            [(x, 0.0), (x, ymax)],
            MARKER.stroke_width(1),
        ))?;
    }
    Ok(())
}

/// Each breakpoint's number above the plot, over its line, in its row.
fn numbers(at: &Layout, cc: &Plot, root: &Root, chart: &Chart, ymax: f64) -> DrawResult {
    let style = ("sans-serif", TEXT_SIZE)
        .into_font()
        .color(&NUMBER)
        .pos(Pos::new(HPos::Center, VPos::Top));
    for (n, (m, row)) in chart.markers.iter().zip(&at.rows).enumerate() {
        let (x, top) = cc.backend_coord(&(pos(m.exit), ymax));
        let y = f64::from(top) - (*row as f64 + 1.0) * NUMBER_LINE;
        root.draw_text(&n.saturating_add(1).to_string(), &style, (x, px(y)))?;
    }
    Ok(())
}

/// The legend under the plot: a swatch (a block for an area, a bar for a
/// line, a broken bar for a dashed one) and the party's name.
fn legend(chart: &Chart, at: &Layout, root: &Root) -> DrawResult {
    let style = ("sans-serif", TEXT_SIZE)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for (s, e) in chart.series.iter().zip(&at.legend) {
        let mid = at.legend_top + (e.row as f64 + 0.5) * LEGEND_LINE;
        let half = if chart.stacked { 6.0 } else { 1.5 };
        let bars: &[(f64, f64)] = if s.dashed {
            &[(0.0, 8.0), (12.0, layout::SWATCH)]
        } else {
            &[(0.0, layout::SWATCH)]
        };
        for (a, b) in bars {
            root.draw(&Rectangle::new(
                [(px(e.x + a), px(mid - half)), (px(e.x + b), px(mid + half))],
                color(s.color).filled(),
            ))?;
        }
        root.draw_text(&e.name, &style, (px(layout::name_x(e)), px(mid)))?;
    }
    Ok(())
}

/// The breakpoints' list: number, exit, and the causes' lines.
fn notes(at: &Layout, root: &Root) -> DrawResult {
    let font = ("sans-serif", TEXT_SIZE).into_font().color(&BLACK);
    let right = font.pos(Pos::new(HPos::Right, VPos::Top));
    let left = font.pos(Pos::new(HPos::Left, VPos::Top));
    let n = &at.notes;
    let mut y = at.notes_top;
    for (number, exit, lines) in &n.rows {
        root.draw_text(number, &right, (px(n.number_right), px(y)))?;
        root.draw_text(exit, &right, (px(n.exit_right), px(y)))?;
        for line in lines {
            root.draw_text(line, &left, (px(n.cause_left), px(y)))?;
            y += NOTE_LINE;
        }
        if lines.is_empty() {
            y += NOTE_LINE;
        }
    }
    Ok(())
}
